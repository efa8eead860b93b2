import Testing

@testable import OutdialClient

struct InterruptSignalTests {
    @Test func firstTriggerRaisesAndKeepsItsName() {
        let flag = InterruptSignal()
        #expect(!flag.isRaised)
        #expect(flag.name == nil)
        flag.trigger(name: "SIGTERM")
        #expect(flag.isRaised)
        #expect(!flag.isStopNow)
        flag.trigger(name: "SIGINT")
        #expect(flag.isStopNow)
        #expect(flag.triggerCount == 2)
        #expect(flag.name == "SIGTERM")
    }

    @Test(.timeLimit(.minutes(1))) func triggerWakesWaiters() async {
        let flag = InterruptSignal()
        async let waited: Void = flag.waitUntilRaised()
        async let second: Void = flag.wait(untilTriggered: 2)
        flag.trigger(name: "SIGTERM")
        await waited
        #expect(flag.name == "SIGTERM")
        flag.trigger()
        await second
        #expect(flag.isStopNow)
    }

    @Test(.timeLimit(.minutes(1))) func aCancelledWaiterReturnsWithoutATrigger() async {
        let flag = InterruptSignal()
        let waiter = Task { await flag.waitUntilRaised() }
        waiter.cancel()
        await waiter.value
        #expect(!flag.isRaised)
    }
}
