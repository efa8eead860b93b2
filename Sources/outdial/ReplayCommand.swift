import ArgumentParser
import Foundation
import Outdial
import OutdialCore

/// `outdial replay RESULTS...`: send again the rows of earlier results.
struct ReplayCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "replay",
        abstract: "Send again the rows of earlier results files, under their original job ids.",
        discussion: """
            Each row is rebuilt from the `request` of its latest line in the results (a row that \
            appears in several runs appended to one file counts once, as its last line says), \
            validated again (a number fixed by hand is checked before it is sent) and sent with \
            the ledger's protection: a row already started is not dialled again, and the limits and \
            suppression list hold. -o may name \
            the results file being replayed: the new lines are appended to it.

            Examples:
              outdial replay results.ndjson
              outdial replay results.ndjson --status failed,uncertain,skipped -o replay.ndjson
            """
    )

    @Argument(help: ArgumentHelp("Results files written by outdial run or replay.", valueName: "RESULTS"))
    var results: [String]

    @Option(
        name: .customLong("status"),
        help: ArgumentHelp(
            "Which rows to send again, comma-separated: failed, uncertain, skipped, invalid. Example: --status failed,uncertain",
            valueName: "S"
        )
    )
    var statusList = "failed"

    @Option(
        name: .customLong("outcome"),
        help: ArgumentHelp(
            "Call again, as a new attempt with a ClientToken of its own, the started rows whose call ended in "
                + "these outcomes: no-answer, busy, voicemail, failed. Example: --outcome no-answer,busy",
            valueName: "O"
        )
    )
    var outcomeList: String?

    @Option(
        name: .customLong("older-than"),
        help: ArgumentHelp(
            "With --outcome: only calls started at least this long ago (s, m, h or d). Example: --older-than 2h",
            valueName: "AGE"
        )
    )
    var olderThan: String?

    @Option(
        name: .customLong("window"),
        help: ArgumentHelp(
            "off: send the rows at any hour (the results do not hold the job's window, so replay keeps "
                + "08:00-21:00 in each row's zone by default). Example: --window off",
            valueName: "off"
        )
    )
    var window: String?

    @OptionGroup var run: RunOptions
    @OptionGroup(title: "AWS options") var aws: AWSOptionGroup

    func validate() throws {
        do {
            _ = try Runner.replayStatuses(statusList)
        } catch {
            throw ValidationError(error.message)
        }
        if let outcomeList {
            do {
                _ = try Runner.replayOutcomes(outcomeList)
            } catch {
                throw ValidationError(error.message)
            }
        }
        if let olderThan {
            guard outcomeList != nil else {
                throw ValidationError("--older-than needs --outcome, e.g. --outcome busy --older-than 2h")
            }
            guard ContactLimit.parseDuration(olderThan) != nil else {
                throw ValidationError("--older-than \(olderThan): expected a whole number and s, m, h or d, e.g. 2h")
            }
        }
        if let window, window != "off" {
            throw ValidationError("--window \(window): the only value is off, e.g. --window off")
        }
    }

    func run() async throws {
        var configuration = try run.configuration(aws: aws)
        if window == "off" {
            configuration.window.replay = .off
            Console.error(
                "outdial: warning: --window off: the replayed rows are called at any hour of the called person's day and night"
            )
        }
        let runner = Runner(configuration: configuration, logger: Console.logger("outdial", debug: aws.debug))
        let newAttempts = try outcomeList.map { list in
            Runner.NewAttempts(
                outcomes: try Runner.replayOutcomes(list),
                startedBefore: olderThan.flatMap(ContactLimit.parseDuration).map {
                    Date().addingTimeInterval(-Double($0))
                }
            )
        }
        let outcome = await runner.replay(
            results,
            statuses: try Runner.replayStatuses(statusList),
            newAttempts: newAttempts
        )
        Console.errorText(outcome.text)
        if outcome.processExitCode != 0 { throw ExitCode(outcome.processExitCode) }
    }
}
