import Foundation
import OutdialBase
import OutdialCore

/// The ledger of a state directory (or a PostgreSQL server) as runs use it: opened on first use,
/// once, and kept open for every run of the process (a spool pass runs one per file).
public actor LedgerStore: RunRecordsStore {
    /// Where the store is, or why the place named cannot be used (a malformed state URL).
    private let resolved: Result<LedgerLocation, RecordingError>
    private let busyTimeout: Duration
    private let wallClock: @Sendable () -> Date
    private var ledger: Ledger?
    /// The rules being read whole for the next run's screen (`readRulesAhead()`).
    private var readAhead: ScreenReadAhead?
    private var readAheadTaken = false

    public init(
        location: LedgerLocation,
        busyTimeout: Duration = Ledger.defaultBusyTimeout,
        wallClock: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.resolved = .success(location)
        self.busyTimeout = busyTimeout
        self.wallClock = wallClock
    }

    /// A store named in a way that cannot be used: every run is refused with `error` before
    /// anything is sent.
    public init(unusable error: RecordingError) {
        self.resolved = .failure(error)
        self.busyTimeout = Ledger.defaultBusyTimeout
        self.wallClock = { Date() }
    }

    /// The ledger of a state directory.
    public init(
        directory: StateDirectory,
        busyTimeout: Duration = Ledger.defaultBusyTimeout,
        wallClock: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.init(location: .directory(directory), busyTimeout: busyTimeout, wallClock: wallClock)
    }

    /// The ledger, opened (and migrated) on first use.
    public func open() async throws(RecordingError) -> Ledger {
        if let ledger { return ledger }
        let opened = try await Ledger.open(at: resolved.get(), busyTimeout: busyTimeout, wallClock: wallClock)
        ledger = opened
        return opened
    }

    /// Starts reading, on a connection of its own, the rules the next run's screen needs (the
    /// suppression list, the attempts within the default limits' longest window), so the reading
    /// overlaps the planning of the rows. Nothing is started when there is no store yet: a dry
    /// run never creates one, and a first run has nothing to read.
    public func readRulesAhead() {
        guard readAhead == nil, !readAheadTaken, case .success(let location) = resolved, location.mayExist else {
            return
        }
        readAhead = ScreenReadAhead(location: location, busyTimeout: busyTimeout, wallClock: wallClock)
    }

    /// The rules read ahead, handed to the first run only (a later one would screen by older rules).
    private func takeReadAhead() -> ScreenReadAhead? {
        defer { readAheadTaken = true }
        return readAheadTaken ? nil : readAhead
    }

    public func beginRun(jobs: Set<String>, sources: Set<String>, rules: [String: JobRules], command: String)
        async throws(RecordingError)
        -> any RunRecords
    {
        try await begin(jobs: jobs, sources: sources, rules: rules, command: command, lease: nil)
    }

    public func beginWorkerRun(
        jobs: Set<String>,
        sources: Set<String>,
        rules: [String: JobRules],
        command: String,
        lease: Duration
    ) async throws(RecordingError) -> any RunRecords {
        try await begin(jobs: jobs, sources: sources, rules: rules, command: command, lease: lease)
    }

    /// A run of the jobs, or with `lease`, a worker's; only a run of its own screens by the rules
    /// read ahead (a worker's claims decide each row).
    private func begin(
        jobs: Set<String>,
        sources: Set<String>,
        rules: [String: JobRules],
        command: String,
        lease: Duration?
    ) async throws(RecordingError) -> any RunRecords {
        try await open().beginRun(
            jobs: jobs,
            sources: sources,
            rules: rules,
            command: command,
            earlierJournals: resolved.get().journals,
            readAhead: lease == nil ? takeReadAhead() : nil,
            lease: lease
        )
    }

    public func peek(jobs: Set<String>, rules: [String: JobRules]) async throws(RecordingError) -> (any RunRecords)? {
        let location = try resolved.get()
        guard ledger != nil || location.mayExist else { return nil }
        if ledger == nil, case .postgres = location {
            // A server's database is asked whether it holds a ledger; a dry run creates no tables.
            guard
                let opened = try await Ledger.openIfCreated(
                    at: location,
                    busyTimeout: busyTimeout,
                    wallClock: wallClock
                )
            else { return nil }
            ledger = opened
        }
        return try await open().peekRun(
            jobs: jobs,
            rules: rules,
            earlierJournals: location.journals,
            readAhead: takeReadAhead()
        )
    }

    public func close() async {
        await readAhead?.close()
        readAhead = nil
        await ledger?.close()
        ledger = nil
    }
}
