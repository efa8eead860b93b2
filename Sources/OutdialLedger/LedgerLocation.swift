import Foundation
import OutdialBase
import OutdialCore

/// Where the ledger is: the SQLite file of a state directory (one machine), or a PostgreSQL
/// server (several machines sharing one history and one quota).
public enum LedgerLocation: Sendable, Hashable, CustomStringConvertible {
    /// `outdial.sqlite` in the directory.
    case directory(StateDirectory)
    /// A PostgreSQL database. The state directory, when one resolves, is still read for the
    /// journals an earlier version kept per job (never written, never created).
    case postgres(PostgresLocation, journals: StateDirectory?)

    /// The store, for messages: the file's path, or the server's URL (never a password).
    public var description: String {
        switch self {
        case .directory(let directory): Ledger.path(in: directory)
        case .postgres(let location, _): location.description
        }
    }

    /// Resolves where the ledger is. A value that is a `postgres://` (or `postgresql://`) URL
    /// names a PostgreSQL store; any other names a state directory. In order: `option`
    /// (`--state` or `--state-dir`), `OUTDIAL_STATE_URL`, then the state directory's own order
    /// (`OUTDIAL_STATE_DIR`, `$XDG_STATE_HOME/outdial`, `~/.local/state/outdial`).
    /// - Parameters:
    ///   - environment: the process environment (passed in; this library never reads it itself).
    ///   - warn: told about a password file that is ignored.
    /// - Returns: nil when nothing names a store (no option, no variables, no `HOME`).
    /// - Throws: `RecordingError.ledgerUnusable` for a URL that cannot be used (it is not repeated:
    ///   it might hold a password).
    public static func resolve(
        option: String?,
        environment: [String: String],
        warn: (String) -> Void = Self.warnOnStandardError
    ) throws(RecordingError) -> LedgerLocation? {
        let url: String? =
            if let option, !option.isEmpty {
                PostgresLocation.isURL(option) ? option : nil
            } else {
                environment["OUTDIAL_STATE_URL"].flatMap { $0.isEmpty ? nil : $0 }
            }
        guard let url else {
            return StateDirectory.resolve(option: option, environment: environment).map { .directory($0) }
        }
        do {
            let location = try PostgresLocation(url: url, environment: environment, warn: warn)
            let journals = StateDirectory.resolve(option: nil, environment: environment)
            return .postgres(location, journals: journals)
        } catch {
            throw .ledgerUnusable("postgres://…", error.reason + " (the form is postgres://user@host:port/database)")
        }
    }

    /// Writes `outdial: warning: <text>` to standard error.
    public static func warnOnStandardError(_ text: String) {
        _ = POSIX.writeAll(STDERR_FILENO, Array("outdial: warning: \(text)\n".utf8))
    }

    /// The state directory whose journals earlier versions kept, if any.
    var journals: StateDirectory? {
        switch self {
        case .directory(let directory): directory
        case .postgres(_, let journals): journals
        }
    }

    /// Whether the store may exist: the SQLite file does, or the store is a server (asked when
    /// connected). A dry run reads a store only then, and never creates a file.
    public var mayExist: Bool {
        switch self {
        case .directory(let directory): Ledger.exists(in: directory)
        case .postgres: true
        }
    }

    /// A new connection to the store (which must exist: nothing is created).
    func connect(busyTimeout: Duration) async throws(LedgerDatabaseError) -> any LedgerDatabase {
        switch self {
        case .directory(let directory):
            return try await SQLiteLedgerDatabase.open(path: Ledger.path(in: directory), busyTimeout: busyTimeout)
        case .postgres(let location, _):
            return try await PostgresLedgerDatabase.connect(to: location, busyTimeout: busyTimeout)
        }
    }
}
