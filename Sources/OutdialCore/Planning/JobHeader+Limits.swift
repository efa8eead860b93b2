/// A job's `limits` and `limitKey` (ledger.md, "Communication limits"). They do not change how
/// rows are planned, so they may come anywhere in the job map, also after `contacts`.
extension JobHeader {
    static let limitFields = ["max", "per"]
    static let limitKeyFields = ["DestinationPhoneNumber", "InstanceId"]

    static let limitExample = "{max: 1, per: 24h}"
    static let allowedMax =
        "an integer from \(ContactLimit.allowedMax.lowerBound) to \(ContactLimit.allowedMax.upperBound)"
    static let allowedWindow =
        "a window from \(ContactLimit.durationText(ContactLimit.allowedWindow.lowerBound)) to "
        + "\(ContactLimit.durationText(ContactLimit.allowedWindow.upperBound)): "
        + "a whole number and s, m, h or d, like 24h or 7d"

    /// The warning `limits: off` gives wherever the job is validated, planned or run.
    static let limitsOffWarning =
        "off — this job's rows are not held to any communication limit; "
        + "a number called by another job an hour ago will be called again"

    /// `limits: off`, or a non-empty list of `{max, per}`.
    ///
    /// The word `off` counts quoted too: `limits` never takes text, and JSON has no unquoted words.
    mutating func applyLimits(_ node: Node) {
        if node.scalarText == "off" {
            limits = .off
            warn(ErrorCode.limitsOff, "limits", Self.limitsOffWarning, node.mark)
            return
        }
        guard case .sequence(let items) = node.value else {
            report(
                ErrorCode.invalidType,
                "limits",
                "found \(Self.found(node)); expected off or a list of limits like [\(Self.limitExample)]",
                node.mark
            )
            return
        }
        guard !items.isEmpty else {
            report(
                ErrorCode.invalidType,
                "limits",
                "found an empty list; expected at least one limit like \(Self.limitExample) "
                    + "(write limits: off to turn the limits off)",
                node.mark
            )
            return
        }
        var list: [ContactLimit] = []
        for (index, item) in items.enumerated() {
            if let limit = limit(item, path: "limits[\(index)]") { list.append(limit) }
        }
        if list.count == items.count { limits = .limits(list) }
    }

    /// One `{max, per}`, or nil after reporting what is wrong with it.
    private mutating func limit(_ node: Node, path: String) -> ContactLimit? {
        guard case .mapping(let entries) = node.value else {
            report(
                ErrorCode.invalidType,
                path,
                "found \(Self.found(node)); expected a map like \(Self.limitExample)",
                node.mark
            )
            return nil
        }
        var max: Int?
        var perSeconds: Int?
        var firstMarks: [String: SourceMark] = [:]
        var valid = true
        for entry in entries {
            let field = path + "." + entry.key
            guard acceptKey(entry, path: field, known: Self.limitFields, firstMarks: &firstMarks) else {
                valid = false
                continue
            }
            let value = limitValue(entry.value, isMax: entry.key == "max", path: field)
            if entry.key == "max" { max = value } else { perSeconds = value }
            valid = valid && value != nil
        }
        if firstMarks["max"] == nil {
            report(ErrorCode.missingRequiredField, path + ".max", "missing; expected \(Self.allowedMax)", node.mark)
            valid = false
        }
        if firstMarks["per"] == nil {
            report(ErrorCode.missingRequiredField, path + ".per", "missing; expected \(Self.allowedWindow)", node.mark)
            valid = false
        }
        guard valid, let max, let perSeconds else { return nil }
        return ContactLimit(max: max, perSeconds: perSeconds)
    }

    /// `max` (a plain integer in `ContactLimit.allowedMax`) or `per` (a window like `24h` in
    /// `ContactLimit.allowedWindow`), or nil after reporting what is wrong with it.
    private mutating func limitValue(_ node: Node, isMax: Bool, path: String) -> Int? {
        let allowed = isMax ? Self.allowedMax : Self.allowedWindow
        let range = isMax ? ContactLimit.allowedMax : ContactLimit.allowedWindow
        // `max` takes a plain scalar only; `per` is text, quoted or not.
        let text: String?
        switch node.value {
        case .scalar(let written, let style) where !node.isNull && (style == .plain || !isMax): text = written
        default: text = nil
        }
        guard let text else {
            report(ErrorCode.invalidType, path, "found \(Self.found(node)); expected \(allowed)", node.mark)
            return nil
        }
        let value = isMax ? Self.integer(text) : ContactLimit.parseDuration(text)
        guard let value else {
            let code = isMax ? ErrorCode.invalidType : ErrorCode.invalidDuration
            report(code, path, "found \(quoted(text)); expected \(allowed)", node.mark)
            return nil
        }
        guard range.contains(value) else {
            report(ErrorCode.outOfRange, path, "found \(quoted(text)); expected \(allowed)", node.mark)
            return nil
        }
        return value
    }

    /// `limitKey`: `[DestinationPhoneNumber]` or `[InstanceId, DestinationPhoneNumber]`, in any order.
    mutating func applyLimitKey(_ node: Node) {
        let allowed = "a list: [DestinationPhoneNumber] or [InstanceId, DestinationPhoneNumber]"
        guard case .sequence(let items) = node.value, !items.isEmpty else {
            let found = node.isEmptySequence ? "an empty list" : Self.found(node)
            report(ErrorCode.invalidType, "limitKey", "found \(found); expected \(allowed)", node.mark)
            return
        }
        var fields: [String] = []
        var valid = true
        for (index, item) in items.enumerated() {
            let path = "limitKey[\(index)]"
            guard let name = item.scalarText, !item.isNull, Self.limitKeyFields.contains(name) else {
                var message = "found \(Self.found(item)); expected DestinationPhoneNumber or InstanceId"
                if let name = item.scalarText, !item.isNull,
                    let nearest = FieldSuggestion.nearest(to: name, in: Self.limitKeyFields)
                {
                    message += "; did you mean \(nearest)?"
                }
                report(ErrorCode.invalidLimitKey, path, message, item.mark)
                valid = false
                continue
            }
            guard !fields.contains(name) else {
                report(
                    ErrorCode.invalidLimitKey,
                    path,
                    "found \(name) a second time; expected each field once",
                    item.mark
                )
                valid = false
                continue
            }
            fields.append(name)
        }
        guard valid else { return }
        guard let key = LimitKey(fields: fields) else {
            report(
                ErrorCode.invalidLimitKey,
                "limitKey",
                "found [\(fields.joined(separator: ", "))]; expected a list that names DestinationPhoneNumber, "
                    + "optionally with InstanceId",
                node.mark
            )
            return
        }
        limitKey = key
    }

    /// What a node is, for `found …`: its text quoted, `null`, `a map` or `a list`.
    static func found(_ node: Node) -> String {
        if node.isNull { return "null" }
        return node.scalarText.map { quoted($0) } ?? node.kindDescription
    }

    /// Digits only (no sign), as a number; nil for anything else or too large a number.
    static func integer(_ text: String) -> Int? {
        guard !text.isEmpty, text.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) else {
            return nil
        }
        return Int(text)
    }
}

extension Node {
    var isEmptySequence: Bool {
        if case .sequence(let items) = value { return items.isEmpty }
        return false
    }
}
