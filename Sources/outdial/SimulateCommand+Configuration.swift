import ConnectSimulator

extension SimulateCommand {
    /// The simulator's configuration for these options (already checked by `validate()`).
    var simulatorConfiguration: SimulatorConfiguration {
        var rateLimit = tps.map { SimulatorConfiguration.RateLimit(tps: $0, burst: burst) }
        var operationQuotas = SimulatorConfiguration.defaultOperationQuotas
        for case let (operation, quota)? in apiTps.map(SimulatorConfiguration.parseOperationQuota) {
            if operation == .startOutboundVoiceContact {
                rateLimit = quota
            } else {
                operationQuotas[operation] = quota
            }
        }
        return SimulatorConfiguration(
            host: host,
            port: port,
            region: region,
            accessKey: accessKey,
            secretKey: secretKey,
            sessionToken: sessionToken,
            latency: latency.flatMap(SimulatorConfiguration.Latency.init(parsing:)) ?? .none,
            rateLimit: rateLimit,
            maxActiveCalls: maxActiveCalls,
            callSeconds: callSeconds,
            ringSeconds: SimulatorConfiguration.Spread(parsing: ringSeconds) ?? .percentiles(p50: 2, p99: 6),
            outcomes: (try? SimulatorConfiguration.OutcomeMix(parsing: outcomes)) ?? .standard,
            agents: SimulatorConfiguration.parseAgents(agents) ?? [:],
            operationQuotas: operationQuotas,
            faults: SimulatorConfiguration.Faults(
                throttleRate: throttleRate,
                errorRate: errorRate,
                resetRate: resetRate,
                hangRate: hangRate
            ),
            seed: seed,
            logPath: logPath,
            // The command runs for long; its records go to --log, not to memory.
            recordsKeptInMemory: 0
        )
    }
}
