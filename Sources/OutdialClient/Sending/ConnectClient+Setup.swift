import AsyncHTTPClient
import Foundation
import Logging
import NIOCore

extension ConnectClient {
    /// The `HTTPClient` configuration for a run: HTTP/1.1 with as many connections per host as
    /// requests in flight, no redirects, `--cli-connect-timeout` (default 60 s), TLS verified
    /// against the system roots, or `--ca-bundle`, or not at all with `--no-verify-ssl`.
    /// A refused connection fails at once (the executor decides about retrying).
    /// - Throws: ``AWSConfigurationError`` (`InvalidCABundle`) for an unreadable CA bundle,
    ///   (`InvalidConnectTimeout`) for a connect timeout that is not 0 < S <= 3600.
    public static func httpClientConfiguration(options: AWSOptions, concurrency: Int) throws -> HTTPClient.Configuration
    {
        var configuration = HTTPClient.Configuration()
        configuration.httpVersion = .http1Only
        configuration.redirectConfiguration = .disallow
        configuration.decompression = .disabled
        configuration.timeout = HTTPClient.Configuration.Timeout(
            connect: try connectTimeout(options.connectTimeout),
            read: nil
        )
        configuration.connectionPool = HTTPClient.Configuration.ConnectionPool(
            idleTimeout: .seconds(60),
            concurrentHTTP1ConnectionsPerHostSoftLimit: max(concurrency, 1)
        )
        configuration.connectionPool.retryConnectionEstablishment = false

        if options.caBundle != nil || options.noVerifySSL {
            configuration.tlsConfiguration = .makeClientConfiguration()
        }
        if let path = options.caBundle {
            guard let data = FileManager.default.contents(atPath: path) else {
                throw AWSConfigurationError.invalidCABundle("--ca-bundle \(path) cannot be read")
            }
            guard String(decoding: data, as: UTF8.self).contains("-----BEGIN CERTIFICATE-----") else {
                throw AWSConfigurationError.invalidCABundle("--ca-bundle \(path) holds no PEM certificate")
            }
            configuration.tlsConfiguration?.trustRoots = .file(path)
        }
        if options.noVerifySSL {
            configuration.tlsConfiguration?.certificateVerification = .none
        }
        return configuration
    }

    /// The longest `--cli-connect-timeout`, in seconds.
    static let connectTimeoutLimit = 3600.0

    /// `--cli-connect-timeout` as a `TimeAmount`: 60 seconds when not given.
    private static func connectTimeout(_ seconds: Double?) throws -> TimeAmount {
        guard let seconds else { return .seconds(60) }
        guard seconds.isFinite, seconds > 0, seconds <= connectTimeoutLimit else {
            throw AWSConfigurationError.invalidConnectTimeout(
                "--cli-connect-timeout is \(seconds); expected a number of seconds above 0 and at most "
                    + "\(Int(connectTimeoutLimit)), e.g. 5"
            )
        }
        return .milliseconds(Int64((seconds * 1000).rounded(.up)))
    }
}

/// Where a run sends: the shared config files read, the region and the endpoint resolved.
public struct ConnectSettings: Sendable {
    /// The config and credentials files and the chosen profile.
    public let sharedConfig: AWSSharedConfig
    /// The region requests are signed for.
    public let region: String
    /// Where requests go.
    public let endpoint: ConnectEndpoint

    /// Resolves region and endpoint (cli.md, "AWS options and environment").
    /// - Parameter instanceARNRegion: the region named by the job's instance ARN, if any.
    /// - Throws: ``AWSConfigurationError``.
    public init(options: AWSOptions, environment: AWSEnvironment, instanceARNRegion: String?) throws {
        sharedConfig = try AWSSharedConfig(options: options, environment: environment)
        region = try AWSRegion.resolve(
            options: options,
            environment: environment,
            sharedConfig: sharedConfig,
            instanceARNRegion: instanceARNRegion
        )
        endpoint = try ConnectEndpoint.resolve(
            options: options,
            environment: environment,
            sharedConfig: sharedConfig,
            region: region
        )
    }
}

/// Runs `body` with a ``ConnectClient`` for one run: resolves region, endpoint and credentials
/// (failing before anything is sent when there are none), creates the run's `HTTPClient`, and
/// shuts it down when `body` returns or throws.
/// - Parameters:
///   - concurrency: requests in flight at once (the per-host connection limit).
///   - timeout: the time limit of one attempt (`--timeout`).
///   - version: outdial's version, for `User-Agent`.
///   - instanceARNRegion: the region of the job's instance ARN, if any.
///   - logger: receives `--debug` output at debug level.
/// - Throws: ``AWSConfigurationError``, or what `body` throws.
public func withConnectClient<Result>(
    options: AWSOptions,
    environment: AWSEnvironment = .current(),
    concurrency: Int,
    timeout: Duration,
    version: String,
    instanceARNRegion: String?,
    logger: Logger,
    _ body: (ConnectClient) async throws -> Result
) async throws -> Result {
    let settings = try ConnectSettings(options: options, environment: environment, instanceARNRegion: instanceARNRegion)
    let configuration = try ConnectClient.httpClientConfiguration(options: options, concurrency: concurrency)
    return try await HTTPClient.withHTTPClient(configuration: configuration) { httpClient in
        let chain = CredentialProviderChain.standard(
            sharedConfig: settings.sharedConfig,
            environment: environment,
            httpClient: httpClient
        )
        let credentials = CredentialCache(provider: chain)
        _ = try await credentials.credentials()
        let client = ConnectClient(
            httpClient: httpClient,
            configuration: ConnectClient.Configuration(
                endpoint: settings.endpoint,
                region: settings.region,
                timeout: timeout,
                version: version,
                debug: options.debug
            ),
            credentials: credentials,
            logger: logger
        )
        if options.debug {
            logger.debug(
                "endpoint \(settings.endpoint.url) (from \(settings.endpoint.source)), region \(settings.region), profile \(settings.sharedConfig.profileName)"
            )
        }
        return try await body(client)
    }
}
