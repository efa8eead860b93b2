#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Thin wrappers over the POSIX calls the records need.
enum SystemCalls {
    /// The text of the current `errno`.
    static func errorText(_ code: Int32 = errno) -> String {
        String(cString: strerror(code))
    }

    /// Writes all of `bytes`, retrying on `EINTR` and short writes. Returns `nil` or the errno text.
    static func writeAll(_ fd: Int32, _ bytes: [UInt8]) -> String? {
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeBytes { buffer in
                write(fd, buffer.baseAddress! + offset, buffer.count - offset)
            }
            if written < 0 {
                if errno == EINTR { continue }
                return errorText()
            }
            offset += written
        }
        return nil
    }

    /// Reads a whole file; `nil` if it does not exist.
    static func readFile(_ path: String) throws(SystemCallError) -> [UInt8]? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        if fd < 0 {
            if errno == ENOENT { return nil }
            throw SystemCallError(text: errorText())
        }
        defer { close(fd) }
        var result: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress!, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                throw SystemCallError(text: errorText())
            }
            if count == 0 { break }
            result.append(contentsOf: chunk[0 ..< count])
        }
        return result
    }

    /// `mkdir -p` with the given mode for directories it creates.
    static func makeDirectories(_ path: String, mode: mode_t) -> String? {
        var prefix = path.hasPrefix("/") ? "/" : ""
        for component in path.split(separator: "/") {
            prefix += component
            if mkdir(prefix, mode) != 0 && errno != EEXIST {
                return "\(prefix): \(errorText())"
            }
            prefix += "/"
        }
        var info = stat()
        if stat(path, &info) != 0 { return errorText() }
        if (info.st_mode & S_IFMT) != S_IFDIR { return "not a directory" }
        return nil
    }
}

struct SystemCallError: Error {
    var text: String
}
