import CYaml
import Crypto
import OutdialBase

/// The bytes of one input, read once and handed to libyaml in chunks through its read handler: never
/// the whole file at once. The same bytes feed the SHA-256 of the file (for derived job ids), so a
/// pipe, a FIFO or standard input is read exactly once. A leading UTF-8 byte-order mark is dropped;
/// JSON goes through `JSONStreamFilter`. The bounds of `ReadLimits` on size and token length are
/// checked here, while libyaml reads.
final class InputSource {
    enum Origin {
        /// A descriptor opened once for this read; closed with the source when `owned`.
        case descriptor(Int32, owned: Bool)
        case memory([UInt8])
    }

    let origin: Origin
    let name: String
    let limits: ReadLimits
    private(set) var format: DocumentFormat = .yaml
    private var memoryOffset = 0
    private var prefix: [UInt8] = []
    private var prefixOffset = 0
    private var started = false
    private var atEndOfInput = false
    private var json: JSONStreamFilter?
    private var hasher = SHA256()
    /// Bytes of the original input handed out so far.
    private(set) var bytesRead = 0
    /// Bytes taken from the origin so far (handed out or kept in the sniffed prefix).
    private var bytesTaken = 0
    /// Bytes dropped at the start (a byte-order mark), so that libyaml's offsets can be mapped back.
    private(set) var skippedAtStart = 0
    /// A problem found on the input side (I/O, a limit, or the JSON filter), reported instead of
    /// libyaml's "input error".
    private(set) var problem: ReadError?
    /// The parser reading this source, watched for `maxTokenLength`.
    var parser: UnsafeMutablePointer<yaml_parser_t>?
    private var tokensParsed = 0
    private var tokenTail: UnsafeMutablePointer<yaml_token_t>?
    private var tokenStart = yaml_mark_t()

    init(origin: Origin, name: String, limits: ReadLimits = .init()) {
        self.origin = origin
        self.name = name
        self.limits = limits
    }

    deinit {
        if case .descriptor(let descriptor, owned: true) = origin { POSIX.close(descriptor) }
    }

    /// Opens `path` (its raw bytes when given, for names that are not UTF-8) for reading, once.
    /// - Throws: `ReadError` (UnreadableFile) with the system's reason, or for a directory.
    static func open(path: String, rawPath: [UInt8]?, name: String) throws -> Int32 {
        let flags = O_RDONLY | O_CLOEXEC
        let descriptor: Int32
        if let rawPath {
            let terminated = rawPath.map { CChar(bitPattern: $0) } + [0]
            descriptor = POSIX.retryingInterrupts {
                terminated.withUnsafeBufferPointer { openPath($0.baseAddress!, flags) }
            }
        } else {
            descriptor = POSIX.open(path, flags)
        }
        guard descriptor >= 0 else {
            throw ReadError(.unreadableFile, "cannot open the file: \(errorText(errno))", file: name, mark: nil)
        }
        var info = stat()
        if fstat(descriptor, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR {
            POSIX.close(descriptor)
            throw ReadError(.unreadableFile, "cannot read the file: it is a directory", file: name, mark: nil)
        }
        return descriptor
    }

    /// Reads the first bytes (kept for the parser) and sniffs the format from them.
    func sniffFormat() -> DocumentFormat {
        var chunk = [UInt8](repeating: 0, count: 4096)
        while prefix.count < 1 << 16 {
            let count = chunk.withUnsafeMutableBufferPointer { readOrigin($0.baseAddress!, $0.count) }
            if count <= 0 { break }
            prefix.append(contentsOf: chunk[0 ..< count])
            if prefix.contains(where: { !isBlankOrMark($0) }) { break }
        }
        return DocumentFormat.sniff(prefix)
    }

    /// Sets the syntax; `strictJSON` refuses what RFC 8259 does not allow (trailing commas, comments,
    /// single quotes, bare words, YAML syntax).
    func setFormat(_ format: DocumentFormat, strictJSON: Bool = false) {
        self.format = format
        json = format == .json ? JSONStreamFilter(strict: strictJSON) : nil
    }

    /// Lower-case hex SHA-256 of every byte of the input, after reading it to its end.
    func sha256Hex() -> String {
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while !atEndOfInput && problem == nil {
            if chunk.withUnsafeMutableBufferPointer({ readRaw($0.baseAddress!, $0.count) }) <= 0 { break }
        }
        return JobIdentity.hex(hasher.finalize())
    }

    /// Fills libyaml's buffer. Returns the byte count (0 at the end) or -1 after setting `problem`.
    func fill(_ buffer: UnsafeMutablePointer<UInt8>, capacity: Int) -> Int {
        guard checkTokenLength() else { return -1 }
        if let json {
            let count = json.fill(buffer, capacity: capacity, from: self)
            if count < 0, problem == nil {
                if let (found, offset) = json.problem {
                    problem = ReadError(found.code, found.message, file: name, mark: mark(atOriginalOffset: offset))
                } else if let syntax = json.syntaxProblem {
                    problem = ReadError(
                        .invalidJSON,
                        syntax.message,
                        file: name,
                        mark: SourceMark(line: syntax.line + 1, column: syntax.column + 1)
                    )
                }
            }
            return count
        }
        var count = readRaw(buffer, capacity)
        guard !started, count > 0 else { return count }
        started = true
        while count < 3 {
            let more = readRaw(buffer + count, capacity - count)
            if more < 0 { return -1 }
            if more == 0 { break }
            count += more
        }
        if count >= 3 && buffer[0] == 0xEF && buffer[1] == 0xBB && buffer[2] == 0xBF {
            skippedAtStart = 3
            count -= 3
            (buffer).update(from: buffer + 3, count: count)
            if count == 0 { return readRaw(buffer, capacity) }
        }
        return count
    }

    /// False (with `problem` set) when libyaml has scanned more than `maxTokenLength` characters
    /// without producing a token: a scalar, key or comment run without end.
    private func checkTokenLength() -> Bool {
        guard let parser else { return true }
        let state = parser.pointee
        let parsed = Int(state.tokens_parsed)
        if parsed != tokensParsed || state.tokens.tail != tokenTail {
            tokensParsed = parsed
            tokenTail = state.tokens.tail
            tokenStart = state.mark
            return true
        }
        guard Int(state.mark.index) - Int(tokenStart.index) > limits.maxTokenLength else { return true }
        // Where the last token scanned ends: the endless one follows it.
        var after: SourceMark?
        if let tail = state.tokens.tail, let first = state.tokens.start, tail > first {
            after = mark((tail - 1).pointee.end_mark)
        }
        problem = ReadError(
            .tooLarge,
            "more than \(limits.maxTokenLength) characters without an end (one scalar, key or run of comments) "
                + "after this point; the limit is \(limits.maxTokenLength) characters",
            file: name,
            mark: after
        )
        return false
    }

    /// Reads original bytes: the sniffed prefix first. Returns 0 at the end, -1 after setting `problem`.
    func readRaw(_ buffer: UnsafeMutablePointer<UInt8>, _ capacity: Int) -> Int {
        let count: Int
        if prefixOffset < prefix.count {
            count = min(capacity, prefix.count - prefixOffset)
            prefix.withUnsafeBufferPointer { buffer.update(from: $0.baseAddress! + prefixOffset, count: count) }
            prefixOffset += count
            if prefixOffset == prefix.count {
                prefix = []
                prefixOffset = 0
            }
        } else {
            count = readOrigin(buffer, capacity)
        }
        if count > 0 {
            bytesRead += count
            hasher.update(bufferPointer: UnsafeRawBufferPointer(start: buffer, count: count))
        }
        return count
    }

    private func readOrigin(_ buffer: UnsafeMutablePointer<UInt8>, _ capacity: Int) -> Int {
        if atEndOfInput { return 0 }
        let count: Int
        switch origin {
        case .memory(let bytes):
            count = min(capacity, bytes.count - memoryOffset)
            guard count > 0 else {
                atEndOfInput = true
                return 0
            }
            bytes.withUnsafeBufferPointer { buffer.update(from: $0.baseAddress! + memoryOffset, count: count) }
            memoryOffset += count
        case .descriptor(let descriptor, _):
            // One byte more than the limit allows tells a file at the limit from one beyond it.
            let room = limits.maxFileBytes - bytesTaken + 1
            count = POSIX.read(descriptor, into: buffer, capacity: min(capacity, max(room, 1)))
            if count == 0 { atEndOfInput = true }
            if count < 0 {
                problem = ReadError(.unreadableFile, "cannot read the file: \(errorText(errno))", file: name, mark: nil)
                return -1
            }
        }
        bytesTaken += count
        if bytesTaken > limits.maxFileBytes {
            problem = ReadError(
                .tooLarge,
                "the input is larger than the limit of \(ReadLimits.describe(bytes: limits.maxFileBytes)) "
                    + "(\(limits.maxFileBytes) bytes); split it into smaller job files",
                file: name,
                mark: nil
            )
            return -1
        }
        return count
    }

    /// The 1-based mark of a libyaml mark, with JSON column corrections applied.
    @inline(__always)
    func mark(_ mark: yaml_mark_t) -> SourceMark {
        let line = Int(mark.line)
        var column = Int(mark.column)
        if let json { column = json.corrections.originalColumn(line: line, column: column) }
        return SourceMark(line: line + 1, column: column + 1)
    }

    /// The mark of a byte offset of the original input, found by reading it again from the start through
    /// the same descriptor (only on the error path). Nil when the input cannot be read again (a pipe).
    func mark(atOriginalOffset offset: Int) -> SourceMark? {
        var counter = LineCounter(unicodeBreaks: format == .yaml)
        switch origin {
        case .memory(let bytes):
            counter.advance(bytes[0 ..< min(offset, bytes.count)])
        case .descriptor(let descriptor, _):
            var info = stat()
            guard fstat(descriptor, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { return nil }
            var chunk = [UInt8](repeating: 0, count: 1 << 16)
            var position = 0
            while position < offset {
                let count = chunk.withUnsafeMutableBufferPointer { buffer in
                    POSIX.retryingInterrupts {
                        pread(descriptor, buffer.baseAddress!, min(buffer.count, offset - position), off_t(position))
                    }
                }
                if count <= 0 { break }
                counter.advance(chunk[0 ..< count])
                position += count
            }
        }
        return SourceMark(line: counter.line + 1, column: counter.column + 1)
    }
}

/// Counts lines and columns (in characters) as libyaml does.
struct LineCounter {
    let unicodeBreaks: Bool
    var line = 0
    var column = 0
    private var afterCR = false
    private var sequence: UInt32 = 0

    init(unicodeBreaks: Bool) { self.unicodeBreaks = unicodeBreaks }

    mutating func advance(_ bytes: ArraySlice<UInt8>) {
        for byte in bytes {
            if byte == 0x0A {
                if !afterCR { line += 1 }
                column = 0
                afterCR = false
                continue
            }
            afterCR = false
            if byte == 0x0D {
                line += 1
                column = 0
                afterCR = true
            } else if byte & 0xC0 != 0x80 {
                column += 1
                sequence = UInt32(byte)
            } else if unicodeBreaks {
                sequence = sequence << 8 | UInt32(byte)
                // NEL, LS and PS are line breaks to libyaml.
                if sequence == 0xC285 || sequence == 0xE2_80A8 || sequence == 0xE2_80A9 {
                    line += 1
                    column = 0
                }
            }
        }
    }
}

/// `open(2)` of a path given as bytes (a name that is not UTF-8).
private func openPath(_ path: UnsafePointer<CChar>, _ flags: Int32) -> Int32 {
    open(path, flags)
}

@inline(__always)
func isBlankOrMark(_ byte: UInt8) -> Bool {
    byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D || byte == 0xEF || byte == 0xBB || byte == 0xBF
}

/// The system's text for an `errno` value, starting lower case as messages here do:
/// `too many levels of symbolic links`.
func errorText(_ code: Int32) -> String {
    let text = POSIX.errorText(code)
    guard let first = text.first else { return "error \(code)" }
    return first.lowercased() + text.dropFirst()
}
