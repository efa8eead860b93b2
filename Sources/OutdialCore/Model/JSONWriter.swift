/// A small, fast JSON writer into a byte buffer. Keys are written in the order given, so output
/// is deterministic; strings are escaped as RFC 8259 requires (control characters as `\u00XX`,
/// everything else as UTF-8).
///
/// The bytes go into a buffer of its own, so that a key or a value is copied in with one check for
/// room rather than an `append` per byte.
public struct JSONWriter: Sendable {
    /// The bytes: the first `count` are written, the rest is room. Shared between copies of a writer
    /// until one of them writes (copy on write).
    private var storage: Storage
    /// How many bytes are written.
    public private(set) var count = 0
    /// How many containers are open.
    private var depth = 0
    /// Bit `i`: whether the open container at depth `i` already holds a value (first 64 levels).
    private var commaBits: UInt64 = 0
    /// The same for containers deeper than 64 levels.
    private var deepNeedsComma: [Bool] = []
    private var pendingValueAfterKey = false

    public init(capacity: Int = 256) {
        storage = Storage(capacity: max(capacity, 16))
    }

    /// The bytes written (a copy).
    public var bytes: [UInt8] { Array(UnsafeBufferPointer(start: storage.base, count: count)) }

    /// Whether nothing is written.
    public var isEmpty: Bool { count == 0 }

    /// Calls `body` with the bytes written, in place.
    public func withBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try body(UnsafeRawBufferPointer(start: storage.base, count: count))
    }

    /// Forgets what was written, keeping the storage for the next document.
    public mutating func removeAll() {
        count = 0
        depth = 0
        commaBits = 0
        deepNeedsComma.removeAll(keepingCapacity: true)
        pendingValueAfterKey = false
    }

    // MARK: Containers

    public mutating func beginObject() {
        separate()
        put(UInt8(ascii: "{"))
        open()
    }

    public mutating func endObject() {
        close()
        put(UInt8(ascii: "}"))
    }

    public mutating func beginArray() {
        separate()
        put(UInt8(ascii: "["))
        open()
    }

    public mutating func endArray() {
        close()
        put(UInt8(ascii: "]"))
    }

    /// Writes `"key":`; the next value call writes the value.
    public mutating func key(_ key: String) {
        separate()
        appendString(key)
        put(UInt8(ascii: ":"))
        // The value that follows must not write a comma of its own.
        pendingValueAfterKey = true
    }

    /// Writes `"key":` for a key spelled in the source code, which must need no escaping (no
    /// `"`, `\\` or control characters): it is copied as it is.
    public mutating func key(plain key: StaticString) {
        separate()
        let length = key.utf8CodeUnitCount
        let target = reserve(length + 3)
        target[0] = UInt8(ascii: "\"")
        (target + 1).update(from: key.utf8Start, count: length)
        target[length + 1] = UInt8(ascii: "\"")
        target[length + 2] = UInt8(ascii: ":")
        count += length + 3
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
            put(UnsafeRawBufferPointer(rebasing: digits[start...]))
        }
    }

    public mutating func double(_ value: Double) {
        separate()
        if value.isFinite {
            put(utf8Of: String(value))
        } else {
            put("null")
        }
    }

    public mutating func bool(_ value: Bool) {
        separate()
        put(value ? "true" : "false")
    }

    public mutating func null() {
        separate()
        put("null")
    }

    /// Inserts already-encoded JSON (for example a request body) as a value.
    public mutating func raw(_ json: [UInt8]) {
        separate()
        json.withUnsafeBytes { put($0) }
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
        put(UInt8(ascii: "\n"))
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
                put(UInt8(ascii: ","))
            } else {
                commaBits |= bit
            }
        } else if deepNeedsComma[level - 64] {
            put(UInt8(ascii: ","))
        } else {
            deepNeedsComma[level - 64] = true
        }
    }

    // MARK: Storage

    /// Makes room for `extra` more bytes (in a buffer of this writer's own) and returns where they go.
    @inline(__always)
    private mutating func reserve(_ extra: Int) -> UnsafeMutablePointer<UInt8> {
        if count + extra > storage.capacity || !isKnownUniquelyReferenced(&storage) { makeRoom(extra) }
        return storage.base + count
    }

    @inline(never)
    private mutating func makeRoom(_ extra: Int) {
        let capacity = count + extra > storage.capacity ? max(count + extra, storage.capacity * 2) : storage.capacity
        let larger = Storage(capacity: capacity)
        larger.base.update(from: storage.base, count: count)
        storage = larger
    }

    @inline(__always)
    private mutating func put(_ byte: UInt8) {
        reserve(1).pointee = byte
        count += 1
    }

    private mutating func put(_ source: UnsafeRawBufferPointer) {
        guard let from = source.baseAddress, !source.isEmpty else { return }
        UnsafeMutableRawPointer(reserve(source.count)).copyMemory(from: from, byteCount: source.count)
        count += source.count
    }

    private mutating func put(_ text: StaticString) {
        text.withUTF8Buffer { put(UnsafeRawBufferPointer($0)) }
    }

    private mutating func put(utf8Of text: String) {
        var text = text
        text.withUTF8 { put(UnsafeRawBufferPointer($0)) }
    }

    private static let hex: [UInt8] = Array("0123456789abcdef".utf8)

    private mutating func appendString(_ s: String) {
        // Borrowed in place (no copy of the string to retain and release); only a string not stored
        // as UTF-8 is copied.
        if s.utf8.withContiguousStorageIfAvailable({ appendQuoted($0) }) == nil {
            var text = s
            text.withUTF8 { appendQuoted($0) }
        }
    }

    /// Appends `utf8` as a JSON string: quoted, and escaped where it needs to be.
    @inline(__always)
    private mutating func appendQuoted(_ utf8: UnsafeBufferPointer<UInt8>) {
        let clean = Self.cleanPrefix(utf8)
        guard let from = utf8.baseAddress, clean == utf8.count else {
            put(UInt8(ascii: "\""))
            appendEscaping(utf8, from: clean)
            put(UInt8(ascii: "\""))
            return
        }
        // Most strings: copied whole between their quotes.
        let length = utf8.count
        let target = reserve(length + 2)
        target[0] = UInt8(ascii: "\"")
        (target + 1).update(from: from, count: length)
        target[length + 1] = UInt8(ascii: "\"")
        count += length + 2
    }

    /// How many bytes at the start of `utf8` need no escaping for sure: all of them when none does,
    /// else those before the first eight-byte word that may hold one (0 for a string shorter than
    /// eight bytes). Eight bytes at a time; the last eight overlap the ones before them.
    @inline(__always)
    private static func cleanPrefix(_ utf8: UnsafeBufferPointer<UInt8>) -> Int {
        let length = utf8.count
        guard let base = UnsafeRawPointer(utf8.baseAddress), length >= 8 else {
            return utf8.contains(where: needsEscaping) ? 0 : length
        }
        var offset = 0
        while offset + 8 <= length {
            if mayNeedEscaping(base.loadUnaligned(fromByteOffset: offset, as: UInt64.self)) { return offset }
            offset += 8
        }
        guard offset < length else { return length }
        return mayNeedEscaping(base.loadUnaligned(fromByteOffset: length - 8, as: UInt64.self)) ? offset : length
    }

    /// Appends `utf8`, escaped as a JSON string's contents; its first `clean` bytes need no escaping.
    private mutating func appendEscaping(_ utf8: UnsafeBufferPointer<UInt8>, from clean: Int) {
        // Runs of bytes that need no escaping are copied at once.
        var runStart = 0
        for index in clean ..< utf8.count where Self.needsEscaping(utf8[index]) {
            if runStart < index {
                put(UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: utf8[runStart ..< index])))
            }
            appendEscaped(utf8[index])
            runStart = index + 1
        }
        if runStart < utf8.count { put(UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: utf8[runStart...]))) }
    }

    /// Whether `byte` is written escaped: below 0x20, `"`, `\\` or 0x7F.
    @inline(__always)
    private static func needsEscaping(_ byte: UInt8) -> Bool {
        byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") || byte == 0x7F
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
            put(UInt8(ascii: "\\"))
            put(byte)
        case 0x0A: put("\\n")
        case 0x0D: put("\\r")
        case 0x09: put("\\t")
        default:
            put("\\u00")
            put(Self.hex[Int(byte >> 4)])
            put(Self.hex[Int(byte & 0xF)])
        }
    }
}

extension JSONWriter {
    /// The bytes of a writer. Changed only through a writer that holds the only reference to it.
    fileprivate final class Storage: @unchecked Sendable {
        let base: UnsafeMutablePointer<UInt8>
        let capacity: Int

        init(capacity: Int) {
            base = .allocate(capacity: capacity)
            self.capacity = capacity
        }

        deinit {
            base.deallocate()
        }
    }
}
