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

    /// Error types worth another attempt.
    static let retryableErrorCodes: Set<String> = [
        "TooManyRequestsException", "ThrottlingException", "LimitExceededException", "Throttling",
        "RequestLimitExceeded", "ServiceUnavailableException", "InternalServiceException",
    ]

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
                    code: "InvalidResponse",
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
            ?? "HTTP\(status)"
        let message =
            (document?["message"] as? String) ?? (document?["Message"] as? String)
            ?? "HTTP \(status) without an error message"
        if credentialErrorCodes.contains(code) {
            return .fatal(RowError(code: code, message: message, http: status, retryable: false))
        }
        let retryable = status == 429 || status >= 500 || retryableErrorCodes.contains(code)
        return .failed(RowError(code: code, message: message, http: status, retryable: retryable))
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
                    RowError(code: "Timeout", message: "no answer from \(target) within \(timeout)", retryable: true)
                )
            case .connectTimeout, .getConnectionFromPoolTimeout, .tlsHandshakeTimeout:
                return .notSent(
                    RowError(code: "ConnectTimeout", message: "could not connect to \(target) in time", retryable: true)
                )
            case .remoteConnectionClosed:
                return lostConnection(target, "the connection was closed before the answer")
            case .cancelled:
                return .unknown(RowError(code: "Cancelled", message: "the request was cancelled", retryable: true))
            case .alreadyShutdown:
                return .notSent(
                    RowError(code: "ClientShutDown", message: "the HTTP client was shut down", retryable: false)
                )
            default:
                return lostConnection(target, "\(error)")
            }
        }
        if let error = error as? IOError {
            switch error.errnoCode {
            case ECONNREFUSED, ENETUNREACH, EHOSTUNREACH:
                return .notSent(connectionFailure(target, error))
            default:
                return lostConnection(target, "\(error)")
            }
        }
        if let error = error as? ChannelError {
            if case .connectTimeout = error {
                return .notSent(
                    RowError(code: "ConnectTimeout", message: "could not connect to \(target) in time", retryable: true)
                )
            }
            return lostConnection(target, "\(error)")
        }
        let typeName = String(describing: type(of: error))
        let text = String(describing: error)
        if typeName == "NIOConnectionError" {
            if text.hasPrefix("DNS error") {
                return .notSent(
                    RowError(code: "HostNotFound", message: "cannot resolve \(endpoint.host): \(text)", retryable: true)
                )
            }
            return .notSent(connectionFailure(target, error))
        }
        if typeName.hasPrefix("NIOSSL") || typeName.hasPrefix("BoringSSL") {
            if text.contains("uncleanShutdown") {
                return lostConnection(target, text)
            }
            return .notSent(RowError(code: "TLSError", message: "TLS with \(target) failed: \(text)", retryable: false))
        }
        return lostConnection(target, text)
    }

    private static func connectionFailure(_ target: String, _ error: any Error) -> RowError {
        let text = String(describing: error)
        let code = text.lowercased().contains("refused") ? "ConnectionRefused" : "ConnectionFailed"
        return RowError(code: code, message: "could not connect to \(target): \(text)", retryable: true)
    }

    private static func lostConnection(_ target: String, _ detail: String) -> AttemptOutcome {
        .unknown(RowError(code: "ConnectionError", message: "connection to \(target) lost: \(detail)", retryable: true))
    }
}
