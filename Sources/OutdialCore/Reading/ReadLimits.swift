/// Bounds that keep a hostile or broken job file (or results file) from exhausting time or memory.
///
/// Every limit stops the read with a `ReadError` that names the file and the limit:
/// - `maxFileBytes` (default 1 GiB): the bytes read from one file or standard input
///   (`validate /dev/zero` stops there, code `TooLarge`);
/// - `maxTokenLength` (default 2 Mi characters): the input libyaml may scan without producing a
///   token: one scalar, key, anchor or tag, or one run of blank lines and comments (code `TooLarge`);
/// - `maxScalarBytes` (default 1 MiB): one scalar's text, in UTF-8 bytes (code `TooLarge`);
/// - `maxDepth` (default 64): nesting of maps and lists (code `TooDeep`);
/// - `maxAliasNodes` / `aliasNodesPerEvent`: what aliases may expand to (code `AliasLimit`).
public struct ReadLimits: Sendable, Hashable {
    /// Deepest nesting of maps and lists allowed (the root map or list is level 1).
    public var maxDepth: Int
    /// Nodes that aliases may bring in whatever the file's size.
    public var maxAliasNodes: Int
    /// Beyond `maxAliasNodes`, aliases may bring in this many nodes per event parsed so far.
    public var aliasNodesPerEvent: Int
    /// Longest scalar accepted, in UTF-8 bytes.
    public var maxScalarBytes: Int
    /// Largest input accepted, in bytes.
    public var maxFileBytes: Int
    /// Most characters libyaml may scan without producing a token (a scalar being scanned, or
    /// blank lines and comments): bounds libyaml's own buffers while a token is still open.
    public var maxTokenLength: Int

    public init(
        maxDepth: Int = 64,
        maxAliasNodes: Int = 10_000,
        aliasNodesPerEvent: Int = 10,
        maxScalarBytes: Int = 1 << 20,
        maxFileBytes: Int = 1 << 30,
        maxTokenLength: Int = 2 << 20
    ) {
        self.maxDepth = maxDepth
        self.maxAliasNodes = maxAliasNodes
        self.aliasNodesPerEvent = aliasNodesPerEvent
        self.maxScalarBytes = maxScalarBytes
        self.maxFileBytes = maxFileBytes
        self.maxTokenLength = maxTokenLength
    }

    /// A byte count as people read it: `1 GiB`, `2 MiB`, `512 KiB`, else bytes.
    static func describe(bytes: Int) -> String {
        for (shift, unit) in [(30, "GiB"), (20, "MiB"), (10, "KiB")]
        where bytes >= 1 << shift && bytes % (1 << shift) == 0 {
            return "\(bytes >> shift) \(unit)"
        }
        return "\(bytes) bytes"
    }
}
