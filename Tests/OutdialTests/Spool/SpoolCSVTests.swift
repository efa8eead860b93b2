import ConnectSimulator
import Foundation
import Outdial
import OutdialClient
import Testing

/// A drop folder takes a job and the CSV file it names together: it waits for both, runs them, and moves
/// both to `done/`.
@Suite struct SpoolCSVTests {
    static let job = """
        version: 1
        id: spool-csv
        defaults:
          InstanceId: 12345678-1234-1234-1234-123456789012
          ContactFlowId: 846ec553-a005-41c0-8341-123456789012
          SourcePhoneNumber: "+15550100100"
        contacts:
          csv: people.csv
          columns: {DestinationPhoneNumber: phone}
        window: off

        """

    @Test func aJobWaitsForItsCSVFileThenBothAreClaimedAndMovedTogether() async throws {
        let folder = try TestFolder()
        try folder.write("drop/incoming/calls.yaml", Self.job)
        try folder.age("drop/incoming/calls.yaml")
        try await withSimulator { simulator in
            let configuration = runnerConfiguration(sendingTo: simulator, state: folder.path("state"))

            // The CSV file is not there yet: the job waits.
            let early = MessageLog.keeping()
            let none = await Runner(configuration: configuration, messages: early, logger: quietLogger())
                .spool(folder.path("drop"), settle: 5)
            #expect(none.files.isEmpty)
            #expect(
                early.lines.contains(
                    #"outdial: spool: "calls.yaml" waits for "people.csv", the CSV file it names, to be in incoming/ "#
                        + "and unchanged for the settle time; they are taken together"
                )
            )

            // It arrives, still being written (not settled): the job still waits.
            let destinations = TestJob.destinations(3)
            try folder.write("drop/incoming/people.csv", "phone,note\n" + destinations.map { $0 + ",x\n" }.joined())
            let writing = await Runner(
                configuration: configuration,
                messages: MessageLog.keeping(),
                logger: quietLogger()
            )
            .spool(folder.path("drop"), settle: 5)
            #expect(writing.files.isEmpty)
            #expect(simulator.requestLog().isEmpty)

            try folder.age("drop/incoming/people.csv")
            let pass = await Runner(configuration: configuration, messages: MessageLog.keeping(), logger: quietLogger())
                .spool(folder.path("drop"), settle: 5)

            // One job, not two: the CSV file is not a job of its own.
            #expect(pass.files.map(\.movedTo) == ["done/calls.yaml"])
            #expect(pass.exitCode == 0)
            #expect(folder.read("drop/done/people.csv").hasPrefix("phone,note\n"))
            #expect(!FileManager.default.fileExists(atPath: folder.path("drop/incoming/people.csv")))
            #expect(!FileManager.default.fileExists(atPath: folder.path("drop/processing/people.csv")))
            let results = folder.lines("drop/done/calls.yaml.results.ndjson")
            #expect(results.compactMap { $0["line"] as? Int }.sorted() == [2, 3, 4])
            #expect(results.allSatisfy { $0["source"] as? String == folder.path("drop/incoming/people.csv") })
            #expect(results.allSatisfy { $0["status"] as? String == "started" })
            #expect(simulator.requestLog().compactMap(\.destination).sorted() == destinations)
        }
    }

    @Test func aFailedJobTakesItsCSVFileToFailed() async throws {
        let folder = try TestFolder()
        try folder.write("drop/incoming/calls.yaml", Self.job)
        try folder.write("drop/incoming/people.csv", "phone\n\"+15551230001\n")
        try folder.age("drop/incoming/calls.yaml")
        try folder.age("drop/incoming/people.csv")
        try await withSimulator { simulator in
            let configuration = runnerConfiguration(sendingTo: simulator, state: folder.path("state"))
            let messages = MessageLog.keeping()
            let pass = await Runner(configuration: configuration, messages: messages, logger: quietLogger())
                .spool(folder.path("drop"), settle: 5)

            #expect(pass.files.map(\.movedTo) == ["failed/calls.yaml"])
            #expect(pass.exitCode == 2)
            #expect(FileManager.default.fileExists(atPath: folder.path("drop/failed/people.csv")))
            #expect(
                messages.lines.contains(
                    folder.path("drop/incoming/people.csv")
                        + ":2:1: error: the quoted cell that starts here has no closing quote (\")"
                )
            )
            #expect(simulator.requestLog().isEmpty)
        }
    }
}
