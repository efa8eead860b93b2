import ArgumentParser
import Foundation
import OutdialCore
import OutdialLedger

/// `--state URL|DIR` and `--state-dir DIR` of the ledger commands, resolved as `run` resolves them.
struct StateDirectoryOption: ParsableArguments {
    @Option(
        name: .customLong("state"),
        help: ArgumentHelp(
            "The ledger: a PostgreSQL URL shared by several machines, e.g. "
                + "--state postgres://outdial@db.example.com/outdial?sslmode=verify-full (password from "
                + "PGPASSWORD or ~/.pgpass, never in the URL), or a directory as --state-dir. Default: "
                + "OUTDIAL_STATE_URL, then the state directory.",
            valueName: "URL|DIR"
        )
    )
    var state: String?

    @Option(
        name: .customLong("state-dir"),
        help: ArgumentHelp(
            "The directory of the ledger (outdial.sqlite), e.g. --state-dir /var/lib/outdial. Default: "
                + "OUTDIAL_STATE_DIR, $XDG_STATE_HOME/outdial, ~/.local/state/outdial.",
            valueName: "DIR"
        )
    )
    var stateDir: String?

    func validate() throws {
        if state != nil, stateDir != nil { throw ValidationError("give --state or --state-dir, not both") }
    }

    /// `--state`, else `--state-dir`: what `Runner.Configuration.state.directory` takes.
    var stateOption: String? { state ?? stateDir }

    /// Where the ledger is, or nil when nothing names it.
    /// - Throws: `RecordingError.ledgerUnusable` for a state URL that cannot be used.
    func location() throws(RecordingError) -> LedgerLocation? {
        try LedgerLocation.resolve(option: stateOption, environment: ProcessInfo.processInfo.environment)
    }
}
