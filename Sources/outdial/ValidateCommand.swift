import ArgumentParser
import OutdialCore

/// `outdial validate JOB...`: read, validate and dedupe; report every problem; send nothing.
struct ValidateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Check job files: every problem, then the count of rows per status. Sends nothing.",
        discussion: """
            Each problem is printed on standard error as file:line:col: error: field: found; allowed.
            The counts go to standard output.
            Exit status: 0 when every row is valid, 1 when some rows are invalid, 2 when a file cannot \
            be read or is structurally wrong (or --strict and some rows are invalid).

            Example: outdial validate jobs/reminders.yaml
            """
    )

    @OptionGroup var planning: PlanningArguments

    func run() throws {
        let jobInputs = JobInputs(arguments: planning.jobs)
        defer { jobInputs.removeTemporaryFiles() }
        var messages = MessageOutput()
        defer { messages.flush() }
        for failure in jobInputs.failures {
            for diagnostic in failure.diagnostics { messages.line(diagnostic.description) }
        }
        var planner = JobPlanner(options: planning.options)
        var report = try planner.planAll(
            jobInputs.inputs,
            onEvent: { event in
                guard case .rejected(let line, let diagnostics) = event else { return }
                for diagnostic in diagnostics { messages.line(diagnostic.description) }
                if let note = line.duplicateNote { messages.line(note) }
            },
            onFailure: { failure in
                for diagnostic in failure.diagnostics { messages.line(diagnostic.description) }
            }
        )
        report.failures = jobInputs.failures + report.failures
        messages.flush()
        print(report.countLines(plannedWord: "valid").joined(separator: "\n"))
        if report.exitCode != 0 { throw ExitCode(report.exitCode) }
    }
}
