import ArgumentParser
import OutdialLedger

extension SuppressCommand {
    /// `outdial suppress import FILE [--reason R] [--column NAME]`.
    struct Import: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "import",
            abstract: "Put every number of a file on the do-not-call list (all of them, or none).",
            discussion: """
                FILE.csv: a header row, then one row per number; the numbers are in the column named \
                number, phone or DestinationPhoneNumber (any case), or the one --column names. Cells \
                may be quoted ("a, b"; a quote inside is written ""). A reason column, when there is \
                one, gives each number its reason.
                Any other file: one number a line; blank lines and # comments are ignored.
                Every bad line is reported as file:line:col: error: ...; then nothing is imported \
                (exit 2): fix the file and import it again. Imported numbers are suppressed for good.

                Examples:
                  outdial suppress import optouts.txt --reason "national do-not-call list"
                  outdial suppress import crm-export.csv --column "Mobile Phone"
                """
        )

        @Argument(help: ArgumentHelp("A .csv file, or a file of one number a line.", valueName: "FILE"))
        var file: String

        @Option(
            help: "The reason of numbers whose row gives none, e.g. --reason \"asked to stop\"."
        )
        var reason: String?

        @Option(
            help: ArgumentHelp(
                "The CSV column holding the numbers, as its header names it, e.g. --column \"Mobile Phone\".",
                valueName: "NAME"
            )
        )
        var column: String?

        @OptionGroup var state: StateDirectoryOption

        func run() async throws {
            try await LedgerAccess.with(state, creating: true) { ledger in
                guard let ledger else { return }
                let result = try await ledger.importSuppressions(path: file, column: column, reason: reason)
                let already = result.numbers - result.added
                try LedgerAccess.print([
                    "\(result.numbers) \(result.numbers == 1 ? "number" : "numbers") imported from \(file): "
                        + "\(result.added) new, \(already) already listed"
                ])
            }
        }
    }
}
