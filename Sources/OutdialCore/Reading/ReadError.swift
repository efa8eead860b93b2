/// A job file that cannot be read: it stops the run before anything is sent.
///
/// `code` is a stable short name (what NDJSON `error.code` carries and tests compare); `description`
/// reads `file:line:col: error: message`, as compilers print it.
public struct ReadError: Error, Sendable, Hashable, CustomStringConvertible {
    enum Code: String, Sendable {
        case parseError = "ParseError"
        case invalidUTF8 = "InvalidUTF8"
        case invalidCharacter = "InvalidCharacter"
        case emptyFile = "EmptyFile"
        case tooDeep = "TooDeep"
        case tooLarge = "TooLarge"
        case aliasLimit = "AliasLimit"
        case undefinedAlias = "UndefinedAlias"
        case invalidMerge = "InvalidMerge"
        case duplicateKey = "DuplicateKey"
        case nonScalarKey = "NonScalarKey"
        case multipleDocuments = "MultipleDocuments"
        case unreadableFile = "UnreadableFile"
        case invalidJSON = "InvalidJSON"
    }

    private let kind: Code
    /// What went wrong, in words.
    public let message: String
    /// The file, as it was named to the reader.
    public let file: String
    /// Where in the file, when known.
    public let mark: SourceMark?

    init(_ kind: Code, _ message: String, file: String, mark: SourceMark?) {
        self.kind = kind
        self.message = message
        self.file = file
        self.mark = mark
    }

    /// Stable short name: ParseError, InvalidUTF8, InvalidCharacter, EmptyFile, TooDeep, TooLarge, AliasLimit,
    /// UndefinedAlias, InvalidMerge, DuplicateKey, NonScalarKey, MultipleDocuments, UnreadableFile,
    /// InvalidJSON (a `.json` file that is not strict JSON).
    public var code: String { kind.rawValue }

    public var description: String {
        if let mark { return "\(file):\(mark.line):\(mark.column): error: \(message)" }
        return "\(file): error: \(message)"
    }
}
