import ConnectSimulator
import Foundation
import Testing

struct IdempotencyTests {
    @Test func aRepeatedTokenReturnsItsContactForSevenDaysEvenOnceItEnded() async throws {
        let configuration = SimulatorConfiguration(callSeconds: 30, ringSeconds: .fixed(0), outcomes: .allAnswered)
        try await withSimulator(configuration) { session in
            let body = SimulatorSession.body(["ClientToken": "od1-repeat"])
            let first = try #require(try await session.send(body).contactId)
            session.clock.advance(by: 29)
            #expect(try await session.send(body).contactId == first)
            session.clock.advance(by: 1)
            #expect(session.simulator.activeCalls() == 0)
            #expect(try await session.send(body).contactId == first)
            session.clock.advance(by: 7 * 86_400 - 30)
            let second = try #require(try await session.send(body).contactId)
            #expect(second != first)
            let log = session.simulator.requestLog()
            #expect(log.map(\.newContact) == [true, false, false, true])
            #expect(log.map(\.contactId) == [first, first, first, second])
            #expect(log.allSatisfy { $0.outcome == .dialed && $0.token == "od1-repeat" })
        }
    }

    @Test func aBusyContactIsReturnedForItsTokenToo() async throws {
        let configuration = SimulatorConfiguration(maxActiveCalls: 0)
        try await withSimulator(configuration) { session in
            let body = SimulatorSession.body(["ClientToken": "od1-busy"])
            let first = try #require(try await session.send(body).contactId)
            #expect(try await session.send(body).contactId == first)
            #expect(session.simulator.requestLog().map(\.outcome) == [.busy, .dialed])
            #expect(session.simulator.endedContacts().map(\.contactId) == [first])
        }
    }

    @Test func requestsWithoutATokenAreEachANewContact() async throws {
        try await withSimulator { session in
            let first = try await session.send().contactId
            let second = try await session.send().contactId
            #expect(first != nil && second != nil && first != second)
        }
    }

    @Test func concurrentIdenticalTokensStartExactlyOneContact() async throws {
        try await withSimulator { session in
            let body = SimulatorSession.body(["ClientToken": "od1-race"])
            let ids = try await withThrowingTaskGroup(of: String?.self) { group in
                for _ in 0 ..< 50 {
                    group.addTask { try await session.send(body).contactId }
                }
                var ids: [String?] = []
                for try await id in group { ids.append(id) }
                return ids
            }
            #expect(ids.count == 50)
            #expect(Set(ids.compactMap { $0 }).count == 1)
            #expect(!ids.contains(nil))
            let log = session.simulator.requestLog()
            #expect(log.count == 50)
            #expect(log.filter(\.newContact).count == 1)
            #expect(session.simulator.activeCalls() == 1)
        }
    }
}
