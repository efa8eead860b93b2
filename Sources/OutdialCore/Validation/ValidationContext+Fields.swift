// The request's fields one by one, and the rules that join several of them.
extension ValidationContext {
    /// Checks one field of the request and takes its value into `draft`.
    mutating func field(_ entry: Node.Entry, into draft: inout RequestDraft) {
        if entry.key == RequestValidator.timeZoneOption {
            draft.timeZone = timeZone(entry.value, entry.key)
            return
        }
        guard let field = RequestField.named(entry.key) else {
            reportUnknown(entry, entry.key, known: RequestValidator.knownRowKeys)
            return
        }
        draft.present.insert(field)
        let node = entry.value
        let path = entry.key
        switch field {
        case .name:
            draft.request.name = string(node, path, maxLength: 1024)
        case .description:
            draft.request.description = string(node, path, maxLength: 4096)
        case .relatedContactId:
            draft.request.relatedContactId = string(node, path, minLength: 1, maxLength: 256)
        case .campaignId:
            draft.request.campaignId = string(node, path, minLength: 1, maxLength: 100)
        case .queueId:
            draft.request.queueId = string(node, path)
        case .clientToken:
            draft.request.clientToken = string(node, path, maxLength: 500)
            draft.clientTokenMark = node.mark
        case .destinationPhoneNumber:
            draft.destination = destinationPhoneNumber(node, path)
        case .sourcePhoneNumber:
            draft.request.sourcePhoneNumber = sourcePhoneNumber(node, path)
        case .instanceId:
            instanceId(node, path, into: &draft)
        case .contactFlowId:
            draft.contactFlowId = contactFlowId(node, path)
        case .trafficType:
            draft.request.trafficType = trafficType(node, path)
        case .ringTimeoutInSeconds:
            draft.request.ringTimeoutInSeconds = integer(
                node,
                path,
                in: 15 ... 60,
                allowed: "an integer from 15 to 60"
            )
        case .attributes:
            draft.request.attributes = attributes(node, path)
        case .references:
            draft.request.references = references(node, path)
        case .answerMachineDetectionConfig:
            answerMachineDetectionConfig(node, path, into: &draft)
        case .outboundStrategy:
            draft.request.outboundStrategy = outboundStrategy(node, path)
        }
    }

    /// Answer machine detection needs `TrafficType: CAMPAIGN`.
    mutating func checkAnswerMachineDetection(_ draft: RequestDraft) {
        let request = draft.request
        guard let node = draft.amdEnableNode,
            request.answerMachineDetectionConfig?.enableAnswerMachineDetection == true,
            request.trafficType != .campaign
        else { return }
        let found = request.trafficType.map { "TrafficType is \($0.rawValue)" } ?? "TrafficType is not set"
        report(
            ErrorCode.invalidFieldCombination,
            "AnswerMachineDetectionConfig.EnableAnswerMachineDetection",
            "true while \(found); answer machine detection needs TrafficType CAMPAIGN",
            node.mark
        )
    }

    /// Every request needs a destination, a flow, an instance, and a source number or a queue.
    mutating func checkRequiredFields(_ present: FieldSet, at mark: SourceMark) {
        for required in RequestValidator.requiredFields where !present.contains(required) {
            report(
                ErrorCode.missingRequiredField,
                required.rawValue,
                "missing; required in every request (in the row or in defaults)",
                mark
            )
        }
        if !present.contains(.sourcePhoneNumber), !present.contains(.queueId) {
            report(
                ErrorCode.missingRequiredField,
                "SourcePhoneNumber",
                "neither SourcePhoneNumber nor QueueId is given; one of the two is required",
                mark
            )
        }
    }

    /// An instance id, or an instance ARN (whose region is kept).
    private mutating func instanceId(_ node: Node, _ path: String, into draft: inout RequestDraft) {
        guard let text = string(node, path) else { return }
        guard text.hasPrefix("arn:") else {
            draft.instanceId = checkLength(text, path, node, minLength: 1, maxLength: 100)
            return
        }
        if let arn = ResourceARN(text), arn.contactFlowId == nil {
            draft.instanceId = checkLength(arn.instanceId, path, node, minLength: 1, maxLength: 100)
            draft.region = arn.region
        } else {
            report(
                ErrorCode.invalidARN,
                path,
                "found \(quoted(text)); expected an instance id or an ARN "
                    + "arn:aws:connect:REGION:ACCOUNT:instance/INSTANCE_ID",
                node.mark
            )
        }
    }

    /// A contact flow id, or a contact flow ARN.
    private mutating func contactFlowId(_ node: Node, _ path: String) -> String? {
        guard let text = string(node, path) else { return nil }
        guard text.hasPrefix("arn:") else {
            return checkLength(text, path, node, maxLength: 500)
        }
        if let arn = ResourceARN(text), let flow = arn.contactFlowId {
            return checkLength(flow, path, node, maxLength: 500)
        }
        report(
            ErrorCode.invalidARN,
            path,
            "found \(quoted(text)); expected a contact flow id or an ARN "
                + "arn:aws:connect:REGION:ACCOUNT:instance/INSTANCE_ID/contact-flow/FLOW_ID",
            node.mark
        )
        return nil
    }

    private mutating func trafficType(_ node: Node, _ path: String) -> ConnectRequest.TrafficType? {
        guard let text = string(node, path) else { return nil }
        if let value = ConnectRequest.TrafficType(rawValue: text) { return value }
        report(
            ErrorCode.invalidEnumValue,
            path,
            "found \(quoted(text)); expected one of GENERAL, CAMPAIGN",
            node.mark
        )
        return nil
    }

    private mutating func answerMachineDetectionConfig(_ node: Node, _ path: String, into draft: inout RequestDraft) {
        guard
            let mapping = mapping(
                node,
                path,
                expected: "a map with EnableAnswerMachineDetection and AwaitAnswerMachinePrompt"
            )
        else { return }
        var config = ConnectRequest.AnswerMachineDetectionConfig()
        checkDuplicates(mapping, under: path)
        for member in mapping where !member.value.isNull {
            let memberPath = path + "." + member.key
            switch member.key {
            case "EnableAnswerMachineDetection":
                config.enableAnswerMachineDetection = boolean(member.value, memberPath)
                draft.amdEnableNode = member.value
            case "AwaitAnswerMachinePrompt":
                config.awaitAnswerMachinePrompt = boolean(member.value, memberPath)
            default:
                reportUnknown(member, memberPath, known: RequestValidator.answerMachineKeys)
            }
        }
        draft.request.answerMachineDetectionConfig = config
    }

    /// A row's `timezone` option: a known IANA zone name (calling-window.md, "Which time zone").
    mutating func timeZone(_ node: Node, _ path: String) -> String? {
        guard case .scalar(let name, _) = node.value else {
            report(
                ErrorCode.invalidType,
                path,
                "found \(node.kindDescription); expected \(TimeZoneName.allowed)",
                node.mark
            )
            return nil
        }
        guard TimeZoneName.isKnown(name) else {
            report(ErrorCode.invalidTimeZone, path, TimeZoneName.refusal(of: name), node.mark)
            return nil
        }
        return name
    }
}
