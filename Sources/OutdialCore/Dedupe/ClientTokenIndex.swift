/// The `ClientToken`s that rows of one run give themselves, so that two different requests never
/// carry the same token: Connect starts one contact per token and answers every later request
/// that carries it with that same contact, so the second call would never be dialled.
///
/// Only rows' own tokens are kept (derived tokens differ whenever their dedupe keys do).
public struct ClientTokenIndex: Sendable {
    /// Where a token was first given.
    public struct Origin: Sendable, Hashable {
        /// The file, as given on the command line.
        public var source: String
        /// 0-based row in its file.
        public var row: Int
        /// 1-based line where the row starts.
        public var line: Int
        /// How the row is named in field paths (`contacts[0]`), or nil for a file of one request.
        public var rowPath: String?
        /// The digest of the request's exact body: equal bodies are the same request.
        public var body: KeyDigest
    }

    /// What a token given again means.
    public enum Verdict: Sendable, Hashable {
        /// The token is new: the row keeps it.
        case new
        /// The same request was given before with the same token: the row is a duplicate of it.
        case sameRequest(Origin)
        /// A different request already carries the token: the row is invalid.
        case otherRequest(Origin)
    }

    /// By the digest of the token: 16 bytes a token, however long it is.
    private var origins: [KeyDigest: Origin] = [:]

    public init() {}

    /// How many distinct tokens have been claimed.
    public var count: Int { origins.count }

    /// Claims `token` for the request `origin` describes, unless an earlier row holds it.
    public mutating func claim(_ token: String, by origin: Origin) -> Verdict {
        let key = KeyDigest(of: Array(token.utf8))
        guard let first = origins[key] else {
            origins[key] = origin
            return .new
        }
        return first.body == origin.body ? .sameRequest(first) : .otherRequest(first)
    }
}
