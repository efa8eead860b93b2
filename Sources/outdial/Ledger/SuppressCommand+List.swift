import ArgumentParser
import OutdialLedger

extension SuppressCommand {
    /// `outdial suppress list [--json]`.
    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "list",
            abstract: "Show the do-not-call list, by number.",
            discussion: """
                Entries whose --until has passed are shown as expired (the number may be called \
                again; outdial ledger prune deletes them).

                Example: outdial suppress list --json > suppressed.ndjson
                """
        )

        @Flag(help: "One JSON object a line (number, reason, until, added, expired), e.g. --json.")
        var json = false

        @OptionGroup var state: StateDirectoryOption

        func run() async throws {
            try await LedgerAccess.with(state, creating: false) { ledger in
                let entries = try await ledger?.suppressions() ?? []
                if json {
                    try LedgerAccess.print(entries.map(\.json))
                    return
                }
                var table = TextTable("NUMBER", "REASON", "UNTIL", "ADDED")
                for entry in entries {
                    let until = entry.until.map { $0.rfc3339 + (entry.isExpired ? " (expired)" : "") } ?? "-"
                    table.append(entry.number, entry.reason ?? "-", until, entry.added.rfc3339)
                }
                if entries.isEmpty { Console.error("outdial: the suppression list is empty") }
                try LedgerAccess.print(entries.isEmpty ? [] : table.lines)
            }
        }
    }
}
