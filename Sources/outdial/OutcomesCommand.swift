import ArgumentParser
import Outdial
import OutdialBase

/// `outdial outcomes RESULTS... [-o FILE]`: how the started calls of earlier results ended.
struct OutcomesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "outcomes",
        abstract: "Ask Connect how each started row of earlier results ended; the same lines, enriched.",
        discussion: """
            Each started row without a final outcome (none, or live) is asked about with \
            DescribeContact and gets outcome and call, as a run that follows its calls writes them; \
            every other line is written as it was. The instance of each contact is read from the \
            ledger (--state-dir). Exit status: 0 when every started row got an answer, 1 when some \
            did not, 3 when nothing could be asked.

            Example: outdial outcomes results.ndjson -o results-with-outcomes.ndjson
            """
    )

    @Argument(help: ArgumentHelp("Results files written by outdial run or replay.", valueName: "RESULTS"))
    var results: [String]

    @Option(
        name: [.short, .long],
        help: ArgumentHelp("Write the lines to FILE (created with mode 0600, appended).", valueName: "FILE")
    )
    var output: String?

    @OptionGroup var state: StateDirectoryOption
    @OptionGroup(title: "AWS options") var aws: AWSOptionGroup

    func run() async throws {
        var configuration = Runner.Configuration()
        configuration.state.directory = state.stateOption
        configuration.aws = .init(options: aws.options)
        let runner = Runner(configuration: configuration, logger: Console.logger("outdial", debug: aws.debug))
        let report = await runner.outcomes(results)
        if let refused = report.refused {
            Console.error("outdial outcomes: \(refused)")
            throw ExitCode(3)
        }
        try Console.write(
            Array(report.lines.map { $0 + "\n" }.joined().utf8),
            appendingTo: output,
            command: "outdial outcomes"
        )
        Console.error(
            "outdial outcomes: \(report.asked) started row\(report.asked == 1 ? "" : "s") asked about, "
                + "\(report.unanswered) without an answer"
        )
        if report.exitCode != 0 { throw ExitCode(report.exitCode) }
    }
}
