import ArgumentParser
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
        let jobInputs = JobInputs(arguments: planning.jobs)
        defer { jobInputs.removeTemporaryFiles() }
        var out = try output.map { try PlanOutput(appendingTo: $0) } ?? PlanOutput()
        defer { out.close() }
        var messages = MessageOutput()
        defer { messages.flush() }
        for failure in jobInputs.failures {
            for diagnostic in failure.diagnostics { messages.line(diagnostic.description) }
        }
        var planner = JobPlanner(options: planning.options)
        var report = try planner.planAll(
            jobInputs.inputs,
            onEvent: { event in
                switch event {
                case .planned(let row):
                    try out.write(row.resultLine())
                case .rejected(let line, let diagnostics):
                    for diagnostic in diagnostics { messages.line(diagnostic.description) }
                    try out.write(line)
                }
            },
            onFailure: { failure in
                for diagnostic in failure.diagnostics { messages.line(diagnostic.description) }
            }
        )
        try out.flush()
        report.failures = jobInputs.failures + report.failures
        for line in report.countLines() { messages.line(line) }
        if report.exitCode != 0 { throw ExitCode(report.exitCode) }
    }
}
