/// The job-level keys of a job file (everything but `contacts`), checked as they arrive.
struct JobHeader {
    static let keys = [
        "version", "id", "defaults", "contacts", "dedupe", "pacing", "allowPrefixes", "limits", "limitKey",
        "window",
    ]
    /// Keys whose values change how rows are planned: rows must wait until these are known.
    static let rowKeys: Set<String> = ["version", "id", "defaults", "dedupe", "allowPrefixes", "window"]

    let file: String
    var versionSeen = false
    var id: String?
    var defaults: [Node.Entry] = []
    /// nil when `dedupe: off`.
    var dedupeKey: DedupeKey? = .standard
    var pacing = Pacing()
    var allowPrefixes: [String] = []
    /// The job's `limits` (`.inherited` when it has none).
    var limits: LimitSetting = .inherited
    /// The job's `limitKey`, or nil when it has none.
    var limitKey: LimitKey?
    /// The job's `window` (`.standard` when it has none).
    var window: WindowSetting = .standard
    /// Problems that stop the run; any one of them makes the file structurally wrong.
    var diagnostics: [Diagnostic] = []
    /// Warnings for the user (`limits: off`): shown, but they stop nothing.
    var warnings: [Diagnostic] = []
    private var seen: [String: SourceMark] = [:]

    init(file: String) {
        self.file = file
    }

    mutating func report(_ code: String, _ field: String, _ message: String, _ mark: SourceMark) {
        diagnostics.append(Diagnostic(code: code, field: field, message: message, file: file, mark: mark))
    }

    /// A warning (`limits: off`, `window: off`): shown, but it stops nothing.
    mutating func warn(_ code: String, _ field: String, _ message: String, _ mark: SourceMark) {
        warnings.append(Diagnostic(.warning, code: code, field: field, message: message, file: file, mark: mark))
    }

    /// Whether an entry of a nested map (`limits[0]`, `window`) may be taken: false after reporting
    /// a key not in `known`, or one given before (the first marks are kept in `firstMarks`).
    mutating func acceptKey(
        _ entry: Node.Entry,
        path: String,
        known: [String],
        firstMarks: inout [String: SourceMark]
    ) -> Bool {
        guard known.contains(entry.key) else {
            report(ErrorCode.unknownField, path, FieldSuggestion.message(for: entry.key, known: known), entry.keyMark)
            return false
        }
        if let first = firstMarks[entry.key] {
            report(
                ErrorCode.duplicateKey,
                path,
                "key given twice (first at \(first)); a key may appear only once in a map",
                entry.keyMark
            )
            return false
        }
        firstMarks[entry.key] = entry.keyMark
        return true
    }

    /// Takes one top-level entry of a job map.
    mutating func apply(_ entry: Node.Entry) {
        if entry.key.hasPrefix("x-") { return }
        if let first = seen[entry.key] {
            report(
                "DuplicateKey",
                entry.key,
                "key given twice (first at \(first)); a key may appear only once in a map",
                entry.keyMark
            )
            return
        }
        seen[entry.key] = entry.keyMark
        let node = entry.value
        switch entry.key {
        case "version":
            versionSeen = true
            if node.scalarText != "1" {
                let found = node.scalarText.map { quoted($0) } ?? node.kindDescription
                report("UnsupportedVersion", "version", "found \(found); expected 1", node.mark)
            }
        case "id":
            guard let text = node.scalarText, !node.isNull else {
                report("InvalidType", "id", "found \(node.kindDescription); expected a job id", node.mark)
                return
            }
            if Self.isJobId(text) {
                id = text
            } else {
                report(
                    "InvalidJobId",
                    "id",
                    "found \(quoted(text)); expected 1 to 128 characters of letters, digits, ., _ and -",
                    node.mark
                )
            }
        case "defaults":
            if node.isNull { return }
            guard case .mapping(let entries) = node.value else {
                report(
                    "InvalidType",
                    "defaults",
                    "found \(node.kindDescription); expected a map of request fields",
                    node.mark
                )
                return
            }
            defaults = entries
        case "contacts":
            // A list arrives item by item (beginContacts), a map naming a CSV file is read by the visitor;
            // anything else is wrong.
            report(
                "InvalidType",
                "contacts",
                "found \(node.kindDescription); expected a list of requests, or a map with csv: FILE",
                node.mark
            )
        case "dedupe":
            applyDedupe(node)
        case "pacing":
            applyPacing(node)
        case "allowPrefixes":
            applyAllowPrefixes(node)
        case "limits":
            applyLimits(node)
        case "limitKey":
            applyLimitKey(node)
        case "window":
            applyWindow(node)
        default:
            report("UnknownField", entry.key, FieldSuggestion.message(for: entry.key, known: Self.keys), entry.keyMark)
        }
    }

    /// Marks `contacts` as given (its items arrive separately).
    mutating func contactsBegin(keyMark: SourceMark) {
        if let first = seen["contacts"] {
            report(
                "DuplicateKey",
                "contacts",
                "key given twice (first at \(first)); a key may appear only once in a map",
                keyMark
            )
        }
        seen["contacts"] = keyMark
    }

    var hasContacts: Bool { seen["contacts"] != nil }

    /// Whether a key that changes rows has been given.
    func hasSeen(_ key: String) -> Bool { seen[key] != nil }

    static func isJobId(_ text: String) -> Bool {
        guard !text.isEmpty, text.utf8.count <= 128 else { return false }
        return text.utf8.allSatisfy { byte in
            switch byte {
            case UInt8(ascii: "A") ... UInt8(ascii: "Z"), UInt8(ascii: "a") ... UInt8(ascii: "z"),
                UInt8(ascii: "0") ... UInt8(ascii: "9"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "-"):
                return true
            default:
                return false
            }
        }
    }

    private mutating func applyDedupe(_ node: Node) {
        switch node.value {
        case .scalar("off", .plain), .scalar("false", .plain):
            dedupeKey = nil
        case .mapping(let entries):
            for entry in entries {
                guard entry.key == "key" else {
                    report(
                        "UnknownField",
                        "dedupe." + entry.key,
                        FieldSuggestion.message(for: entry.key, known: ["key"]),
                        entry.keyMark
                    )
                    continue
                }
                guard case .sequence(let items) = entry.value.value, !items.isEmpty else {
                    report(
                        "InvalidType",
                        "dedupe.key",
                        "found \(entry.value.kindDescription); expected a non-empty list of request field names",
                        entry.value.mark
                    )
                    continue
                }
                var parts: [DedupeKey.Part] = []
                for item in items {
                    guard let name = item.scalarText, let part = DedupeKey.part(named: name) else {
                        let found = item.scalarText.map { quoted($0) } ?? item.kindDescription
                        var message = "found \(found); expected a request field with a single value"
                        if let name = item.scalarText,
                            let nearest = FieldSuggestion.nearest(to: name, in: DedupeKey.partNames)
                        {
                            message += "; did you mean \(nearest)?"
                        }
                        report("InvalidDedupeKey", "dedupe.key", message, item.mark)
                        continue
                    }
                    parts.append(part)
                }
                dedupeKey = DedupeKey(parts)
            }
        default:
            let found = node.scalarText.map { quoted($0) } ?? node.kindDescription
            report("InvalidType", "dedupe", "found \(found); expected off or a map with key: [field, ...]", node.mark)
        }
    }

    private mutating func applyPacing(_ node: Node) {
        guard case .mapping(let entries) = node.value else {
            report(
                "InvalidType",
                "pacing",
                "found \(node.kindDescription); expected a map with rate, burst, concurrency, activeCalls",
                node.mark
            )
            return
        }
        for entry in entries {
            let path = "pacing." + entry.key
            let value = entry.value
            switch entry.key {
            case "rate":
                if case .scalar(let text, .plain) = value.value, let rate = Double(text), rate.isFinite, rate >= 0 {
                    pacing.rate = rate
                } else {
                    let found = value.scalarText.map { quoted($0) } ?? value.kindDescription
                    report(
                        "InvalidType",
                        path,
                        "found \(found); expected a number of requests per second, 0 or more",
                        value.mark
                    )
                }
            case "burst", "concurrency":
                if case .scalar(let text, .plain) = value.value, let number = Int(text), number >= 1 {
                    if entry.key == "burst" { pacing.burst = number } else { pacing.concurrency = number }
                } else {
                    let found = value.scalarText.map { quoted($0) } ?? value.kindDescription
                    report("InvalidType", path, "found \(found); expected an integer of 1 or more", value.mark)
                }
            case "activeCalls":
                if case .scalar(let text, .plain) = value.value, let number = Int(text), number >= 0 {
                    pacing.activeCalls = number
                } else {
                    let found = value.scalarText.map { quoted($0) } ?? value.kindDescription
                    report(
                        "InvalidType",
                        path,
                        "found \(found); expected an integer of 0 (no pacing by live calls) or more",
                        value.mark
                    )
                }
            default:
                report(
                    "UnknownField",
                    path,
                    FieldSuggestion.message(for: entry.key, known: ["rate", "burst", "concurrency", "activeCalls"]),
                    entry.keyMark
                )
            }
        }
    }

    private mutating func applyAllowPrefixes(_ node: Node) {
        if node.isNull { return }
        guard case .sequence(let items) = node.value else {
            report(
                "InvalidType",
                "allowPrefixes",
                "found \(node.kindDescription); expected a list of prefixes like \"+447\"",
                node.mark
            )
            return
        }
        for item in items {
            if let text = item.scalarText, Self.isPrefix(text) {
                allowPrefixes.append(text)
            } else {
                let found = item.scalarText.map { quoted($0) } ?? item.kindDescription
                report(
                    "InvalidPrefix",
                    "allowPrefixes",
                    "found \(found); expected + and digits, like \"+447\"",
                    item.mark
                )
            }
        }
    }

    /// `+` followed by 1 to 15 digits.
    static func isPrefix(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        guard bytes.count >= 2, bytes.count <= 16, bytes[0] == UInt8(ascii: "+") else { return false }
        return bytes.dropFirst().allSatisfy { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }
    }
}
