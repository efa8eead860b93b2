import Foundation

@testable import OutdialCore

/// Builds nodes from JSON text with the marks the reader gives (1-based line and column of each
/// value's first character; strings double-quoted, other scalars plain), and feeds them to a
/// visitor as the reader does.
enum TestDocument {
    struct ParseError: Error {}

    static func parse(_ text: String) throws -> Node {
        var parser = Parser(scalars: Array(text.unicodeScalars))
        parser.skipSpace()
        let node = try parser.value()
        return node
    }

    /// Delivers `root` to `visitor` as `DocumentReader.read(into:)` does.
    /// `sha256Hex` stands for the hash of the file's bytes (see `sha256Hex(of:)`).
    static func feed<V: DocumentVisitor>(_ root: Node, sha256Hex: String = "", into visitor: inout V) throws {
        switch root.value {
        case .mapping(let entries):
            try visitor.begin(root: .mapping, at: root.mark)
            for entry in entries {
                if entry.key == "contacts", case .sequence(let items) = entry.value.value {
                    try visitor.beginContacts(keyMark: entry.keyMark, at: entry.value.mark)
                    for (index, item) in items.enumerated() { try visitor.contact(item, index: index) }
                } else {
                    try visitor.entry(entry)
                }
            }
        case .sequence(let items):
            try visitor.begin(root: .sequence, at: root.mark)
            for (index, item) in items.enumerated() { try visitor.contact(item, index: index) }
        case .scalar:
            try visitor.begin(root: .scalar, at: root.mark)
        }
        try visitor.end(sha256Hex: sha256Hex)
    }

    /// Plans `text` as the file `name` with `planner`, collecting the events.
    static func plan(
        _ text: String,
        name: String,
        planner: inout JobPlanner
    ) throws -> (summary: JobSummary, events: [PlanEvent]) {
        let root = try parse(text)
        var events: [PlanEvent] = []
        let summary = try planner.plan(
            JobInput(path: name),
            read: { try feed(root, sha256Hex: sha256Hex(of: text), into: &$0) },
            onEvent: { events.append($0) }
        )
        return (summary, events)
    }

    /// The lower-case hex SHA-256 of `text`'s UTF-8 bytes.
    static func sha256Hex(of text: String) -> String {
        JobIdentity.sha256Hex(of: Array(text.utf8))
    }

    private struct Parser {
        let scalars: [Unicode.Scalar]
        var position = 0
        var line = 1
        var column = 1
        var depth = 0

        var mark: SourceMark { SourceMark(line: line, column: column) }

        mutating func advance() {
            if scalars[position] == "\n" {
                line += 1
                column = 1
            } else {
                column += 1
            }
            position += 1
        }

        mutating func skipSpace() {
            while position < scalars.count, [" ", "\n", "\t", "\r"].contains(scalars[position]) { advance() }
        }

        mutating func expect(_ scalar: Unicode.Scalar) throws {
            guard position < scalars.count, scalars[position] == scalar else { throw ParseError() }
            advance()
        }

        mutating func value() throws -> Node {
            guard position < scalars.count, depth < 64 else { throw ParseError() }
            let start = mark
            switch scalars[position] {
            case "{":
                depth += 1
                defer { depth -= 1 }
                advance()
                skipSpace()
                var entries: [Node.Entry] = []
                if scalars[position] == "}" {
                    advance()
                    return Node(.mapping(entries), at: start)
                }
                while true {
                    skipSpace()
                    let keyMark = mark
                    let key = try string()
                    skipSpace()
                    try expect(":")
                    skipSpace()
                    entries.append(Node.Entry(key: key, keyMark: keyMark, value: try value()))
                    skipSpace()
                    if scalars[position] == "," {
                        advance()
                        continue
                    }
                    try expect("}")
                    return Node(.mapping(entries), at: start)
                }
            case "[":
                depth += 1
                defer { depth -= 1 }
                advance()
                skipSpace()
                var items: [Node] = []
                if scalars[position] == "]" {
                    advance()
                    return Node(.sequence(items), at: start)
                }
                while true {
                    skipSpace()
                    items.append(try value())
                    skipSpace()
                    if scalars[position] == "," {
                        advance()
                        continue
                    }
                    try expect("]")
                    return Node(.sequence(items), at: start)
                }
            case "\"":
                return Node(.scalar(try string(), .doubleQuoted), at: start)
            default:
                var text = ""
                while position < scalars.count, !",}] \n\t\r".unicodeScalars.contains(scalars[position]) {
                    text.unicodeScalars.append(scalars[position])
                    advance()
                }
                return Node(.scalar(text, .plain), at: start)
            }
        }

        mutating func string() throws -> String {
            try expect("\"")
            var text = ""
            while position < scalars.count, scalars[position] != "\"" {
                if scalars[position] == "\\" {
                    advance()
                    switch scalars[position] {
                    case "n": text += "\n"
                    case "t": text += "\t"
                    default: text.unicodeScalars.append(scalars[position])
                    }
                } else {
                    text.unicodeScalars.append(scalars[position])
                }
                advance()
            }
            try expect("\"")
            return text
        }
    }
}
