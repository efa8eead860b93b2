import CYaml

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// The bytes of one job file, handed to libyaml in chunks through its read handler: never the whole
/// file at once. A leading UTF-8 byte-order mark is dropped; JSON goes through `JSONStreamFilter`.
final class InputSource {
    enum Origin {
        case file(String)
        case memory([UInt8])
    }

    let origin: Origin
    let name: String
    private(set) var format: DocumentFormat = .yaml
    private var descriptor: Int32 = -1
    private var memoryOffset = 0
    private var prefix: [UInt8] = []
    private var prefixOffset = 0
    private var started = false
    private var json: JSONStreamFilter?
    /// Bytes of the original input handed out so far.
    private(set) var bytesRead = 0
    /// Bytes dropped at the start (a byte-order mark), so that libyaml's offsets can be mapped back.
    private(set) var skippedAtStart = 0
    /// A problem found on the input side (I/O, or the JSON filter), reported instead of libyaml's "input error".
    private(set) var problem: ReadError?

    init(origin: Origin, name: String) throws {
        self.origin = origin
        self.name = name
        if case .file(let path) = origin {
            descriptor = try Self.openFile(path, name: name)
        }
    }

    deinit {
        if descriptor >= 0 { close(descriptor) }
    }

    static func openFile(_ path: String, name: String) throws -> Int32 {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            throw ReadError(.unreadableFile, "cannot open the file: \(errorText(errno))", file: name, mark: nil)
        }
        var info = stat()
        if fstat(fd, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR {
            close(fd)
            throw ReadError(.unreadableFile, "cannot read the file: it is a directory", file: name, mark: nil)
        }
        return fd
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

    func setFormat(_ format: DocumentFormat) {
        self.format = format
        json = format == .json ? JSONStreamFilter() : nil
    }

    /// Fills libyaml's buffer. Returns the byte count (0 at the end) or -1 after setting `problem`.
    func fill(_ buffer: UnsafeMutablePointer<UInt8>, capacity: Int) -> Int {
        if let json {
            let count = json.fill(buffer, capacity: capacity, from: self)
            if count < 0, problem == nil, let (found, offset) = json.problem {
                problem = ReadError(found.code, found.message, file: name, mark: mark(atOriginalOffset: offset))
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

    /// Reads original bytes: the sniffed prefix first. Returns 0 at the end, -1 after setting `problem`.
    func readRaw(_ buffer: UnsafeMutablePointer<UInt8>, _ capacity: Int) -> Int {
        if prefixOffset < prefix.count {
            let count = min(capacity, prefix.count - prefixOffset)
            prefix.withUnsafeBufferPointer { buffer.update(from: $0.baseAddress! + prefixOffset, count: count) }
            prefixOffset += count
            if prefixOffset == prefix.count { prefix = []; prefixOffset = 0 }
            bytesRead += count
            return count
        }
        let count = readOrigin(buffer, capacity)
        if count > 0 { bytesRead += count }
        return count
    }

    private func readOrigin(_ buffer: UnsafeMutablePointer<UInt8>, _ capacity: Int) -> Int {
        switch origin {
        case .memory(let bytes):
            let count = min(capacity, bytes.count - memoryOffset)
            guard count > 0 else { return 0 }
            bytes.withUnsafeBufferPointer { buffer.update(from: $0.baseAddress! + memoryOffset, count: count) }
            memoryOffset += count
            return count
        case .file:
            while true {
                let count = read(descriptor, buffer, capacity)
                if count >= 0 { return count }
                if errno == EINTR { continue }
                problem = ReadError(.unreadableFile, "cannot read the file: \(errorText(errno))", file: name, mark: nil)
                return -1
            }
        }
    }

    /// The 1-based mark of a libyaml mark, with JSON column corrections applied.
    @inline(__always)
    func mark(_ mark: yaml_mark_t) -> SourceMark {
        let line = Int(mark.line)
        var column = Int(mark.column)
        if let json { column = json.corrections.originalColumn(line: line, column: column) }
        return SourceMark(line: line + 1, column: column + 1)
    }

    /// The mark of a byte offset of the original input, found by reading it again from the start (only on
    /// the error path). Nil when the input cannot be read again (a pipe).
    func mark(atOriginalOffset offset: Int) -> SourceMark? {
        var counter = LineCounter(unicodeBreaks: format == .yaml)
        switch origin {
        case .memory(let bytes):
            counter.advance(bytes[0 ..< min(offset, bytes.count)])
        case .file(let path):
            var info = stat()
            guard fstat(descriptor, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG,
                let fd = try? Self.openFile(path, name: name)
            else { return nil }
            defer { close(fd) }
            var chunk = [UInt8](repeating: 0, count: 1 << 16)
            var remaining = offset
            while remaining > 0 {
                let count = chunk.withUnsafeMutableBufferPointer { read(fd, $0.baseAddress!, min($0.count, remaining)) }
                if count <= 0 { break }
                counter.advance(chunk[0 ..< count])
                remaining -= count
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

@inline(__always)
func isBlankOrMark(_ byte: UInt8) -> Bool {
    byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D || byte == 0xEF || byte == 0xBB || byte == 0xBF
}

func errorText(_ code: Int32) -> String {
    guard let text = strerror(code) else { return "error \(code)" }
    return String(cString: text)
}
