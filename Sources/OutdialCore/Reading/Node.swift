/// A position in a job file, 1-based, as editors count.
public struct SourceMark: Sendable, Hashable, CustomStringConvertible {
    /// 1-based line.
    public var line: Int
    /// 1-based column (in Unicode scalars, as libyaml counts).
    public var column: Int

    public init(line: Int, column: Int) {
        self.line = line
        self.column = column
    }

    public var description: String { "\(line):\(column)" }
}

/// How a scalar was written. Plain scalars may be `true`, `false`, `null` or numbers where a
/// field's type asks for one; quoted scalars are always text.
public enum ScalarStyle: Sendable, Hashable {
    case plain
    case singleQuoted
    case doubleQuoted
    case literal
    case folded
}

/// One value of a job file with the position where it starts. No YAML 1.1 type resolution is
/// applied: every scalar is kept as the text written, with its style.
public struct Node: Sendable {
    public enum Value: Sendable {
        case scalar(String, ScalarStyle)
        /// Entries in file order. Repeated keys are kept, so that validation can report them.
        case mapping([Entry])
        case sequence([Node])
    }

    public struct Entry: Sendable {
        public var key: String
        public var keyMark: SourceMark
        public var value: Node

        public init(key: String, keyMark: SourceMark, value: Node) {
            self.key = key
            self.keyMark = keyMark
            self.value = value
        }
    }

    public var value: Value
    public var mark: SourceMark

    public init(_ value: Value, at mark: SourceMark) {
        self.value = value
        self.mark = mark
    }
}

extension Node {
    /// The scalar text, or nil for a mapping or sequence.
    public var scalarText: String? {
        if case .scalar(let text, _) = value { return text }
        return nil
    }

    /// True for a plain `null`, `~` or empty plain scalar.
    public var isNull: Bool {
        guard case .scalar(let text, .plain) = value else { return false }
        // By length first: most scalars are compared with nothing.
        switch text.utf8.count {
        case 0: return true
        case 1: return text == "~"
        case 4: return text == "null" || text == "Null" || text == "NULL"
        default: return false
        }
    }

    /// What this node is, for messages: "a string", "a map", "a list".
    public var kindDescription: String {
        switch value {
        case .scalar: return isNull ? "null" : "a scalar"
        case .mapping: return "a map"
        case .sequence: return "a list"
        }
    }
}
