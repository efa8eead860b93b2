import AsyncHTTPClient
import Logging
import OutdialCore

extension ConnectClient {
    /// Header values never shown as they are: signatures, tokens, secrets.
    static func redactedHeaderValue(name: String, value: String) -> String {
        switch name.lowercased() {
        case "authorization":
            // Keep the access key id, scope and signed headers; drop the signature.
            guard let range = value.range(of: "Signature=") else { return "<redacted>" }
            return value[..<range.upperBound] + "<redacted>"
        case "x-amz-security-token", "x-aws-ec2-metadata-token", "cookie", "set-cookie":
            return "<redacted>"
        default:
            return value
        }
    }

    static func metadata(row: PlannedRow, attempt: Int) -> Logger.Metadata {
        [
            "job": "\(row.ref.job)",
            "source": "\(row.ref.source)",
            "row": "\(row.ref.row)",
            "attempt": "\(attempt)",
        ]
    }

    func logRequest(_ request: HTTPClientRequest, row: PlannedRow, attempt: Int) {
        let headers = request.headers.map { "\($0.name): \(Self.redactedHeaderValue(name: $0.name, value: $0.value))" }
        let body = PhoneMasking.maskNumbers(in: String(decoding: row.body, as: UTF8.self))
        logger.debug(
            """
            request \(request.method.rawValue) \(request.url)
            \(headers.joined(separator: "\n"))

            \(body)
            """,
            metadata: Self.metadata(row: row, attempt: attempt)
        )
    }

    func logResponse(
        status: Int,
        headers: [(name: String, value: String)],
        body: [UInt8],
        milliseconds: Int,
        row: PlannedRow,
        attempt: Int
    ) {
        let lines = headers.map { "\($0.name): \(Self.redactedHeaderValue(name: $0.name, value: $0.value))" }
        let text = PhoneMasking.maskNumbers(in: String(decoding: body.prefix(4096), as: UTF8.self))
        logger.debug(
            """
            response \(status) in \(milliseconds) ms
            \(lines.joined(separator: "\n"))

            \(text)
            """,
            metadata: Self.metadata(row: row, attempt: attempt)
        )
    }
}
