/// A byte sequence the reader refuses before parsing: invalid UTF-8 or a character YAML does not allow.
/// Both libyaml's reader and the JSON input filter report through this type, with the same words.
enum CharacterProblem: Sendable, Hashable {
    case invalidLeadingByte(UInt8)
    case invalidContinuationByte(UInt8)
    case truncatedSequence
    case overlongEncoding
    case notAScalarValue(UInt32)
    case disallowedCharacter(UInt32)

    var code: ReadError.Code {
        if case .disallowedCharacter = self { return .invalidCharacter }
        return .invalidUTF8
    }

    var message: String {
        switch self {
        case .invalidLeadingByte(let byte):
            return "invalid UTF-8: byte 0x\(hexDigits(UInt32(byte), count: 2)) cannot start a character"
        case .invalidContinuationByte(let byte):
            return "invalid UTF-8: byte 0x\(hexDigits(UInt32(byte), count: 2)) cannot continue a multi-byte character"
        case .truncatedSequence:
            return "invalid UTF-8: the input ends inside a multi-byte character"
        case .overlongEncoding:
            return "invalid UTF-8: overlong encoding of a character"
        case .notAScalarValue(let value):
            return "invalid UTF-8: the bytes encode U+\(hexDigits(value, count: 4)), which is not a Unicode character"
        case .disallowedCharacter(let value):
            let kind = value < 0x20 || (0x7F ... 0x9F).contains(value) ? "control character" : "character"
            return "\(kind) U+\(hexDigits(value, count: 4)) is not allowed"
        }
    }

    /// The characters libyaml's reader accepts (YAML's printable set plus tab and line breaks).
    @inline(__always)
    static func isAllowed(_ value: UInt32) -> Bool {
        value == 0x09 || value == 0x0A || value == 0x0D || (0x20 ... 0x7E).contains(value) || value == 0x85
            || (0xA0 ... 0xD7FF).contains(value) || (0xE000 ... 0xFFFD).contains(value)
            || (0x10000 ... 0x10FFFF).contains(value)
    }
}

/// Uppercase hexadecimal, zero-padded to at least `count` digits.
func hexDigits(_ value: UInt32, count: Int) -> String {
    let digits = String(value, radix: 16, uppercase: true)
    return String(repeating: "0", count: max(0, count - digits.count)) + digits
}
