// The codes of `RecordingError`: problems with the run's records that stop the run.
extension ErrorCode {
    /// The state directory cannot be created, written, or is open to other users.
    public static let stateDirectoryUnusable = "StateDirectoryUnusable"
    /// A journal an earlier version kept exists but cannot be read.
    public static let journalUnreadable = "JournalUnreadable"
    /// Another run of the same job holds its lock.
    public static let jobLocked = "JobLocked"
    /// The results file cannot be opened or written.
    public static let outputUnusable = "OutputUnusable"
    /// The ledger (`outdial.sqlite`) cannot be opened, is not an outdial ledger, or is damaged.
    public static let ledgerUnusable = "LedgerUnusable"
    /// The ledger was written by a newer outdial (its schema version is higher than this one knows).
    public static let ledgerTooNew = "LedgerTooNew"
    /// An intent or outcome could not be committed to the ledger (read-only, full disk, I/O error).
    public static let ledgerWriteFailed = "LedgerWriteFailed"
    /// The connection to the ledger's server was lost; it is made again at the next statement.
    public static let ledgerUnreachable = "LedgerUnreachable"
    /// The ledger stayed locked by another process longer than outdial waits.
    public static let ledgerBusy = "LedgerBusy"
    /// The destination is on the suppression list (`skipped: suppressed`).
    public static let suppressed = "Suppressed"
    /// A communication limit would be broken (`skipped: limit`).
    public static let limitReached = "LimitReached"
}
