import OutdialBase
import OutdialCore
import Synchronization
import Testing

@testable import OutdialClient

/// The turns given, in order, with the clock's time of each.
final class Turns: Sendable {
    private let list = Mutex<[(name: String, at: Duration)]>([])
    func add(_ name: String, _ at: Duration) { list.withLock { $0.append((name, at)) } }
    var all: [(name: String, at: Duration)] { list.withLock { $0 } }
}

/// Which live call `DescribeContact` asks about next, on the manual clock.
struct PollSchedulerTests {
    typealias Instant = ManualClock.Instant

    static func at(_ seconds: Double) -> Instant { Instant(offset: .milliseconds(Int64(seconds * 1000))) }

    /// A scheduler and its driver on `clock`, a bucket of one request a second.
    static func running(
        _ scheduler: PollScheduler<Instant>,
        clock: ManualClock
    ) -> (Task<Void, Never>, StopSignal) {
        let stop = StopSignal(interrupt: InterruptSignal())
        let bucket = TokenBucket<Instant>(rate: 1, burst: 1)
        return (Task { await scheduler.drive(clock: clock, bucket: bucket, stop: stop) }, stop)
    }

    /// Asks for a turn for a call started at `started`; records when it came.
    static func waiting(
        _ scheduler: PollScheduler<Instant>,
        started: Double,
        name: String,
        clock: ManualClock,
        into turns: Turns
    ) -> Task<Bool, Never> {
        Task {
            let granted = await scheduler.turn(startedAt: at(started), lastLook: nil, now: clock.now)
            if granted { turns.add(name, clock.now.offset) }
            return granted
        }
    }

    /// Moves the clock on in steps of 100 ms while the driver sleeps, until `done` or `limit`.
    static func advance(_ clock: ManualClock, until limit: Double, while going: () -> Bool) async {
        while going(), clock.now < at(limit) {
            if clock.sleeperCount > 0 { clock.advance(by: .milliseconds(100)) }
            await Task.yield()
        }
    }

    @Test(.timeLimit(.minutes(1))) func theBudgetGoesToTheCallMostLikelyToHaveEnded() async {
        let clock = ManualClock(now: Self.at(5))
        let scheduler = PollScheduler<Instant>(firstPoll: .seconds(2), pollInterval: .seconds(1))
        // The run's calls so far lasted about 4 s.
        for seconds in [3.8, 3.9, 4.0, 4.0, 4.1, 4.1, 4.2, 4.3] { scheduler.ended(lasting: seconds) }
        let turns = Turns()
        let young = Self.waiting(scheduler, started: 3, name: "young", clock: clock, into: turns)
        let old = Self.waiting(scheduler, started: 1, name: "old", clock: clock, into: turns)
        let (driver, _) = Self.running(scheduler, clock: clock)
        _ = await old.value
        // The call of 4 s first, although the younger one is eligible too (2 s old).
        #expect(turns.all.map(\.name) == ["old"])

        // The young call is asked about only once calls of its age have ended (3.8 s: at 6.8 s),
        // the token kept until then.
        await Self.advance(clock, until: 9) { turns.all.count < 2 }
        #expect(await young.value)
        let youngTurn = turns.all.last?.at
        #expect(
            youngTurn.map { $0 >= .milliseconds(6_800) && $0 < .milliseconds(7_000) } == true,
            "\(String(describing: youngTurn))"
        )
        driver.cancel()
        await driver.value
    }

    @Test(.timeLimit(.minutes(1))) func anAnsweredCallIsAskedAboutWhenItsTalkShouldHaveEnded() async {
        let clock = ManualClock(now: Self.at(2))
        let scheduler = PollScheduler<Instant>(firstPoll: .seconds(2), pollInterval: .seconds(1))
        // The run's calls lasted about 4 s, of which 2 s of talk after their answer.
        for seconds in [3.9, 4.0, 4.0, 4.1, 4.1, 4.2, 4.2, 4.3] { scheduler.ended(lasting: seconds, talking: 2) }
        let turns = Turns()
        // Both started at 0 and were asked about at 2 s; one had been answered 1.5 s after its start.
        let answered = Task {
            let granted = await scheduler.turn(
                startedAt: Self.at(0),
                lastLook: Self.at(2),
                answeredAfter: .milliseconds(1_500),
                now: clock.now
            )
            if granted { turns.add("answered", clock.now.offset) }
        }
        let ringing = Task {
            let granted = await scheduler.turn(startedAt: Self.at(0), lastLook: Self.at(2), now: clock.now)
            if granted { turns.add("ringing", clock.now.offset) }
        }
        let (driver, _) = Self.running(scheduler, clock: clock)
        await Self.advance(clock, until: 8) { turns.all.count < 2 }
        _ = await (answered.value, ringing.value)
        let seen = turns.all
        #expect(seen.map(\.name) == ["answered", "ringing"])
        // Asked about when its 2 s of talk are over (3.5 s), not when calls of its age end (3.9 s).
        #expect(seen.first.map { $0.at >= .milliseconds(3_500) && $0.at < .milliseconds(3_700) } == true, "\(seen)")
        #expect(seen.last.map { $0.at >= .milliseconds(3_900) } == true, "\(seen)")
        driver.cancel()
        await driver.value
    }

    @Test(.timeLimit(.minutes(1))) func beforeEnoughCallsEndedTheLongestUnaskedGoesFirstAfterItsFirstPoll() async {
        let clock = ManualClock()
        let scheduler = PollScheduler<Instant>(firstPoll: .seconds(2), pollInterval: .seconds(1))
        let turns = Turns()
        let (driver, _) = Self.running(scheduler, clock: clock)
        let second = Self.waiting(scheduler, started: 0.5, name: "second", clock: clock, into: turns)
        let first = Self.waiting(scheduler, started: 0, name: "first", clock: clock, into: turns)
        await Self.advance(clock, until: 5) { turns.all.count < 2 }
        _ = await (first.value, second.value)
        let seen = turns.all
        #expect(seen.map(\.name) == ["first", "second"])
        // Nobody is asked about before its first poll (2 s after its start).
        #expect(seen[0].at >= .seconds(2))
        #expect(seen[1].at >= .milliseconds(2_500))
        driver.cancel()
        await driver.value
    }

    @Test(.timeLimit(.minutes(1))) func callsWaitingWhenTheRunStopsAreLetGo() async {
        let clock = ManualClock()
        let scheduler = PollScheduler<Instant>(firstPoll: .seconds(2), pollInterval: .seconds(1))
        let (driver, stop) = Self.running(scheduler, clock: clock)
        let turns = Turns()
        let waiting = Self.waiting(scheduler, started: 0, name: "call", clock: clock, into: turns)
        await clock.sleepers(atLeast: 1)
        stop.abort(RowError(code: "Halted", message: "the run stopped"))
        #expect(await waiting.value == false)
        await driver.value
        // A call asking after the run ended is let go at once.
        #expect(await scheduler.turn(startedAt: Self.at(0), lastLook: nil, now: clock.now) == false)
        #expect(turns.all.isEmpty)
    }
}
