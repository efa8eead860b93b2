/// Writes a node as JSON: the row "as read" in `invalid` result lines. Plain scalars that read
/// as JSON literals (`true`, `false`, integers) are written as such, so that a row read back
/// from a results file validates as it did; plain nulls are written as `null`; everything else
/// is a string.
enum NodeJSON {
    /// Deeper nesting is written as a string (`"…"`): job rows are shallow.
    static let maxDepth = 32

    static func write(_ node: Node, to w: inout JSONWriter, depth: Int = 0) {
        switch node.value {
        case .scalar(let text, let style):
            if style == .plain {
                if node.isNull {
                    w.null()
                    return
                }
                if text == "true" || text == "false" {
                    w.bool(text == "true")
                    return
                }
                if let number = ValidationNumbers.jsonInteger(text) {
                    w.int(number)
                    return
                }
            }
            w.string(text)
        case .mapping(let entries):
            guard depth < maxDepth else {
                w.string("…")
                return
            }
            w.beginObject()
            for entry in entries {
                w.key(entry.key)
                write(entry.value, to: &w, depth: depth + 1)
            }
            w.endObject()
        case .sequence(let items):
            guard depth < maxDepth else {
                w.string("…")
                return
            }
            w.beginArray()
            for item in items { write(item, to: &w, depth: depth + 1) }
            w.endArray()
        }
    }

    static func object(_ entries: [Node.Entry]) -> [UInt8] {
        var w = JSONWriter(capacity: 256)
        w.beginObject()
        for entry in entries {
            w.key(entry.key)
            write(entry.value, to: &w, depth: 1)
        }
        w.endObject()
        return w.bytes
    }
}

enum ValidationNumbers {
    /// An integer written as JSON writes it (no leading zeros, no `+`), within Int's range.
    static func jsonInteger(_ text: String) -> Int? {
        let utf8 = text.utf8
        guard let first = utf8.first, utf8.count <= 18 else { return nil }
        var digits = Substring(text).utf8[...]
        if first == UInt8(ascii: "-") { digits = digits.dropFirst() }
        guard let lead = digits.first, digits.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) else {
            return nil
        }
        if lead == UInt8(ascii: "0"), digits.count > 1 { return nil }
        return Int(text)
    }
}
