import AWSSigV4

/// An error answer: its HTTP status, `x-amzn-ErrorType` and message.
struct Refusal: Error, Sendable, Equatable {
    var status: Int
    var type: String
    var message: String

    /// A body larger than the simulator takes.
    static func bodyTooLarge(limit: Int) -> Refusal {
        Refusal(status: 413, type: "SerializationException", message: "The request body is larger than \(limit) bytes.")
    }

    /// A request whose signature is refused.
    init(_ error: SigV4VerificationError) {
        self.init(status: error.httpStatus, type: error.awsErrorType, message: error.message)
    }

    init(status: Int, type: String, message: String) {
        self.status = status
        self.type = type
        self.message = message
    }
}
