/// What a job file's root node is.
public enum RootKind: Sendable, Hashable {
    case mapping
    case sequence
    case scalar
}

/// Receives a document from `DocumentReader`, one piece at a time, in file order.
///
/// Only the items of the top-level `contacts` list (or of a top-level list) are streamed; every other
/// top-level entry arrives fully built. Errors thrown here stop the read and propagate to the caller.
public protocol DocumentVisitor {
    /// The document's root kind, before anything else.
    mutating func begin(root: RootKind, at mark: SourceMark) throws
    /// A top-level map entry, fully built (every entry except the items of `contacts`).
    mutating func entry(_ entry: Node.Entry) throws
    /// The top-level `contacts` key was found and its value is a sequence (items follow).
    mutating func beginContacts(keyMark: SourceMark, at mark: SourceMark) throws
    /// One item of the top-level `contacts` sequence, or of a top-level sequence root. index is 0-based.
    mutating func contact(_ node: Node, index: Int) throws
    /// End of the document, with the lower-case hex SHA-256 of every byte of the file.
    mutating func end(sha256Hex: String) throws
}
