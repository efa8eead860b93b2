/// Checks, byte by byte as `JSONStreamFilter` passes them, that a `.json` file is strict JSON
/// (RFC 8259): no trailing commas, no comments, no single quotes, no bare words but `true`,
/// `false`, `null` and numbers, no YAML syntax (anchors, aliases, tags, block scalars), one value.
/// String contents are the filter's business; this sees each unescaped `"` and every byte outside
/// strings. Positions are 0-based lines and columns of the original file.
struct JSONSyntaxCheck {
    /// What may come next.
    private enum Expect: UInt8 {
        case value
        /// After `[`: a value or `]`.
        case valueOrClose
        /// After `,` in a list.
        case valueAfterComma
        /// After `{`: a key or `}`.
        case keyOrClose
        /// After `,` in an object.
        case key
        case colon
        case commaOrClose
        case end
    }

    struct Problem: Sendable, Hashable {
        var message: String
        var line: Int
        var column: Int
    }

    private var expect = Expect.value
    /// Open containers, innermost last: true for an object.
    private var stack: [Bool] = []
    private var stringIsKey = false
    private var seenValue = false
    /// A bare word (number or literal) being read.
    private var word: [UInt8] = []
    private var inWord = false
    private var wordLine = 0
    private var wordColumn = 0
    private(set) var problem: Problem?

    /// Takes one byte outside a string, or an unescaped `"` (`inString` tells which quote it is).
    /// False once the input is not JSON (`problem` says why).
    @inline(__always)
    mutating func accept(_ byte: UInt8, inString: Bool, line: Int, column: Int) -> Bool {
        if inWord {
            if Self.isWordByte(byte) {
                if word.count < 40 { word.append(byte) }
                return true
            }
            guard endWord() else { return false }
        }
        switch byte {
        case 0x20, 0x09, 0x0A, 0x0D:
            return true
        case UInt8(ascii: "\""):
            return quote(closing: inString, line: line, column: column)
        case UInt8(ascii: "{"), UInt8(ascii: "["):
            guard takesValue else { return unexpected(byte, line, column) }
            stack.append(byte == UInt8(ascii: "{"))
            expect = byte == UInt8(ascii: "{") ? .keyOrClose : .valueOrClose
            seenValue = true
            return true
        case UInt8(ascii: "}"), UInt8(ascii: "]"):
            let isObject = byte == UInt8(ascii: "}")
            if expect == .key && isObject {
                return fail("expected a key after ','; JSON allows no trailing comma", line, column)
            }
            if expect == .valueAfterComma && !isObject {
                return fail("expected a value after ','; JSON allows no trailing comma", line, column)
            }
            let closes =
                (isObject && expect == .keyOrClose) || (!isObject && expect == .valueOrClose)
                || (expect == .commaOrClose && stack.last == isObject)
            guard closes else { return unexpected(byte, line, column) }
            stack.removeLast()
            afterValue()
            return true
        case UInt8(ascii: ","):
            guard expect == .commaOrClose, let isObject = stack.last else { return unexpected(byte, line, column) }
            expect = isObject ? .key : .valueAfterComma
            return true
        case UInt8(ascii: ":"):
            guard expect == .colon else { return unexpected(byte, line, column) }
            expect = .value
            return true
        case UInt8(ascii: "/"), UInt8(ascii: "#"):
            return fail("found '\(Character(Unicode.Scalar(byte)))'; JSON allows no comments", line, column)
        case UInt8(ascii: "'"):
            return fail("found a single quote; JSON strings take double quotes", line, column)
        default:
            guard Self.isWordByte(byte) else { return unexpected(byte, line, column) }
            if expect == .key || expect == .keyOrClose {
                return fail("found a bare word; a JSON key takes double quotes", line, column)
            }
            guard takesValue else { return unexpected(byte, line, column) }
            inWord = true
            word.removeAll(keepingCapacity: true)
            word.append(byte)
            wordLine = line
            wordColumn = column
            return true
        }
    }

    /// The end of the input. False when the value is not complete.
    mutating func finish(line: Int, column: Int) -> Bool {
        if inWord { guard endWord() else { return false } }
        if expect == .end || !seenValue { return true }
        return fail("the file ends inside the JSON value; expected \(expectation)", line, column)
    }

    private var takesValue: Bool { expect == .value || expect == .valueOrClose || expect == .valueAfterComma }

    private mutating func quote(closing: Bool, line: Int, column: Int) -> Bool {
        if closing {
            if stringIsKey {
                expect = .colon
            } else {
                afterValue()
            }
            return true
        }
        switch expect {
        case .value, .valueOrClose, .valueAfterComma:
            stringIsKey = false
            seenValue = true
            return true
        case .key, .keyOrClose:
            stringIsKey = true
            return true
        default:
            return fail("found a string; expected \(expectation)", line, column)
        }
    }

    private mutating func afterValue() {
        expect = stack.isEmpty ? .end : .commaOrClose
    }

    private mutating func endWord() -> Bool {
        inWord = false
        let text = String(decoding: word, as: UTF8.self)
        if text == "true" || text == "false" || text == "null" || Self.isNumber(word) {
            seenValue = true
            afterValue()
            return true
        }
        if let first = word.first, first == UInt8(ascii: "-") || (first >= 0x30 && first <= 0x39) {
            return fail(
                "found '\(text)'; expected a JSON number (digits, no leading zeros or '+', digits on both sides of '.')",
                wordLine,
                wordColumn
            )
        }
        return fail(
            "found '\(text)'; a JSON string takes double quotes (the bare words allowed are true, false and null)",
            wordLine,
            wordColumn
        )
    }

    private var expectation: String {
        switch expect {
        case .value, .valueOrClose, .valueAfterComma: return "a value"
        case .key, .keyOrClose: return "a key in double quotes"
        case .colon: return "':' after the key"
        case .commaOrClose: return stack.last == true ? "',' or '}'" : "',' or ']'"
        case .end: return "nothing more"
        }
    }

    private mutating func unexpected(_ byte: UInt8, _ line: Int, _ column: Int) -> Bool {
        let found: String
        switch byte {
        case UInt8(ascii: "&"), UInt8(ascii: "*"), UInt8(ascii: "!"), UInt8(ascii: "|"), UInt8(ascii: ">"),
            UInt8(ascii: "?"), UInt8(ascii: "%"), UInt8(ascii: "@"), UInt8(ascii: "`"):
            return fail(
                "found '\(Character(Unicode.Scalar(byte)))', which is YAML syntax; a .json file must be plain JSON",
                line,
                column
            )
        case 0x21 ..< 0x7F:
            found = "'\(Character(Unicode.Scalar(byte)))'"
        default:
            found = "a character outside a string"
        }
        if expect == .end {
            return fail("found \(found) after the JSON value; a file holds one value", line, column)
        }
        return fail("found \(found); expected \(expectation)", line, column)
    }

    private mutating func fail(_ message: String, _ line: Int, _ column: Int) -> Bool {
        fail(message, line: line, column: column)
    }

    /// Records a problem found by the filter itself (a string escape JSON does not have).
    mutating func fail(_ message: String, line: Int, column: Int) -> Bool {
        if problem == nil { problem = Problem(message: message, line: line, column: column) }
        return false
    }

    @inline(__always)
    private static func isWordByte(_ byte: UInt8) -> Bool {
        (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z"))
            || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
            || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")) || byte == UInt8(ascii: "-")
            || byte == UInt8(ascii: "+") || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "_")
    }

    /// RFC 8259 `number`: `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`.
    static func isNumber(_ bytes: [UInt8]) -> Bool {
        var i = 0
        func digits() -> Int {
            let start = i
            while i < bytes.count, bytes[i] >= 0x30, bytes[i] <= 0x39 { i += 1 }
            return i - start
        }
        if i < bytes.count, bytes[i] == UInt8(ascii: "-") { i += 1 }
        guard i < bytes.count else { return false }
        if bytes[i] == UInt8(ascii: "0") {
            i += 1
        } else if digits() == 0 {
            return false
        }
        if i < bytes.count, bytes[i] == UInt8(ascii: ".") {
            i += 1
            guard digits() > 0 else { return false }
        }
        if i < bytes.count, bytes[i] == UInt8(ascii: "e") || bytes[i] == UInt8(ascii: "E") {
            i += 1
            if i < bytes.count, bytes[i] == UInt8(ascii: "+") || bytes[i] == UInt8(ascii: "-") { i += 1 }
            guard digits() > 0 else { return false }
        }
        return i == bytes.count
    }
}
