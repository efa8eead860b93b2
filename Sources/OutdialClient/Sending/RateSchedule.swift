/// The arithmetic of the token bucket, free of clocks and sleeping: the generic cell rate
/// algorithm (GCRA), which is a token bucket kept as one "theoretical arrival time".
///
/// Each grant is scheduled against absolute instants, so rounding and late wake-ups never
/// accumulate: over any long run the achieved rate is the configured rate, and at any one
/// instant at most `burst` grants are due. The rate adapts (AIMD): a throttled answer multiplies
/// it by `decrease` (at most once per `decreaseCooldown`, not below `floor`), every success adds
/// `increase` of the nominal rate back, up to the nominal rate.
public struct RateSchedule<Instant: InstantProtocol>: Sendable where Instant.Duration == Duration {
    /// The configured rate, per second (0 = unlimited).
    public let nominalRate: Double
    /// The most grants at one instant.
    public let burst: Int
    /// The rate now in force, per second.
    public private(set) var rate: Double
    /// The lowest rate adaptation may reach.
    public let floor: Double
    /// Factor applied on a throttled answer.
    public var decrease = 0.7
    /// Fraction of the nominal rate added back per success.
    public var increase = 0.05
    /// Shortest time between two decreases, so one burst of throttled answers counts once.
    public var decreaseCooldown: Duration = .seconds(1)
    private var theoreticalArrival: Instant?
    private var lastDecrease: Instant?

    /// - Parameters:
    ///   - rate: requests per second; 0 or less means unlimited.
    ///   - burst: requests allowed at one instant (at least 1).
    ///   - floorFraction: the lowest adapted rate, as a fraction of `rate`.
    public init(rate: Double, burst: Int, floorFraction: Double = 0.1) {
        self.nominalRate = max(0, rate)
        self.burst = max(1, burst)
        self.rate = max(0, rate)
        self.floor = max(0, rate) * floorFraction
    }

    /// Books the next grant for a request arriving at `now`.
    /// - Returns: the instant the request may go (`now` or later).
    public mutating func reserve(at now: Instant) -> Instant {
        guard rate > 0 else { return now }
        let interval = Duration.seconds(1 / rate)
        let tolerance = interval * (burst - 1)
        let arrival = max(theoreticalArrival ?? now, now)
        let earliest = arrival.advanced(by: .zero - tolerance)
        theoreticalArrival = arrival.advanced(by: interval)
        return max(earliest, now)
    }

    /// Notes a throttled answer at `now`: multiplicative decrease.
    public mutating func throttled(at now: Instant) {
        guard nominalRate > 0 else { return }
        if let lastDecrease, lastDecrease.duration(to: now) < decreaseCooldown { return }
        lastDecrease = now
        rate = max(floor, rate * decrease)
    }

    /// Notes a success: additive increase toward the nominal rate.
    public mutating func succeeded() {
        guard nominalRate > 0, rate < nominalRate else { return }
        rate = min(nominalRate, rate + nominalRate * increase)
    }
}
