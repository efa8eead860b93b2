/// The syntax of a job file. Both are read through libyaml; JSON input is filtered on the way in so that
/// valid JSON that libyaml would refuse (surrogate-pair escapes, tabs, some raw characters) reads as JSON does.
public enum DocumentFormat: Sendable, Hashable {
    case yaml
    case json

    /// The format named by a path's extension (`.yaml`, `.yml`, `.json`, any case), or nil.
    public init?(pathExtensionOf path: String) {
        guard let dot = path.lastIndex(of: "."),
            !path[dot...].contains("/")
        else { return nil }
        switch path[path.index(after: dot)...].lowercased() {
        case "yaml", "yml": self = .yaml
        case "json": self = .json
        default: return nil
        }
    }

    /// Sniffs a file's first bytes: JSON when the first byte that is not blank (space, tab, line break,
    /// a leading byte-order mark) is `{` or `[`, YAML otherwise.
    public static func sniff<S: Sequence>(_ bytes: S) -> DocumentFormat where S.Element == UInt8 {
        var offset = 0
        for byte in bytes {
            defer { offset += 1 }
            if offset < 3 && (byte == 0xEF || byte == 0xBB || byte == 0xBF) { continue }
            switch byte {
            case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\r"), UInt8(ascii: "\n"): continue
            case UInt8(ascii: "{"), UInt8(ascii: "["): return .json
            default: return .yaml
            }
        }
        return .yaml
    }
}
