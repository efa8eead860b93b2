import Foundation

/// Where StartOutboundVoiceContact requests go.
public struct ConnectEndpoint: Sendable, Hashable {
    /// `http` or `https`.
    public let scheme: String
    /// The host name or address (IPv6 without brackets).
    public let host: String
    /// The port, when the URL names one.
    public let port: Int?
    /// A path prefix from the URL, without a trailing slash (usually empty).
    public let basePath: String
    /// Which setting chose this endpoint (`--endpoint-url`, `AWS_ENDPOINT_URL_CONNECT`, ...), for
    /// messages.
    public let source: String

    /// Parses an endpoint URL.
    /// - Throws: ``AWSConfigurationError`` (`InvalidEndpoint`) unless it is an absolute http(s) URL
    ///   without query or fragment.
    public init(url: String, source: String) throws {
        guard let components = URLComponents(string: url),
            let scheme = components.scheme?.lowercased(), scheme == "http" || scheme == "https",
            let host = components.host, !host.isEmpty,
            components.query == nil, components.fragment == nil
        else {
            throw AWSConfigurationError.invalidEndpoint(
                "\(source) is \"\(url)\"; expected an absolute http:// or https:// URL such as "
                    + "https://connect.us-east-1.amazonaws.com"
            )
        }
        self.scheme = scheme
        self.host = host.hasPrefix("[") && host.hasSuffix("]") ? String(host.dropFirst().dropLast()) : host
        self.port = components.port
        var path = components.percentEncodedPath
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
