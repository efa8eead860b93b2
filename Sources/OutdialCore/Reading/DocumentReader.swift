import Crypto
import Foundation

/// Reads one job file (YAML or JSON) through libyaml, streaming: the items of the top-level `contacts` list
/// (or of a top-level list) are built and handed over one at a time, so memory stays flat however many rows
/// the file has.
public struct DocumentReader: Sendable {
    /// The path given; `-` is standard input.
    public let path: String
    /// The name used in messages (the path unless told otherwise; `<stdin>` for `-`).
    public let displayName: String
    /// The format asked for, or nil to pick it from the extension, then by sniffing.
    public let format: DocumentFormat?
    public let limits: ReadLimits
    private let standardInput: StandardInputBuffer?

    /// - Parameters:
    ///   - path: The file to read; `-` reads standard input (buffered once, shared by `read` and `sha256Hex`).
    ///   - displayName: The name for messages; defaults to `path`, or `<stdin>` for `-`.
    ///   - format: Forces YAML or JSON; by default the extension decides, else the first non-blank byte.
    ///   - limits: Bounds on depth, alias expansion and scalar size.
    public init(path: String, displayName: String? = nil, format: DocumentFormat? = nil, limits: ReadLimits = .init()) {
        self.path = path
        self.displayName = displayName ?? (path == "-" ? "<stdin>" : path)
        self.format = format
        self.limits = limits
        standardInput = path == "-" ? StandardInputBuffer() : nil
    }

    /// Reads the document into `visitor`, in file order.
    /// - Throws: `ReadError` for a file that cannot be read or parsed, or whatever the visitor throws.
    public func read<V: DocumentVisitor>(into visitor: inout V) throws {
        let source = try InputSource(origin: try origin(), name: displayName)
        source.setFormat(format ?? DocumentFormat(pathExtensionOf: path) ?? source.sniffFormat())
        try DocumentParser(source: source, limits: limits).read(into: &visitor)
    }

    /// SHA-256 (lowercase hex) of the file's bytes, read streaming (for job ids). For `-`, standard input is
    /// buffered once and reused by `read(into:)`.
    /// - Throws: `ReadError` with code UnreadableFile.
    public func sha256Hex() throws -> String {
        var hasher = SHA256()
        switch try origin() {
        case .memory(let bytes):
            hasher.update(data: bytes)
        case .file:
            let descriptor = try InputSource.openFile(path, name: displayName)
            defer { close(descriptor) }
            var chunk = [UInt8](repeating: 0, count: 1 << 16)
            while true {
                let count = chunk.withUnsafeMutableBufferPointer {
                    Foundation.read(descriptor, $0.baseAddress!, $0.count)
                }
                if count == 0 { break }
                if count < 0 {
                    if errno == EINTR { continue }
                    throw ReadError(
                        .unreadableFile,
                        "cannot read the file: \(errorText(errno))",
                        file: displayName,
                        mark: nil
                    )
                }
                hasher.update(data: chunk[0 ..< count])
            }
        }
        return hasher.finalize().map { hexDigits(UInt32($0), count: 2).lowercased() }.joined()
    }

    /// Parses a whole small document (e.g. one NDJSON line) into a Node.
    /// - Throws: `ReadError`.
    public static func parse(
        bytes: [UInt8],
        name: String,
        format: DocumentFormat = .json,
        limits: ReadLimits = .init()
    ) throws -> Node {
        let source = try InputSource(origin: .memory(bytes), name: name)
        source.setFormat(format)
        return try DocumentParser(source: source, limits: limits).parseWhole()
    }

    private func origin() throws -> InputSource.Origin {
        if let standardInput { return .memory(try standardInput.bytes(name: displayName)) }
        return .file(path)
    }
}

/// Standard input, read to the end once and kept, so that hashing and parsing see the same bytes.
private final class StandardInputBuffer: @unchecked Sendable {
    private let lock = NSLock()
    private var loaded: [UInt8]?

    func bytes(name: String) throws -> [UInt8] {
        lock.lock()
        defer { lock.unlock() }
        if let loaded { return loaded }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let count = chunk.withUnsafeMutableBufferPointer { Foundation.read(0, $0.baseAddress!, $0.count) }
            if count == 0 { break }
            if count < 0 {
                if errno == EINTR { continue }
                throw ReadError(
                    .unreadableFile,
                    "cannot read standard input: \(errorText(errno))",
                    file: name,
                    mark: nil
                )
            }
            bytes.append(contentsOf: chunk[0 ..< count])
        }
        loaded = bytes
        return bytes
    }
}
