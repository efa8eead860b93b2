import OutdialBase

/// The `--summary` file: replaced whole, created with mode 0600 like results (an existing file
/// keeps its mode).
enum SummaryFile {
    /// Writes `bytes` to `path`.
    /// - Returns: nil, or why it could not be written.
    static func write(_ bytes: [UInt8], to path: String) -> String? {
        let fd = POSIX.open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode: 0o600)
        guard fd >= 0 else { return POSIX.errorText() }
        defer { POSIX.close(fd) }
        if let code = POSIX.writeAll(fd, bytes) { return POSIX.errorText(code) }
        return nil
    }
}
