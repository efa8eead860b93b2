import AsyncHTTPClient
import ConnectSimulator
import Foundation
import NIOCore
import Testing

struct FaultTests {
    @Test func errorRateAnswers500() async throws {
        try await withSimulator(SimulatorConfiguration(faults: .init(errorRate: 1), seed: 1)) { session in
            let answer = try await session.send()
            #expect(answer.status == 500)
            #expect(answer.errorType == "InternalServiceException")
            #expect(session.simulator.requestLog().first?.outcome == .rejected)
        }
    }

    @Test func throttleRateAnswers429() async throws {
        try await withSimulator(SimulatorConfiguration(faults: .init(throttleRate: 1), seed: 1)) { session in
            let answer = try await session.send()
            #expect(answer.status == 429)
            #expect(answer.errorType == "TooManyRequestsException")
        }
    }

    @Test func resetRateClosesTheConnectionWithoutAnAnswer() async throws {
        try await withSimulator(SimulatorConfiguration(faults: .init(resetRate: 1), seed: 1)) { session in
            // The client sees the TCP reset itself: ECONNRESET, not an HTTP answer.
            let error = await #expect(throws: IOError.self) { try await session.send() }
            #expect(error?.errnoCode == ECONNRESET)
            let record = try #require(session.simulator.requestLog().first)
            #expect(record.status == nil)
            #expect(record.errorType == "ConnectionReset")
            #expect(record.outcome == .rejected)
        }
    }

    @Test(.timeLimit(.minutes(1)))
    func hangRateNeverAnswersAndShutdownEndsTheHang() async throws {
        try await withSimulator(SimulatorConfiguration(faults: .init(hangRate: 1), seed: 1)) { session in
            let error = await #expect(throws: HTTPClientError.self) {
                try await session.send(timeout: .seconds(2))
            }
            #expect(error == .deadlineExceeded)
            #expect(session.simulator.requestLog().first?.errorType == "Hang")
        }
        // withSimulator shut the simulator down: the hanging request did not hold it for its 10 minutes.
    }

    @Test func aSeedRepeatsTheSameFaults() async throws {
        func statuses(seed: UInt64) async throws -> [Int] {
            try await withSimulator(
                SimulatorConfiguration(faults: .init(throttleRate: 0.3, errorRate: 0.3), seed: seed)
            ) {
                session in
                var statuses: [Int] = []
                for _ in 0 ..< 30 {
                    statuses.append(try await session.send().status)
                }
                return statuses
            }
        }
        let first = try await statuses(seed: 42)
        #expect(try await statuses(seed: 42) == first)
        #expect(Set(first) == [200, 429, 500])
        #expect(try await statuses(seed: 43) != first)
    }
}
