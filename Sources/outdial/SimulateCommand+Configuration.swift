import ConnectSimulator

extension SimulateCommand {
    /// The simulator's configuration for these options.
    var simulatorConfiguration: SimulatorConfiguration {
        SimulatorConfiguration(
            host: host,
            port: port,
            region: region,
            accessKey: accessKey,
            secretKey: secretKey,
            sessionToken: sessionToken,
            latency: latency.flatMap(SimulatorConfiguration.Latency.init(parsing:)) ?? .none,
            rateLimit: tps.map { SimulatorConfiguration.RateLimit(tps: $0, burst: burst) },
            maxActiveCalls: maxActiveCalls,
            callSeconds: callSeconds,
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
