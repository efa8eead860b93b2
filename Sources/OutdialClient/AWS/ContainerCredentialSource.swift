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
        if let uri = url { return "container credentials at \(uri)" }
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
        if environment["AWS_CONTAINER_CREDENTIALS_RELATIVE_URI"] == nil {
            try Self.checkFullURI(url)
        }
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
                    "container credentials at \(url) answered HTTP \(response.status.code)"
                )
            }
        } catch let error as AWSConfigurationError {
            throw error
        } catch {
            throw AWSConfigurationError.containerCredentialsFailed(
                "container credentials at \(url) could not be fetched: \(error)"
            )
        }
        do {
            return try JSONDecoder().decode(CredentialDocument.self, from: Data(Array(buffer: body))).credentials()
        } catch let problem as CredentialDocument.Problem {
            throw AWSConfigurationError.containerCredentialsFailed("container credentials at \(url) \(problem.message)")
        } catch {
            throw AWSConfigurationError.containerCredentialsFailed(
                "container credentials at \(url) did not answer with a JSON object"
            )
        }
    }

    private func authorizationToken() throws -> String? {
        if let path = environment["AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE"] {
            guard let data = FileManager.default.contents(atPath: path) else {
                throw AWSConfigurationError.containerCredentialsFailed(
                    "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE names \(path), which cannot be read"
                )
            }
            return String(decoding: data, as: UTF8.self).trimmingWhitespace()
        }
        return environment["AWS_CONTAINER_AUTHORIZATION_TOKEN"]
    }

    /// A full URI must be https, or http to a loopback address or a container credentials host,
    /// as botocore requires, so that the token is never sent in clear over a network.
    static func checkFullURI(_ url: String) throws {
        guard let components = URLComponents(string: url), let scheme = components.scheme?.lowercased(),
            let host = components.host?.lowercased()
        else {
            throw AWSConfigurationError.containerCredentialsFailed(
                "AWS_CONTAINER_CREDENTIALS_FULL_URI is not a URL: \(url)"
            )
        }
        if scheme == "https" { return }
        let bare = host.hasPrefix("[") ? String(host.dropFirst().dropLast()) : host
        let allowed = ["localhost", "::1", "169.254.170.2", "169.254.170.23", "fd00:ec2::23"]
        guard scheme == "http", allowed.contains(bare) || bare.hasPrefix("127.") else {
            throw AWSConfigurationError.containerCredentialsFailed(
                "AWS_CONTAINER_CREDENTIALS_FULL_URI must be https, or http to a loopback or container "
                    + "credentials address; it is \(url)"
            )
        }
    }
}
