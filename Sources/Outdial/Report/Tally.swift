/// Counts by name, listed most frequent first (names in order on a tie).
public struct Tally: Sendable, Equatable {
    public private(set) var counts: [String: Int] = [:]

    public init() {}

    /// Adds `count` to `name`.
    public mutating func add(_ name: String, _ count: Int = 1) {
        counts[name, default: 0] += count
    }

    /// The count of `name` (0 when never added).
    public subscript(name: String) -> Int { counts[name] ?? 0 }

    /// Every count added together.
    public var total: Int { counts.values.reduce(0, +) }

    public var isEmpty: Bool { counts.isEmpty }

    /// The names and counts, most frequent first.
    public var sorted: [(name: String, count: Int)] {
        counts.map { (name: $0.key, count: $0.value) }
            .sorted { $0.count != $1.count ? $0.count > $1.count : $0.name < $1.name }
    }

    /// Adds every count of `other`.
    public mutating func add(_ other: Tally) {
        for (name, count) in other.counts { add(name, count) }
    }
}
