import ArgumentParser

/// `outdial suppress add|import|remove|list`: the do-not-call list of the ledger.
struct SuppressCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "suppress",
        abstract: "Keep the do-not-call list: numbers no job may call.",
        discussion: """
            The list is in the ledger (STATE_DIR/outdial.sqlite), shared by every job that uses the \
            same state directory. A row whose destination is on it is skipped with reason suppressed; \
            a number added while a run is going takes effect for the rows it has not started yet.
            Numbers are normalised as job files are (E.164: +, country code and number; spaces, -, ., \
            ( and ) are ignored; no country code is assumed).
            Exit status: 0 when done, 2 when a number or a file must be fixed, 3 when the ledger cannot \
            be used.

            Examples:
              outdial suppress add +15551230001 --reason "asked to stop"
              outdial suppress import optouts.csv --column Phone
              outdial suppress list --json
            """,
        subcommands: [Add.self, Import.self, Remove.self, List.self]
    )
}
