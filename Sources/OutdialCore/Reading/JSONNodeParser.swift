/// A strict JSON (RFC 8259) parser for one line of bytes, building the `Node` the validator takes:
/// strings become double-quoted scalars, numbers, `true`, `false` and `null` plain scalars as written.
/// Marks are 1-based: `line` is given, columns count characters from the line's start. Nesting is
/// bounded by `maxDepth` with an explicit stack (no recursion on input).
struct JSONNodeParser {
    struct Failure: Error {
        var message: String
        var column: Int
    }

    private let bytes: [UInt8]
    private let line: Int
    private let maxDepth: Int
    private var position = 0
    /// Characters before `position`, for columns.
    private var column = 0
    private var columnAt = 0

    init(bytes: [UInt8], line: Int, maxDepth: Int) {
        self.bytes = bytes
        self.line = line
        self.maxDepth = maxDepth
    }

    /// Parses the whole input as one JSON value.
    mutating func parse() throws -> Node {
        skipSpace()
        let value = try parseValue()
        skipSpace()
        guard position == bytes.count else { throw failure("found more after the JSON value; a line holds one value") }
        return value
    }

    private struct Frame {
        var isObject: Bool
        var mark: SourceMark
        var entries: [Node.Entry] = []
        var items: [Node] = []
        var key = ""
        var keyMark = SourceMark(line: 0, column: 0)
    }

    private mutating func parseValue() throws -> Node {
        var stack: [Frame] = []
        while true {
            var value: Node
            guard position < bytes.count else { throw failure("the line ends inside the JSON value") }
            let mark = currentMark
            switch bytes[position] {
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                guard stack.count < maxDepth else {
                    throw failure("objects and arrays are nested deeper than \(maxDepth) levels")
                }
                let isObject = bytes[position] == UInt8(ascii: "{")
                advance()
                skipSpace()
                var frame = Frame(isObject: isObject, mark: mark)
                let close = isObject ? UInt8(ascii: "}") : UInt8(ascii: "]")
                if position < bytes.count && bytes[position] == close {
                    advance()
                    value = Node(isObject ? .mapping([]) : .sequence([]), at: mark)
                } else {
                    if isObject { try readKey(into: &frame) }
                    stack.append(frame)
                    continue
                }
            case UInt8(ascii: "\""):
                value = Node(.scalar(try readString(), .doubleQuoted), at: mark)
            default:
                value = Node(.scalar(try readWord(), .plain), at: mark)
            }
            // Attach the value and close every container it completes.
            while let last = stack.indices.last {
                if stack[last].isObject {
                    stack[last].entries.append(
                        Node.Entry(key: stack[last].key, keyMark: stack[last].keyMark, value: value)
                    )
                } else {
                    stack[last].items.append(value)
                }
                skipSpace()
                guard position < bytes.count else { throw failure("the line ends inside the JSON value") }
                let byte = bytes[position]
                let close = stack[last].isObject ? UInt8(ascii: "}") : UInt8(ascii: "]")
                if byte == UInt8(ascii: ",") {
                    advance()
                    skipSpace()
                    if position < bytes.count, bytes[position] == close {
                        throw failure(
                            stack[last].isObject
                                ? "expected a key after ','; JSON allows no trailing comma"
                                : "expected a value after ','; JSON allows no trailing comma"
                        )
                    }
                    if stack[last].isObject { try readKey(into: &stack[last]) }
                    break
                }
                guard byte == close else {
                    throw failure("found \(describe(byte)); expected ',' or '\(Character(Unicode.Scalar(close)))'")
                }
                advance()
                let frame = stack.removeLast()
                value = Node(frame.isObject ? .mapping(frame.entries) : .sequence(frame.items), at: frame.mark)
                if stack.isEmpty { return value }
            }
            if stack.isEmpty { return value }
            skipSpace()
        }
    }

    private mutating func readKey(into frame: inout Frame) throws {
        skipSpace()
        guard position < bytes.count, bytes[position] == UInt8(ascii: "\"") else {
            throw failure(
                position < bytes.count
                    ? "found \(describe(bytes[position])); expected a key in double quotes"
                    : "the line ends inside the JSON value"
            )
        }
        frame.keyMark = currentMark
        frame.key = try readString()
        skipSpace()
        guard position < bytes.count, bytes[position] == UInt8(ascii: ":") else {
            throw failure("expected ':' after the key")
        }
        advance()
        skipSpace()
    }

    private mutating func readString() throws -> String {
        advance()  // the opening quote
        var scalars = String.UnicodeScalarView()
        var pendingHigh: UInt32?
        while true {
            guard position < bytes.count else { throw failure("the line ends inside a string") }
            let byte = bytes[position]
            if byte == UInt8(ascii: "\"") {
                advance()
                if pendingHigh != nil { scalars.append("\u{FFFD}") }
                return String(scalars)
            }
            if byte < 0x20 { throw failure("found a control character in a string; JSON needs it escaped") }
            if byte == UInt8(ascii: "\\") {
                advance()
                guard position < bytes.count else { throw failure("the line ends inside a string") }
                let escape = bytes[position]
                advance()
                var scalar: Unicode.Scalar?
                switch escape {
                case UInt8(ascii: "\""): scalar = "\""
                case UInt8(ascii: "\\"): scalar = "\\"
                case UInt8(ascii: "/"): scalar = "/"
                case UInt8(ascii: "b"): scalar = "\u{08}"
                case UInt8(ascii: "f"): scalar = "\u{0C}"
                case UInt8(ascii: "n"): scalar = "\n"
                case UInt8(ascii: "r"): scalar = "\r"
                case UInt8(ascii: "t"): scalar = "\t"
                case UInt8(ascii: "u"):
                    let value = try hex4()
                    if (0xD800 ..< 0xDC00).contains(value) {
                        if pendingHigh != nil { scalars.append("\u{FFFD}") }
                        pendingHigh = value
                        continue
                    }
                    if (0xDC00 ..< 0xE000).contains(value) {
                        if let high = pendingHigh {
                            pendingHigh = nil
                            scalar = Unicode.Scalar(0x10000 + ((high - 0xD800) << 10) + (value - 0xDC00))
                        } else {
                            scalar = "\u{FFFD}"
                        }
                    } else {
                        scalar = Unicode.Scalar(value)
                    }
                default:
                    throw failure(
                        "found the escape \(describe(escape)) after a backslash; JSON allows \\\" \\\\ \\/ \\b \\f \\n \\r \\t and \\uXXXX"
                    )
                }
                if pendingHigh != nil {
                    scalars.append("\u{FFFD}")
                    pendingHigh = nil
                }
                scalars.append(scalar ?? "\u{FFFD}")
                continue
            }
            if pendingHigh != nil {
                scalars.append("\u{FFFD}")
                pendingHigh = nil
            }
            // A run of plain bytes up to the next quote, backslash or control character.
            let start = position
            while position < bytes.count {
                let b = bytes[position]
                if b == UInt8(ascii: "\"") || b == UInt8(ascii: "\\") || b < 0x20 { break }
                if b & 0xC0 != 0x80 { column += 1 }
                position += 1
            }
            let run = bytes[start ..< position]
            var iterator = run.makeIterator()
            var decoder = UTF8()
            decoding: while true {
                switch decoder.decode(&iterator) {
                case .scalarValue(let value): scalars.append(value)
                case .emptyInput: break decoding
                case .error: throw failure("invalid UTF-8 in a string")
                }
            }
        }
    }

    private mutating func hex4() throws -> UInt32 {
        guard position + 4 <= bytes.count else { throw failure("expected four hex digits after \\u") }
        var value: UInt32 = 0
        for _ in 0 ..< 4 {
            let byte = bytes[position]
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0") ... UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a") ... UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A") ... UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: throw failure("expected four hex digits after \\u")
            }
            value = value << 4 | UInt32(digit)
            advance()
        }
        return value
    }

    /// A bare word: `true`, `false`, `null` or a number.
    private mutating func readWord() throws -> String {
        let start = position
        let startColumn = column
        while position < bytes.count {
            let b = bytes[position]
            let isWord =
                (b >= UInt8(ascii: "a") && b <= UInt8(ascii: "z")) || (b >= UInt8(ascii: "A") && b <= UInt8(ascii: "Z"))
                || (b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9")) || b == UInt8(ascii: "-")
                || b == UInt8(ascii: "+")
                || b == UInt8(ascii: ".")
            if !isWord { break }
            advance()
        }
        let word = Array(bytes[start ..< position])
        let text = String(decoding: word, as: UTF8.self)
        if text == "true" || text == "false" || text == "null" || JSONSyntaxCheck.isNumber(word) { return text }
        column = startColumn
        position = start
        if word.isEmpty {
            throw failure(
                position < bytes.count ? "found \(describe(bytes[position])); expected a value" : "expected a value"
            )
        }
        throw failure(
            "found '\(text)'; expected a JSON value (a string in double quotes, a number, true, false or null)"
        )
    }

    private var currentMark: SourceMark { SourceMark(line: line, column: column + 1) }

    private mutating func advance() {
        if bytes[position] & 0xC0 != 0x80 { column += 1 }
        position += 1
    }

    private mutating func skipSpace() {
        while position < bytes.count {
            switch bytes[position] {
            case 0x20, 0x09, 0x0A, 0x0D: advance()
            default: return
            }
        }
    }

    private func describe(_ byte: UInt8) -> String {
        byte >= 0x21 && byte < 0x7F
            ? "'\(Character(Unicode.Scalar(byte)))'" : "byte 0x\(hexDigits(UInt32(byte), count: 2))"
    }

    private func failure(_ message: String) -> Failure {
        Failure(message: message, column: column + 1)
    }
}
