import Foundation
import Synchronization

/// The simulator's shared state and every decision that depends on it, each made under one lock:
/// the rate quota, the fault draws, the service time, and the contacts with their `ClientToken`s
/// and lifetimes.
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

    private struct Call {
        var contactId: String
        var endsAt: Date
    }

    private struct State {
        var random: SplitMix64
        var bucket: TokenBucket?
        var callsByToken: [String: Call] = [:]
        /// Active calls in order of their end (calls all last `callSeconds`), from `head` on.
        var ending: [(endsAt: Date, token: String?)] = []
        var head = 0

        var activeCount: Int { ending.count - head }

        mutating func endCalls(before now: Date) {
            while head < ending.count, ending[head].endsAt <= now {
                if let token = ending[head].token, let call = callsByToken[token], call.endsAt <= now {
                    callsByToken[token] = nil
                }
                head += 1
            }
            if head > 1024, head * 2 > ending.count {
                ending.removeFirst(head)
                head = 0
            }
        }
    }

    private let state: Mutex<State>
    private let configuration: SimulatorConfiguration
    private let logNormal: (mu: Double, sigma: Double)?

    init(configuration: SimulatorConfiguration) {
        self.configuration = configuration
        var initial = State(random: SplitMix64(seed: configuration.seed ?? UInt64.random(in: .min ... .max)))
        if let quota = configuration.rateLimit, quota.tps > 0 {
            initial.bucket = TokenBucket(rate: quota.tps, capacity: quota.burst)
        }
        self.state = Mutex(initial)
        if case .percentiles(let p50, let p99) = configuration.latency {
            // The 99th percentile of a standard normal distribution.
            let z99 = 2.326_347_874_040_841
            self.logNormal = (log(p50), log(p99 / p50) / z99)
        } else {
            self.logNormal = nil
        }
    }

    /// Applies the rate quota, draws a fault and a service time, for a request arriving at `now`.
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

    /// Starts a contact for a valid request, or returns the running one for a repeated token.
    func startContact(token: String?, at now: Date) -> ContactStart {
        let callSeconds = configuration.callSeconds
        let maxActive = configuration.maxActiveCalls
        return state.withLock { state in
            state.endCalls(before: now)
            if let token, let call = state.callsByToken[token], call.endsAt > now {
                return ContactStart(contactId: call.contactId, newContact: false, outcome: .dialed)
            }
            let contactId = state.random.uuid()
            if let maxActive, state.activeCount >= maxActive {
                // Connect accepts the call and the callee hears a fast busy: it ends at once.
                return ContactStart(contactId: contactId, newContact: true, outcome: .busy)
            }
            let endsAt = now.addingTimeInterval(callSeconds)
            state.ending.append((endsAt, token))
            if let token {
                state.callsByToken[token] = Call(contactId: contactId, endsAt: endsAt)
            }
            return ContactStart(contactId: contactId, newContact: true, outcome: .dialed)
        }
    }

    /// Calls active at `now`.
    func activeCalls(at now: Date) -> Int {
        state.withLock { state in
            state.endCalls(before: now)
            return state.activeCount
        }
    }

    private func sampleDelay(_ random: inout SplitMix64) -> Duration {
        switch configuration.latency {
        case .none:
            return .zero
        case .fixed(let milliseconds):
            return .microseconds(Int64(milliseconds * 1000))
        case .percentiles:
            guard let (mu, sigma) = logNormal else { return .zero }
            // Box-Muller: a standard normal draw from two uniform ones.
            let u1 = max(random.unit(), .leastNonzeroMagnitude)
            let u2 = random.unit()
            let normal = (-2 * log(u1)).squareRoot() * cos(2 * .pi * u2)
            let milliseconds = min(exp(mu + sigma * normal), 600_000)
            return .microseconds(Int64(milliseconds * 1000))
        }
    }
}
