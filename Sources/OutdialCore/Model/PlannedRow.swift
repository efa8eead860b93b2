/// A valid, deduplicated row turned into the exact request that will be sent.
public struct PlannedRow: Sendable {
    public var ref: RowRef
    /// The normalised E.164 destination.
    public var destination: String
    /// The ClientToken the request carries (the row's own, or the derived one).
    public var clientToken: String
    /// The exact JSON body of `StartOutboundVoiceContact`, as sent.
    public var body: [UInt8]
    /// The instance id (from the ARN when an ARN was given).
    public var instanceId: String
    /// The region named by an instance ARN, if one was given.
    public var regionFromARN: String?
    /// The row's own `timezone` (an IANA name, from the row or the job's defaults); never sent.
    public var timezone: String?
    /// The calling window the row is held to, with its zones; nil when the job's window is off.
    public var window: RowWindow?
    /// Which deliberate attempt of the row this is: 1, or more for `replay --outcome`.
    public var attempt = 1
    /// The request's `QueueId`, for agent pacing.
    public var queueId: String?

    public init(
        ref: RowRef,
        destination: String,
        clientToken: String,
        body: [UInt8],
        instanceId: String,
        regionFromARN: String? = nil,
        timezone: String? = nil,
        window: RowWindow? = nil
    ) {
        self.ref = ref
        self.destination = destination
        self.clientToken = clientToken
        self.body = body
        self.instanceId = instanceId
        self.regionFromARN = regionFromARN
        self.timezone = timezone
        self.window = window
    }
}
