import AWSSigV4
import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import OutdialCore
import Testing

@testable import OutdialClient

/// Log messages kept in memory.
private final class LogStore: @unchecked Sendable {
    private let lock = NSLock()
    private var lines: [String] = []

    func append(_ line: String) {
        lock.withLock { lines.append(line) }
    }

    var text: String { lock.withLock { lines.joined(separator: "\n") } }
}

private struct CapturingLogHandler: LogHandler {
    let store: LogStore
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .trace

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        store.append("\(event.level) \(event.message) \(event.metadata ?? [:])")
    }
}

struct ConnectClientTests {
    static let body = Array(
        #"{"ClientToken":"tok-1","ContactFlowId":"flow-1","DestinationPhoneNumber":"+15550000001","InstanceId":"inst-1","SourcePhoneNumber":"+15550009999"}"#
            .utf8
    )
    static let row = PlannedRow(
        ref: RowRef(job: "job-1", source: "calls.yaml", row: 0, line: 3),
        destination: "+15550000001",
        clientToken: "tok-1",
        body: body,
        instanceId: "inst-1"
    )
    static let credentials = AWSCredentials(
        accessKeyId: "AKIDTEST",
        secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
        sessionToken: "SESSION-TOKEN-VALUE"
    )
    /// 2026-11-25T01:02:03Z
    static let date = Date(timeIntervalSince1970: 1_795_568_523)

    private func send(
        reply: @escaping @Sendable (ReceivedRequest) -> StandInReply,
        credentials: any CredentialProvider = StaticCredentialProvider(ConnectClientTests.credentials),
        timeout: Duration = .seconds(30),
        logger: Logger = Logger(label: "test") { _ in SwiftLogNoOpLogHandler() },
        debug: Bool = false
    ) async throws -> (AttemptOutcome, [ReceivedRequest], String) {
        try await withStandInServer(reply: reply) { base, received in
            let configuration = try ConnectClient.httpClientConfiguration(options: AWSOptions(), concurrency: 4)
            return try await HTTPClient.withHTTPClient(configuration: configuration) { httpClient in
                let client = ConnectClient(
                    httpClient: httpClient,
                    configuration: ConnectClient.Configuration(
                        endpoint: try ConnectEndpoint(url: base, source: "test"),
                        region: "us-east-1",
                        timeout: timeout,
                        version: "1.2.3",
                        debug: debug
                    ),
                    credentials: credentials,
                    logger: logger,
                    now: { Self.date }
                )
                let outcome = await client.send(Self.row, attempt: 1)
                return (outcome, await received.all, base)
            }
        }
    }

    private func failure(_ outcome: AttemptOutcome) -> (kind: String, error: RowError?) {
        switch outcome {
        case .started: return ("started", nil)
        case .failed(let error, _): return ("failed", error)
        case .unknown(let error): return ("unknown", error)
        case .notSent(let error, _): return ("notSent", error)
        case .fatal(let error): return ("fatal", error)
        }
    }

    /// The classification of an error answer with this status and error type.
    private func classification(_ status: Int, _ type: String?) -> String {
        let headers = type.map { [(name: "x-amzn-ErrorType", value: $0)] } ?? []
        let outcome = ConnectClient.outcome(status: status, headers: headers, body: [], milliseconds: 1)
        switch outcome {
        case .failed(let error, let failure):
            #expect(error.retryable == failure.isRetryable)
            return "\(failure)"
        case .fatal: return "fatal"
        default: return "other"
        }
    }

    @Test func errorAnswersAreClassifiedOnceWhereTheyAreReceived() {
        #expect(classification(429, nil) == "throttling")
        #expect(classification(400, "ThrottlingException") == "throttling")
        #expect(classification(400, "TooManyRequestsException") == "throttling")
        #expect(classification(400, "ThrottledException") == "throttling")
        #expect(classification(429, "LimitExceededException") == "throttling")
        #expect(classification(400, "LimitExceededException") == "permanent")
        #expect(classification(500, "InternalServiceException") == "transient")
        #expect(classification(400, "ServiceUnavailable") == "transient")
        #expect(classification(400, "ServiceUnavailableException") == "transient")
        #expect(classification(503, nil) == "transient")
        #expect(classification(400, "InvalidParameterException") == "permanent")
        #expect(classification(403, "AccessDeniedException") == "permanent")
        #expect(classification(403, "UnrecognizedClientException") == "fatal")
    }

    @Test func startedSendsTheExactSignedRequest() async throws {
        let (outcome, requests, base) = try await send(reply: { _ in
            StandInReply(status: 200, headers: [("x-amzn-RequestId", "req-1")], body: #"{"ContactId":"contact-123"}"#)
        })
        guard case .started(let contactId, let milliseconds) = outcome else {
            Issue.record("expected started, got \(outcome)")
            return
        }
        #expect(contactId == "contact-123")
        #expect(milliseconds >= 0)

        #expect(requests.count == 1)
        let request = try #require(requests.first)
        #expect(request.method == "PUT")
        #expect(request.path == "/contact/outbound-voice")
        #expect(request.header("content-type") == "application/json")
        #expect(request.header("user-agent") == "outdial/1.2.3 (swift; linux)")
        #expect(request.header("x-amz-date") == "20261125T010203Z")
        #expect(request.header("x-amz-security-token") == "SESSION-TOKEN-VALUE")
        #expect(request.body == Self.body)
        #expect(
            request.headers.filter { $0.name.lowercased() == "content-length" }.map(\.value) == ["\(Self.body.count)"]
        )

        let authorization = try #require(request.header("authorization"))
        let shape =
            #/AWS4-HMAC-SHA256 Credential=AKIDTEST/20261125/us-east-1/connect/aws4_request, SignedHeaders=content-type;host;x-amz-date;x-amz-security-token, Signature=[0-9a-f]{64}/#
        #expect(authorization.wholeMatch(of: shape) != nil, "\(authorization)")
        let host = String(base.dropFirst("http://".count))
        #expect(request.header("host") == host)
        let expected = SigV4Signer(credentials: Self.credentials, region: "us-east-1", service: "connect").sign(
            method: "PUT",
            path: "/contact/outbound-voice",
            host: host,
            headers: [(name: "content-type", value: "application/json")],
            body: Self.body,
            date: Self.date
        )
        #expect(authorization == expected.authorization)
    }

    @Test func withoutSessionTokenSignsThreeHeaders() async throws {
        let plain = AWSCredentials(accessKeyId: "AKIDTEST", secretAccessKey: "secret")
        let (_, requests, _) = try await send(
            reply: { _ in StandInReply(status: 200, body: #"{"ContactId":"c"}"#) },
            credentials: StaticCredentialProvider(plain)
        )
        let authorization = try #require(requests.first?.header("authorization"))
        let shape =
            #/AWS4-HMAC-SHA256 Credential=AKIDTEST/20261125/us-east-1/connect/aws4_request, SignedHeaders=content-type;host;x-amz-date, Signature=[0-9a-f]{64}/#
        #expect(authorization.wholeMatch(of: shape) != nil, "\(authorization)")
        #expect(requests.first?.header("x-amz-security-token") == nil)
    }

    @Test func throttlingFromHeaderIsRetryable() async throws {
        let (outcome, _, _) = try await send(reply: { _ in
            StandInReply(
                status: 429,
                headers: [("x-amzn-ErrorType", "TooManyRequestsException:http://internal.amazon.com/coral/")],
                body: #"{"message":"Rate exceeded"}"#
            )
        })
        let (kind, error) = failure(outcome)
        #expect(kind == "failed")
        #expect(outcome.isThrottling)
        #expect(
            error == RowError(code: "TooManyRequestsException", message: "Rate exceeded", http: 429, retryable: true)
        )
    }

    @Test func errorTypeOnlyInBodyIsTrimmed() async throws {
        let (outcome, _, _) = try await send(reply: { _ in
            StandInReply(
                status: 400,
                body:
                    #"{"__type":"com.amazonaws.connect#InvalidParameterException:http://internal.amazon.com/","Message":"DestinationPhoneNumber is not valid"}"#
            )
        })
        let (kind, error) = failure(outcome)
        #expect(kind == "failed")
        #expect(
            error
                == RowError(
                    code: "InvalidParameterException",
                    message: "DestinationPhoneNumber is not valid",
                    http: 400,
                    retryable: false
                )
        )
    }

    @Test func serverErrorsAreRetryable() async throws {
        let (outcome, _, _) = try await send(reply: { _ in
            StandInReply(
                status: 500,
                headers: [("x-amzn-ErrorType", "InternalServiceException")],
                body: #"{"message":"boom"}"#
            )
        })
        #expect(failure(outcome).kind == "failed")
        #expect(
            failure(outcome).error
                == RowError(code: "InternalServiceException", message: "boom", http: 500, retryable: true)
        )

        let (bare, _, _) = try await send(reply: { _ in StandInReply(status: 503, body: "<html>busy</html>") })
        #expect(
            failure(bare).error
                == RowError(code: "HTTP503", message: "HTTP 503 without an error message", http: 503, retryable: true)
        )
    }

    @Test func refusedCredentialsAbortTheRun() async throws {
        let (outcome, _, _) = try await send(reply: { _ in
            StandInReply(
                status: 403,
                headers: [("x-amzn-ErrorType", "UnrecognizedClientException")],
                body: #"{"message":"The security token included in the request is invalid."}"#
            )
        })
        #expect(failure(outcome).kind == "fatal")
        #expect(failure(outcome).error?.code == "UnrecognizedClientException")
        #expect(failure(outcome).error?.http == 403)
    }

    @Test func accessDeniedFailsTheRowOnly() async throws {
        let (outcome, _, _) = try await send(reply: { _ in
            StandInReply(
                status: 403,
                headers: [("x-amzn-ErrorType", "AccessDeniedException")],
                body: #"{"message":"no"}"#
            )
        })
        #expect(failure(outcome).kind == "failed")
        #expect(failure(outcome).error?.retryable == false)
    }

    @Test func hangIsAnUnknownTimeout() async throws {
        let (outcome, requests, _) = try await send(
            reply: { _ in StandInReply(status: 200, hang: true) },
            // Long enough for the request to arrive on a loaded machine; the answer never does.
            timeout: .seconds(2)
        )
        #expect(requests.count == 1)
        #expect(failure(outcome).kind == "unknown")
        #expect(failure(outcome).error?.code == "Timeout")
        #expect(failure(outcome).error?.retryable == true)
    }

    @Test func connectionClosedAfterSendingIsUnknown() async throws {
        let (outcome, requests, _) = try await send(reply: { _ in StandInReply(status: 200, close: true) })
        #expect(requests.count == 1)
        #expect(failure(outcome).kind == "unknown")
        #expect(failure(outcome).error?.code == "ConnectionError")
        #expect(failure(outcome).error?.retryable == true)
    }

    @Test func scopeResolvesEnvironmentCredentialsAndEndpoint() async throws {
        try await withStandInServer(reply: { _ in StandInReply(status: 200, body: #"{"ContactId":"scoped"}"#) }) {
            base,
            received in
            let environment = AWSEnvironment(
                variables: [
                    "AWS_ACCESS_KEY_ID": "AKIDSCOPE", "AWS_SECRET_ACCESS_KEY": "scope-secret",
                    "AWS_ENDPOINT_URL_CONNECT": base, "AWS_EC2_METADATA_DISABLED": "true",
                ],
                homeDirectory: "/nonexistent-home"
            )
            let outcome = try await withConnectClient(
                options: AWSOptions(),
                environment: environment,
                concurrency: 2,
                timeout: .seconds(30),
                version: "1.2.3",
                instanceARNRegion: "eu-central-1",
                logger: Logger(label: "test") { _ in SwiftLogNoOpLogHandler() }
            ) { client in
                #expect(client.configuration.region == "eu-central-1")
                return await client.send(Self.row, attempt: 1)
            }
            guard case .started(let contactId, _) = outcome else {
                Issue.record("expected started, got \(outcome)")
                return
            }
            #expect(contactId == "scoped")
            let authorization = await received.all.first?.header("authorization") ?? ""
            #expect(authorization.hasPrefix("AWS4-HMAC-SHA256 Credential=AKIDSCOPE/"))
            #expect(authorization.contains("/eu-central-1/connect/aws4_request"))
        }
    }

    @Test func scopeFailsBeforeSendingWithoutCredentials() async throws {
        let environment = AWSEnvironment(
            variables: ["AWS_EC2_METADATA_DISABLED": "true", "AWS_REGION": "us-east-1"],
            homeDirectory: "/nonexistent-home"
        )
        let error = await #expect(throws: AWSConfigurationError.self) {
            try await withConnectClient(
                options: AWSOptions(),
                environment: environment,
                concurrency: 1,
                timeout: .seconds(1),
                version: "1.2.3",
                instanceARNRegion: nil,
                logger: Logger(label: "test") { _ in SwiftLogNoOpLogHandler() }
            ) { _ in Issue.record("the body must not run") }
        }
        #expect(error?.code == "NoCredentials")
    }

    @Test func refusedConnectionIsNotSent() async throws {
        let configuration = try ConnectClient.httpClientConfiguration(options: AWSOptions(), concurrency: 1)
        try await HTTPClient.withHTTPClient(configuration: configuration) { httpClient in
            let client = ConnectClient(
                httpClient: httpClient,
                configuration: ConnectClient.Configuration(
                    endpoint: try ConnectEndpoint(url: "http://127.0.0.1:1", source: "test"),
                    region: "us-east-1",
                    version: "1.2.3"
                ),
                credentials: StaticCredentialProvider(Self.credentials),
                logger: Logger(label: "test") { _ in SwiftLogNoOpLogHandler() }
            )
            let outcome = await client.send(Self.row, attempt: 1)
            #expect(failure(outcome).kind == "notSent")
            #expect(failure(outcome).error?.code == "ConnectionRefused")
        }
    }

    @Test func missingCredentialsAbortWithTheirMessage() async throws {
        struct NoCredentials: CredentialProvider {
            func credentials() async throws -> AWSCredentials {
                throw AWSConfigurationError.noCredentials("no AWS credentials found; looked in: environment")
            }
        }
        let (outcome, requests, _) = try await send(
            reply: { _ in StandInReply(status: 200) },
            credentials: NoCredentials()
        )
        #expect(requests.isEmpty)
        #expect(
            failure(outcome).error
                == RowError(
                    code: "NoCredentials",
                    message: "no AWS credentials found; looked in: environment",
                    retryable: false
                )
        )
        #expect(failure(outcome).kind == "fatal")
    }

    @Test func debugLogRedactsSecretsAndMasksNumbers() async throws {
        let store = LogStore()
        var logger = Logger(label: "test") { _ in CapturingLogHandler(store: store) }
        logger.logLevel = .debug
        let (_, requests, _) = try await send(
            reply: { _ in
                StandInReply(
                    status: 400,
                    headers: [("x-amzn-ErrorType", "InvalidParameterException")],
                    body: #"{"message":"DestinationPhoneNumber +15550000001 is not allowed"}"#
                )
            },
            logger: logger,
            debug: true
        )
        let log = store.text
        let signature = try #require(requests.first?.header("authorization")?.split(separator: "=").last)
        #expect(log.contains("request PUT http://127.0.0.1:"))
        #expect(log.contains("/contact/outbound-voice"))
        #expect(log.contains("Signature=<redacted>"))
        #expect(log.contains("x-amz-security-token: <redacted>"))
        #expect(log.contains("+1555***0001"))
        #expect(log.contains("+1555***9999"))
        #expect(log.contains("response 400 in"))
        #expect(!log.contains(Self.credentials.secretAccessKey))
        #expect(!log.contains("SESSION-TOKEN-VALUE"))
        #expect(!log.contains(String(signature)))
        #expect(!log.contains("+15550000001"))
        #expect(!log.contains("15550009999"))
    }
}

struct ConnectClientHTTPConfigurationTests {
    @Test func poolLimitAndTimeoutsFollowTheOptions() throws {
        let configuration = try ConnectClient.httpClientConfiguration(
            options: AWSOptions(connectTimeout: 2.5),
            concurrency: 64
        )
        #expect(configuration.connectionPool.concurrentHTTP1ConnectionsPerHostSoftLimit == 64)
        #expect(configuration.connectionPool.retryConnectionEstablishment == false)
        #expect(configuration.timeout.connect == .milliseconds(2500))
        #expect(configuration.tlsConfiguration == nil)  // system trust roots, verified
    }

    @Test func caBundleAndNoVerify() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let bundle = try directory.write("ca.pem", "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n")
        let withBundle = try ConnectClient.httpClientConfiguration(
            options: AWSOptions(caBundle: bundle),
            concurrency: 1
        )
        #expect(withBundle.tlsConfiguration?.trustRoots == .file(bundle))
        #expect(withBundle.tlsConfiguration.map { "\($0.certificateVerification)" } == "fullVerification")

        let unverified = try ConnectClient.httpClientConfiguration(
            options: AWSOptions(noVerifySSL: true),
            concurrency: 1
        )
        #expect(unverified.tlsConfiguration.map { "\($0.certificateVerification)" }?.hasPrefix("none") == true)
    }

    @Test func unreadableOrNonPEMBundleIsRefused() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let notPEM = try directory.write("ca.txt", "hello")
        #expect(throws: AWSConfigurationError.invalidCABundle("--ca-bundle \(notPEM) holds no PEM certificate")) {
            try ConnectClient.httpClientConfiguration(options: AWSOptions(caBundle: notPEM), concurrency: 1)
        }
        #expect(throws: AWSConfigurationError.invalidCABundle("--ca-bundle /nonexistent/ca.pem cannot be read")) {
            try ConnectClient.httpClientConfiguration(
                options: AWSOptions(caBundle: "/nonexistent/ca.pem"),
                concurrency: 1
            )
        }
    }

    @Test func onlyARefusedConnectionIsCertainlyNotSent() throws {
        let endpoint = try ConnectEndpoint(url: "http://127.0.0.1:1", source: "test")
        let refused = ConnectClient.outcome(
            of: IOError(errnoCode: ECONNREFUSED, reason: "connect"),
            endpoint: endpoint,
            timeout: .seconds(1)
        )
        #expect(!refused.isUncertain)
        // EHOSTUNREACH can end a connection the request was already written to: outcome unknown.
        for code in [EHOSTUNREACH, ENETUNREACH] {
            let unreachable = ConnectClient.outcome(
                of: IOError(errnoCode: code, reason: "read"),
                endpoint: endpoint,
                timeout: .seconds(1)
            )
            #expect(unreachable.isUncertain)
        }
    }
}
