import ArgumentParser
import OutdialLedger

extension LedgerCommand {
    /// `outdial ledger migrate`.
    struct Migrate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "migrate",
            abstract: "Create the ledger, or bring its schema up to date.",
            discussion: """
                run does this by itself when needed; migrate does it now, and says from which schema \
                version to which.

                Example: outdial ledger migrate --state-dir /var/lib/outdial
                Example: outdial ledger migrate --state postgres://outdial@db.example.com/outdial
                """
        )

        @OptionGroup var state: StateDirectoryOption

        func run() async throws {
            do {
                let location = try LedgerAccess.location(state)
                let (ledger, from, to) = try await Ledger.openMigrating(at: location)
                await ledger.close()
                let line =
                    from == to
                    ? "the ledger \(ledger.path) is up to date (schema version \(to))"
                    : "migrated the ledger \(ledger.path) from schema version \(from) to \(to)"
                try LedgerAccess.print([line])
            } catch {
                throw LedgerAccess.exitCode(for: error)
            }
        }
    }
}
