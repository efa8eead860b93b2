import OutdialBase

/// One line of a results file (results.md), as `outdial replay` needs it.
public struct ResultsFileLine: Sendable {
    /// The row's job id, source file, row index and line in its job file, as the line gives them.
    public var ref: RowRef
    public var status: RowStatus
    /// `reason` of a `skipped` line (`already-started`, `deadline`, …), if any.
    public var reason: String?
    /// The time zone the row was judged in (`timezone`, or `window.timezone` of a planned line):
    /// an IANA name, several joined by `,`, or `none`.
    public var timezone: String?
    /// `outcome` of a followed call, `at` (when it started) and `attempt` (absent: 1).
    public var outcome: String?
    public var at: String?
    public var attempt: Int = 1
    /// `destination` as written (a full phone number: mask it before showing it anywhere but a
    /// results file).
    public var destination: String?
    /// `error.code` and `error.message`, when the line has an `error`.
    public var error: RowError?
    /// The `request` object, ready for `RequestValidator` / `JobPlanner.planRequest`; its marks point into
    /// the results file (`line` is the results file's line, columns count characters in it).
    public var request: Node?
    /// The 1-based line of the results file this came from.
    public var resultsLine: Int
    /// The results file, as named in messages.
    public var resultsFile: String

    /// The key replay keeps the latest line of: (job, source, row).
    public var key: Key { Key(job: ref.job, source: ref.source, row: ref.row) }

    public struct Key: Sendable, Hashable {
        public var job: String
        public var source: String
        public var row: Int
    }
}

/// Reads a results file (NDJSON) with a strict JSON reader, line by line, streaming: each line becomes a
/// `ResultsFileLine`, its `request` a `Node` whose marks point into the results file, so that the same
/// validator as job rows reports `results.ndjson:LINE:COL`. Keeping the latest line per (job, source,
/// row) is the caller's choice.
///
/// ```swift
/// let reader = ResultsReader(path: "results.ndjson")
/// let warnings = try reader.read { line in latest[line.key] = line }
/// ```
public struct ResultsReader: Sendable {
    /// The path given; `-` is standard input.
    public let path: String
    /// The name used in messages (the path unless told otherwise).
    public let displayName: String
    /// Bounds: `maxFileBytes` for the file, `maxTokenLength` for one line, `maxDepth` for nesting.
    public let limits: ReadLimits

    public init(path: String, displayName: String? = nil, limits: ReadLimits = .init()) {
        self.path = path
        self.displayName = displayName ?? (path == "-" ? "<stdin>" : path)
        self.limits = limits
    }

    /// Reads every line, calling `body` for each results line, in file order.
    /// - Returns: warnings for lines skipped (`results.ndjson:LINE:COL: warning: …`): a line that is not
    ///   complete JSON (a run cut off by a crash leaves at most a partial last line) or not a results line.
    /// - Throws: `ReadError` when the file cannot be opened or read or breaks a limit; whatever `body` throws.
    public func read(_ body: (ResultsFileLine) throws -> Void) throws -> [Diagnostic] {
        let descriptor: Int32
        if path == "-" {
            descriptor = 0
        } else {
            descriptor = try InputSource.open(path: path, rawPath: nil, name: displayName)
        }
        defer { if descriptor != 0 { POSIX.close(descriptor) } }
        var warnings: [Diagnostic] = []
        var pending: [UInt8] = []
        var lineNumber = 0
        var total = 0
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let count = chunk.withUnsafeMutableBytes {
                POSIX.read(descriptor, into: $0.baseAddress!, capacity: $0.count)
            }
            if count < 0 {
                throw ReadError(
                    .unreadableFile,
                    "cannot read the file: \(errorText(errno))",
                    file: displayName,
                    mark: nil
                )
            }
            total += count
            guard total <= limits.maxFileBytes else {
                throw ReadError(
                    .tooLarge,
                    "the input is larger than the limit of \(ReadLimits.describe(bytes: limits.maxFileBytes)) "
                        + "(\(limits.maxFileBytes) bytes)",
                    file: displayName,
                    mark: nil
                )
            }
            if count == 0 { break }
            var start = 0
            while let newline = chunk[start ..< count].firstIndex(of: UInt8(ascii: "\n")) {
                pending.append(contentsOf: chunk[start ..< newline])
                lineNumber += 1
                try take(pending, line: lineNumber, warnings: &warnings, body)
                pending.removeAll(keepingCapacity: true)
                start = newline + 1
            }
            pending.append(contentsOf: chunk[start ..< count])
            guard pending.count <= limits.maxTokenLength else {
                throw ReadError(
                    .tooLarge,
                    "line \(lineNumber + 1) is longer than the limit of \(limits.maxTokenLength) bytes",
                    file: displayName,
                    mark: SourceMark(line: lineNumber + 1, column: 1)
                )
            }
        }
        if !pending.isEmpty {
            lineNumber += 1
            try take(pending, line: lineNumber, warnings: &warnings, body)
        }
        return warnings
    }

    private func take(
        _ bytes: [UInt8],
        line: Int,
        warnings: inout [Diagnostic],
        _ body: (ResultsFileLine) throws -> Void
    ) throws {
        if bytes.allSatisfy({ $0 == 0x20 || $0 == 0x0D || $0 == 0x09 }) { return }
        let node: Node
        do {
            var parser = JSONNodeParser(bytes: bytes, line: line, maxDepth: limits.maxDepth)
            node = try parser.parse()
        } catch let failure as JSONNodeParser.Failure {
            warnings.append(
                warning(
                    "not complete JSON (\(failure.message)); ignored",
                    SourceMark(line: line, column: failure.column)
                )
            )
            return
        }
        guard let parsed = Self.resultsLine(node, line: line, file: displayName) else {
            warnings.append(
                warning(
                    "not a results line (job, source, row, line and status are needed); ignored",
                    SourceMark(line: line, column: 1)
                )
            )
            return
        }
        try body(parsed)
    }

    private func warning(_ message: String, _ mark: SourceMark) -> Diagnostic {
        Diagnostic(
            .warning,
            code: ErrorCode.invalidResultsLine,
            field: "",
            message: message,
            file: displayName,
            mark: mark
        )
    }

    /// The fields of one results line; nil when one it needs is missing or of the wrong kind.
    static func resultsLine(_ node: Node, line: Int, file: String) -> ResultsFileLine? {
        guard case .mapping(let entries) = node.value else { return nil }
        func field(_ name: String) -> Node? { entries.last(where: { $0.key == name })?.value }
        func text(_ name: String) -> String? {
            guard let node = field(name), case .scalar(let text, .doubleQuoted) = node.value else { return nil }
            return text
        }
        func integer(_ name: String) -> Int? {
            guard let node = field(name), case .scalar(let text, .plain) = node.value else { return nil }
            return ValidationNumbers.jsonInteger(text)
        }
        guard let job = text("job"), let source = text("source"), let row = integer("row"), row >= 0,
            let status = text("status").flatMap(RowStatus.init(rawValue:))
        else { return nil }
        var request = field("request")
        if request?.isNull == true { request = nil }
        var error: RowError?
        if case .mapping(let fields)? = field("error")?.value,
            case .scalar(let code, .doubleQuoted)? = fields.last(where: { $0.key == "code" })?.value.value
        {
            let message = fields.last(where: { $0.key == "message" })?.value.scalarText ?? ""
            error = RowError(code: code, message: message)
        }
        var timezone = text("timezone")
        if timezone == nil, case .mapping(let window)? = field("window")?.value,
            case .scalar(let zone, .doubleQuoted)? = window.last(where: { $0.key == "timezone" })?.value.value
        {
            timezone = zone
        }
        return ResultsFileLine(
            ref: RowRef(job: job, source: source, row: row, line: integer("line") ?? line),
            status: status,
            reason: text("reason"),
            timezone: timezone,
            outcome: text("outcome"),
            at: text("at"),
            attempt: integer("attempt") ?? 1,
            destination: text("destination"),
            error: error,
            request: request,
            resultsLine: line,
            resultsFile: file
        )
    }
}
