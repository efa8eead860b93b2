import Foundation

@testable import OutdialCore

/// Records what a `DocumentReader` hands its visitor, as lines a test can compare.
struct RecordingVisitor: DocumentVisitor {
    var log: [String] = []
    var contacts: [Node] = []
    var entries: [Node.Entry] = []
    var failAtContact: Int?

    struct Stop: Error {}

    mutating func begin(root: RootKind, at mark: SourceMark) throws { log.append("begin \(root) \(mark)") }
    mutating func entry(_ entry: Node.Entry) throws {
        entries.append(entry)
        log.append("entry \(entry.key)@\(entry.keyMark) = \(render(entry.value))")
    }
    mutating func beginContacts(keyMark: SourceMark, at mark: SourceMark) throws {
        log.append("contacts \(keyMark) \(mark)")
    }
    mutating func contact(_ node: Node, index: Int) throws {
        if index == failAtContact { throw Stop() }
        contacts.append(node)
        log.append("contact \(index) \(render(node))")
    }
    var sha256Hex = ""
    mutating func end(sha256Hex: String) throws {
        self.sha256Hex = sha256Hex
        log.append("end")
    }
}

/// A node as text with every mark: `{key@1:1: value@1:6}`; quoted scalars keep their quotes.
func render(_ node: Node) -> String {
    switch node.value {
    case .scalar(let text, let style):
        let shown: String
        switch style {
        case .plain: shown = text
        case .singleQuoted: shown = "'\(text)'"
        case .doubleQuoted: shown = "\"\(text)\""
        case .literal: shown = "|\(text)"
        case .folded: shown = ">\(text)"
        }
        return "\(shown)@\(node.mark)"
    case .mapping(let entries):
        return "{" + entries.map { "\($0.key)@\($0.keyMark): \(render($0.value))" }.joined(separator: ", ")
            + "}@\(node.mark)"
    case .sequence(let items):
        return "[" + items.map(render).joined(separator: ", ") + "]@\(node.mark)"
    }
}

/// A fresh temporary directory for one test's files.
struct TemporaryFiles {
    let directory: URL

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "outdial-reading-\(UUID().uuidString)"
        )
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    func write(_ name: String, _ text: String) throws -> String {
        try write(name, Array(text.utf8))
    }

    func write(_ name: String, _ bytes: [UInt8]) throws -> String {
        let url = directory.appendingPathComponent(name)
        try Data(bytes).write(to: url)
        return url.path
    }

    func remove() {
        try? FileManager.default.removeItem(at: directory)
    }
}

/// Reads `text` as a file named `name` and returns what the visitor saw.
func record(_ text: String, name: String = "job.yaml", limits: ReadLimits = .init()) throws -> RecordingVisitor {
    try record(bytes: Array(text.utf8), name: name, limits: limits)
}

func record(bytes: [UInt8], name: String = "job.yaml", limits: ReadLimits = .init()) throws -> RecordingVisitor {
    let files = try TemporaryFiles()
    defer { files.remove() }
    let path = try files.write(name, bytes)
    var visitor = RecordingVisitor()
    try DocumentReader(path: path, displayName: name, limits: limits).read(into: &visitor)
    return visitor
}

/// The `ReadError` reading `text` throws, or nil.
func readError(_ text: String, name: String = "job.yaml", limits: ReadLimits = .init()) -> ReadError? {
    readError(bytes: Array(text.utf8), name: name, limits: limits)
}

func readError(bytes: [UInt8], name: String = "job.yaml", limits: ReadLimits = .init()) -> ReadError? {
    do {
        _ = try record(bytes: bytes, name: name, limits: limits)
        return nil
    } catch let error as ReadError {
        return error
    } catch {
        return nil
    }
}

func fixture(_ name: String) throws -> URL {
    guard let url = Bundle.module.url(forResource: name, withExtension: nil, subdirectory: "Resources/reading") else {
        throw CocoaError(.fileNoSuchFile)
    }
    return url
}
