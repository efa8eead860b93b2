/// Checks a StartOutboundVoiceContact body as Connect does, independently of the client's own
/// validator: required fields, types, E.164 numbers, source-or-queue, enums, lengths and ranges.
///
/// The first problem found is reported, naming the field. Unknown members are ignored, as AWS
/// ignores them.
enum OutboundVoiceContactValidator {
    /// Why a body was refused: the error type and the message naming the field.
    struct Problem: Error, Equatable {
        var errorType: String
        var message: String

        static func invalid(_ message: String) -> Problem {
            Problem(errorType: "InvalidParameterException", message: message)
        }
    }

    static let referenceTypes: Set<String> = ["URL", "NUMBER", "STRING", "DATE", "EMAIL"]
    static let referenceStatuses: Set<String> = [
        "AVAILABLE", "DELETED", "APPROVED", "REJECTED", "PROCESSING", "FAILED",
    ]

    /// Validates a parsed body (`nil` when it was not JSON).
    static func validate(_ body: JSONValue?) throws(Problem) {
        let fields = try object(body)
        for name in ["DestinationPhoneNumber", "ContactFlowId", "InstanceId"] where fields[name] == nil {
            throw .invalid("\(name) is required.")
        }
        let destination = try string(fields, "DestinationPhoneNumber")
        try phoneNumber(destination, "DestinationPhoneNumber")
        try length(try string(fields, "ContactFlowId"), "ContactFlowId", 0 ... 500)
        try length(try string(fields, "InstanceId"), "InstanceId", 1 ... 100)
        try length(try string(fields, "ClientToken"), "ClientToken", 0 ... 500)
        try length(try string(fields, "Name"), "Name", 0 ... 1024)
        try length(try string(fields, "Description"), "Description", 0 ... 4096)
        try length(try string(fields, "RelatedContactId"), "RelatedContactId", 1 ... 256)
        try length(try string(fields, "CampaignId"), "CampaignId", 1 ... 100)
        let source = try string(fields, "SourcePhoneNumber")
        if let source {
            try phoneNumber(source, "SourcePhoneNumber")
        }
        let queue = try string(fields, "QueueId")
        if source == nil && queue == nil {
            throw .invalid("SourcePhoneNumber or QueueId is required: give a source phone number or a queue.")
        }
        let trafficType = try string(fields, "TrafficType")
        if let trafficType, trafficType != "GENERAL", trafficType != "CAMPAIGN" {
            throw .invalid("TrafficType must be GENERAL or CAMPAIGN.")
        }
        if let ringTimeout = fields["RingTimeoutInSeconds"] {
            guard case .number(let seconds) = ringTimeout, seconds == seconds.rounded() else {
                throw .invalid("RingTimeoutInSeconds must be an integer, not \(ringTimeout.typeName).")
            }
            guard (15 ... 60).contains(seconds) else {
                throw .invalid("RingTimeoutInSeconds must be from 15 to 60.")
            }
        }
        try attributes(fields["Attributes"])
        try answerMachineDetection(fields["AnswerMachineDetectionConfig"], trafficType: trafficType)
        try references(fields["References"])
        try outboundStrategy(fields["OutboundStrategy"])
    }

    /// The members of a body that must be a JSON object.
    static func object(_ body: JSONValue?) throws(Problem) -> [String: JSONValue] {
        guard let body else {
            throw Problem(errorType: "SerializationException", message: "The request body is not valid JSON.")
        }
        guard let fields = body.object else {
            throw Problem(errorType: "SerializationException", message: "The request body must be a JSON object.")
        }
        return fields
    }

    /// The string member `name`, `nil` when absent; a problem when it is not a string.
    static func string(_ fields: [String: JSONValue], _ name: String) throws(Problem) -> String? {
        guard let value = fields[name] else { return nil }
        guard let text = value.string else {
            throw .invalid("\(name) must be a string, not \(value.typeName).")
        }
        return text
    }

    /// A problem when `text` is given and its length is outside `allowed`.
    static func length(_ text: String?, _ name: String, _ allowed: ClosedRange<Int>) throws(Problem) {
        guard let text else { return }
        let count = text.count
        guard allowed.contains(count) else {
            if allowed.lowerBound == 0 {
                throw .invalid("\(name) must be at most \(allowed.upperBound) characters (it has \(count)).")
            }
            throw .invalid(
                "\(name) must be \(allowed.lowerBound) to \(allowed.upperBound) characters (it has \(count))."
            )
        }
    }

    /// E.164: `+`, a first digit 1–9, then 1 to 14 more digits.
    private static func phoneNumber(_ text: String?, _ name: String) throws(Problem) {
        guard let text else { return }
        let bytes = Array(text.utf8)
        let valid =
            bytes.count >= 3 && bytes.count <= 16 && bytes[0] == UInt8(ascii: "+")
            && (UInt8(ascii: "1") ... UInt8(ascii: "9")).contains(bytes[1])
            && bytes[2...].allSatisfy { (UInt8(ascii: "0") ... UInt8(ascii: "9")).contains($0) }
        guard valid else {
            throw .invalid("\(name) must be an E.164 phone number: + then 2 to 15 digits, the first not 0.")
        }
    }

    private static func attributes(_ value: JSONValue?) throws(Problem) {
        guard let value else { return }
        guard let members = value.object else {
            throw .invalid("Attributes must be a map of strings, not \(value.typeName).")
        }
        var size = 0
        for (key, item) in members {
            let keyValid =
                !key.isEmpty
                && key.utf8.allSatisfy { byte in
                    switch byte {
                    case UInt8(ascii: "A") ... UInt8(ascii: "Z"), UInt8(ascii: "a") ... UInt8(ascii: "z"),
                        UInt8(ascii: "0") ... UInt8(ascii: "9"), UInt8(ascii: "_"), UInt8(ascii: "-"):
                        return true
                    default:
                        return false
                    }
                }
            guard keyValid else {
                throw .invalid("Attributes keys must be letters, digits, _ and -.")
            }
            guard let text = item.string else {
                throw .invalid("Attributes.\(key) must be a string, not \(item.typeName).")
            }
            size += key.utf8.count + text.utf8.count
        }
        guard size <= 32_768 else {
            throw .invalid("Attributes must total at most 32768 bytes of keys and values (they have \(size)).")
        }
    }

    private static func answerMachineDetection(_ value: JSONValue?, trafficType: String?) throws(Problem) {
        guard let value else { return }
        guard let members = value.object else {
            throw .invalid("AnswerMachineDetectionConfig must be an object, not \(value.typeName).")
        }
        var enabled = false
        for name in ["EnableAnswerMachineDetection", "AwaitAnswerMachinePrompt"] {
            guard let item = members[name] else { continue }
            guard case .bool(let flag) = item else {
                throw .invalid("AnswerMachineDetectionConfig.\(name) must be a boolean, not \(item.typeName).")
            }
            if name == "EnableAnswerMachineDetection" { enabled = flag }
        }
        if enabled && trafficType != "CAMPAIGN" {
            throw .invalid(
                "AnswerMachineDetectionConfig.EnableAnswerMachineDetection needs TrafficType CAMPAIGN."
            )
        }
    }

    private static func references(_ value: JSONValue?) throws(Problem) {
        guard let value else { return }
        guard let members = value.object else {
            throw .invalid("References must be a map, not \(value.typeName).")
        }
        var size = 0
        for (key, item) in members {
            let name = "References.\(key)"
            guard let reference = item.object else {
                throw .invalid("\(name) must be an object, not \(item.typeName).")
            }
            guard reference["Type"] != nil else {
                throw .invalid("\(name).Type is required.")
            }
            let type = try string(reference, "Type")
            let value = try string(reference, "Value")
            let status = try string(reference, "Status")
            let arn = try string(reference, "Arn")
            let reason = try string(reference, "StatusReason")
            guard let type, referenceTypes.contains(type) else {
                throw .invalid("\(name).Type must be one of URL, NUMBER, STRING, DATE, EMAIL.")
            }
            if type == "DATE", let value, value.isEmpty || !value.utf8.allSatisfy({ (48 ... 57).contains($0) }) {
                throw .invalid("\(name).Value must be epoch seconds for a DATE reference.")
            }
            try length(value, "\(name).Value", 0 ... 4096)
            if let status, !referenceStatuses.contains(status) {
                throw .invalid(
                    "\(name).Status must be one of AVAILABLE, DELETED, APPROVED, REJECTED, PROCESSING, FAILED."
                )
            }
            if let arn {
                let arnValid =
                    (20 ... 256).contains(arn.utf8.count)
                    && arn.utf8.allSatisfy { byte in
                        switch byte {
                        case UInt8(ascii: "A") ... UInt8(ascii: "Z"), UInt8(ascii: "a") ... UInt8(ascii: "z"),
                            UInt8(ascii: "0") ... UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: ":"),
                            UInt8(ascii: "/"):
                            return true
                        default:
                            return false
                        }
                    }
                guard arnValid else {
                    throw .invalid("\(name).Arn must be 20 to 256 characters of letters, digits, -, : and /.")
                }
            }
            try length(reason, "\(name).StatusReason", 0 ... 100)
            size += key.utf8.count + (value?.utf8.count ?? 0)
        }
        guard size <= 4096 else {
            throw .invalid("References must total at most 4096 bytes (they have \(size)).")
        }
    }

    private static func outboundStrategy(_ value: JSONValue?) throws(Problem) {
        guard let value else { return }
        guard let members = value.object else {
            throw .invalid("OutboundStrategy must be an object, not \(value.typeName).")
        }
        guard members["Type"] != nil else {
            throw .invalid("OutboundStrategy.Type is required.")
        }
        guard try string(members, "Type") == "AGENT_FIRST" else {
            throw .invalid("OutboundStrategy.Type must be AGENT_FIRST.")
        }
        guard let config = members["Config"] else { return }
        guard let agentFirst = config.object?["AgentFirst"] else { return }
        guard let preview = agentFirst.object?["Preview"] else { return }
        guard let previewMembers = preview.object else {
            throw .invalid("OutboundStrategy.Config.AgentFirst.Preview must be an object, not \(preview.typeName).")
        }
        guard let timeout = previewMembers["PostAcceptTimeoutConfig"] else {
            throw .invalid("OutboundStrategy.Config.AgentFirst.Preview.PostAcceptTimeoutConfig is required.")
        }
        guard case .number(let seconds)? = timeout.object?["DurationInSeconds"], seconds >= 0,
            seconds == seconds.rounded()
        else {
            throw .invalid(
                "OutboundStrategy.Config.AgentFirst.Preview.PostAcceptTimeoutConfig.DurationInSeconds "
                    + "must be an integer of at least 0."
            )
        }
        guard case .array(let actions)? = previewMembers["AllowedUserActions"] else {
            throw .invalid("OutboundStrategy.Config.AgentFirst.Preview.AllowedUserActions is required (a list).")
        }
        for action in actions where action.string != "CALL" && action.string != "DISCARD" {
            throw .invalid("OutboundStrategy.Config.AgentFirst.Preview.AllowedUserActions must hold CALL or DISCARD.")
        }
    }
}
