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

    private static let byName: [String: RequestField] = Dictionary(
        uniqueKeysWithValues: allCases.map { ($0.rawValue, $0) }
    )

    /// The field named exactly `name`, or nil.
    public static func named(_ name: String) -> RequestField? { byName[name] }

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
