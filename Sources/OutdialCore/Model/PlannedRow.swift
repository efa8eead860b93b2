/// A valid, deduplicated row turned into the exact request that will be sent.
///
/// A value like any other, kept in one shared, immutable box: a row is copied many times on its way
/// (into the screen, the queue, the tasks that send it, its result line) and a copy is then one
/// reference count, not one for each of its strings, arrays and calling window. Setting a property
/// makes a box of its own for the row that changes.
public struct PlannedRow: Sendable {
    /// The properties, stored once per row.
    private struct Fields: Sendable {
        var ref: RowRef
        var destination: String
        var clientToken: String
        var body: [UInt8]
        var instanceId: String
        var regionFromARN: String?
        var timezone: String?
        var window: RowWindow?
        var attempt = 1
        var queueId: String?
    }

    private final class Box: Sendable {
        let fields: Fields

        init(_ fields: Fields) {
            self.fields = fields
        }
    }

    private var box: Box

    public init(
        ref: RowRef,
        destination: String,
        clientToken: String,
        body: [UInt8],
        instanceId: String,
        regionFromARN: String? = nil,
        timezone: String? = nil,
        window: RowWindow? = nil,
        queueId: String? = nil
    ) {
        box = Box(
            Fields(
                ref: ref,
                destination: destination,
                clientToken: clientToken,
                body: body,
                instanceId: instanceId,
                regionFromARN: regionFromARN,
                timezone: timezone,
                window: window,
                queueId: queueId
            )
        )
    }

    /// Changes the fields in a box of this row's own.
    private mutating func change(_ body: (inout Fields) -> Void) {
        var fields = box.fields
        body(&fields)
        box = Box(fields)
    }

    public var ref: RowRef {
        get { box.fields.ref }
        set { change { $0.ref = newValue } }
    }

    /// The normalised E.164 destination.
    public var destination: String {
        get { box.fields.destination }
        set { change { $0.destination = newValue } }
    }

    /// The ClientToken the request carries (the row's own, or the derived one).
    public var clientToken: String {
        get { box.fields.clientToken }
        set { change { $0.clientToken = newValue } }
    }

    /// The exact JSON body of `StartOutboundVoiceContact`, as sent.
    public var body: [UInt8] {
        get { box.fields.body }
        set { change { $0.body = newValue } }
    }

    /// The instance id (from the ARN when an ARN was given).
    public var instanceId: String {
        get { box.fields.instanceId }
        set { change { $0.instanceId = newValue } }
    }

    /// The region named by an instance ARN, if one was given.
    public var regionFromARN: String? {
        get { box.fields.regionFromARN }
        set { change { $0.regionFromARN = newValue } }
    }

    /// The row's own `timezone` (an IANA name, from the row or the job's defaults); never sent.
    public var timezone: String? {
        get { box.fields.timezone }
        set { change { $0.timezone = newValue } }
    }

    /// The calling window the row is held to, with its zones; nil when the job's window is off.
    public var window: RowWindow? {
        get { box.fields.window }
        set { change { $0.window = newValue } }
    }

    /// Which deliberate attempt of the row this is: 1, or more for `replay --outcome`.
    public var attempt: Int {
        get { box.fields.attempt }
        set { change { $0.attempt = newValue } }
    }

    /// The request's `QueueId`, for agent pacing.
    public var queueId: String? {
        get { box.fields.queueId }
        set { change { $0.queueId = newValue } }
    }
}
