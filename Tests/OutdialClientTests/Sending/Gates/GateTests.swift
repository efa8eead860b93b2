import OutdialBase
import OutdialCore
import Testing

@testable import OutdialClient

extension Admission {
    var summary: String {
        switch self {
        case .go: "go"
        case .notBefore(let instant): "notBefore \(instant)"
        case .later(let instant): "later \(instant)"
        case .skip(let reason, let error, _): "skip \(reason.rawValue) \(error?.code ?? "-")"
        }
    }
}

struct StopGateTests {
    let row = Rows.make(1)[0]

    @Test func passesWhileRunningThenSkipsWithTheStopsReason() async {
        let interrupt = InterruptSignal()
        let stop = StopSignal(interrupt: interrupt)
        let chain = AdmissionChain<ManualClock.Instant>([StopGate(stop: stop)])
        #expect(await chain.admit(row, attempt: 1, now: .at(0)).summary == "go")
        interrupt.trigger()
        #expect(await chain.admit(row, attempt: 2, now: .at(0)).summary == "skip interrupted -")
        stop.abort(.denied)
        #expect(await chain.admit(row, attempt: 1, now: .at(0)).summary == "skip halted -")
    }
}

struct DeadlineGateTests {
    let row = Rows.make(1)[0]

    @Test func refusesAtAndAfterTheDeadline() async {
        let chain = AdmissionChain<ManualClock.Instant>([DeadlineGate(deadline: .at(2000))])
        #expect(await chain.admit(row, attempt: 1, now: .at(1999)).summary == "go")
        #expect(await chain.admit(row, attempt: 1, now: .at(2000)).summary == "skip deadline -")
        #expect(await chain.admit(row, attempt: 3, now: .at(5000)).summary == "skip deadline -")
    }

    @Test func turnsAWaitPastTheDeadlineIntoASkip() async {
        let before = AdmissionChain<ManualClock.Instant>([
            DeadlineGate(deadline: .at(2000)), TestGate { _, _ in .notBefore(.at(1500)) },
        ])
        #expect(await before.admit(row, attempt: 1, now: .at(0)).summary == "notBefore \(ManualClock.Instant.at(1500))")
        let after = AdmissionChain<ManualClock.Instant>([
            DeadlineGate(deadline: .at(2000)), TestGate { _, _ in .notBefore(.at(2000)) },
        ])
        #expect(await after.admit(row, attempt: 1, now: .at(0)).summary == "skip deadline -")
    }
}

struct RateGateTests {
    let rows = Rows.make(3)

    @Test func holdsEachAttemptUntilItsSlotAndBooksItOnce() async {
        let bucket = TokenBucket<ManualClock.Instant>(rate: 2, burst: 1)
        let chain = AdmissionChain<ManualClock.Instant>([RateGate(bucket: bucket)])
        #expect(await chain.admit(rows[0], attempt: 1, now: .at(0)).summary == "go")
        #expect(
            await chain.admit(rows[1], attempt: 1, now: .at(0)).summary == "notBefore \(ManualClock.Instant.at(500))"
        )
        #expect(
            await chain.admit(rows[2], attempt: 1, now: .at(0)).summary == "notBefore \(ManualClock.Instant.at(1000))"
        )
        // Asked again once its slot came, row 1 goes without taking another slot.
        #expect(await chain.admit(rows[1], attempt: 1, now: .at(500)).summary == "go")
        // A retry of row 0 is a new attempt: the next slot.
        #expect(
            await chain.admit(rows[0], attempt: 2, now: .at(500)).summary == "notBefore \(ManualClock.Instant.at(1500))"
        )
    }

    @Test func aSkippedAttemptReleasesItsBooking() async {
        let bucket = TokenBucket<ManualClock.Instant>(rate: 1, burst: 1)
        let chain = AdmissionChain<ManualClock.Instant>([RateGate(bucket: bucket)])
        _ = await chain.admit(rows[0], attempt: 1, now: .at(0))
        _ = await chain.admit(rows[1], attempt: 1, now: .at(0))
        #expect(bucket.bookedCount == 1)
        await chain.attemptEnded(rows[1], attempt: 1, outcome: nil, at: .at(0))
        #expect(bucket.bookedCount == 0)
    }

    @Test func throttledAnswersLowerTheRateAndStartsRaiseIt() async {
        let bucket = TokenBucket<ManualClock.Instant>(rate: 10, burst: 1)
        let chain = AdmissionChain<ManualClock.Instant>([RateGate(bucket: bucket)])
        await chain.attemptEnded(rows[0], attempt: 1, outcome: .throttled, at: .at(0))
        #expect(bucket.currentRate == 7)
        await chain.attemptEnded(rows[0], attempt: 1, outcome: .serverError, at: .at(2000))
        #expect(bucket.currentRate == 7)
        await chain.attemptEnded(rows[0], attempt: 2, outcome: .started(contactId: "c", milliseconds: 1), at: .at(2000))
        #expect(bucket.currentRate == 7.5)
    }
}

struct AdmissionChainTests {
    let row = Rows.make(1)[0]

    @Test func gatesAreAskedInOrderAndTheFirstAnswerWins() async {
        let skip = AdmissionChain<ManualClock.Instant>([
            TestGate { _, _ in .skip(.halted, .denied) }, TestGate { _, _ in .notBefore(.at(9)) },
        ])
        #expect(await skip.admit(row, attempt: 1, now: .at(0)).summary == "skip halted UnrecognizedClientException")
        let empty = AdmissionChain<ManualClock.Instant>([])
        #expect(await empty.admit(row, attempt: 1, now: .at(0)).summary == "go")
    }
}
