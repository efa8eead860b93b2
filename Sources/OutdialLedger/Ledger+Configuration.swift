import OutdialCore

/// The store-wide defaults of `outdial ledger config`: the limits and limit key of every job that
/// does not set its own.
public struct LedgerDefaults: Sendable, Hashable {
    /// `.inherited` when not configured: the built-in `ContactLimit.standard` applies.
    public var limits: LimitSetting
    /// `nil` when not configured: `LimitKey.destination` applies.
    public var limitKey: LimitKey?

    public init(limits: LimitSetting = .inherited, limitKey: LimitKey? = nil) {
        self.limits = limits
        self.limitKey = limitKey
    }

    /// The limits a job with `rules` runs under.
    public func limits(for rules: JobRules) -> [ContactLimit] {
        switch rules.limits {
        case .off: return []
        case .limits(let list): return list
        case .inherited:
            switch limits {
            case .off: return []
            case .limits(let list): return list
            case .inherited: return [.standard]
            }
        }
    }

    /// The limit key a job with `rules` runs under.
    public func limitKey(for rules: JobRules) -> LimitKey {
        rules.limitKey ?? limitKey ?? .destination
    }
}

extension Ledger {
    /// The defaults set with `outdial ledger config`.
    public func defaults() async throws(RecordingError) -> LedgerDefaults {
        do {
            return try await readDefaults()
        } catch {
            throw error.recordingError(path: path, busyTimeout: busyTimeout, opening: true)
        }
    }

    /// Sets (or with `.inherited` / `nil`, clears) the defaults.
    public func setDefaults(_ defaults: LedgerDefaults) async throws(RecordingError) {
        do {
            try await database.writing { () throws(LedgerDatabaseError) in
                try await setMeta("limits", Self.text(of: defaults.limits))
                try await setMeta("limit_key", defaults.limitKey?.rawValue)
            }
        } catch {
            throw error.recordingError(path: path, busyTimeout: busyTimeout, opening: false)
        }
    }

    func readDefaults() async throws(LedgerDatabaseError) -> LedgerDefaults {
        let rows = try await database.query(
            "SELECT key, value FROM ledger_meta WHERE key IN ('limits', 'limit_key')",
            []
        )
        var defaults = LedgerDefaults()
        for row in rows {
            guard row.count == 2, let key = row[0].text, let value = row[1].text else { continue }
            if key == "limits" { defaults.limits = Self.limits(from: value) ?? .inherited }
            if key == "limit_key" { defaults.limitKey = LimitKey(rawValue: value) }
        }
        return defaults
    }

    private func setMeta(_ key: String, _ value: String?) async throws(LedgerDatabaseError) {
        if let value {
            try await database.execute(
                """
                INSERT INTO ledger_meta (key, value) VALUES ($1, $2)
                ON CONFLICT (key) DO UPDATE SET value = excluded.value
                """,
                [.text(key), .text(value)]
            )
        } else {
            try await database.execute("DELETE FROM ledger_meta WHERE key = $1", [.text(key)])
        }
    }

    /// `off`, or `max/seconds` pairs joined by `;`; nil for `.inherited`.
    static func text(of setting: LimitSetting) -> String? {
        switch setting {
        case .inherited: nil
        case .off: "off"
        case .limits(let list): list.map { "\($0.max)/\($0.perSeconds)" }.joined(separator: ";")
        }
    }

    static func limits(from text: String) -> LimitSetting? {
        if text == "off" { return .off }
        var list: [ContactLimit] = []
        for part in text.split(separator: ";") {
            let pieces = part.split(separator: "/")
            guard pieces.count == 2, let max = Int(pieces[0]), let per = Int(pieces[1]), max > 0, per > 0 else {
                return nil
            }
            list.append(ContactLimit(max: max, perSeconds: per))
        }
        return list.isEmpty ? nil : .limits(list)
    }
}
