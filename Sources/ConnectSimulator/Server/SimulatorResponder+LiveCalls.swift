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
        guard let body = await collectBody(&request) else {
            return refuse(
                &record,
                status: 413,
                type: "SerializationException",
                message: "The request body is larger than \(maxBodySize) bytes.",
                requestId: requestId
            )
        }
        let json = route == .stopContact ? JSONValue.parse(body) : nil
        if route == .stopContact {
            record.contactId = json?.object?["ContactId"]?.string
        }
        do {
            try verifySignature(request, body: body, now: now)
        } catch {
            return refuse(
                &record,
                status: error.httpStatus,
                type: error.awsErrorType,
                message: error.message,
                requestId: requestId
            )
        }
        guard engine.admit(route.operation, at: now) else {
            return refuse(
                &record,
                status: 429,
                type: "ThrottlingException",
                message: "Rate exceeded",
                requestId: requestId
            )
        }
        let answer: String
        do {
            switch route {
            case .startOutboundVoiceContact:
                preconditionFailure("StartOutboundVoiceContact is served by respond(to:context:)")
            case .describeContact(let instanceId, let contactId):
                try LiveCallRequests.describeContact(instanceId: instanceId, contactId: contactId)
                guard let contact = engine.contact(contactId, instanceId: instanceId, at: now) else {
                    return refuse(
                        &record,
                        status: 404,
                        type: "ResourceNotFoundException",
                        message: "Contact \(contactId) not found in instance \(instanceId).",
                        requestId: requestId
                    )
                }
                answer = LiveCallAnswers.describeContact(contact, region: region, seenAt: now)
            case .stopContact:
                let stop = try LiveCallRequests.stopContact(json)
                guard engine.stop(stop.contactId, instanceId: stop.instanceId, reason: stop.reason, at: now) else {
                    return refuse(
                        &record,
                        status: 410,
                        type: "ContactNotFoundException",
                        message: "The contact with the specified ID is not active or does not exist.",
                        requestId: requestId
                    )
                }
                answer = "{}"
            case .getCurrentMetricData(let instanceId):
                let query = try LiveCallRequests.metricsQuery(JSONValue.parse(body))
                let agents = engine.agents(in: query.queues, at: now)
                answer = LiveCallAnswers.currentMetrics(
                    query,
                    agents: agents,
                    instanceId: instanceId,
                    region: region,
                    at: now
                )
            }
        } catch {
            return refuse(&record, status: 400, type: error.errorType, message: error.message, requestId: requestId)
        }
        record.status = 200
        log.append(record)
        return AWSResponse.json(answer, requestId: requestId)
    }

    /// Records an error answer to a live-call operation and builds it.
    private func refuse(
        _ record: inout OperationRecord,
        status: Int,
        type: String,
        message: String,
        requestId: String
    ) -> Response {
        record.status = status
        record.errorType = type
        log.append(record)
        logger.debug(
            "refused",
            metadata: [
                "operation": .string(record.operation.rawValue), "status": "\(status)", "error.type": .string(type),
            ]
        )
        return AWSResponse.error(status: status, type: type, message: message, requestId: requestId)
    }
}
