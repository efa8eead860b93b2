import Foundation
import Outdial
import OutdialCore
import Testing

/// `Runner.validate` and `Runner.plan`, without the binary.
@Suite struct RunnerPlanTests {
    @Test func validateReportsEveryProblemAndCounts() throws {
        let folder = try TestFolder()
        let job = try folder.write("job.yaml", TestJob.yaml(id: "checked", destinations: ["+15551230001", "555-0100"]))
        let messages = MessageLog.keeping()
        let runner = Runner(messages: messages, logger: quietLogger())

        let report = runner.validate(JobList(paths: [job]))

        #expect(report.exitCode == 1)
        #expect(
            report.countLines(plannedWord: "valid") == ["\(job) (job checked): 2 rows: 1 valid, 1 invalid, 0 duplicate"]
        )
        let errors = messages.lines.filter { $0 != TestJob.windowOffWarning(job, rows: 2) }
        #expect(messages.lines.count == 2)
        #expect(errors.count == 1)
        #expect(errors.first?.hasPrefix("\(job):9:29: error: ") == true)
    }

    @Test func aJobWithoutAnIdIsWarnedAbout() throws {
        let folder = try TestFolder()
        let named = try folder.write("named.yaml", TestJob.yaml(id: "named", destinations: ["+15551230001"]))
        let unnamed = try folder.write("unnamed.yaml", TestJob.yaml(id: nil, destinations: ["+15551230002"]))
        let messages = MessageLog.keeping()

        let report = Runner(messages: messages, logger: quietLogger()).validate(JobList(paths: [named, unnamed]))

        #expect(report.exitCode == 0)
        let warnings = messages.lines.filter { $0.contains("warning: the job has no id") }
        #expect(warnings.count == 1)
        #expect(warnings.first?.hasPrefix("\(unnamed): warning: ") == true)
        #expect(warnings.first?.contains("would be dialled again") == true)
    }

    @Test func planAppendsAfterACutOffLineOnAFreshLine() throws {
        let folder = try TestFolder()
        let job = try folder.write("job.yaml", TestJob.yaml(id: "planned", destinations: TestJob.destinations(3)))
        let output = try folder.write("plan.ndjson", #"{"job":"cut","source":"x","ro"#)
        var configuration = Runner.Configuration()
        configuration.output.results = output

        let report = try Runner(configuration: configuration, messages: .keeping(), logger: quietLogger())
            .plan(JobList(paths: [job]))

        #expect(report.exitCode == 0)
        let text = folder.read("plan.ndjson")
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.first == #"{"job":"cut","source":"x","ro"#)
        #expect(folder.lines("plan.ndjson").count == 3)
        #expect(folder.lines("plan.ndjson").allSatisfy { $0["status"] as? String == "planned" })
    }

    @Test func planRefusesToWriteIntoAJobFile() throws {
        let folder = try TestFolder()
        let text = TestJob.yaml(id: "kept", destinations: TestJob.destinations(2))
        let job = try folder.write("job.yaml", text)
        var configuration = Runner.Configuration()
        // Another spelling of the same file.
        configuration.output.results = folder.path + "/./job.yaml"

        let error = #expect(throws: RunnerError.self) {
            try Runner(configuration: configuration, messages: .keeping(), logger: quietLogger())
                .plan(JobList(paths: [job]))
        }
        #expect(error?.code == ErrorCode.outputConflict)
        #expect(error?.message.contains("a file being read") == true)
        #expect(folder.read("job.yaml") == text)
    }
}
