import Crypto

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// One quick pass over a job file's bytes before it is parsed: the SHA-256 of the bytes (for
/// the job id) and, when it can be told cheaply, the order of the top-level keys, so that rows
/// can be planned while they are read when nothing that changes them comes after `contacts`.
struct FilePrescan {
    /// Lower-case hex SHA-256 of the file's bytes.
    var sha256Hex: String
    /// The top-level keys in file order, or nil when the layout is not one the scan understands.
    var topLevelKeys: [String]?

    init(sha256Hex: String, topLevelKeys: [String]?) {
        self.sha256Hex = sha256Hex
        self.topLevelKeys = topLevelKeys
    }

    /// Scans bytes already in memory.
    init(bytes: [UInt8]) {
        var scanner = KeyScanner()
        bytes.withUnsafeBytes { scanner.feed($0) }
        sha256Hex = JobIdentity.hex(SHA256.hash(data: bytes))
        topLevelKeys = scanner.finish()
    }

    /// Reads the file at `path`.
    /// - Throws: `JobFileError` when the file cannot be read.
    init(path: String, displayName: String) throws {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else {
            let reason = String(cString: strerror(errno))
            throw JobFileError([
                Diagnostic(
                    code: "UnreadableFile",
                    field: "",
                    message: "cannot open the file: \(reason); expected a readable job file",
                    file: displayName,
                    mark: SourceMark(line: 1, column: 1)
                )
            ])
        }
        defer { close(fd) }
        var hasher = SHA256()
        var scanner = KeyScanner()
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                let reason = String(cString: strerror(errno))
                throw JobFileError([
                    Diagnostic(
                        code: "UnreadableFile",
                        field: "",
                        message: "cannot read the file: \(reason); expected a readable job file",
                        file: displayName,
                        mark: SourceMark(line: 1, column: 1)
                    )
                ])
            }
            if count == 0 { break }
            buffer.withUnsafeBytes { raw in
                let chunk = UnsafeRawBufferPointer(rebasing: raw[0 ..< count])
                hasher.update(bufferPointer: chunk)
                scanner.feed(chunk)
            }
        }
        sha256Hex = JobIdentity.hex(hasher.finalize())
        topLevelKeys = scanner.finish()
    }
}

/// Finds top-level keys in a block-style YAML map (keys at column 0) or a JSON / flow map
/// (keys at depth 1). Gives up (nil) on anything else.
private struct KeyScanner {
    private enum Mode { case undecided, block, flow, unknown }
    private var mode = Mode.undecided
    private var keys: [String] = []

    // Block mode: the start of the current line.
    private var atLineStart = true
    private var collecting = false
    private var head: [UInt8] = []

    // Flow mode.
    private var depth = 0
    private var inString = false
    private var escaped = false
    private var expectKey = false
    private var collectingKey = false
    private var key: [UInt8] = []
    private var pendingUndecided: [UInt8] = []
    private var skippingLine = false

    mutating func feed(_ bytes: UnsafeRawBufferPointer) {
        var index = 0
        let count = bytes.count
        while index < count {
            let byte = bytes[index]
            switch mode {
            case .unknown: return
            case .undecided: undecided(byte)
            case .block:
                if !collecting, !atLineStart, byte != UInt8(ascii: "\n") {
                    // The rest of an indented line says nothing about top-level keys.
                    guard let base = bytes.baseAddress,
                        let newline = memchr(base + index, Int32(UInt8(ascii: "\n")), count - index)
                    else { return }
                    index = base.distance(to: UnsafeRawPointer(newline))
                    continue
                }
                block(byte)
            case .flow: flow(byte)
            }
            index += 1
        }
    }

    mutating func finish() -> [String]? {
        switch mode {
        case .block:
            if collecting { endLine() }
            return mode == .unknown ? nil : keys
        case .flow:
            return depth == 0 ? keys : nil
        case .undecided, .unknown:
            return nil
        }
    }

    private mutating func undecided(_ byte: UInt8) {
        // Blank lines, comments, directives and a bare `---` come first; the first content decides.
        if skippingLine {
            if byte == UInt8(ascii: "\n") { skippingLine = false }
            return
        }
        let isSpace = byte == 0x20 || byte == 0x09 || byte == 0x0D
        if pendingUndecided.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }) {
            switch byte {
            case UInt8(ascii: "\n"):
                pendingUndecided.removeAll(keepingCapacity: true)
                return
            case UInt8(ascii: "#"):
                pendingUndecided.removeAll(keepingCapacity: true)
                skippingLine = true
                return
            case UInt8(ascii: "{"):
                mode = .flow
                flow(byte)
                return
            case UInt8(ascii: "%") where pendingUndecided.isEmpty:
                skippingLine = true
                return
            default:
                if isSpace {
                    pendingUndecided.append(byte)
                    return
                }
                // Indented content, a list or a flow sequence: not a layout this scan knows.
                if !pendingUndecided.isEmpty || byte == UInt8(ascii: "[") {
                    mode = .unknown
                    return
                }
            }
        }
        pendingUndecided.append(byte)
        guard byte == UInt8(ascii: "\n") else { return }
        let line = pendingUndecided
        pendingUndecided = []
        if line.starts(with: Array("---".utf8)) {
            if !line.dropFirst(3).allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D || $0 == 0x0A }) {
                mode = .unknown
            }
            return
        }
        mode = .block
        atLineStart = true
        for byte in line { block(byte) }
    }

    private mutating func block(_ byte: UInt8) {
        if collecting {
            if byte == UInt8(ascii: "\n") {
                endLine()
            } else if head.count < 256 {
                head.append(byte)
            }
            return
        }
        if byte == UInt8(ascii: "\n") {
            atLineStart = true
            return
        }
        if atLineStart {
            atLineStart = false
            switch byte {
            case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "#"), UInt8(ascii: "\r"):
                return
            default:
                collecting = true
                head = [byte]
            }
        }
    }

    /// A line that starts at column 0: a `key:` line, a comment, or something that is not understood.
    private mutating func endLine() {
        collecting = false
        atLineStart = true
        var line = head[...]
        while let last = line.last, last == UInt8(ascii: "\r") || last == 0x20 { line = line.dropLast() }
        if line.starts(with: Array("---".utf8)) || line.starts(with: Array("...".utf8)) {
            // A second document or an end marker: leave it to the reader.
            mode = .unknown
            return
        }
        guard let colon = line.firstIndex(of: UInt8(ascii: ":")) else {
            mode = .unknown
            return
        }
        let after = line.index(after: colon)
        guard after == line.endIndex || line[after] == 0x20 || line[after] == 0x09 else {
            mode = .unknown
            return
        }
        let keyBytes = line[line.startIndex ..< colon]
        guard let keyStart = keyBytes.first, keyStart != UInt8(ascii: "-"), keyStart != UInt8(ascii: "?"),
            keyStart != UInt8(ascii: "\""), keyStart != UInt8(ascii: "'"), keyStart != UInt8(ascii: "{"),
            keyStart != UInt8(ascii: "["), keyStart != UInt8(ascii: "&"), keyStart != UInt8(ascii: "*"),
            keyStart != UInt8(ascii: "!")
        else {
            mode = .unknown
            return
        }
        keys.append(String(decoding: keyBytes, as: UTF8.self).trimmingSpaces())
    }

    private mutating func flow(_ byte: UInt8) {
        if inString {
            if escaped {
                escaped = false
                if collectingKey { key.append(byte) }
            } else if byte == UInt8(ascii: "\\") {
                escaped = true
                if collectingKey { key.append(byte) }
            } else if byte == UInt8(ascii: "\"") {
                inString = false
                if collectingKey {
                    collectingKey = false
                    keys.append(String(decoding: key, as: UTF8.self))
                }
            } else if collectingKey {
                key.append(byte)
            }
            return
        }
        switch byte {
        case UInt8(ascii: "\""):
            inString = true
            if depth == 1, expectKey {
                expectKey = false
                collectingKey = true
                key.removeAll(keepingCapacity: true)
            }
        case UInt8(ascii: "{"), UInt8(ascii: "["):
            depth += 1
            if depth == 1 { expectKey = true }
        case UInt8(ascii: "}"), UInt8(ascii: "]"):
            depth -= 1
            if depth < 0 { mode = .unknown }
        case UInt8(ascii: ","):
            if depth == 1 { expectKey = true }
        case 0x20, 0x09, 0x0A, 0x0D, UInt8(ascii: ":"):
            break
        default:
            // An unquoted key at depth 1 (YAML flow) is not understood.
            if depth == 1, expectKey { mode = .unknown }
        }
    }
}

extension String {
    fileprivate func trimmingSpaces() -> String {
        var s = Substring(self)
        while s.last == " " || s.last == "\t" { s = s.dropLast() }
        return String(s)
    }
}
