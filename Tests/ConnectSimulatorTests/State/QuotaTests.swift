import ConnectSimulator
import Foundation
import Testing

struct QuotaTests {
    @Test func answers429PastTheRateAndBurst() async throws {
        let configuration = SimulatorConfiguration(rateLimit: .init(tps: 2, burst: 3))
        try await withSimulator(configuration) { session in
            var statuses: [Int] = []
            for _ in 0 ..< 5 {
                statuses.append(try await session.send().status)
            }
            #expect(statuses == [200, 200, 200, 429, 429])
            let throttled = try await session.send()
            #expect(throttled.errorType == "TooManyRequestsException")
            #expect(throttled.message == "Rate exceeded")
            // Half a second at 2 per second refills one token.
            session.clock.advance(by: 0.5)
            #expect(try await session.send().status == 200)
            #expect(try await session.send().status == 429)
            session.clock.advance(by: 10)
            statuses = []
            for _ in 0 ..< 4 {
                statuses.append(try await session.send().status)
            }
            #expect(statuses == [200, 200, 200, 429])
            let rejected = session.simulator.requestLog().filter { $0.status == 429 }
            #expect(rejected.allSatisfy { $0.outcome == .rejected && $0.contactId == nil })
        }
    }

    @Test func callsPastMaxActiveCallsAreAcceptedButBusy() async throws {
        let configuration = SimulatorConfiguration(
            maxActiveCalls: 2,
            callSeconds: 10,
            ringSeconds: .fixed(0),
            outcomes: .allAnswered
        )
        try await withSimulator(configuration) { session in
            var answers: [Answer] = []
            for index in 0 ..< 4 {
                answers.append(try await session.send(SimulatorSession.body(["ClientToken": "busy-\(index)"])))
            }
            #expect(answers.map(\.status) == [200, 200, 200, 200])
            #expect(answers.allSatisfy { $0.contactId != nil })
            #expect(session.simulator.requestLog().map(\.outcome) == [.dialed, .dialed, .busy, .busy])
            #expect(session.simulator.activeCalls() == 2)
            session.clock.advance(by: 10)
            #expect(session.simulator.activeCalls() == 0)
            _ = try await session.send()
            #expect(session.simulator.requestLog().last?.outcome == .dialed)
        }
    }
}
