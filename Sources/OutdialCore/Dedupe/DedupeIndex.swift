/// The rows seen so far in one run, by the digest of their dedupe key: the first row with a key
/// wins, later ones are duplicates of it.
///
/// Memory: 24 bytes per slot in an open-addressing table kept at most half full, whatever the
/// length of the keys. The digests are keyed SipHash values, already uniform, so they index the
/// table directly.
public struct DedupeIndex: Sendable {
    /// Where the first row with a key came from.
    public struct Origin: Sendable, Hashable {
        /// Index of the source in `sources`.
        public var sourceIndex: Int32
        public var row: Int32
    }

    /// One slot of the table: a digest and where it was first seen, side by side so that a probe
    /// touches one cache line. `row == -1` marks an empty slot.
    private struct Slot {
        var high: UInt64
        var low: UInt64
        var origin: Origin

        static let empty = Slot(high: 0, low: 0, origin: Origin(sourceIndex: 0, row: -1))
    }

    private var slots: [Slot]
    private var mask: Int
    /// How many distinct keys have been seen.
    public private(set) var count = 0
    /// The sources of this run, in the order they were planned.
    public private(set) var sources: [String] = []
    /// The rows' own ClientTokens (see `claimClientToken(of:ref:rowPath:)`).
    var tokens = ClientTokenIndex()

    public init() {
        let capacity = 1 << 12
        slots = [Slot](repeating: .empty, count: capacity)
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
        while slots[slot].origin.row != -1 {
            if slots[slot].high == digest.high, slots[slot].low == digest.low {
                let first = slots[slot].origin
                return (sources[Int(first.sourceIndex)], Int(first.row))
            }
            slot = (slot + 1) & mask
        }
        slots[slot] = Slot(
            high: digest.high,
            low: digest.low,
            origin: Origin(sourceIndex: Int32(truncatingIfNeeded: sourceIndex), row: Int32(clamping: row))
        )
        count += 1
        if count * 2 > slots.count { grow() }
        return nil
    }

    private mutating func grow() {
        let old = slots
        let capacity = old.count * 2
        slots = [Slot](repeating: .empty, count: capacity)
        mask = capacity - 1
        for entry in old where entry.origin.row != -1 {
            var slot = Int(truncatingIfNeeded: entry.low) & mask
            while slots[slot].origin.row != -1 { slot = (slot + 1) & mask }
            slots[slot] = entry
        }
    }
}
