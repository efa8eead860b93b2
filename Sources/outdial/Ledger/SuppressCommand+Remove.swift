import ArgumentParser
import OutdialCore
import OutdialLedger

extension SuppressCommand {
    /// `outdial suppress remove NUMBER`.
    struct Remove: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "remove",
            abstract: "Take a number off the do-not-call list.",
            discussion: """
                Exit status 1 when the number was not on the list.

                Example: outdial suppress remove +15551230001
                """
        )

        @Argument(help: ArgumentHelp("The number, E.164, e.g. +15551230001.", valueName: "NUMBER"))
        var number: String

        @OptionGroup var state: StateDirectoryOption

        func run() async throws {
            try LedgerAccess.checkNumber(number)
            var found = false
            try await LedgerAccess.with(state, creating: false) { ledger in
                found = try await ledger?.removeSuppression(number: number) ?? false
            }
            if !found {
                Console.error("outdial: \(number) is not on the suppression list")
                throw ExitCode(1)
            }
            try LedgerAccess.print(["removed \(PhoneNumber.normalise(number) ?? number) from the suppression list"])
        }
    }
}
