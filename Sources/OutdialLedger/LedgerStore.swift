import Foundation
import OutdialBase
import OutdialCore

/// The ledger of a state directory as runs use it: opened on first use, once, and kept open for
/// every run of the process (a spool pass runs one per file).
public actor LedgerStore: RunRecordsStore {
    /// The state directory.
    public nonisolated let directory: StateDirectory
    private let busyTimeout: Duration
    private let wallClock: @Sendable () -> Date
    private var ledger: Ledger?

    public init(
        directory: StateDirectory,
        busyTimeout: Duration = Ledger.defaultBusyTimeout,
        wallClock: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.directory = directory
        self.busyTimeout = busyTimeout
        self.wallClock = wallClock
    }

    /// The ledger, opened (and migrated) on first use.
    public func open() async throws(RecordingError) -> Ledger {
        if let ledger { return ledger }
        let opened = try await Ledger.open(in: directory, busyTimeout: busyTimeout, wallClock: wallClock)
        ledger = opened
        return opened
    }

    public func beginRun(jobs: Set<String>, sources: Set<String>, rules: [String: JobRules], command: String)
        async throws(RecordingError)
        -> any RunRecords
    {
        try await open().beginRun(
            jobs: jobs,
            sources: sources,
            rules: rules,
            command: command,
            earlierJournals: directory
        )
    }

    public func peek(jobs: Set<String>, rules: [String: JobRules]) async throws(RecordingError) -> (any RunRecords)? {
        guard ledger != nil || Ledger.exists(in: directory) else { return nil }
        return try await open().peekRun(jobs: jobs, rules: rules, earlierJournals: directory)
    }

    public func close() async {
        await ledger?.close()
        ledger = nil
    }
}
