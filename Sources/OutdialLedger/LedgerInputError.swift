import OutdialCore

/// What the user asked of the ledger cannot be done as asked: a number that is not E.164, a
/// suppression file with bad lines, a prune that would forget attempts the limits count. Nothing
/// was changed; the user fixes the input (exit 2). `code` is the stable short name.
public struct LedgerInputError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The stable short name (an `ErrorCode`).
    public let code: String
    /// A sentence for the user.
    public let message: String
    /// Every problem found in an input file, `file:line:col: error: …` each.
    public let diagnostics: [Diagnostic]

    private init(_ code: String, _ message: String, diagnostics: [Diagnostic] = []) {
        self.code = code
        self.message = message
        self.diagnostics = diagnostics
    }

    public var description: String { "\(code): \(message)" }

    /// `text` is not an E.164 number.
    public static func invalidPhoneNumber(_ text: String) -> LedgerInputError {
        LedgerInputError(ErrorCode.invalidPhoneNumber, "number: " + phoneProblem(text))
    }

    /// The file cannot be opened or read.
    public static func fileUnreadable(_ path: String, _ reason: String) -> LedgerInputError {
        LedgerInputError(ErrorCode.suppressionFileUnreadable, "cannot read \(path): \(reason)")
    }

    /// The file has bad lines; `omitted` more were found than are listed.
    public static func fileInvalid(_ path: String, _ diagnostics: [Diagnostic], omitted: Int) -> LedgerInputError {
        let count = diagnostics.count + omitted
        let more = omitted > 0 ? " (the first \(diagnostics.count) are listed)" : ""
        return LedgerInputError(
            ErrorCode.suppressionFileInvalid,
            "\(path) has \(count) bad \(count == 1 ? "line" : "lines")\(more); nothing was imported: "
                + "fix the file and import it again",
            diagnostics: diagnostics
        )
    }

    /// Pruning before `cutoff` would delete attempts a limit of `window` seconds still counts.
    public static func pruneWithinLimitWindow(olderThan seconds: Int, window: Int) -> LedgerInputError {
        LedgerInputError(
            ErrorCode.pruneWithinLimitWindow,
            "--older-than \(ContactLimit.durationText(seconds)) is shorter than the longest limit window "
                + "(\(ContactLimit.durationText(window))): the limits count the attempts it would delete, so a "
                + "number could be called again too soon; use --older-than \(ContactLimit.durationText(window)) "
                + "or more, or --force"
        )
    }

    /// What was found and what is allowed, for a number that is not E.164.
    static func phoneProblem(_ text: String) -> String {
        "found \"\(text)\"; expected an E.164 number: +, country code and number, 2 to 15 digits "
            + "(spaces, -, ., ( and ) are ignored; no country code is assumed)"
    }
}
