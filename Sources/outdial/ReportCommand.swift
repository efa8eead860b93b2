import ArgumentParser
import Foundation
import Outdial
import OutdialBase

/// `outdial report RESULTS... [-o FILE]`: earlier results as one self-contained HTML page.
struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Make one self-contained HTML page of earlier results: totals, a timeline, errors.",
        discussion: """
            Per job: rows by status, started rows by outcome (when calls were followed), skipped \
            rows by reason, rows by time zone where lines name it, a chart of starts and errors per \
            minute, and errors by code with example rows. Each row counts once, as its latest line \
            says (as replay reads them). Phone numbers are masked. The page has no script and \
            fetches nothing: open it anywhere, or mail it. Lines that are not results lines are \
            counted, shown and skipped. Exit status: 0 when the page was written, 2 for a usage \
            problem, 3 when a results file cannot be read or the page cannot be written.

            Example: outdial report results.ndjson -o report.html
            """
    )

    @Argument(help: ArgumentHelp("Results files written by outdial run, replay or outcomes.", valueName: "RESULTS"))
    var results: [String]

    @Option(
        name: [.short, .long],
        help: ArgumentHelp("Write the page to FILE (replaced whole); default: standard output.", valueName: "FILE")
    )
    var output: String?

    func run() throws {
        let runner = Runner(logger: Console.logger("outdial", debug: false))
        let outcome = runner.report(results, output: output, generatedAt: Date())
        if let refused = outcome.refused {
            Console.error("outdial report: \(refused.message)")
            throw ExitCode(refused.exitCode)
        }
        if let page = outcome.page {
            _ = POSIX.writeAll(STDOUT_FILENO, Array(page.utf8))
        }
        let report = outcome.report
        var said = "outdial report: \(report.rows) row\(report.rows == 1 ? "" : "s") of \(report.jobs.count) "
        said += "job\(report.jobs.count == 1 ? "" : "s")"
        if !report.ignored.isEmpty { said += ", \(report.ignored.count) line(s) ignored" }
        Console.error(said + (output.map { " -> \($0)" } ?? ""))
    }
}
