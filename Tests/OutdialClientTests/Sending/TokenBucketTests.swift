import OutdialBase
import Testing

@testable import OutdialClient

extension ManualClock.Instant {
    static func at(_ milliseconds: Int) -> Self { Self(offset: .milliseconds(milliseconds)) }
}

struct TokenBucketTests {
    /// Grants, in ms, for requests that are always waiting (each arrives as the previous goes).
    static func saturatedGrants(rate: Double, burst: Int, count: Int) -> [Duration] {
        var schedule = RateSchedule<ManualClock.Instant>(rate: rate, burst: burst)
        var now = ManualClock.Instant.at(0)
        var grants: [Duration] = []
        for _ in 0 ..< count {
            now = schedule.reserve(at: now)
            grants.append(now.offset)
        }
        return grants
    }

    @Test func burstGoesAtOnceThenOneEveryInterval() {
        let grants = Self.saturatedGrants(rate: 2, burst: 5, count: 8)
        #expect(grants == [0, 0, 0, 0, 0, 500, 1000, 1500].map { .milliseconds($0) })
    }

    @Test func neverMoreThanBurstAtOneInstantNorBurstPlusRateInAnyWindow() {
        let rate = 7.3
        let burst = 4
        let grants = Self.saturatedGrants(rate: rate, burst: burst, count: 500)
        let byInstant = Dictionary(grouping: grants, by: { $0 })
        #expect(byInstant.values.map(\.count).max() == burst)
        for (index, start) in grants.enumerated() {
            let inWindow = grants[index...].prefix { $0 < start + .seconds(1) }.count
            #expect(Double(inWindow) <= Double(burst) + rate)
        }
    }

    @Test func longRunRateIsExactOverThirtySeconds() {
        for rate in [2.0, 4, 8, 0.5] {
            let grants = Self.saturatedGrants(rate: rate, burst: 5, count: Int(rate * 40) + 10)
            // Steady state: after the initial burst, over 30 s.
            let window = grants.filter { $0 >= .seconds(1) && $0 < .seconds(31) }
            #expect(window.count == Int(rate * 30), "rate \(rate)")
        }
    }

    @Test func lateArrivalsDoNotBankMoreThanTheBurst() {
        var schedule = RateSchedule<ManualClock.Instant>(rate: 1, burst: 3)
        // Idle for a minute, then ten at once: only the burst goes immediately.
        let grants = (0 ..< 10).map { _ in schedule.reserve(at: .at(60_000)).offset }
        #expect(grants == [60, 60, 60, 61, 62, 63, 64, 65, 66, 67].map { .seconds($0) })
    }

    @Test func unlimitedRateNeverWaits() {
        var schedule = RateSchedule<ManualClock.Instant>(rate: 0, burst: 1)
        #expect((0 ..< 100).allSatisfy { _ in schedule.reserve(at: .at(5000)) == .at(5000) })
    }

    @Test func adaptiveRateBacksOffAndCreepsBack() {
        var schedule = RateSchedule<ManualClock.Instant>(rate: 10, burst: 1)
        schedule.throttled(at: .at(0))
        #expect(schedule.rate == 7)
        schedule.throttled(at: .at(500))  // same burst of throttles: counted once
        #expect(schedule.rate == 7)
        schedule.throttled(at: .at(1000))
        #expect(abs(schedule.rate - 4.9) < 1e-9)
        for second in 2 ..< 40 { schedule.throttled(at: .at(second * 1000)) }
        #expect(schedule.rate == 1)  // the floor, a tenth of the rate
        for _ in 0 ..< 25 { schedule.succeeded() }
        #expect(schedule.rate == 10)
        // A lower rate spaces grants further apart.
        schedule.throttled(at: .at(100_000))
        let first = schedule.reserve(at: .at(200_000))
        let second = schedule.reserve(at: .at(200_000))
        #expect(first == .at(200_000))
        #expect(abs(first.duration(to: second).inSeconds - 1 / 7.0) < 1e-9)
    }

    @Test func aTicketKeepsItsBookingUntilItIsDue() {
        let bucket = TokenBucket<ManualClock.Instant>(rate: 2, burst: 1)
        let first = TokenBucket<ManualClock.Instant>.Ticket(clientToken: "a", attempt: 1)
        let second = TokenBucket<ManualClock.Instant>.Ticket(clientToken: "b", attempt: 1)
        #expect(bucket.reserve(first, at: .at(0)) == nil)
        #expect(bucket.reserve(second, at: .at(0)) == .at(500))
        // Asking again before and at the slot books nothing new.
        #expect(bucket.reserve(second, at: .at(200)) == .at(500))
        #expect(bucket.reserve(second, at: .at(500)) == nil)
        #expect(bucket.bookedCount == 0)
        // The next ticket comes after the one slot booked for `second`.
        #expect(bucket.reserve(TokenBucket.Ticket(clientToken: "c", attempt: 1), at: .at(500)) == .at(1000))
    }

    @Test func aReleasedBookingIsForgotten() {
        let bucket = TokenBucket<ManualClock.Instant>(rate: 1, burst: 1)
        let ticket = TokenBucket<ManualClock.Instant>.Ticket(clientToken: "a", attempt: 2)
        _ = bucket.reserve(TokenBucket.Ticket(clientToken: "z", attempt: 1), at: .at(0))
        #expect(bucket.reserve(ticket, at: .at(0)) == .at(1000))
        bucket.release(ticket)
        #expect(bucket.bookedCount == 0)
    }

    @Test func throttledAnswersLowerTheRateAndSuccessesRaiseIt() {
        let bucket = TokenBucket<ManualClock.Instant>(rate: 10, burst: 5)
        bucket.throttled(at: .at(0))
        #expect(bucket.currentRate == 7)
        bucket.succeeded()
        #expect(abs(bucket.currentRate - 7.5) < 1e-9)
    }
}
