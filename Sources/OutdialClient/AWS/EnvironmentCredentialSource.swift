import AWSSigV4

/// `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY` and `AWS_SESSION_TOKEN` (or the older
/// `AWS_SECURITY_TOKEN`).
public struct EnvironmentCredentialSource: CredentialSource {
    private let environment: AWSEnvironment

    /// Reads the given snapshot.
    public init(environment: AWSEnvironment) {
        self.environment = environment
    }

    public var location: String { "environment (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY)" }

    public func load() async throws -> AWSCredentials? {
        let key = environment["AWS_ACCESS_KEY_ID"]
        let secret = environment["AWS_SECRET_ACCESS_KEY"]
        switch (key, secret) {
        case (nil, nil):
            return nil
        case (.some, nil):
            throw AWSConfigurationError.partialCredentials(
                "AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is not"
            )
        case (nil, .some):
            throw AWSConfigurationError.partialCredentials(
                "AWS_SECRET_ACCESS_KEY is set but AWS_ACCESS_KEY_ID is not"
            )
        case (.some(let key), .some(let secret)):
            return AWSCredentials(
                accessKeyId: key,
                secretAccessKey: secret,
                sessionToken: environment["AWS_SESSION_TOKEN"] ?? environment["AWS_SECURITY_TOKEN"]
            )
        }
    }
}
