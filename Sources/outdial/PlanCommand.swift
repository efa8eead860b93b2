import ArgumentParser
import Outdial
import OutdialCore

/// `outdial plan JOB... [-o FILE]`: the exact requests as NDJSON, one line per row; sends nothing.
struct PlanCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan",
        abstract: "Print the exact requests as NDJSON, one line per row. Sends nothing.",
        discussion: """
            Each row gives one line: status planned (with job, source, row, line, destination, \
            clientToken and the exact request body), or invalid / duplicate as in results. \
            Problems are also printed on standard error; the counts go to standard error at the end.
            Exit status: 0 when every row is fine, 1 when some rows are invalid, 2 when a file cannot \
            be read or is structurally wrong (or --strict and some rows are invalid).

            Example: outdial plan jobs/reminders.yaml -o plan.ndjson
            """
    )

    @OptionGroup var planning: PlanningArguments

    @Option(
        name: [.short, .long],
        help: ArgumentHelp(
            "Append the lines to FILE (created with mode 0600) instead of standard output. Example: -o plan.ndjson",
            valueName: "FILE"
        )
    )
    var output: String?

    func run() throws {
        let jobs = JobArguments(planning.jobs)
        var configuration = planning.configuration
        configuration.output.results = output
        let runner = Runner(configuration: configuration, logger: Console.logger("outdial", debug: false))
        let report: PlanReport
        do {
            report = try runner.plan(jobs.list)
        } catch {
            Console.error("outdial: \(error.message)")
            throw ExitCode(2)
        }
        let counts = report.countLines()
        if !counts.isEmpty { Console.error(counts.joined(separator: "\n")) }
        if report.exitCode != 0 { throw ExitCode(report.exitCode) }
    }
}
