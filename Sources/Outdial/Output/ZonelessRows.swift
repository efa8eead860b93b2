import OutdialCore

/// `validate`'s warnings about rows with no time zone: with a calling window they are never called
/// (`skipped: no-timezone`). The first few are named one by one, the rest counted per file.
struct ZonelessRows {
    /// Rows named one by one per file.
    static let namedPerFile = 5

    private var counts: [String: Int] = [:]
    private var order: [String] = []
    private(set) var named: [String] = []

    mutating func note(_ row: PlannedRow) {
        let source = row.ref.source
        let count = counts[source, default: 0]
        if count == 0 { order.append(source) }
        counts[source] = count + 1
        guard count < Self.namedPerFile else { return }
        named.append(
            "\(source):\(row.ref.line):1: warning: row \(row.ref.row): no time zone is known for its number, "
                + "so it will be skipped (no-timezone); give the row timezone: or the job's window a fallbackTimezone:"
        )
    }

    /// The warnings, in file order: the rows named, then a count per file of the rest.
    var warnings: [String] {
        var lines = named
        for source in order {
            let count = counts[source, default: 0]
            guard count > Self.namedPerFile else { continue }
            lines.append(
                "\(source): warning: \(count) rows in all have no time zone and will be skipped (no-timezone)"
            )
        }
        return lines
    }
}
