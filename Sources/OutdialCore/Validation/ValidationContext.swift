/// The running state of one validation: where problems go and how fields are named, with the
/// readers of scalars and maps that every rule uses.
struct ValidationContext {
    let validator: RequestValidator
    let rowPath: String?
    var diagnostics: [Diagnostic]

    mutating func report(_ code: String, _ field: String, _ message: String, _ mark: SourceMark) {
        diagnostics.append(
            Diagnostic(code: code, field: field, message: message, file: validator.file, mark: mark, rowPath: rowPath)
        )
    }

    /// Reports every key given more than once in `entries`, the members of `parent` (`""` for the
    /// request itself).
    mutating func checkDuplicates(_ entries: [Node.Entry], under parent: String) {
        guard entries.count > 1 else { return }
        if entries.count <= 16 {
            for i in 1 ..< entries.count {
                // Lengths first: keys of one map rarely share a length.
                for j in 0 ..< i
                where entries[j].key.utf8.count == entries[i].key.utf8.count && entries[j].key == entries[i].key {
                    reportDuplicate(entries[i], first: entries[j], parent: parent)
                    break
                }
            }
        } else {
            var seen: [String: SourceMark] = [:]
            for entry in entries {
                if let first = seen[entry.key] {
                    reportDuplicate(
                        entry,
                        first: Node.Entry(key: entry.key, keyMark: first, value: entry.value),
                        parent: parent
                    )
                } else {
                    seen[entry.key] = entry.keyMark
                }
            }
        }
    }

    private mutating func reportDuplicate(_ entry: Node.Entry, first: Node.Entry, parent: String) {
        report(
            ErrorCode.duplicateKey,
            parent.isEmpty ? entry.key : parent + "." + entry.key,
            "key given twice (first at \(first.keyMark)); a key may appear only once in a map",
            entry.keyMark
        )
    }

    /// Reports a key that `known` does not hold, naming the nearest known one.
    mutating func reportUnknown(_ entry: Node.Entry, _ path: String, known: [String]) {
        report(ErrorCode.unknownField, path, FieldSuggestion.message(for: entry.key, known: known), entry.keyMark)
    }

    /// The text of a scalar; a map or list is reported.
    mutating func string(_ node: Node, _ path: String, minLength: Int = 0, maxLength: Int? = nil) -> String? {
        guard case .scalar(let text, _) = node.value else {
            report(ErrorCode.invalidType, path, "found \(node.kindDescription); expected a string", node.mark)
            return nil
        }
        if minLength == 0, maxLength == nil { return text }
        return checkLength(text, path, node, minLength: minLength, maxLength: maxLength)
    }

    /// `text` when its length (in Unicode scalars) is within bounds; otherwise reported.
    mutating func checkLength(_ text: String, _ path: String, _ node: Node, minLength: Int = 0, maxLength: Int? = nil)
        -> String?
    {
        // The UTF-8 length bounds the scalar count from above, so most strings need no counting
        // (minimum lengths are 0 or 1, where both counts agree).
        let bytes = text.utf8.count
        if bytes >= minLength, bytes <= (maxLength ?? Int.max) { return text }
        let length = text.unicodeScalars.count
        if length < minLength {
            let bounds = maxLength.map { "\(minLength) to \($0) characters" } ?? "at least \(minLength) characters"
            report(ErrorCode.valueTooShort, path, "found an empty string; expected \(bounds)", node.mark)
            return nil
        }
        if let maxLength, length > maxLength {
            report(
                ErrorCode.valueTooLong,
                path,
                "found \(length) characters; at most \(maxLength) are allowed",
                node.mark
            )
            return nil
        }
        return text
    }

    /// A plain integer scalar.
    mutating func integer(_ node: Node, _ path: String) -> Int? {
        guard let text = plainScalar(node, path, expected: "an integer", quotedExpected: "a plain integer") else {
            return nil
        }
        if let value = Self.parseInteger(text) { return value }
        report(ErrorCode.invalidType, path, "found \(quoted(text)); expected an integer", node.mark)
        return nil
    }

    /// The text of a plain (unquoted) scalar, as numbers and booleans are written; a quoted
    /// string, a map or a list is reported as expecting `expected` (`quotedExpected` for a
    /// quoted string).
    private mutating func plainScalar(_ node: Node, _ path: String, expected: String, quotedExpected: String)
        -> String?
    {
        switch node.value {
        case .scalar(let text, .plain):
            return text
        case .scalar(let text, _):
            report(
                ErrorCode.invalidType,
                path,
                "found the quoted string \(quoted(text)); expected \(quotedExpected)",
                node.mark
            )
        default:
            report(ErrorCode.invalidType, path, "found \(node.kindDescription); expected \(expected)", node.mark)
        }
        return nil
    }

    /// A plain integer scalar within `range`. An integer outside it is reported as out of range
    /// with `allowed`, however many digits it has (a number too large for `Int` is out of range
    /// too, not a wrong type).
    mutating func integer(_ node: Node, _ path: String, in range: ClosedRange<Int>, allowed: String) -> Int? {
        guard case .scalar(let text, .plain) = node.value, Self.isIntegerText(text) else {
            return integer(node, path)
        }
        let value = Self.parseInteger(text)
        if let value, range.contains(value) { return value }
        report(ErrorCode.outOfRange, path, "found \(value.map { String($0) } ?? text); expected \(allowed)", node.mark)
        return nil
    }

    static func parseInteger(_ text: String) -> Int? {
        var utf8 = Substring(text).utf8[...]
        if utf8.first == UInt8(ascii: "-") { utf8 = utf8.dropFirst() }
        guard !utf8.isEmpty, utf8.count <= 18, utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") })
        else { return nil }
        return Int(text)
    }

    /// Whether `text` is `-?[0-9]+`, of any length.
    static func isIntegerText(_ text: String) -> Bool {
        var utf8 = Substring(text).utf8[...]
        if utf8.first == UInt8(ascii: "-") { utf8 = utf8.dropFirst() }
        return !utf8.isEmpty && utf8.allSatisfy { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }
    }

    /// A plain `true` or `false`.
    mutating func boolean(_ node: Node, _ path: String) -> Bool? {
        let allowed = "true or false"
        switch plainScalar(node, path, expected: allowed, quotedExpected: allowed) {
        case "true": return true
        case "false": return false
        case let text?: report(ErrorCode.invalidType, path, "found \(quoted(text)); expected \(allowed)", node.mark)
        case nil: break
        }
        return nil
    }

    /// The entries of a map; anything else is reported.
    mutating func mapping(_ node: Node, _ path: String, expected: String) -> [Node.Entry]? {
        if case .mapping(let entries) = node.value { return entries }
        report(ErrorCode.invalidType, path, "found \(node.kindDescription); expected \(expected)", node.mark)
        return nil
    }

    /// Whether `bytes` of names and values (of attributes, of references) are within `limit`;
    /// otherwise reported on the whole map.
    mutating func withinTotalSize(_ bytes: Int, _ limit: Int, _ path: String, _ node: Node) -> Bool {
        guard bytes > limit else { return true }
        report(
            ErrorCode.valueTooLong,
            path,
            "found \(bytes) bytes of names and values; at most \(limit) UTF-8 bytes in all",
            node.mark
        )
        return false
    }

    /// A map that takes exactly one key (`Config: {AgentFirst: …}`): other keys and keys given
    /// twice are reported, and `body` runs with the value and path of each `key` given.
    /// - Returns: whether `key` was given; nil when `node` is not a map (reported).
    @discardableResult
    mutating func oneKeyMap(
        _ node: Node,
        _ path: String,
        key: String,
        _ body: (inout ValidationContext, Node, String) -> Void
    ) -> Bool? {
        guard let members = mapping(node, path, expected: "a map with \(key)") else { return nil }
        checkDuplicates(members, under: path)
        var given = false
        for member in members where !member.value.isNull {
            let memberPath = path + "." + member.key
            guard member.key == key else {
                reportUnknown(member, memberPath, known: [key])
                continue
            }
            given = true
            body(&self, member.value, memberPath)
        }
        return given
    }
}
