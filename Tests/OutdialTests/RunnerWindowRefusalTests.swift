import Foundation
import Outdial
import OutdialCore
import Testing

/// A job that asks for a calling window is not sent by a version that cannot hold calls to one.
@Suite struct RunnerWindowRefusalTests {
    func run(window: String, dryRun: Bool = false) async throws -> (RunOutcome, TestFolder) {
        let folder = try TestFolder()
        let job = try folder.write(
            "job.yaml",
            TestJob.yaml(id: "windowed", destinations: TestJob.destinations(2), window: window)
        )
        var configuration = Runner.Configuration()
        configuration.simulate = true
        configuration.dryRun = dryRun
        configuration.state.directory = folder.path("state")
        configuration.output = .init(results: folder.path("results.ndjson"), progress: false)
        configuration.pacing.rate = 0
        let outcome = await Runner(configuration: configuration, messages: MessageLog.keeping(), logger: quietLogger())
            .run(JobList(paths: [job]))
        return (outcome, folder)
    }

    @Test func aJobWithItsOwnWindowIsNotSent() async throws {
        let (outcome, folder) = try await run(window: "{hours: \"09:00-17:00\"}")
        #expect(outcome.exitCode == 2)
        #expect(outcome.text.contains("does not yet hold calls to a calling window"))
        #expect(folder.lines("results.ndjson").isEmpty)
    }

    @Test func aDryRunStillShowsThePlan() async throws {
        let (outcome, folder) = try await run(window: "{hours: \"09:00-17:00\"}", dryRun: true)
        #expect(outcome.exitCode == 0)
        #expect(folder.lines("results.ndjson").count == 2)
    }

    @Test func windowOffIsSent() async throws {
        let (outcome, folder) = try await run(window: "off")
        #expect(outcome.exitCode == 0)
        #expect(folder.lines("results.ndjson").count == 2)
    }
}
