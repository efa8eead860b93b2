import OutdialCore
import Synchronization

/// Decides which live call `DescribeContact` asks about next. Asking about every live call every
/// second would take far more than the operation's budget (its token bucket: 20 live calls against
/// 5 requests a second), and a call seen ended late keeps its place in `--max-active-calls` for
/// nothing. So each request the budget allows goes to the call most likely to have ended by now:
/// judged from how long this run's calls have lasted (the share of them that had ended at the
/// call's age and not at its last look), the call longest unasked while too few calls have ended
/// to judge by. A call seen answered (`ConnectedToSystemTimestamp`) is judged by how long the
/// answered calls of the run talked instead, counted from its own answer: when talk times are alike,
/// its next look comes when it should have ended, so it costs two looks and ends with little delay.
/// A call is asked about no sooner than `firstPoll` after its start and `pollInterval` after its
/// last look (a quarter of it once answered), and no request is spent on a call none of whose kind
/// has ended by its age (the budget keeps the token for a likelier call) unless `maxQuiet` has
/// passed since its last look.
final class PollScheduler<Instant: InstantProtocol>: Sendable where Instant.Duration == Duration {
    private struct Waiter {
        var startedAt: Instant
        var lastLook: Instant?
        /// When the call was answered, if it was when last asked about.
        var answeredAt: Instant?
        var eligibleAt: Instant
        var continuation: CheckedContinuation<Bool, Never>
    }

    private struct State {
        var waiters: [Int: Waiter] = [:]
        var nextId = 0
        /// Lifetimes of the calls seen ended, in seconds, sorted (the latest `kept` of them).
        var lifetimes = Durations()
        /// How long the answered calls seen ended talked, from their answer to their end.
        var talks = Durations()
        /// The driver, waiting for a call to ask about.
        var idle: CheckedContinuation<Void, Never>?
        var finished = false
    }

    private let state = Mutex(State())
    let firstPoll: Duration
    let pollInterval: Duration
    let maxQuiet: Duration
    /// Ended calls needed before their lifetimes decide.
    static var enough: Int { 8 }

    init(firstPoll: Duration, pollInterval: Duration, maxQuiet: Duration = .seconds(10)) {
        self.firstPoll = firstPoll
        self.pollInterval = pollInterval
        self.maxQuiet = maxQuiet
    }

    /// Waits for this call's turn to be asked about.
    /// - Parameters:
    ///   - startedAt: when the call was started.
    ///   - lastLook: when it was last asked about, nil before the first time.
    ///   - answeredAfter: how long after its start the call was answered, when the last look saw it
    ///     answered (from Connect's own timestamps, so no clock of ours is compared with Connect's).
    ///   - now: the clock's time.
    /// - Returns: true when it is the call's turn; false when the run ends first.
    func turn(startedAt: Instant, lastLook: Instant?, answeredAfter: Duration? = nil, now: Instant) async -> Bool {
        let interval = answeredAfter == nil ? pollInterval : pollInterval / 4
        let earliest = lastLook.map { $0.advanced(by: interval) } ?? startedAt.advanced(by: firstPoll)
        let id = state.withLock { state -> Int in
            defer { state.nextId += 1 }
            return state.nextId
        }
        return await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                let idle = state.withLock { state -> CheckedContinuation<Void, Never>? in
                    guard !state.finished, !Task.isCancelled else {
                        continuation.resume(returning: false)
                        return nil
                    }
                    state.waiters[id] = Waiter(
                        startedAt: startedAt,
                        lastLook: lastLook,
                        answeredAt: answeredAfter.map { startedAt.advanced(by: $0) },
                        eligibleAt: max(earliest, now),
                        continuation: continuation
                    )
                    defer { state.idle = nil }
                    return state.idle
                }
                idle?.resume()
            }
        } onCancel: {
            state.withLock { $0.waiters.removeValue(forKey: id) }?.continuation.resume(returning: false)
        }
    }

    /// Notes how long a call that ended lasted, from its start to its end, and how long it talked
    /// (from its answer to its end) when it was answered.
    func ended(lasting seconds: Double, talking talk: Double? = nil) {
        state.withLock { state in
            state.lifetimes.add(seconds)
            if let talk { state.talks.add(talk) }
        }
    }

    /// Hands out turns, one per token of `bucket`, until the task is cancelled or the run stops;
    /// then every call still waiting is told the run ended.
    func drive<C: Clock>(
        clock: C,
        bucket: TokenBucket<Instant>,
        stop: StopSignal,
        idleCheck: Duration = .milliseconds(100)
    ) async where C.Instant == Instant {
        var tokens = 0
        while !Task.isCancelled, stop.reason == nil {
            let now = clock.now
            switch choice(at: now) {
            case .none:
                await withTaskCancellationHandler {
                    await withCheckedContinuation { continuation in
                        let ready = state.withLock { state -> Bool in
                            guard state.waiters.isEmpty, !Task.isCancelled else { return true }
                            state.idle = continuation
                            return false
                        }
                        if ready { continuation.resume() }
                    }
                } onCancel: {
                    state.withLock { state in
                        defer { state.idle = nil }
                        return state.idle
                    }?.resume()
                }
            case .later(let instant):
                // Calls grow older: look again soon even when none becomes eligible before then.
                _ = await stop.sleep(until: min(instant, now.advanced(by: idleCheck)), on: clock)
            case .now:
                // A token first; the choice is made again when it is there.
                tokens += 1
                let ticket = TokenBucket<Instant>.Ticket(clientToken: "DescribeContact", attempt: tokens)
                while let slot = bucket.reserve(ticket, at: clock.now) {
                    guard await stop.sleep(until: slot, on: clock) else { break }
                }
                guard !Task.isCancelled, stop.reason == nil else { break }
                let granted = state.withLock { state -> CheckedContinuation<Bool, Never>? in
                    guard let id = self.best(in: state, at: clock.now) else { return nil }
                    return state.waiters.removeValue(forKey: id)?.continuation
                }
                granted?.resume(returning: true)
            }
        }
        let waiting = state.withLock { state -> [Waiter] in
            state.finished = true
            defer { state.waiters = [:] }
            return Array(state.waiters.values)
        }
        for waiter in waiting { waiter.continuation.resume(returning: false) }
    }

    private enum Choice {
        case none
        case later(Instant)
        case now
    }

    private func choice(at now: Instant) -> Choice {
        state.withLock { state in
            if state.waiters.isEmpty { return .none }
            if best(in: state, at: now) != nil { return .now }
            // Nobody worth a token yet: look again when the next becomes eligible.
            let next = state.waiters.values.map(\.eligibleAt).filter { $0 > now }.min()
            return .later(next ?? now.advanced(by: .seconds(3600)))
        }
    }

    /// The waiter most likely to have ended by `now`, among those that may be asked about.
    private func best(in state: State, at now: Instant) -> Int? {
        var best: (id: Int, likelihood: Double, quiet: Duration)?
        for (id, waiter) in state.waiters where waiter.eligibleAt <= now {
            let quiet = (waiter.lastLook ?? waiter.startedAt).duration(to: now)
            // An answered call by its talk so far, any other by its age.
            let (since, durations) =
                if let answeredAt = waiter.answeredAt, state.talks.count >= Self.enough {
                    (answeredAt, state.talks)
                } else {
                    (waiter.startedAt, state.lifetimes)
                }
            let judged = durations.count >= Self.enough
            var likelihood = 0.0
            if judged {
                let before = waiter.lastLook.map { max(0, since.duration(to: $0).inSeconds) } ?? 0
                let endedBefore = durations.share(atMost: before)
                let endedNow = durations.share(atMost: since.duration(to: now).inSeconds)
                likelihood = endedBefore >= 1 ? 1 : (endedNow - endedBefore) / (1 - endedBefore)
                // Not worth a token yet, unless it has been quiet too long.
                if likelihood <= 0, quiet < maxQuiet { continue }
            }
            if let current = best,
                (likelihood, quiet) <= (current.likelihood, current.quiet)
            {
                continue
            }
            best = (id, likelihood, quiet)
        }
        return best?.id
    }

}

/// The latest `kept` durations seen (seconds), kept sorted, and the share of them at most a value.
private struct Durations {
    static var kept: Int { 256 }
    private var order: [Double] = []
    private var sorted: [Double] = []

    var count: Int { sorted.count }

    mutating func add(_ seconds: Double) {
        guard seconds.isFinite, seconds >= 0 else { return }
        order.append(seconds)
        if order.count > Self.kept { order.removeFirst(order.count - Self.kept) }
        sorted = order.sorted()
    }

    /// The share of the durations at most `value`.
    func share(atMost value: Double) -> Double {
        var low = 0
        var high = sorted.count
        while low < high {
            let middle = (low + high) / 2
            if sorted[middle] <= value { low = middle + 1 } else { high = middle }
        }
        return Double(low) / Double(max(1, sorted.count))
    }
}
