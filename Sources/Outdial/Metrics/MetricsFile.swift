import OutdialBase

/// The `--metrics-file` file, in node_exporter's textfile-collector format: each write goes to a
/// temporary file beside it (whose name does not end in `.prom`, so the collector never reads it
/// half-written) and is renamed over it, so a scrape sees the old figures or the new, whole.
struct MetricsFile: Sendable {
    var path: String

    /// Replaces the file with `bytes` (mode 0644: a collector running as another user reads it).
    /// - Returns: nil, or why it could not be written.
    func write(_ bytes: [UInt8]) -> String? {
        let temporary = "\(path).\(getpid()).tmp"
        let fd = POSIX.open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode: 0o644)
        guard fd >= 0 else { return POSIX.errorText() }
        if let code = POSIX.writeAll(fd, bytes) {
            POSIX.close(fd)
            unlink(temporary)
            return POSIX.errorText(code)
        }
        POSIX.close(fd)
        guard rename(temporary, path) == 0 else {
            let problem = POSIX.errorText()
            unlink(temporary)
            return problem
        }
        return nil
    }

    /// The file's text now, if it can be read (an earlier run's figures).
    func read() -> String? {
        let fd = POSIX.open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { POSIX.close(fd) }
        let (bytes, _, _) = POSIX.readAll(fd, limit: 16 << 20)
        return String(decoding: bytes, as: UTF8.self)
    }
}
