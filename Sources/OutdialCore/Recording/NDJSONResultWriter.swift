import OutdialBase

/// Writes result (or plan) lines as NDJSON to standard output or appends them to a file.
///
/// Unbuffered (results of a run), each line goes out in a single `write(2)` (with `O_APPEND` for
/// files), so a crash leaves at most a partial last line and lines of concurrent writers never
/// interleave mid-line. Buffered (`outdial plan`), lines are gathered and written in large chunks
/// until `flush()`.
public final class NDJSONResultWriter: ResultSink {
    /// Where lines go, for messages (`-` for standard output).
    public let destination: String
    private let fd: Int32
    private let ownsDescriptor: Bool
    /// Write `ESC [K` after `\r` before each line: standard output shares its terminal with a
    /// progress line on standard error, which is cleared first so the two are not glued.
    private let clearsTerminalLine: Bool
    /// Gather lines up to this many bytes; 0 writes each line at once.
    private let chunk: Int
    private var buffer: JSONWriter
    /// Lines written, per status (at the status's `ordinal`): one increment a line, no hashing.
    private var tally = [Int](repeating: 0, count: RowStatus.allCases.count)

    /// Lines written, per status (statuses with none left out).
    public var counts: [RowStatus: Int] {
        var counts: [RowStatus: Int] = [:]
        for status in RowStatus.allCases where tally[status.ordinal] > 0 { counts[status] = tally[status.ordinal] }
        return counts
    }

    /// A writer to an open descriptor it does not close (standard output by default).
    /// - Parameters:
    ///   - buffered: gather lines and write them in chunks (call `flush()` at the end).
    ///   - clearsTerminalLine: clear the terminal line before each line (see above).
    public init(
        fileDescriptor: Int32 = STDOUT_FILENO,
        name: String = "-",
        buffered: Bool = false,
        clearsTerminalLine: Bool = false
    ) {
        self.fd = fileDescriptor
        self.ownsDescriptor = false
        self.destination = name
        self.clearsTerminalLine = clearsTerminalLine
        self.chunk = buffered ? Self.chunkSize : 0
        self.buffer = JSONWriter(capacity: buffered ? Self.chunkSize * 2 : 0)
    }

    /// A writer appending to `path`, created with mode 0600 if missing (results hold phone
    /// numbers). An existing file keeps its mode. When its last line was cut off (a crash in the
    /// middle of a write), a newline is written first, so the first new line starts on a line
    /// of its own.
    /// - Throws: `RecordingError.outputUnusable`.
    public init(appendingTo path: String, buffered: Bool = false) throws(RecordingError) {
        // Read and write, to look at the last byte; write only when the file may not be read.
        var fd = POSIX.open(path, O_RDWR | O_APPEND | O_CREAT | O_CLOEXEC, mode: 0o600)
        if fd < 0 && errno == EACCES {
            fd = POSIX.open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, mode: 0o600)
        }
        if fd < 0 {
            throw .outputUnusable(path, POSIX.errorText())
        }
        if Self.endsInsideALine(fd), let code = POSIX.writeAll(fd, [UInt8(ascii: "\n")]) {
            POSIX.close(fd)
            throw .outputUnusable(path, POSIX.errorText(code))
        }
        self.fd = fd
        self.ownsDescriptor = true
        self.destination = path
        self.clearsTerminalLine = false
        self.chunk = buffered ? Self.chunkSize : 0
        self.buffer = JSONWriter(capacity: buffered ? Self.chunkSize * 2 : 0)
    }

    deinit {
        if ownsDescriptor {
            POSIX.close(fd)
        }
    }

    /// Lines written so far.
    public var total: Int { tally.reduce(0, +) }

    /// Writes the `planned` line of `row` (as `write(row.resultLine())` does).
    public func writePlanned(_ row: PlannedRow) throws(RecordingError) {
        guard chunk > 0 else { return try write(row.resultLine()) }
        try gather(.planned) { row.writePlannedLine(to: &$0) }
    }

    public func write(_ line: ResultLine) throws(RecordingError) {
        if chunk > 0 {
            return try gather(line.status) { line.write(to: &$0) }
        }
        var bytes = line.ndjson()
        if clearsTerminalLine { bytes.insert(contentsOf: Self.clearLine, at: 0) }
        if let code = POSIX.writeAll(fd, bytes) {
            throw .outputUnusable(destination, POSIX.errorText(code))
        }
        tally[line.status.ordinal] += 1
    }

    /// Gathers one line of `status` (buffered writers), written once a chunk is full.
    private func gather(_ status: RowStatus, _ encode: (inout JSONWriter) -> Void) throws(RecordingError) {
        encode(&buffer)
        tally[status.ordinal] += 1
        if buffer.count >= chunk { try flush() }
    }

    /// Writes the lines gathered so far (buffered writers).
    public func flush() throws(RecordingError) {
        guard !buffer.isEmpty else { return }
        defer { buffer.removeAll() }
        if let code = buffer.withBytes({ POSIX.writeAll(fd, $0) }) {
            throw .outputUnusable(destination, POSIX.errorText(code))
        }
    }

    /// Flushes the file to disk (for files; standard output is left alone).
    public func synchronize() {
        if ownsDescriptor {
            _ = POSIX.fsync(fd)
        }
    }

    private static let chunkSize = 1 << 16
    private static let clearLine: [UInt8] = Array("\r\u{1B}[K".utf8)

    /// Whether the file open at `fd` is not empty and its last byte is not a newline.
    private static func endsInsideALine(_ fd: Int32) -> Bool {
        var info = stat()
        guard fstat(fd, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG, info.st_size > 0 else { return false }
        var last: UInt8 = 0
        let count = POSIX.retryingInterrupts { pread(fd, &last, 1, info.st_size - 1) }
        return count == 1 && last != UInt8(ascii: "\n")
    }
}

extension RowStatus {
    /// The status's place in `NDJSONResultWriter`'s tally: one of 0 ..< `allCases.count`, each once.
    fileprivate var ordinal: Int {
        switch self {
        case .planned: return 0
        case .started: return 1
        case .failed: return 2
        case .invalid: return 3
        case .duplicate: return 4
        case .skipped: return 5
        case .uncertain: return 6
        }
    }
}
