/// Rows of values bound into one statement (`WITH v (…) AS (VALUES …)`), so that a batch of rows
/// is one statement, not one a row. Each value is cast to its column's type: PostgreSQL does not
/// infer the type of a parameter inside `VALUES`, and SQLite takes the cast as an affinity.
struct ValuesTable {
    /// `(CAST($k AS T), …), (…)`.
    var sql: String
    /// The values, in the order of their placeholders.
    var binds: [SQLValue]

    /// - Parameters:
    ///   - rows: the rows, each with one value per type.
    ///   - types: the SQL type of each column (`BIGINT`, `TEXT`).
    ///   - after: the placeholders before these (they are numbered from `after + 1`).
    init(_ rows: [[SQLValue]], types: [String], after: Int) {
        var tuples: [String] = []
        tuples.reserveCapacity(rows.count)
        binds = []
        binds.reserveCapacity(rows.count * types.count)
        for row in rows {
            let base = after + binds.count
            tuples.append(
                "("
                    + types.enumerated().map { "CAST($\(base + $0.offset + 1) AS \($0.element))" }.joined(
                        separator: ", "
                    )
                    + ")"
            )
            binds += row
        }
        sql = tuples.joined(separator: ", ")
    }
}

extension Array {
    /// The array cut into consecutive pieces of at most `size` elements: a statement binds a
    /// bounded number of values.
    func pieces(of size: Int) -> [ArraySlice<Element>] {
        stride(from: 0, to: count, by: Swift.max(1, size)).map { self[$0 ..< Swift.min(count, $0 + size)] }
    }
}
