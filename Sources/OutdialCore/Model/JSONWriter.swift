/// A small, fast JSON writer into a byte buffer. Keys are written in the order given, so output
/// is deterministic; strings are escaped as RFC 8259 requires (control characters as `\u00XX`,
/// everything else as UTF-8).
public struct JSONWriter: Sendable {
    public private(set) var bytes: [UInt8]
    /// How many containers are open.
    private var depth = 0
    /// Bit `i`: whether the open container at depth `i` already holds a value (first 64 levels).
    private var commaBits: UInt64 = 0
    /// The same for containers deeper than 64 levels.
    private var deepNeedsComma: [Bool] = []
    private var pendingValueAfterKey = false

    public init(capacity: Int = 256) {
        bytes = []
        bytes.reserveCapacity(capacity)
    }

    /// Forgets what was written, keeping the storage for the next document.
    public mutating func removeAll() {
        bytes.removeAll(keepingCapacity: true)
        depth = 0
        commaBits = 0
        deepNeedsComma.removeAll(keepingCapacity: true)
        pendingValueAfterKey = false
    }

    // MARK: Containers

    public mutating func beginObject() {
        separate()
        bytes.append(UInt8(ascii: "{"))
        open()
    }

    public mutating func endObject() {
        close()
        bytes.append(UInt8(ascii: "}"))
    }

    public mutating func beginArray() {
        separate()
        bytes.append(UInt8(ascii: "["))
        open()
    }

    public mutating func endArray() {
        close()
        bytes.append(UInt8(ascii: "]"))
    }

    /// Writes `"key":`; the next value call writes the value.
    public mutating func key(_ key: String) {
        separate()
        appendString(key)
        bytes.append(UInt8(ascii: ":"))
        // The value that follows must not write a comma of its own.
        pendingValueAfterKey = true
    }

    /// Writes `"key":` for a key spelled in the source code, which must need no escaping (no
    /// `"`, `\\` or control characters): it is copied as it is.
    public mutating func key(plain key: StaticString) {
        separate()
        bytes.append(UInt8(ascii: "\""))
        key.withUTF8Buffer { bytes.append(contentsOf: $0) }
        bytes.append(UInt8(ascii: "\""))
        bytes.append(UInt8(ascii: ":"))
        pendingValueAfterKey = true
    }

    // MARK: Values

    public mutating func string(_ value: String) {
        separate()
        appendString(value)
    }

    public mutating func int(_ value: Int) {
        separate()
        // Digits from the right into a small buffer on the stack, then copied at once.
        var buffer: (UInt64, UInt64, UInt64) = (0, 0, 0)
        withUnsafeMutableBytes(of: &buffer) { digits in
            var magnitude = value.magnitude
            var start = digits.count
            repeat {
                start -= 1
                digits[start] = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: magnitude % 10)
                magnitude /= 10
            } while magnitude > 0
            if value < 0 {
                start -= 1
                digits[start] = UInt8(ascii: "-")
            }
            bytes.append(contentsOf: UnsafeRawBufferPointer(rebasing: digits[start...]))
        }
    }

    public mutating func double(_ value: Double) {
        separate()
        if value.isFinite {
            bytes.append(contentsOf: String(value).utf8)
        } else {
            bytes.append(contentsOf: "null".utf8)
        }
    }

    public mutating func bool(_ value: Bool) {
        separate()
        bytes.append(contentsOf: (value ? "true" : "false").utf8)
    }

    public mutating func null() {
        separate()
        bytes.append(contentsOf: "null".utf8)
    }

    /// Inserts already-encoded JSON (for example a request body) as a value.
    public mutating func raw(_ json: [UInt8]) {
        separate()
        bytes.append(contentsOf: json)
    }

    // Convenience for `"key": value` pairs.
    public mutating func field(_ name: String, _ value: String) {
        key(name)
        string(value)
    }

    public mutating func field(_ name: String, _ value: Int) {
        key(name)
        int(value)
    }

    public mutating func field(_ name: String, _ value: Bool) {
        key(name)
        bool(value)
    }

    /// `field(_:_:)` with a key spelled in the source (see `key(plain:)`).
    public mutating func field(plain name: StaticString, _ value: String) {
        key(plain: name)
        string(value)
    }

    public mutating func field(plain name: StaticString, _ value: Int) {
        key(plain: name)
        int(value)
    }

    public mutating func field(plain name: StaticString, _ value: Bool) {
        key(plain: name)
        bool(value)
    }

    public mutating func newline() {
        bytes.append(UInt8(ascii: "\n"))
    }

    // MARK: Internals

    private mutating func open() {
        if depth < 64 {
            commaBits &= ~(1 << UInt64(depth))
        } else {
            deepNeedsComma.append(false)
        }
        depth += 1
    }

    private mutating func close() {
        precondition(depth > 0, "no open container to close")
        depth -= 1
        if depth >= 64 { deepNeedsComma.removeLast() }
    }

    @inline(__always)
    private mutating func separate() {
        if pendingValueAfterKey {
            pendingValueAfterKey = false
            return
        }
        guard depth > 0 else { return }
        let level = depth - 1
        if level < 64 {
            let bit: UInt64 = 1 << UInt64(level)
            if commaBits & bit != 0 {
                bytes.append(UInt8(ascii: ","))
            } else {
                commaBits |= bit
            }
        } else if deepNeedsComma[level - 64] {
            bytes.append(UInt8(ascii: ","))
        } else {
            deepNeedsComma[level - 64] = true
        }
    }

    private static let hex: [UInt8] = Array("0123456789abcdef".utf8)

    private mutating func appendString(_ s: String) {
        bytes.append(UInt8(ascii: "\""))
        // Borrowed in place (no copy of the string to retain and release); only a string not stored
        // as UTF-8 is copied.
        if s.utf8.withContiguousStorageIfAvailable({ appendEscaping($0) }) == nil {
            var text = s
            text.withUTF8 { appendEscaping($0) }
        }
        bytes.append(UInt8(ascii: "\""))
    }

    /// Appends `utf8`, escaped as a JSON string's contents.
    private mutating func appendEscaping(_ utf8: UnsafeBufferPointer<UInt8>) {
        // Runs of bytes that need no escaping are copied at once. Eight bytes at a time are
        // passed over while none of them needs escaping.
        var runStart = 0
        var clean = 0
        if let base = UnsafeRawPointer(utf8.baseAddress) {
            while clean + 8 <= utf8.count,
                !Self.mayNeedEscaping(base.loadUnaligned(fromByteOffset: clean, as: UInt64.self))
            {
                clean += 8
            }
        }
        for index in clean ..< utf8.count {
            let byte = utf8[index]
            if byte >= 0x20, byte != UInt8(ascii: "\""), byte != UInt8(ascii: "\\"), byte != 0x7F { continue }
            if runStart < index {
                bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart ..< index]))
            }
            appendEscaped(byte)
            runStart = index + 1
        }
        if runStart < utf8.count { bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart...])) }
    }

    /// Whether any byte of `word` is below 0x20, `"`, `\\` or 0x7F (exact: no byte is missed).
    @inline(__always)
    private static func mayNeedEscaping(_ word: UInt64) -> Bool {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        @inline(__always) func hasZeroByte(_ v: UInt64) -> Bool { (v &- ones) & ~v & highs != 0 }
        let below0x20 = (word &- ones &* 0x20) & ~word & highs != 0
        return below0x20 || hasZeroByte(word ^ (ones &* 0x22)) || hasZeroByte(word ^ (ones &* 0x5C))
            || hasZeroByte(word ^ (ones &* 0x7F))
    }

    private mutating func appendEscaped(_ byte: UInt8) {
        switch byte {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"):
            bytes.append(UInt8(ascii: "\\"))
            bytes.append(byte)
        case 0x0A: bytes.append(UInt8(ascii: "\\")); bytes.append(UInt8(ascii: "n"))
        case 0x0D: bytes.append(UInt8(ascii: "\\")); bytes.append(UInt8(ascii: "r"))
        case 0x09: bytes.append(UInt8(ascii: "\\")); bytes.append(UInt8(ascii: "t"))
        default:
            bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0")])
            bytes.append(Self.hex[Int(byte >> 4)])
            bytes.append(Self.hex[Int(byte & 0xF)])
        }
    }
}
