import Foundation
import OutdialBase
import OutdialCore

/// What the ledger knows about some destinations at one moment: which are suppressed, and their
/// attempts that count toward the limits (started, uncertain, in flight) within the longest
/// window asked about. Decides claims in order, counting each allowed one against the next.
struct ContactRules {
    /// By number: the reason given, and the end of the suppression (ms since 1970; nil: for good).
    private var suppressions: [String: (reason: String?, until: Int?)] = [:]
    /// By destination: each attempt's instance, intent time and row (its job and ClientToken).
    private var history: [String: [(instance: String, at: Int, row: AttemptKey)]] = [:]

    /// Reads the rules for `destinations` (in pieces, so no statement binds too many values).
    /// - Parameters:
    ///   - longestWindow: seconds; attempts older than this are not read.
    ///   - now: milliseconds since 1970.
    static func load(
        destinations: Set<String>,
        longestWindow: Int,
        now: Int,
        from session: any LedgerSession
    ) throws(LedgerDatabaseError) -> ContactRules {
        var rules = ContactRules()
        // Without limits the attempts are not read (a window that ends before it starts).
        let since = longestWindow > 0 ? now - longestWindow * 1000 : Int.max
        var pending = destinations.makeIterator()
        var remaining = destinations.count
        while remaining > 0 {
            // A few sizes of statement only, each prepared once: a short piece repeats its last
            // number to the size (a number twice in `IN` is found once).
            let size = Self.pieceSizes.first { $0 >= remaining } ?? Self.pieceSizes[Self.pieceSizes.count - 1]
            var binds: [SQLValue] = [.integer(now), .integer(since)]
            binds.reserveCapacity(size + 2)
            for _ in 0 ..< min(size, remaining) {
                guard let destination = pending.next() else { break }
                binds.append(.text(destination))
            }
            remaining -= binds.count - 2
            if let last = binds.last { while binds.count < size + 2 { binds.append(last) } }
            try session.forEachRow(Self.rulesQuery(size: size), binds) {
                (row: any LedgerRow) throws(LedgerDatabaseError) in
                guard let kind = row.integer(0), let destination = row.text(1) else { return }
                if kind == 0 {
                    rules.suppressions[destination] = (row.text(2), row.integer(3))
                } else if let instance = row.text(2), let at = row.integer(3), let job = row.integer(4),
                    let token = row.text(5)
                {
                    rules.history[destination, default: []].append(
                        (instance, at, AttemptKey(jobId: job, clientToken: token))
                    )
                }
            }
        }
        return rules
    }

    /// Reads the rules for every destination at once: the whole suppression list in force at `now`
    /// and every attempt that counts since `since`, each table read once in its own order (no
    /// index probed), in one read transaction. Worth it when the tables are small beside the
    /// destinations asked about; `refusal` then answers for any destination, at any time from
    /// `now` on, for limits whose windows start at or after `since`.
    /// - Parameters:
    ///   - since: milliseconds since 1970; attempts at or before it are not read.
    ///   - now: milliseconds since 1970; suppressions ended by then are not read.
    ///   - stop: asked every few thousand rows; when it answers true the read ends with an error.
    static func loadWhole(
        since: Int,
        now: Int,
        from session: any LedgerSession,
        stop: () -> Bool
    ) throws(LedgerDatabaseError) -> ContactRules {
        var rules = ContactRules()
        var read = 0
        func check() throws(LedgerDatabaseError) {
            read += 1
            if read % 4096 == 0, stop() { throw LedgerDatabaseError(.other, "the read was stopped") }
        }
        try session.execute("BEGIN")
        do {
            try session.forEachRow(
                "SELECT number, reason, until_at FROM suppressions WHERE until_at IS NULL OR until_at > $1",
                [.integer(now)]
            ) { (row: any LedgerRow) throws(LedgerDatabaseError) in
                try check()
                guard let number = row.text(0) else { return }
                rules.suppressions[number] = (row.text(1), row.integer(2))
            }
            try session.forEachRow(
                """
                SELECT destination, instance_id, intent_at, job_id, client_token FROM attempts
                WHERE intent_at > $1 AND status <> \(AttemptStatus.failed.rawValue)
                """,
                [.integer(since)]
            ) { (row: any LedgerRow) throws(LedgerDatabaseError) in
                try check()
                guard let destination = row.text(0), let instance = row.text(1), let at = row.integer(2),
                    let job = row.integer(3), let token = row.text(4)
                else { return }
                rules.history[destination, default: []].append(
                    (instance, at, AttemptKey(jobId: job, clientToken: token))
                )
            }
            try session.execute("COMMIT")
        } catch {
            try? session.execute("ROLLBACK")
            throw error
        }
        return rules
    }

    /// How many numbers one statement of `load` asks about.
    private static let pieceSizes = [1, 4, 16, 64, 256, 1024]

    /// One statement for both: kind 0 is a suppression (number, reason, end), kind 1 an attempt that
    /// counts (destination, instance, intent time, job, ClientToken); `$1` is now, `$2` the start
    /// of the longest window, the numbers follow.
    private static func rulesQuery(size: Int) -> String {
        rulesQueries[pieceSizes.firstIndex(of: size) ?? 0]
    }

    private static let rulesQueries: [String] = pieceSizes.map { size in
        let list = (3 ... (size + 2)).map { "$\($0)" }.joined(separator: ", ")
        return """
            SELECT 0, number, reason, until_at, 0, '' FROM suppressions
            WHERE (until_at IS NULL OR until_at > $1) AND number IN (\(list))
            UNION ALL
            SELECT 1, destination, instance_id, intent_at, job_id, client_token FROM attempts
            WHERE intent_at > $2 AND status <> \(AttemptStatus.failed.rawValue) AND destination IN (\(list))
            """
    }

    /// Why `claim` must not be sent at `now` (milliseconds), or nil when it may.
    func refusal(for claim: ClaimRequest, now: Int) -> Refusal? {
        refusal(
            destination: claim.destination,
            instance: claim.instanceId,
            limits: claim.limits,
            key: claim.limitKey,
            row: AttemptKey(jobId: claim.jobId, clientToken: claim.clientToken),
            now: now
        )
    }

    /// The row's own earlier attempts (`row`: its job and ClientToken) do not count: sent again
    /// (`--redial-uncertain`), it carries the same ClientToken, which Connect answers with the
    /// contact it may already have started rather than a second call.
    func refusal(
        destination: String,
        instance: String,
        limits: [ContactLimit],
        key: LimitKey,
        row: AttemptKey?,
        now: Int
    ) -> Refusal? {
        if let (reason, until) = suppressions[destination], until.map({ $0 > now }) ?? true {
            let why = reason.map { ": \($0)" } ?? " (no reason was given)"
            return Refusal(
                reason: .suppressed,
                error: RowError(
                    code: ErrorCode.suppressed,
                    message: "\(destination) is on the suppression list\(why)",
                    retryable: false
                )
            )
        }
        let earlier = (history[destination] ?? []).filter {
            (key == .destination || $0.instance == instance) && $0.row != row
        }
        var nextAllowed: Int?
        var broken: (limit: ContactLimit, count: Int)?
        for limit in limits {
            let windowStart = now - limit.perSeconds * 1000
            let inWindow = earlier.lazy.map(\.at).filter { $0 > windowStart }.sorted()
            guard inWindow.count >= limit.max else { continue }
            // The window must lose `count - max + 1` attempts: the oldest of those leaves last.
            let next = inWindow[inWindow.count - limit.max] + limit.perSeconds * 1000
            if next > (nextAllowed ?? Int.min) {
                nextAllowed = next
                broken = (limit, inWindow.count)
            }
        }
        guard let nextAllowed, let broken else { return nil }
        let when = UTCTimestamp(millisecondsSince1970: Int64(nextAllowed)).rfc3339
        let keyText = key == .destination ? destination : "\(destination) on instance \(instance)"
        let calls = broken.count == 1 ? "1 call" : "\(broken.count) calls"
        return Refusal(
            reason: .limit,
            error: RowError(
                code: ErrorCode.limitReached,
                message:
                    "\(keyText) had \(calls) started or in doubt in the last "
                    + "\(ContactLimit.durationText(broken.limit.perSeconds)) (limit \(broken.limit.description)); "
                    + "allowed again at \(when). To call sooner on purpose, give the job limits that allow it "
                    + "(limits: in the job file, or outdial ledger config)",
                retryable: false
            ),
            nextAllowedAt: when
        )
    }

    /// Counts an allowed claim against the claims after it.
    mutating func count(_ claim: ClaimRequest, at now: Int) {
        history[claim.destination, default: []].append(
            (claim.instanceId, now, AttemptKey(jobId: claim.jobId, clientToken: claim.clientToken))
        )
    }
}
