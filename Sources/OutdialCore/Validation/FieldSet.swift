/// A set of request fields, as bits.
struct FieldSet {
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
