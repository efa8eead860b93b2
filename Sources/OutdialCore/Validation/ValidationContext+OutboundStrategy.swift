// `OutboundStrategy`: `Type: AGENT_FIRST` and `Config: {AgentFirst: {Preview: {…}}}`, whose nested
// one-key maps are all read by `oneKeyMap`.
extension ValidationContext {
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
                        ErrorCode.invalidEnumValue,
                        entryPath,
                        "found \(quoted(text)); expected AGENT_FIRST",
                        entry.value.mark
                    )
                }
            case "Config":
                strategy.hasConfig = true
                oneKeyMap(entry.value, entryPath, key: "AgentFirst") { context, agentFirst, agentFirstPath in
                    strategy.hasAgentFirst = true
                    context.oneKeyMap(agentFirst, agentFirstPath, key: "Preview") { context, preview, previewPath in
                        strategy.preview = context.preview(preview, previewPath)
                    }
                }
            default:
                reportUnknown(entry, entryPath, known: RequestValidator.strategyKeys)
            }
        }
        if !typeGiven {
            report(ErrorCode.missingRequiredField, path + ".Type", "missing; expected Type: AGENT_FIRST", node.mark)
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
                let given = oneKeyMap(entry.value, entryPath, key: "DurationInSeconds") { context, value, valuePath in
                    duration = context.postAcceptDuration(value, valuePath)
                }
                if given == false {
                    report(
                        ErrorCode.missingRequiredField,
                        entryPath + ".DurationInSeconds",
                        "missing; required",
                        entry.value.mark
                    )
                }
            case "AllowedUserActions":
                actions = allowedUserActions(entry.value, entryPath) ?? actions
            default:
                reportUnknown(entry, entryPath, known: ["PostAcceptTimeoutConfig", "AllowedUserActions"])
            }
        }
        if !timeoutGiven {
            report(
                ErrorCode.missingRequiredField,
                path + ".PostAcceptTimeoutConfig",
                "missing; Preview requires it",
                node.mark
            )
        }
        if actions == nil, !entries.contains(where: { $0.key == "AllowedUserActions" }) {
            report(
                ErrorCode.missingRequiredField,
                path + ".AllowedUserActions",
                "missing; Preview requires it",
                node.mark
            )
        }
        guard let duration, let actions else { return nil }
        return .init(durationInSeconds: duration, allowedUserActions: actions)
    }

    /// `DurationInSeconds`: an integer of 0 or more.
    private mutating func postAcceptDuration(_ node: Node, _ path: String) -> Int? {
        guard let value = integer(node, path) else { return nil }
        if value >= 0 { return value }
        report(ErrorCode.outOfRange, path, "found \(value); expected an integer of 0 or more", node.mark)
        return nil
    }

    /// A list of `CALL` and `DISCARD`; nil when it is not a list (reported).
    private mutating func allowedUserActions(_ node: Node, _ path: String) -> [String]? {
        guard case .sequence(let items) = node.value else {
            report(
                ErrorCode.invalidType,
                path,
                "found \(node.kindDescription); expected a list of CALL, DISCARD",
                node.mark
            )
            return nil
        }
        var list: [String] = []
        for item in items {
            guard let text = string(item, path) else { continue }
            if text == "CALL" || text == "DISCARD" {
                list.append(text)
            } else {
                report(ErrorCode.invalidEnumValue, path, "found \(quoted(text)); expected CALL or DISCARD", item.mark)
            }
        }
        return list
    }
}
