import OutdialBase

/// File helpers the records need beyond `POSIX`'s single calls.
enum SystemCalls {
    /// Reads a whole file, never through a symbolic link; `nil` if it does not exist.
    static func readFile(_ path: String) throws(SystemCallError) -> [UInt8]? {
        let fd = POSIX.open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)
        if fd < 0 {
            if errno == ENOENT { return nil }
            throw SystemCallError(text: linkAwareErrorText())
        }
        defer { POSIX.close(fd) }
        let result = POSIX.readAll(fd)
        if let code = result.error { throw SystemCallError(text: POSIX.errorText(code)) }
        return result.bytes
    }

    /// `errno`'s text, saying "is a symbolic link" for the `ELOOP` of an `O_NOFOLLOW` open.
    static func linkAwareErrorText(_ code: Int32 = errno) -> String {
        code == ELOOP ? "is a symbolic link, which outdial does not follow here" : POSIX.errorText(code)
    }

    /// `mkdir -p`, creating missing directories with `mode`. Each directory it creates has its
    /// entry made durable (its parent is fsynced), so it survives a power cut with the journals
    /// that go into it.
    static func makeDirectories(_ path: String, mode: mode_t) -> String? {
        var prefix = path.hasPrefix("/") ? "/" : ""
        for component in path.split(separator: "/") {
            prefix += component
            if mkdir(prefix, mode) == 0 {
                POSIX.synchronizeDirectory(containing: prefix)
            } else if errno != EEXIST {
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
