import AWSSigV4
import AsyncHTTPClient
import Foundation
import NIOCore

/// Container credentials (ECS, EKS Pod Identity): `AWS_CONTAINER_CREDENTIALS_RELATIVE_URI` on
/// `http://169.254.170.2`, or `AWS_CONTAINER_CREDENTIALS_FULL_URI`, with the `Authorization`
/// header from `AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE` or `AWS_CONTAINER_AUTHORIZATION_TOKEN`.
public struct ContainerCredentialSource: CredentialSource {
    private let environment: AWSEnvironment
    private let httpClient: HTTPClient
    private let relativeBase: String
    private let timeout: TimeAmount

    /// - Parameters:
    ///   - relativeBase: where relative URIs point (`http://169.254.170.2`; tests point it at a
    ///     local server).
    ///   - timeout: the whole request's time limit.
    public init(
        environment: AWSEnvironment,
        httpClient: HTTPClient,
        relativeBase: String = "http://169.254.170.2",
        timeout: TimeAmount = .seconds(2)
    ) {
        self.environment = environment
        self.httpClient = httpClient
        self.relativeBase = relativeBase
        self.timeout = timeout
    }

    public var location: String {
        if let uri = url { return "container credentials at \(ConfigurationValue.shownURL(uri))" }
        return "container credentials (AWS_CONTAINER_CREDENTIALS_RELATIVE_URI and _FULL_URI are not set)"
    }

    private var url: String? {
        if let relative = environment["AWS_CONTAINER_CREDENTIALS_RELATIVE_URI"] {
            return relativeBase + (relative.hasPrefix("/") ? relative : "/" + relative)
        }
        return environment["AWS_CONTAINER_CREDENTIALS_FULL_URI"]
    }

    public func load() async throws -> AWSCredentials? {
        guard let url else { return nil }
        let isRelative = environment["AWS_CONTAINER_CREDENTIALS_RELATIVE_URI"] != nil
        try Self.check(
            url,
            variable: isRelative ? "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI" : "AWS_CONTAINER_CREDENTIALS_FULL_URI",
            fullURI: !isRelative
        )
        let shownURL = ConfigurationValue.shownURL(url)
        var request = HTTPClientRequest(url: url)
        request.method = .GET
        request.headers.add(name: "Accept", value: "application/json")
        if let token = try authorizationToken() {
            request.headers.add(name: "Authorization", value: token)
        }
        let body: ByteBuffer
        do {
            let response = try await httpClient.execute(request, timeout: timeout)
            body = try await response.body.collect(upTo: 1 << 20)
            guard response.status == .ok else {
                throw AWSConfigurationError.containerCredentialsFailed(
                    "container credentials at \(shownURL) answered HTTP \(response.status.code)"
                )
            }
        } catch let error as AWSConfigurationError {
            throw error
        } catch {
            throw AWSConfigurationError.containerCredentialsFailed(
                "container credentials at \(shownURL) could not be fetched: \(error)"
            )
        }
        do {
            return try JSONDecoder().decode(CredentialDocument.self, from: Data(Array(buffer: body))).credentials()
        } catch let problem as CredentialDocument.Problem {
            throw AWSConfigurationError.containerCredentialsFailed(
                "container credentials at \(shownURL) \(problem.message)"
            )
        } catch {
            throw AWSConfigurationError.containerCredentialsFailed(
                "container credentials at \(shownURL) did not answer with a JSON object"
            )
        }
    }

    private func authorizationToken() throws -> String? {
        if let path = environment["AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE"] {
            let bytes: [UInt8]?
            do {
                bytes = try BoundedRead.file(path, limit: 64 << 10)
            } catch {
                throw AWSConfigurationError.containerCredentialsFailed(
                    "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE names \(path), which cannot be read: \(error.reason)"
                )
            }
            guard let bytes else {
                throw AWSConfigurationError.containerCredentialsFailed(
                    "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE names \(path), which does not exist"
                )
            }
            return String(decoding: bytes, as: UTF8.self).trimmingWhitespace()
        }
        return environment["AWS_CONTAINER_AUTHORIZATION_TOKEN"]
    }

    /// The URI must be an http(s) URL with a port 1-65535; a full URI must moreover be https, or
    /// http to a loopback address or a container credentials host, as botocore requires, so that
    /// the token is never sent in clear over a network.
    static func check(_ url: String, variable: String, fullURI: Bool) throws {
        let parsed: EndpointURL
        do {
            parsed = try EndpointURL(parsing: url, allowsQuery: true)
        } catch {
            throw AWSConfigurationError.containerCredentialsFailed(
                "\(variable) gives \"\(ConfigurationValue.shownURL(url))\": \(error.found); expected an absolute "
                    + "http:// or https:// URL with a host and an optional port 1-65535, without user name or password"
            )
        }
        guard fullURI, parsed.scheme == "http" else { return }
        let host = parsed.host.lowercased()
        let allowed = ["localhost", "::1", "169.254.170.2", "169.254.170.23", "fd00:ec2::23"]
        guard allowed.contains(host) || isLoopbackIPv4(host) else {
            throw AWSConfigurationError.containerCredentialsFailed(
                "AWS_CONTAINER_CREDENTIALS_FULL_URI must be https, or http to a loopback or container "
                    + "credentials address; it is \(ConfigurationValue.shownURL(url))"
            )
        }
    }

    /// `127.x.y.z` written as an IPv4 address (not a name such as `127.example.com`).
    private static func isLoopbackIPv4(_ host: String) -> Bool {
        let parts = host.split(separator: ".", omittingEmptySubsequences: false)
        return parts.count == 4 && parts[0] == "127"
            && parts.allSatisfy { part in
                (1 ... 3).contains(part.count) && part.allSatisfy { $0.isASCII && $0.isNumber }
                    && (Int(part) ?? 256) <= 255
            }
    }
}
