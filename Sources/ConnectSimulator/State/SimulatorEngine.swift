import Foundation
import Synchronization

/// The simulator's shared state and every decision that depends on it, each made under one lock:
/// the rate quotas, the fault draws, the service time, and the contacts with their `ClientToken`s,
/// lives and agents.
///
/// Time moves only when asked: every call first plays the contacts' events (connections, endings)
/// due at the `now` it is given, in time order, so a test's manual clock decides everything.
final class SimulatorEngine: Sendable {
    /// A fault injected instead of the normal answer.
    enum Fault: Sendable, Equatable {
        case throttle
        case error
        case reset
        case hang
    }

    /// What to do with an authenticated request, and how long to take.
    enum Admission: Sendable, Equatable {
        case admitted
        case overQuota
        case fault(Fault)
    }

    /// The contact a valid request gets.
    struct ContactStart: Sendable, Equatable {
        var contactId: String
        var newContact: Bool
        var outcome: RequestRecord.Outcome
    }

    /// What a valid StartOutboundVoiceContact asked, as far as the contact's life goes.
    struct ContactRequest: Sendable, Equatable {
        var token: String?
        var instanceId: String
        var queueId: String?
        var destination: String?
        var source: String?
        var answeringMachineDetection = false
        /// `RingTimeoutInSeconds`, 60 when not given.
        var ringTimeout: Double = 60

        init(
            token: String? = nil,
            instanceId: String = "instance",
            queueId: String? = nil,
            destination: String? = nil,
            source: String? = nil,
            answeringMachineDetection: Bool = false,
            ringTimeout: Double = 60
        ) {
            self.token = token
            self.instanceId = instanceId
            self.queueId = queueId
            self.destination = destination
            self.source = source
            self.answeringMachineDetection = answeringMachineDetection
            self.ringTimeout = ringTimeout
        }
    }

    /// A queue's agents at one moment.
    struct QueueAgents: Sendable, Equatable {
        var queueId: String
        var online: Int
        var onCall: Int
        var available: Int { max(0, online - onCall) }
    }

    private enum Event: Sendable {
        case connect(String)
        case end(String)
    }

    private struct State {
        var random: SplitMix64
        /// Draws the contacts' outcomes and ring times, apart from the other draws, so that they
        /// depend only on the seed and the order of the contacts.
        var life: SplitMix64
        var bucket: TokenBucket?
        var operationBuckets: [SimulatorConfiguration.Operation: TokenBucket] = [:]
        var contacts: [String: SimulatedContact] = [:]
        /// The contact each `ClientToken` started (while its contact is remembered).
        var contactByToken: [String: String] = [:]
        var events = EventQueue<Event>()
        var liveCount = 0
        /// Ended contacts in the order they ended, from `endedHead` on: the oldest are forgotten first.
        var ended: [String] = []
        var endedHead = 0
        var agentsOnCall: [String: Int] = [:]
    }

    private let state: Mutex<State>
    private let configuration: SimulatorConfiguration
    private let latency: LogNormal?
    private let ring: LogNormal?
    private let onEnded: @Sendable (ContactEnding) -> Void

    /// - Parameter onEnded: Told of each contact that ends, in the order they end (under the lock).
    init(configuration: SimulatorConfiguration, onEnded: @escaping @Sendable (ContactEnding) -> Void = { _ in }) {
        self.configuration = configuration
        self.onEnded = onEnded
        let seed = configuration.seed ?? UInt64.random(in: .min ... .max)
        var initial = State(random: SplitMix64(seed: seed), life: SplitMix64(seed: seed ^ 0x6C69_6665_6C69_6665))
        if let quota = configuration.rateLimit, quota.tps > 0 {
            initial.bucket = TokenBucket(rate: quota.tps, capacity: quota.burst)
        }
        for (operation, quota) in configuration.operationQuotas where quota.tps > 0 {
            initial.operationBuckets[operation] = TokenBucket(rate: quota.tps, capacity: quota.burst)
        }
        self.state = Mutex(initial)
        if case .percentiles(let p50, let p99) = configuration.latency {
            self.latency = LogNormal(p50: p50, p99: p99)
        } else {
            self.latency = nil
        }
        if case .percentiles(let p50, let p99) = configuration.ringSeconds {
            self.ring = LogNormal(p50: p50, p99: p99)
        } else {
            self.ring = nil
        }
    }

    /// Applies the rate quota, draws a fault and a service time, for a StartOutboundVoiceContact
    /// request arriving at `now`.
    func admit(at now: Date) -> (admission: Admission, delay: Duration) {
        let faults = configuration.faults
        return state.withLock { state in
            let delay = sampleDelay(&state.random)
            if let bucket = state.bucket {
                var updated = bucket
                let allowed = updated.take(at: now)
                state.bucket = updated
                if !allowed { return (.overQuota, delay) }
            }
            guard faults.resetRate + faults.hangRate + faults.throttleRate + faults.errorRate > 0 else {
                return (.admitted, delay)
            }
            var draw = state.random.unit()
            for (rate, fault) in [
                (faults.resetRate, Fault.reset), (faults.hangRate, .hang), (faults.throttleRate, .throttle),
                (faults.errorRate, .error),
            ] {
                if draw < rate { return (.fault(fault), delay) }
                draw -= rate
            }
            return (.admitted, delay)
        }
    }

    /// Applies `operation`'s quota to a request arriving at `now`; false past it.
    func admit(_ operation: SimulatorConfiguration.Operation, at now: Date) -> Bool {
        state.withLock { state in
            guard var bucket = state.operationBuckets[operation] else { return true }
            let allowed = bucket.take(at: now)
            state.operationBuckets[operation] = bucket
            return allowed
        }
    }

    /// Starts a contact for a valid request, or returns the one a repeated token started within
    /// `clientTokenSeconds`, live or ended, as Connect does.
    func startContact(_ request: ContactRequest, at now: Date) -> ContactStart {
        state.withLock { state in
            advance(&state, to: now)
            if let token = request.token, let id = state.contactByToken[token], let started = state.contacts[id],
                now.timeIntervalSince(started.initiatedAt) < configuration.clientTokenSeconds
            {
                return ContactStart(contactId: id, newContact: false, outcome: .dialed)
            }
            let id = state.random.uuid()
            var contact = SimulatedContact(
                id: id,
                instanceId: request.instanceId,
                queueId: request.queueId,
                token: request.token,
                destination: request.destination,
                source: request.source,
                answeringMachineDetection: request.answeringMachineDetection,
                outcome: .busy,
                initiatedAt: now
            )
            if let maxActive = configuration.maxActiveCalls, state.liveCount >= maxActive {
                // Connect accepts the call and the callee hears a fast busy: it ends at once.
                contact.overQuota = true
                state.contacts[id] = contact
                if let token = request.token {
                    state.contactByToken[token] = id
                }
                state.liveCount += 1
                finish(&state, id, at: now, reason: ContactOutcome.busy.disconnectReason, stoppedBy: nil)
                return ContactStart(contactId: id, newContact: true, outcome: .busy)
            }
            contact.outcome = configuration.outcomes.outcome(for: state.life.unit())
            let ringing = min(sampleRing(&state.life), request.ringTimeout)
            switch contact.outcome {
            case .answered where request.queueId.map({ configuration.agents[$0] != nil }) == true:
                // Whether an agent is free is known only when it connects.
                contact.connectsAt = now.addingTimeInterval(ringing)
                state.events.insert(.connect(id), at: now.addingTimeInterval(ringing))
            case .answered, .voicemail, .abandoned:
                contact.connectsAt = now.addingTimeInterval(ringing)
                contact.endsAt = now.addingTimeInterval(ringing + configuration.callSeconds)
            case .noAnswer:
                contact.endsAt = now.addingTimeInterval(request.ringTimeout)
            case .busy:
                contact.endsAt = now.addingTimeInterval(ringing)
            }
            if let endsAt = contact.endsAt {
                state.events.insert(.end(id), at: endsAt)
            }
            state.contacts[id] = contact
            state.liveCount += 1
            if let token = request.token {
                state.contactByToken[token] = id
            }
            return ContactStart(contactId: id, newContact: true, outcome: .dialed)
        }
    }

    /// The contact as it stands at `now`; `nil` when unknown (or forgotten) in that instance.
    func contact(_ id: String, instanceId: String, at now: Date) -> SimulatedContact? {
        state.withLock { state in
            advance(&state, to: now)
            guard let contact = state.contacts[id], contact.instanceId == instanceId else { return nil }
            return contact
        }
    }

    /// Ends a live contact now (StopContact); false when it is unknown in that instance or has ended.
    func stop(_ id: String, instanceId: String, reason: String?, at now: Date) -> Bool {
        state.withLock { state in
            advance(&state, to: now)
            guard let contact = state.contacts[id], contact.instanceId == instanceId, contact.isLive else {
                return false
            }
            finish(&state, id, at: now, reason: reason ?? "API", stoppedBy: "StopContact")
            return true
        }
    }

    /// The agents of each of `queues` that has some configured, at `now`, in the order asked.
    func agents(in queues: [String], at now: Date) -> [QueueAgents] {
        state.withLock { state in
            advance(&state, to: now)
            var seen: Set<String> = []
            return queues.compactMap { queue in
                guard let online = configuration.agents[queue], seen.insert(queue).inserted else { return nil }
                return QueueAgents(queueId: queue, online: online, onCall: state.agentsOnCall[queue, default: 0])
            }
        }
    }

    /// Calls live at `now`.
    func activeCalls(at now: Date) -> Int {
        state.withLock { state in
            advance(&state, to: now)
            return state.liveCount
        }
    }

    /// Plays the events due at `now` (so endings are logged even while no request comes).
    func settle(at now: Date) {
        state.withLock { state in
            advance(&state, to: now)
        }
    }

    private func advance(_ state: inout State, to now: Date) {
        while let next = state.events.popDue(at: now) {
            let time = next.time
            switch next.payload {
            case .connect(let id):
                guard var contact = state.contacts[id], contact.isLive else { continue }
                let queue = contact.queueId ?? ""
                let onCall = state.agentsOnCall[queue, default: 0]
                let length: Double
                if onCall < configuration.agents[queue, default: 0] {
                    state.agentsOnCall[queue] = onCall + 1
                    contact.agentId = state.random.uuid()
                    length = configuration.callSeconds
                } else {
                    contact.outcome = .abandoned
                    length = configuration.abandonSeconds
                }
                let endsAt = time.addingTimeInterval(length)
                contact.endsAt = endsAt
                state.contacts[id] = contact
                state.events.insert(.end(id), at: endsAt)
            case .end(let id):
                guard let contact = state.contacts[id], contact.isLive else { continue }
                finish(&state, id, at: time, reason: contact.outcome.disconnectReason, stoppedBy: nil)
            }
        }
    }

    private func finish(_ state: inout State, _ id: String, at time: Date, reason: String, stoppedBy: String?) {
        guard var contact = state.contacts[id] else { return }
        contact.endedAt = time
        contact.disconnectReason = reason
        contact.stoppedBy = stoppedBy
        state.contacts[id] = contact
        state.liveCount -= 1
        if contact.agentId != nil, let queue = contact.queueId {
            state.agentsOnCall[queue, default: 1] -= 1
        }
        state.ended.append(id)
        if state.ended.count - state.endedHead > configuration.endedContactsKept {
            let forgotten = state.ended[state.endedHead]
            if let token = state.contacts[forgotten]?.token, state.contactByToken[token] == forgotten {
                state.contactByToken[token] = nil
            }
            state.contacts[forgotten] = nil
            state.endedHead += 1
        }
        if state.endedHead > 1024, state.endedHead * 2 > state.ended.count {
            state.ended.removeFirst(state.endedHead)
            state.endedHead = 0
        }
        onEnded(
            ContactEnding(
                time: time,
                contactId: id,
                outcome: contact.outcome,
                seconds: time.timeIntervalSince(contact.initiatedAt),
                stoppedBy: stoppedBy
            )
        )
    }

    private func sampleRing(_ random: inout SplitMix64) -> Double {
        switch configuration.ringSeconds {
        case .fixed(let seconds): seconds
        case .percentiles: ring?.sample(&random, limit: 600) ?? 0
        }
    }

    private func sampleDelay(_ random: inout SplitMix64) -> Duration {
        switch configuration.latency {
        case .none:
            return .zero
        case .fixed(let milliseconds):
            return .microseconds(Int64(milliseconds * 1000))
        case .percentiles:
            guard let latency else { return .zero }
            return .microseconds(Int64(latency.sample(&random, limit: 600_000) * 1000))
        }
    }
}
