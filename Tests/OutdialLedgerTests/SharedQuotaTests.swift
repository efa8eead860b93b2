import Foundation
import OutdialCore
import Testing

@testable import OutdialLedger

/// The account's quota kept in the store, taken from by several processes (each one its own
/// connection to the same file), on a wall clock the test moves.
struct SharedQuotaTests {
    /// Three connections take two tokens each every 10 ms for `seconds`; the tokens given in all.
    static func takeTogether(
        _ ledgers: [Ledger],
        clock: TestWallClock,
        seconds: Int,
        rate: Double,
        burst: Int,
        throttleAt: Int? = nil
    ) async throws -> (total: Int, perSecond: [Int]) {
        var perSecond = [Int](repeating: 0, count: seconds)
        for tick in 0 ..< seconds * 100 {
            if tick == throttleAt {
                // A burst of throttled answers seen by two of them at once: the pace halves once.
                try await ledgers[0].quotaThrottled(key: "us-east-1")
                try await ledgers[1].quotaThrottled(key: "us-east-1")
            }
            for ledger in ledgers {
                let grant = try await ledger.takeQuota(key: "us-east-1", want: 2, rate: rate, burst: burst)
                perSecond[tick / 100] += grant.tokens
            }
            clock.advance(by: 0.01)
        }
        return (perSecond.reduce(0, +), perSecond)
    }

    @Test func processesTogetherStartNoMoreThanTheRateAndTheBurst() async throws {
        let state = try TemporaryState()
        defer { state.remove() }
        let clock = TestWallClock()
        var ledgers: [Ledger] = []
        for _ in 0 ..< 3 { ledgers.append(try await ClaimTests.open(state, clock: clock)) }
        let (total, perSecond) = try await Self.takeTogether(ledgers, clock: clock, seconds: 5, rate: 20, burst: 5)
        // The burst at once, then 20 a second: the three together, not 20 each.
        #expect(total <= 5 + 20 * 5)
        #expect(total >= 20 * 5 - 1)
        #expect(perSecond.dropFirst().allSatisfy { (19 ... 21).contains($0) }, "\(perSecond)")
        for ledger in ledgers { await ledger.close() }
    }

    @Test func anEmptyBucketSaysWhenTheNextTokenComes() async throws {
        let state = try TemporaryState()
        defer { state.remove() }
        let clock = TestWallClock()
        let ledger = try await ClaimTests.open(state, clock: clock)
        #expect(try await ledger.takeQuota(key: "k", want: 5, rate: 4, burst: 3).tokens == 3)
        let empty = try await ledger.takeQuota(key: "k", want: 1, rate: 4, burst: 3)
        #expect(empty.tokens == 0)
        #expect(empty.retryAfter == .milliseconds(250))
        clock.advance(by: 0.25)
        #expect(try await ledger.takeQuota(key: "k", want: 1, rate: 4, burst: 3).tokens == 1)
        // Another key is another account's bucket.
        #expect(try await ledger.takeQuota(key: "other", want: 5, rate: 4, burst: 3).tokens == 3)
        await ledger.close()
    }

    @Test func aThrottledAnswerSlowsEveryProcessThenThePaceComesBack() async throws {
        let state = try TemporaryState()
        defer { state.remove() }
        let clock = TestWallClock()
        var ledgers: [Ledger] = []
        for _ in 0 ..< 3 { ledgers.append(try await ClaimTests.open(state, clock: clock)) }
        let (_, perSecond) = try await Self.takeTogether(
            ledgers,
            clock: clock,
            seconds: 14,
            rate: 20,
            burst: 5,
            throttleAt: 200
        )
        // Full pace before; half (10 a second) in the second after the throttle, not a quarter
        // (two answers of one burst halve it once); back to 20 within ten seconds.
        #expect((19 ... 21).contains(perSecond[1]), "\(perSecond)")
        #expect((9 ... 13).contains(perSecond[2]), "\(perSecond)")
        #expect((19 ... 21).contains(perSecond[13]), "\(perSecond)")
        for ledger in ledgers { await ledger.close() }
    }
}
