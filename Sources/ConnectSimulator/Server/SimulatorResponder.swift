import AWSSigV4
import Foundation
import Hummingbird
import Logging
import NIOCore
import OutdialBase
import ServiceLifecycle

/// Serves Amazon Connect's `StartOutboundVoiceContact` (`PUT /contact/outbound-voice`) as Connect
/// does, in this order: route (404), signature (403), rate quota (429), injected fault, body (400),
/// then the contact (200); and DescribeContact, StopContact and GetCurrentMetricData (see
/// `SimulatorResponder+LiveCalls.swift`).
struct SimulatorResponder: HTTPResponder {
    typealias Context = SimulatorRequestContext

    /// Thrown after a reset or a hang, when the connection is already closed and there is nothing to answer.
    struct ConnectionDropped: Error {}

    let engine: SimulatorEngine
    let region: String
    let verifier: SigV4Verifier
    let log: RequestLog
    let clock: SimulatorClock
    let maxBodySize: Int
    let hangLimit: Duration
    let logger: Logger

    func respond(to request: Request, context: Context) async throws -> Response {
        var request = request
        let now = clock.now()
        let requestId = UUID().uuidString.lowercased()
        var record = RequestRecord(
            time: now,
            token: nil,
            destination: nil,
            status: nil,
            errorType: nil,
            contactId: nil,
            newContact: false,
            outcome: .rejected
        )
        guard let route = SimulatorRoute(method: request.method, path: request.uri.path) else {
            return answer(
                &record,
                status: 404,
                type: "UnknownOperationException",
                message: "Unknown operation: \(request.method) \(request.uri.path)",
                requestId: requestId
            )
        }
        guard route == .startOutboundVoiceContact else {
            return try await respondToLiveCall(route, request: &request, now: now, requestId: requestId)
        }
        let body: [UInt8]
        do {
            body = try await collectBody(&request)
        } catch {
            return answer(&record, error, requestId: requestId)
        }
        let json = JSONValue.parse(body)
        record.token = json?.object?["ClientToken"]?.string
        record.destination = json?.object?["DestinationPhoneNumber"]?.string

        do {
            try verifySignature(request, body: body, now: now)
        } catch {
            return answer(&record, error, requestId: requestId)
        }

        let (admission, delay) = engine.admit(at: now)
        switch admission {
        case .admitted:
            break
        case .overQuota, .fault(.throttle):
            let response = answer(
                &record,
                status: 429,
                type: "TooManyRequestsException",
                message: "Rate exceeded",
                requestId: requestId
            )
            try await Task.sleep(for: delay)
            return response
        case .fault(.error):
            let response = answer(
                &record,
                status: 500,
                type: "InternalServiceException",
                message: "Request processing failed due to an internal error (simulated).",
                requestId: requestId
            )
            try await Task.sleep(for: delay)
            return response
        case .fault(.reset):
            record.errorType = "ConnectionReset"
            log.append(record)
            await reset(context.channel)
            throw ConnectionDropped()
        case .fault(.hang):
            record.errorType = "Hang"
            log.append(record)
            await hang(context.channel)
            throw ConnectionDropped()
        }

        do {
            try OutboundVoiceContactValidator.validate(json)
        } catch {
            let response = answer(
                &record,
                status: 400,
                type: error.errorType,
                message: error.message,
                requestId: requestId
            )
            try await Task.sleep(for: delay)
            return response
        }
        let contact = engine.startContact(Self.contactRequest(json, token: record.token), at: now)
        record.status = 200
        record.contactId = contact.contactId
        record.newContact = contact.newContact
        record.outcome = contact.outcome
        log.append(record)
        logger.debug(
            "contact",
            metadata: [
                "destination": .string(Self.mask(record.destination)),
                "contact.id": .string(contact.contactId),
                "outcome": .string(contact.outcome.rawValue),
            ]
        )
        try await Task.sleep(for: delay)
        return AWSResponse.contact(contact.contactId, requestId: requestId)
    }

    /// The body, or `nil` when it is larger than `maxBodySize`.
    func collectBody(_ request: inout Request) async throws(Refusal) -> [UInt8] {
        do {
            return Array(try await request.collectBody(upTo: maxBodySize).readableBytesView)
        } catch {
            throw .bodyTooLarge(limit: maxBodySize)
        }
    }

    /// Verifies the request's SigV4 signature (service `connect`, the simulator's region and keys).
    func verifySignature(_ request: Request, body: [UInt8], now: Date) throws(Refusal) {
        var headers: [(name: String, value: String)] = [("host", request.head.authority ?? "")]
        headers.reserveCapacity(request.headers.count + 1)
        for field in request.headers {
            headers.append((field.name.canonicalName, field.value))
        }
        do {
            _ = try verifier.verify(
                method: request.method.rawValue,
                path: request.uri.path,
                query: request.uri.query ?? "",
                headers: headers,
                body: body,
                now: now
            )
        } catch {
            throw Refusal(error)
        }
    }

    /// What a valid StartOutboundVoiceContact body asks of the contact's life.
    static func contactRequest(_ json: JSONValue?, token: String?) -> SimulatorEngine.ContactRequest {
        let fields = json?.object ?? [:]
        var ringTimeout = 60.0
        if case .number(let seconds) = fields["RingTimeoutInSeconds"] {
            ringTimeout = seconds
        }
        return SimulatorEngine.ContactRequest(
            token: token,
            instanceId: fields["InstanceId"]?.string ?? "",
            queueId: fields["QueueId"]?.string,
            destination: fields["DestinationPhoneNumber"]?.string,
            source: fields["SourcePhoneNumber"]?.string,
            answeringMachineDetection: fields["AnswerMachineDetectionConfig"]?.object?["EnableAnswerMachineDetection"]
                == .bool(true),
            ringTimeout: ringTimeout
        )
    }

    /// Records an error answer and builds it.
    func answer<Record: LoggedRequest>(
        _ record: inout Record,
        status: Int,
        type: String,
        message: String,
        requestId: String
    ) -> Response {
        answer(&record, Refusal(status: status, type: type, message: message), requestId: requestId)
    }

    /// Records an error answer and builds it.
    func answer<Record: LoggedRequest>(_ record: inout Record, _ refusal: Refusal, requestId: String) -> Response {
        record.refuse(status: refusal.status, errorType: refusal.type)
        record.append(to: log)
        logger.debug("refused", metadata: ["status": "\(refusal.status)", "error.type": .string(refusal.type)])
        return AWSResponse.error(
            status: refusal.status,
            type: refusal.type,
            message: refusal.message,
            requestId: requestId
        )
    }

    /// Closes the connection with a TCP reset (linger 0), without answering.
    private func reset(_ channel: any Channel) async {
        if let provider = channel as? any SocketOptionProvider {
            try? await provider.setSoLinger(linger(l_onoff: 1, l_linger: 0)).get()
        }
        try? await channel.close()
    }

    /// Answers nothing until shutdown, the connection closes, or `hangLimit`; then closes it.
    private func hang(_ channel: any Channel) async {
        let limit = hangLimit
        await cancelWhenGracefulShutdown {
            await withTaskCancellationHandler {
                await withTaskGroup(of: Void.self) { group in
                    group.addTask { try? await Task.sleep(for: limit) }
                    group.addTask { try? await channel.closeFuture.get() }
                    await group.next()
                    channel.close(promise: nil)
                    group.cancelAll()
                }
            } onCancel: {
                channel.close(promise: nil)
            }
        }
    }

    /// A phone number fit for a log: its first four and last two characters.
    static func mask(_ number: String?) -> String {
        guard let number else { return "-" }
        guard number.count > 6 else { return String(repeating: "*", count: number.count) }
        return number.prefix(4) + String(repeating: "*", count: number.count - 6) + number.suffix(2)
    }
}
