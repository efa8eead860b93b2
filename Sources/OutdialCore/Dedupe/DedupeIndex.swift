/// The rows seen so far in one run, by the digest of their dedupe key: the first row with a key
/// wins, later ones are duplicates of it.
///
/// Memory: 24 bytes per slot in an open-addressing table kept at most half full, whatever the
/// length of the keys. The digests are SHA-256 prefixes, already uniform, so they index the
/// table directly.
public struct DedupeIndex: Sendable {
    /// Where the first row with a key came from.
    public struct Origin: Sendable, Hashable {
        /// Index of the source in `sources`.
        public var sourceIndex: Int32
        public var row: Int32
    }

    private var highs: [UInt64]
    private var lows: [UInt64]
    /// Origins; `row == -1` marks an empty slot.
    private var origins: [Origin]
    private var mask: Int
    /// How many distinct keys have been seen.
    public private(set) var count = 0
    /// The sources of this run, in the order they were planned.
    public private(set) var sources: [String] = []

    public init() {
        let capacity = 1 << 12
        highs = [UInt64](repeating: 0, count: capacity)
        lows = [UInt64](repeating: 0, count: capacity)
        origins = [Origin](repeating: Origin(sourceIndex: 0, row: -1), count: capacity)
        mask = capacity - 1
    }

    /// Registers a new source and returns its index.
    public mutating func addSource(_ source: String) -> Int {
        sources.append(source)
        return sources.count - 1
    }

    /// Records the row when its key is new.
    /// - Returns: nil when the key is new, else the source and row of the earlier row it repeats.
    public mutating func insert(_ digest: KeyDigest, sourceIndex: Int, row: Int) -> (source: String, row: Int)? {
        var slot = Int(truncatingIfNeeded: digest.low) & mask
        while origins[slot].row != -1 {
            if highs[slot] == digest.high, lows[slot] == digest.low {
                let first = origins[slot]
                return (sources[Int(first.sourceIndex)], Int(first.row))
            }
            slot = (slot + 1) & mask
        }
        highs[slot] = digest.high
        lows[slot] = digest.low
        origins[slot] = Origin(sourceIndex: Int32(truncatingIfNeeded: sourceIndex), row: Int32(clamping: row))
        count += 1
        if count * 2 > origins.count { grow() }
        return nil
    }

    private mutating func grow() {
        let oldHighs = highs
        let oldLows = lows
        let oldOrigins = origins
        let capacity = origins.count * 2
        highs = [UInt64](repeating: 0, count: capacity)
        lows = [UInt64](repeating: 0, count: capacity)
        origins = [Origin](repeating: Origin(sourceIndex: 0, row: -1), count: capacity)
        mask = capacity - 1
        for index in oldOrigins.indices where oldOrigins[index].row != -1 {
            var slot = Int(truncatingIfNeeded: oldLows[index]) & mask
            while origins[slot].row != -1 { slot = (slot + 1) & mask }
            highs[slot] = oldHighs[index]
            lows[slot] = oldLows[index]
            origins[slot] = oldOrigins[index]
        }
    }
}
