import Foundation
import Outdial
import OutdialCore
import Testing

/// `limits: off` is warned about wherever a job is validated, planned or run, and changes no exit code.
/// (The jobs also say `window: off`, on line 10, so that they are sent at any hour; that warns too.)
@Suite struct RunnerLimitsWarningTests {
    static func warning(_ job: String) -> String {
        "\(job):11:9: warning: limits: off — this job's rows are not held to any communication limit; "
            + "a number called by another job an hour ago will be called again"
    }

    func job(in folder: TestFolder, limits: String) throws -> String {
        try folder.write(
            "job.yaml",
            TestJob.yaml(id: "unlimited", destinations: TestJob.destinations(2)) + "limits: \(limits)\n"
        )
    }

    @Test(arguments: [("off", true), ("[{max: 2, per: 7d}]", false)])
    func validateWarnsAboutOffOnly(limits: String, warned: Bool) throws {
        let folder = try TestFolder()
        let job = try job(in: folder, limits: limits)
        let messages = MessageLog.keeping()

        let report = Runner(messages: messages, logger: quietLogger()).validate(JobList(paths: [job]))

        #expect(report.exitCode == 0)
        let windowOff = TestJob.windowOffWarning(job, rows: 2)
        #expect(messages.lines == (warned ? [windowOff, Self.warning(job)] : [windowOff]))
    }

    @Test func planWarns() throws {
        let folder = try TestFolder()
        let job = try job(in: folder, limits: "off")
        var configuration = Runner.Configuration()
        configuration.output.results = folder.path("plan.ndjson")
        let messages = MessageLog.keeping()

        let report = try Runner(configuration: configuration, messages: messages, logger: quietLogger())
            .plan(JobList(paths: [job]))

        #expect(report.exitCode == 0)
        #expect(messages.lines == [TestJob.windowOffWarning(job, rows: 2), Self.warning(job)])
        #expect(folder.lines("plan.ndjson").count == 2)
    }

    @Test func runWarnsAndSends() async throws {
        let folder = try TestFolder()
        let job = try job(in: folder, limits: "off")
        var configuration = Runner.Configuration()
        configuration.simulate = true
        configuration.state.directory = folder.path("state")
        configuration.output = .init(results: folder.path("results.ndjson"), progress: false)
        configuration.pacing.rate = 0
        let messages = MessageLog.keeping()

        let outcome = await Runner(configuration: configuration, messages: messages, logger: quietLogger())
            .run(JobList(paths: [job]))

        #expect(outcome.exitCode == 0)
        #expect(outcome.summary.counts[.started] == 2)
        #expect(messages.lines.contains(Self.warning(job)))
    }
}
