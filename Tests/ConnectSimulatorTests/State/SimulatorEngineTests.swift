import Foundation
import Testing

@testable import ConnectSimulator

struct SimulatorEngineTests {
    @Test func latencyPercentilesFollowTheLogNormalFit() {
        let engine = SimulatorEngine(
            configuration: SimulatorConfiguration(latency: .percentiles(p50: 20, p99: 200), seed: 7)
        )
        let now = Date()
        let samples = (0 ..< 20_000).map { _ in engine.admit(at: now).delay }.sorted()
        let p50 = samples[samples.count / 2]
        let p99 = samples[samples.count * 99 / 100]
        #expect(p50 > .milliseconds(18) && p50 < .milliseconds(22), "p50 \(p50)")
        #expect(p99 > .milliseconds(170) && p99 < .milliseconds(235), "p99 \(p99)")
    }

    @Test func fixedLatencyIsExact() {
        let engine = SimulatorEngine(configuration: SimulatorConfiguration(latency: .fixed(milliseconds: 12.5)))
        #expect(engine.admit(at: Date()).delay == .microseconds(12_500))
    }

    @Test func aSeedGivesTheSameContactIds() {
        func ids(_ seed: UInt64) -> [String] {
            let engine = SimulatorEngine(configuration: SimulatorConfiguration(seed: seed))
            return (0 ..< 3).map { _ in engine.startContact(.init(), at: Date()).contactId }
        }
        #expect(ids(1) == ids(1))
        #expect(ids(1) != ids(2))
        #expect(ids(1).allSatisfy { UUID(uuidString: $0) != nil && $0 == $0.lowercased() })
    }
}
