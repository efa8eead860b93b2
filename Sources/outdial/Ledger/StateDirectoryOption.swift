import ArgumentParser
import Foundation
import OutdialCore

/// `--state-dir DIR` of the ledger commands, resolved as `run` resolves it.
struct StateDirectoryOption: ParsableArguments {
    @Option(
        name: .customLong("state-dir"),
        help: ArgumentHelp(
            "The directory of the ledger (outdial.sqlite), e.g. --state-dir /var/lib/outdial. Default: "
                + "OUTDIAL_STATE_DIR, $XDG_STATE_HOME/outdial, ~/.local/state/outdial.",
            valueName: "DIR"
        )
    )
    var stateDir: String?

    /// The state directory, or nil when nothing names one.
    var directory: StateDirectory? {
        StateDirectory.resolve(option: stateDir, environment: ProcessInfo.processInfo.environment)
    }
}
