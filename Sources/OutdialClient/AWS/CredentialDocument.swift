import AWSSigV4
import Foundation

/// The JSON shape that `credential_process`, the container endpoint and the instance metadata
/// service answer with (`SessionToken` from a process, `Token` from the endpoints).
struct CredentialDocument: Decodable {
    struct Problem: Error {
        let message: String
    }

    var version: Int?
    var code: String?
    var accessKeyId: String?
    var secretAccessKey: String?
    var sessionToken: String?
    var token: String?
    var expiration: String?

    enum CodingKeys: String, CodingKey {
        case version = "Version"
        case code = "Code"
        case accessKeyId = "AccessKeyId"
        case secretAccessKey = "SecretAccessKey"
        case sessionToken = "SessionToken"
        case token = "Token"
        case expiration = "Expiration"
    }

    /// The credentials; a problem message (never holding a secret) when a field is missing.
    func credentials() throws -> AWSCredentials {
        guard let accessKeyId, !accessKeyId.isEmpty else { throw Problem(message: "gave no AccessKeyId") }
        guard let secretAccessKey, !secretAccessKey.isEmpty else {
            throw Problem(message: "gave no SecretAccessKey")
        }
        var expires: Date?
        if let expiration {
            guard let date = Self.parseDate(expiration) else {
                throw Problem(message: "gave an Expiration that is not an ISO 8601 time: \(expiration)")
            }
            expires = date
        }
        return AWSCredentials(
            accessKeyId: accessKeyId,
            secretAccessKey: secretAccessKey,
            sessionToken: sessionToken ?? token,
            expiration: expires
        )
    }

    /// An ISO 8601 time such as `2026-11-25T02:00:00Z`, with or without fractional seconds, `Z`
    /// or an offset.
    static func parseDate(_ text: String) -> Date? {
        let text = text.trimmingWhitespace()
        if let date = try? Date.ISO8601FormatStyle(includingFractionalSeconds: true).parse(text) { return date }
        return try? Date(text, strategy: .iso8601)
    }
}
