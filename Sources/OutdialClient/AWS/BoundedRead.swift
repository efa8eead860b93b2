import OutdialBase

/// Reads whole files and pipes with bounded memory. A file is read the way the AWS CLI reads its
/// config files: whatever can be opened and read (a regular file, `/dev/null`, a FIFO or a
/// `<(...)` substitution, read once), up to a limit, so that `/dev/zero` fails instead of filling
/// memory.
enum BoundedRead {
    /// Why a file could not be read, e.g. `Permission denied` or `is larger than 8 MiB`.
    struct Failure: Error, Sendable, Hashable {
        let reason: String
    }

    /// The contents of the file at `path`.
    /// - Returns: `nil` when there is no such file.
    /// - Throws: ``Failure`` when it exists but cannot be read, or holds more than `limit` bytes.
    static func file(_ path: String, limit: Int) throws(Failure) -> [UInt8]? {
        // Non-blocking open, so that a FIFO nobody writes to reads as empty instead of waiting.
        let descriptor = POSIX.open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
        guard descriptor >= 0 else {
            let code = errno
            if code == ENOENT || code == ENOTDIR { return nil }
            throw Failure(reason: POSIX.errorText(code))
        }
        defer { POSIX.close(descriptor) }
        let flags = fcntl(descriptor, F_GETFL)
        if flags >= 0 { _ = fcntl(descriptor, F_SETFL, flags & ~O_NONBLOCK) }
        let result = POSIX.readAll(descriptor, limit: limit)
        if let code = result.error { throw Failure(reason: POSIX.errorText(code)) }
        guard !result.truncated else { throw Failure(reason: "is larger than \(sizeText(limit))") }
        return result.bytes
    }

    private static func sizeText(_ bytes: Int) -> String {
        bytes >= 1 << 20 ? "\(bytes >> 20) MiB" : "\(bytes >> 10) KiB"
    }
}
