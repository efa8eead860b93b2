/// Bounds that keep a hostile or broken job file from exhausting time or memory.
public struct ReadLimits: Sendable, Hashable {
    /// Deepest nesting of maps and lists allowed (the root map or list is level 1).
    public var maxDepth: Int
    /// Nodes that aliases may bring in whatever the file's size.
    public var maxAliasNodes: Int
    /// Beyond `maxAliasNodes`, aliases may bring in this many nodes per event parsed so far.
    public var aliasNodesPerEvent: Int
    /// Longest scalar accepted, in UTF-8 bytes.
    public var maxScalarBytes: Int

    public init(
        maxDepth: Int = 64,
        maxAliasNodes: Int = 10_000,
        aliasNodesPerEvent: Int = 10,
        maxScalarBytes: Int = 1 << 20
    ) {
        self.maxDepth = maxDepth
        self.maxAliasNodes = maxAliasNodes
        self.aliasNodesPerEvent = aliasNodesPerEvent
        self.maxScalarBytes = maxScalarBytes
    }
}
