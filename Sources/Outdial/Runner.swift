import Foundation
import Logging
import OutdialCore

/// The library entry point: validate, plan, run, replay and spool, each one call on a configured
/// runner that returns what the command prints.
///
/// ```swift
/// var configuration = Runner.Configuration()
/// configuration.simulate = true
/// configuration.output.results = "results.ndjson"
/// let runner = Runner(configuration: configuration, logger: logger)
/// let outcome = await runner.run(JobList(paths: ["jobs/reminders.yaml"]))
/// print(outcome.summary.text(), terminator: "")
/// ```
///
/// Problems with the input (diagnostics, notes, warnings) go to `messages` as they are found.
public struct Runner: Sendable {
    /// outdial's version, for `--version` and `User-Agent`.
    public static let version = "0.1.0"

    public var configuration: Configuration
    /// Where diagnostics, notes and warnings go.
    public let messages: MessageLog
    let logger: Logger

    public init(configuration: Configuration = Configuration(), messages: MessageLog = MessageLog(), logger: Logger) {
        self.configuration = configuration
        self.messages = messages
        self.logger = logger
    }

    /// Reads, validates and dedupes `jobs`; every problem goes to `messages`. Sends nothing.
    /// - Returns: the counts; the command prints `countLines(plannedWord: "valid")` and exits
    ///   with `exitCode`.
    public func validate(_ jobs: JobList) -> PlanReport {
        defer { messages.flush() }
        show(jobs.failures)
        var planner = JobPlanner(options: configuration.planning.options)
        var zoneless = ZonelessRows()
        var report =
            (try? planner.planAll(
                jobs.inputs,
                onEvent: { event in
                    switch event {
                    case .planned(let row):
                        if let window = row.window, window.zones.isEmpty { zoneless.note(row) }
                    case .rejected(let line, let diagnostics):
                        show(diagnostics)
                        if let note = line.duplicateNote { messages.line(note) }
                    }
                },
                onFailure: { show($0) }
            )) ?? PlanReport(strict: configuration.planning.strict)
        report.failures = jobs.failures + report.failures
        show(report.summaries.flatMap(\.warnings))
        for warning in zoneless.warnings { messages.line(warning) }
        warnAboutMissingIds(report.summaries)
        return report
    }

    /// Writes the exact request of every row as NDJSON (`planned`, or `invalid` / `duplicate` as
    /// in results) to `configuration.output.results`, or standard output. Sends nothing. With
    /// `configuration.window.startTime` (`plan --at`), each planned row shows its calling window
    /// then, and rows the window would keep from being called are `skipped`.
    /// - Returns: the counts; the command prints `countLines()` and exits with `exitCode`.
    /// - Throws: `RunnerError` when the output cannot be opened or written.
    public func plan(_ jobs: JobList) throws(RunnerError) -> PlanReport {
        defer { messages.flush() }
        try OutputPaths(results: configuration.output.results, inputs: jobs.inputs.map(\.path)).check()
        let out = try ResultOutput.open(configuration.output.results, buffered: true)
        show(jobs.failures)
        var planner = JobPlanner(options: configuration.planning.options)
        let judge = WindowJudge()
        var skipped = 0
        var report: PlanReport
        do {
            report = try planner.planAll(
                jobs.inputs,
                onEvent: { event in
                    switch event {
                    case .planned(let row):
                        if let at = configuration.window.startTime {
                            let line = row.windowedLine(
                                judge: judge,
                                at: at,
                                wait: configuration.window.wait,
                                deadline: configuration.deadline
                            )
                            if line.status == .skipped { skipped += 1 }
                            try out.write(line)
                        } else {
                            try out.writePlanned(row)
                        }
                    case .rejected(let line, let diagnostics):
                        show(diagnostics)
                        try out.write(line)
                    }
                },
                onFailure: { show($0) }
            )
            try out.flush()
        } catch {
            throw RunnerError(
                code: ErrorCode.outputNotWritable,
                message: (error as? RecordingError)?.message ?? "\(error)"
            )
        }
        report.failures = jobs.failures + report.failures
        report.skippedByWindow = configuration.window.startTime.map { _ in skipped }
        show(report.summaries.flatMap(\.warnings))
        return report
    }

    /// Prints the diagnostics of files that cannot be planned.
    func show(_ failures: [JobFileError]) {
        for failure in failures { show(failure) }
    }

    func show(_ failure: JobFileError) {
        show(failure.diagnostics)
    }

    func show(_ diagnostics: [Diagnostic]) {
        for diagnostic in diagnostics { messages.line(diagnostic.description) }
    }

    /// One warning per job whose id comes from its file's bytes: when such a file is fixed and
    /// dropped again, it gets a new id, and its rows would be dialled again.
    func warnAboutMissingIds(_ summaries: [JobSummary]) {
        for summary in summaries where summary.idIsDerived {
            let advice = summary.shape == .job ? "add id: NAME" : "only the job shape (version, id, contacts) has an id"
            let bytes = summary.contactsSource.map { "the bytes of the file and of \($0)" } ?? "the file's bytes"
            messages.line(
                "\(summary.source): warning: the job has no id; its id \(summary.jobId) comes from \(bytes), "
                    + "so a fixed and re-dropped file gets a new job id and its rows would be dialled again (\(advice))"
            )
        }
    }
}
