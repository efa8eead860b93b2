// TEMPORARY: the reading interface, declared here until Sources/OutdialCore/Reading/ provides it.
// Delete this file when the reader is merged.
import Foundation

public enum RootKind: Sendable { case mapping, sequence, scalar }

public enum DocumentFormat: Sendable { case yaml, json }

public struct ReadLimits: Sendable { public init() {} }

public struct ReadError: Error, CustomStringConvertible {
    public var code: String
    public var message: String
    public var file: String
    public var mark: SourceMark?
    public var description: String { "\(file):\(mark?.description ?? "1:1"): error: \(message)" }
}

public protocol DocumentVisitor {
    mutating func begin(root: RootKind, at mark: SourceMark) throws
    mutating func entry(_ entry: Node.Entry) throws
    mutating func beginContacts(keyMark: SourceMark, at mark: SourceMark) throws
    mutating func contact(_ node: Node, index: Int) throws
    mutating func end() throws
}

public struct DocumentReader {
    let path: String
    let displayName: String
    public init(path: String, displayName: String? = nil, format: DocumentFormat? = nil, limits: ReadLimits = .init()) {
        self.path = path
        self.displayName = displayName ?? path
    }
    public func read<V: DocumentVisitor>(into visitor: inout V) throws {
        throw ReadError(code: "NotAvailable", message: "the reader is not available", file: displayName, mark: nil)
    }
    public func sha256Hex() throws -> String { "" }
}
