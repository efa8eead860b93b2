import ArgumentParser
import OutdialCore
import OutdialLedger

extension LedgerCommand {
    /// `outdial ledger prune --older-than 400d [--force]`.
    struct Prune: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "prune",
            abstract: "Delete old settled attempts, jobs left without attempts and ended suppressions.",
            discussion: """
                Deletes attempts (started, failed, uncertain) whose intent is older than --older-than, \
                jobs that have no attempts left, and suppressions whose --until has passed, in one \
                transaction. Attempts still in flight are kept. The limits count recent attempts, so \
                a cutoff shorter than the longest limit window (the ledger config limits, else 24h) \
                is refused unless --force.

                Example (monthly, from cron): outdial ledger prune --older-than 400d
                """
        )

        @Option(
            name: .customLong("older-than"),
            help: ArgumentHelp(
                "Delete attempts older than this: a whole number and s, m, h or d, e.g. --older-than 400d.",
                valueName: "AGE"
            )
        )
        var olderThan: String

        @Flag(help: "Prune even within the longest limit window (the limits forget those attempts), e.g. --force.")
        var force = false

        @OptionGroup var state: StateDirectoryOption

        func validate() throws {
            if ContactLimit.parseDuration(olderThan) == nil {
                throw ValidationError(
                    "--older-than \(olderThan): expected a whole number and s, m, h or d, e.g. --older-than 400d"
                )
            }
        }

        func run() async throws {
            guard let seconds = ContactLimit.parseDuration(olderThan) else { throw ExitCode(2) }
            try await LedgerAccess.with(state, creating: false) { ledger in
                guard let ledger else {
                    try LedgerAccess.print(["the ledger is empty: nothing to prune"])
                    return
                }
                let pruned = try await ledger.prune(olderThan: seconds, force: force)
                try LedgerAccess.print([
                    "pruned \(Self.count(pruned.attempts, "attempt")), \(Self.count(pruned.jobs, "job")), "
                        + "\(Self.count(pruned.suppressions, "ended suppression"))"
                ])
            }
        }

        private static func count(_ count: Int, _ noun: String) -> String {
            "\(count) \(noun)\(count == 1 ? "" : "s")"
        }
    }
}
