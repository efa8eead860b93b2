/// The result of signing a request: the headers to add, and the intermediate texts for debugging
/// and tests.
public struct SignedRequest: Sendable {
    /// The headers to add to the request: `x-amz-date`, `x-amz-security-token` (with a session
    /// token) and `authorization`, in that order.
    public var headers: [(name: String, value: String)]
    /// The canonical request that was hashed.
    public var canonicalRequest: String
    /// The string that was signed.
    public var stringToSign: String
    /// The hex signature.
    public var signature: String
    /// The value of the `Authorization` header.
    public var authorization: String

    /// Creates a signed request from its parts.
    public init(
        headers: [(name: String, value: String)],
        canonicalRequest: String,
        stringToSign: String,
        signature: String,
        authorization: String
    ) {
        self.headers = headers
        self.canonicalRequest = canonicalRequest
        self.stringToSign = stringToSign
        self.signature = signature
        self.authorization = authorization
    }
}
