import OutdialBase
import OutdialCore

/// One number on the suppression list.
public struct Suppression: Sendable, Hashable {
    /// Normalised (E.164).
    public var number: String
    public var reason: String?
    /// When the suppression ends; nil for never.
    public var until: UTCTimestamp?
    /// When it was (last) added.
    public var added: UTCTimestamp
    /// Whether `until` has passed: the number may be called again (`prune` deletes the entry).
    public var isExpired: Bool

    public init(number: String, reason: String?, until: UTCTimestamp?, added: UTCTimestamp, isExpired: Bool) {
        self.number = number
        self.reason = reason
        self.until = until
        self.added = added
        self.isExpired = isExpired
    }

    /// The entry as one JSON object (no line break).
    public var json: String {
        var writer = JSONWriter()
        writer.beginObject()
        writer.field("number", number)
        writer.optionalField("reason", reason)
        writer.optionalField("until", until?.rfc3339)
        writer.field("added", added.rfc3339)
        writer.field("expired", isExpired)
        writer.endObject()
        return String(decoding: writer.bytes, as: UTF8.self)
    }
}

/// What `importSuppressions` did.
public struct SuppressionImport: Sendable, Hashable {
    /// Good lines read (a number listed twice counts twice).
    public var numbers: Int
    /// Numbers that were not on the list before.
    public var added: Int
}

extension Ledger {
    /// Puts `number` on the suppression list, or replaces its entry (reason, end).
    /// - Parameters:
    ///   - number: normalised as job rows are; `+1 (555) 010-0001` is `+15550100001`.
    ///   - until: when the suppression ends; nil for never.
    /// - Returns: the entry, and whether the number was already on the list.
    /// - Throws: `LedgerInputError.invalidPhoneNumber`, or the store's `RecordingError`.
    @discardableResult
    public func addSuppression(
        number text: String,
        reason: String?,
        until: UTCTimestamp?
    ) async throws -> (entry: Suppression, replaced: Bool) {
        guard let number = PhoneNumber.normalise(text) else { throw LedgerInputError.invalidPhoneNumber(text) }
        let now = nowMilliseconds()
        let replaced = try await writingStore { () throws(LedgerDatabaseError) -> Bool in
            let before = try await database.query("SELECT 1 FROM suppressions WHERE number = $1", [.text(number)])
            try await database.execute(
                """
                INSERT INTO suppressions (number, reason, until_at, added_at) VALUES ($1, $2, $3, $4)
                ON CONFLICT (number) DO UPDATE SET reason = excluded.reason, until_at = excluded.until_at,
                    added_at = excluded.added_at
                """,
                [.text(number), .text(reason), .integer(until.map { Int($0.millisecondsSince1970) }), .integer(now)]
            )
            return !before.isEmpty
        }
        let entry = Suppression(
            number: number,
            reason: reason,
            until: until,
            added: UTCTimestamp(millisecondsSince1970: Int64(now)),
            isExpired: until.map { Int($0.millisecondsSince1970) <= now } ?? false
        )
        return (entry, replaced)
    }

    /// Takes `number` off the suppression list.
    /// - Returns: whether it was on it (expired entries included).
    /// - Throws: `LedgerInputError.invalidPhoneNumber`, or the store's `RecordingError`.
    public func removeSuppression(number text: String) async throws -> Bool {
        guard let number = PhoneNumber.normalise(text) else { throw LedgerInputError.invalidPhoneNumber(text) }
        return try await writingStore { () throws(LedgerDatabaseError) -> Bool in
            let rows = try await database.query(
                "DELETE FROM suppressions WHERE number = $1 RETURNING number",
                [.text(number)]
            )
            return !rows.isEmpty
        }
    }

    /// The suppression list, by number; entries whose end has passed are marked expired.
    public func suppressions() async throws(RecordingError) -> [Suppression] {
        let now = nowMilliseconds()
        let rows = try await reading("SELECT number, reason, until_at, added_at FROM suppressions ORDER BY number", [])
        return rows.compactMap { row in
            guard row.count == 4, let number = row[0].text, let added = row[3].integer else { return nil }
            let until = row[2].integer
            return Suppression(
                number: number,
                reason: row[1].text,
                until: until.map { UTCTimestamp(millisecondsSince1970: Int64($0)) },
                added: UTCTimestamp(millisecondsSince1970: Int64(added)),
                isExpired: until.map { $0 <= now } ?? false
            )
        }
    }

    /// Puts every number of a file on the suppression list, for good, in one transaction: all of
    /// them, or (when any line is bad) none. The file is read a piece at a time and written in
    /// batches, so its size does not matter.
    /// - Parameters:
    ///   - path: a `.csv` file, or a file of one number a line (see `SuppressionFile`).
    ///   - column: the CSV column of the numbers (`--column`).
    ///   - reason: the reason of numbers whose row gives none.
    /// - Throws: `LedgerInputError` (`fileUnreadable`, `fileInvalid` with every bad line), or the
    ///   store's `RecordingError`.
    public func importSuppressions(path: String, column: String?, reason: String?) async throws -> SuppressionImport {
        let file = try SuppressionFile(path: path, column: column)
        let now = nowMilliseconds()
        var stop: LedgerInputError?
        let result: SuppressionImport
        do {
            result = try await writingStore { () throws(LedgerDatabaseError) -> SuppressionImport in
                let before = try await suppressionCount()
                var numbers = 0
                var batch: [String: String?] = [:]
                do {
                    while let entry = try file.next() {
                        numbers += 1
                        // A bad line means nothing is imported: the rest is only read for its problems.
                        if file.hasProblems { continue }
                        let chosen: String? = entry.reason ?? reason
                        batch[entry.number] = .some(chosen)
                        if batch.count == Self.importBatch {
                            try await insertSuppressions(batch, at: now)
                            batch = [:]
                        }
                    }
                } catch let error as LedgerInputError {
                    stop = error
                } catch let error as LedgerDatabaseError {
                    throw error
                } catch {
                    throw LedgerDatabaseError(.other, "\(error)")
                }
                if stop == nil, file.hasProblems {
                    stop = .fileInvalid(path, file.diagnostics, omitted: file.omittedDiagnostics)
                }
                // Rolls the transaction back.
                if stop != nil { throw LedgerDatabaseError(.other, "the import was refused") }
                try await insertSuppressions(batch, at: now)
                return SuppressionImport(numbers: numbers, added: try await suppressionCount() - before)
            }
        } catch {
            throw stop ?? error
        }
        return result
    }

    /// Numbers written per statement on import.
    static let importBatch = 500

    private func insertSuppressions(_ batch: [String: String?], at now: Int) async throws(LedgerDatabaseError) {
        guard !batch.isEmpty else { return }
        var values: [String] = []
        var binds: [SQLValue] = []
        for (number, reason) in batch {
            // Placeholders are numbered in order of first use: each row binds its own time.
            values.append("($\(binds.count + 1), $\(binds.count + 2), NULL, $\(binds.count + 3))")
            binds += [.text(number), .text(reason), .integer(now)]
        }
        // A number is listed once per statement (PostgreSQL refuses to update one row twice).
        try await database.execute(
            """
            INSERT INTO suppressions (number, reason, until_at, added_at) VALUES \(values.joined(separator: ", "))
            ON CONFLICT (number) DO UPDATE SET reason = COALESCE(excluded.reason, suppressions.reason),
                until_at = NULL, added_at = excluded.added_at
            """,
            binds
        )
    }

    private func suppressionCount() async throws(LedgerDatabaseError) -> Int {
        try await database.query("SELECT count(*) FROM suppressions", []).first?.first?.integer ?? 0
    }

    /// Runs `body` in a writing transaction, giving the store's errors as the user sees them.
    func writingStore<T: Sendable>(
        _ body: () async throws(LedgerDatabaseError) -> T
    ) async throws(RecordingError) -> T {
        do {
            return try await database.writing(body)
        } catch {
            throw error.recordingError(path: path, busyTimeout: busyTimeout, opening: false)
        }
    }

    /// Runs one reading statement, giving the store's errors as the user sees them.
    func reading(_ sql: String, _ binds: [SQLValue]) async throws(RecordingError) -> [[SQLValue]] {
        do {
            return try await database.query(sql, binds)
        } catch {
            throw error.recordingError(path: path, busyTimeout: busyTimeout, opening: true)
        }
    }
}
