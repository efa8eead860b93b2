import ArgumentParser
import OutdialBase
import OutdialCore
import OutdialLedger

extension LedgerCommand {
    /// `outdial ledger export --since 7d|RFC3339 [-o FILE]`.
    struct Export: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "export",
            abstract: "Attempts since a time, as NDJSON, for a warehouse.",
            discussion: """
                One JSON object a line per attempt, in the order they were recorded: job, source, row, \
                line, destination, clientToken, instanceId, status, contactId, error, intentAt, \
                settledAt (RFC 3339, UTC, milliseconds). The store is read a page at a time.

                Example: outdial ledger export --since 7d -o attempts.ndjson
                """
        )

        @Option(
            help: ArgumentHelp(
                "Attempts whose intent was recorded at or after this: a duration before now (s, m, h or d), "
                    + "YYYY-MM-DD (local midnight) or RFC 3339, e.g. --since 7d or --since 2026-11-01T00:00:00Z.",
                valueName: "WHEN"
            )
        )
        var since: String

        @Option(
            name: .shortAndLong,
            help: ArgumentHelp(
                "Write to FILE (replaced; created with mode 0600) instead of standard output, e.g. -o attempts.ndjson.",
                valueName: "FILE"
            )
        )
        var output: String?

        @OptionGroup var state: StateDirectoryOption

        func validate() throws {
            if LedgerTimeArgument.since(since) == nil {
                throw ValidationError(
                    "--since \(since): expected a duration (a whole number and s, m, h or d), YYYY-MM-DD or an "
                        + "RFC 3339 time, e.g. --since 7d"
                )
            }
        }

        func run() async throws {
            guard let start = LedgerTimeArgument.since(since) else { throw ExitCode(2) }
            try await LedgerAccess.writing(to: output) { write in
                try await LedgerAccess.with(state, creating: false) { ledger in
                    guard let ledger else { return }
                    _ = try await ledger.export(since: start) { bytes in try write(bytes) }
                }
            }
        }
    }
}
