import Foundation

/// An AWS config or credentials file, parsed the way botocore reads them (Python's `configparser`
/// in raw, strict mode): `[section]` headers, `key = value` or `key: value`, keys lower-cased,
/// whole-line comments starting with `#` or `;`, continuation lines indented deeper than their
/// key, and a value that starts on the line after its key (`connect =` then indented lines) read
/// as a nested section of `key = value` lines.
public struct AWSConfigFile: Sendable, Hashable {
    /// One setting's value.
    public enum Value: Sendable, Hashable {
        case text(String)
        /// A value whose first line is empty: the indented `key = value` lines under it.
        case nested([String: String])

        /// The text of a plain value.
        public var text: String? {
            if case .text(let text) = self { return text }
            return nil
        }
    }

    /// Settings by section name (as written between the brackets, trimmed) and key.
    public private(set) var sections: [String: [String: Value]]

    /// An empty file.
    public init() {
        self.sections = [:]
    }

    /// Parses file contents.
    /// - Parameter path: the file's path, used in error messages only.
    /// - Throws: ``AWSConfigurationError`` (`InvalidConfigFile`) naming the file and line.
    public init(parsing text: String, path: String) throws {
        var sections: [String: [String: [String]]] = [:]
        var sectionOrder: [String] = []
        var currentSection: String?
        var currentKey: String?
        var keyIndent = 0

        func fail(_ line: Int, _ message: String) -> AWSConfigurationError {
            .invalidConfigFile("\(path):\(line): \(message)")
        }

        var lineNumber = 0
        for rawLine in text.split(separator: "\n", omittingEmptySubsequences: false) {
            lineNumber += 1
            let line = rawLine.hasSuffix("\r") ? rawLine.dropLast() : rawLine[...]
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty {
                // Blank lines inside a multi-line value are kept; they are dropped when joined.
                if let section = currentSection, let key = currentKey {
                    sections[section]?[key]?.append("")
                }
                continue
            }
            if trimmed.hasPrefix("#") || trimmed.hasPrefix(";") {
                continue
            }
            let indent = line.prefix { $0 == " " || $0 == "\t" }.count
            if let section = currentSection, let key = currentKey, indent > keyIndent {
                sections[section]?[key]?.append(trimmed)
                continue
            }
            keyIndent = indent
            if trimmed.hasPrefix("["), let close = trimmed.lastIndex(of: "]") {
                let name = trimmed[trimmed.index(after: trimmed.startIndex) ..< close]
                    .trimmingCharacters(in: .whitespaces)
                guard !name.isEmpty else { throw fail(lineNumber, "empty section name") }
                guard sections[name] == nil else {
                    throw fail(lineNumber, "section [\(name)] appears twice")
                }
                sections[name] = [:]
                sectionOrder.append(name)
                currentSection = name
                currentKey = nil
                continue
            }
            guard let section = currentSection else {
                throw fail(lineNumber, "a setting before any [section] header")
            }
            guard let delimiter = trimmed.firstIndex(where: { $0 == "=" || $0 == ":" }) else {
                throw fail(lineNumber, "expected `key = value`")
            }
            let key = trimmed[..<delimiter].trimmingCharacters(in: .whitespaces).lowercased()
            guard !key.isEmpty else { throw fail(lineNumber, "a setting without a name") }
            guard sections[section]?[key] == nil else {
                throw fail(lineNumber, "`\(key)` appears twice in [\(section)]")
            }
            let value = trimmed[trimmed.index(after: delimiter)...].trimmingCharacters(in: .whitespaces)
            sections[section]?[key] = [value]
            currentKey = key
        }

        var parsed: [String: [String: Value]] = [:]
        for name in sectionOrder {
            var settings: [String: Value] = [:]
            for (key, lines) in sections[name] ?? [:] {
                settings[key] = Self.value(joining: lines)
            }
            parsed[name] = settings
        }
        self.sections = parsed
    }

    /// The largest config or credentials file outdial reads.
    static let sizeLimit = 8 << 20

    /// Reads and parses a file as the AWS CLI does: a missing file is an empty one, and anything
    /// that can be opened and read counts, so `/dev/null` is empty and a FIFO or `<(...)` is read
    /// once.
    /// - Throws: ``AWSConfigurationError`` (`InvalidConfigFile`) when the file exists but cannot
    ///   be read (a directory, no permission, larger than 8 MiB) or parsed.
    public static func load(path: String) throws -> AWSConfigFile {
        let bytes: [UInt8]
        do {
            guard let read = try BoundedRead.file(path, limit: sizeLimit) else { return AWSConfigFile() }
            bytes = read
        } catch {
            throw AWSConfigurationError.invalidConfigFile("\(path) cannot be read: \(error.reason)")
        }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw AWSConfigurationError.invalidConfigFile("\(path): not UTF-8 text")
        }
        return try AWSConfigFile(parsing: text, path: path)
    }

    private static func value(joining lines: [String]) -> Value {
        var lines = lines
        while let last = lines.last, last.isEmpty, lines.count > 1 { lines.removeLast() }
        guard lines.count > 1, lines[0].isEmpty else {
            return .text(lines.joined(separator: "\n"))
        }
        var nested: [String: String] = [:]
        for line in lines.dropFirst() where !line.isEmpty {
            guard let equals = line.firstIndex(of: "=") else { continue }
            let key = line[..<equals].trimmingCharacters(in: .whitespaces)
            nested[key] = line[line.index(after: equals)...].trimmingCharacters(in: .whitespaces)
        }
        return .nested(nested)
    }
}
