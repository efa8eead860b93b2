/// A job file that cannot be read: it stops the run before anything is sent.
///
/// `code` is a stable short name (what NDJSON `error.code` carries and tests compare); `description`
/// reads `file:line:col: error: message`, as compilers print it.
public struct ReadError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The kinds of read errors, each named by its `ErrorCode` constant.
    struct Code: Sendable, Hashable {
        let rawValue: String

        static let parseError = Code(rawValue: ErrorCode.parseError)
        static let invalidUTF8 = Code(rawValue: ErrorCode.invalidUTF8)
        static let invalidCharacter = Code(rawValue: ErrorCode.invalidCharacter)
        static let emptyFile = Code(rawValue: ErrorCode.emptyFile)
        static let tooDeep = Code(rawValue: ErrorCode.tooDeep)
        static let tooLarge = Code(rawValue: ErrorCode.tooLarge)
        static let aliasLimit = Code(rawValue: ErrorCode.aliasLimit)
        static let undefinedAlias = Code(rawValue: ErrorCode.undefinedAlias)
        static let invalidMerge = Code(rawValue: ErrorCode.invalidMerge)
        static let duplicateKey = Code(rawValue: ErrorCode.duplicateKey)
        static let nonScalarKey = Code(rawValue: ErrorCode.nonScalarKey)
        static let multipleDocuments = Code(rawValue: ErrorCode.multipleDocuments)
        static let unreadableFile = Code(rawValue: ErrorCode.unreadableFile)
        static let invalidJSON = Code(rawValue: ErrorCode.invalidJSON)
        static let invalidCSV = Code(rawValue: ErrorCode.invalidCSV)
        static let raggedRow = Code(rawValue: ErrorCode.raggedRow)
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
    /// InvalidJSON (a `.json` file that is not strict JSON), InvalidCSV (a quote out of place in a CSV file),
    /// RaggedRow (a CSV row with more or fewer cells than its header).
    public var code: String { kind.rawValue }

    public var description: String {
        if let mark { return "\(file):\(mark.line):\(mark.column): error: \(message)" }
        return "\(file): error: \(message)"
    }
}
