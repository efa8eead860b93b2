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
        if let name { w.field("Name", name) }
        if let description { w.field("Description", description) }
        if let references {
            w.key("References")
            w.beginObject()
            for entry in references {
                w.key(entry.key)
                let reference = entry.reference
                w.beginObject()
                if let value = reference.value { w.field("Value", value) }
                w.field("Type", reference.type.rawValue)
                if let status = reference.status { w.field("Status", status.rawValue) }
                if let arn = reference.arn { w.field("Arn", arn) }
                if let reason = reference.statusReason { w.field("StatusReason", reason) }
                w.endObject()
            }
            w.endObject()
        }
        if let relatedContactId { w.field("RelatedContactId", relatedContactId) }
        w.field("DestinationPhoneNumber", destinationPhoneNumber)
        w.field("ContactFlowId", contactFlowId)
        w.field("InstanceId", instanceId)
        if let clientToken { w.field("ClientToken", clientToken) }
        if let sourcePhoneNumber { w.field("SourcePhoneNumber", sourcePhoneNumber) }
        if let queueId { w.field("QueueId", queueId) }
        if let attributes {
            w.key("Attributes")
            w.beginObject()
            for attribute in attributes { w.field(attribute.key, attribute.value) }
            w.endObject()
        }
        if let amd = answerMachineDetectionConfig {
            w.key("AnswerMachineDetectionConfig")
            w.beginObject()
            if let enable = amd.enableAnswerMachineDetection { w.field("EnableAnswerMachineDetection", enable) }
            if let prompt = amd.awaitAnswerMachinePrompt { w.field("AwaitAnswerMachinePrompt", prompt) }
            w.endObject()
        }
        if let campaignId { w.field("CampaignId", campaignId) }
        if let trafficType { w.field("TrafficType", trafficType.rawValue) }
        if let strategy = outboundStrategy {
            w.key("OutboundStrategy")
            w.beginObject()
            w.field("Type", strategy.type)
            if strategy.hasConfig {
                w.key("Config")
                w.beginObject()
                if strategy.hasAgentFirst {
                    w.key("AgentFirst")
                    w.beginObject()
                    if let preview = strategy.preview {
                        w.key("Preview")
                        w.beginObject()
                        w.key("PostAcceptTimeoutConfig")
                        w.beginObject()
                        w.field("DurationInSeconds", preview.durationInSeconds)
                        w.endObject()
                        w.key("AllowedUserActions")
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
        if let ringTimeoutInSeconds { w.field("RingTimeoutInSeconds", ringTimeoutInSeconds) }
        w.endObject()
    }
}
