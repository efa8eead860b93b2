/// The rows seen so far in one run, by the digest of their dedupe key: the first row with a key
/// wins, later ones are duplicates of it. Memory: one fixed-size entry per distinct key.
public struct DedupeIndex: Sendable {
    /// Where the first row with a key came from.
    public struct Origin: Sendable, Hashable {
        /// Index of the source in `sources`.
        public var sourceIndex: Int32
        public var row: Int32
    }

    private var firstRows: [KeyDigest: Origin] = [:]
    /// The sources of this run, in the order they were planned.
    public private(set) var sources: [String] = []

    public init() {}

    /// Registers a new source and returns its index.
    public mutating func addSource(_ source: String) -> Int {
        sources.append(source)
        return sources.count - 1
    }

    /// Records the row when its key is new.
    /// - Returns: nil when the key is new, else the source and row of the earlier row it repeats.
    public mutating func insert(_ digest: KeyDigest, sourceIndex: Int, row: Int) -> (source: String, row: Int)? {
        let origin = Origin(sourceIndex: Int32(truncatingIfNeeded: sourceIndex), row: Int32(truncatingIfNeeded: row))
        if let first = firstRows[digest] {
            return (sources[Int(first.sourceIndex)], Int(first.row))
        }
        firstRows[digest] = origin
        return nil
    }

    /// How many distinct keys have been seen.
    public var count: Int { firstRows.count }
}
