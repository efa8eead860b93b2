import ArgumentParser
import Foundation
import OutdialBase
import OutdialLedger

extension SuppressCommand {
    /// `outdial suppress add NUMBER [--reason R] [--until DATE]`.
    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "add",
            abstract: "Put a number on the do-not-call list (or change its reason or end).",
            discussion: """
                Adding a number that is already listed replaces its reason and end.

                Example: outdial suppress add "+1 555 123 0001" --reason "asked to stop" --until 2027-06-01
                """
        )

        @Argument(help: ArgumentHelp("The number, E.164, e.g. +15551230001.", valueName: "NUMBER"))
        var number: String

        @Option(help: "Why it must not be called; shown in the skipped rows' results, e.g. --reason \"asked to stop\".")
        var reason: String?

        @Option(
            help: ArgumentHelp(
                "Suppress only until this time: YYYY-MM-DD (midnight, local time) or RFC 3339, e.g. "
                    + "--until 2027-06-01 or --until 2027-06-01T09:00:00Z. Default: for good.",
                valueName: "DATE"
            )
        )
        var until: String?

        @OptionGroup var state: StateDirectoryOption

        func validate() throws {
            guard let until else { return }
            guard let end = LedgerTimeArgument.date(until) else {
                throw ValidationError(
                    "--until \(until): expected YYYY-MM-DD (local time) or an RFC 3339 time, e.g. 2027-06-01 "
                        + "or 2027-06-01T09:00:00Z"
                )
            }
            if end <= UTCTimestamp(Date()) {
                throw ValidationError("--until \(until) has passed; give a later time, or leave --until out for good")
            }
        }

        func run() async throws {
            try LedgerAccess.checkNumber(number)
            let end = until.flatMap { LedgerTimeArgument.date($0) }
            try await LedgerAccess.with(state, creating: true) { ledger in
                guard let ledger else { return }
                let (entry, replaced) = try await ledger.addSuppression(number: number, reason: reason, until: end)
                let until = entry.until.map { " until \($0.rfc3339)" }
                try LedgerAccess.print([
                    "\(entry.number) \(replaced ? "was already suppressed; updated" : "suppressed")\(until ?? "")"
                ])
            }
        }
    }
}
