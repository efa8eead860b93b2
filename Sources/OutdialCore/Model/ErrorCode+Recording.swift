// The codes of `RecordingError`: problems with the run's records that stop the run.
extension ErrorCode {
    /// The state directory cannot be created, written, or is open to other users.
    public static let stateDirectoryUnusable = "StateDirectoryUnusable"
    /// A journal exists but cannot be read.
    public static let journalUnreadable = "JournalUnreadable"
    /// An intent or outcome record could not be made durable.
    public static let journalWriteFailed = "JournalWriteFailed"
    /// Another run of the same job holds its lock.
    public static let jobLocked = "JobLocked"
    /// The lock file cannot be opened or locked.
    public static let lockFailed = "LockFailed"
    /// The results file cannot be opened or written.
    public static let outputUnusable = "OutputUnusable"
}
