import ArgumentParser
import Foundation
import Outdial

extension RunOptions {
    /// The runner's configuration for these options and `aws`.
    func configuration(aws: AWSOptionGroup) throws -> Runner.Configuration {
        let environment = ProcessInfo.processInfo.environment
        var configuration = Runner.Configuration()
        configuration.planning = .init(allowPrefixes: allowPrefixes, strict: strict)
        configuration.pacing = .init(
            concurrency: concurrency,
            rate: rate,
            burst: burst,
            quotaKey: quotaKey ?? Runner.Configuration.Pacing.defaultQuotaKey
        )
        configuration.retry = .init(
            maxAttempts: maxAttempts,
            timeout: .milliseconds(Int64((timeout * 1000).rounded())),
            haltAfter: haltAfter
        )
        configuration.output = .init(
            results: output,
            summary: summary,
            progress: progress,
            metricsFile: metricsFile,
            pushgateway: pushgateway
        )
        configuration.state = .init(directory: state ?? stateDir, redialUncertain: redialUncertain)
        if worker {
            configuration.state.workerLease = .milliseconds(Int64(((lease ?? 30) * 1000).rounded()))
        }
        if let busyTimeout = try Self.busyTimeout(environment) {
            configuration.state.busyTimeout = busyTimeout
        }
        configuration.aws = .init(options: aws.options)
        configuration.simulate = simulate
        configuration.dryRun = dryRun
        let startTime = try StartTime.fromEnvironment(environment)
        configuration.deadline = try parsedDeadline(now: startTime ?? Date())
        configuration.window.wait = wait
        try calls.apply(to: &configuration.calls, environment: environment)
        configuration.window.startTime = startTime
        configuration.handlesSignals = true
        configuration.command = CommandLine.arguments.joined(separator: " ")
        return configuration
    }

    /// `OUTDIAL_LEDGER_BUSY_TIMEOUT`: how long, in seconds, the ledger waits for another
    /// process's lock before the run stops; nil when not set.
    static func busyTimeout(_ environment: [String: String]) throws -> Duration? {
        guard let text = environment["OUTDIAL_LEDGER_BUSY_TIMEOUT"] else { return nil }
        guard let seconds = Double(text), seconds.isFinite, seconds >= 0, seconds <= 86_400 else {
            throw ValidationError(
                "OUTDIAL_LEDGER_BUSY_TIMEOUT=\(text): expected a number of seconds from 0 to 86400, e.g. 10"
            )
        }
        return .milliseconds(Int64((seconds * 1000).rounded()))
    }
}
