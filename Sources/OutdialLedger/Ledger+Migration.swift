import Foundation
import OutdialCore

extension Ledger {
    /// Opens the ledger of `directory` (creating it when needed) and brings its schema up to
    /// date, telling from which version: what `outdial ledger migrate` shows. `open(in:)` migrates
    /// as well, without saying.
    /// - Returns: the open ledger, and the schema version before and after.
    /// - Throws: the `RecordingError`s of `open(in:)`.
    public static func openMigrating(
        in directory: StateDirectory,
        busyTimeout: Duration = defaultBusyTimeout,
        wallClock: @escaping @Sendable () -> Date = { Date() }
    ) async throws(RecordingError) -> (ledger: Ledger, from: Int, to: Int) {
        try directory.prepare()
        let path = directory.path + "/" + fileName
        let database: SQLiteLedgerDatabase
        do {
            database = try await SQLiteLedgerDatabase.open(path: path, busyTimeout: busyTimeout)
        } catch {
            throw error.recordingError(path: path, busyTimeout: busyTimeout, opening: true)
        }
        let ledger = Ledger(path: path, database: database, busyTimeout: busyTimeout, wallClock: wallClock)
        do {
            let versions = try await ledger.migrate(busyTimeout: busyTimeout)
            return (ledger, versions.from, versions.to)
        } catch {
            await ledger.close()
            throw error
        }
    }
}
