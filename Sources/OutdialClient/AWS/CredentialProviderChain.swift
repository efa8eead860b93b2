import AWSSigV4
import AsyncHTTPClient

/// Looks for credentials in its sources in order and gives the first found.
public struct CredentialProviderChain: CredentialProvider {
    /// The sources, in order.
    public let sources: [any CredentialSource]

    /// A chain over the given sources.
    public init(sources: [any CredentialSource]) {
        self.sources = sources
    }

    /// The chain of cli.md, as the AWS CLI looks: the environment (skipped when `--profile` is
    /// given), the profile (static keys in the credentials file, `credential_process`, static keys
    /// in the config file), container credentials, then the EC2 instance metadata service.
    /// - Parameter httpClient: the client for the container and instance metadata endpoints.
    public static func standard(
        sharedConfig: AWSSharedConfig,
        environment: AWSEnvironment,
        httpClient: HTTPClient
    ) -> CredentialProviderChain {
        var sources: [any CredentialSource] = []
        if !sharedConfig.profileIsExplicit {
            sources.append(EnvironmentCredentialSource(environment: environment))
        }
        sources.append(ProfileCredentialSource(sharedConfig: sharedConfig, environment: environment))
        sources.append(ContainerCredentialSource(environment: environment, httpClient: httpClient))
        sources.append(InstanceMetadataCredentialSource(environment: environment, httpClient: httpClient))
        return CredentialProviderChain(sources: sources)
    }

    public func credentials() async throws -> AWSCredentials {
        for source in sources {
            if let credentials = try await source.load() {
                return credentials
            }
        }
        throw AWSConfigurationError.noCredentials(
            "no AWS credentials found; looked in: " + sources.map(\.location).joined(separator: "; ")
                + ". Set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or name a profile with AWS_PROFILE or "
                + "--profile; " + AWSConfigurationError.simulateHint
        )
    }
}
