// The codes of problems found while comparing rows with each other.
extension ErrorCode {
    /// A row's own `ClientToken` is already the token of another, different request of the run.
    public static let duplicateClientToken = "DuplicateClientToken"
}
