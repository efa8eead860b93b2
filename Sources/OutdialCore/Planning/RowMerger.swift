/// Merges a row with the job's `defaults`: `Attributes` and `References` merge key by key (the
/// row wins), every other field of the row replaces the default, and a plain `null` in the row
/// removes the default. Keys keep the defaults' order, with the row's new keys after them.
enum RowMerger {
    static func mergesKeyByKey(_ key: String) -> Bool { key == "Attributes" || key == "References" }

    /// `a == b`, with the cheap length test first: most keys compared here differ in length.
    @inline(__always)
    static func sameKey(_ a: String, _ b: String) -> Bool {
        a.utf8.count == b.utf8.count && a == b
    }

    static func merge(defaults: [Node.Entry], row: [Node.Entry]) -> [Node.Entry] {
        if defaults.isEmpty { return row }
        var merged: [Node.Entry] = []
        merged.reserveCapacity(defaults.count + row.count)
        for base in defaults {
            guard let override = row.first(where: { sameKey($0.key, base.key) }) else {
                merged.append(base)
                continue
            }
            if override.value.isNull { continue }
            if mergesKeyByKey(base.key), case .mapping(let baseMap) = base.value.value,
                case .mapping(let rowMap) = override.value.value
            {
                let combined = mergeMap(baseMap, rowMap)
                merged.append(
                    Node.Entry(
                        key: override.key,
                        keyMark: override.keyMark,
                        value: Node(.mapping(combined), at: override.value.mark)
                    )
                )
            } else {
                merged.append(override)
            }
        }
        for entry in row where !defaults.contains(where: { sameKey($0.key, entry.key) }) {
            merged.append(entry)
        }
        return merged
    }

    /// Key by key: the row's value wins, a row's `null` removes the key.
    static func mergeMap(_ base: [Node.Entry], _ row: [Node.Entry]) -> [Node.Entry] {
        var out: [Node.Entry] = []
        out.reserveCapacity(base.count + row.count)
        for entry in base {
            if let override = row.first(where: { sameKey($0.key, entry.key) }) {
                if !override.value.isNull { out.append(override) }
            } else {
                out.append(entry)
            }
        }
        for entry in row where !base.contains(where: { sameKey($0.key, entry.key) }) {
            out.append(entry)
        }
        return out
    }
}
