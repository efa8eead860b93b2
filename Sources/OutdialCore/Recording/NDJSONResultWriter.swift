#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Writes result lines as NDJSON to standard output or appends them to a file.
///
/// Each line goes out in a single `write(2)` (with `O_APPEND` for files), so a crash leaves at
/// most a partial last line and lines of concurrent writers never interleave mid-line.
public final class NDJSONResultWriter: ResultSink {
    /// Where lines go, for messages (`-` for standard output).
    public let destination: String
    private let fd: Int32
    private let ownsDescriptor: Bool
    /// Lines written, per status.
    public private(set) var counts: [RowStatus: Int] = [:]

    /// A writer to an open descriptor it does not close (standard output by default).
    public init(fileDescriptor: Int32 = STDOUT_FILENO, name: String = "-") {
        self.fd = fileDescriptor
        self.ownsDescriptor = false
        self.destination = name
    }

    /// A writer appending to `path`, created with mode 0600 if missing (results hold phone
    /// numbers). An existing file keeps its mode.
    /// - Throws: `RecordingError.outputUnusable`.
    public init(appendingTo path: String) throws(RecordingError) {
        let fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o600)
        if fd < 0 {
            throw .outputUnusable(path, SystemCalls.errorText())
        }
        self.fd = fd
        self.ownsDescriptor = true
        self.destination = path
    }

    deinit {
        if ownsDescriptor {
            close(fd)
        }
    }

    /// Lines written so far.
    public var total: Int { counts.values.reduce(0, +) }

    public func write(_ line: ResultLine) throws(RecordingError) {
        if let problem = SystemCalls.writeAll(fd, line.ndjson()) {
            throw .outputUnusable(destination, problem)
        }
        counts[line.status, default: 0] += 1
    }

    /// Flushes the file to disk (for files; standard output is left alone).
    public func synchronize() {
        if ownsDescriptor {
            _ = fsync(fd)
        }
    }
}
