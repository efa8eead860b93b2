import ArgumentParser

/// `outdial ledger migrate|config|history|jobs|export|prune`: the ledger's administration.
struct LedgerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ledger",
        abstract: "Look into and look after the ledger: history, jobs, export, limits, pruning.",
        discussion: """
            The ledger (STATE_DIR/outdial.sqlite) records every attempt of every job that uses the \
            same state directory, so that nobody is called twice and the limits hold across jobs.
            Exit status: 0 when done, 2 when an option or a number must be fixed, 3 when the ledger \
            cannot be used.

            Examples:
              outdial ledger history +15551230001
              outdial ledger export --since 7d -o attempts.ndjson
              outdial ledger config --limits "1/24h,3/7d"
            """,
        subcommands: [Migrate.self, Config.self, History.self, Jobs.self, Export.self, Results.self, Prune.self]
    )
}
