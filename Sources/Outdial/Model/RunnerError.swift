/// What stops a runner call before anything is sent: a usage problem the command reports with
/// exit status 2.
public struct RunnerError: Error, Sendable, CustomStringConvertible {
    /// The stable short name (an `ErrorCode` constant).
    public let code: String
    /// What went wrong, for people.
    public let message: String

    public init(code: String, message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }
}
