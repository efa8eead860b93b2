import OutdialCore

// The codes of `LedgerInputError`: what the user asked of the ledger cannot be done as asked.
extension ErrorCode {
    /// A number given to `outdial suppress` (or a cell of an imported file) is not an E.164 number.
    public static let invalidPhoneNumber = "InvalidPhoneNumber"
    /// A suppression file cannot be opened or read.
    public static let suppressionFileUnreadable = "SuppressionFileUnreadable"
    /// A suppression file has bad lines (each reported as a diagnostic); nothing was imported.
    public static let suppressionFileInvalid = "SuppressionFileInvalid"
    /// A line of a CSV suppression file is not well-formed CSV (a quote out of place, a missing cell).
    public static let malformedCSV = "MalformedCSV"
    /// A CSV suppression file has no column for the numbers.
    public static let numberColumnMissing = "NumberColumnMissing"
    /// `outdial ledger prune` was asked to delete attempts the limits still count (without `--force`).
    public static let pruneWithinLimitWindow = "PruneWithinLimitWindow"
    /// `outdial stop` stopped the row's job before the row's intent was recorded.
    public static let stopped = "Stopped"
}
