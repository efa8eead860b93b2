/// A request that passed every rule, with what validation learned on the way.
public struct ValidatedRequest: Sendable, Hashable {
    public var request: ConnectRequest
    /// The region named by an `InstanceId` ARN, if one was given.
    public var regionFromARN: String?
}

/// Checks one request (a row merged with the defaults) against every rule of job-file.md and
/// builds the `ConnectRequest`. Every problem is collected, not only the first.
public struct RequestValidator: Sendable {
    /// The file, as named in diagnostics.
    public var file: String
    /// Destination prefixes this job may dial although they are blocked by default.
    public var allowPrefixes: [String]

    public init(file: String, allowPrefixes: [String] = []) {
        self.file = file
        self.allowPrefixes = allowPrefixes
    }

    static let requiredFields: [RequestField] = [.destinationPhoneNumber, .contactFlowId, .instanceId]
    static let referenceKeys = ["Value", "Type", "Status", "Arn", "StatusReason"]
    static let answerMachineKeys = ["EnableAnswerMachineDetection", "AwaitAnswerMachinePrompt"]
    static let strategyKeys = ["Type", "Config"]
    static let maxAttributesBytes = 32_768
    static let maxReferencesBytes = 4_096

    /// Validates `entries` (the fields of one request, in order).
    /// - Parameters:
    ///   - entries: the request's fields, after merging; plain `null` values count as absent.
    ///   - mark: where the request starts, for problems about missing fields.
    ///   - rowPath: how the row is named in field paths (`contacts[3]`), or nil.
    ///   - complete: false for `defaults`, which need not hold the required fields.
    ///   - original: where to look for keys given twice (the row before merging), if not `entries`.
    ///   - diagnostics: problems are appended here.
    /// - Returns: the request when it broke no rule (always nil when `complete` is false).
    public func validate(
        _ entries: [Node.Entry],
        at mark: SourceMark,
        rowPath: String?,
        complete: Bool = true,
        duplicatesIn original: [Node.Entry]? = nil,
        into diagnostics: inout [Diagnostic]
    ) -> ValidatedRequest? {
        var context = ValidationContext(validator: self, rowPath: rowPath, diagnostics: diagnostics)
        defer { diagnostics = context.diagnostics }
        let before = context.diagnostics.count

        var destination: String?
        var contactFlowId: String?
        var instanceId: String?
        var region: String?
        var request = ConnectRequest(destinationPhoneNumber: "", contactFlowId: "", instanceId: "")
        var amdEnableNode: Node?
        var present = FieldSet()

        context.checkDuplicates(original ?? entries, under: "")
        for entry in entries where !entry.value.isNull {
            guard let field = RequestField.named(entry.key) else {
                context.report(
                    "UnknownField",
                    entry.key,
                    FieldSuggestion.message(for: entry.key, known: RequestField.allNames),
                    entry.keyMark
                )
                continue
            }
            present.insert(field)
            let node = entry.value
            let path = entry.key
            switch field {
            case .name:
                request.name = context.string(node, path, maxLength: 1024)
            case .description:
                request.description = context.string(node, path, maxLength: 4096)
            case .relatedContactId:
                request.relatedContactId = context.string(node, path, minLength: 1, maxLength: 256)
            case .campaignId:
                request.campaignId = context.string(node, path, minLength: 1, maxLength: 100)
            case .queueId:
                request.queueId = context.string(node, path)
            case .clientToken:
                request.clientToken = context.string(node, path, maxLength: 500)
            case .destinationPhoneNumber:
                if let text = context.string(node, path) {
                    if let number = PhoneNumber.normalise(text) {
                        if let blocked = PhoneNumber.blockedPrefix(of: number, allowing: allowPrefixes) {
                            context.report(
                                "BlockedPrefix",
                                path,
                                "\(quoted(number)) starts with \(blocked), which is blocked by default; "
                                    + "list the prefix in allowPrefixes or pass --allow-prefix \(blocked) to dial it",
                                node.mark
                            )
                        } else {
                            destination = number
                        }
                    } else {
                        context.report("InvalidDestinationPhoneNumber", path, Self.phoneMessage(text), node.mark)
                    }
                }
            case .sourcePhoneNumber:
                if let text = context.string(node, path) {
                    if let number = PhoneNumber.normalise(text) {
                        request.sourcePhoneNumber = number
                    } else {
                        context.report("InvalidSourcePhoneNumber", path, Self.phoneMessage(text), node.mark)
                    }
                }
            case .instanceId:
                if let text = context.string(node, path) {
                    if text.hasPrefix("arn:") {
                        if let arn = ResourceARN(text), arn.contactFlowId == nil {
                            instanceId = context.checkLength(arn.instanceId, path, node, minLength: 1, maxLength: 100)
                            region = arn.region
                        } else {
                            context.report(
                                "InvalidARN",
                                path,
                                "found \(quoted(text)); expected an instance id or an ARN "
                                    + "arn:aws:connect:REGION:ACCOUNT:instance/INSTANCE_ID",
                                node.mark
                            )
                        }
                    } else {
                        instanceId = context.checkLength(text, path, node, minLength: 1, maxLength: 100)
                    }
                }
            case .contactFlowId:
                if let text = context.string(node, path) {
                    if text.hasPrefix("arn:") {
                        if let arn = ResourceARN(text), let flow = arn.contactFlowId {
                            contactFlowId = context.checkLength(flow, path, node, maxLength: 500)
                        } else {
                            context.report(
                                "InvalidARN",
                                path,
                                "found \(quoted(text)); expected a contact flow id or an ARN "
                                    + "arn:aws:connect:REGION:ACCOUNT:instance/INSTANCE_ID/contact-flow/FLOW_ID",
                                node.mark
                            )
                        }
                    } else {
                        contactFlowId = context.checkLength(text, path, node, maxLength: 500)
                    }
                }
            case .trafficType:
                if let text = context.string(node, path) {
                    if let value = ConnectRequest.TrafficType(rawValue: text) {
                        request.trafficType = value
                    } else {
                        context.report(
                            "InvalidEnumValue",
                            path,
                            "found \(quoted(text)); expected one of GENERAL, CAMPAIGN",
                            node.mark
                        )
                    }
                }
            case .ringTimeoutInSeconds:
                if let value = context.integer(node, path) {
                    if (15 ... 60).contains(value) {
                        request.ringTimeoutInSeconds = value
                    } else {
                        context.report(
                            "OutOfRange",
                            path,
                            "found \(value); expected an integer from 15 to 60",
                            node.mark
                        )
                    }
                }
            case .attributes:
                request.attributes = context.attributes(node, path)
            case .references:
                request.references = context.references(node, path)
            case .answerMachineDetectionConfig:
                if let mapping = context.mapping(
                    node,
                    path,
                    expected: "a map with EnableAnswerMachineDetection and AwaitAnswerMachinePrompt"
                ) {
                    var config = ConnectRequest.AnswerMachineDetectionConfig()
                    context.checkDuplicates(mapping, under: path)
                    for member in mapping where !member.value.isNull {
                        let memberPath = path + "." + member.key
                        switch member.key {
                        case "EnableAnswerMachineDetection":
                            config.enableAnswerMachineDetection = context.boolean(member.value, memberPath)
                            amdEnableNode = member.value
                        case "AwaitAnswerMachinePrompt":
                            config.awaitAnswerMachinePrompt = context.boolean(member.value, memberPath)
                        default:
                            context.report(
                                "UnknownField",
                                memberPath,
                                FieldSuggestion.message(for: member.key, known: Self.answerMachineKeys),
                                member.keyMark
                            )
                        }
                    }
                    request.answerMachineDetectionConfig = config
                }
            case .outboundStrategy:
                request.outboundStrategy = context.outboundStrategy(node, path)
            }
        }

        if let amdEnableNode, request.answerMachineDetectionConfig?.enableAnswerMachineDetection == true,
            request.trafficType != .campaign
        {
            let found = request.trafficType.map { "TrafficType is \($0.rawValue)" } ?? "TrafficType is not set"
            context.report(
                "InvalidFieldCombination",
                "AnswerMachineDetectionConfig.EnableAnswerMachineDetection",
                "true while \(found); answer machine detection needs TrafficType CAMPAIGN",
                amdEnableNode.mark
            )
        }

        guard complete else { return nil }

        for required in Self.requiredFields where !present.contains(required) {
            context.report(
                "MissingRequiredField",
                required.rawValue,
                "missing; required in every request (in the row or in defaults)",
                mark
            )
        }
        if !present.contains(.sourcePhoneNumber), !present.contains(.queueId) {
            context.report(
                "MissingRequiredField",
                "SourcePhoneNumber",
                "neither SourcePhoneNumber nor QueueId is given; one of the two is required",
                mark
            )
        }

        guard context.diagnostics.count == before, let destination, let contactFlowId, let instanceId else {
            return nil
        }
        request.destinationPhoneNumber = destination
        request.contactFlowId = contactFlowId
        request.instanceId = instanceId
        return ValidatedRequest(request: request, regionFromARN: region)
    }

    static func phoneMessage(_ text: String) -> String {
        "found \(quoted(text)); expected an E.164 number: +, country code and number, 2 to 15 digits "
            + "(spaces, -, ., ( and ) are ignored; no country code is assumed)"
    }
}

/// The running state of one validation: where problems go and how fields are named.
private struct ValidationContext {
    let validator: RequestValidator
    let rowPath: String?
    var diagnostics: [Diagnostic]

    mutating func report(_ code: String, _ field: String, _ message: String, _ mark: SourceMark) {
        diagnostics.append(
            Diagnostic(code: code, field: field, message: message, file: validator.file, mark: mark, rowPath: rowPath)
        )
    }

    /// Reports every key given more than once in `entries`, the members of `parent` (`""` for the
    /// request itself).
    mutating func checkDuplicates(_ entries: [Node.Entry], under parent: String) {
        guard entries.count > 1 else { return }
        if entries.count <= 16 {
            for i in 1 ..< entries.count {
                // Lengths first: keys of one map rarely share a length.
                for j in 0 ..< i
                where entries[j].key.utf8.count == entries[i].key.utf8.count && entries[j].key == entries[i].key {
                    reportDuplicate(entries[i], first: entries[j], parent: parent)
                    break
                }
            }
        } else {
            var seen: [String: SourceMark] = [:]
            for entry in entries {
                if let first = seen[entry.key] {
                    reportDuplicate(
                        entry,
                        first: Node.Entry(key: entry.key, keyMark: first, value: entry.value),
                        parent: parent
                    )
                } else {
                    seen[entry.key] = entry.keyMark
                }
            }
        }
    }

    private mutating func reportDuplicate(_ entry: Node.Entry, first: Node.Entry, parent: String) {
        report(
            "DuplicateKey",
            parent.isEmpty ? entry.key : parent + "." + entry.key,
            "key given twice (first at \(first.keyMark)); a key may appear only once in a map",
            entry.keyMark
        )
    }

    /// The text of a scalar; a map or list is reported.
    mutating func string(_ node: Node, _ path: String, minLength: Int = 0, maxLength: Int? = nil) -> String? {
        guard case .scalar(let text, _) = node.value else {
            report("InvalidType", path, "found \(node.kindDescription); expected a string", node.mark)
            return nil
        }
        if minLength == 0, maxLength == nil { return text }
        return checkLength(text, path, node, minLength: minLength, maxLength: maxLength)
    }

    /// `text` when its length (in Unicode scalars) is within bounds; otherwise reported.
    mutating func checkLength(_ text: String, _ path: String, _ node: Node, minLength: Int = 0, maxLength: Int? = nil)
        -> String?
    {
        // The UTF-8 length bounds the scalar count from above, so most strings need no counting
        // (minimum lengths are 0 or 1, where both counts agree).
        let bytes = text.utf8.count
        if bytes >= minLength, bytes <= (maxLength ?? Int.max) { return text }
        let length = text.unicodeScalars.count
        if length < minLength {
            let bounds = maxLength.map { "\(minLength) to \($0) characters" } ?? "at least \(minLength) characters"
            report("ValueTooShort", path, "found an empty string; expected \(bounds)", node.mark)
            return nil
        }
        if let maxLength, length > maxLength {
            report("ValueTooLong", path, "found \(length) characters; at most \(maxLength) are allowed", node.mark)
            return nil
        }
        return text
    }

    /// A plain integer scalar.
    mutating func integer(_ node: Node, _ path: String) -> Int? {
        switch node.value {
        case .scalar(let text, .plain):
            if let value = Self.parseInteger(text) { return value }
            report("InvalidType", path, "found \(quoted(text)); expected an integer", node.mark)
        case .scalar(let text, _):
            report("InvalidType", path, "found the quoted string \(quoted(text)); expected a plain integer", node.mark)
        default:
            report("InvalidType", path, "found \(node.kindDescription); expected an integer", node.mark)
        }
        return nil
    }

    static func parseInteger(_ text: String) -> Int? {
        var utf8 = Substring(text).utf8[...]
        if utf8.first == UInt8(ascii: "-") { utf8 = utf8.dropFirst() }
        guard !utf8.isEmpty, utf8.count <= 18, utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") })
        else { return nil }
        return Int(text)
    }

    /// A plain `true` or `false`.
    mutating func boolean(_ node: Node, _ path: String) -> Bool? {
        switch node.value {
        case .scalar("true", .plain): return true
        case .scalar("false", .plain): return false
        case .scalar(let text, .plain):
            report("InvalidType", path, "found \(quoted(text)); expected true or false", node.mark)
        case .scalar(let text, _):
            report("InvalidType", path, "found the quoted string \(quoted(text)); expected true or false", node.mark)
        default:
            report("InvalidType", path, "found \(node.kindDescription); expected true or false", node.mark)
        }
        return nil
    }

    /// The entries of a map; anything else is reported.
    mutating func mapping(_ node: Node, _ path: String, expected: String) -> [Node.Entry]? {
        if case .mapping(let entries) = node.value { return entries }
        report("InvalidType", path, "found \(node.kindDescription); expected \(expected)", node.mark)
        return nil
    }

    mutating func attributes(_ node: Node, _ path: String) -> [ConnectRequest.Attribute]? {
        guard let entries = mapping(node, path, expected: "a map of attribute names to strings") else { return nil }
        checkDuplicates(entries, under: path)
        var attributes: [ConnectRequest.Attribute] = []
        attributes.reserveCapacity(entries.count)
        var bytes = 0
        var ok = true
        for entry in entries where !entry.value.isNull {
            if !Self.isAttributeName(entry.key) {
                let entryPath = path + "." + entry.key
                ok = false
                report(
                    "InvalidAttributeName",
                    entryPath,
                    "found the name \(quoted(entry.key)); attribute names take letters, digits, _ and - only",
                    entry.keyMark
                )
            }
            guard case .scalar(let value, _) = entry.value.value else {
                _ = string(entry.value, path + "." + entry.key)
                ok = false
                continue
            }
            bytes += entry.key.utf8.count + value.utf8.count
            attributes.append(.init(entry.key, value))
        }
        if bytes > RequestValidator.maxAttributesBytes {
            ok = false
            report(
                "ValueTooLong",
                path,
                "found \(bytes) bytes of names and values; at most \(RequestValidator.maxAttributesBytes) UTF-8 bytes in all",
                node.mark
            )
        }
        return ok ? attributes : nil
    }

    static func isAttributeName(_ name: String) -> Bool {
        guard !name.isEmpty else { return false }
        return name.utf8.allSatisfy { byte in
            switch byte {
            case UInt8(ascii: "A") ... UInt8(ascii: "Z"), UInt8(ascii: "a") ... UInt8(ascii: "z"),
                UInt8(ascii: "0") ... UInt8(ascii: "9"), UInt8(ascii: "_"), UInt8(ascii: "-"):
                return true
            default:
                return false
            }
        }
    }

    mutating func references(_ node: Node, _ path: String) -> [ConnectRequest.ReferenceEntry]? {
        guard let entries = mapping(node, path, expected: "a map of reference names to {Value, Type}") else {
            return nil
        }
        checkDuplicates(entries, under: path)
        var references: [ConnectRequest.ReferenceEntry] = []
        var bytes = 0
        var ok = true
        for entry in entries where !entry.value.isNull {
            let entryPath = path + "." + entry.key
            let keyLength = entry.key.unicodeScalars.count
            if keyLength == 0 || keyLength > 4096 {
                ok = false
                report(
                    "ValueTooLong",
                    entryPath,
                    "found a name of \(keyLength) characters; expected 1 to 4096",
                    entry.keyMark
                )
            }
            guard let members = mapping(entry.value, entryPath, expected: "a map with Type and Value") else {
                ok = false
                continue
            }
            checkDuplicates(members, under: entryPath)
            var value: String?
            var type: ConnectRequest.ReferenceType?
            var status: ConnectRequest.ReferenceStatus?
            var arn: String?
            var reason: String?
            var valueNode: Node?
            var typeGiven = false
            let before = diagnostics.count
            for member in members where !member.value.isNull {
                let memberPath = entryPath + "." + member.key
                switch member.key {
                case "Value":
                    value = string(member.value, memberPath, maxLength: 4096)
                    valueNode = member.value
                case "Type":
                    typeGiven = true
                    if let text = string(member.value, memberPath) {
                        type = ConnectRequest.ReferenceType(rawValue: text)
                        if type == nil {
                            report(
                                "InvalidEnumValue",
                                memberPath,
                                "found \(quoted(text)); expected one of URL, NUMBER, STRING, DATE, EMAIL "
                                    + "(other types cannot be given when a contact starts)",
                                member.value.mark
                            )
                        }
                    }
                case "Status":
                    if let text = string(member.value, memberPath) {
                        status = ConnectRequest.ReferenceStatus(rawValue: text)
                        if status == nil {
                            report(
                                "InvalidEnumValue",
                                memberPath,
                                "found \(quoted(text)); expected one of AVAILABLE, DELETED, APPROVED, REJECTED, PROCESSING, FAILED",
                                member.value.mark
                            )
                        }
                    }
                case "Arn":
                    if let text = string(member.value, memberPath) {
                        let length = text.utf8.count
                        let charsOK = text.utf8.allSatisfy { byte in
                            switch byte {
                            case UInt8(ascii: "A") ... UInt8(ascii: "Z"), UInt8(ascii: "a") ... UInt8(ascii: "z"),
                                UInt8(ascii: "0") ... UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: ":"),
                                UInt8(ascii: "/"):
                                return true
                            default:
                                return false
                            }
                        }
                        if charsOK, (20 ... 256).contains(length) {
                            arn = text
                        } else {
                            report(
                                "InvalidReferenceArn",
                                memberPath,
                                "found \(quoted(text)); expected 20 to 256 characters of letters, digits, -, : and /",
                                member.value.mark
                            )
                        }
                    }
                case "StatusReason":
                    reason = string(member.value, memberPath, maxLength: 100)
                default:
                    report(
                        "UnknownField",
                        memberPath,
                        FieldSuggestion.message(for: member.key, known: RequestValidator.referenceKeys),
                        member.keyMark
                    )
                }
            }
            if !typeGiven {
                report(
                    "MissingRequiredField",
                    entryPath + ".Type",
                    "missing; every reference needs a Type (URL, NUMBER, STRING, DATE or EMAIL)",
                    entry.value.mark
                )
            }
            if type == .date, let value, let valueNode, Self.parseInteger(value) == nil || value.hasPrefix("-") {
                report(
                    "InvalidReferenceValue",
                    entryPath + ".Value",
                    "found \(quoted(value)); a DATE reference takes epoch seconds, e.g. 1764064800",
                    valueNode.mark
                )
            }
            bytes += entry.key.utf8.count + (value?.utf8.count ?? 0)
            guard diagnostics.count == before, let type else {
                ok = false
                continue
            }
            references.append(
                .init(entry.key, .init(value: value, type: type, status: status, arn: arn, statusReason: reason))
            )
        }
        if bytes > RequestValidator.maxReferencesBytes {
            ok = false
            report(
                "ValueTooLong",
                path,
                "found \(bytes) bytes of names and values; at most \(RequestValidator.maxReferencesBytes) UTF-8 bytes in all",
                node.mark
            )
        }
        return ok ? references : nil
    }

    mutating func outboundStrategy(_ node: Node, _ path: String) -> ConnectRequest.OutboundStrategy? {
        guard let entries = mapping(node, path, expected: "a map with Type: AGENT_FIRST and Config") else { return nil }
        checkDuplicates(entries, under: path)
        let before = diagnostics.count
        var strategy = ConnectRequest.OutboundStrategy()
        var typeGiven = false
        for entry in entries where !entry.value.isNull {
            let entryPath = path + "." + entry.key
            switch entry.key {
            case "Type":
                typeGiven = true
                if let text = string(entry.value, entryPath), text != "AGENT_FIRST" {
                    report(
                        "InvalidEnumValue",
                        entryPath,
                        "found \(quoted(text)); expected AGENT_FIRST",
                        entry.value.mark
                    )
                }
            case "Config":
                strategy.hasConfig = true
                guard let config = mapping(entry.value, entryPath, expected: "a map with AgentFirst") else { continue }
                checkDuplicates(config, under: entryPath)
                for member in config where !member.value.isNull {
                    let memberPath = entryPath + "." + member.key
                    guard member.key == "AgentFirst" else {
                        report(
                            "UnknownField",
                            memberPath,
                            FieldSuggestion.message(for: member.key, known: ["AgentFirst"]),
                            member.keyMark
                        )
                        continue
                    }
                    strategy.hasAgentFirst = true
                    guard let agentFirst = mapping(member.value, memberPath, expected: "a map with Preview") else {
                        continue
                    }
                    checkDuplicates(agentFirst, under: memberPath)
                    for inner in agentFirst where !inner.value.isNull {
                        let innerPath = memberPath + "." + inner.key
                        guard inner.key == "Preview" else {
                            report(
                                "UnknownField",
                                innerPath,
                                FieldSuggestion.message(for: inner.key, known: ["Preview"]),
                                inner.keyMark
                            )
                            continue
                        }
                        strategy.preview = preview(inner.value, innerPath)
                    }
                }
            default:
                report(
                    "UnknownField",
                    entryPath,
                    FieldSuggestion.message(for: entry.key, known: RequestValidator.strategyKeys),
                    entry.keyMark
                )
            }
        }
        if !typeGiven {
            report("MissingRequiredField", path + ".Type", "missing; expected Type: AGENT_FIRST", node.mark)
        }
        return diagnostics.count == before ? strategy : nil
    }

    private mutating func preview(_ node: Node, _ path: String) -> ConnectRequest.OutboundStrategy.Preview? {
        guard let entries = mapping(node, path, expected: "a map with PostAcceptTimeoutConfig and AllowedUserActions")
        else {
            return nil
        }
        checkDuplicates(entries, under: path)
        var duration: Int?
        var actions: [String]?
        var timeoutGiven = false
        for entry in entries where !entry.value.isNull {
            let entryPath = path + "." + entry.key
            switch entry.key {
            case "PostAcceptTimeoutConfig":
                timeoutGiven = true
                guard let members = mapping(entry.value, entryPath, expected: "a map with DurationInSeconds") else {
                    continue
                }
                checkDuplicates(members, under: entryPath)
                var durationGiven = false
                for member in members where !member.value.isNull {
                    let memberPath = entryPath + "." + member.key
                    guard member.key == "DurationInSeconds" else {
                        report(
                            "UnknownField",
                            memberPath,
                            FieldSuggestion.message(for: member.key, known: ["DurationInSeconds"]),
                            member.keyMark
                        )
                        continue
                    }
                    durationGiven = true
                    if let value = integer(member.value, memberPath) {
                        if value >= 0 {
                            duration = value
                        } else {
                            report(
                                "OutOfRange",
                                memberPath,
                                "found \(value); expected an integer of 0 or more",
                                member.value.mark
                            )
                        }
                    }
                }
                if !durationGiven {
                    report(
                        "MissingRequiredField",
                        entryPath + ".DurationInSeconds",
                        "missing; required",
                        entry.value.mark
                    )
                }
            case "AllowedUserActions":
                guard case .sequence(let items) = entry.value.value else {
                    report(
                        "InvalidType",
                        entryPath,
                        "found \(entry.value.kindDescription); expected a list of CALL, DISCARD",
                        entry.value.mark
                    )
                    continue
                }
                var list: [String] = []
                for item in items {
                    if let text = string(item, entryPath) {
                        if text == "CALL" || text == "DISCARD" {
                            list.append(text)
                        } else {
                            report(
                                "InvalidEnumValue",
                                entryPath,
                                "found \(quoted(text)); expected CALL or DISCARD",
                                item.mark
                            )
                        }
                    }
                }
                actions = list
            default:
                report(
                    "UnknownField",
                    entryPath,
                    FieldSuggestion.message(for: entry.key, known: ["PostAcceptTimeoutConfig", "AllowedUserActions"]),
                    entry.keyMark
                )
            }
        }
        if !timeoutGiven {
            report("MissingRequiredField", path + ".PostAcceptTimeoutConfig", "missing; Preview requires it", node.mark)
        }
        if actions == nil, !entries.contains(where: { $0.key == "AllowedUserActions" }) {
            report("MissingRequiredField", path + ".AllowedUserActions", "missing; Preview requires it", node.mark)
        }
        guard let duration, let actions else { return nil }
        return .init(durationInSeconds: duration, allowedUserActions: actions)
    }
}

/// A set of request fields, as bits.
private struct FieldSet {
    private var bits: UInt32 = 0

    private static func bit(_ field: RequestField) -> UInt32 {
        switch field {
        case .name: return 1 << 0
        case .description: return 1 << 1
        case .references: return 1 << 2
        case .relatedContactId: return 1 << 3
        case .destinationPhoneNumber: return 1 << 4
        case .contactFlowId: return 1 << 5
        case .instanceId: return 1 << 6
        case .clientToken: return 1 << 7
        case .sourcePhoneNumber: return 1 << 8
        case .queueId: return 1 << 9
        case .attributes: return 1 << 10
        case .answerMachineDetectionConfig: return 1 << 11
        case .campaignId: return 1 << 12
        case .trafficType: return 1 << 13
        case .outboundStrategy: return 1 << 14
        case .ringTimeoutInSeconds: return 1 << 15
        }
    }

    mutating func insert(_ field: RequestField) { bits |= Self.bit(field) }
    func contains(_ field: RequestField) -> Bool { bits & Self.bit(field) != 0 }
}
