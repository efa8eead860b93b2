import AWSSigV4
import AsyncHTTPClient
import Foundation
import NIOCore

/// The EC2 instance metadata service, version 2: `PUT /latest/api/token` for a session token,
/// then `GET /latest/meta-data/iam/security-credentials/` for the role and the role's credentials.
/// `AWS_EC2_METADATA_SERVICE_ENDPOINT` moves it; `AWS_EC2_METADATA_DISABLED=true` turns it off.
/// No answer within the short timeout means "not on EC2": the chain looks no further.
public struct InstanceMetadataCredentialSource: CredentialSource {
    private let environment: AWSEnvironment
    private let httpClient: HTTPClient
    private let timeout: TimeAmount

    /// - Parameter timeout: each request's time limit (1 second, as botocore).
    public init(environment: AWSEnvironment, httpClient: HTTPClient, timeout: TimeAmount = .seconds(1)) {
        self.environment = environment
        self.httpClient = httpClient
        self.timeout = timeout
    }

    private var endpoint: String {
        var endpoint = environment["AWS_EC2_METADATA_SERVICE_ENDPOINT"] ?? "http://169.254.169.254"
        while endpoint.hasSuffix("/") { endpoint.removeLast() }
        return endpoint
    }

    public var location: String {
        if environment.isTrue("AWS_EC2_METADATA_DISABLED") {
            return "EC2 instance metadata (disabled by AWS_EC2_METADATA_DISABLED)"
        }
        return "EC2 instance metadata at \(ConfigurationValue.shownURL(endpoint))"
    }

    public func load() async throws -> AWSCredentials? {
        if environment.isTrue("AWS_EC2_METADATA_DISABLED") { return nil }
        do {
            _ = try EndpointURL(parsing: endpoint)
        } catch {
            throw AWSConfigurationError.instanceMetadataFailed(
                "AWS_EC2_METADATA_SERVICE_ENDPOINT is \"\(ConfigurationValue.shownURL(endpoint))\": \(error.found); "
                    + "expected \(EndpointURL.allowed), such as http://169.254.169.254"
            )
        }
        // No token means no metadata service here: not an error, just nothing found.
        guard
            let (tokenStatus, tokenBody) = try? await fetch(
                put: true,
                "/latest/api/token",
                headers: [("X-aws-ec2-metadata-token-ttl-seconds", "21600")]
            ), tokenStatus == 200
        else { return nil }
        let token = String(decoding: tokenBody, as: UTF8.self).trimmingWhitespace()
        let tokenHeader = [("X-aws-ec2-metadata-token", token)]
        let rolePath = "/latest/meta-data/iam/security-credentials/"

        let (roleStatus, roleBody) = try await fetchOrFail(rolePath, headers: tokenHeader)
        if roleStatus == 404 { return nil }  // no role attached to the instance
        guard roleStatus == 200 else { throw failure("\(rolePath) answered HTTP \(roleStatus)") }
        let role =
            String(decoding: roleBody, as: UTF8.self).split(whereSeparator: \.isNewline).first
            .map { String($0).trimmingWhitespace() } ?? ""
        guard !role.isEmpty, !role.contains("/") else { throw failure("\(rolePath) named no role") }

        let (status, body) = try await fetchOrFail(rolePath + role, headers: tokenHeader)
        guard status == 200 else { throw failure("\(rolePath)\(role) answered HTTP \(status)") }
        let document: CredentialDocument
        do {
            document = try JSONDecoder().decode(CredentialDocument.self, from: Data(body))
        } catch {
            throw failure("\(rolePath)\(role) did not answer with a JSON object")
        }
        if let code = document.code, code != "Success" {
            throw failure("\(rolePath)\(role) answered Code \(code)")
        }
        do {
            return try document.credentials()
        } catch let problem as CredentialDocument.Problem {
            throw failure("\(rolePath)\(role) \(problem.message)")
        }
    }

    private func failure(_ message: String) -> AWSConfigurationError {
        .instanceMetadataFailed("EC2 instance metadata at \(ConfigurationValue.shownURL(endpoint)): \(message)")
    }

    private func fetchOrFail(
        _ path: String,
        headers: [(String, String)]
    ) async throws -> (Int, [UInt8]) {
        do {
            return try await fetch(put: false, path, headers: headers)
        } catch {
            throw failure("\(path) could not be fetched: \(error)")
        }
    }

    private func fetch(put: Bool, _ path: String, headers: [(String, String)]) async throws -> (Int, [UInt8]) {
        var request = HTTPClientRequest(url: endpoint + path)
        request.method = put ? .PUT : .GET
        for (name, value) in headers {
            request.headers.add(name: name, value: value)
        }
        let response = try await httpClient.execute(request, timeout: timeout)
        let body = try await response.body.collect(upTo: 1 << 20)
        return (Int(response.status.code), Array(buffer: body))
    }
}
