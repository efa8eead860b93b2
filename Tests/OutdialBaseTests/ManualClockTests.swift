import OutdialBase
import Testing

struct ManualClockTests {
    @Test(.timeLimit(.minutes(1))) func advanceResumesOnlyTheSleepersWhoseDeadlineIsReached() async {
        let clock = ManualClock()
        let (woken, wake) = AsyncStream.makeStream(of: Int.self)
        await withTaskGroup(of: Void.self) { group in
            for milliseconds in [300, 100, 200, 900] {
                group.addTask {
                    try? await clock.sleep(until: clock.now.advanced(by: .milliseconds(milliseconds)))
                    wake.yield(milliseconds)
                }
            }
            await clock.sleepers(atLeast: 4)
            var iterator = woken.makeAsyncIterator()
            clock.advance(by: .milliseconds(250))
            #expect(clock.sleeperCount == 2)
            #expect(clock.now.offset == .milliseconds(250))
            #expect(Set([await iterator.next(), await iterator.next()]) == [100, 200])
            clock.advance(to: ManualClock.Instant(offset: .milliseconds(300)))
            #expect(await iterator.next() == 300)
            #expect(clock.sleeperCount == 1)
            clock.advance(to: ManualClock.Instant(offset: .seconds(1)))
            #expect(await iterator.next() == 900)
            await group.waitForAll()
        }
        #expect(clock.sleeperCount == 0)
    }

    @Test(.timeLimit(.minutes(1))) func sleepingUntilAPassedInstantReturnsAtOnce() async throws {
        let clock = ManualClock()
        clock.advance(by: .seconds(5))
        try await clock.sleep(until: ManualClock.Instant(offset: .seconds(5)))
        try await clock.sleep(for: .zero)
        #expect(clock.now.offset == .seconds(5))
        #expect(clock.sleeperCount == 0)
    }

    @Test(.timeLimit(.minutes(1))) func aCancelledSleeperThrowsCancellationError() async {
        let clock = ManualClock()
        let sleeper = Task {
            do {
                try await clock.sleep(until: clock.now.advanced(by: .seconds(60)))
                return "woke"
            } catch is CancellationError {
                return "cancelled"
            } catch {
                return "other"
            }
        }
        await clock.sleepers(atLeast: 1)
        sleeper.cancel()
        #expect(await sleeper.value == "cancelled")
        #expect(clock.sleeperCount == 0)
        #expect(clock.now.offset == .zero)
    }

    @Test(.timeLimit(.minutes(1))) func aTaskCancelledBeforeSleepingDoesNotSleep() async {
        let clock = ManualClock()
        let sleeper = Task {
            withUnsafeCurrentTask { $0?.cancel() }
            return (try? await clock.sleep(until: clock.now.advanced(by: .seconds(1)))) != nil
        }
        #expect(await sleeper.value == false)
        #expect(clock.sleeperCount == 0)
    }

    @Test func instantsAreOffsetsFromZero() {
        let zero = ManualClock.Instant(offset: .zero)
        let later = zero.advanced(by: .milliseconds(1500))
        #expect(zero < later)
        #expect(zero.duration(to: later) == .milliseconds(1500))
        #expect(ManualClock(now: later).now == later)
    }
}

struct DurationSecondsTests {
    @Test func secondsKeepTheFraction() {
        #expect(Duration.milliseconds(1500).inSeconds == 1.5)
        #expect(Duration.seconds(-2).inSeconds == -2)
        #expect(Duration.zero.inSeconds == 0)
    }

    @Test func millisecondsAreWhole() {
        #expect(Duration.microseconds(2999).inMilliseconds == 2)
        #expect(Duration.seconds(3).inMilliseconds == 3000)
    }
}
