import ArgumentParser
import Foundation
import OutdialCore

/// `outdial run JOB...`: plan, then send; one NDJSON result line per row.
struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Plan the job files, then send every valid row to Amazon Connect.",
        discussion: """
            Writes one NDJSON line per input row (started, failed, invalid, duplicate, skipped, \
            uncertain) and a summary on standard error. A journal per job id in the state directory \
            makes running the same command again safe: rows already started are skipped, rows whose \
            outcome is unknown are not dialled again unless --redial-uncertain.

            Exit status: 0 every row started (or already started, or duplicate); 1 some rows failed, \
            invalid, uncertain or skipped; 2 usage error, unreadable job file, or the job is being \
            run by another process; 3 aborted (credentials refused, endpoint unreachable, halt rule, \
            state directory unusable).

            Examples:
              outdial run jobs/reminders.yaml --simulate
              AWS_PROFILE=calls outdial run jobs/ --rate 2 --burst 5 -o results.ndjson --deadline 20:30
            """
    )

    @Argument(
        help: ArgumentHelp(
            "Job files: a file, a directory (every .yaml, .yml and .json in it, in name order), or - for standard input.",
            valueName: "JOB"
        )
    )
    var jobs: [String]

    @OptionGroup var run: RunOptions
    @OptionGroup(title: "AWS options") var aws: AWSOptionGroup

    func run() async throws {
        let jobInputs = JobInputs(arguments: jobs)
        defer { jobInputs.removeTemporaryFiles() }
        let code = try await Self.execute(jobInputs, run: run, aws: aws, output: run.output, summaryPath: run.summary)
        if code != 0 { throw ExitCode(code) }
    }

    /// Plans `jobInputs`, then sends; returns the exit code (2 when a file cannot be planned).
    static func execute(
        _ jobInputs: JobInputs,
        run: RunOptions,
        aws: AWSOptionGroup,
        output: String?,
        summaryPath: String?
    ) async throws -> Int32 {
        var messages = MessageOutput()
        for failure in jobInputs.failures {
            for diagnostic in failure.diagnostics { messages.line(diagnostic.description) }
        }
        var planner = JobPlanner(options: PlanningOptions(allowPrefixes: run.allowPrefixes, strict: run.strict))
        var rows: [PlannedRow] = []
        var settled: [ResultLine] = []
        var report = try planner.planAll(
            jobInputs.inputs,
            onEvent: { event in
                switch event {
                case .planned(let row):
                    rows.append(row)
                case .rejected(let line, let diagnostics):
                    for diagnostic in diagnostics { messages.line(diagnostic.description) }
                    settled.append(line)
                }
            },
            onFailure: { failure in
                for diagnostic in failure.diagnostics { messages.line(diagnostic.description) }
            }
        )
        report.failures = jobInputs.failures + report.failures
        messages.flush()
        if !report.failures.isEmpty {
            SendSession.printError("outdial: nothing was sent: a job file cannot be read or is structurally wrong")
            return 2
        }
        if run.strict, report.counts[.invalid, default: 0] > 0 {
            SendSession.printError(
                "outdial: nothing was sent: --strict and \(report.counts[.invalid, default: 0]) rows are invalid"
            )
            return 2
        }
        let session = SendSession(run: run, aws: aws, pacing: report.summaries.map(\.pacing))
        return try await session.send(rows, settled: settled, output: output, summaryPath: summaryPath)
    }
}
