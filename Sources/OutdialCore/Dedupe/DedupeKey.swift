/// Which request fields make two rows the same call (`dedupe.key` of a job file).
///
/// The key's text is a JSON array of the named fields' values after validation and
/// normalisation (E.164 numbers, ids taken from ARNs), `null` for an absent field: for the
/// default key, `["12345678-1234-1234-1234-123456789012","+15551230001"]`.
public struct DedupeKey: Sendable, Hashable {
    /// One part of the key: a scalar request field, or one contact attribute (`Attributes.NAME`).
    public enum Part: Sendable, Hashable, CustomStringConvertible {
        case field(RequestField)
        case attribute(String)

        public var description: String {
            switch self {
            case .field(let field): return field.rawValue
            case .attribute(let name): return "Attributes." + name
            }
        }
    }

    public var parts: [Part]

    public init(_ parts: [Part]) {
        self.parts = parts
    }

    /// `[InstanceId, DestinationPhoneNumber]`.
    public static let standard = DedupeKey([.field(.instanceId), .field(.destinationPhoneNumber)])

    /// The part a `dedupe.key` item names, or nil when it names nothing that can be compared.
    public static func part(named name: String) -> Part? {
        if name.hasPrefix("Attributes.") {
            let attribute = String(name.dropFirst("Attributes.".count))
            return attribute.isEmpty ? nil : .attribute(attribute)
        }
        guard let field = RequestField.named(name), field.isScalar else { return nil }
        return .field(field)
    }

    /// The names a `dedupe.key` item may take (for suggestions).
    public static let partNames: [String] = RequestField.allCases.filter(\.isScalar).map(\.rawValue)

    /// The key's text for `request`: a JSON array of the parts' values.
    public func text(for request: ConnectRequest) -> [UInt8] {
        var w = JSONWriter(capacity: 96)
        w.beginArray()
        for part in parts {
            switch part {
            case .field(let field):
                if let value = Self.value(of: field, in: request) { w.string(value) } else { w.null() }
            case .attribute(let name):
                if let value = request.attributes?.first(where: { $0.key == name })?.value {
                    w.string(value)
                } else {
                    w.null()
                }
            }
        }
        w.endArray()
        return w.bytes
    }

    static func value(of field: RequestField, in request: ConnectRequest) -> String? {
        switch field {
        case .name: return request.name
        case .description: return request.description
        case .relatedContactId: return request.relatedContactId
        case .destinationPhoneNumber: return request.destinationPhoneNumber
        case .contactFlowId: return request.contactFlowId
        case .instanceId: return request.instanceId
        case .clientToken: return request.clientToken
        case .sourcePhoneNumber: return request.sourcePhoneNumber
        case .queueId: return request.queueId
        case .campaignId: return request.campaignId
        case .trafficType: return request.trafficType?.rawValue
        case .ringTimeoutInSeconds: return request.ringTimeoutInSeconds.map { String($0) }
        case .references, .attributes, .answerMachineDetectionConfig, .outboundStrategy: return nil
        }
    }
}

/// A 128-bit digest of a dedupe key's text: what the dedupe index stores, so that its memory does
/// not depend on how long the keys are.
///
/// Two SipHash values of the text under this process's random seed (Swift's `Hasher`), told apart by
/// a first byte: keyed, so rows cannot be written to collide, and cheaper than a SHA-256 per row. The
/// digests are compared within one process only; they are never stored.
public struct KeyDigest: Sendable, Hashable {
    public var high: UInt64
    public var low: UInt64

    public init(of text: [UInt8]) {
        var high = Hasher()
        var low = Hasher()
        high.combine(UInt8(1))
        low.combine(UInt8(2))
        text.withUnsafeBytes { raw in
            high.combine(bytes: raw)
            low.combine(bytes: raw)
        }
        self.high = UInt64(truncatingIfNeeded: high.finalize())
        self.low = UInt64(truncatingIfNeeded: low.finalize())
    }
}
