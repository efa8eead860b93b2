import Foundation

/// Everything the simulator can be told: where it listens, whom it trusts, how fast it answers,
/// its quotas and the faults it injects.
///
/// Defaults give a well-behaved service on a free loopback port with generated credentials.
public struct SimulatorConfiguration: Sendable {
    /// The per-request service time.
    public enum Latency: Sendable, Hashable {
        /// Answer as soon as possible.
        case none
        /// Always this many milliseconds.
        case fixed(milliseconds: Double)
        /// A log-normal distribution with this median and 99th percentile, in milliseconds.
        case percentiles(p50: Double, p99: Double)

        /// Parses `MS` (fixed) or `P50,P99` (log-normal), in milliseconds; `nil` when malformed,
        /// negative, or when the 99th percentile is below the median.
        public init?(parsing text: String) {
            switch Spread(parsing: text) {
            case nil: return nil
            case .fixed(let milliseconds): self = milliseconds == 0 ? .none : .fixed(milliseconds: milliseconds)
            case .percentiles(let p50, let p99): self = .percentiles(p50: p50, p99: p99)
            }
        }
    }

    /// The API rate quota: a token bucket refilled at `tps` per second holding at most `burst`.
    public struct RateLimit: Sendable, Hashable {
        /// Requests per second, sustained.
        public var tps: Double
        /// Requests allowed at once after a quiet period.
        public var burst: Int

        /// Creates a quota; `burst` defaults to `tps` rounded up (at least 1).
        public init(tps: Double, burst: Int? = nil) {
            self.tps = tps
            self.burst = max(1, burst ?? Int(tps.rounded(.up)))
        }
    }

    /// Probabilities, each from 0 to 1, of the faults drawn for each authenticated request.
    public struct Faults: Sendable, Hashable {
        /// Answer 429 `TooManyRequestsException` whatever the quota.
        public var throttleRate: Double
        /// Answer 500 `InternalServiceException`.
        public var errorRate: Double
        /// Close the connection (TCP reset) without answering.
        public var resetRate: Double
        /// Never answer (until shutdown, or `hangLimit`).
        public var hangRate: Double

        /// Creates fault rates; all default to 0.
        public init(throttleRate: Double = 0, errorRate: Double = 0, resetRate: Double = 0, hangRate: Double = 0) {
            self.throttleRate = throttleRate
            self.errorRate = errorRate
            self.resetRate = resetRate
            self.hangRate = hangRate
        }
    }

    /// The address to listen on.
    public var host: String
    /// The port; 0 picks a free one.
    public var port: Int
    /// The region requests must be signed for.
    public var region: String
    /// The access key id clients sign with; generated (`AKID` and 16 random characters) when `nil`.
    public var accessKey: String?
    /// The secret access key; generated when `nil`.
    public var secretKey: String?
    /// When set, requests must carry this `x-amz-security-token`.
    public var sessionToken: String?
    /// The service time of each answer.
    public var latency: Latency
    /// The API rate quota; `nil` for none.
    public var rateLimit: RateLimit?
    /// Calls that may be active at once; more are accepted but end busy. `nil` for no limit.
    public var maxActiveCalls: Int?
    /// How long an answered call (or a voicemail) lasts once connected, in seconds.
    public var callSeconds: Double
    /// How long a contact rings before it is answered, busy or goes to voicemail, in seconds.
    public var ringSeconds: Spread
    /// How contacts end (drawn per contact, seeded).
    public var outcomes: OutcomeMix
    /// Agents per queue id: an answered call whose request names that `QueueId` holds one for its
    /// length; one answered when none is free is abandoned.
    public var agents: [String: Int]
    /// How long an abandoned call waits in queue before the callee hangs up, in seconds.
    public var abandonSeconds: Double
    /// The quotas of DescribeContact, StopContact and GetCurrentMetricData (absent: no quota).
    /// StartOutboundVoiceContact's is `rateLimit`.
    public var operationQuotas: [Operation: RateLimit]
    /// How long a `ClientToken` returns the contact it started, live or ended, in seconds: 7 days,
    /// as Connect documents (a forgotten contact's token starts a new one sooner).
    public var clientTokenSeconds: Double
    /// How many ended contacts DescribeContact still knows; older ones are forgotten first.
    public var endedContactsKept: Int
    /// Injected faults (StartOutboundVoiceContact only).
    public var faults: Faults
    /// The seed of the random draws (faults, latency, contact ids); random when `nil`.
    public var seed: UInt64?
    /// A file to append one NDJSON line per request to.
    public var logPath: String?
    /// How many request records to keep in memory for `RunningSimulator.requestLog()`; the first
    /// ones are kept.
    public var recordsKeptInMemory: Int
    /// The longest a hanging request waits before its connection is closed (shutdown ends it sooner).
    public var hangLimit: Duration
    /// The largest request body accepted, in bytes.
    public var maxBodySize: Int

    /// Creates a configuration.
    public init(
        host: String = "127.0.0.1",
        port: Int = 0,
        region: String = "us-east-1",
        accessKey: String? = nil,
        secretKey: String? = nil,
        sessionToken: String? = nil,
        latency: Latency = .none,
        rateLimit: RateLimit? = nil,
        maxActiveCalls: Int? = nil,
        callSeconds: Double = 30,
        ringSeconds: Spread = .percentiles(p50: 2, p99: 6),
        outcomes: OutcomeMix = .standard,
        agents: [String: Int] = [:],
        abandonSeconds: Double = 5,
        operationQuotas: [Operation: RateLimit] = SimulatorConfiguration.defaultOperationQuotas,
        clientTokenSeconds: Double = 7 * 86_400,
        endedContactsKept: Int = 200_000,
        faults: Faults = Faults(),
        seed: UInt64? = nil,
        logPath: String? = nil,
        recordsKeptInMemory: Int = 100_000,
        hangLimit: Duration = .seconds(600),
        maxBodySize: Int = 1 << 20
    ) {
        self.host = host
        self.port = port
        self.region = region
        self.accessKey = accessKey
        self.secretKey = secretKey
        self.sessionToken = sessionToken
        self.latency = latency
        self.rateLimit = rateLimit
        self.maxActiveCalls = maxActiveCalls
        self.callSeconds = callSeconds
        self.ringSeconds = ringSeconds
        self.outcomes = outcomes
        self.agents = agents
        self.abandonSeconds = abandonSeconds
        self.operationQuotas = operationQuotas
        self.clientTokenSeconds = clientTokenSeconds
        self.endedContactsKept = endedContactsKept
        self.faults = faults
        self.seed = seed
        self.logPath = logPath
        self.recordsKeptInMemory = recordsKeptInMemory
        self.hangLimit = hangLimit
        self.maxBodySize = maxBodySize
    }
}
