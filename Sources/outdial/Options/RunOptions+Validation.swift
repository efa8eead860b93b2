import ArgumentParser
import Foundation

extension RunOptions {
    func validate() throws {
        if state != nil, stateDir != nil { throw ValidationError("give --state or --state-dir, not both") }
        if let concurrency, concurrency < 1 {
            throw ValidationError("--concurrency must be at least 1, e.g. --concurrency 10")
        }
        if let rate, !(rate >= 0) || !rate.isFinite {
            throw ValidationError("--rate must be 0 (unlimited) or a positive number, e.g. --rate 2")
        }
        if let burst, burst < 1 { throw ValidationError("--burst must be at least 1, e.g. --burst 5") }
        if let quotaKey,
            quotaKey.isEmpty || quotaKey.count > 200
                || quotaKey.unicodeScalars.contains(where: {
                    $0.properties.generalCategory == .control
                })
        {
            throw ValidationError(
                "--quota-key takes a name of 1 to 200 printable characters, e.g. --quota-key 123456789012"
            )
        }
        if let lease {
            guard worker else { throw ValidationError("--lease needs --worker") }
            guard lease >= 1, lease <= 3600 else {
                throw ValidationError("--lease must be 1 to 3600 seconds, e.g. --lease 30")
            }
        }
        if worker, dryRun { throw ValidationError("--worker sends rows; a dry run (--dry-run) sends none") }
        if maxAttempts < 1 { throw ValidationError("--max-attempts must be at least 1, e.g. --max-attempts 3") }
        if !(timeout > 0 && timeout <= 3600) {
            throw ValidationError("--timeout must be more than 0 and at most 3600 seconds, e.g. --timeout 10")
        }
        if haltAfter < 1 { throw ValidationError("--halt-after must be at least 1, e.g. --halt-after 20") }
        for prefix in allowPrefixes where !prefix.hasPrefix("+") {
            throw ValidationError(
                "--allow-prefix takes an E.164 prefix starting with +, e.g. --allow-prefix +447; got \(prefix)"
            )
        }
        if let pushgateway, !(pushgateway.hasPrefix("http://") || pushgateway.hasPrefix("https://")) {
            throw ValidationError(
                "--pushgateway takes an http:// or https:// address, e.g. --pushgateway http://pushgateway:9091; got \(pushgateway)"
            )
        }
        _ = try parsedDeadline()
    }

    /// - Parameter now: the time the run starts at (`OUTDIAL_START_TIME`, else now): `HH:MM` is
    ///   the next such moment from it.
    func parsedDeadline(now: Date = Date()) throws -> Date? {
        guard let deadline else { return nil }
        guard let parsed = Deadline.parse(deadline, now: now) else {
            throw ValidationError(
                "--deadline \(deadline): expected HH:MM (local time) or an RFC 3339 time, e.g. 20:30 or 2026-11-25T20:30:00Z"
            )
        }
        return parsed
    }
}
