#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// A set of AWS credentials: an access key, its secret, and for temporary credentials a session
/// token and an expiry.
///
/// `description` never shows the secret or the session token.
public struct AWSCredentials: Sendable, Hashable, CustomStringConvertible {
    /// The access key id, e.g. `AKIDEXAMPLE`.
    public var accessKeyId: String
    /// The secret access key. Never logged.
    public var secretAccessKey: String
    /// The session token of temporary credentials, sent as `x-amz-security-token`.
    public var sessionToken: String?
    /// When temporary credentials stop being valid.
    public var expiration: Date?

    /// Creates credentials.
    public init(accessKeyId: String, secretAccessKey: String, sessionToken: String? = nil, expiration: Date? = nil) {
        self.accessKeyId = accessKeyId
        self.secretAccessKey = secretAccessKey
        self.sessionToken = sessionToken
        self.expiration = expiration
    }

    public var description: String {
        var text = "AWSCredentials(accessKeyId: \(accessKeyId), secretAccessKey: <redacted>"
        if sessionToken != nil {
            text += ", sessionToken: <redacted>"
        }
        if let expiration {
            text += ", expiration: \(AMZDate.format(expiration))"
        }
        return text + ")"
    }
}
