/// The job's `defaults`, validated once for every row: the draft each row starts from.
///
/// A row that names none of the defaults' fields (but `Attributes`, merged key by key) is then
/// checked field by field on a copy of that draft, instead of merging the defaults into it and
/// checking them again. The result is the same request; a row this cannot serve (it overrides or
/// removes a default, or breaks a rule) is left to `RequestValidator.validate`, which says what
/// is wrong exactly as it always has.
struct DefaultsDraft {
    fileprivate let draft: RequestDraft
    /// The defaults' keys.
    fileprivate let keys: [String]
    /// The defaults' `Attributes`, when they are a map.
    fileprivate let attributes: [Node.Entry]?
    /// The defaults' `Attributes` as checked, when their map holds no null (so that each of its
    /// entries is one attribute, in order), with the bytes of their names and values.
    private let checkedAttributes: (attributes: [ConnectRequest.Attribute], bytes: Int)?

    /// The draft of `defaults` (null values already left out), or nil when they break a rule, give
    /// a key twice, or are not plain fields this draft can hold.
    init?(_ defaults: [Node.Entry], validator: RequestValidator) {
        var context = ValidationContext(validator: validator, rowPath: nil, diagnostics: [])
        context.checkDuplicates(defaults, under: "")
        var draft = RequestDraft()
        var attributes: [Node.Entry]?
        for entry in defaults {
            // References merge key by key too; rows under such defaults take the general way.
            guard entry.key != "References" else { return nil }
            if entry.key == "Attributes" {
                guard case .mapping(let map) = entry.value.value else { return nil }
                attributes = map
            }
            context.field(entry, into: &draft)
        }
        // The rules that join fields are checked for each row, on the whole request.
        guard context.diagnostics.isEmpty else { return nil }
        self.draft = draft
        self.keys = defaults.map(\.key)
        self.attributes = attributes
        if let attributes, let checked = draft.request.attributes, !attributes.contains(where: { $0.value.isNull }) {
            checkedAttributes = (checked, checked.reduce(0) { $0 + $1.key.utf8.count + $1.value.utf8.count })
        } else {
            checkedAttributes = nil
        }
    }

    /// A row's `Attributes` merged with the defaults' ones, as merging the two maps and checking the
    /// result gives them, when every entry of the row's map is a scalar, not null, named as attributes
    /// may be and given once, and the whole is within the size limit; nil for any other map, which
    /// the general way merges and checks.
    fileprivate func mergedAttributes(_ map: [Node.Entry]) -> [ConnectRequest.Attribute]? {
        guard let (base, baseBytes) = checkedAttributes else { return nil }
        var merged = base
        var bytes = baseBytes
        merged.reserveCapacity(base.count + map.count)
        for index in map.indices {
            let key = map[index].key
            guard case .scalar(let value, _) = map[index].value.value, !map[index].value.isNull,
                ValidationContext.isAttributeName(key),
                !map[..<index].contains(where: { RowMerger.sameKey($0.key, key) })
            else { return nil }
            // A key of the defaults keeps its place; a new one goes after them, in the row's order.
            if let at = base.firstIndex(where: { RowMerger.sameKey($0.key, key) }) {
                bytes += value.utf8.count - merged[at].value.utf8.count
                merged[at].value = value
            } else {
                bytes += key.utf8.count + value.utf8.count
                merged.append(.init(key, value))
            }
        }
        return bytes <= RequestValidator.maxAttributesBytes ? merged : nil
    }
}

extension RequestValidator {
    /// The request of a row under `defaults`, checked on the defaults' draft; nil when the row
    /// overrides or removes a default (other than merging `Attributes`) or breaks any rule, for
    /// `validate` to say why.
    func validate(_ row: [Node.Entry], over defaults: DefaultsDraft, at mark: SourceMark) -> ValidatedRequest? {
        var context = ValidationContext(validator: self, rowPath: nil, diagnostics: [])
        context.checkDuplicates(row, under: "")
        var draft = defaults.draft
        for entry in row {
            let overridesDefault = defaults.keys.contains { RowMerger.sameKey($0, entry.key) }
            guard overridesDefault else {
                if !entry.value.isNull { context.field(entry, into: &draft) }
                continue
            }
            guard entry.key == "Attributes", let base = defaults.attributes,
                case .mapping(let map) = entry.value.value
            else { return nil }
            if let attributes = defaults.mergedAttributes(map) {
                draft.request.attributes = attributes
                continue
            }
            let merged = Node.Entry(
                key: entry.key,
                keyMark: entry.keyMark,
                value: Node(.mapping(RowMerger.mergeMap(base, map)), at: entry.value.mark)
            )
            context.field(merged, into: &draft)
        }
        context.checkAnswerMachineDetection(draft)
        context.checkRequiredFields(draft.present, at: mark)
        guard context.diagnostics.isEmpty else { return nil }
        return draft.takeValidated()
    }
}
