import Foundation
import OutdialBase
import OutdialCore

/// What the ledger knows about some destinations at one moment: which are suppressed, and their
/// attempts that count toward the limits (started, uncertain, in flight) within the longest
/// window asked about. Decides claims in order, counting each allowed one against the next.
struct ContactRules {
    /// By number: its suppression (an index in `suppressions`), and the index in `attempts` of
    /// its latest attempt read or counted. One table, so that a row is decided with one lookup.
    private var numbers = NumberTable()
    /// The suppressions: the reason given, and the end (ms since 1970; nil: for good).
    private var suppressions: [(reason: String?, until: Int?)] = []
    /// Every attempt, each linked to the one before it of its destination: one array for all,
    /// not one per destination (a screen of 200,000 rows reads as many attempts).
    private var attempts: [Attempt] = []
    /// The instances the attempts were on, each kept once.
    private var instances: [String] = []
    private var instanceIndex: [String: Int32] = [:]

    /// One attempt that counts: its instance, intent time and row (its job and ClientToken).
    private struct Attempt {
        var instance: Int32
        var previous: Int32
        var at: Int
        var jobId: Int
        var token: Token
    }

    /// A ClientToken, exactly: outdial's own (64 lowercase hex digits) as four numbers, so the
    /// hundreds of thousands read for a screen need no string each; any other as it is.
    enum Token: Hashable {
        case hex(UInt64, UInt64, UInt64, UInt64)
        case text(String)

        init(_ text: String) {
            let utf8 = text.utf8
            guard utf8.count == 64,
                let a = Self.word(utf8.prefix(16)),
                let b = Self.word(utf8.dropFirst(16).prefix(16)),
                let c = Self.word(utf8.dropFirst(32).prefix(16)),
                let d = Self.word(utf8.dropFirst(48))
            else {
                self = .text(text)
                return
            }
            self = .hex(a, b, c, d)
        }

        /// Sixteen lowercase hex digits as a number; nil for anything else (upper case included,
        /// so a token has one form only).
        private static func word(_ digits: some Collection<UInt8>) -> UInt64? {
            var value: UInt64 = 0
            for digit in digits {
                let nibble: UInt8
                switch digit {
                case UInt8(ascii: "0") ... UInt8(ascii: "9"): nibble = digit - UInt8(ascii: "0")
                case UInt8(ascii: "a") ... UInt8(ascii: "f"): nibble = digit - UInt8(ascii: "a") + 10
                default: return nil
                }
                value = value << 4 | UInt64(nibble)
            }
            return value
        }
    }

    /// Sizes the tables for about `attempts` attempts and `suppressions` suppressed numbers.
    mutating func reserve(attempts count: Int, suppressions suppressed: Int) {
        attempts.reserveCapacity(count)
        suppressions.reserveCapacity(suppressed)
        numbers = NumberTable(capacity: count + suppressed)
    }

    /// Adds an attempt that counts.
    private mutating func add(destination: String, instance: String, at: Int, jobId: Int, token: Token) {
        let instanceNumber: Int32
        if let known = instanceIndex[instance] {
            instanceNumber = known
        } else {
            instanceNumber = Int32(instances.count)
            instances.append(instance)
            instanceIndex[instance] = instanceNumber
        }
        let index = Int32(attempts.count)
        let previous = numbers.update(destination) { entry in
            defer { entry.latest = index }
            return entry.latest
        }
        attempts.append(
            Attempt(
                instance: instanceNumber,
                previous: previous,
                at: at,
                jobId: jobId,
                token: token
            )
        )
    }

    /// Suppresses `number` (as read from the store).
    private mutating func suppress(_ number: String, reason: String?, until: Int?) {
        let index = Int32(suppressions.count)
        suppressions.append((reason, until))
        numbers.update(number) { $0.suppression = index }
    }

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
                    rules.suppress(destination, reason: row.text(2), until: row.integer(3))
                } else if let instance = row.text(2), let at = row.integer(3), let job = row.integer(4),
                    let token = row.text(5)
                {
                    rules.add(destination: destination, instance: instance, at: at, jobId: job, token: Token(token))
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
    ///   - expecting: about how many attempts and suppressions the tables hold (the tables are
    ///     sized for them, up to a million each, instead of growing by doubling).
    static func loadWhole(
        since: Int,
        now: Int,
        expecting: (attempts: Int, suppressions: Int),
        from session: any LedgerSession,
        stop: () -> Bool
    ) throws(LedgerDatabaseError) -> ContactRules {
        var rules = ContactRules()
        rules.reserve(
            attempts: min(max(0, expecting.attempts), 1 << 20),
            suppressions: min(max(0, expecting.suppressions), 1 << 20)
        )
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
                rules.suppress(number, reason: row.text(1), until: row.integer(2))
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
                rules.add(destination: destination, instance: instance, at: at, jobId: job, token: Token(token))
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
        guard let known = numbers.entry(destination) else { return nil }
        if known.suppression >= 0, case let (reason, until) = suppressions[Int(known.suppression)],
            until.map({ $0 > now }) ?? true
        {
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
        let first = known.latest
        guard first >= 0 else { return nil }
        // The times of the attempts that count against this row.
        let own = row.map { (jobId: $0.jobId, token: Token($0.clientToken)) }
        let onInstance = key == .destination ? nil : instanceIndex[instance] ?? -1
        var earlier: [Int] = []
        var index = first
        while index >= 0 {
            let attempt = attempts[Int(index)]
            index = attempt.previous
            if let onInstance, attempt.instance != onInstance { continue }
            if let own, own.jobId == attempt.jobId, own.token == attempt.token { continue }
            earlier.append(attempt.at)
        }
        var nextAllowed: Int?
        var broken: (limit: ContactLimit, count: Int)?
        for limit in limits {
            let windowStart = now - limit.perSeconds * 1000
            let inWindow = earlier.filter { $0 > windowStart }.sorted()
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
        // Built in one buffer of the size it needs: a screen writes this for every refused row.
        var message = ""
        message.reserveCapacity(256)
        message += destination
        if key != .destination {
            message += " on instance "
            message += instance
        }
        message += broken.count == 1 ? " had 1 call" : " had \(broken.count) calls"
        message += " started or in doubt in the last "
        message += ContactLimit.durationText(broken.limit.perSeconds)
        message += " (limit "
        message += broken.limit.description
        message += "); allowed again at "
        message += when
        message += Self.limitAdvice
        return Refusal(
            reason: .limit,
            error: RowError(code: ErrorCode.limitReached, message: message, retryable: false),
            nextAllowedAt: when
        )
    }

    /// The end of every limit refusal's message.
    private static let limitAdvice =
        ". To call sooner on purpose, give the job limits that allow it (limits: in the job file, or outdial ledger config)"

    /// Counts an allowed claim against the claims after it.
    mutating func count(_ claim: ClaimRequest, at now: Int) {
        add(
            destination: claim.destination,
            instance: claim.instanceId,
            at: now,
            jobId: claim.jobId,
            token: Token(claim.clientToken)
        )
    }
}
