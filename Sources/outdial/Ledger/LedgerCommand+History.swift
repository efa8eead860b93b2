import ArgumentParser
import OutdialLedger

extension LedgerCommand {
    /// `outdial ledger history NUMBER [--json]`.
    struct History: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "history",
            abstract: "Every attempt to call a number, from every job, newest first.",
            discussion: """
                Each attempt: when its intent was recorded, its status (started, failed, uncertain, \
                or in-flight when no outcome was recorded), the job, the source file and line, the \
                row, the ContactId or error code, when it settled and how many requests it took.

                Example: outdial ledger history +15551230001 --json
                """
        )

        @Argument(help: ArgumentHelp("The number, E.164, e.g. +15551230001.", valueName: "NUMBER"))
        var number: String

        @Flag(
            help: ArgumentHelp(
                "One JSON object a line (job, source, row, line, instanceId, status, contactId, error, intentAt, "
                    + "settledAt, attempts), e.g. --json."
            )
        )
        var json = false

        @OptionGroup var state: StateDirectoryOption

        func run() async throws {
            try LedgerAccess.checkNumber(number)
            try await LedgerAccess.with(state, creating: false) { ledger in
                let entries = try await ledger?.history(number: number) ?? []
                if json {
                    try LedgerAccess.print(entries.map(\.json))
                    return
                }
                if entries.isEmpty {
                    Console.error("outdial: no attempt to call \(number) is recorded")
                    return
                }
                var table = TextTable(
                    "INTENT",
                    "STATUS",
                    "JOB",
                    "SOURCE",
                    "ROW",
                    "CONTACT/ERROR",
                    "SETTLED",
                    "ATTEMPTS"
                )
                for entry in entries {
                    table.append(
                        entry.intentAt.rfc3339,
                        entry.status.name,
                        entry.job,
                        "\(entry.source):\(entry.line)",
                        String(entry.row),
                        entry.contactId ?? entry.errorCode ?? "-",
                        entry.settledAt?.rfc3339 ?? "-",
                        entry.attempts.map(String.init) ?? "-"
                    )
                }
                try LedgerAccess.print(table.lines)
            }
        }
    }
}
