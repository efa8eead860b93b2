import AsyncHTTPClient
import Foundation
import NIOCore

/// Pushes a run's figures to a Prometheus Pushgateway at its end, the batch-job convention: one
/// group per job, `job="outdial"` and `job_id` its id. A run that succeeded replaces its group
/// (PUT); one that did not updates only the metrics it pushes (POST), so the group keeps the
/// `outdial_last_success_timestamp_seconds` of the last run that succeeded.
struct Pushgateway: Sendable {
    /// The gateway's address, e.g. `http://pushgateway:9091`.
    var url: String

    /// The group's URL for `jobId`: label values that are not plain URL path characters are sent
    /// base64url-encoded (`job_id@base64/…`), as the Pushgateway reads them.
    func groupURL(jobId: String) -> String {
        let base = url.hasSuffix("/") ? String(url.dropLast()) : url
        let plain =
            !jobId.isEmpty
            && jobId.utf8.allSatisfy { byte in
                switch byte {
                case UInt8(ascii: "a") ... UInt8(ascii: "z"), UInt8(ascii: "A") ... UInt8(ascii: "Z"),
                    UInt8(ascii: "0") ... UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."):
                    true
                default: false
                }
            }
        if plain { return "\(base)/metrics/job/outdial/job_id/\(jobId)" }
        let encoded = Data(jobId.utf8).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_")
        return "\(base)/metrics/job/outdial/job_id@base64/\(encoded.isEmpty ? "=" : encoded)"
    }

    /// Sends `bytes` to the group of `jobId`.
    /// - Parameter replace: PUT (the group becomes these metrics) rather than POST.
    /// - Returns: nil, or why the push failed.
    func push(_ bytes: [UInt8], jobId: String, replace: Bool) async -> String? {
        var request = HTTPClientRequest(url: groupURL(jobId: jobId))
        request.method = replace ? .PUT : .POST
        request.headers.add(name: "Content-Type", value: "text/plain; version=0.0.4")
        request.body = .bytes(ByteBuffer(bytes: bytes))
        do {
            let response = try await HTTPClient.shared.execute(request, timeout: .seconds(10))
            let body = try await response.body.collect(upTo: 64 * 1024)
            guard (200 ..< 300).contains(response.status.code) else {
                let text = String(buffer: body).trimmingCharacters(in: .whitespacesAndNewlines)
                return "\(response.status.code) \(response.status.reasonPhrase)" + (text.isEmpty ? "" : ": \(text)")
            }
            return nil
        } catch {
            return "\(error)"
        }
    }
}
