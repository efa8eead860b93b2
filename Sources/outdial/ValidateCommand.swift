import ArgumentParser
import Outdial

/// `outdial validate JOB...`: read, validate and dedupe; report every problem; send nothing.
struct ValidateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Check job files: every problem, then the count of rows per status. Sends nothing.",
        discussion: """
            Each problem is printed on standard error as file:line:col: error: field: found; allowed.
            The counts go to standard output. A job without an id gets a warning: its id comes \
            from the file's bytes, so a fixed and re-dropped file would be a new job.
            Exit status: 0 when every row is valid, 1 when some rows are invalid, 2 when a file cannot \
            be read or is structurally wrong (or --strict and some rows are invalid).

            Example: outdial validate jobs/reminders.yaml
            """
    )

    @OptionGroup var planning: PlanningArguments

    func run() throws {
        let jobs = JobArguments(planning.jobs)
        let runner = Runner(configuration: planning.configuration, logger: Console.logger("outdial", debug: false))
        let report = runner.validate(jobs.list)
        print(report.countLines(plannedWord: "valid").joined(separator: "\n"))
        if report.exitCode != 0 { throw ExitCode(report.exitCode) }
    }
}
