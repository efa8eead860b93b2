import OutdialCore

/// A problem with the AWS setup that stops the run: no credentials, a broken profile, no region,
/// an unusable endpoint. ``code`` is the stable short name (an ``ErrorCode`` constant) that goes
/// into results and that tests compare; ``message`` says what was found, where, and what is
/// allowed, without the code. Neither ever holds a secret.
///
/// ``description`` is the message alone: every place that shows this error (the result line's
/// `error`, the summary's `aborted:` line, the log) shows the code in a field of its own, so
/// `"\(error)"` must not repeat it.
public struct AWSConfigurationError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The stable short name, e.g. `NoCredentials` (``ErrorCode/noCredentials``).
    public let code: String
    /// What went wrong and where outdial looked, without the code.
    public let message: String

    private init(_ code: String, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }

    /// The end of the messages that say no credentials, region or endpoint can be used.
    static let simulateHint = "or try --simulate: the built-in simulator, no AWS account needed"

    /// No provider of the chain had credentials.
    public static func noCredentials(_ message: String) -> Self { .init(ErrorCode.noCredentials, message) }
    /// The chosen profile is in neither file.
    public static func profileNotFound(_ message: String) -> Self { .init(ErrorCode.profileNotFound, message) }
    /// An access key without its secret, or the reverse.
    public static func partialCredentials(_ message: String) -> Self {
        .init(ErrorCode.partialCredentials, message)
    }
    /// A config or credentials file that cannot be read or parsed.
    public static func invalidConfigFile(_ message: String) -> Self { .init(ErrorCode.invalidConfigFile, message) }
    /// `credential_process` failed or printed something unusable.
    public static func credentialProcessFailed(_ message: String) -> Self {
        .init(ErrorCode.credentialProcessFailed, message)
    }
    /// The container credentials endpoint is misconfigured or failed.
    public static func containerCredentialsFailed(_ message: String) -> Self {
        .init(ErrorCode.containerCredentialsFailed, message)
    }
    /// The EC2 instance metadata service is misconfigured or failed.
    public static func instanceMetadataFailed(_ message: String) -> Self {
        .init(ErrorCode.instanceMetadataFailed, message)
    }
    /// No region anywhere.
    public static func noRegion(_ message: String) -> Self { .init(ErrorCode.noRegion, message) }
    /// A region that cannot be part of a host name.
    public static func invalidRegion(_ message: String) -> Self { .init(ErrorCode.invalidRegion, message) }
    /// An endpoint URL that is not an absolute http(s) URL with a host and a port 1-65535.
    public static func invalidEndpoint(_ message: String) -> Self { .init(ErrorCode.invalidEndpoint, message) }
    /// A `--ca-bundle` that cannot be read.
    public static func invalidCABundle(_ message: String) -> Self { .init(ErrorCode.invalidCABundle, message) }
    /// A `--cli-connect-timeout` that is not a finite number of seconds in range.
    public static func invalidConnectTimeout(_ message: String) -> Self {
        .init(ErrorCode.invalidConnectTimeout, message)
    }
}
