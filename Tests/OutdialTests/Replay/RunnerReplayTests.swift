import ConnectSimulator
import Foundation
import Outdial
import Testing

/// `Runner.replay` against the real simulator.
@Suite struct RunnerReplayTests {
    @Test func aFailedRowFixedByHandIsSentAgainUnderItsJobId() async throws {
        let folder = try TestFolder()
        let failed =
            #"{"job":"night","source":"jobs/night.yaml","row":4,"line":12,"destination":"+15551230009","clientToken":"","status":"failed","request":{"InstanceId":"12345678-1234-1234-1234-123456789012","ContactFlowId":"846ec553-a005-41c0-8341-123456789012","SourcePhoneNumber":"+15550100100","DestinationPhoneNumber":"+15551230009"}}"#
        let started = failed.replacingOccurrences(of: #""row":4"#, with: #""row":5"#)
            .replacingOccurrences(of: #""status":"failed""#, with: #""status":"started""#)
        let results = try folder.write("results.ndjson", failed + "\n" + started + "\n")
        try await withSimulator { simulator in
            // -o names the results being replayed: the new lines are appended to it.
            var configuration = runnerConfiguration(sendingTo: simulator, state: folder.path("state"), results: results)
            // The line comes from a job with window: off (it names no zone).
            configuration.window.replay = .off

            let outcome = await Runner(configuration: configuration, messages: .keeping(), logger: quietLogger())
                .replay([results], statuses: [.failed])

            #expect(outcome.exitCode == 0)
            #expect(simulator.requestLog().compactMap(\.destination) == ["+15551230009"])
            let lines = folder.lines("results.ndjson")
            #expect(lines.count == 3)
            #expect(lines.last?["status"] as? String == "started")
            #expect(lines.last?["job"] as? String == "night")
            #expect(lines.last?["row"] as? Int == 4)
        }
    }
}
