/// A problem with the run's records (state directory, journal, lock, results file) that stops
/// the run. `code` is the stable short name; `message` says what to do about it.
public struct RecordingError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The stable short name (an `ErrorCode`), as it appears in results and summaries.
    public let code: String
    /// A sentence for the user.
    public let message: String

    private init(_ code: String, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { "\(code): \(message)" }

    /// The ledger cannot be opened, is not an outdial ledger, or is damaged.
    public static func ledgerUnusable(_ path: String, _ reason: String) -> RecordingError {
        RecordingError(ErrorCode.ledgerUnusable, "the ledger \(path) is not usable: \(reason)")
    }

    /// The ledger's schema is newer than this outdial knows.
    public static func ledgerTooNew(_ path: String, version: Int, known: Int) -> RecordingError {
        RecordingError(
            ErrorCode.ledgerTooNew,
            "the ledger \(path) has schema version \(version), written by a newer outdial; this one knows up to "
                + "version \(known): upgrade outdial, or use another --state-dir"
        )
    }

    /// The connection to the ledger's server was lost (the server restarted, the network was
    /// cut): what was being written may or may not be committed; the next statement connects again.
    public static func ledgerUnreachable(_ path: String, _ reason: String) -> RecordingError {
        RecordingError(ErrorCode.ledgerUnreachable, "cannot reach the ledger \(path): \(reason)")
    }

    /// An intent or outcome could not be committed to the ledger.
    public static func ledgerWriteFailed(_ path: String, _ reason: String) -> RecordingError {
        RecordingError(ErrorCode.ledgerWriteFailed, "cannot write the ledger \(path): \(reason)")
    }

    /// The ledger stayed locked by another process.
    public static func ledgerBusy(_ path: String, seconds: Int) -> RecordingError {
        RecordingError(
            ErrorCode.ledgerBusy,
            "the ledger \(path) stayed locked by another process for \(seconds) s; nothing was sent"
        )
    }

    /// The state directory cannot be created or written.
    public static func stateDirectoryUnusable(_ path: String, _ reason: String) -> RecordingError {
        RecordingError(ErrorCode.stateDirectoryUnusable, "state directory \(path) is not usable: \(reason)")
    }

    /// A journal exists but cannot be read.
    public static func journalUnreadable(_ path: String, _ reason: String) -> RecordingError {
        RecordingError(ErrorCode.journalUnreadable, "cannot read journal \(path): \(reason)")
    }

    /// Another run of the same job holds its lock.
    public static func jobLocked(job: String, holder: String) -> RecordingError {
        RecordingError(
            ErrorCode.jobLocked,
            "job \(job) is already running (\(holder)); refusing to run it twice at once"
        )
    }

    /// The results file cannot be opened or written.
    public static func outputUnusable(_ path: String, _ reason: String) -> RecordingError {
        RecordingError(ErrorCode.outputUnusable, "cannot write results to \(path): \(reason)")
    }
}
