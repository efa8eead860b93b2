/// Where StartOutboundVoiceContact requests go.
public struct ConnectEndpoint: Sendable, Hashable {
    /// `http` or `https`.
    public let scheme: String
    /// The host name or address (IPv6 without brackets).
    public let host: String
    /// The port (1-65535), when the URL names one.
    public let port: Int?
    /// A path prefix from the URL, without a trailing slash (usually empty).
    public let basePath: String
    /// Which setting chose this endpoint (`--endpoint-url`, `AWS_ENDPOINT_URL_CONNECT`, ...), for
    /// messages.
    public let source: String

    /// Parses and checks an endpoint URL.
    /// - Parameter source: where the URL was configured (`--endpoint-url`, `AWS_ENDPOINT_URL`, ...).
    /// - Throws: ``AWSConfigurationError`` (`InvalidEndpoint`) naming `source`, unless `url` is an
    ///   absolute http(s) URL with a host, an optional port 1-65535 and an optional path, without
    ///   user name, password, query or fragment.
    public init(url: String, source: String) throws {
        let parsed: EndpointURL
        do {
            parsed = try EndpointURL(parsing: url)
        } catch {
            throw AWSConfigurationError.invalidEndpoint(
                "\(source) is \"\(ConfigurationValue.shownURL(url))\": \(error.found); expected \(EndpointURL.allowed), "
                    + "such as https://connect.us-east-1.amazonaws.com (\(AWSConfigurationError.simulateHint))"
            )
        }
        self.scheme = parsed.scheme
        self.host = parsed.host
        self.port = parsed.port
        var path = parsed.path
        while path.hasSuffix("/") { path.removeLast() }
        self.basePath = path
        self.source = source
    }

    /// The `Host` header: the host, and the port unless it is the scheme's default.
    public var hostHeader: String {
        let name = host.contains(":") ? "[\(host)]" : host
        guard let port, port != (scheme == "https" ? 443 : 80) else { return name }
        return "\(name):\(port)"
    }

    /// The endpoint as a URL string without a trailing slash.
    public var url: String { "\(scheme)://\(hostHeader)\(basePath)" }

    /// The path of StartOutboundVoiceContact on this endpoint.
    public var outboundVoicePath: String { basePath + "/contact/outbound-voice" }

    /// The public endpoint of a region: `https://connect.REGION.amazonaws.com`
    /// (`amazonaws.com.cn` for `cn-*`).
    public static func standard(region: String) -> String {
        let suffix = region.hasPrefix("cn-") ? "amazonaws.com.cn" : "amazonaws.com"
        return "https://connect.\(region).\(suffix)"
    }

    /// Resolves the endpoint: `--endpoint-url`, `AWS_ENDPOINT_URL_CONNECT`, `AWS_ENDPOINT_URL`,
    /// the profile's `services` section (`connect = ` / `endpoint_url = ...`), the profile's own
    /// `endpoint_url`, else the region's public endpoint. `AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=true`
    /// (or `ignore_configured_endpoint_urls = true` in the profile) skips the environment and
    /// profile settings, as the AWS CLI does; `--endpoint-url` always counts.
    /// - Throws: ``AWSConfigurationError`` (`InvalidEndpoint`).
    public static func resolve(
        options: AWSOptions,
        environment: AWSEnvironment,
        sharedConfig: AWSSharedConfig,
        region: String
    ) throws -> ConnectEndpoint {
        if let url = options.endpointURL, !url.isEmpty {
            return try ConnectEndpoint(url: url, source: "--endpoint-url")
        }
        let ignoreConfigured =
            environment["AWS_IGNORE_CONFIGURED_ENDPOINT_URLS"].map { $0.lowercased() == "true" }
            ?? (sharedConfig.setting("ignore_configured_endpoint_urls")?.lowercased() == "true")
        if !ignoreConfigured {
            let profile = "profile \"\(sharedConfig.profileName)\" in \(sharedConfig.configPath)"
            let configured: [(value: String?, source: String)] = [
                (environment["AWS_ENDPOINT_URL_CONNECT"], "AWS_ENDPOINT_URL_CONNECT"),
                (environment["AWS_ENDPOINT_URL"], "AWS_ENDPOINT_URL"),
                (sharedConfig.serviceEndpointURL(service: "connect"), "the services section of \(profile)"),
                (sharedConfig.setting("endpoint_url"), "endpoint_url of \(profile)"),
            ]
            for candidate in configured {
                if let url = candidate.value {
                    return try ConnectEndpoint(url: url, source: candidate.source)
                }
            }
        }
        return try ConnectEndpoint(url: standard(region: region), source: "region \(region)")
    }
}
