/// One `StartOutboundVoiceContact` request, validated: every member of the API's input shape.
///
/// Phone numbers are normalised E.164, `InstanceId` and `ContactFlowId` are ids (taken from ARNs
/// when ARNs were given). Map members keep the order in which their keys were given.
public struct ConnectRequest: Sendable, Hashable {
    public var name: String?
    public var description: String?
    public var references: [ReferenceEntry]?
    public var relatedContactId: String?
    public var destinationPhoneNumber: String
    public var contactFlowId: String
    public var instanceId: String
    /// The row's own token, or the derived one once planned.
    public var clientToken: String?
    public var sourcePhoneNumber: String?
    public var queueId: String?
    public var attributes: [Attribute]?
    public var answerMachineDetectionConfig: AnswerMachineDetectionConfig?
    public var campaignId: String?
    public var trafficType: TrafficType?
    public var outboundStrategy: OutboundStrategy?
    public var ringTimeoutInSeconds: Int?

    public init(destinationPhoneNumber: String, contactFlowId: String, instanceId: String) {
        self.destinationPhoneNumber = destinationPhoneNumber
        self.contactFlowId = contactFlowId
        self.instanceId = instanceId
    }

    /// One contact attribute (`Attributes` is a map of string to string).
    public struct Attribute: Sendable, Hashable {
        public var key: String
        public var value: String

        public init(_ key: String, _ value: String) {
            self.key = key
            self.value = value
        }
    }

    /// One named entry of `References`.
    public struct ReferenceEntry: Sendable, Hashable {
        public var key: String
        public var reference: Reference

        public init(_ key: String, _ reference: Reference) {
            self.key = key
            self.reference = reference
        }
    }

    /// A contact reference: `{Value, Type, Status, Arn, StatusReason}`.
    public struct Reference: Sendable, Hashable {
        public var value: String?
        public var type: ReferenceType
        public var status: ReferenceStatus?
        public var arn: String?
        public var statusReason: String?

        public init(
            value: String? = nil,
            type: ReferenceType,
            status: ReferenceStatus? = nil,
            arn: String? = nil,
            statusReason: String? = nil
        ) {
            self.value = value
            self.type = type
            self.status = status
            self.arn = arn
            self.statusReason = statusReason
        }
    }

    /// The reference types a new contact may carry.
    public enum ReferenceType: String, Sendable, Hashable, CaseIterable {
        case url = "URL"
        case number = "NUMBER"
        case string = "STRING"
        case date = "DATE"
        case email = "EMAIL"
    }

    public enum ReferenceStatus: String, Sendable, Hashable, CaseIterable {
        case available = "AVAILABLE"
        case deleted = "DELETED"
        case approved = "APPROVED"
        case rejected = "REJECTED"
        case processing = "PROCESSING"
        case failed = "FAILED"
    }

    public struct AnswerMachineDetectionConfig: Sendable, Hashable {
        public var enableAnswerMachineDetection: Bool?
        public var awaitAnswerMachinePrompt: Bool?

        public init(enableAnswerMachineDetection: Bool? = nil, awaitAnswerMachinePrompt: Bool? = nil) {
            self.enableAnswerMachineDetection = enableAnswerMachineDetection
            self.awaitAnswerMachinePrompt = awaitAnswerMachinePrompt
        }
    }

    public enum TrafficType: String, Sendable, Hashable, CaseIterable {
        case general = "GENERAL"
        case campaign = "CAMPAIGN"
    }

    /// `{Type: AGENT_FIRST, Config: {AgentFirst: {Preview: {PostAcceptTimeoutConfig: {DurationInSeconds}, AllowedUserActions}}}}`.
    public struct OutboundStrategy: Sendable, Hashable {
        /// Always `AGENT_FIRST`, the one type the API knows.
        public var type: String
        public var preview: Preview?

        public init(type: String = "AGENT_FIRST", preview: Preview? = nil) {
            self.type = type
            self.preview = preview
        }

        /// `Config.AgentFirst.Preview`; `config`/`agentFirst` present but empty are kept as such.
        public struct Preview: Sendable, Hashable {
            public var durationInSeconds: Int
            public var allowedUserActions: [String]

            public init(durationInSeconds: Int, allowedUserActions: [String]) {
                self.durationInSeconds = durationInSeconds
                self.allowedUserActions = allowedUserActions
            }
        }

        /// Whether `Config` was given (possibly without `AgentFirst`).
        public var hasConfig = false
        /// Whether `Config.AgentFirst` was given (possibly without `Preview`).
        public var hasAgentFirst = false
    }
}
