// Contact attributes: names of letters, digits, `_` and `-`, string values, 32 KiB in all.
extension ValidationContext {
    mutating func attributes(_ node: Node, _ path: String) -> [ConnectRequest.Attribute]? {
        guard let entries = mapping(node, path, expected: "a map of attribute names to strings") else { return nil }
        checkDuplicates(entries, under: path)
        var attributes: [ConnectRequest.Attribute] = []
        attributes.reserveCapacity(entries.count)
        var bytes = 0
        var ok = true
        for entry in entries where !entry.value.isNull {
            if !Self.isAttributeName(entry.key) {
                let entryPath = path + "." + entry.key
                ok = false
                report(
                    ErrorCode.invalidAttributeName,
                    entryPath,
                    "found the name \(quoted(entry.key)); attribute names take letters, digits, _ and - only",
                    entry.keyMark
                )
            }
            guard case .scalar(let value, _) = entry.value.value else {
                _ = string(entry.value, path + "." + entry.key)
                ok = false
                continue
            }
            bytes += entry.key.utf8.count + value.utf8.count
            attributes.append(.init(entry.key, value))
        }
        if !withinTotalSize(bytes, RequestValidator.maxAttributesBytes, path, node) { ok = false }
        return ok ? attributes : nil
    }

    static func isAttributeName(_ name: String) -> Bool {
        guard !name.isEmpty else { return false }
        // On the stored bytes when the string has them (every name read from a file): no decoding per byte.
        if let valid = name.utf8.withContiguousStorageIfAvailable({ $0.allSatisfy(isAttributeNameByte) }) {
            return valid
        }
        return name.utf8.allSatisfy(isAttributeNameByte)
    }

    private static func isAttributeNameByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "A") ... UInt8(ascii: "Z"), UInt8(ascii: "a") ... UInt8(ascii: "z"),
            UInt8(ascii: "0") ... UInt8(ascii: "9"), UInt8(ascii: "_"), UInt8(ascii: "-"):
            return true
        default:
            return false
        }
    }
}
