import Foundation

/// The JSON bodies of DescribeContact and GetCurrentMetricData, shaped as Connect's rest-json
/// protocol sends them: timestamps as epoch seconds (numbers), absent members left out.
enum LiveCallAnswers {
    /// The account id in the ARNs the simulator writes.
    static let accountId = "123456789012"

    /// `{"Contact": {...}}` for `contact` as seen at `now`.
    static func describeContact(_ contact: SimulatedContact, region: String, seenAt now: Date) -> String {
        let connectedAt = contact.connectedAt(seenAt: now)
        let instanceArn = "arn:aws:connect:\(region):\(accountId):instance/\(contact.instanceId)"
        var members = [
            member("Arn", JSONText.quoted("\(instanceArn)/contact/\(contact.id)")),
            member("Id", JSONText.quoted(contact.id)),
            member("InitialContactId", JSONText.quoted(contact.id)),
            member("InitiationMethod", "\"API\""),
            member("Channel", "\"VOICE\""),
            member("InitiationTimestamp", timestamp(contact.initiatedAt)),
        ]
        if let connectedAt {
            members.append(member("ConnectedToSystemTimestamp", timestamp(connectedAt)))
        }
        if let endedAt = contact.endedAt {
            members.append(member("DisconnectTimestamp", timestamp(endedAt)))
        }
        members.append(member("LastUpdateTimestamp", timestamp(contact.endedAt ?? connectedAt ?? contact.initiatedAt)))
        if let reason = contact.disconnectReason {
            members.append(member("DisconnectReason", JSONText.quoted(reason)))
        }
        if let status = contact.answeringMachineDetectionStatus(seenAt: now) {
            members.append(member("AnsweringMachineDetectionStatus", JSONText.quoted(status)))
        }
        if let queueId = contact.queueId {
            var queue = [member("Id", JSONText.quoted(queueId))]
            if let connectedAt, contact.outcome == .answered || contact.outcome == .abandoned {
                queue.append(member("EnqueueTimestamp", timestamp(connectedAt)))
            }
            members.append(member("QueueInfo", object(queue)))
        }
        if let agentId = contact.agentId, let connectedAt {
            members.append(
                member(
                    "AgentInfo",
                    object([
                        member("Id", JSONText.quoted(agentId)),
                        member("ConnectedToAgentTimestamp", timestamp(connectedAt)),
                    ])
                )
            )
        }
        if let destination = contact.destination {
            members.append(member("CustomerEndpoint", endpoint(destination)))
        }
        if let source = contact.source {
            members.append(member("SystemEndpoint", endpoint(source)))
        }
        return object([member("Contact", object(members))])
    }

    /// GetCurrentMetricData's answer for `agents` (the filtered queues that have agents).
    static func currentMetrics(
        _ query: LiveCallRequests.MetricsQuery,
        agents: [SimulatorEngine.QueueAgents],
        instanceId: String,
        region: String,
        at now: Date
    ) -> String {
        let byQueue = query.groupings.contains("QUEUE")
        let byChannel = query.groupings.contains("CHANNEL")
        let groups: [(queue: String?, agents: [SimulatorEngine.QueueAgents])] =
            byQueue ? agents.map { ($0.queueId, [$0]) } : (agents.isEmpty ? [] : [(nil, agents)])
        let results = groups.map { group in
            var dimensions: [String] = []
            if let queue = group.queue {
                let arn = "arn:aws:connect:\(region):\(accountId):instance/\(instanceId)/queue/\(queue)"
                dimensions.append(
                    member(
                        "Queue",
                        object([member("Id", JSONText.quoted(queue)), member("Arn", JSONText.quoted(arn))])
                    )
                )
            }
            if byChannel {
                dimensions.append(member("Channel", "\"VOICE\""))
            }
            let collections = query.metrics.map { metric in
                let count = group.agents.map { value(of: metric.name, $0) }.reduce(0, +)
                return object([
                    member(
                        "Metric",
                        object([
                            member("Name", JSONText.quoted(metric.name)), member("Unit", JSONText.quoted(metric.unit)),
                        ])
                    ),
                    member("Value", String(count)),
                ])
            }
            return object([member("Dimensions", object(dimensions)), member("Collections", array(collections))])
        }
        return object([
            member("MetricResults", array(results)),
            member("DataSnapshotTime", timestamp(now)),
            member("ApproximateTotalCount", String(results.count)),
        ])
    }

    private static func value(of metric: String, _ agents: SimulatorEngine.QueueAgents) -> Int {
        switch metric {
        case "AGENTS_AVAILABLE": agents.available
        case "AGENTS_ON_CALL", "AGENTS_ON_CONTACT": agents.onCall
        default: agents.online
        }
    }

    private static func endpoint(_ number: String) -> String {
        object([member("Type", "\"TELEPHONE_NUMBER\""), member("Address", JSONText.quoted(number))])
    }

    private static func timestamp(_ date: Date) -> String {
        JSONText.number(date.timeIntervalSince1970)
    }

    private static func member(_ name: String, _ value: String) -> String {
        "\"" + name + "\":" + value
    }

    private static func object(_ members: [String]) -> String {
        "{" + members.joined(separator: ",") + "}"
    }

    private static func array(_ items: [String]) -> String {
        "[" + items.joined(separator: ",") + "]"
    }
}
