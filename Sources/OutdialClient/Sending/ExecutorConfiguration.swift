import Foundation
import OutdialCore

/// How the executor sends: the `run` options of cli.md, filled by the command line.
public struct ExecutorConfiguration: Sendable {
    /// Requests in flight at once.
    public var concurrency: Int
    /// Requests started per second (token bucket); 0 means unlimited.
    public var rate: Double
    /// Token-bucket size: requests allowed at one instant.
    public var burst: Int
    /// Which outcomes are retried, how often and after how long.
    public var retry: RetryPolicy
    /// Abort after this many consecutive rows refused (not retryable) with the same error code;
    /// 0 turns the rule off.
    public var haltAfter: Int
    /// Abort after this many consecutive rows whose every attempt failed to leave the machine
    /// (endpoint unreachable).
    public var unreachableAfter: Int
    /// No request starts after this instant; rows not reached are `skipped: deadline`.
    public var deadline: Date?
    /// Do everything but send: every row gets a `planned` line with its request.
    public var dryRun: Bool
    /// Send again rows whose earlier outcome is unknown (journal intent without outcome).
    public var redialUncertain: Bool
    /// `--wait`: rows whose calling window is closed wait for it to open (until `deadline`)
    /// instead of being `skipped: outside-window`.
    public var waitForWindow: Bool
    /// Follow each started call to its end and write its line then, with `outcome` and `call`
    /// (needs a `CallWatcher`); off, lines are written when the request is accepted.
    public var follow: Bool = false
    /// `--max-active-calls`: start a row only while fewer calls of this run may be live; 0 is off
    /// (needs a `CallWatcher`).
    public var maxActiveCalls: Int = 0
    /// `--pace agents --agent-ratio R`: calls per queue live at once, at most R times its free
    /// agents (needs an `AgentSource`); nil is off.
    public var agentRatio: Double? = nil
    /// How often the records are asked whether `outdial stop` stopped the run; nil never.
    public var stopCheckInterval: Duration? = nil
    /// When a started call is first asked about, and how often after that.
    public var firstPoll: Duration = .seconds(2)
    public var pollInterval: Duration = .seconds(1)
    /// `DescribeContact` calls per second and at once: half of its default quota (10/s, burst 15).
    public var describeRate: Double = 5
    public var describeBurst: Int = 7
    /// Told of every settled row, request and throttled answer, for readers outside the run
    /// (the metrics file).
    public var monitor: RunMonitor? = nil

    public init(
        concurrency: Int = 10,
        rate: Double = 2,
        burst: Int = 5,
        maxAttempts: Int = 3,
        haltAfter: Int = 20,
        unreachableAfter: Int = 3,
        deadline: Date? = nil,
        dryRun: Bool = false,
        redialUncertain: Bool = false,
        waitForWindow: Bool = false
    ) {
        self.concurrency = max(1, concurrency)
        self.rate = max(0, rate)
        self.burst = max(1, burst)
        self.retry = RetryPolicy(maxAttempts: maxAttempts)
        self.haltAfter = max(0, haltAfter)
        self.unreachableAfter = max(1, unreachableAfter)
        self.deadline = deadline
        self.dryRun = dryRun
        self.redialUncertain = redialUncertain
        self.waitForWindow = waitForWindow
    }

    /// Attempts per row, the first included.
    public var maxAttempts: Int {
        get { retry.maxAttempts }
        set { retry.maxAttempts = max(1, newValue) }
    }
}
