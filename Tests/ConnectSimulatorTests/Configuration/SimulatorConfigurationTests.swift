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

struct LiveCallConfigurationTests {
    @Test func parsesAndNormalisesTheOutcomeMix() throws {
        let mix = try SimulatorConfiguration.OutcomeMix(parsing: "answered=3, busy=1")
        #expect(mix.weights == [.answered: 0.75, .busy: 0.25])
        #expect(abs(SimulatorConfiguration.OutcomeMix.standard.weights.values.reduce(0, +) - 1) < 1e-12)
        let problems: [(String, String)] = [
            ("answered=0.5,hung-up=0.5", "'hung-up=0.5' is not NAME=WEIGHT"),
            ("answered=-1,busy=2", "answered must be a number 0 or more"),
            ("answered=0,busy=0", "the weights must add up to more than 0"),
            ("answered=x", "'x' is not a number"),
            ("busy=1,busy=2", "busy is given twice"),
            ("abandoned=1", "abandoned is not drawn"),
        ]
        for (text, expected) in problems {
            #expect(throws: SimulatorConfiguration.OutcomeMix.Problem.self, "\(text)") {
                try SimulatorConfiguration.OutcomeMix(parsing: text)
            }
            do {
                _ = try SimulatorConfiguration.OutcomeMix(parsing: text)
            } catch {
                #expect(error.description.hasPrefix(expected), "\(text): \(error.description)")
            }
        }
    }

    @Test func parsesRingSeconds() {
        #expect(SimulatorConfiguration.Spread(parsing: "3") == .fixed(3))
        #expect(SimulatorConfiguration.Spread(parsing: "0") == .fixed(0))
        #expect(SimulatorConfiguration.Spread(parsing: "2,6") == .percentiles(p50: 2, p99: 6))
        for bad in ["", "-1", "6,2", "0,4", "a,b", "1,2,3"] {
            #expect(SimulatorConfiguration.Spread(parsing: bad) == nil, "\(bad)")
        }
    }

    @Test func parsesOperationQuotasAndAgents() {
        let describe = SimulatorConfiguration.parseOperationQuota("DescribeContact=4/9")
        #expect(describe?.0 == .describeContact)
        #expect(describe?.1 == .init(tps: 4, burst: 9))
        #expect(SimulatorConfiguration.parseOperationQuota("StopContact=2.5")?.1 == .init(tps: 2.5, burst: 3))
        #expect(SimulatorConfiguration.parseOperationQuota("GetCurrentMetricData=off").map { $0.1 == nil } == true)
        for bad in ["Describe=1/2", "DescribeContact=0", "DescribeContact=1/0", "DescribeContact", "StopContact=a/b"] {
            #expect(SimulatorConfiguration.parseOperationQuota(bad) == nil, "\(bad)")
        }
        #expect(SimulatorConfiguration.defaultOperationQuotas[.getCurrentMetricData] == .init(tps: 5, burst: 8))
        #expect(
            SimulatorConfiguration.parseAgents(["sales=3,support=0", "vip=1"]) == ["sales": 3, "support": 0, "vip": 1]
        )
        for bad in [["sales"], ["sales=-1"], ["=2"], ["sales=1", "sales=2"]] {
            #expect(SimulatorConfiguration.parseAgents(bad) == nil, "\(bad)")
        }
    }
}
