import OutdialBase

/// Turns `JOB` arguments into job files to read: a file as is (a FIFO, `/dev/stdin` or a process
/// substitution too: it is opened once and read like standard input), a directory as every regular
/// `.yaml`, `.yml` and `.json` file in it in name order, `-` as standard input. Nothing is opened here;
/// the reader opens each file once.
///
/// Paths are bytes: a name that is not valid UTF-8 keeps its bytes in `JobInput.rawPath` and is shown
/// escaped (`caf\xE9.yaml`).
public struct JobSources: Sendable {
    /// The extensions of job files in a directory.
    public static let extensions: Set<String> = ["yaml", "yml", "json"]

    /// The job files, in order.
    public var inputs: [JobInput] = []
    /// Arguments that name nothing readable.
    public var failures: [JobFileError] = []
    /// Files left out of directories (not regular files), as `path: note: …` lines.
    public var notes: [String] = []

    /// - Parameters:
    ///   - arguments: the `JOB` arguments as given.
    ///   - rawBytes: an argument's bytes when they are not valid UTF-8 (the command line's own), else nil.
    public init(arguments: [String], rawBytes: (String) -> [UInt8]? = { _ in nil }) {
        for argument in arguments {
            if argument == "-" {
                inputs.append(JobInput(path: "-", source: "-"))
                continue
            }
            let bytes = rawBytes(argument) ?? Array(argument.utf8)
            add(bytes: bytes, shown: Self.display(bytes))
        }
    }

    private mutating func add(bytes: [UInt8], shown: String) {
        let raw = Self.isUTF8(bytes) ? nil : bytes
        var info = stat()
        guard Self.statBytes(bytes, &info) else {
            let reason = errno == ENOENT ? "no such file or directory" : errorText(errno)
            failures.append(Self.failure(shown, "\(reason); expected a job file, a directory or -"))
            return
        }
        guard (info.st_mode & S_IFMT) == S_IFDIR else {
            inputs.append(JobInput(path: shown, rawPath: raw))
            return
        }
        addDirectory(bytes: bytes, shown: shown)
    }

    private mutating func addDirectory(bytes: [UInt8], shown: String) {
        let terminated = bytes.map { CChar(bitPattern: $0) } + [0]
        guard let directory = terminated.withUnsafeBufferPointer({ opendir($0.baseAddress!) }) else {
            failures.append(Self.failure(shown, "cannot list the directory: \(errorText(errno))"))
            return
        }
        defer { closedir(directory) }
        var names: [[UInt8]] = []
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in Array(raw.prefix(while: { $0 != 0 })) }
            guard name.first != UInt8(ascii: "."), Self.hasJobExtension(name) else { continue }
            names.append(name)
        }
        names.sort { $0.lexicographicallyPrecedes($1) }
        let base = bytes.last == UInt8(ascii: "/") ? bytes : bytes + [UInt8(ascii: "/")]
        var found = 0
        for name in names {
            let path = base + name
            let shownPath = Self.display(path)
            var info = stat()
            if Self.statBytes(path, &info), (info.st_mode & S_IFMT) != S_IFREG {
                notes.append(
                    "\(shownPath): note: skipped: \(Self.kind(info.st_mode)), not a regular file; "
                        + "name it on its own to read it"
                )
                continue
            }
            // A name that cannot be followed is left to the reader, which says why.
            found += 1
            inputs.append(JobInput(path: shownPath, rawPath: Self.isUTF8(path) ? nil : path))
        }
        if found == 0 {
            failures.append(Self.failure(shown, "a directory without .yaml, .yml or .json files; expected job files"))
        }
    }

    private static func statBytes(_ path: [UInt8], _ info: inout stat) -> Bool {
        let terminated = path.map { CChar(bitPattern: $0) } + [0]
        return terminated.withUnsafeBufferPointer { statPath($0.baseAddress!, &info) } == 0
    }

    private static func kind(_ mode: mode_t) -> String {
        switch mode & S_IFMT {
        case S_IFIFO: return "a FIFO"
        case S_IFSOCK: return "a socket"
        case S_IFCHR: return "a character device"
        case S_IFBLK: return "a block device"
        case S_IFDIR: return "a directory"
        default: return "a special file"
        }
    }

    /// Whether a file name ends in `.yaml`, `.yml` or `.json` (any case): a job file in a
    /// directory or a drop folder.
    public static func hasJobExtension(_ name: String) -> Bool {
        hasJobExtension(Array(name.utf8))
    }

    static func hasJobExtension(_ name: [UInt8]) -> Bool {
        guard let dot = name.lastIndex(of: UInt8(ascii: ".")) else { return false }
        let ext = String(decoding: name[(dot + 1)...], as: UTF8.self).lowercased()
        return extensions.contains(ext)
    }

    static func isUTF8(_ bytes: [UInt8]) -> Bool {
        var iterator = bytes.makeIterator()
        var decoder = UTF8()
        while true {
            switch decoder.decode(&iterator) {
            case .scalarValue: continue
            case .emptyInput: return true
            case .error: return false
            }
        }
    }

    /// A path for messages: valid UTF-8 as it is; every byte of an invalid sequence as `\xHH`.
    public static func display(_ bytes: [UInt8]) -> String {
        if isUTF8(bytes) { return String(decoding: bytes, as: UTF8.self) }
        var text = ""
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            let width =
                byte < 0x80 ? 1 : byte & 0xE0 == 0xC0 ? 2 : byte & 0xF0 == 0xE0 ? 3 : byte & 0xF8 == 0xF0 ? 4 : 0
            if width > 0, index + width <= bytes.count, isUTF8(Array(bytes[index ..< index + width])) {
                text += String(decoding: bytes[index ..< index + width], as: UTF8.self)
                index += width
            } else {
                text += "\\x" + hexDigits(UInt32(byte), count: 2)
                index += 1
            }
        }
        return text
    }

    private static func failure(_ argument: String, _ message: String) -> JobFileError {
        JobFileError([
            Diagnostic(
                code: ErrorCode.unreadableFile,
                field: "",
                message: message,
                file: argument,
                mark: SourceMark(line: 1, column: 1)
            )
        ])
    }
}

/// `stat(2)` of a path given as a C string.
private func statPath(_ path: UnsafePointer<CChar>, _ info: inout stat) -> Int32 {
    stat(path, &info)
}
