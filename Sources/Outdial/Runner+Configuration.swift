import Foundation
import OutdialClient
import OutdialCore
import OutdialLedger

extension Runner {
    /// Everything a runner needs to know, filled from command-line options (or by a program that
    /// embeds outdial). Every part has a default, so `Configuration()` validates, plans and dry-runs.
    public struct Configuration: Sendable {
        /// How rows are read and checked.
        public var planning = Planning()
        /// How fast rows are sent; `nil` takes the job's `pacing`, then the default.
        public var pacing = Pacing()
        /// Attempts, timeouts and the halt rule.
        public var retry = Retry()
        /// Where result lines, the summary and the progress line go.
        public var output = Output()
        /// The journal and what it allows.
        public var state = State()
        /// Where requests go and how they are signed.
        public var aws = AWS()
        /// Send to a simulator started in-process on a free loopback port (no AWS account needed).
        public var simulate = false
        /// Do everything but send.
        public var dryRun = false
        /// Start no call after this moment.
        public var deadline: Date?
        /// How calling windows are kept.
        public var window = Window()
        /// How started calls are followed and paced by (live-calls.md).
        public var calls = Calls()
        /// Turn SIGINT and SIGTERM into interrupts of the run (the command sets it; a program that
        /// embeds the runner usually handles signals itself).
        public var handlesSignals = false
        /// outdial's version, for `User-Agent`.
        public var version = Runner.version
        /// The command line, recorded in lock files.
        public var command = ""

        public init() {}

        /// How rows are read and checked.
        public struct Planning: Sendable {
            /// Destination prefixes blocked by default that may be dialled (`--allow-prefix`).
            public var allowPrefixes: [String] = []
            /// Refuse the whole batch (exit 2) when any row is invalid (`--strict`).
            public var strict = false

            public init(allowPrefixes: [String] = [], strict: Bool = false) {
                self.allowPrefixes = allowPrefixes
                self.strict = strict
            }

            var options: PlanningOptions { PlanningOptions(allowPrefixes: allowPrefixes, strict: strict) }
        }

        /// Flags that win over each job's `pacing`.
        public struct Pacing: Sendable {
            /// Requests in flight at once (default 10).
            public var concurrency: Int?
            /// Requests started per second, 0 for unlimited (default 2).
            public var rate: Double?
            /// Token-bucket size (default 5).
            public var burst: Int?
            /// The account whose `rate` and `burst` the processes recording in one store share, per
            /// region (`--quota-key`); processes with different keys keep apart.
            public var quotaKey = Self.defaultQuotaKey

            /// The key of every process that names none: one account per store.
            public static let defaultQuotaKey = "account"

            public init(
                concurrency: Int? = nil,
                rate: Double? = nil,
                burst: Int? = nil,
                quotaKey: String = Self.defaultQuotaKey
            ) {
                self.concurrency = concurrency
                self.rate = rate
                self.burst = burst
                self.quotaKey = quotaKey
            }
        }

        /// Attempts, timeouts and the halt rule.
        public struct Retry: Sendable {
            /// Attempts per row for retryable errors.
            public var maxAttempts = 3
            /// The time limit of one attempt.
            public var timeout: Duration = .seconds(10)
            /// Abort after this many consecutive non-retryable failures with one error code.
            public var haltAfter = 20

            public init(maxAttempts: Int = 3, timeout: Duration = .seconds(10), haltAfter: Int = 20) {
                self.maxAttempts = maxAttempts
                self.timeout = timeout
                self.haltAfter = haltAfter
            }
        }

        /// Where result lines, the summary and the progress line go.
        public struct Output: Sendable {
            /// Append result (or plan) lines to this file, created with mode 0600; `nil` is
            /// standard output.
            public var results: String?
            /// Write the end-of-run summary as JSON to this file (mode 0600).
            public var summary: String?
            /// Draw a live progress line on standard error; `nil`: when it is a terminal.
            public var progress: Bool?
            /// Write the run's metrics to this file in the Prometheus text format (node_exporter's
            /// textfile collector), every `metricsInterval` while the run goes on and at its end.
            public var metricsFile: String?
            /// Push the run's metrics to this Prometheus Pushgateway at the end.
            public var pushgateway: String?
            /// How often the metrics file is rewritten during a run.
            public var metricsInterval: Duration = .seconds(5)

            public init(
                results: String? = nil,
                summary: String? = nil,
                progress: Bool? = nil,
                metricsFile: String? = nil,
                pushgateway: String? = nil
            ) {
                self.results = results
                self.summary = summary
                self.progress = progress
                self.metricsFile = metricsFile
                self.pushgateway = pushgateway
            }
        }

        /// The journal and what it allows.
        public struct State: Sendable {
            /// The ledger's directory, or a `postgres://` URL naming the ledger on PostgreSQL; `nil`
            /// resolves `OUTDIAL_STATE_URL`, `OUTDIAL_STATE_DIR`, `XDG_STATE_HOME`, `HOME`.
            public var directory: String?
            /// Send again rows whose earlier outcome is unknown.
            public var redialUncertain = false
            /// How long the ledger waits for another process's lock before the run stops.
            public var busyTimeout: Duration = Ledger.defaultBusyTimeout
            /// Run as one of several workers of the job (`--worker`), with this lease on the rows
            /// claimed; nil takes the job for this run alone.
            public var workerLease: Duration?

            public init(
                directory: String? = nil,
                redialUncertain: Bool = false,
                busyTimeout: Duration = Ledger.defaultBusyTimeout
            ) {
                self.directory = directory
                self.redialUncertain = redialUncertain
                self.busyTimeout = busyTimeout
            }
        }

        /// How started calls are followed, and the pacing by live calls (live-calls.md).
        public struct Calls: Sendable {
            /// Follow each started call to its end and write its line then, with its outcome
            /// (`--no-follow` turns it off: lines are written when Connect accepts the request).
            public var follow = true
            /// `--max-active-calls`: calls of the run live at once, at most; nil takes the jobs'
            /// `pacing.activeCalls` (the smallest), then 10; 0 turns the pacing off.
            public var maxActive: Int?
            /// `--pace agents --agent-ratio R`: rows with a `QueueId` start only while the run's
            /// calls for the queue are fewer than R times its free agents; nil is off.
            public var agentRatio: Double?
            /// `--describe-rate`: `DescribeContact` requests per second at most (burst 1.5 times
            /// it); half of Connect's default quota by default.
            public var describeRate: Double = 5

            public init(follow: Bool = true, maxActive: Int? = nil, agentRatio: Double? = nil) {
                self.follow = follow
                self.maxActive = maxActive
                self.agentRatio = agentRatio
            }
        }

        /// How calling windows are kept (calling-window.md).
        public struct Window: Sendable {
            /// Rows whose window is closed wait for it to open (until `deadline`) instead of being
            /// `skipped: outside-window` (`--wait`).
            public var wait = false
            /// The time of day the run starts at, as calling windows and result lines see it; `nil`
            /// is now. For tests and demos only (`OUTDIAL_START_TIME`): the run's clock then goes on
            /// from this time at the real pace.
            public var startTime: Date?
            /// The window `replay` holds rows to: the job files' `window` is not in the results, so
            /// the default (08:00-21:00 in each row's zone, the zone it was judged in when the line
            /// says), or `.off` (`replay --window off`).
            public var replay: WindowSetting = .standard

            public init(wait: Bool = false, startTime: Date? = nil, replay: WindowSetting = .standard) {
                self.wait = wait
                self.startTime = startTime
                self.replay = replay
            }
        }

        /// Where requests go and how they are signed.
        public struct AWS: Sendable {
            /// The AWS options of the command line.
            public var options = AWSOptions()
            /// The environment credentials, region and endpoint are read from; `nil` is the process's.
            public var environment: AWSEnvironment?

            public init(options: AWSOptions = AWSOptions(), environment: AWSEnvironment? = nil) {
                self.options = options
                self.environment = environment
            }
        }

        /// Pacing, retries and stops for the executor: each flag wins over the jobs' `pacing`
        /// (the slowest job's figure when several files are sent together), then the default.
        func executor(jobPacing: [OutdialCore.Pacing]) -> ExecutorConfiguration {
            var configuration = ExecutorConfiguration(
                concurrency: pacing.concurrency ?? jobPacing.compactMap(\.concurrency).min() ?? 10,
                rate: pacing.rate ?? jobPacing.compactMap(\.rate).min() ?? 2,
                burst: pacing.burst ?? jobPacing.compactMap(\.burst).min() ?? 5,
                maxAttempts: retry.maxAttempts,
                haltAfter: retry.haltAfter,
                deadline: deadline,
                dryRun: dryRun,
                redialUncertain: state.redialUncertain,
                waitForWindow: window.wait
            )
            configuration.follow = calls.follow
            configuration.stopCheckInterval = .seconds(1)
            configuration.agentRatio = calls.agentRatio
            configuration.describeRate = calls.describeRate
            configuration.describeBurst = max(1, Int((calls.describeRate * 1.5).rounded(.down)))
            configuration.maxActiveCalls = calls.maxActive ?? jobPacing.compactMap(\.activeCalls).min() ?? 10
            return configuration
        }
    }
}
