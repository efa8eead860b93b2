extension ConnectRequest {
    /// The request body as sent: a JSON object with the members in the API model's order,
    /// absent members left out, map keys in the order given. Deterministic: the same request
    /// always gives the same bytes.
    public func jsonBody() -> [UInt8] {
        var w = JSONWriter(capacity: 384)
        write(to: &w)
        return w.bytes
    }

    /// Writes the request object into `w`.
    public func write(to w: inout JSONWriter) {
        w.beginObject()
        if let name { w.field(plain: "Name", name) }
        if let description { w.field(plain: "Description", description) }
        if let references {
            w.key(plain: "References")
            w.beginObject()
            for entry in references {
                w.key(entry.key)
                let reference = entry.reference
                w.beginObject()
                if let value = reference.value { w.field(plain: "Value", value) }
                w.field(plain: "Type", reference.type.rawValue)
                if let status = reference.status { w.field(plain: "Status", status.rawValue) }
                if let arn = reference.arn { w.field(plain: "Arn", arn) }
                if let reason = reference.statusReason { w.field(plain: "StatusReason", reason) }
                w.endObject()
            }
            w.endObject()
        }
        if let relatedContactId { w.field(plain: "RelatedContactId", relatedContactId) }
        w.field(plain: "DestinationPhoneNumber", destinationPhoneNumber)
        w.field(plain: "ContactFlowId", contactFlowId)
        w.field(plain: "InstanceId", instanceId)
        if let clientToken { w.field(plain: "ClientToken", clientToken) }
        if let sourcePhoneNumber { w.field(plain: "SourcePhoneNumber", sourcePhoneNumber) }
        if let queueId { w.field(plain: "QueueId", queueId) }
        if let attributes {
            w.key(plain: "Attributes")
            w.beginObject()
            for attribute in attributes { w.field(attribute.key, attribute.value) }
            w.endObject()
        }
        if let amd = answerMachineDetectionConfig {
            w.key(plain: "AnswerMachineDetectionConfig")
            w.beginObject()
            if let enable = amd.enableAnswerMachineDetection { w.field(plain: "EnableAnswerMachineDetection", enable) }
            if let prompt = amd.awaitAnswerMachinePrompt { w.field(plain: "AwaitAnswerMachinePrompt", prompt) }
            w.endObject()
        }
        if let campaignId { w.field(plain: "CampaignId", campaignId) }
        if let trafficType { w.field(plain: "TrafficType", trafficType.rawValue) }
        if let strategy = outboundStrategy {
            w.key(plain: "OutboundStrategy")
            w.beginObject()
            w.field(plain: "Type", strategy.type)
            if strategy.hasConfig {
                w.key(plain: "Config")
                w.beginObject()
                if strategy.hasAgentFirst {
                    w.key(plain: "AgentFirst")
                    w.beginObject()
                    if let preview = strategy.preview {
                        w.key(plain: "Preview")
                        w.beginObject()
                        w.key(plain: "PostAcceptTimeoutConfig")
                        w.beginObject()
                        w.field(plain: "DurationInSeconds", preview.durationInSeconds)
                        w.endObject()
                        w.key(plain: "AllowedUserActions")
                        w.beginArray()
                        for action in preview.allowedUserActions { w.string(action) }
                        w.endArray()
                        w.endObject()
                    }
                    w.endObject()
                }
                w.endObject()
            }
            w.endObject()
        }
        if let ringTimeoutInSeconds { w.field(plain: "RingTimeoutInSeconds", ringTimeoutInSeconds) }
        w.endObject()
    }
}
