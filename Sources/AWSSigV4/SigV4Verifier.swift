#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// Checks a request's AWS Signature Version 4 the way an AWS service does: the `Authorization`
/// header's shape, the access key, the credential scope, the clock skew, the session token, and
/// the signature itself (recomputed over the headers the request says it signed, compared in
/// constant time).
public struct SigV4Verifier: Sendable {
    /// The region requests must be scoped to.
    public var region: String
    /// The service requests must be scoped to.
    public var service: String
    /// How far `x-amz-date` may be from the server's clock, either way (AWS: 5 minutes).
    public var maxClockSkew: TimeInterval
    private let credentialsByKey: [String: AWSCredentials]

    /// Creates a verifier that knows `credentials`. A credential with a session token requires
    /// requests to send exactly that token in `x-amz-security-token`; one without refuses a token.
    public init(region: String, service: String, credentials: [AWSCredentials], maxClockSkew: TimeInterval = 300) {
        self.region = region
        self.service = service
        self.maxClockSkew = maxClockSkew
        var byKey: [String: AWSCredentials] = [:]
        for credential in credentials {
            byKey[credential.accessKeyId] = credential
        }
        self.credentialsByKey = byKey
    }

    /// Verifies a request.
    /// - Parameters:
    ///   - method: The HTTP method.
    ///   - path: The path as received (still percent-encoded).
    ///   - query: The query string as received, without `?`.
    ///   - headers: All request headers (names in any case).
    ///   - body: The exact body bytes.
    ///   - now: The server's clock.
    /// - Returns: The credentials that signed the request.
    /// - Throws: `SigV4VerificationError` saying why the request is refused.
    public func verify(
        method: String,
        path: String,
        query: String = "",
        headers: [(name: String, value: String)],
        body: [UInt8],
        now: Date
    ) throws(SigV4VerificationError) -> AWSCredentials {
        guard let authorization = Self.value(of: "authorization", in: headers) else {
            throw .missingAuthentication
        }
        let parsed = try Self.parse(authorization: authorization)
        let scope = parsed.credential.split(separator: "/", omittingEmptySubsequences: false)
        guard scope.count == 5, scope[4] == "aws4_request" else {
            throw SigV4VerificationError.incompleteSignature.with(
                message: "Credential should be scoped to a valid region and service: '\(parsed.credential)'."
            )
        }
        guard let credentials = credentialsByKey[String(scope[0])] else {
            throw .unrecognizedClient
        }
        guard scope[2] == region else {
            throw SigV4VerificationError.invalidSignature.with(
                message: "Credential should be scoped to a valid region, not '\(scope[2])'."
            )
        }
        guard scope[3] == service else {
            throw SigV4VerificationError.invalidSignature.with(
                message: "Credential should be scoped to correct service: '\(service)'."
            )
        }
        guard let amzDate = Self.value(of: "x-amz-date", in: headers) else {
            throw SigV4VerificationError.incompleteSignature.with(
                message: "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header."
            )
        }
        guard let signedAt = AMZDate.parse(amzDate) else {
            throw SigV4VerificationError.incompleteSignature.with(
                message: "Date must be in ISO-8601 'basic format'. Got '\(amzDate)'."
            )
        }
        guard scope[1] == amzDate.prefix(8) else {
            throw SigV4VerificationError.invalidSignature.with(
                message: "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: "
                    + "'\(scope[1])' != '\(amzDate.prefix(8))', from '\(amzDate)'."
            )
        }
        let skew = now.timeIntervalSince(signedAt)
        let minutes = Int(maxClockSkew / 60)
        if skew > maxClockSkew {
            let earliest = AMZDate.format(now.addingTimeInterval(-maxClockSkew))
            throw SigV4VerificationError.signatureExpired.with(
                message: "Signature expired: \(amzDate) is now earlier than \(earliest) "
                    + "(\(AMZDate.format(now)) - \(minutes) min.)"
            )
        }
        if -skew > maxClockSkew {
            let latest = AMZDate.format(now.addingTimeInterval(maxClockSkew))
            throw SigV4VerificationError.signatureExpired.with(
                message: "Signature not yet current: \(amzDate) is still later than \(latest) "
                    + "(\(AMZDate.format(now)) + \(minutes) min.)"
            )
        }
        let token = Self.value(of: "x-amz-security-token", in: headers)
        guard token == credentials.sessionToken else {
            throw .unrecognizedClient
        }
        guard parsed.signedHeaders.contains("host") else {
            throw SigV4VerificationError.invalidSignature.with(
                message: "'Host' must be a 'SignedHeader' in the AWS Authorization."
            )
        }
        guard let block = SigV4Canonical.headers(headers, signing: parsed.signedHeaders) else {
            throw .invalidSignature
        }
        let canonicalRequest = SigV4Canonical.canonicalRequest(
            method: method,
            path: path,
            query: query,
            canonicalHeaders: block.canonical,
            signedHeaders: block.signed,
            payloadHash: SigV4Canonical.payloadHash(body)
        )
        let stringToSign = SigV4Canonical.stringToSign(
            amzDate: amzDate,
            scope: "\(scope[1])/\(region)/\(service)/aws4_request",
            canonicalRequest: canonicalRequest
        )
        let key = SigV4Canonical.signingKey(
            secret: credentials.secretAccessKey,
            day: String(scope[1]),
            region: region,
            service: service
        )
        let expected = SigV4Canonical.signature(key: key, stringToSign: stringToSign)
        guard Self.constantTimeEqual(expected, parsed.signature) else {
            throw .invalidSignature
        }
        return credentials
    }

    private struct Authorization {
        var credential: String
        var signedHeaders: [String]
        var signature: String
    }

    /// Parses `AWS4-HMAC-SHA256 Credential=..., SignedHeaders=a;b, Signature=hex`.
    private static func parse(authorization: String) throws(SigV4VerificationError) -> Authorization {
        let prefix = SigV4Canonical.algorithm + " "
        guard authorization.hasPrefix(prefix) else {
            throw SigV4VerificationError.incompleteSignature.with(
                message: "Authorization header requires the '\(SigV4Canonical.algorithm)' algorithm."
            )
        }
        var credential: String?
        var signedHeaders: [String]?
        var signature: String?
        for part in authorization.utf8.dropFirst(prefix.utf8.count).split(separator: UInt8(ascii: ",")) {
            var item = part[...]
            while item.first == UInt8(ascii: " ") { item = item.dropFirst() }
            while item.last == UInt8(ascii: " ") { item = item.dropLast() }
            guard let equals = item.firstIndex(of: UInt8(ascii: "=")) else { continue }
            let value = String(decoding: item[item.index(after: equals)...], as: UTF8.self)
            switch String(decoding: item[..<equals], as: UTF8.self) {
            case "Credential": credential = value
            case "SignedHeaders": signedHeaders = value.split(separator: ";").map { $0.lowercased() }
            case "Signature": signature = value
            default: break
            }
        }
        guard let credential, let signedHeaders, let signature, !signedHeaders.isEmpty else {
            var missing: [String] = []
            if credential == nil { missing.append("Credential") }
            if signedHeaders?.isEmpty ?? true { missing.append("SignedHeaders") }
            if signature == nil { missing.append("Signature") }
            throw SigV4VerificationError.incompleteSignature.with(
                message: "Authorization header requires '\(missing.joined(separator: "', '"))' parameter(s)."
            )
        }
        return Authorization(credential: credential, signedHeaders: signedHeaders, signature: signature)
    }

    private static func value(of name: String, in headers: [(name: String, value: String)]) -> String? {
        for header in headers where header.name.utf8.count == name.utf8.count && header.name.lowercased() == name {
            return header.value
        }
        return nil
    }

    private static func constantTimeEqual(_ lhs: String, _ rhs: String) -> Bool {
        let a = Array(lhs.utf8)
        let b = Array(rhs.utf8)
        guard a.count == b.count else { return false }
        var difference: UInt8 = 0
        for index in a.indices {
            difference |= a[index] ^ b[index]
        }
        return difference == 0
    }
}
