import AWSSigV4
import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import OutdialCore

/// Why an operation other than the send got no answer to use.
public struct OperationFailure: Error, Sendable {
    public var error: RowError
    /// How the answer is treated, as for the send (throttling, transient, permanent).
    public var failure: AttemptOutcome.Failure
    /// The credentials or the permissions refuse it: asking again cannot help.
    public var isDenied: Bool
}

/// `DescribeContact`, `StopContact` and `GetCurrentMetricData` (live-calls.md, "APIs used"), signed
/// and sent as the send is; errors are read and classified by the same code.
extension ConnectClient {
    /// Error types that mean the operation is not allowed to this identity.
    static let deniedErrorCodes: Set<String> = [
        "AccessDeniedException", "AccessDenied", "UnauthorizedException", "UnknownOperationException",
    ]

    /// One attempt of an operation: the body of a 200 answer, or why there is none.
    func perform(method: HTTPMethod, path: String, body: [UInt8] = []) async -> Result<[UInt8], OperationFailure> {
        let current: AWSCredentials
        do {
            current = try await credentials.credentials()
        } catch {
            let message = (error as? AWSConfigurationError)?.message ?? "\(error)"
            return .failure(
                OperationFailure(
                    error: RowError(code: ErrorCode.noCredentials, message: message, retryable: false),
                    failure: .permanent,
                    isDenied: true
                )
            )
        }
        let request = makeRequest(method: method, path: path, body: body, credentials: current)
        let status: Int
        let headers: [(name: String, value: String)]
        let answer: [UInt8]
        do {
            let response = try await httpClient.execute(request, timeout: TimeAmount(configuration.timeout))
            let buffer = try await response.body.collect(upTo: 1 << 20)
            status = Int(response.status.code)
            headers = response.headers.map { (name: $0.name, value: $0.value) }
            answer = Array(buffer: buffer)
        } catch {
            let outcome = Self.outcome(of: error, endpoint: configuration.endpoint, timeout: configuration.timeout)
            let rowError = outcome.error ?? RowError(code: ErrorCode.connectionError, message: "\(error)")
            return .failure(OperationFailure(error: rowError, failure: .transient, isDenied: false))
        }
        if status == 200 { return .success(answer) }
        switch Self.outcome(status: status, headers: headers, body: answer, milliseconds: 0) {
        case .fatal(let error):
            return .failure(OperationFailure(error: error, failure: .permanent, isDenied: true))
        case .failed(let error, let failure), .notSent(let error, let failure):
            let denied = Self.deniedErrorCodes.contains(error.code)
            return .failure(OperationFailure(error: error, failure: failure, isDenied: denied))
        case .unknown(let error):
            return .failure(OperationFailure(error: error, failure: .transient, isDenied: false))
        case .started:
            return .success(answer)
        }
    }

    /// `DescribeContact`: what Connect says of a contact now.
    public func describeContact(instanceId: String, contactId: String) async -> Result<CallRecord, OperationFailure> {
        let path = "/contacts/\(Self.pathSegment(instanceId))/\(Self.pathSegment(contactId))"
        return await perform(method: .GET, path: path).flatMap { body in
            guard let document = try? JSONSerialization.jsonObject(with: Data(body)) as? [String: Any],
                let contact = document["Contact"] as? [String: Any]
            else {
                return .failure(
                    OperationFailure(
                        error: RowError(
                            code: ErrorCode.invalidResponse,
                            message: "DescribeContact answered without a Contact",
                            http: 200
                        ),
                        failure: .transient,
                        isDenied: false
                    )
                )
            }
            return .success(Self.callRecord(contact))
        }
    }

    /// `StopContact`: ends a contact.
    public func stopContact(instanceId: String, contactId: String) async -> Result<Void, OperationFailure> {
        var w = JSONWriter()
        w.beginObject()
        w.field(plain: "ContactId", contactId)
        w.field(plain: "InstanceId", instanceId)
        w.endObject()
        return await perform(method: .POST, path: "/contact/stop", body: w.bytes).map { _ in () }
    }

    /// `GetCurrentMetricData` for `AGENTS_AVAILABLE` on the voice channel: agents free per queue id.
    public func agentsAvailable(instanceId: String, queueIds: [String]) async -> Result<[String: Int], OperationFailure>
    {
        var w = JSONWriter()
        w.beginObject()
        w.key(plain: "Filters")
        w.beginObject()
        w.key(plain: "Queues")
        w.beginArray()
        for queue in queueIds { w.string(queue) }
        w.endArray()
        w.key(plain: "Channels")
        w.beginArray()
        w.string("VOICE")
        w.endArray()
        w.endObject()
        w.key(plain: "Groupings")
        w.beginArray()
        w.string("QUEUE")
        w.endArray()
        w.key(plain: "CurrentMetrics")
        w.beginArray()
        w.beginObject()
        w.field(plain: "Name", "AGENTS_AVAILABLE")
        w.field(plain: "Unit", "COUNT")
        w.endObject()
        w.endArray()
        w.endObject()
        let path = "/metrics/current/\(Self.pathSegment(instanceId))"
        return await perform(method: .POST, path: path, body: w.bytes).map { body in
            var agents: [String: Int] = [:]
            let document = (try? JSONSerialization.jsonObject(with: Data(body))) as? [String: Any]
            for result in document?["MetricResults"] as? [[String: Any]] ?? [] {
                let dimensions = result["Dimensions"] as? [String: Any]
                guard let queue = (dimensions?["Queue"] as? [String: Any])?["Id"] as? String else { continue }
                for collection in result["Collections"] as? [[String: Any]] ?? [] {
                    let name = (collection["Metric"] as? [String: Any])?["Name"] as? String
                    if name == "AGENTS_AVAILABLE", let value = collection["Value"] as? Double {
                        agents[queue] = Int(value)
                    }
                }
            }
            return agents
        }
    }

    /// A `Contact` object of `DescribeContact` (timestamps as epoch seconds, rest-json's form).
    static func callRecord(_ contact: [String: Any]) -> CallRecord {
        func date(_ key: String) -> Date? {
            if let seconds = contact[key] as? Double { return Date(timeIntervalSince1970: seconds) }
            if let text = contact[key] as? String { return RFC3339Timestamp.date(from: text) }
            return nil
        }
        return CallRecord(
            initiatedAt: date("InitiationTimestamp"),
            connectedAt: date("ConnectedToSystemTimestamp"),
            endedAt: date("DisconnectTimestamp"),
            disconnectReason: contact["DisconnectReason"] as? String,
            amd: contact["AnsweringMachineDetectionStatus"] as? String
        )
    }

    /// An id as one path segment: letters, digits, `-` and `_` as they are, anything else escaped.
    static func pathSegment(_ id: String) -> String {
        var text = ""
        for byte in id.utf8 {
            switch byte {
            case UInt8(ascii: "a") ... UInt8(ascii: "z"), UInt8(ascii: "A") ... UInt8(ascii: "Z"),
                UInt8(ascii: "0") ... UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."),
                UInt8(ascii: "~"):
                text.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                let hex = String(byte, radix: 16, uppercase: true)
                text += "%" + (hex.count == 1 ? "0" + hex : hex)
            }
        }
        return text
    }
}

extension ConnectClient: CallWatcher {
    /// `DescribeContact` for a call this run started.
    public func observe(_ call: LiveCall) async -> CallObservation {
        switch await describeContact(instanceId: call.row.instanceId, contactId: call.contactId) {
        case .success(let record):
            return .observed(record)
        case .failure(let failure) where failure.isDenied:
            return .notAllowed(failure.error)
        case .failure(let failure) where failure.failure == .permanent:
            return .lost(failure.error)
        case .failure(let failure):
            return .failed(failure.error)
        }
    }

    /// `StopContact` for a call this run started.
    public func end(_ call: LiveCall) async -> Bool {
        switch await stopContact(instanceId: call.row.instanceId, contactId: call.contactId) {
        case .success: true
        case .failure(let failure): failure.error.code == "ContactNotFoundException"
        }
    }
}
