import Foundation
import OutdialClient
import OutdialCore

extension Runner {
    /// Plans `jobs`, then sends every valid row; one NDJSON line per row goes to
    /// `configuration.output.results` (standard output when nil).
    /// - Parameter interrupt: stops the run when raised (by SIGINT/SIGTERM when the configuration
    ///   handles signals, or by the caller).
    /// - Returns: the outcome; nothing is sent when a file cannot be planned, when `--strict`
    ///   refuses invalid rows, or when an output names an input.
    public func run(_ jobs: JobList, interrupt: InterruptSignal = InterruptSignal()) async -> RunOutcome {
        defer { messages.flush() }
        do {
            try OutputPaths(
                results: configuration.output.results,
                summary: configuration.output.summary,
                metrics: configuration.output.metricsFile,
                inputs: jobs.inputs.map(\.path)
            ).check()
        } catch {
            return .refused("nothing was sent: \(error.message)")
        }
        warnIfDeadlinePassed()
        return await run(
            jobs,
            results: configuration.output.results,
            summary: configuration.output.summary,
            interrupt: interrupt
        )
    }

    /// `run` with the outputs given (a spool pass writes beside each job).
    func run(_ jobs: JobList, results: String?, summary: String?, interrupt: InterruptSignal) async -> RunOutcome {
        show(jobs.failures)
        // The ledger's rules are read while the rows are planned, on the other core, for the
        // screen before sending (a worker screens nothing: its claims decide each row).
        let store = session.stateStore()
        if configuration.state.workerLease == nil { await store?.readRulesAhead() }
        var planner = JobPlanner(options: configuration.planning.options)
        var rows: [PlannedRow] = []
        var settled: [ResultLine] = []
        var report =
            (try? planner.planAll(
                jobs.inputs,
                onEvent: { event in
                    switch event {
                    case .planned(let row):
                        rows.append(row)
                    case .rejected(let line, let diagnostics):
                        show(diagnostics)
                        settled.append(line)
                    }
                },
                onFailure: { show($0) }
            )) ?? PlanReport()
        report.failures = jobs.failures + report.failures
        show(report.summaries.flatMap(\.warnings))
        warnAboutMissingIds(report.summaries)
        messages.flush()
        if !report.failures.isEmpty {
            await store?.close()
            return .refused("nothing was sent: a job file cannot be read or is structurally wrong")
        }
        if let refusal = strictRefusal(invalid: report.counts[.invalid, default: 0]) {
            await store?.close()
            return .refused(refusal)
        }
        return await session.send(
            rows,
            settled: settled,
            jobPacing: report.summaries.map(\.pacing),
            jobRules: Dictionary(
                // Rows read from a CSV file name it as their source: the job's rules hold for them too.
                report.summaries.flatMap { summary in
                    let rules = JobRules(limits: summary.limits, limitKey: summary.limitKey)
                    return [summary.source, summary.contactsSource].compactMap { $0 }.map { ($0, rules) }
                },
                uniquingKeysWith: { first, _ in first }
            ),
            results: results,
            summaryPath: summary,
            store: store,
            interrupt: interrupt
        )
    }

    /// `--strict`, decided here for `run`, `replay` and `spool` (`validate` and `plan` report it
    /// through `PlanReport.exitCode`): the reason nothing is sent, or nil.
    func strictRefusal(invalid: Int) -> String? {
        guard configuration.planning.strict, invalid > 0 else { return nil }
        return "nothing was sent: --strict and \(Self.count(invalid, "row")) \(invalid == 1 ? "is" : "are") invalid"
    }

    /// A warning when `--deadline` has already passed: no call would start. A cron entry with a
    /// wrong time is the usual cause.
    /// - Parameter now: the time of day; nil is the run's start (`window.startTime`, else now).
    func warnIfDeadlinePassed(now: Date? = nil) {
        let now = now ?? configuration.window.startTime ?? Date()
        guard let deadline = configuration.deadline, deadline <= now else { return }
        messages.line(
            "outdial: warning: --deadline \(Self.timestamp(deadline)) has already passed: no call will start "
                + "(check the time, e.g. of the cron entry)"
        )
    }

    var session: SendSession {
        SendSession(configuration: configuration, messages: messages, logger: logger)
    }

    /// `1 row`, `2 rows`.
    static func count(_ number: Int, _ noun: String) -> String {
        "\(number) \(noun)\(number == 1 ? "" : "s")"
    }

    static func timestamp(_ date: Date) -> String {
        RFC3339Timestamp.string(from: date)
    }
}
