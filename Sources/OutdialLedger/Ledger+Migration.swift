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
        let from = try await storedVersion(in: directory, busyTimeout: busyTimeout)
        let ledger = try await open(in: directory, busyTimeout: busyTimeout, wallClock: wallClock)
        return (ledger, from, LedgerSchema.currentVersion)
    }

    /// The schema version of the store in `directory` as it is, without migrating it: 0 when
    /// there is none yet.
    private static func storedVersion(in directory: StateDirectory, busyTimeout: Duration) async throws(RecordingError)
        -> Int
    {
        guard exists(in: directory) else { return 0 }
        let path = directory.path + "/" + fileName
        let probe: Ledger
        do {
            let database = try await SQLiteLedgerDatabase.open(path: path, busyTimeout: busyTimeout)
            probe = Ledger(path: path, database: database, busyTimeout: busyTimeout, wallClock: { Date() })
        } catch {
            throw error.recordingError(path: path, busyTimeout: busyTimeout, opening: true)
        }
        let version: Int
        do {
            version = try await probe.schemaVersion()
        } catch {
            await probe.close()
            throw error.recordingError(path: path, busyTimeout: busyTimeout, opening: true)
        }
        await probe.close()
        return version
    }
}
