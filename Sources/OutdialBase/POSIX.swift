/// The POSIX calls outdial makes, each retried on `EINTR` in this one place, with errors as the
/// `errno` text. Descriptors are plain `Int32`s owned by the caller.
public enum POSIX {
    /// The text of an `errno` value (`strerror`).
    public static func errorText(_ code: Int32 = errno) -> String {
        String(cString: strerror(code))
    }

    /// Calls `body` again while it fails with `EINTR`; returns its last result (`errno` is set
    /// when that is -1).
    @inlinable
    public static func retryingInterrupts<Result: BinaryInteger>(_ body: () -> Result) -> Result {
        while true {
            let result = body()
            if result == -1 && errno == EINTR { continue }
            return result
        }
    }

    /// `open(2)`, retried on `EINTR`. Returns the descriptor, or -1 with `errno` set.
    public static func open(_ path: String, _ flags: Int32, mode: mode_t = 0) -> Int32 {
        retryingInterrupts { Glibc_open(path, flags, mode) }
    }

    /// Writes all of `bytes`, retrying on `EINTR` and short writes.
    /// - Returns: `nil`, or the `errno` of the failed write.
    public static func writeAll(_ descriptor: Int32, _ bytes: UnsafeRawBufferPointer) -> Int32? {
        guard var base = bytes.baseAddress else { return nil }
        var remaining = bytes.count
        while remaining > 0 {
            let written = retryingInterrupts { write(descriptor, base, remaining) }
            if written < 0 { return errno }
            base += written
            remaining -= written
        }
        return nil
    }

    /// Writes all of `bytes`; see ``writeAll(_:_:)-(_,UnsafeRawBufferPointer)``.
    public static func writeAll(_ descriptor: Int32, _ bytes: [UInt8]) -> Int32? {
        bytes.withUnsafeBytes { writeAll(descriptor, $0) }
    }

    /// Reads up to `capacity` bytes into `buffer`, retried on `EINTR`.
    /// - Returns: the count read (0 at end of file), or -1 with `errno` set.
    public static func read(_ descriptor: Int32, into buffer: UnsafeMutableRawPointer, capacity: Int) -> Int {
        retryingInterrupts { Glibc_read(descriptor, buffer, capacity) }
    }

    /// Reads `descriptor` to its end, keeping at most `limit` bytes.
    /// - Parameter drain: keep reading (and dropping) past the limit to the end, so that a
    ///   process writing to a pipe never blocks; otherwise stop at the limit.
    /// - Returns: the bytes, whether more were there, and the `errno` of a failed read.
    public static func readAll(
        _ descriptor: Int32,
        limit: Int = .max,
        drain: Bool = false
    ) -> (bytes: [UInt8], truncated: Bool, error: Int32?) {
        var bytes: [UInt8] = []
        var truncated = false
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let count = chunk.withUnsafeMutableBytes { buffer in
                guard let base = buffer.baseAddress else { return 0 }
                return read(descriptor, into: base, capacity: buffer.count)
            }
            if count < 0 { return (bytes, truncated, errno) }
            if count == 0 { return (bytes, truncated, nil) }
            let kept = min(count, limit - bytes.count)
            bytes += chunk[..<kept]
            if kept < count {
                truncated = true
                if !drain { return (bytes, truncated, nil) }
            }
        }
    }

    /// `fsync(2)`, retried on `EINTR`. Returns `nil` or the `errno`.
    public static func fsync(_ descriptor: Int32) -> Int32? {
        retryingInterrupts { Glibc_fsync(descriptor) } == 0 ? nil : errno
    }

    /// Makes the directory entry of `path` durable: `fsync` on its parent directory. Failures are
    /// ignored (some file systems refuse `fsync` on a directory; nothing better can be done).
    public static func synchronizeDirectory(containing path: String) {
        let parent: String
        if let slash = path.lastIndex(of: "/") {
            parent = slash == path.startIndex ? "/" : String(path[..<slash])
        } else {
            parent = "."
        }
        let descriptor = open(parent, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard descriptor >= 0 else { return }
        _ = fsync(descriptor)
        close(descriptor)
    }

    /// `close(2)`; an `EINTR` is not retried (the descriptor is gone either way on Linux).
    public static func close(_ descriptor: Int32) {
        _ = Glibc_close(descriptor)
    }
}

// The C functions under names that the wrappers above do not shadow.
@usableFromInline func Glibc_open(_ path: String, _ flags: Int32, _ mode: mode_t) -> Int32 {
    open(path, flags, mode)
}
@usableFromInline func Glibc_read(_ fd: Int32, _ buffer: UnsafeMutableRawPointer, _ count: Int) -> Int {
    read(fd, buffer, count)
}
@usableFromInline func Glibc_fsync(_ fd: Int32) -> Int32 { fsync(fd) }
@usableFromInline func Glibc_close(_ fd: Int32) -> Int32 { close(fd) }
