import ArgumentParser
import ConnectSimulator
import Foundation
import Logging
import OutdialClient
import OutdialCore

/// outdial's version, for `--version` and `User-Agent`.
enum OutdialVersion {
    static let current = "0.1.0"
}

/// The logger of a command: standard error, `--debug` lowers the level to debug.
enum CommandLogging {
    private static let bootstrap: Void = {
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = .notice
            return handler
        }
    }()

    static func logger(_ label: String, debug: Bool) -> Logger {
        _ = bootstrap
        var logger = Logger(label: label)
        logger.logLevel = debug ? .debug : .notice
        return logger
    }
}

/// The part `run`, `replay` and `spool` share: from planned rows to result lines and an exit code.
struct SendSession {
    var run: RunOptions
    var aws: AWSOptionGroup
    /// The jobs' own pacing, used where no flag is given.
    var pacing: [Pacing]

    /// Sends `rows`, writing `settled` and every row's line; prints the summary; returns the
    /// exit code.
    func send(_ rows: [PlannedRow], settled: [ResultLine], output: String?, summaryPath: String?) async throws -> Int32
    {
        let logger = CommandLogging.logger("outdial", debug: aws.debug)
        let sink: NDJSONResultWriter
        do {
            sink = try output.map { try NDJSONResultWriter(appendingTo: $0) } ?? NDJSONResultWriter()
        } catch {
            Self.printError("\(error)")
            return 2
        }

        var deadline: Date?
        if let text = run.deadline {
            guard let parsed = Deadline.parse(text) else {
                Self.printError(
                    "--deadline \(text): expected HH:MM (local time) or an RFC 3339 time, e.g. 20:30 or 2026-11-25T20:30:00Z"
                )
                return 2
            }
            deadline = parsed
        }

        let executor = ExecutorConfiguration(
            concurrency: run.concurrency ?? pacing.compactMap(\.concurrency).min() ?? 10,
            rate: run.rate ?? pacing.compactMap(\.rate).min() ?? 2,
            burst: run.burst ?? pacing.compactMap(\.burst).min() ?? 5,
            maxAttempts: run.maxAttempts,
            haltAfter: run.haltAfter,
            deadline: deadline,
            dryRun: run.dryRun,
            redialUncertain: run.redialUncertain
        )
        var awsOptions = AWSOptions(
            endpointURL: aws.endpointURL,
            region: aws.region,
            profile: aws.profile,
            caBundle: aws.caBundle,
            noVerifySSL: aws.noVerifySSL,
            connectTimeout: aws.connectTimeout,
            debug: aws.debug
        )
        var environment = AWSEnvironment.current()
        var simulator: RunningSimulator?
        if run.simulate && !run.dryRun {
            let running = try await ConnectSimulator.start(
                SimulatorConfiguration(recordsKeptInMemory: 0),
                logger: CommandLogging.logger("outdial.simulate", debug: false)
            )
            simulator = running
            awsOptions = AWSOptions(endpointURL: running.url, region: running.region, debug: aws.debug)
            environment = AWSEnvironment(
                variables: [
                    "AWS_ACCESS_KEY_ID": running.credentials.accessKeyId,
                    "AWS_SECRET_ACCESS_KEY": running.credentials.secretAccessKey,
                    "AWS_EC2_METADATA_DISABLED": "true",
                ],
                homeDirectory: "/nonexistent"
            )
            Self.printError("outdial: sending to the built-in simulator at \(running.url) (nobody is dialled)")
        }

        let configuration = BatchRunConfiguration(
            executor: executor,
            aws: awsOptions,
            environment: environment,
            stateDirectory: StateDirectory.resolve(
                option: run.stateDir,
                environment: ProcessInfo.processInfo.environment
            ),
            timeout: .milliseconds(Int64((run.timeout * 1000).rounded())),
            version: OutdialVersion.current,
            command: CommandLine.arguments.joined(separator: " "),
            progress: run.progress ?? (isatty(STDERR_FILENO) == 1)
        )
        let interrupt = InterruptSignal.installing()
        let outcome = await BatchRun.send(
            rows,
            settled: settled,
            configuration: configuration,
            into: sink,
            interrupt: interrupt,
            logger: logger
        )
        sink.synchronize()
        try? await simulator?.shutdown()

        if let refused = outcome.refused {
            Self.printError("outdial: \(refused.message)")
        }
        FileHandle.standardError.write(Data(outcome.summary.text().utf8))
        if let summaryPath {
            do {
                try Data(outcome.json()).write(to: URL(fileURLWithPath: summaryPath))
            } catch {
                Self.printError("outdial: cannot write the summary to \(summaryPath): \(error.localizedDescription)")
            }
        }
        return outcome.exitCode
    }

    static func printError(_ text: String) {
        FileHandle.standardError.write(Data((text + "\n").utf8))
    }
}
