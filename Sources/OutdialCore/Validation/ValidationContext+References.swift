// References: named `{Value, Type}` maps, 4 KiB of names and values in all.
extension ValidationContext {
    mutating func references(_ node: Node, _ path: String) -> [ConnectRequest.ReferenceEntry]? {
        guard let entries = mapping(node, path, expected: "a map of reference names to {Value, Type}") else {
            return nil
        }
        checkDuplicates(entries, under: path)
        var references: [ConnectRequest.ReferenceEntry] = []
        var bytes = 0
        var ok = true
        for entry in entries where !entry.value.isNull {
            let entryPath = path + "." + entry.key
            let keyLength = entry.key.unicodeScalars.count
            if keyLength == 0 || keyLength > 4096 {
                ok = false
                report(
                    ErrorCode.valueTooLong,
                    entryPath,
                    "found a name of \(keyLength) characters; expected 1 to 4096",
                    entry.keyMark
                )
            }
            guard let members = mapping(entry.value, entryPath, expected: "a map with Type and Value") else {
                ok = false
                continue
            }
            checkDuplicates(members, under: entryPath)
            let before = diagnostics.count
            let (reference, value) = reference(members, of: entry, entryPath)
            bytes += entry.key.utf8.count + (value?.utf8.count ?? 0)
            guard diagnostics.count == before, let reference else {
                ok = false
                continue
            }
            references.append(.init(entry.key, reference))
        }
        if !withinTotalSize(bytes, RequestValidator.maxReferencesBytes, path, node) { ok = false }
        return ok ? references : nil
    }

    /// One reference's members.
    /// - Returns: the reference when it has a valid `Type` (other problems are reported), and its
    ///   `Value` as far as it could be read (it counts towards the size limit either way).
    private mutating func reference(
        _ members: [Node.Entry],
        of entry: Node.Entry,
        _ entryPath: String
    ) -> (ConnectRequest.Reference?, value: String?) {
        var value: String?
        var type: ConnectRequest.ReferenceType?
        var status: ConnectRequest.ReferenceStatus?
        var arn: String?
        var reason: String?
        var valueNode: Node?
        var typeGiven = false
        for member in members where !member.value.isNull {
            let memberPath = entryPath + "." + member.key
            switch member.key {
            case "Value":
                value = string(member.value, memberPath, maxLength: 4096)
                valueNode = member.value
            case "Type":
                typeGiven = true
                type = enumValue(
                    member.value,
                    memberPath,
                    allowed: "one of URL, NUMBER, STRING, DATE, EMAIL "
                        + "(other types cannot be given when a contact starts)"
                )
            case "Status":
                status = enumValue(
                    member.value,
                    memberPath,
                    allowed: "one of AVAILABLE, DELETED, APPROVED, REJECTED, PROCESSING, FAILED"
                )
            case "Arn":
                arn = referenceArn(member.value, memberPath)
            case "StatusReason":
                reason = string(member.value, memberPath, maxLength: 100)
            default:
                reportUnknown(member, memberPath, known: RequestValidator.referenceKeys)
            }
        }
        if !typeGiven {
            report(
                ErrorCode.missingRequiredField,
                entryPath + ".Type",
                "missing; every reference needs a Type (URL, NUMBER, STRING, DATE or EMAIL)",
                entry.value.mark
            )
        }
        if type == .date, let value, let valueNode, Self.parseInteger(value) == nil || value.hasPrefix("-") {
            report(
                ErrorCode.invalidReferenceValue,
                entryPath + ".Value",
                "found \(quoted(value)); a DATE reference takes epoch seconds, e.g. 1764064800",
                valueNode.mark
            )
        }
        guard let type else { return (nil, value) }
        return (.init(value: value, type: type, status: status, arn: arn, statusReason: reason), value)
    }

    /// A text that names a case of `Value`; any other text is reported with `allowed`.
    private mutating func enumValue<Value: RawRepresentable<String>>(
        _ node: Node,
        _ path: String,
        allowed: String
    ) -> Value? {
        guard let text = string(node, path) else { return nil }
        if let value = Value(rawValue: text) { return value }
        report(ErrorCode.invalidEnumValue, path, "found \(quoted(text)); expected \(allowed)", node.mark)
        return nil
    }

    /// 20 to 256 characters of letters, digits, `-`, `:` and `/`.
    private mutating func referenceArn(_ node: Node, _ path: String) -> String? {
        guard let text = string(node, path) else { return nil }
        let charactersOK = text.utf8.allSatisfy { byte in
            switch byte {
            case UInt8(ascii: "A") ... UInt8(ascii: "Z"), UInt8(ascii: "a") ... UInt8(ascii: "z"),
                UInt8(ascii: "0") ... UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: ":"), UInt8(ascii: "/"):
                return true
            default:
                return false
            }
        }
        if charactersOK, (20 ... 256).contains(text.utf8.count) { return text }
        report(
            ErrorCode.invalidReferenceArn,
            path,
            "found \(quoted(text)); expected 20 to 256 characters of letters, digits, -, : and /",
            node.mark
        )
        return nil
    }
}
