import Foundation
import Synchronization
import Testing

@testable import ConnectSimulator

/// A contact's life on the engine, with time given by the test: ringing, the drawn outcome, its
/// length, the active-calls quota, agents and StopContact.
struct ContactLifeTests {
    let start = Date(timeIntervalSince1970: 1_764_700_000)

    /// An engine and the endings it reported.
    final class Recorder: Sendable {
        let endings = Mutex<[ContactEnding]>([])
        var all: [ContactEnding] { endings.withLock { $0 } }
    }

    func engine(_ configuration: SimulatorConfiguration) -> (SimulatorEngine, Recorder) {
        let recorder = Recorder()
        let engine = SimulatorEngine(configuration: configuration) { ending in
            recorder.endings.withLock { $0.append(ending) }
        }
        return (engine, recorder)
    }

    func configuration(
        _ outcomes: SimulatorConfiguration.OutcomeMix = .allAnswered,
        ring: Double = 3,
        call: Double = 10,
        maxActiveCalls: Int? = nil,
        agents: [String: Int] = [:]
    ) -> SimulatorConfiguration {
        SimulatorConfiguration(
            maxActiveCalls: maxActiveCalls,
            callSeconds: call,
            ringSeconds: .fixed(ring),
            outcomes: outcomes,
            agents: agents,
            seed: 7
        )
    }

    @Test func outcomeDrawsFollowTheMixAndTheSeed() throws {
        let mix = try SimulatorConfiguration.OutcomeMix(parsing: "answered=6,no-answer=2,busy=1,voicemail=1")
        func outcomes(seed: UInt64) -> [ContactOutcome] {
            let engine = SimulatorEngine(configuration: SimulatorConfiguration(outcomes: mix, seed: seed))
            let ids = (0 ..< 10_000).map { _ in
                engine.startContact(.init(instanceId: "i"), at: start).contactId
            }
            return ids.compactMap { engine.contact($0, instanceId: "i", at: start)?.outcome }
        }
        let drawn = outcomes(seed: 11)
        #expect(drawn.count == 10_000)
        let counts = Dictionary(grouping: drawn, by: { $0 }).mapValues(\.count)
        #expect((5_800 ... 6_200).contains(counts[.answered] ?? 0), "\(counts)")
        #expect((1_850 ... 2_150).contains(counts[.noAnswer] ?? 0), "\(counts)")
        #expect((900 ... 1_100).contains(counts[.busy] ?? 0), "\(counts)")
        #expect((900 ... 1_100).contains(counts[.voicemail] ?? 0), "\(counts)")
        #expect(counts[.abandoned] == nil)
        #expect(outcomes(seed: 11) == drawn)
        #expect(outcomes(seed: 12) != drawn)
    }

    @Test func ringingSpreadFollowsItsPercentiles() {
        let engine = SimulatorEngine(
            configuration: SimulatorConfiguration(
                callSeconds: 0,
                ringSeconds: .percentiles(p50: 2, p99: 6),
                outcomes: .allAnswered,
                seed: 3
            )
        )
        let rings = (0 ..< 20_000).compactMap { _ -> Double? in
            let id = engine.startContact(.init(instanceId: "i"), at: start).contactId
            return engine.contact(id, instanceId: "i", at: start)?.connectsAt?.timeIntervalSince(start)
        }.sorted()
        #expect(rings.count == 20_000)
        #expect(abs(rings[10_000] - 2) < 0.1, "p50 \(rings[10_000])")
        #expect(abs(rings[19_800] - 6) < 0.5, "p99 \(rings[19_800])")
    }

    @Test func anAnsweredCallRingsThenLastsTheCallSeconds() {
        let (engine, recorder) = engine(configuration())
        let id = engine.startContact(.init(token: "t", instanceId: "i"), at: start).contactId
        let ringing = engine.contact(id, instanceId: "i", at: start.addingTimeInterval(2.9))
        #expect(ringing?.connectedAt(seenAt: start.addingTimeInterval(2.9)) == nil)
        #expect(ringing?.isLive == true)
        let connected = engine.contact(id, instanceId: "i", at: start.addingTimeInterval(3))
        #expect(connected?.connectedAt(seenAt: start.addingTimeInterval(3)) == start.addingTimeInterval(3))
        #expect(engine.activeCalls(at: start.addingTimeInterval(12.9)) == 1)
        #expect(
            engine.startContact(.init(token: "t", instanceId: "i"), at: start.addingTimeInterval(12.9)).contactId == id
        )
        #expect(engine.activeCalls(at: start.addingTimeInterval(13)) == 0)
        let ended = engine.contact(id, instanceId: "i", at: start.addingTimeInterval(13))
        #expect(ended?.endedAt == start.addingTimeInterval(13))
        #expect(ended?.disconnectReason == "CUSTOMER_DISCONNECT")
        #expect(
            recorder.all == [
                ContactEnding(
                    time: start.addingTimeInterval(13),
                    contactId: id,
                    outcome: .answered,
                    seconds: 13,
                    stoppedBy: nil
                )
            ]
        )
        // Its token still returns it once it ended, until the token's 7 days are over.
        let repeated = engine.startContact(.init(token: "t", instanceId: "i"), at: start.addingTimeInterval(13))
        #expect(repeated == .init(contactId: id, newContact: false, outcome: .dialed))
        let week = start.addingTimeInterval(7 * 86_400)
        #expect(engine.startContact(.init(token: "t", instanceId: "i"), at: week).contactId != id)
    }

    @Test func noAnswerRingsUntilTheRingTimeout() throws {
        let (engine, recorder) = engine(configuration(try .init([.noAnswer: 1])))
        let id = engine.startContact(.init(instanceId: "i", ringTimeout: 20), at: start).contactId
        #expect(engine.activeCalls(at: start.addingTimeInterval(19.9)) == 1)
        let ended = engine.contact(id, instanceId: "i", at: start.addingTimeInterval(20))
        #expect(ended?.endedAt == start.addingTimeInterval(20))
        #expect(ended?.connectedAt(seenAt: start.addingTimeInterval(20)) == nil)
        #expect(ended?.disconnectReason == "TELECOM_TIMEOUT")
        #expect(recorder.all.map(\.outcome) == [.noAnswer])
    }

    @Test func busyAndVoicemailEndAsConnectShowsThem() throws {
        let (engine, recorder) = engine(configuration(try .init([.busy: 1])))
        let busy = engine.startContact(.init(instanceId: "i", answeringMachineDetection: true), at: start).contactId
        let ended = try #require(engine.contact(busy, instanceId: "i", at: start.addingTimeInterval(3)))
        #expect(ended.endedAt == start.addingTimeInterval(3))
        #expect(ended.disconnectReason == "TELECOM_BUSY")
        #expect(ended.answeringMachineDetectionStatus(seenAt: start.addingTimeInterval(3)) == "SIT_TONE_BUSY")

        let (voicemailEngine, _) = self.engine(configuration(try .init([.voicemail: 1])))
        let voicemail = voicemailEngine.startContact(.init(instanceId: "i", answeringMachineDetection: true), at: start)
        let left = try #require(
            voicemailEngine.contact(voicemail.contactId, instanceId: "i", at: start.addingTimeInterval(13))
        )
        #expect(left.disconnectReason == "CONTACT_FLOW_DISCONNECT")
        #expect(left.answeringMachineDetectionStatus(seenAt: start.addingTimeInterval(13)) == "VOICEMAIL_BEEP")
        #expect(recorder.all.map(\.outcome) == [.busy])
    }

    @Test func callsBeyondTheActiveQuotaEndAtOnceBusy() {
        let (engine, recorder) = engine(configuration(maxActiveCalls: 2))
        let starts = (0 ..< 3).map { _ in engine.startContact(.init(instanceId: "i"), at: start) }
        #expect(starts.map(\.outcome) == [.dialed, .dialed, .busy])
        #expect(engine.activeCalls(at: start) == 2)
        let busy = engine.contact(starts[2].contactId, instanceId: "i", at: start)
        #expect(busy?.endedAt == start)
        #expect(busy?.disconnectReason == "TELECOM_BUSY")
        #expect(recorder.all.map(\.outcome) == [.busy])
        #expect(recorder.all.map(\.seconds) == [0])
        // When the first two end, calls go through again.
        #expect(engine.startContact(.init(instanceId: "i"), at: start.addingTimeInterval(13)).outcome == .dialed)
    }

    @Test func anAnsweredCallHoldsAnAgentAndOneWithNoneFreeIsAbandoned() {
        var configuration = configuration(agents: ["sales": 1])
        configuration.abandonSeconds = 5
        let (engine, recorder) = engine(configuration)
        let first = engine.startContact(.init(instanceId: "i", queueId: "sales"), at: start).contactId
        let second = engine.startContact(.init(instanceId: "i", queueId: "sales"), at: start.addingTimeInterval(1))
            .contactId
        // An answered call for a queue without agents configured needs none.
        let elsewhere = engine.startContact(.init(instanceId: "i", queueId: "other"), at: start).contactId
        #expect(engine.agents(in: ["sales"], at: start) == [.init(queueId: "sales", online: 1, onCall: 0)])
        #expect(engine.agents(in: ["sales", "other"], at: start.addingTimeInterval(3)).map(\.available) == [0])
        let abandoned = engine.contact(second, instanceId: "i", at: start.addingTimeInterval(9))
        #expect(abandoned?.outcome == .abandoned)
        #expect(abandoned?.endedAt == start.addingTimeInterval(9))
        #expect(abandoned?.disconnectReason == "CUSTOMER_DISCONNECT")
        #expect(abandoned?.agentId == nil)
        #expect(engine.contact(first, instanceId: "i", at: start.addingTimeInterval(9))?.agentId != nil)
        #expect(engine.agents(in: ["sales"], at: start.addingTimeInterval(13)).map(\.available) == [1])
        #expect(
            recorder.all.map { [$0.contactId: $0.outcome] } == [
                // Ending at the same time, the one whose end was known first ends first.
                [second: .abandoned], [elsewhere: .answered], [first: .answered],
            ]
        )
    }

    @Test func stopContactEndsALiveCallOnceAndFreesItsAgent() {
        let (engine, recorder) = engine(configuration(agents: ["sales": 1]))
        let id = engine.startContact(.init(instanceId: "i", queueId: "sales"), at: start).contactId
        #expect(engine.agents(in: ["sales"], at: start.addingTimeInterval(4)).map(\.available) == [0])
        #expect(!engine.stop(id, instanceId: "other", reason: nil, at: start.addingTimeInterval(5)))
        #expect(!engine.stop("unknown", instanceId: "i", reason: nil, at: start.addingTimeInterval(5)))
        #expect(engine.stop(id, instanceId: "i", reason: nil, at: start.addingTimeInterval(5)))
        #expect(!engine.stop(id, instanceId: "i", reason: nil, at: start.addingTimeInterval(6)))
        #expect(engine.agents(in: ["sales"], at: start.addingTimeInterval(5)).map(\.available) == [1])
        let stopped = engine.contact(id, instanceId: "i", at: start.addingTimeInterval(20))
        #expect(stopped?.disconnectReason == "API")
        #expect(stopped?.endedAt == start.addingTimeInterval(5))
        #expect(
            recorder.all == [
                ContactEnding(
                    time: start.addingTimeInterval(5),
                    contactId: id,
                    outcome: .answered,
                    seconds: 5,
                    stoppedBy: "StopContact"
                )
            ]
        )
    }

    @Test func aStopWhileRingingNeverConnects() {
        let (engine, _) = engine(configuration())
        let id = engine.startContact(.init(instanceId: "i", answeringMachineDetection: true), at: start).contactId
        #expect(engine.stop(id, instanceId: "i", reason: "CUSTOMER_DISCONNECT", at: start.addingTimeInterval(1)))
        let stopped = engine.contact(id, instanceId: "i", at: start.addingTimeInterval(30))
        #expect(stopped?.connectedAt(seenAt: start.addingTimeInterval(30)) == nil)
        #expect(stopped?.answeringMachineDetectionStatus(seenAt: start.addingTimeInterval(30)) == nil)
        #expect(stopped?.disconnectReason == "CUSTOMER_DISCONNECT")
    }

    @Test func theOldestEndedContactsAreForgottenPastTheLimit() {
        var configuration = configuration(call: 0)
        configuration.ringSeconds = .fixed(0)
        configuration.endedContactsKept = 2
        let (engine, _) = engine(configuration)
        let ids = (0 ..< 3).map { _ in engine.startContact(.init(instanceId: "i"), at: start).contactId }
        let later = start.addingTimeInterval(1)
        #expect(ids.map { engine.contact($0, instanceId: "i", at: later) != nil } == [false, true, true])
    }
}
