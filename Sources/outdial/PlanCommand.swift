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

            With --at TIME (RFC 3339) the rows are planned as if the run started then: each planned \
            line gets window: {timezone, opensAt, closesAt}, and rows whose calling window would be \
            closed are skipped (outside-window, with opensAt; no-timezone when no zone is known).

            Example: outdial plan jobs/reminders.yaml -o plan.ndjson
            Example: outdial plan jobs/reminders.yaml --at 2026-12-02T19:00:00-08:00
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

    @Option(
        help: ArgumentHelp(
            "Plan as if the run started at TIME (RFC 3339): show each row's calling window then. "
                + "Example: --at 2026-12-02T19:00:00-08:00",
            valueName: "TIME"
        )
    )
    var at: String?

    @Flag(help: "With --at: rows whose window is closed would wait for it (as run --wait), not be skipped.")
    var wait = false

    func validate() throws {
        if let at { _ = try StartTime.parse(at, option: "--at") }
        if wait, at == nil { throw ValidationError("--wait needs --at TIME, e.g. --at 2026-12-02T19:00:00Z --wait") }
    }

    func run() throws {
        let jobs = JobArguments(planning.jobs)
        var configuration = planning.configuration
        configuration.output.results = output
        if let at { configuration.window.startTime = try StartTime.parse(at, option: "--at") }
        configuration.window.wait = wait
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
