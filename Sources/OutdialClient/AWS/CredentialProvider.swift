import AWSSigV4

/// Gives the credentials to sign with. Implementations may fetch and refresh them; wrap one in a
/// ``CredentialCache`` to fetch once and refresh before expiry.
public protocol CredentialProvider: Sendable {
    /// The current credentials.
    /// - Throws: ``AWSConfigurationError`` when there are none, naming where it looked.
    func credentials() async throws -> AWSCredentials
}

/// One place the credential chain looks (environment, profile, container, instance metadata).
public protocol CredentialSource: Sendable {
    /// Where it looks, for messages, e.g. `environment (AWS_ACCESS_KEY_ID)`. Never a secret.
    var location: String { get }
    /// The credentials found here, or `nil` when none are configured here (the chain then looks
    /// further).
    /// - Throws: ``AWSConfigurationError`` when credentials are configured here but unusable.
    func load() async throws -> AWSCredentials?
}

/// Fixed credentials (tests, `--simulate`).
public struct StaticCredentialProvider: CredentialProvider {
    private let value: AWSCredentials

    /// Always gives `credentials`.
    public init(_ credentials: AWSCredentials) {
        self.value = credentials
    }

    public func credentials() async throws -> AWSCredentials { value }
}
