/// Reads one job file (YAML or JSON) through libyaml in one pass, streaming: the items of the top-level
/// `contacts` list (or of a top-level list) are built and handed over one at a time, so memory stays flat
/// however many rows the file has. The file is opened once and its bytes are hashed as libyaml reads them,
/// so a FIFO, a pipe or standard input works as a regular file does.
public struct DocumentReader: Sendable {
    /// The path given; `-` is standard input.
    public let path: String
    /// The path's bytes, when they are not valid UTF-8 (opened as given).
    public let rawPath: [UInt8]?
    /// The name used in messages (the path unless told otherwise; `<stdin>` for `-`).
    public let displayName: String
    /// The format asked for, or nil to pick it from the extension, then by sniffing.
    public let format: DocumentFormat?
    public let limits: ReadLimits

    /// - Parameters:
    ///   - path: The file to read; `-` reads standard input.
    ///   - rawPath: The path's bytes, for a name that is not valid UTF-8; `path` is then only its display form.
    ///   - displayName: The name for messages; defaults to `path`, or `<stdin>` for `-`.
    ///   - format: Forces YAML or JSON; by default the extension decides, else the first non-blank byte.
    ///     JSON named by the extension or asked for is read strictly (RFC 8259); sniffed JSON leniently.
    ///   - limits: Bounds on size, token length, depth, alias expansion and scalar size.
    public init(
        path: String,
        rawPath: [UInt8]? = nil,
        displayName: String? = nil,
        format: DocumentFormat? = nil,
        limits: ReadLimits = .init()
    ) {
        self.path = path
        self.rawPath = rawPath
        self.displayName = displayName ?? (path == "-" ? "<stdin>" : path)
        self.format = format
        self.limits = limits
    }

    /// Reads the document into `visitor`, in file order; the visitor's `end(sha256Hex:)` gets the SHA-256 of
    /// every byte read.
    /// - Throws: `ReadError` for a file that cannot be read or parsed, or whatever the visitor throws.
    public func read<V: DocumentVisitor>(into visitor: inout V) throws {
        let origin: InputSource.Origin
        if path == "-" && rawPath == nil {
            origin = .descriptor(0, owned: false)
        } else {
            origin = .descriptor(try InputSource.open(path: path, rawPath: rawPath, name: displayName), owned: true)
        }
        let source = InputSource(origin: origin, name: displayName, limits: limits)
        let named = format ?? DocumentFormat(pathExtensionOf: path)
        source.setFormat(named ?? source.sniffFormat(), strictJSON: named == .json)
        try DocumentParser(source: source, limits: limits).read(into: &visitor)
    }

    /// Parses a whole small document (e.g. one NDJSON line) into a Node. JSON is read strictly.
    /// - Throws: `ReadError`.
    public static func parse(
        bytes: [UInt8],
        name: String,
        format: DocumentFormat = .json,
        limits: ReadLimits = .init()
    ) throws -> Node {
        let source = InputSource(origin: .memory(bytes), name: name, limits: limits)
        source.setFormat(format, strictJSON: true)
        return try DocumentParser(source: source, limits: limits).parseWhole()
    }
}
