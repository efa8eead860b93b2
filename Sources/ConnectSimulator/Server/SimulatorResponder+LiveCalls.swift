import Foundation
import Hummingbird

extension SimulatorResponder {
    /// Serves DescribeContact, StopContact and GetCurrentMetricData, in this order: signature (403),
    /// the operation's quota (429 `ThrottlingException`), body or path (400), then the answer.
    func respondToLiveCall(
        _ route: SimulatorRoute,
        request: inout Request,
        now: Date,
        requestId: String
    ) async throws -> Response {
        var record = OperationRecord(time: now, operation: route.operation, contactId: nil, status: 0, errorType: nil)
        if case .describeContact(_, let contactId) = route {
            record.contactId = contactId
        }
        let body: [UInt8]
        do {
            body = try await collectBody(&request)
        } catch {
            return answer(&record, error, requestId: requestId)
        }
        let json = route == .stopContact ? JSONValue.parse(body) : nil
        if route == .stopContact {
            record.contactId = json?.object?["ContactId"]?.string
        }
        do {
            try verifySignature(request, body: body, now: now)
        } catch {
            return answer(&record, error, requestId: requestId)
        }
        guard engine.admit(route.operation, at: now) else {
            return answer(
                &record,
                status: 429,
                type: "ThrottlingException",
                message: "Rate exceeded",
                requestId: requestId
            )
        }
        let reply: String
        do {
            switch route {
            case .startOutboundVoiceContact:
                preconditionFailure("StartOutboundVoiceContact is served by respond(to:context:)")
            case .describeContact(let instanceId, let contactId):
                try LiveCallRequests.describeContact(instanceId: instanceId, contactId: contactId)
                guard let contact = engine.contact(contactId, instanceId: instanceId, at: now) else {
                    return answer(
                        &record,
                        status: 404,
                        type: "ResourceNotFoundException",
                        message: "Contact \(contactId) not found in instance \(instanceId).",
                        requestId: requestId
                    )
                }
                reply = LiveCallAnswers.describeContact(contact, region: region, seenAt: now)
            case .stopContact:
                let stop = try LiveCallRequests.stopContact(json)
                guard engine.stop(stop.contactId, instanceId: stop.instanceId, reason: stop.reason, at: now) else {
                    return answer(
                        &record,
                        status: 410,
                        type: "ContactNotFoundException",
                        message: "The contact with the specified ID is not active or does not exist.",
                        requestId: requestId
                    )
                }
                reply = "{}"
            case .getCurrentMetricData(let instanceId):
                let query = try LiveCallRequests.metricsQuery(JSONValue.parse(body))
                let agents = engine.agents(in: query.queues, at: now)
                reply = LiveCallAnswers.currentMetrics(
                    query,
                    agents: agents,
                    instanceId: instanceId,
                    region: region,
                    at: now
                )
            }
        } catch {
            return answer(&record, status: 400, type: error.errorType, message: error.message, requestId: requestId)
        }
        record.status = 200
        log.append(record)
        return AWSResponse.json(reply, requestId: requestId)
    }
}
