import Foundation
import Testing

@testable import OutdialClient

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

struct InterruptSignalTests {
    @Test(.timeLimit(.minutes(1))) func aSignalRaisesTheFlag() async {
        let flag = InterruptSignal.installing(signals: [SIGUSR2])
        #expect(!flag.isRaised)
        kill(getpid(), SIGUSR2)
        await flag.waitUntilRaised()
        #expect(flag.isRaised)
        #expect(flag.name == "signal \(SIGUSR2)")
    }

    @Test func triggerWakesWaiters() async {
        let flag = InterruptSignal()
        async let waited: Void = flag.waitUntilRaised()
        flag.trigger(name: "SIGTERM")
        await waited
        #expect(flag.name == "SIGTERM")
    }
}
