/// What planning every job file of one invocation gave: `outdial validate` and `outdial plan`
/// print it and exit with its `exitCode`.
public struct PlanReport: Sendable {
    /// One summary per job file planned to the end.
    public var summaries: [JobSummary] = []
    /// Files that could not be read or parsed, or whose structure is wrong.
    public var failures: [JobFileError] = []
    /// Whether `--strict` was given.
    public var strict: Bool
    /// `plan --at`: the planned rows their calling window would keep from being called then.
    public var skippedByWindow: Int?

    public init(strict: Bool = false) {
        self.strict = strict
    }

    /// Rows of every file by status.
    public var counts: [RowStatus: Int] {
        var total: [RowStatus: Int] = [:]
        for summary in summaries {
            for (status, count) in summary.counts { total[status, default: 0] += count }
        }
        return total
    }

    /// 0 when every row is fine (planned or duplicate), 1 when some rows are invalid, 2 when a
    /// file cannot be read or is structurally wrong, or when `--strict` refuses a batch with
    /// invalid rows.
    public var exitCode: Int32 {
        if !failures.isEmpty { return 2 }
        let invalid = counts[.invalid, default: 0]
        if invalid > 0 { return strict ? 2 : 1 }
        return 0
    }

    /// The counts as people read them, one line per file and a total:
    /// `jobs/reminders.yaml (job reminders-2026-11-24): 8 rows: 6 valid, 1 invalid, 1 duplicate`.
    /// - Parameter plannedWord: how `planned` rows are named (`valid` for validate).
    public func countLines(plannedWord: String = "planned") -> [String] {
        var lines: [String] = []
        for summary in summaries {
            lines.append(
                "\(summary.source) (job \(summary.jobId)): " + Self.describe(summary.counts, plannedWord: plannedWord)
            )
        }
        for failure in failures {
            let file = failure.diagnostics.first?.file ?? "?"
            let count = failure.diagnostics.count
            lines.append("\(file): not planned: \(count) structural problem\(count == 1 ? "" : "s")")
        }
        if summaries.count + failures.count > 1 {
            lines.append("total: " + Self.describe(counts, plannedWord: plannedWord))
        }
        if let skippedByWindow {
            lines.append(
                "at that time \(skippedByWindow) of the planned rows would be skipped by their calling window "
                    + "(status skipped in the plan)"
            )
        }
        if strict, counts[.invalid, default: 0] > 0 {
            lines.append("--strict: the batch is refused because some rows are invalid")
        }
        return lines
    }

    static func describe(_ counts: [RowStatus: Int], plannedWord: String) -> String {
        let rows = counts.values.reduce(0, +)
        return "\(rows) row\(rows == 1 ? "" : "s"): \(counts[.planned, default: 0]) \(plannedWord), "
            + "\(counts[.invalid, default: 0]) invalid, \(counts[.duplicate, default: 0]) duplicate"
    }
}

extension JobPlanner {
    /// Plans every input in order, going on after a file that fails so that every problem is
    /// reported.
    /// - Parameters:
    ///   - inputs: the job files, in order.
    ///   - onEvent: called once per row, in file order.
    ///   - onFailure: called for each file that cannot be planned.
    /// - Returns: the summaries, failures and exit code.
    public mutating func planAll(
        _ inputs: [JobInput],
        onEvent: (PlanEvent) throws -> Void,
        onFailure: (JobFileError) throws -> Void = { _ in }
    ) throws -> PlanReport {
        var report = PlanReport(strict: options.strict)
        for input in inputs {
            do {
                report.summaries.append(try plan(input, onEvent: onEvent))
            } catch let failure as JobFileError {
                report.failures.append(failure)
                try onFailure(failure)
            }
        }
        return report
    }
}

extension ResultLine {
    /// A note for a duplicate row, as `validate` prints it:
    /// `jobs/b.yaml:4:1: note: row 2: duplicate of jobs/a.yaml row 0; it will not be sent`.
    public var duplicateNote: String? {
        guard status == .duplicate, let first = duplicateOf else { return nil }
        return
            "\(ref.source):\(ref.line):1: note: row \(ref.row): duplicate of \(first.source) row \(first.row); it will not be sent"
    }
}
