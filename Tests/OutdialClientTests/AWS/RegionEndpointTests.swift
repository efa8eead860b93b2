import OutdialClient
import Testing

struct RegionEndpointTests {
    private func region(
        _ extra: [String: String] = [:],
        options: AWSOptions = AWSOptions(),
        arn: String? = nil
    ) throws -> String {
        let environment = Fixtures.environment(extra)
        let shared = try AWSSharedConfig(options: options, environment: environment)
        return try AWSRegion.resolve(
            options: options,
            environment: environment,
            sharedConfig: shared,
            instanceARNRegion: arn
        )
    }

    private func endpoint(
        _ extra: [String: String] = [:],
        options: AWSOptions = AWSOptions(),
        region: String = "us-east-1"
    ) throws -> ConnectEndpoint {
        let environment = Fixtures.environment(extra)
        let shared = try AWSSharedConfig(options: options, environment: environment)
        return try ConnectEndpoint.resolve(
            options: options,
            environment: environment,
            sharedConfig: shared,
            region: region
        )
    }

    @Test func regionPrecedence() throws {
        let all = ["AWS_REGION": "ap-south-1", "AWS_DEFAULT_REGION": "ca-central-1"]
        #expect(try region(all, options: AWSOptions(region: "sa-east-1"), arn: "us-east-1") == "sa-east-1")
        #expect(try region(all, arn: "us-east-1") == "ap-south-1")
        #expect(try region(["AWS_DEFAULT_REGION": "ca-central-1"], arn: "us-east-1") == "ca-central-1")
        #expect(try region(arn: "us-east-1") == "eu-west-2")  // [default] region
        #expect(try region(["AWS_PROFILE": "dev"], arn: "us-east-1") == "us-west-2")
        #expect(try region(options: AWSOptions(profile: "keys-in-config"), arn: "us-east-1") == "us-east-1")
    }

    @Test func noRegionSaysWhereToPutOne() throws {
        #expect(
            throws: AWSConfigurationError.noRegion(
                "no AWS region: give --region, set AWS_REGION or AWS_DEFAULT_REGION, set `region` in profile "
                    + "\"keys-in-config\" of \(Fixtures.path("config")), or give the instance as an ARN; "
                    + "or try --simulate: the built-in simulator, no AWS account needed"
            )
        ) {
            try region(options: AWSOptions(profile: "keys-in-config"))
        }
        #expect(throws: AWSConfigurationError.self) {
            try region(options: AWSOptions(region: "evil.com/x"))
        }
    }

    /// The code goes into its own field of results and the summary; the message does not repeat it.
    @Test func invalidRegionCarriesItsCodeOnce() throws {
        let error = #expect(throws: AWSConfigurationError.self) {
            try region(["AWS_REGION": "US_EAST_1\n"])
        }
        #expect(error?.code == "InvalidRegion")
        #expect(
            error?.message
                == "AWS_REGION names region \"US_EAST_1\"; a region is lower-case letters, digits and dashes, "
                + "e.g. us-east-1"
        )
        // Results, the summary and the log put the code in a field of its own, then `"\(error)"`.
        #expect(error.map { "\($0)" } == error?.message)
    }

    @Test func endpointPrecedence() throws {
        let all = [
            "AWS_ENDPOINT_URL_CONNECT": "http://127.0.0.1:1001",
            "AWS_ENDPOINT_URL": "http://127.0.0.1:1002",
            "AWS_PROFILE": "dev",
        ]
        #expect(
            try endpoint(all, options: AWSOptions(endpointURL: "https://example.test:8443/base/")).url
                == "https://example.test:8443/base"
        )
        #expect(try endpoint(all).url == "http://127.0.0.1:1001")
        #expect(try endpoint(all).source == "AWS_ENDPOINT_URL_CONNECT")
        #expect(
            try endpoint(["AWS_ENDPOINT_URL": "http://127.0.0.1:1002", "AWS_PROFILE": "dev"]).url
                == "http://127.0.0.1:1002"
        )
        #expect(try endpoint(["AWS_PROFILE": "dev"]).url == "http://127.0.0.1:4566")
        #expect(try endpoint().url == "https://connect.us-east-1.amazonaws.com")
    }

    @Test func ignoreConfiguredEndpointURLsKeepsOnlyTheCommandLine() throws {
        let ignore = [
            "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS": "true", "AWS_ENDPOINT_URL": "http://127.0.0.1:1002",
            "AWS_PROFILE": "dev",
        ]
        #expect(try endpoint(ignore, region: "eu-central-1").url == "https://connect.eu-central-1.amazonaws.com")
        #expect(
            try endpoint(ignore, options: AWSOptions(endpointURL: "http://localhost:9")).url == "http://localhost:9"
        )
    }

    @Test func chinaRegionsUseTheChinaPartition() throws {
        let china = try region(options: AWSOptions(profile: "china"))
        #expect(china == "cn-north-1")
        #expect(try endpoint(region: china).url == "https://connect.cn-north-1.amazonaws.com.cn")
        #expect(try endpoint(region: china).hostHeader == "connect.cn-north-1.amazonaws.com.cn")
    }

    @Test func endpointMustBeAnHTTPURL() {
        #expect(
            throws: AWSConfigurationError.invalidEndpoint(
                "--endpoint-url is \"connect.example\": it is not an absolute URL (no http:// or https://); "
                    + "expected an absolute http:// or https:// URL with a host, an optional port 1-65535 and an "
                    + "optional path, without user name, password, query or fragment, such as "
                    + "https://connect.us-east-1.amazonaws.com (or try --simulate: the built-in simulator, no AWS "
                    + "account needed)"
            )
        ) {
            try endpoint(options: AWSOptions(endpointURL: "connect.example"))
        }
    }
}
