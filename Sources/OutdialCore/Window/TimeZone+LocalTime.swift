import Foundation

/// Local clock arithmetic on whole seconds since 1970, with the zone's rules from Foundation.
extension TimeZone {
    /// The zone's offset from UTC, in seconds, at `second`.
    func offset(atSecond second: Int64) -> Int64 {
        Int64(secondsFromGMT(for: Date(timeIntervalSince1970: Double(second))))
    }

    /// The local day (days since 1970-01-01) that the zone's clock shows at `second`.
    func localDay(atSecond second: Int64) -> Int64 {
        let local = second + offset(atSecond: second)
        return local >= 0 ? local / 86_400 : (local - 86_399) / 86_400
    }

    /// The first instant at which the zone's clock reads `minute` (minutes after midnight) or later
    /// on local day `day`.
    ///
    /// A time the clock shows twice (the repeated hour when it falls back) is its first
    /// occurrence; a time it skips (the hour lost when it springs forward) is the instant of the
    /// jump, when the clock goes from before that time to after it.
    func firstInstant(day: Int64, minute: Int) -> Int64 {
        let local = day * 86_400 + Int64(minute) * 60
        // The offsets a day either side cover both sides of any one change near `local`.
        let before = offset(atSecond: local - 86_400)
        let after = offset(atSecond: local + 86_400)
        let earlier = local - max(before, after)
        let later = local - min(before, after)
        if offset(atSecond: earlier) == local - earlier { return earlier }
        if later != earlier, offset(atSecond: later) == local - later { return later }
        guard after > before else { return later }
        // Skipped: the change lies in (local - after, local - before]; find its first second.
        var low = local - after
        var high = local - before
        while high - low > 1 {
            let middle = low + (high - low) / 2
            if offset(atSecond: middle) == after { high = middle } else { low = middle }
        }
        return high
    }
}
