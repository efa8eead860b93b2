import ConnectSimulator
import Testing

struct SimulatorConfigurationTests {
    @Test func parsesLatency() {
        #expect(SimulatorConfiguration.Latency(parsing: "20") == .fixed(milliseconds: 20))
        #expect(SimulatorConfiguration.Latency(parsing: "0") == SimulatorConfiguration.Latency.none)
        #expect(SimulatorConfiguration.Latency(parsing: "15,120") == .percentiles(p50: 15, p99: 120))
        #expect(SimulatorConfiguration.Latency(parsing: "30,30") == .fixed(milliseconds: 30))
        for bad in ["", "x", "-1", "120,15", "1,2,3", "0,10", "5,"] {
            #expect(SimulatorConfiguration.Latency(parsing: bad) == nil, "\(bad)")
        }
    }

    @Test func burstDefaultsToTheRate() {
        #expect(SimulatorConfiguration.RateLimit(tps: 2.5).burst == 3)
        #expect(SimulatorConfiguration.RateLimit(tps: 0.2).burst == 1)
        #expect(SimulatorConfiguration.RateLimit(tps: 5, burst: 9).burst == 9)
    }
}
