#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// Signs requests with AWS Signature Version 4 (header form, `AWS4-HMAC-SHA256`).
///
/// A pure value: the date is passed in, so the same input always gives the same signature.
///
/// ```swift
/// let signer = SigV4Signer(credentials: credentials, region: "us-east-1", service: "connect")
/// let signed = signer.sign(
///     method: "PUT", path: "/contact/outbound-voice", host: "connect.us-east-1.amazonaws.com",
///     headers: [("content-type", "application/json")], body: body, date: .now)
/// ```
public struct SigV4Signer: Sendable {
    /// The credentials that sign.
    public var credentials: AWSCredentials
    /// The region of the credential scope, e.g. `us-east-1`.
    public var region: String
    /// The service of the credential scope, e.g. `connect`.
    public var service: String

    /// Creates a signer for one region and service.
    public init(credentials: AWSCredentials, region: String, service: String) {
        self.credentials = credentials
        self.region = region
        self.service = service
    }

    /// Signs a request.
    /// - Parameters:
    ///   - method: The HTTP method, e.g. `PUT`.
    ///   - path: The path as sent on the wire (already percent-encoded), e.g. `/contact/outbound-voice`.
    ///   - query: The query string as sent, without `?`.
    ///   - host: The `Host` header value (with `:port` when not the scheme's default).
    ///   - headers: The headers to sign besides `host`, `x-amz-date` and `x-amz-security-token`,
    ///     e.g. `content-type`.
    ///   - body: The exact body bytes.
    ///   - date: The signing time.
    /// - Returns: The headers to add and the texts that were signed.
    public func sign(
        method: String,
        path: String,
        query: String = "",
        host: String,
        headers: [(name: String, value: String)],
        body: [UInt8],
        date: Date
    ) -> SignedRequest {
        let amzDate = AMZDate.format(date)
        var all: [(name: String, value: String)] = headers.map { ($0.name.lowercased(), $0.value) }
        all.append(("host", host))
        all.append(("x-amz-date", amzDate))
        if let token = credentials.sessionToken {
            all.append(("x-amz-security-token", token))
        }
        let names = Array(Set(all.map(\.name))).sorted()
        // Every name comes from `all`, so the headers are always found.
        let block = SigV4Canonical.headers(all, signing: names) ?? (canonical: "", signed: "")
        let canonicalRequest = SigV4Canonical.canonicalRequest(
            method: method,
            path: path,
            query: query,
            canonicalHeaders: block.canonical,
            signedHeaders: block.signed,
            payloadHash: SigV4Canonical.payloadHash(body)
        )
        let day = String(amzDate.prefix(8))
        let scope = "\(day)/\(region)/\(service)/aws4_request"
        let stringToSign = SigV4Canonical.stringToSign(
            amzDate: amzDate,
            scope: scope,
            canonicalRequest: canonicalRequest
        )
        let key = SigV4Canonical.signingKey(
            secret: credentials.secretAccessKey,
            day: day,
            region: region,
            service: service
        )
        let signature = SigV4Canonical.signature(key: key, stringToSign: stringToSign)
        let authorization =
            "\(SigV4Canonical.algorithm) Credential=\(credentials.accessKeyId)/\(scope), "
            + "SignedHeaders=\(block.signed), Signature=\(signature)"
        var added: [(name: String, value: String)] = [("x-amz-date", amzDate)]
        if let token = credentials.sessionToken {
            added.append(("x-amz-security-token", token))
        }
        added.append(("authorization", authorization))
        return SignedRequest(
            headers: added,
            canonicalRequest: canonicalRequest,
            stringToSign: stringToSign,
            signature: signature,
            authorization: authorization
        )
    }
}
