/// Why a request's signature was refused, with the message AWS gives for it.
///
/// Two errors are equal when their kind is equal, whatever the message; compare with the static
/// members (`error == .signatureExpired`).
public struct SigV4VerificationError: Error, Hashable, Sendable, CustomStringConvertible {
    private enum Code: Hashable, Sendable {
        case missingAuthentication
        case incompleteSignature
        case unrecognizedClient
        case invalidSignature
        case signatureExpired
    }

    private let code: Code
    /// A human-readable explanation, in AWS's words where AWS has them.
    public let message: String

    private init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    /// No `Authorization` header.
    public static let missingAuthentication = SigV4VerificationError(
        .missingAuthentication,
        "Missing Authentication Token"
    )
    /// An `Authorization` header or `x-amz-date` that does not have SigV4's shape.
    public static let incompleteSignature = SigV4VerificationError(
        .incompleteSignature,
        "The request signature does not conform to AWS standards."
    )
    /// An unknown access key, or a wrong or missing session token.
    public static let unrecognizedClient = SigV4VerificationError(
        .unrecognizedClient,
        "The security token included in the request is invalid."
    )
    /// A signature that does not match, or a credential scope for another region or service.
    public static let invalidSignature = SigV4VerificationError(
        .invalidSignature,
        "The request signature we calculated does not match the signature you provided. "
            + "Check your AWS Secret Access Key and signing method. Consult the service documentation for details."
    )
    /// A request signed more than the allowed skew away from the server's clock.
    public static let signatureExpired = SigV4VerificationError(.signatureExpired, "Signature expired")

    /// The same kind of error with another message.
    public func with(message: String) -> SigV4VerificationError {
        SigV4VerificationError(code, message)
    }

    /// A stable short name: `missingAuthentication`, `incompleteSignature`, `unrecognizedClient`,
    /// `invalidSignature` or `signatureExpired`.
    public var shortName: String {
        switch code {
        case .missingAuthentication: "missingAuthentication"
        case .incompleteSignature: "incompleteSignature"
        case .unrecognizedClient: "unrecognizedClient"
        case .invalidSignature: "invalidSignature"
        case .signatureExpired: "signatureExpired"
        }
    }

    /// The error type AWS answers with (`x-amzn-ErrorType`), e.g. `InvalidSignatureException`.
    public var awsErrorType: String {
        switch code {
        case .missingAuthentication: "MissingAuthenticationTokenException"
        case .incompleteSignature: "IncompleteSignatureException"
        case .unrecognizedClient: "UnrecognizedClientException"
        case .invalidSignature, .signatureExpired: "InvalidSignatureException"
        }
    }

    /// The HTTP status AWS answers with: 400 for an incomplete signature, else 403.
    public var httpStatus: Int {
        code == .incompleteSignature ? 400 : 403
    }

    public var description: String { "\(shortName): \(message)" }

    public static func == (lhs: Self, rhs: Self) -> Bool { lhs.code == rhs.code }
    public func hash(into hasher: inout Hasher) { hasher.combine(code) }
}
