import OutdialBase
import OutdialCore
import Testing

@testable import OutdialClient

struct StopSignalTests {
    @Test func abortAndInterruptGiveTheirReasons() {
        let interrupt = InterruptSignal()
        let stop = StopSignal(interrupt: interrupt)
        #expect(stop.reason == nil)
        interrupt.trigger()
        #expect(stop.reason == .interrupted)
        stop.abort(.denied)
        stop.abort(.invalidNumber)
        #expect(stop.reason == .halted)
        #expect(stop.abortReason == .denied)
        #expect(!stop.isStoppingNow)
        interrupt.trigger()
        #expect(stop.isStoppingNow)
    }

    @Test(.timeLimit(.minutes(1))) func sleepReachesItsDeadlineOnTheClock() async {
        let clock = ManualClock()
        let stop = StopSignal(interrupt: InterruptSignal())
        async let reached = stop.sleep(until: clock.now.advanced(by: .seconds(3)), on: clock)
        await clock.sleepers(atLeast: 1)
        clock.advance(by: .seconds(3))
        #expect(await reached)
    }

    @Test(.timeLimit(.minutes(1))) func anAbortEndsASleepAtOnce() async {
        let clock = ManualClock()
        let stop = StopSignal(interrupt: InterruptSignal())
        async let reached = stop.sleep(until: clock.now.advanced(by: .seconds(3)), on: clock)
        await clock.sleepers(atLeast: 1)
        stop.abort(.denied)
        #expect(await reached == false)
        #expect(clock.now.offset == .zero)
        #expect(clock.sleeperCount == 0)
    }

    @Test(.timeLimit(.minutes(1))) func aFollowedInterruptEndsASleepAtOnce() async {
        let clock = ManualClock()
        let interrupt = InterruptSignal()
        let stop = StopSignal(interrupt: interrupt)
        let follower = Task { await stop.follow() }
        async let reached = stop.sleep(until: clock.now.advanced(by: .seconds(3)), on: clock)
        await clock.sleepers(atLeast: 1)
        interrupt.trigger()
        #expect(await reached == false)
        interrupt.trigger()
        await follower.value
        #expect(stop.isStoppingNow)
    }
}
