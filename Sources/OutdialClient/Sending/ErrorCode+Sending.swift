import OutdialCore

/// The codes the sending side writes into `error.code` (result lines, journal outcomes, the
/// summary's abort). Codes Connect sends back are passed through as it names them.
extension ErrorCode {
    /// No answer within `--timeout` after the request was sent: the outcome is unknown.
    public static let timeout = "Timeout"
    /// No connection could be made to the endpoint in time: nothing was sent.
    public static let connectTimeout = "ConnectTimeout"
    /// The connection was lost after the request may have been sent: the outcome is unknown.
    public static let connectionError = "ConnectionError"
    /// The endpoint refused the connection: nothing was sent.
    public static let connectionRefused = "ConnectionRefused"
    /// The connection could not be made for another reason: nothing was sent.
    public static let connectionFailed = "ConnectionFailed"
    /// The endpoint's host name does not resolve: nothing was sent.
    public static let hostNotFound = "HostNotFound"
    /// The TLS handshake failed (certificate refused, protocol mismatch): nothing was sent.
    public static let tlsError = "TLSError"
    /// The HTTP client was already shut down: nothing was sent.
    public static let clientShutDown = "ClientShutDown"
    /// A request in flight was cancelled (a second interrupt): its outcome is unknown.
    public static let cancelled = "Cancelled"
    /// Connect answered 200 without a ContactId: the outcome is unknown.
    public static let invalidResponse = "InvalidResponse"
    /// The run stopped after `--halt-after` consecutive rows refused with the same code.
    public static let halted = "Halted"
    /// The run stopped after `unreachableAfter` consecutive rows none of whose attempts left
    /// the machine.
    public static let endpointUnreachable = "EndpointUnreachable"
    /// An earlier run sent the row and never learned its outcome; it is not sent again.
    public static let outcomeUnknown = "OutcomeUnknown"
    /// Journal outcome of a row whose intent was recorded but whose request was never sent
    /// because the run was interrupted (resume sends it).
    public static let interrupted = "Interrupted"
    /// The error a dry run's sender would give: a dry run sends nothing.
    public static let dryRun = "DryRun"
    /// A row settled without any attempt being made (should not be seen).
    public static let noAttempt = "NoAttempt"
    /// Sending could not be set up for a reason without a code of its own.
    public static let sendSetupFailed = "SendSetupFailed"

    /// The code of an error answer that names no error type: `HTTP503`.
    public static func http(_ status: Int) -> String { "HTTP\(status)" }
}
