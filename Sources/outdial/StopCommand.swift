import ArgumentParser
import Foundation
import Outdial
import OutdialBase

/// `outdial stop JOB_ID|RESULTS`: stop a batch: its runs stop starting rows, its live calls end.
struct StopCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stop",
        abstract: "Stop a batch: its runs stop starting rows, and every call of it still live is ended.",
        discussion: """
            Every run of the job that began before this command (on this machine or any machine \
            sharing the ledger) stops starting rows within a second; its rows not started are \
            skipped with reason stopped. Then every call of the job started in the last 12 hours \
            that is still live is ended with StopContact. One NDJSON line per contact touched \
            (status stopped, ended or failed) goes to standard output or -o FILE.
            Exit status: 0 when every live call was stopped, 1 when some could not be (their \
            errors are in the lines), 3 when nothing could be done (no ledger, AWS setup).

            Examples:
              outdial stop reminders-2026-11-24 --reason "wrong campaign"
              outdial stop results.ndjson -o stopped.ndjson
            """
    )

    @Argument(help: ArgumentHelp("A job id, or a results file whose lines name the jobs.", valueName: "JOB_ID|RESULTS"))
    var target: String

    @Option(help: ArgumentHelp("Why, kept in the ledger and shown by the runs stopped.", valueName: "TEXT"))
    var reason: String?

    @Option(
        name: [.short, .long],
        help: ArgumentHelp("Append the lines to FILE (created with mode 0600).", valueName: "FILE")
    )
    var output: String?

    @OptionGroup var state: StateDirectoryOption
    @OptionGroup(title: "AWS options") var aws: AWSOptionGroup

    func run() async throws {
        var configuration = Runner.Configuration()
        configuration.state.directory = state.stateOption
        configuration.aws = .init(options: aws.options)
        let runner = Runner(configuration: configuration, logger: Console.logger("outdial", debug: aws.debug))
        let outcome = await runner.stop(target, reason: reason)
        try Console.write(outcome.lines.flatMap { $0.ndjson() }, appendingTo: output, command: "outdial stop")
        Console.errorText(outcome.text)
        if outcome.exitCode != 0 { throw ExitCode(outcome.exitCode) }
    }
}
