import OutdialBase
import Synchronization

/// What a run has done so far, for readers outside the run (the metrics file written while it
/// goes on): rows settled by job and status, requests sent, throttled answers, live calls.
/// The executor writes to it from its tasks; a reader takes a `Snapshot` at any time.
public final class RunMonitor: Sendable {
    /// The counts of one job.
    public struct JobCounts: Sendable, Equatable {
        public var statuses: [RowStatus: Int] = [:]
        public var skipped: [SkipReason: Int] = [:]
        /// Rows `failed` or `uncertain`, by error code.
        public var errors: [String: Int] = [:]
        public var outcomes: [CallOutcome: Int] = [:]
        /// Requests the job's settled rows took (retries included).
        public var attempts = 0

        public var rows: Int { statuses.values.reduce(0, +) }
    }

    /// The run at one instant.
    public struct Snapshot: Sendable, Equatable {
        /// By job id.
        public var jobs: [String: JobCounts] = [:]
        /// Answers that were throttled (429, throttling codes), over the whole run.
        public var throttled = 0
        /// Calls of the run that may be live now.
        public var liveCalls = 0
        /// Seconds since the run started, and since its first request left.
        public var elapsed: Double = 0
        public var sendingSeconds: Double = 0

        /// Requests per second while sending (0 before the second request).
        public var achievedRate: Double {
            let attempts = jobs.values.reduce(0) { $0 + $1.attempts }
            return sendingSeconds > 0 ? Double(attempts) / sendingSeconds : 0
        }
    }

    private struct State {
        var snapshot = Snapshot()
        var liveCalls: (@Sendable () -> Int)?
    }

    private let state = Mutex(State())
    private let clock = ContinuousClock()
    private let start: ContinuousClock.Instant
    private let firstRequest = Mutex<ContinuousClock.Instant?>(nil)

    public init() {
        start = clock.now
    }

    /// Counts a settled row.
    public func settled(_ line: ResultLine) {
        state.withLock { state in
            // Counted in place: a copy taken out and put back would copy its dictionaries per row.
            Self.count(line, into: &state.snapshot.jobs[line.ref.job, default: JobCounts()])
        }
    }

    private static func count(_ line: ResultLine, into counts: inout JobCounts) {
        counts.statuses[line.status, default: 0] += 1
        if line.status == .skipped, let reason = line.reason { counts.skipped[reason, default: 0] += 1 }
        if line.status == .failed || line.status == .uncertain, let code = line.error?.code {
            counts.errors[code, default: 0] += 1
        }
        if let outcome = line.outcome { counts.outcomes[outcome, default: 0] += 1 }
        counts.attempts += line.attempts ?? 0
    }

    /// Notes that a request is leaving (the achieved rate counts from the first).
    public func sending() {
        let now = clock.now
        firstRequest.withLock { first in
            if first == nil { first = now }
        }
    }

    /// Notes a throttled answer.
    public func throttled() {
        state.withLock { $0.snapshot.throttled += 1 }
    }

    /// Where the number of live calls is read from, while the run follows its calls.
    public func readLiveCalls(from source: @escaping @Sendable () -> Int) {
        state.withLock { $0.liveCalls = source }
    }

    /// The run now.
    public func snapshot() -> Snapshot {
        let now = clock.now
        let first = firstRequest.withLock { $0 }
        var (snapshot, live) = state.withLock { ($0.snapshot, $0.liveCalls) }
        snapshot.liveCalls = live?() ?? 0
        snapshot.elapsed = (now - start).inSeconds
        snapshot.sendingSeconds = first.map { (now - $0).inSeconds } ?? 0
        return snapshot
    }
}
