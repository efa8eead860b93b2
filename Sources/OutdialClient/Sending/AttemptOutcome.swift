import OutdialCore

/// What one attempt to start a contact came to, classified where it was received: whether
/// another attempt may help, whether the answer asks to slow down, whether the request may have
/// started a contact. The executor and the retry policy only read this classification.
public enum AttemptOutcome: Sendable {
    /// How an error answer or a failure to send is to be treated.
    public enum Failure: Sendable, Hashable {
        /// Another attempt would fail the same way (a bad number, access denied).
        case permanent
        /// Another attempt may succeed (5xx, a refused connection).
        case transient
        /// Another attempt may succeed, more slowly: the rate goes down (429, throttling codes).
        case throttling

        /// Whether another attempt may help.
        public var isRetryable: Bool { self != .permanent }
    }

    /// Connect accepted the request.
    case started(contactId: String, milliseconds: Int)
    /// Connect answered with an error (`error.http` is the status).
    case failed(RowError, Failure)
    /// The request may have reached Connect, but no answer came (timeout, connection lost after
    /// sending, cancelled in flight): the row is uncertain unless a retry with the same
    /// ClientToken settles it. Always worth another attempt.
    case unknown(RowError)
    /// The request certainly did not leave this machine (connection refused, DNS failure).
    case notSent(RowError, Failure)
    /// Nothing more can be sent in this run: credentials refused.
    case fatal(RowError)

    /// Whether another attempt may help.
    public var isRetryable: Bool {
        switch self {
        case .started, .fatal: false
        case .unknown: true
        case .failed(_, let failure), .notSent(_, let failure): failure.isRetryable
        }
    }

    /// Whether the answer asks the caller to slow down.
    public var isThrottling: Bool {
        if case .failed(_, .throttling) = self { return true }
        return false
    }

    /// Whether the request may have started a contact without this attempt learning it.
    public var isUncertain: Bool {
        if case .unknown = self { return true }
        return false
    }

    /// The error of a failed attempt.
    public var error: RowError? {
        switch self {
        case .started: nil
        case .failed(let error, _), .unknown(let error), .notSent(let error, _), .fatal(let error): error
        }
    }
}
