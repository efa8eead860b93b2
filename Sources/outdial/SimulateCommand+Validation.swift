import ArgumentParser
import ConnectSimulator
import Foundation

extension SimulateCommand {
    func validate() throws {
        guard (0 ... 65_535).contains(port) else {
            throw ValidationError("--port must be from 0 to 65535.")
        }
        guard (accessKey == nil) == (secretKey == nil) else {
            throw ValidationError("--access-key and --secret-key go together.")
        }
        if let latency, SimulatorConfiguration.Latency(parsing: latency) == nil {
            throw ValidationError(
                "--latency must be MS or P50,P99 in milliseconds (P99 at least P50), e.g. 20 or 15,120."
            )
        }
        if let tps, !(tps > 0 && tps.isFinite) {
            throw ValidationError("--tps must be a positive number.")
        }
        if let burst {
            guard tps != nil else { throw ValidationError("--burst needs --tps.") }
            guard burst >= 1 else { throw ValidationError("--burst must be at least 1.") }
        }
        if let maxActiveCalls, maxActiveCalls < 0 {
            throw ValidationError("--max-active-calls must be 0 or more.")
        }
        guard callSeconds >= 0, callSeconds.isFinite else {
            throw ValidationError("--call-seconds must be 0 or more.")
        }
        if SimulatorConfiguration.Spread(parsing: ringSeconds) == nil {
            throw ValidationError(
                "--ring-seconds must be S or P50,P99 in seconds (P50 above 0, P99 at least P50), e.g. 3 or 2,6."
            )
        }
        do {
            _ = try SimulatorConfiguration.OutcomeMix(parsing: outcomes)
        } catch {
            throw ValidationError(
                "--outcomes: \(error.description), e.g. answered=0.6,no-answer=0.2,busy=0.1,voicemail=0.1."
            )
        }
        if SimulatorConfiguration.parseAgents(agents) == nil {
            throw ValidationError("--agents must be QUEUE=N with N 0 or more, each queue once, e.g. sales=3,support=2.")
        }
        for value in apiTps where SimulatorConfiguration.parseOperationQuota(value) == nil {
            throw ValidationError(
                "--api-tps: '\(value)' is not NAME=R/B, NAME=R or NAME=off with NAME one of DescribeContact, "
                    + "StopContact, GetCurrentMetricData (or StartOutboundVoiceContact, like --tps)."
            )
        }
        let rates = [
            ("--throttle-rate", throttleRate), ("--error-rate", errorRate), ("--reset-rate", resetRate),
            ("--hang-rate", hangRate),
        ]
        for (name, rate) in rates where !(0 ... 1).contains(rate) {
            throw ValidationError("\(name) must be from 0 to 1.")
        }
        guard rates.map(\.1).reduce(0, +) <= 1 else {
            throw ValidationError("The fault rates together must not exceed 1.")
        }
    }
}
