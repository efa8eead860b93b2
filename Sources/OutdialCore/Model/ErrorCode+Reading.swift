/// The codes of reading a file (``ReadError``) and of its structure: the file cannot be read or
/// parsed, or its top level is not a job, so nothing is sent (exit 2).
extension ErrorCode {
    /// libyaml could not parse the file (the message is libyaml's problem, with its place).
    public static let parseError = "ParseError"
    /// Bytes that are not UTF-8.
    public static let invalidUTF8 = "InvalidUTF8"
    /// A control character (NUL, ...) that YAML and JSON do not allow.
    public static let invalidCharacter = "InvalidCharacter"
    /// A file with nothing in it, or only comments.
    public static let emptyFile = "EmptyFile"
    /// Maps and lists nested deeper than the reading limit.
    public static let tooDeep = "TooDeep"
    /// A file, token or scalar larger than the reading limits.
    public static let tooLarge = "TooLarge"
    /// Aliases that would expand past the reading limit.
    public static let aliasLimit = "AliasLimit"
    /// An alias (`*name`) without its anchor.
    public static let undefinedAlias = "UndefinedAlias"
    /// A merge key (`<<`) whose value is not a map or a list of maps.
    public static let invalidMerge = "InvalidMerge"
    /// A map key that is a map or a list.
    public static let nonScalarKey = "NonScalarKey"
    /// More than one YAML document in a file.
    public static let multipleDocuments = "MultipleDocuments"
    /// A file that cannot be opened or read (the reason is the system's).
    public static let unreadableFile = "UnreadableFile"
    /// A `.json` file that is not strict JSON (RFC 8259).
    public static let invalidJSON = "InvalidJSON"
    /// A CSV contacts file with a quote out of place: never closed, inside an unquoted cell, or
    /// followed by text.
    public static let invalidCSV = "InvalidCSV"
    /// A CSV row with more or fewer cells than the header has columns.
    public static let raggedRow = "RaggedRow"
    /// A CSV header cell that is neither a request field nor `Attributes.KEY` (without `columns`),
    /// or a column named twice in the header.
    public static let unknownColumn = "UnknownColumn"
    /// A column named in `contacts.columns` that the CSV header does not have.
    public static let missingColumn = "MissingColumn"
    /// The top level is not one of the three shapes, or a job key is misplaced.
    public static let invalidStructure = "InvalidStructure"
    /// A line of a results file that is not complete JSON or not a results line (replay skips it).
    public static let invalidResultsLine = "InvalidResultsLine"
}
