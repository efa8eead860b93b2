/// The end of a run: counts per status, timing, achieved rate and the exit code (results.md).
public struct RunSummary: Sendable, Hashable {
    /// Result lines per status.
    public var counts: [RowStatus: Int] = [:]
    /// `skipped` lines per reason.
    public var skipped: [SkipReason: Int] = [:]
    /// Result lines per time zone (`America/New_York`, several joined by `,`, `none`) and status,
    /// for the rows of jobs with a calling window.
    public var timezones: [String: [RowStatus: Int]] = [:]
    /// Requests sent (every attempt).
    public var requests = 0
    /// Seconds from the start of the run to the last line.
    public var duration: Double = 0
    /// Seconds from the first request to the last settled row.
    public var sendingDuration: Double = 0
    /// Why the run was aborted (credentials refused, endpoint unreachable, halt rule), if it was.
    public var abort: RowError?
    /// Whether an interrupt (SIGINT, SIGTERM) stopped the run early.
    public var interrupted = false
    /// Started rows per call outcome, for runs that follow their calls.
    public var outcomes: [CallOutcome: Int] = [:]
    /// Why the run stopped following calls (and pacing by them), when it did.
    public var notFollowed: String?
    /// What `outdial stop` said, when it stopped the run.
    public var stoppedBecause: String?

    public init() {}

    /// Counts one result line.
    public mutating func count(_ line: ResultLine) {
        counts[line.status, default: 0] += 1
        if line.status == .skipped, let reason = line.reason {
            skipped[reason, default: 0] += 1
        }
        if let outcome = line.outcome {
            outcomes[outcome, default: 0] += 1
        }
        if let zone = line.timezone {
            timezones[zone, default: [:]][line.status, default: 0] += 1
        }
    }

    /// Result lines in all.
    public var rows: Int { counts.values.reduce(0, +) }

    /// Requests per second while sending.
    public var achievedRate: Double {
        sendingDuration > 0 ? Double(requests) / sendingDuration : 0
    }

    /// 3 when aborted; 0 when every row is `started`, `skipped: already-started`, `duplicate` (or
    /// `planned`, in a dry run); 1 otherwise.
    public var exitCode: Int32 {
        if abort != nil { return 3 }
        for (status, count) in counts where count > 0 {
            switch status {
            case .started, .duplicate, .planned:
                continue
            case .skipped:
                if skipped[.alreadyStarted, default: 0] != count { return 1 }
            case .failed, .invalid, .uncertain:
                return 1
            }
        }
        return 0
    }

    /// The summary for standard error, for example:
    /// `outdial: 120 rows in 61.2 s: 100 started, 3 failed, 17 skipped (17 deadline)`, then the
    /// rate and, when aborted, why.
    public func text() -> String {
        var parts: [String] = []
        for status in RowStatus.allCases {
            guard let count = counts[status], count > 0 else { continue }
            var part = "\(count) \(status.rawValue)"
            if status == .skipped {
                let reasons = SkipReason.allReasons.compactMap { reason in
                    skipped[reason].map { "\($0) \(reason.rawValue)" }
                }
                if !reasons.isEmpty { part += " (" + reasons.joined(separator: ", ") + ")" }
            }
            parts.append(part)
        }
        var text = "outdial: \(Self.count(rows, "row")) in \(Self.decimal(duration, places: 1)) s"
        if !parts.isEmpty { text += ": " + parts.joined(separator: ", ") }
        text += "\n"
        if !outcomes.isEmpty {
            let parts = CallOutcome.allCases.compactMap { outcome in
                outcomes[outcome].map { "\($0) \(outcome.rawValue)" }
            }
            text += "outdial: calls: " + parts.joined(separator: ", ") + "\n"
        }
        if let notFollowed {
            text += "outdial: calls were not followed (\(notFollowed)): no pacing by live calls, no outcomes\n"
        }
        if !timezones.isEmpty {
            text += "outdial: by time zone: " + zoneText() + "\n"
        }
        if requests > 0 {
            text += "outdial: \(Self.count(requests, "request")), \(Self.decimal(achievedRate, places: 2)) requests/s"
            text += " over \(Self.decimal(sendingDuration, places: 1)) s\n"
        }
        if let abort {
            text += "outdial: aborted: \(abort.code): \(abort.message)\n"
        } else if let stoppedBecause {
            text += "outdial: stopped by outdial stop (\(stoppedBecause)): rows not started are skipped (stopped)\n"
        } else if interrupted {
            text += "outdial: interrupted: rows not started are skipped (interrupted)\n"
        }
        return text
    }

    /// The summary as one JSON object (for `--summary FILE`), ending in a newline.
    public func json() -> [UInt8] {
        var w = JSONWriter()
        w.beginObject()
        w.field("rows", rows)
        w.key("counts")
        w.beginObject()
        for status in RowStatus.allCases {
            if let count = counts[status] { w.field(status.rawValue, count) }
        }
        w.endObject()
        w.key("skipped")
        w.beginObject()
        for reason in SkipReason.allReasons {
            if let count = skipped[reason] { w.field(reason.rawValue, count) }
        }
        w.endObject()
        if !outcomes.isEmpty {
            w.key("outcomes")
            w.beginObject()
            for outcome in CallOutcome.allCases {
                if let count = outcomes[outcome] { w.field(outcome.rawValue, count) }
            }
            w.endObject()
        }
        if let notFollowed { w.field("notFollowed", notFollowed) }
        if !timezones.isEmpty {
            w.key("timezones")
            w.beginObject()
            for zone in timezones.keys.sorted() {
                w.key(zone)
                w.beginObject()
                for status in RowStatus.allCases {
                    if let count = timezones[zone]?[status] { w.field(status.rawValue, count) }
                }
                w.endObject()
            }
            w.endObject()
        }
        w.field("requests", requests)
        w.key("durationSeconds")
        w.double(Self.rounded(duration, places: 3))
        w.key("sendingSeconds")
        w.double(Self.rounded(sendingDuration, places: 3))
        w.key("rate")
        w.double(Self.rounded(achievedRate, places: 3))
        w.field("interrupted", interrupted)
        if let stoppedBecause { w.field("stopped", stoppedBecause) }
        if let abort {
            w.key("abort")
            w.beginObject()
            w.field("code", abort.code)
            w.field("message", abort.message)
            w.endObject()
        }
        w.field("exitCode", Int(exitCode))
        w.endObject()
        w.newline()
        return w.bytes
    }

    /// `America/New_York 10 (8 started, 2 skipped), none 1 (1 skipped)`: the zones with the most
    /// rows first, at most `shownZones` of them.
    func zoneText() -> String {
        struct Zone {
            var name: String
            var counts: [RowStatus: Int]
            var rows: Int
        }
        let zones: [Zone] = timezones.map { Zone(name: $0.key, counts: $0.value, rows: $0.value.values.reduce(0, +)) }
        let ranked = zones.sorted { $0.rows != $1.rows ? $0.rows > $1.rows : $0.name < $1.name }
        var parts: [String] = []
        for zone in ranked.prefix(Self.shownZones) {
            var statuses: [String] = []
            for status in RowStatus.allCases {
                if let count = zone.counts[status] { statuses.append("\(count) \(status.rawValue)") }
            }
            parts.append("\(zone.name) \(zone.rows) (" + statuses.joined(separator: ", ") + ")")
        }
        if ranked.count > Self.shownZones {
            parts.append("\(ranked.count - Self.shownZones) more (see --summary)")
        }
        return parts.joined(separator: ", ")
    }

    /// Zones named in the summary's text; `--summary` has them all.
    static let shownZones = 8

    /// `1 row`, `2 rows`.
    static func count(_ number: Int, _ noun: String) -> String {
        "\(number) \(noun)\(number == 1 ? "" : "s")"
    }

    private static func rounded(_ value: Double, places: Int) -> Double {
        var scale = 1.0
        for _ in 0 ..< places { scale *= 10 }
        return (value * scale).rounded() / scale
    }

    static func decimal(_ value: Double, places: Int) -> String {
        var scale = 1
        for _ in 0 ..< places { scale *= 10 }
        let scaled = Int((max(0, value) * Double(scale)).rounded())
        let whole = scaled / scale
        guard places > 0 else { return String(whole) }
        var fraction = String(scaled % scale)
        while fraction.count < places { fraction = "0" + fraction }
        return "\(whole).\(fraction)"
    }
}

extension SkipReason {
    /// Every reason, in the order results.md lists them.
    static let allReasons: [SkipReason] = [
        .alreadyStarted, .deadline, .interrupted, .halted, .limit, .suppressed, .outsideWindow, .noTimezone,
        .windowClosed, .stopped,
    ]
}
