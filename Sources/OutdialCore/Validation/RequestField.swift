/// The members of `StartOutboundVoiceContact`'s input, spelled as the API spells them.
public enum RequestField: String, Sendable, Hashable, CaseIterable {
    case name = "Name"
    case description = "Description"
    case references = "References"
    case relatedContactId = "RelatedContactId"
    case destinationPhoneNumber = "DestinationPhoneNumber"
    case contactFlowId = "ContactFlowId"
    case instanceId = "InstanceId"
    case clientToken = "ClientToken"
    case sourcePhoneNumber = "SourcePhoneNumber"
    case queueId = "QueueId"
    case attributes = "Attributes"
    case answerMachineDetectionConfig = "AnswerMachineDetectionConfig"
    case campaignId = "CampaignId"
    case trafficType = "TrafficType"
    case outboundStrategy = "OutboundStrategy"
    case ringTimeoutInSeconds = "RingTimeoutInSeconds"

    /// The field named exactly `name`, or nil. Looked up by length first: this runs for every key
    /// of every row, and no name shares its length with more than four others.
    public static func named(_ name: String) -> RequestField? {
        switch name.utf8.count {
        case 4: return name == "Name" ? .name : nil
        case 7: return name == "QueueId" ? .queueId : nil
        case 10:
            switch name {
            case "InstanceId": return .instanceId
            case "Attributes": return .attributes
            case "References": return .references
            case "CampaignId": return .campaignId
            default: return nil
            }
        case 11:
            switch name {
            case "ClientToken": return .clientToken
            case "Description": return .description
            case "TrafficType": return .trafficType
            default: return nil
            }
        case 13: return name == "ContactFlowId" ? .contactFlowId : nil
        case 16:
            switch name {
            case "RelatedContactId": return .relatedContactId
            case "OutboundStrategy": return .outboundStrategy
            default: return nil
            }
        case 17: return name == "SourcePhoneNumber" ? .sourcePhoneNumber : nil
        case 20: return name == "RingTimeoutInSeconds" ? .ringTimeoutInSeconds : nil
        case 22: return name == "DestinationPhoneNumber" ? .destinationPhoneNumber : nil
        case 28: return name == "AnswerMachineDetectionConfig" ? .answerMachineDetectionConfig : nil
        default: return nil
        }
    }

    /// Every member name, in the API model's order.
    public static let allNames: [String] = allCases.map(\.rawValue)

    /// Fields whose values are single scalars, so that they can be part of a dedupe key.
    public var isScalar: Bool {
        switch self {
        case .references, .attributes, .answerMachineDetectionConfig, .outboundStrategy: return false
        default: return true
        }
    }
}
