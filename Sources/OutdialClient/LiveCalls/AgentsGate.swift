import OutdialCore
import Synchronization

/// Reads how many agents are free per queue (`GetCurrentMetricData`, `AGENTS_AVAILABLE`).
public protocol AgentSource: Sendable {
    func agentsAvailable(instanceId: String, queueIds: [String]) async -> Result<[String: Int], OperationFailure>
}

extension ConnectClient: AgentSource {}

/// `--pace agents` (live-calls.md, "Agent pacing"): a row with a `QueueId` starts only while the
/// calls of the run for its queue (started and not yet seen ended, or with the request out) are
/// fewer than the queue's free agents times `ratio`; with no agent free, none starts. The free
/// agents are read every `refresh` (2 s) for the queues seen so far. Rows without a queue pass.
public final class AgentsGate<Instant: InstantProtocol>: AdmissionGate where Instant.Duration == Duration {
    private struct Reading {
        var agents: [String: Int] = [:]
        var queues: [String: String] = [:]  // queue id -> instance id
        var readAt: Instant?
    }

    public let calls: LiveCalls<Instant>
    public let source: any AgentSource
    public let ratio: Double
    public let refresh: Duration
    private let reading = Mutex(Reading())

    public init(calls: LiveCalls<Instant>, source: any AgentSource, ratio: Double, refresh: Duration = .seconds(2)) {
        self.calls = calls
        self.source = source
        self.ratio = ratio
        self.refresh = refresh
    }

    public func admit(
        _ row: PlannedRow,
        attempt: Int,
        now: Instant,
        next: () async -> Admission<Instant>
    ) async -> Admission<Instant> {
        guard let queue = row.queueId else { return await next() }
        let stale = reading.withLock { reading in
            let known = reading.queues[queue] != nil
            reading.queues[queue] = row.instanceId
            let stale = !known || reading.readAt.map { now >= $0.advanced(by: refresh) } ?? true
            if stale { reading.readAt = now }  // this caller reads; the others use the last figures
            return stale
        }
        if stale { await read(now: now) }
        let free = reading.withLock { $0.agents[queue] } ?? 0
        let limit = Int((Double(free) * ratio).rounded(.down))
        let ticket = TokenBucket<Instant>.Ticket(clientToken: row.clientToken, attempt: attempt)
        guard calls.reserve(ticket, queue: queue, limit: limit) else {
            return .notBefore(now.advanced(by: refresh))
        }
        return await next()
    }

    /// Reads the free agents of every queue seen, per instance.
    private func read(now: Instant) async {
        let byInstance = reading.withLock { reading in
            Dictionary(grouping: reading.queues.keys, by: { reading.queues[$0] ?? "" })
        }
        for (instance, queues) in byInstance {
            if case .success(let agents) = await source.agentsAvailable(instanceId: instance, queueIds: queues.sorted())
            {
                reading.withLock { reading in
                    for queue in queues { reading.agents[queue] = agents[queue] ?? 0 }
                }
            }
        }
    }

    public var observesAttempts: Bool { true }

    public func attemptEnded(_ row: PlannedRow, attempt: Int, outcome: AttemptOutcome?, at now: Instant) async {
        guard row.queueId != nil else { return }
        let contactId: String? = if case .started(let id, _)? = outcome { id } else { nil }
        calls.queueAttemptEnded(
            TokenBucket<Instant>.Ticket(clientToken: row.clientToken, attempt: attempt),
            contactId: contactId
        )
    }
}
