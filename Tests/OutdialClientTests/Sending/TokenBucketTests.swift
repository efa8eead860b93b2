import Foundation
import Testing

@testable import OutdialClient

/// An instant on a made-up time line (offset from zero).
struct TestInstant: InstantProtocol {
    var offset: Duration

    func advanced(by duration: Duration) -> TestInstant { TestInstant(offset: offset + duration) }
    func duration(to other: TestInstant) -> Duration { other.offset - offset }
    static func < (a: TestInstant, b: TestInstant) -> Bool { a.offset < b.offset }

    static func at(_ seconds: Double) -> TestInstant { TestInstant(offset: .seconds(seconds)) }
    var seconds: Double {
        let (whole, atto) = offset.components
        return Double(whole) + Double(atto) / 1e18
    }
}

/// A clock whose sleeps return at once, moving time to their deadline.
final class VirtualClock: Clock, @unchecked Sendable {
    typealias Instant = TestInstant
    private let lock = NSLock()
    private var current = TestInstant(offset: .zero)

    var now: TestInstant { lock.withLock { current } }
    var minimumResolution: Duration { .nanoseconds(1) }

    func sleep(until deadline: TestInstant, tolerance: Duration?) async throws {
        lock.withLock { current = max(current, deadline) }
    }
}

struct TokenBucketTests {
    /// Grants for requests that are always waiting (each arrives the moment the previous one goes).
    static func saturatedGrants(rate: Double, burst: Int, count: Int) -> [Double] {
        var schedule = RateSchedule<TestInstant>(rate: rate, burst: burst)
        var now = TestInstant.at(0)
        var grants: [Double] = []
        for _ in 0 ..< count {
            now = schedule.reserve(at: now)
            grants.append(now.seconds)
        }
        return grants
    }

    @Test func burstGoesAtOnceThenOneEveryInterval() {
        let grants = Self.saturatedGrants(rate: 2, burst: 5, count: 8)
        #expect(grants == [0, 0, 0, 0, 0, 0.5, 1.0, 1.5])
    }

    @Test func neverMoreThanBurstAtOneInstantNorBurstPlusRateInAnyWindow() {
        let rate = 7.3
        let burst = 4
        let grants = Self.saturatedGrants(rate: rate, burst: burst, count: 500)
        let byInstant = Dictionary(grouping: grants, by: { $0 })
        #expect(byInstant.values.map(\.count).max() == burst)
        for (index, start) in grants.enumerated() {
            let inWindow = grants[index...].prefix { $0 < start + 1 }.count
            #expect(Double(inWindow) <= Double(burst) + rate)
        }
    }

    @Test func longRunRateIsWithinTwoPercentOverThirtySeconds() {
        for rate in [2.0, 3.7, 50, 0.5] {
            let grants = Self.saturatedGrants(rate: rate, burst: 5, count: Int(rate * 40) + 10)
            // Steady state: after the initial burst, over 30 s.
            let window = grants.filter { $0 >= 1 && $0 < 31 }
            let achieved = Double(window.count) / 30
            #expect(abs(achieved - rate) / rate < 0.02, "rate \(rate): achieved \(achieved)")
        }
    }

    @Test func lateArrivalsDoNotBankMoreThanTheBurst() {
        var schedule = RateSchedule<TestInstant>(rate: 1, burst: 3)
        // Idle for a minute, then ten at once: only the burst goes immediately.
        let grants = (0 ..< 10).map { _ in schedule.reserve(at: .at(60)).seconds }
        #expect(grants == [60, 60, 60, 61, 62, 63, 64, 65, 66, 67])
    }

    @Test func unlimitedRateNeverWaits() {
        var schedule = RateSchedule<TestInstant>(rate: 0, burst: 1)
        #expect((0 ..< 100).allSatisfy { _ in schedule.reserve(at: .at(5)) == .at(5) })
    }

    @Test func adaptiveRateBacksOffAndCreepsBack() {
        var schedule = RateSchedule<TestInstant>(rate: 10, burst: 1)
        schedule.throttled(at: .at(0))
        #expect(schedule.rate == 7)
        schedule.throttled(at: .at(0.5))  // same burst of throttles: counted once
        #expect(schedule.rate == 7)
        schedule.throttled(at: .at(1.0))
        #expect(abs(schedule.rate - 4.9) < 1e-9)
        for second in 2 ..< 40 { schedule.throttled(at: .at(Double(second))) }
        #expect(schedule.rate == 1)  // the floor, a tenth of the rate
        for _ in 0 ..< 25 { schedule.succeeded() }
        #expect(schedule.rate == 10)
        // A lower rate spaces grants further apart.
        schedule.throttled(at: .at(100))
        let first = schedule.reserve(at: .at(200))
        let second = schedule.reserve(at: .at(200))
        #expect(first == .at(200))
        #expect(abs(first.duration(to: second).componentsSeconds - 1 / 7.0) < 1e-9)
    }

    @Test func slotAfterTheDeadlineIsRefusedWithoutWaiting() async {
        let clock = VirtualClock()
        let bucket = TokenBucket(rate: 1, burst: 2, clock: clock)
        let deadline = TestInstant.at(1.5)
        var answers: [Bool] = []
        for _ in 0 ..< 4 {
            answers.append(await bucket.acquire(before: deadline) { false })
        }
        #expect(answers == [true, true, true, false])
        #expect(clock.now == .at(1))
        #expect(await bucket.acquire(before: nil) { true } == false)
    }

    @Test func bucketSleepsUntilItsSlotOnTheInjectedClock() async {
        let clock = VirtualClock()
        let bucket = TokenBucket(rate: 10, burst: 5, clock: clock)
        var times: [Double] = []
        for _ in 0 ..< 25 {
            await bucket.acquire()
            times.append(clock.now.seconds)
        }
        #expect(times.prefix(5).allSatisfy { $0 == 0 })
        #expect(abs(times[5] - 0.1) < 1e-9)
        #expect(abs(times[24] - 2.0) < 1e-9)
    }
}

extension Duration {
    fileprivate var componentsSeconds: Double {
        Double(components.seconds) + Double(components.attoseconds) / 1e18
    }
}
