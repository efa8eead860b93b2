import AWSSigV4
import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import NIOHTTP1
import OutdialBase
import OutdialCore

/// Sends StartOutboundVoiceContact to Amazon Connect (or a stand-in): `PUT /contact/outbound-voice`
/// with the planned body, signed with SigV4 for service `connect`, one attempt per call.
///
/// The `HTTPClient` belongs to the caller, who creates one per run (see
/// ``withConnectClient(options:environment:concurrency:timeout:version:instanceARNRegion:logger:_:)``)
/// with ``ConnectClient/httpClientConfiguration(options:concurrency:)``.
public struct ConnectClient: ContactSender {
    /// What a client sends to and how.
    public struct Configuration: Sendable {
        /// Where requests go.
        public var endpoint: ConnectEndpoint
        /// The region requests are signed for.
        public var region: String
        /// The time limit of one attempt (`--timeout`, default 10 seconds).
        public var timeout: Duration
        /// The `User-Agent` header.
        public var userAgent: String
        /// Log each request and response at debug level (`--debug`).
        public var debug: Bool

        /// - Parameters:
        ///   - version: outdial's version, for `User-Agent: outdial/VERSION (swift; linux)`.
        public init(
            endpoint: ConnectEndpoint,
            region: String,
            timeout: Duration = .seconds(10),
            version: String,
            debug: Bool = false
        ) {
            self.endpoint = endpoint
            self.region = region
            self.timeout = timeout
            self.userAgent = Self.userAgent(version: version)
            self.debug = debug
        }

        /// `outdial/VERSION (swift; OS)`.
        public static func userAgent(version: String) -> String {
            #if os(Linux)
                let system = "linux"
            #elseif os(macOS)
                let system = "macos"
            #else
                let system = "unknown"
            #endif
            return "outdial/\(version) (swift; \(system))"
        }
    }

    let httpClient: HTTPClient
    /// What this client sends to and how.
    public let configuration: Configuration
    let credentials: any CredentialProvider
    let logger: Logger
    let now: @Sendable () -> Date

    /// - Parameters:
    ///   - httpClient: the run's client; the caller shuts it down.
    ///   - credentials: usually a ``CredentialCache`` over ``CredentialProviderChain/standard(sharedConfig:environment:httpClient:)``.
    ///   - logger: where `--debug` output goes (at debug level).
    ///   - now: the clock for signing.
    public init(
        httpClient: HTTPClient,
        configuration: Configuration,
        credentials: any CredentialProvider,
        logger: Logger,
        now: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.httpClient = httpClient
        self.configuration = configuration
        self.credentials = credentials
        self.logger = logger
        self.now = now
    }

    /// Makes one attempt to start the row's contact.
    public func send(_ row: PlannedRow, attempt: Int) async -> AttemptOutcome {
        let clock = ContinuousClock()
        let start = clock.now
        func elapsed() -> Int { (clock.now - start).inMilliseconds }

        let current: AWSCredentials
        do {
            current = try await credentials.credentials()
        } catch let error as AWSConfigurationError {
            return .fatal(RowError(code: error.code, message: error.message, retryable: false))
        } catch {
            let failure = AWSConfigurationError.noCredentials("\(error)")
            return .fatal(RowError(code: failure.code, message: failure.message, retryable: false))
        }

        let request = makeRequest(body: row.body, credentials: current)
        if configuration.debug {
            logRequest(request, row: row, attempt: attempt)
        }

        let status: Int
        let headers: [(name: String, value: String)]
        let body: [UInt8]
        do {
            let response = try await httpClient.execute(request, timeout: TimeAmount(configuration.timeout))
            let buffer = try await response.body.collect(upTo: 1 << 20)
            status = Int(response.status.code)
            headers = response.headers.map { (name: $0.name, value: $0.value) }
            body = Array(buffer: buffer)
        } catch {
            let outcome = Self.outcome(of: error, endpoint: configuration.endpoint, timeout: configuration.timeout)
            if configuration.debug {
                logger.debug(
                    "no response after \(elapsed()) ms: \(error)",
                    metadata: Self.metadata(row: row, attempt: attempt)
                )
            }
            return outcome
        }
        let milliseconds = elapsed()
        if configuration.debug {
            logResponse(
                status: status,
                headers: headers,
                body: body,
                milliseconds: milliseconds,
                row: row,
                attempt: attempt
            )
        }
        return Self.outcome(status: status, headers: headers, body: body, milliseconds: milliseconds)
    }

    /// The signed request for a body.
    func makeRequest(body: [UInt8], credentials: AWSCredentials) -> HTTPClientRequest {
        makeRequest(method: .PUT, path: "/contact/outbound-voice", body: body, credentials: credentials)
    }

    /// The signed request of an operation: `path` below the endpoint's, a JSON body (empty for GET).
    func makeRequest(method: HTTPMethod, path: String, body: [UInt8], credentials: AWSCredentials)
        -> HTTPClientRequest
    {
        let endpoint = configuration.endpoint
        let contentType = "application/json"
        let signer = SigV4Signer(credentials: credentials, region: configuration.region, service: "connect")
        let signed = signer.sign(
            method: method.rawValue,
            path: endpoint.basePath + path,
            host: endpoint.hostHeader,
            headers: [(name: "content-type", value: contentType)],
            body: body,
            date: now()
        )
        var request = HTTPClientRequest(url: endpoint.url + path)
        request.method = method
        request.headers.add(name: "Host", value: endpoint.hostHeader)
        request.headers.add(name: "Content-Type", value: contentType)
        request.headers.add(name: "User-Agent", value: configuration.userAgent)
        for header in signed.headers {
            request.headers.add(name: header.name, value: header.value)
        }
        request.body = .bytes(body)
        return request
    }
}

extension TimeAmount {
    init(_ duration: Duration) {
        let (seconds, attoseconds) = duration.components
        self = .nanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
    }
}
