import OutdialBase

/// File helpers the records need beyond `POSIX`'s single calls.
enum SystemCalls {
    /// The text of an `errno` value; see `POSIX.errorText(_:)`.
    static func errorText(_ code: Int32 = errno) -> String {
        POSIX.errorText(code)
    }

    /// Writes all of `bytes` (see `POSIX.writeAll(_:_:)`). Returns `nil` or the errno text.
    static func writeAll(_ fd: Int32, _ bytes: [UInt8]) -> String? {
        POSIX.writeAll(fd, bytes).map { POSIX.errorText($0) }
    }

    /// Reads a whole file, never through a symbolic link; `nil` if it does not exist.
    static func readFile(_ path: String) throws(SystemCallError) -> [UInt8]? {
        let fd = POSIX.open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)
        if fd < 0 {
            if errno == ENOENT { return nil }
            throw SystemCallError(text: linkAwareErrorText())
        }
        defer { POSIX.close(fd) }
        var result: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let count = chunk.withUnsafeMutableBytes { POSIX.read(fd, into: $0.baseAddress!, capacity: $0.count) }
            if count < 0 { throw SystemCallError(text: POSIX.errorText()) }
            if count == 0 { break }
            result.append(contentsOf: chunk[0 ..< count])
        }
        return result
    }

    /// `errno`'s text, saying "is a symbolic link" for the `ELOOP` of an `O_NOFOLLOW` open.
    static func linkAwareErrorText(_ code: Int32 = errno) -> String {
        code == ELOOP ? "is a symbolic link, which outdial does not follow here" : POSIX.errorText(code)
    }

    /// `mkdir -p`, creating missing directories with `mode`.
    static func makeDirectories(_ path: String, mode: mode_t) -> String? {
        var prefix = path.hasPrefix("/") ? "/" : ""
        for component in path.split(separator: "/") {
            prefix += component
            if mkdir(prefix, mode) != 0 && errno != EEXIST {
                return "\(prefix): \(POSIX.errorText())"
            }
            prefix += "/"
        }
        var info = stat()
        if stat(path, &info) != 0 { return POSIX.errorText() }
        if (info.st_mode & S_IFMT) != S_IFDIR { return "not a directory" }
        return nil
    }
}

struct SystemCallError: Error {
    var text: String
}
