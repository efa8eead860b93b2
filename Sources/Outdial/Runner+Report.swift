import Foundation
import OutdialCore

/// What `outdial report` did.
public struct ReportOutcome: Sendable {
    /// The numbers the page shows.
    public var report = RunReport()
    /// The page, when no output file was named (the command prints it).
    public var page: String?
    /// Why no page was written, with the exit status: 2 for a usage problem (the output names an
    /// input), 3 when a results file cannot be read or the output cannot be written.
    public var refused: (message: String, exitCode: Int32)?

    public var exitCode: Int32 { refused?.exitCode ?? 0 }
}

extension Runner {
    /// `outdial report RESULTS... -o report.html`: one self-contained HTML page of earlier results,
    /// per job: rows by status, outcome, skip reason and time zone, a timeline of starts and errors,
    /// errors by code with example rows (numbers masked). The latest line of a row wins, as in
    /// `replay`; lines that are not results lines are counted, shown and skipped, each one a
    /// warning in `messages`.
    /// - Parameters:
    ///   - results: results files (`-` is standard input).
    ///   - output: the page's file, replaced whole (written beside it, then renamed); nil returns
    ///     the page in `page`.
    ///   - generatedAt: the time the page says it was made.
    public func report(_ results: [String], output: String?, generatedAt: Date) -> ReportOutcome {
        defer { messages.flush() }
        var outcome = ReportOutcome()
        if let output {
            do {
                try OutputPaths(results: output, inputs: results).check()
            } catch {
                outcome.refused = ("no report was written: \(error.message)", 2)
                return outcome
            }
        }
        // Each row once, as its latest line says (as replay keeps them), in compact form.
        var rows = ReportRows()
        var ignored: [Diagnostic] = []
        for path in results {
            do {
                let warnings = try ResultsReader(path: path).read { rows.add($0) }
                show(warnings)
                ignored += warnings
            } catch {
                messages.line("\(error)")
                outcome.refused = ("no report was written: \(path == "-" ? "<stdin>" : path) cannot be read", 3)
                return outcome
            }
        }
        outcome.report = RunReport(
            files: results.map { $0 == "-" ? "<stdin>" : $0 },
            rows: rows,
            ignored: ignored
        )
        let page = ReportPage(report: outcome.report, generatedAt: generatedAt).html()
        guard let output else {
            outcome.page = page
            return outcome
        }
        do {
            try Data(page.utf8).write(to: URL(fileURLWithPath: output), options: .atomic)
        } catch {
            outcome.refused = ("cannot write \(output): \(error.localizedDescription)", 3)
        }
        return outcome
    }
}
