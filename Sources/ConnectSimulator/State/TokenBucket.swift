import Foundation

/// A token bucket: `rate` tokens a second, holding at most `capacity`; starts full.
struct TokenBucket: Sendable {
    let rate: Double
    let capacity: Double
    private var tokens: Double
    private var updated: Date?

    init(rate: Double, capacity: Int) {
        self.rate = rate
        self.capacity = Double(capacity)
        self.tokens = Double(capacity)
    }

    /// Takes one token if there is one.
    mutating func take(at now: Date) -> Bool {
        if let updated {
            // A clock that steps back refills nothing.
            let elapsed = now.timeIntervalSince(updated)
            if elapsed > 0 {
                tokens = min(capacity, tokens + elapsed * rate)
                self.updated = now
            }
        } else {
            updated = now
        }
        guard tokens >= 1 else { return false }
        tokens -= 1
        return true
    }
}
