/// A problem with the AWS setup that stops the run: no credentials, a broken profile, no region,
/// an unusable endpoint. ``code`` is the stable short name that goes into results and that tests
/// compare; ``message`` says where outdial looked. Neither ever holds a secret.
public struct AWSConfigurationError: Error, Sendable, Hashable, CustomStringConvertible {
    private enum Code: String, Sendable, Hashable {
        case noCredentials = "NoCredentials"
        case profileNotFound = "ProfileNotFound"
        case partialCredentials = "PartialCredentials"
        case invalidConfigFile = "InvalidConfigFile"
        case credentialProcessFailed = "CredentialProcessFailed"
        case containerCredentialsFailed = "ContainerCredentialsFailed"
        case instanceMetadataFailed = "InstanceMetadataFailed"
        case noRegion = "NoRegion"
        case invalidRegion = "InvalidRegion"
        case invalidEndpoint = "InvalidEndpoint"
        case invalidCABundle = "InvalidCABundle"
    }

    private let _code: Code
    /// What went wrong and where outdial looked.
    public let message: String

    private init(_ code: Code, _ message: String) {
        self._code = code
        self.message = message
    }

    /// The stable short name, e.g. `NoCredentials`.
    public var code: String { _code.rawValue }

    public var description: String { "\(code): \(message)" }

    /// No provider of the chain had credentials.
    public static func noCredentials(_ message: String) -> Self { .init(.noCredentials, message) }
    /// The chosen profile is in neither file.
    public static func profileNotFound(_ message: String) -> Self { .init(.profileNotFound, message) }
    /// An access key without its secret, or the reverse.
    public static func partialCredentials(_ message: String) -> Self { .init(.partialCredentials, message) }
    /// A config or credentials file that cannot be read or parsed.
    public static func invalidConfigFile(_ message: String) -> Self { .init(.invalidConfigFile, message) }
    /// `credential_process` failed or printed something unusable.
    public static func credentialProcessFailed(_ message: String) -> Self { .init(.credentialProcessFailed, message) }
    /// The container credentials endpoint failed.
    public static func containerCredentialsFailed(_ message: String) -> Self {
        .init(.containerCredentialsFailed, message)
    }
    /// The EC2 instance metadata service failed.
    public static func instanceMetadataFailed(_ message: String) -> Self { .init(.instanceMetadataFailed, message) }
    /// No region anywhere.
    public static func noRegion(_ message: String) -> Self { .init(.noRegion, message) }
    /// A region that cannot be part of a host name.
    public static func invalidRegion(_ message: String) -> Self { .init(.invalidRegion, message) }
    /// An endpoint URL that is not an absolute http(s) URL.
    public static func invalidEndpoint(_ message: String) -> Self { .init(.invalidEndpoint, message) }
    /// A `--ca-bundle` that cannot be read.
    public static func invalidCABundle(_ message: String) -> Self { .init(.invalidCABundle, message) }
}
