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

    /// The state directory cannot be created or written.
    public static func stateDirectoryUnusable(_ path: String, _ reason: String) -> RecordingError {
        RecordingError(ErrorCode.stateDirectoryUnusable, "state directory \(path) is not usable: \(reason)")
    }

    /// A journal exists but cannot be read.
    public static func journalUnreadable(_ path: String, _ reason: String) -> RecordingError {
        RecordingError(ErrorCode.journalUnreadable, "cannot read journal \(path): \(reason)")
    }

    /// An intent or outcome record could not be made durable.
    public static func journalWriteFailed(_ path: String, _ reason: String) -> RecordingError {
        RecordingError(ErrorCode.journalWriteFailed, "cannot write journal \(path): \(reason)")
    }

    /// Another run of the same job holds its lock.
    public static func jobLocked(job: String, holder: String) -> RecordingError {
        RecordingError(
            ErrorCode.jobLocked,
            "job \(job) is already running (\(holder)); refusing to run it twice at once"
        )
    }

    /// The lock file cannot be opened or locked.
    public static func lockFailed(_ path: String, _ reason: String) -> RecordingError {
        RecordingError(ErrorCode.lockFailed, "cannot lock \(path): \(reason)")
    }

    /// The results file cannot be opened or written.
    public static func outputUnusable(_ path: String, _ reason: String) -> RecordingError {
        RecordingError(ErrorCode.outputUnusable, "cannot write results to \(path): \(reason)")
    }
}
