import ConnectSimulator
import Foundation
import Logging
import OutdialBase
import OutdialClient
import OutdialCore
import OutdialLedger

/// The part `run`, `replay` and a spool pass share: from planned rows to result lines, the
/// summary file and the exit code.
struct SendSession {
    var configuration: Runner.Configuration
    var messages: MessageLog
    var logger: Logger

    /// The built-in simulator of `--simulate`: short calls (ringing about a second, answered calls
    /// lasting three), so a rehearsal that follows its calls ends soon; no unanswered calls (they
    /// would ring for the request's whole ring timeout).
    static var rehearsal: SimulatorConfiguration {
        var configuration = SimulatorConfiguration(
            callSeconds: 3,
            ringSeconds: .percentiles(p50: 1, p99: 2),
            recordsKeptInMemory: 0
        )
        if let mix = try? SimulatorConfiguration.OutcomeMix(parsing: "answered=0.8,busy=0.1,voicemail=0.1") {
            configuration.outcomes = mix
        }
        return configuration
    }

    /// The ledger (`--state`/`--state-dir`, `OUTDIAL_STATE_URL`, `OUTDIAL_STATE_DIR`, else under the
    /// home directory), not opened yet; nil when there is none. A state URL that cannot be used
    /// gives a store that refuses every run.
    func stateStore() -> LedgerStore? {
        do {
            return try LedgerLocation.resolve(
                option: configuration.state.directory,
                environment: configuration.aws.environment?.variables ?? ProcessInfo.processInfo.environment
            ).map { LedgerStore(location: $0, busyTimeout: configuration.state.busyTimeout) }
        } catch {
            return LedgerStore(unusable: error)
        }
    }

    /// Sends `rows`, writing `settled` and every row's line to `results` (standard output when
    /// nil) and the summary to `summaryPath`.
    /// - Parameters:
    ///   - store: the ledger (`stateStore()`); closed here.
    ///   - jobPacing: the jobs' own pacing, used where no flag is given.
    ///   - jobRules: each source file's `limits` and `limitKey`, by path as given.
    ///   - interrupt: raised by a signal (when the configuration handles them) or by the caller.
    func send(
        _ rows: [PlannedRow],
        settled: [ResultLine],
        jobPacing: [OutdialCore.Pacing],
        jobRules: [String: JobRules],
        results: String?,
        summaryPath: String?,
        store: LedgerStore?,
        interrupt: InterruptSignal
    ) async -> RunOutcome {
        let progress = configuration.output.progress ?? (isatty(STDERR_FILENO) == 1)
        let sink: NDJSONResultWriter
        do {
            sink = try ResultOutput.open(results, buffered: false, progress: progress)
        } catch {
            await store?.close()
            return .refused("nothing was sent: \(error.message)")
        }

        var aws = configuration.aws.options
        var environment = configuration.aws.environment ?? AWSEnvironment.current()
        var simulator: RunningSimulator?
        if configuration.simulate && !configuration.dryRun {
            do {
                var quiet = logger
                quiet.logLevel = .critical
                let running = try await ConnectSimulator.start(Self.rehearsal, logger: quiet)
                simulator = running
                aws = AWSOptions(endpointURL: running.url, region: running.region, debug: aws.debug)
                environment = AWSEnvironment(
                    variables: [
                        "AWS_ACCESS_KEY_ID": running.credentials.accessKeyId,
                        "AWS_SECRET_ACCESS_KEY": running.credentials.secretAccessKey,
                        "AWS_EC2_METADATA_DISABLED": "true",
                    ],
                    homeDirectory: "/nonexistent"
                )
                messages.line("outdial: sending to the built-in simulator at \(running.url) (nobody is dialled)")
            } catch {
                await store?.close()
                return .refused("nothing was sent: the built-in simulator did not start: \(error)")
            }
        }
        messages.flush()

        let output = configuration.output
        var metrics: RunMetrics<ContinuousClock>?
        if output.metricsFile != nil || output.pushgateway != nil {
            metrics = RunMetrics(
                file: output.metricsFile,
                pushgateway: output.pushgateway,
                interval: output.metricsInterval,
                clock: ContinuousClock()
            )
        }
        var executor = configuration.executor(jobPacing: jobPacing)
        executor.monitor = metrics?.monitor
        if let problem = metrics?.start() {
            try? await simulator?.shutdown()
            await store?.close()
            return .refused("nothing was sent: \(problem)")
        }
        var batch = BatchRunConfiguration(
            executor: executor,
            aws: aws,
            environment: environment,
            records: store,
            rules: jobRules,
            timeout: configuration.retry.timeout,
            version: configuration.version,
            command: configuration.command,
            progress: progress,
            startTime: configuration.window.startTime
        )
        batch.quotaKey = configuration.pacing.quotaKey
        batch.workerLease = configuration.state.workerLease
        // The sending side logs an abort as an error; the summary says it already, so outside
        // --debug only critical logs get through and the abort is printed once.
        var sendingLogger = logger
        if sendingLogger.logLevel > .debug { sendingLogger.logLevel = .critical }
        let outcome = await SignalForwarding.forwarding(
            to: interrupt,
            enabled: configuration.handlesSignals,
            messages: messages
        ) {
            await BatchRun.send(
                rows,
                settled: settled,
                configuration: batch,
                into: sink,
                interrupt: interrupt,
                logger: sendingLogger
            )
        }
        sink.synchronize()
        await store?.close()
        try? await simulator?.shutdown()
        let metricsWarnings = await metrics?.finish(exitCode: outcome.exitCode) ?? []
        for warning in outcome.warnings + metricsWarnings {
            messages.line("outdial: warning: \(warning)")
        }

        if let summaryPath {
            if let problem = SummaryFile.write(outcome.json(), to: summaryPath) {
                messages.line("outdial: cannot write the summary to \(summaryPath): \(problem)")
            }
        }
        return RunOutcome(
            summary: outcome.summary,
            exitCode: outcome.exitCode,
            interrupted: interrupt.isRaised
        )
    }
}
