import Logging
import OutdialClient
import Testing

/// Every endpoint URL is checked in full when it is resolved, so that a bad one stops the run
/// with a message naming where it came from, instead of trapping in the socket layer later.
struct EndpointValidationTests {
    private func endpoint(
        _ extra: [String: String] = [:],
        options: AWSOptions = AWSOptions(),
        home: String = "/nonexistent-home"
    ) throws -> ConnectEndpoint {
        let environment = Fixtures.environment(extra, home: home)
        let shared = try AWSSharedConfig(options: options, environment: environment)
        return try ConnectEndpoint.resolve(
            options: options,
            environment: environment,
            sharedConfig: shared,
            region: "us-east-1"
        )
    }

    private func problem(
        _ extra: [String: String] = [:],
        options: AWSOptions = AWSOptions()
    ) -> AWSConfigurationError? {
        #expect(throws: AWSConfigurationError.self) { try endpoint(extra, options: options) }
    }

    private static let allowed =
        "expected an absolute http:// or https:// URL with a host, an optional port 1-65535 and an optional path, "
        + "without user name, password, query or fragment, such as https://connect.us-east-1.amazonaws.com "
        + "(or try --simulate: the built-in simulator, no AWS account needed)"

    @Test func portAboveTheRangeOfTheCommandLineIsRefusedWithItsSource() {
        let error = problem(options: AWSOptions(endpointURL: "http://127.0.0.1:99999"))
        #expect(error?.code == "InvalidEndpoint")
        #expect(
            error?.message
                == "--endpoint-url is \"http://127.0.0.1:99999\": the port 99999 is not 1-65535; \(Self.allowed)"
        )
    }

    @Test func portAboveTheRangeFromEachEnvironmentVariableNamesIt() {
        let general = problem(["AWS_ENDPOINT_URL": "http://127.0.0.1:70000"])
        #expect(general?.message.hasPrefix("AWS_ENDPOINT_URL is \"http://127.0.0.1:70000\": the port 70000") == true)
        let connect = problem(["AWS_ENDPOINT_URL_CONNECT": "https://localhost:65536/"])
        #expect(connect?.message.hasPrefix("AWS_ENDPOINT_URL_CONNECT is \"https://localhost:65536/\"") == true)
    }

    @Test func portAboveTheRangeInTheProfilesServicesSectionNamesTheProfileAndFile() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let config = try directory.write(
            "config",
            """
            [default]
            services = local
            [services local]
            connect =
              endpoint_url = http://127.0.0.1:70000
            """
        )
        let error = problem(["AWS_CONFIG_FILE": config])
        #expect(error?.code == "InvalidEndpoint")
        #expect(
            error?.message.hasPrefix(
                "the services section of profile \"default\" in \(config) is \"http://127.0.0.1:70000\": "
                    + "the port 70000 is not 1-65535; expected"
            ) == true
        )
    }

    @Test(arguments: [
        ("http://h:0", "the port 0 is not 1-65535"),
        ("http://h:99999999999999999999", "the port 99999999999999999999 is not 1-65535"),
        ("http://h:", "the port after \":\" is missing"),
        ("http://h:8o", "the port 8o is not 1-65535"),
        ("ftp://h", "the scheme is \"ftp\", not http or https"),
        ("connect.example", "it is not an absolute URL (no http:// or https://)"),
        ("http://", "it has no host"),
        ("http://:4566", "it has no host"),
        ("http://h/p?x=1", "it has a query (?...)"),
        ("http://h/#top", "it has a fragment (#...)"),
        (
            "http://::1:4566",
            "the host has more than one \":\"; write an IPv6 address in brackets, e.g. http://[::1]:4566"
        ),
        (
            "http://bad host",
            "the host \"bad host\" is not a host name or IP address (letters, digits, \"-\" and \"_\" in dot-separated labels)"
        ),
        ("http://h/a b", "the path has a character that must be percent-encoded"),
        ("http://h/%zz", "the path has a `%` not followed by two hexadecimal digits"),
    ])
    func malformedURLsSayWhatIsWrong(url: String, found: String) {
        let error = problem(options: AWSOptions(endpointURL: url))
        #expect(error?.code == "InvalidEndpoint")
        #expect(error?.message.contains(": \(found); expected") == true, "\(error?.message ?? "no error")")
    }

    @Test func credentialsInTheURLAreRefusedAndNeverRepeated() {
        let error = problem([
            "AWS_ENDPOINT_URL": "https://AKIAIOSFODNN7EXAMPLE:wJalrXUtnFEMI@connect.example/x?token=abc"
        ])
        #expect(error?.code == "InvalidEndpoint")
        #expect(
            error?.message.hasPrefix(
                "AWS_ENDPOINT_URL is \"https://***@connect.example/x?***\": it holds a user name or password (not shown)"
            ) == true,
            "\(error?.message ?? "")"
        )
        #expect(error?.message.contains("AKIAIOSFODNN7EXAMPLE") == false)
        #expect(error?.message.contains("wJalrXUtnFEMI") == false)
        #expect(error?.message.contains("abc") == false)
    }

    @Test func controlCharactersAreShownEscaped() {
        let error = problem(options: AWSOptions(endpointURL: "http://h\n:1/"))
        #expect(error?.message.hasPrefix("--endpoint-url is \"http://h\\u{a}:1/\"") == true, "\(error?.message ?? "")")
    }

    @Test func validURLsKeepHostPortAndPath() throws {
        let ipv6 = try endpoint(options: AWSOptions(endpointURL: "http://[::1]:65535/prefix/"))
        #expect(ipv6.host == "::1")
        #expect(ipv6.port == 65535)
        #expect(ipv6.url == "http://[::1]:65535/prefix")
        #expect(ipv6.outboundVoicePath == "/prefix/contact/outbound-voice")
        let lowest = try endpoint(["AWS_ENDPOINT_URL": "HTTPS://Connect.Example:1"])
        #expect(lowest.url == "https://Connect.Example:1")
        #expect(try endpoint(["AWS_ENDPOINT_URL": "http://my_host.internal"]).hostHeader == "my_host.internal")
    }

    /// The run's setup resolves the endpoint before anything else happens, so a bad endpoint
    /// stops it before a request (or a journal record) is made.
    @Test func runSetupStopsOnABadEndpointBeforeTheBodyRuns() async {
        let environment = AWSEnvironment(
            variables: [
                "AWS_ACCESS_KEY_ID": "AKIDEXAMPLE", "AWS_SECRET_ACCESS_KEY": "secret", "AWS_REGION": "us-east-1",
                "AWS_EC2_METADATA_DISABLED": "true",
            ],
            homeDirectory: "/nonexistent-home"
        )
        let error = await #expect(throws: AWSConfigurationError.self) {
            try await withConnectClient(
                options: AWSOptions(endpointURL: "http://127.0.0.1:99999"),
                environment: environment,
                concurrency: 1,
                timeout: .seconds(1),
                version: "1.2.3",
                instanceARNRegion: nil,
                logger: Logger(label: "test") { _ in SwiftLogNoOpLogHandler() }
            ) { _ in Issue.record("the body must not run") }
        }
        #expect(error?.code == "InvalidEndpoint")
    }

    @Test(arguments: [Double.infinity, 1e300, -1, 0, Double.nan, 3600.001])
    func connectTimeoutOutOfRangeIsRefused(seconds: Double) {
        let error = #expect(throws: AWSConfigurationError.self) {
            try ConnectClient.httpClientConfiguration(options: AWSOptions(connectTimeout: seconds), concurrency: 1)
        }
        #expect(error?.code == "InvalidConnectTimeout")
        #expect(
            error?.message
                == "--cli-connect-timeout is \(seconds); expected a number of seconds above 0 and at most 3600, e.g. 5"
        )
    }

    @Test func connectTimeoutIsKept() throws {
        let configuration = try ConnectClient.httpClientConfiguration(
            options: AWSOptions(connectTimeout: 0.25),
            concurrency: 1
        )
        #expect(configuration.timeout.connect == .milliseconds(250))
        let standard = try ConnectClient.httpClientConfiguration(options: AWSOptions(), concurrency: 1)
        #expect(standard.timeout.connect == .seconds(60))
    }
}
