import AsyncHTTPClient
import Foundation
import NIOCore
import OutdialCore

extension ConnectClient {
    /// Error types that mean the credentials themselves were refused: no further request can
    /// succeed in this run.
    static let credentialErrorCodes: Set<String> = [
        "UnrecognizedClientException", "InvalidSignatureException", "ExpiredTokenException",
        "IncompleteSignatureException", "MissingAuthenticationTokenException", "InvalidClientTokenId",
        "SignatureDoesNotMatch", "ExpiredToken",
    ]

    /// Error types that ask the caller to slow down, whatever the status.
    static let throttlingErrorCodes: Set<String> = [
        "ThrottlingException", "TooManyRequestsException", "ThrottledException",
    ]

    /// Error types of a temporary fault on Connect's side, whatever the status.
    static let transientErrorCodes: Set<String> = [
        "ServiceUnavailable", "ServiceUnavailableException", "InternalServiceException",
    ]

    /// How an error answer is treated: throttling (any 429, so `LimitExceededException` with 429,
    /// and the throttling codes whatever the status), transient (5xx, the service-fault codes) or
    /// permanent (`LimitExceededException` with 400 is a quota, not a rate). The one place
    /// answers are classified.
    static func classify(code: String, status: Int) -> AttemptOutcome.Failure {
        if status == 429 || throttlingErrorCodes.contains(code) { return .throttling }
        if status >= 500 || transientErrorCodes.contains(code) { return .transient }
        return .permanent
    }

    /// What a response comes to.
    static func outcome(
        status: Int,
        headers: [(name: String, value: String)],
        body: [UInt8],
        milliseconds: Int
    ) -> AttemptOutcome {
        let document = (try? JSONSerialization.jsonObject(with: Data(body))) as? [String: Any]
        if status == 200 {
            if let contactId = document?["ContactId"] as? String, !contactId.isEmpty {
                return .started(contactId: contactId, milliseconds: milliseconds)
            }
            return .unknown(
                RowError(
                    code: ErrorCode.invalidResponse,
                    message: "HTTP 200 without a ContactId",
                    http: status,
                    retryable: true
                )
            )
        }
        let headerType = headers.first { $0.name.lowercased() == "x-amzn-errortype" }?.value
        let bodyType =
            (document?["__type"] as? String) ?? (document?["code"] as? String)
            ?? (document?["Code"] as? String)
        let code =
            [headerType, bodyType].lazy.compactMap { $0.flatMap(errorCode(from:)) }.first
            ?? ErrorCode.http(status)
        let message =
            (document?["message"] as? String) ?? (document?["Message"] as? String)
            ?? "HTTP \(status) without an error message"
        if credentialErrorCodes.contains(code) {
            return .fatal(RowError(code: code, message: message, http: status, retryable: false))
        }
        let failure = classify(code: code, status: status)
        return .failed(RowError(code: code, message: message, http: status, retryable: failure.isRetryable), failure)
    }

    /// An AWS error type as a short name: `com.amazonaws.connect#InvalidParameterException:http://...`
    /// becomes `InvalidParameterException` (cut at `:`, then keep what follows the last `#`).
    static func errorCode(from type: String) -> String? {
        var code = Substring(type)
        if let colon = code.firstIndex(of: ":") { code = code[..<colon] }
        if let hash = code.lastIndex(of: "#") { code = code[code.index(after: hash)...] }
        let trimmed = code.trimmingCharacters(in: .whitespaces)
        return trimmed.isEmpty ? nil : trimmed
    }

    /// What a failure without a response comes to: certainly not sent (nothing connected), or
    /// perhaps sent (a timeout or a lost connection after the request went out).
    static func outcome(of error: any Error, endpoint: ConnectEndpoint, timeout: Duration) -> AttemptOutcome {
        let target = endpoint.hostHeader
        if let error = error as? HTTPClientError {
            switch error {
            case .deadlineExceeded, .readTimeout, .writeTimeout:
                return .unknown(
                    RowError(
                        code: ErrorCode.timeout,
                        message: "no answer from \(target) within \(timeout)",
                        retryable: true
                    )
                )
            case .connectTimeout, .getConnectionFromPoolTimeout, .tlsHandshakeTimeout:
                return connectTimeout(target)
            case .remoteConnectionClosed:
                return lostConnection(target, "the connection was closed before the answer")
            case .cancelled:
                return .unknown(
                    RowError(code: ErrorCode.cancelled, message: "the request was cancelled", retryable: true)
                )
            case .alreadyShutdown:
                return .notSent(
                    RowError(
                        code: ErrorCode.clientShutDown,
                        message: "the HTTP client was shut down",
                        retryable: false
                    ),
                    .permanent
                )
            default:
                return lostConnection(target, "\(error)")
            }
        }
        if let error = error as? IOError {
            // Only a refusal is certainly before the request: an unreachable network or host can
            // also end a connection the request was already written to.
            if error.errnoCode == ECONNREFUSED {
                return .notSent(connectionFailure(target, error), .transient)
            }
            return lostConnection(target, "\(error)")
        }
        if let error = error as? ChannelError {
            if case .connectTimeout = error {
                return connectTimeout(target)
            }
            return lostConnection(target, "\(error)")
        }
        let typeName = String(describing: type(of: error))
        let text = String(describing: error)
        if typeName == "NIOConnectionError" {
            if text.hasPrefix("DNS error") {
                return .notSent(
                    RowError(
                        code: ErrorCode.hostNotFound,
                        message: "cannot resolve \(endpoint.host): \(text)",
                        retryable: true
                    ),
                    .transient
                )
            }
            return .notSent(connectionFailure(target, error), .transient)
        }
        if typeName.hasPrefix("NIOSSL") || typeName.hasPrefix("BoringSSL") {
            // Only a failed handshake or certificate check is certainly before the request; any
            // other TLS error (an alert or a bad record later) may come after it was written.
            let beforeRequest = ["handshakeFailed", "unableToValidateCertificate", "failedToValidateHostname"]
            guard beforeRequest.contains(where: text.contains) || typeName.hasPrefix("NIOSSLExtraError") else {
                return lostConnection(target, text)
            }
            return .notSent(
                RowError(code: ErrorCode.tlsError, message: "TLS with \(target) failed: \(text)", retryable: false),
                .permanent
            )
        }
        return lostConnection(target, text)
    }

    private static func connectionFailure(_ target: String, _ error: any Error) -> RowError {
        let text = String(describing: error)
        let code = text.lowercased().contains("refused") ? ErrorCode.connectionRefused : ErrorCode.connectionFailed
        return RowError(code: code, message: "could not connect to \(target): \(text)", retryable: true)
    }

    private static func lostConnection(_ target: String, _ detail: String) -> AttemptOutcome {
        .unknown(
            RowError(
                code: ErrorCode.connectionError,
                message: "connection to \(target) lost: \(detail)",
                retryable: true
            )
        )
    }

    private static func connectTimeout(_ target: String) -> AttemptOutcome {
        .notSent(
            RowError(
                code: ErrorCode.connectTimeout,
                message: "could not connect to \(target) in time",
                retryable: true
            ),
            .transient
        )
    }
}
