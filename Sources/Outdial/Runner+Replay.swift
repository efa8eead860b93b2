import Foundation
import OutdialClient
import OutdialCore

extension Runner {
    /// The statuses `replay` may send again.
    public static let replayableStatuses: [RowStatus] = [.failed, .uncertain, .skipped, .invalid]

    /// Parses `--status`: comma-separated names of replayable statuses.
    /// - Throws: `RunnerError` naming what is allowed.
    public static func replayStatuses(_ text: String) throws(RunnerError) -> Set<RowStatus> {
        let allowed = replayableStatuses.map(\.rawValue).joined(separator: ", ")
        var chosen: Set<RowStatus> = []
        for word in text.split(separator: ",") {
            let name = word.trimmingCharacters(in: .whitespaces)
            guard let status = RowStatus(rawValue: name), replayableStatuses.contains(status) else {
                throw RunnerError(
                    code: ErrorCode.statusNotReplayable,
                    message: "--status \(name): expected some of \(allowed)"
                )
            }
            chosen.insert(status)
        }
        guard !chosen.isEmpty else {
            throw RunnerError(code: ErrorCode.statusNotReplayable, message: "--status: name at least one of \(allowed)")
        }
        return chosen
    }

    /// The outcomes `replay --outcome` may send again.
    public static let replayableOutcomes: [CallOutcome] = CallOutcome.allCases.filter(\.mayBeTriedAgain)

    /// Parses `--outcome`: comma-separated names of outcomes a new attempt may change.
    public static func replayOutcomes(_ text: String) throws(RunnerError) -> Set<String> {
        let allowed = replayableOutcomes.map(\.rawValue)
        let chosen = Set(text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) })
        guard !chosen.isEmpty, chosen.isSubset(of: allowed) else {
            let wrong = chosen.subtracting(allowed).sorted().joined(separator: ",")
            throw RunnerError(
                code: ErrorCode.statusNotReplayable,
                message: "--outcome \(wrong): expected some of \(allowed.joined(separator: ", "))"
            )
        }
        return chosen
    }

    /// A deliberate new attempt (`replay --outcome`): started rows whose call ended in one of
    /// `outcomes`, started before `startedBefore`.
    public struct NewAttempts: Sendable {
        public var outcomes: Set<String>
        public var startedBefore: Date?

        public init(outcomes: Set<String>, startedBefore: Date? = nil) {
            self.outcomes = outcomes
            self.startedBefore = startedBefore
        }
    }

    /// Sends again the rows of earlier results files whose latest line has one of `statuses`,
    /// each rebuilt from its `request`, validated again and sent under its original job id with
    /// the journal's protection.
    /// - Returns: the outcome; exit 2 when a results file cannot be read, when `--strict` refuses
    ///   invalid rows, or when an output names an input.
    public func replay(
        _ results: [String],
        statuses: Set<RowStatus>,
        newAttempts: NewAttempts? = nil,
        interrupt: InterruptSignal = InterruptSignal()
    ) async -> RunOutcome {
        defer { messages.flush() }
        do {
            try OutputPaths(
                results: configuration.output.results,
                summary: configuration.output.summary,
                metrics: configuration.output.metricsFile,
                inputs: results,
                appendableInputs: results
            ).check()
        } catch {
            return .refused("nothing was sent: \(error.message)")
        }
        warnIfDeadlinePassed()
        var selection = ReplaySelection()
        for path in results {
            do {
                show(try selection.add(file: path))
            } catch {
                messages.line("\(error)")
                return .refused("nothing was sent: a results file cannot be read")
            }
        }

        var planner = JobPlanner(options: configuration.planning.options)
        var rows: [PlannedRow] = []
        var settled: [ResultLine] = []
        // `skipped: already-started` lines carry no request: those rows are done.
        let chosen =
            newAttempts.map { selection.rows(withOutcomes: $0.outcomes, startedBefore: $0.startedBefore) }
            ?? selection.rows(withStatus: statuses)
        for row in chosen {
            guard var request = row.request else { continue }
            var attempt = 1
            if newAttempts != nil, case .mapping(let entries) = request.value {
                // A new call on purpose: a ClientToken of its own, from the job, the dedupe key and
                // the attempt number (the ledger's limits and suppression list decide it).
                attempt = row.attempt + 1
                request = Node(.mapping(entries.filter { $0.key != "ClientToken" }), at: request.mark)
            }
            // Problems are reported where they are: results.ndjson:LINE:COL.
            switch planner.planRequest(
                request,
                ref: row.ref,
                window: configuration.window.replay,
                attempt: attempt,
                file: row.resultsFile
            )
            {
            case .planned(var planned):
                // The job file's window is not at hand: the row keeps the zone it was judged in.
                if let zone = row.timezone, planned.window != nil {
                    planned.window?.zones = RowWindow.zones(label: zone)
                }
                rows.append(planned)
            case .rejected(let line, let diagnostics):
                show(diagnostics)
                settled.append(line)
            }
        }
        messages.flush()
        if let refusal = strictRefusal(invalid: settled.filter { $0.status == .invalid }.count) {
            return .refused(refusal)
        }
        if rows.isEmpty && settled.isEmpty {
            let names = statuses.map(\.rawValue).sorted().joined(separator: ",")
            return RunOutcome(notSent: "no rows with status \(names) to replay", exitCode: 0)
        }
        return await session.send(
            rows,
            settled: settled,
            jobPacing: [],
            // The job files are not at hand: the ledger's defaults apply.
            jobRules: [:],
            results: configuration.output.results,
            summaryPath: configuration.output.summary,
            store: session.stateStore(),
            interrupt: interrupt
        )
    }
}
