/// The bodies of StopContact and GetCurrentMetricData, checked as Connect does (required members,
/// types, lengths, enums), and what the simulator answers of them.
enum LiveCallRequests {
    typealias Problem = OutboundVoiceContactValidator.Problem

    /// A valid StopContact body.
    struct StopContact: Sendable, Equatable {
        var contactId: String
        var instanceId: String
        /// `DisconnectReason.Code`, when given.
        var reason: String?
    }

    /// A valid GetCurrentMetricData body, as far as the simulator answers it.
    struct MetricsQuery: Sendable, Equatable {
        /// Queue ids (ARNs taken to their last part), in the order given.
        var queues: [String]
        /// The metrics asked, in order, each with the unit answered.
        var metrics: [Metric]
        /// `QUEUE` and/or `CHANNEL`, in order.
        var groupings: [String]
    }

    /// A metric the simulator answers.
    struct Metric: Sendable, Equatable {
        var name: String
        var unit: String
    }

    /// The metrics answered from the simulated agents.
    static let simulatedMetrics: Set<String> = [
        "AGENTS_AVAILABLE", "AGENTS_ONLINE", "AGENTS_STAFFED", "AGENTS_ON_CALL", "AGENTS_ON_CONTACT",
    ]
    static let metricNames: Set<String> = [
        "AGENTS_ONLINE", "AGENTS_AVAILABLE", "AGENTS_ON_CALL", "AGENTS_NON_PRODUCTIVE", "AGENTS_AFTER_CONTACT_WORK",
        "AGENTS_ERROR", "AGENTS_STAFFED", "CONTACTS_IN_QUEUE", "OLDEST_CONTACT_AGE", "CONTACTS_SCHEDULED",
        "AGENTS_ON_CONTACT", "SLOTS_ACTIVE", "SLOTS_AVAILABLE", "ESTIMATED_WAIT_TIME",
    ]
    static let groupingNames: Set<String> = [
        "QUEUE", "CHANNEL", "ROUTING_PROFILE", "ROUTING_STEP_EXPRESSION", "AGENT_STATUS", "SUBTYPE",
        "VALIDATION_TEST_TYPE",
    ]
    static let channels: Set<String> = ["VOICE", "CHAT", "TASK", "EMAIL"]

    /// Checks DescribeContact's path parameters.
    static func describeContact(instanceId: String, contactId: String) throws(Problem) {
        try OutboundVoiceContactValidator.length(instanceId, "InstanceId", 1 ... 100)
        try OutboundVoiceContactValidator.length(contactId, "ContactId", 1 ... 256)
    }

    /// Reads a StopContact body.
    static func stopContact(_ body: JSONValue?) throws(Problem) -> StopContact {
        let fields = try OutboundVoiceContactValidator.object(body)
        guard let contactId = try OutboundVoiceContactValidator.string(fields, "ContactId") else {
            throw .invalid("ContactId is required.")
        }
        guard let instanceId = try OutboundVoiceContactValidator.string(fields, "InstanceId") else {
            throw .invalid("InstanceId is required.")
        }
        try OutboundVoiceContactValidator.length(contactId, "ContactId", 1 ... 256)
        try OutboundVoiceContactValidator.length(instanceId, "InstanceId", 1 ... 100)
        var reason: String?
        if let value = fields["DisconnectReason"] {
            guard let members = value.object else {
                throw .invalid("DisconnectReason must be an object, not \(value.typeName).")
            }
            reason = try OutboundVoiceContactValidator.string(members, "Code")
        }
        return StopContact(contactId: contactId, instanceId: instanceId, reason: reason)
    }

    /// Reads a GetCurrentMetricData body.
    static func metricsQuery(_ body: JSONValue?) throws(Problem) -> MetricsQuery {
        let fields = try OutboundVoiceContactValidator.object(body)
        guard let filters = fields["Filters"] else { throw .invalid("Filters is required.") }
        guard let filterMembers = filters.object else {
            throw .invalid("Filters must be an object, not \(filters.typeName).")
        }
        let queues = try strings(filterMembers["Queues"], "Filters.Queues", count: 1 ... 100)
        guard let queues else {
            throw .invalid("Filters.Queues is required: the simulator answers per queue.")
        }
        for channel in try strings(filterMembers["Channels"], "Filters.Channels", count: 0 ... 3) ?? []
        where !channels.contains(channel) {
            throw .invalid("Filters.Channels: \(channel) is not one of VOICE, CHAT, TASK, EMAIL.")
        }
        guard let metricList = fields["CurrentMetrics"] else { throw .invalid("CurrentMetrics is required.") }
        guard case .array(let items) = metricList, !items.isEmpty else {
            throw .invalid("CurrentMetrics must be a non-empty list of metrics.")
        }
        var metrics: [Metric] = []
        for item in items {
            guard let members = item.object else {
                throw .invalid("CurrentMetrics entries must be objects, not \(item.typeName).")
            }
            guard let name = try OutboundVoiceContactValidator.string(members, "Name"), metricNames.contains(name)
            else { throw .invalid("CurrentMetrics: Name must be one of Connect's current metrics.") }
            guard simulatedMetrics.contains(name) else {
                throw .invalid(
                    "CurrentMetrics: \(name) is not simulated; the simulator answers "
                        + simulatedMetrics.sorted().joined(separator: ", ") + "."
                )
            }
            let unit = try OutboundVoiceContactValidator.string(members, "Unit") ?? "COUNT"
            guard unit == "COUNT" else { throw .invalid("CurrentMetrics: \(name) is counted in COUNT, not \(unit).") }
            metrics.append(Metric(name: name, unit: unit))
        }
        let groupings = try strings(fields["Groupings"], "Groupings", count: 0 ... 2) ?? []
        for grouping in groupings {
            guard groupingNames.contains(grouping) else {
                throw .invalid("Groupings: \(grouping) is not one of Connect's groupings.")
            }
            guard grouping == "QUEUE" || grouping == "CHANNEL" else {
                throw .invalid("Groupings: \(grouping) is not simulated; the simulator groups by QUEUE and CHANNEL.")
            }
        }
        return MetricsQuery(queues: queues.map(queueId), metrics: metrics, groupings: groupings)
    }

    /// A queue id from an id or an ARN (`arn:aws:connect:…:instance/I/queue/Q`).
    static func queueId(_ text: String) -> String {
        guard text.hasPrefix("arn:"), let slash = text.lastIndex(of: "/") else { return text }
        return String(text[text.index(after: slash)...])
    }

    private static func strings(
        _ value: JSONValue?,
        _ name: String,
        count allowed: ClosedRange<Int>
    ) throws(Problem) -> [String]? {
        guard let value else { return nil }
        guard case .array(let items) = value else { throw .invalid("\(name) must be a list, not \(value.typeName).") }
        guard allowed.contains(items.count) else {
            throw .invalid("\(name) must have \(allowed.lowerBound) to \(allowed.upperBound) entries.")
        }
        var texts: [String] = []
        for item in items {
            guard let text = item.string, !text.isEmpty else {
                throw .invalid("\(name) entries must be non-empty strings, not \(item.typeName).")
            }
            texts.append(text)
        }
        return texts
    }
}
