import OutdialBase

/// One problem found in a job file, with where it is.
///
/// Printed as `file:line:col: error: <field>: <what was found>; <what is allowed>`, where the
/// field is a dotted path that names the row (`contacts[3].Attributes.optIn`).
public struct Diagnostic: Sendable, Hashable, CustomStringConvertible {
    public enum Severity: String, Sendable, Hashable {
        case error
        case warning
    }

    public var severity: Severity
    /// A stable short name (`InvalidDestinationPhoneNumber`, `UnknownField`, ...), as it appears
    /// in the `error.code` of an `invalid` result line.
    public var code: String
    /// The dotted path of the field inside the request or job (`Attributes.optIn`,
    /// `References.doc.Type`, `pacing.rate`); empty for the file as a whole.
    public var field: String
    /// What was found and what is allowed, separated by `; `.
    public var message: String
    /// The file as given on the command line.
    public var file: String
    public var mark: SourceMark
    /// How the row is named in the field path (`contacts[3]`, `[3]`), or nil outside rows.
    public var rowPath: String?

    public init(
        _ severity: Severity = .error,
        code: String,
        field: String,
        message: String,
        file: String,
        mark: SourceMark,
        rowPath: String? = nil
    ) {
        self.severity = severity
        self.code = code
        self.field = field
        self.message = message
        self.file = file
        self.mark = mark
        self.rowPath = rowPath
    }

    /// The field path including the row: `contacts[3].DestinationPhoneNumber`.
    public var path: String {
        guard let rowPath else { return field }
        return field.isEmpty ? rowPath : rowPath + "." + field
    }

    /// `field: message`, as used for the `message` of an `invalid` result line.
    public var summary: String {
        let path = self.path
        return path.isEmpty ? message : path + ": " + message
    }

    /// `file:line:col`, the file name with any control characters escaped (one line, always).
    public var location: String { "\(file.printable):\(mark.line):\(mark.column)" }

    public var description: String { "\(location): \(severity.rawValue): \(summary)" }
}

/// A problem in a job file that stops the run before anything is sent: the file cannot be read
/// or parsed, or its structure is wrong. Carries every diagnostic found.
public struct JobFileError: Error, Sendable, CustomStringConvertible {
    public var diagnostics: [Diagnostic]

    public init(_ diagnostics: [Diagnostic]) {
        self.diagnostics = diagnostics
    }

    public var description: String { diagnostics.map(\.description).joined(separator: "\n") }
}
