import Foundation
import Logging
import OutdialBase
import OutdialCore

/// Sends planned rows: a sliding window of `concurrency` row tasks; before every attempt an
/// ordered chain of admission gates (stop, deadline, the caller's own, rate) decides whether it
/// may go now, later, or not at all; then the journal's intent-before-send rule, the attempt,
/// retries with backoff, and the halt rules. Every row gets exactly one result line, handed to a
/// `ResultSink` from the parent task.
///
/// Time comes from outside: `clock` for every wait and measurement, `wallClock` read once per
/// run (to place `--deadline` on the clock and to stamp `at`), `random` for backoff jitter.
///
/// Dry run: nothing is locked, journaled or sent, and every row gets the line `outdial plan --at`
/// gives it for the start of the run: `planned` (which counts as success for the exit code), with
/// its calling window, or `skipped` when the window would keep it from being called.
public struct Executor<C: Clock>: Sendable where C.Duration == Duration {
    /// How to send.
    public var configuration: ExecutorConfiguration
    private let sender: any ContactSender
    private let journal: (any JournalRecording)?
    private let earlier: @Sendable (PlannedRow) -> JournalState.Entry?
    private let interrupt: InterruptSignal
    private let gates: [any AdmissionGate<C.Instant>]
    private let watcher: (any CallWatcher)?
    private let agents: (any AgentSource)?
    private let clock: C
    private let wallClock: @Sendable () -> Date
    private let random: @Sendable () -> Double
    private let logger: Logger

    /// An executor recording into a job's journals.
    /// - Parameters:
    ///   - configuration: pacing, retries, halt rule, deadline.
    ///   - sender: makes one attempt per call.
    ///   - journal: where intents and outcomes go; `nil` sends without a journal (only for
    ///     embedding and tests: `outdial run` always has one).
    ///   - earlier: what earlier runs recorded for a row (resume).
    ///   - interrupt: the first trigger stops new rows, the second cancels attempts in flight.
    ///   - gates: rules of the caller's own, asked after the stop and deadline gates and before
    ///     the rate gate.
    ///   - watcher: asks how started calls are doing, for `follow` and `maxActiveCalls`.
    ///   - clock: every wait (rate, backoff) and every measurement.
    ///   - wallClock: the time of day, read once at the start of each run.
    ///   - random: numbers in `0..<1` for backoff jitter.
    ///   - logger: for aborts and attempts (no phone numbers are logged).
    public init(
        configuration: ExecutorConfiguration,
        sender: any ContactSender,
        journal: (any JournalRecording)?,
        earlier: @escaping @Sendable (PlannedRow) -> JournalState.Entry? = { _ in nil },
        interrupt: InterruptSignal = InterruptSignal(),
        gates: [any AdmissionGate<C.Instant>] = [],
        watcher: (any CallWatcher)? = nil,
        agents: (any AgentSource)? = nil,
        clock: C,
        wallClock: @escaping @Sendable () -> Date = { Date() },
        random: @escaping @Sendable () -> Double = { Double.random(in: 0 ..< 1) },
        logger: Logger
    ) {
        self.configuration = configuration
        self.sender = sender
        self.journal = journal
        self.earlier = earlier
        self.interrupt = interrupt
        self.gates = gates
        self.watcher = watcher
        self.agents = agents
        self.clock = clock
        self.wallClock = wallClock
        self.random = random
        self.logger = logger
    }

    /// Runs the batch.
    /// - Parameters:
    ///   - rows: the planned rows to send.
    ///   - settled: lines already settled before sending (`invalid`, `duplicate`), written first
    ///     and counted in the summary.
    ///   - refusals: empty, or one per row of `rows`: a row the records refused before the run
    ///     (suppressed, over a limit) is settled `skipped` with its refusal, after `settled`, and
    ///     never sent.
    ///   - sink: receives one line per row.
    ///   - progress: draws the progress line, if wanted.
    /// - Returns: the summary; its `exitCode` is the process's.
    ///   - feed: for a worker of a job several workers run (`--worker`), the rows it claims, a
    ///     chunk at a time, after `rows`.
    public func run(
        _ rows: [PlannedRow],
        settled: [ResultLine] = [],
        refusals: [Refusal?] = [],
        feed: (any RowFeed)? = nil,
        into sink: any ResultSink,
        progress: ProgressReporter? = nil
    ) async -> RunSummary {
        let run = RunContext(
            clock: clock,
            startDate: wallClock(),
            interrupt: interrupt,
            configuration: configuration,
            isWorker: feed != nil
        )
        let recorder = Recorder(sink: sink, progress: progress, monitor: configuration.monitor, stop: run.stop)
        // By index: each line is lent to the recorder, not copied out of the array.
        for index in settled.indices {
            recorder.emit(settled[index])
        }
        for line in ResultLine.refused(rows, refusals) {
            recorder.emit(line)
        }
        if configuration.dryRun {
            let judge = WindowJudge()
            for index in rows.indices where !refusals.refuses(index) {
                let row = rows[index]
                recorder.emit(
                    row.windowedLine(
                        judge: judge,
                        at: run.startDate,
                        wait: configuration.waitForWindow,
                        deadline: configuration.deadline
                    )
                )
            }
            return recorder.finish(duration: run.start.duration(to: clock.now), interrupted: false)
        }

        var toSend = resume(rows, refusals: refusals, recorder: recorder)
        let chain = makeChain(run, feed: feed)
        var next = 0
        // The worker's feed: asked for the next chunk when the rows left are fewer than the slots.
        var feeding: FeedState = feed == nil ? .exhausted : .idle
        // Rows set aside until their calling window opens (`later`), earliest first.
        var parked: [(until: C.Instant, row: PlannedRow)] = []
        await withTaskGroup(of: RowEvent<C.Instant>.self) { group in
            // Follows the interrupt; ends when it asks to stop now (or at the end).
            group.addTask {
                await run.stop.follow()
                return .stopFollowed
            }
            if let journal, let interval = configuration.stopCheckInterval {
                // `outdial stop`: the records say so within `interval`.
                group.addTask {
                    while run.stop.reason == nil {
                        if let reason = await journal.stopRequested() {
                            run.stop.requestStop(reason)
                            break
                        }
                        guard await run.stop.sleep(until: clock.now.advanced(by: interval), on: clock) else { break }
                    }
                    return .stopWatched
                }
            }
            if watcher != nil,
                configuration.follow || configuration.maxActiveCalls > 0 || configuration.agentRatio != nil
            {
                // Hands out the `DescribeContact` budget among the live calls.
                group.addTask {
                    await run.polls.drive(clock: clock, bucket: run.describeBucket, stop: run.stop)
                    return .pollsEnded
                }
            }
            var inFlight = 0
            // Calls started and followed to their end.
            var following = 0
            var wakeAt: C.Instant?
            // Starts rows while there is room: rows set aside whose time has come first, then rows
            // in file order; arms a wake-up for the next row set aside when a slot stays free.
            func fill() {
                while inFlight < configuration.concurrency, run.stop.reason == nil {
                    let row: PlannedRow
                    if let first = parked.first, first.until <= clock.now {
                        row = parked.removeFirst().row
                    } else if next < toSend.count {
                        row = toSend[next]
                        next += 1
                    } else {
                        break
                    }
                    group.addTask { await self.settle(row, chain: chain, run: run) }
                    inFlight += 1
                }
                if let feed, feeding == .idle, run.stop.reason == nil, toSend.count - next < configuration.concurrency {
                    feeding = .asking
                    group.addTask { .fed(await feed.next()) }
                }
                if run.stop.reason == nil, inFlight < configuration.concurrency, let first = parked.first,
                    wakeAt.map({ first.until < $0 }) ?? true
                {
                    let until = first.until
                    wakeAt = until
                    group.addTask {
                        _ = await run.stop.sleep(until: until, on: clock)
                        return .wake
                    }
                }
                let rowsLeft = next < toSend.count || !parked.isEmpty || feeding != .exhausted
                if inFlight == 0, !rowsLeft || run.stop.reason != nil,
                    following == 0 || !configuration.follow || run.stop.reason != nil
                {
                    // Nothing more to start: calls followed only for pacing are let go.
                    group.cancelAll()
                }
            }
            fill()
            while let event = await group.next() {
                switch event {
                case .stopFollowed:
                    // Stop now: cancel the attempts in flight; their rows settle at once.
                    if run.stop.isStoppingNow { group.cancelAll() }
                    continue
                case .stopWatched, .pollsEnded:
                    break
                case .wake:
                    wakeAt = nil
                case .fed(let batch):
                    guard let batch else {
                        feeding = .exhausted
                        break
                    }
                    feeding = .idle
                    toSend += resume(batch.rows, recorder: recorder) { batch.earlier[$0.clientToken] }
                case .parked(let row, let until):
                    inFlight -= 1
                    let index = parked.firstIndex { $0.until > until } ?? parked.count
                    parked.insert((until, row), at: index)
                case .settled(let settlement):
                    inFlight -= 1
                    recorder.settled(settlement, at: run.start.duration(to: clock.now), configuration: configuration)
                case .started(let settlement, let call):
                    inFlight -= 1
                    recorder.settled(
                        settlement,
                        at: run.start.duration(to: clock.now),
                        configuration: configuration,
                        writeLine: !configuration.follow
                    )
                    following += 1
                    group.addTask { await self.follow(call, line: settlement.line, run: run) }
                case .callEnded(let line):
                    following -= 1
                    if let line { recorder.emit(line) }
                }
                fill()
            }
        }
        let reason = run.stop.reason ?? .halted
        for row in parked.map(\.row) + toSend[next...] {
            recorder.emit(ResultLine.skipped(row, reason))
        }
        if let abort = run.stop.abortReason {
            logger.error("run aborted", metadata: ["code": "\(abort.code)", "message": "\(abort.message)"])
        }
        let interrupted = interrupt.isRaised || Task.isCancelled
        var summary = recorder.finish(duration: run.start.duration(to: clock.now), interrupted: interrupted)
        if let stopped = run.liveCalls.stoppedBecause {
            summary.notFollowed = "\(stopped.code): \(stopped.message)"
        }
        summary.stoppedBecause = run.stop.stopReason
        return summary
    }

    /// Follows a started call until it ends (asking `watcher` when the run's `PollScheduler` gives
    /// it a turn of the `DescribeContact` budget) or the run stops, the deadline passes or the call is let go; returns its line with
    /// `outcome` and `call` when lines wait for their calls, else nil.
    private func follow(_ call: LiveCall, line: ResultLine, run: RunContext) async -> RowEvent<C.Instant> {
        var line = line
        var record: CallRecord?
        var lost = false
        let deadline = configuration.deadline.map { run.instant(of: $0) }
        let startedAt = run.instant(of: call.startedAt)
        var lastLook: C.Instant?
        following: while let watcher, run.liveCalls.stoppedBecause == nil {
            let answeredAfter = record.flatMap { seen -> Duration? in
                guard let connected = seen.connectedAt else { return nil }
                return .seconds(max(0, connected.timeIntervalSince(seen.initiatedAt ?? call.startedAt)))
            }
            guard
                await run.polls.turn(
                    startedAt: startedAt,
                    lastLook: lastLook,
                    answeredAfter: answeredAfter,
                    now: clock.now
                ),
                !Task.isCancelled, run.stop.reason == nil
            else { break }
            if let deadline, clock.now >= deadline { break }
            lastLook = clock.now
            switch await watcher.observe(call) {
            case .observed(let seen):
                record = seen
                if let ended = seen.endedAt {
                    run.polls.ended(
                        lasting: ended.timeIntervalSince(seen.initiatedAt ?? call.startedAt),
                        talking: seen.connectedAt.map { ended.timeIntervalSince($0) }
                    )
                    break following
                }
            case .notAllowed(let error):
                if run.liveCalls.stopFollowing(because: error) {
                    logger.warning(
                        "calls are not followed: \(error.code): \(error.message); pacing by live calls is off",
                        metadata: ["code": "\(error.code)"]
                    )
                }
                break following
            case .failed:
                break
            case .lost:
                lost = true
                break following
            }
        }
        if run.stop.stopReason != nil, let watcher, !lost {
            // `outdial stop`: the run ends its own calls too (a call started just before the run
            // saw the stop may be missing from the command's list), and learns how they ended;
            // also when the run cancels its follows as it ends (the request is not cancelled).
            let ending = Task {
                guard await watcher.end(call), case .observed(let seen) = await watcher.observe(call) else {
                    return CallRecord?.none
                }
                return seen
            }
            if let seen = await ending.value { record = seen }
        }
        run.liveCalls.ended(call.contactId)
        guard configuration.follow else { return .callEnded(nil) }
        line.outcome = lost ? .unknown : record?.outcome ?? .live
        line.call = lost ? nil : record
        if line.outcome?.mayBeTriedAgain == true { line.request = call.row.body }
        return .callEnded(line)
    }

    /// The gates of one run: stop, deadline, calling window, the caller's, rate.
    private func makeChain(_ run: RunContext, feed: (any RowFeed)?) -> AdmissionChain<C.Instant> {
        var chain: [any AdmissionGate<C.Instant>] = [StopGate<C.Instant>(stop: run.stop)]
        if let feed {
            chain.append(LeaseGate<C.Instant>(feed: feed))
        }
        if let deadline = configuration.deadline {
            chain.append(DeadlineGate(deadline: run.instant(of: deadline)))
        }
        let bucket =
            configuration.rate > 0 ? TokenBucket<C.Instant>(rate: configuration.rate, burst: configuration.burst) : nil
        chain.append(
            WindowGate(
                judge: WindowJudge(),
                wait: configuration.waitForWindow,
                deadline: configuration.deadline,
                date: { run.date(of: $0) },
                instant: { run.instant(of: $0) },
                bucket: bucket
            )
        )
        if configuration.maxActiveCalls > 0, watcher != nil {
            chain.append(ActiveCallsGate(calls: run.liveCalls, limit: configuration.maxActiveCalls))
        }
        if let ratio = configuration.agentRatio, let agents, watcher != nil {
            chain.append(AgentsGate(calls: run.liveCalls, source: agents, ratio: ratio))
        }
        chain += gates
        if let bucket {
            chain.append(RateGate(bucket: bucket))
        }
        return AdmissionChain(chain)
    }

    /// Writes the lines of rows an earlier run settled; returns the rows to send.
    /// - Parameter entry: what is known of a row (by default, what earlier runs recorded).
    /// - Parameter refusals: empty, or one per row: a refused row was settled already (not sent).
    private func resume(
        _ rows: [PlannedRow],
        refusals: [Refusal?] = [],
        recorder: Recorder,
        entry: (PlannedRow) -> JournalState.Entry? = { _ in nil }
    ) -> [PlannedRow] {
        var toSend: [PlannedRow] = []
        toSend.reserveCapacity(rows.count)
        for (index, row) in rows.enumerated() where !refusals.refuses(index) {
            let known = entry(row) ?? earlier(row)
            if let line = ResultLine.resumed(row, known, redialUncertain: configuration.redialUncertain) {
                recorder.emit(line)
            } else {
                toSend.append(row)
            }
        }
        return toSend
    }

    /// Asks the gates until they answer `go`, `later` or `skip`, waiting out each `notBefore`.
    private func admit(_ row: PlannedRow, attempt: Int, chain: AdmissionChain<C.Instant>, run: RunContext) async
        -> Admission<C.Instant>
    {
        while true {
            let answer = await chain.admit(row, attempt: attempt, now: clock.now)
            guard case .notBefore(let instant) = answer else { return answer }
            // Woken early by a stop: the next round of answers (the stop gate's) says why.
            _ = await run.stop.sleep(until: instant, on: clock)
        }
    }

    /// One row, from its first admission to its result line.
    private func settle(_ row: PlannedRow, chain: AdmissionChain<C.Instant>, run: RunContext) async -> RowEvent<
        C.Instant
    > {
        let policy = configuration.retry
        var attempt = 0
        var last: AttemptOutcome?
        var sawUnknown = false
        var everReached = false
        var firstSend: C.Instant?
        var lastSend: C.Instant?
        var windowClosed: (error: RowError?, opensAt: String?)?
        attempts: while attempt < policy.maxAttempts {
            let admission = await admit(row, attempt: attempt + 1, chain: chain, run: run)
            switch admission {
            case .go, .notBefore:
                break
            case .later(let until) where last == nil:
                await chain.attemptEnded(row, attempt: 1, outcome: nil, at: clock.now)
                return .parked(row, until: until)
            case .later:
                // Only a first attempt is set aside: a retry is settled with what its attempts gave.
                await chain.attemptEnded(row, attempt: attempt + 1, outcome: nil, at: clock.now)
                break attempts
            case .skip(let reason, let error, let opensAt):
                await chain.attemptEnded(row, attempt: attempt + 1, outcome: nil, at: clock.now)
                if last == nil {
                    return .settled(
                        RowSettlement(line: ResultLine.skipped(row, reason, error: error, opensAt: opensAt))
                    )
                }
                if reason == .windowClosed {
                    // Its window closed before the retry: unless an attempt may have started the
                    // contact, the row waits for the next window (`replay --status skipped`).
                    windowClosed = (error, opensAt)
                }
                break attempts
            }
            if attempt == 0, let journal {
                // The intent is the last word before the request: the records may still refuse the
                // row (a number suppressed during the run, a limit another run reached first).
                let answer: IntentAnswer
                do {
                    answer = try await journal.recordIntent(for: row)
                } catch {
                    await chain.attemptEnded(row, attempt: 1, outcome: nil, at: clock.now)
                    let problem = RowError(code: error.code, message: error.message, retryable: false)
                    if run.isWorker, error.code == ErrorCode.ledgerUnreachable {
                        // Nothing was sent: the row goes back to the workers (a later claim of it
                        // reads whether this intent was committed after all).
                        return .settled(
                            RowSettlement(line: ResultLine.skipped(row, .halted, error: problem, opensAt: nil))
                        )
                    }
                    run.stop.abort(problem)
                    return .settled(RowSettlement(line: ResultLine.skipped(row, .halted)))
                }
                if case .refused(let refusal) = answer {
                    await chain.attemptEnded(row, attempt: 1, outcome: nil, at: clock.now)
                    if refusal.reason == .stopped {
                        // `outdial stop` committed before this intent: the run stops now, not at
                        // its next look at the records.
                        run.stop.requestStop(refusal.error.message)
                        return .settled(RowSettlement(line: ResultLine.skipped(row, .stopped)))
                    }
                    return .settled(RowSettlement(line: ResultLine.refused(row, refusal)))
                }
                if run.stop.isStoppingNow {
                    // Stopped while the intent was written: nothing is sent, and the journal says
                    // so (an intent alone would read as uncertain on resume).
                    await journal.recordOutcome(for: row, .failed(code: ErrorCode.interrupted), attempts: 0)
                    await chain.attemptEnded(row, attempt: 1, outcome: nil, at: clock.now)
                    return .settled(RowSettlement(line: ResultLine.skipped(row, .interrupted)))
                }
            }
            attempt += 1
            let sentAt = clock.now
            firstSend = firstSend ?? sentAt
            configuration.monitor?.sending()
            lastSend = sentAt
            let outcome = await sender.send(row, attempt: attempt)
            last = outcome
            if outcome.isThrottling { configuration.monitor?.throttled() }
            await chain.attemptEnded(row, attempt: attempt, outcome: outcome, at: clock.now)
            switch outcome {
            case .started(let contactId, let milliseconds):
                await journal?.recordOutcome(for: row, .started(contactId: contactId), attempts: attempt)
                var line = ResultLine.sending(row, status: .started)
                line.contactId = contactId
                line.attempts = attempt
                line.at = RFC3339Timestamp.string(from: run.date(of: sentAt))
                line.ms = milliseconds
                let settlement = RowSettlement(line: line, requests: attempt, firstSend: run.offset(of: firstSend))
                guard watcher != nil,
                    configuration.follow || configuration.maxActiveCalls > 0 || configuration.agentRatio != nil,
                    run.liveCalls.stoppedBecause == nil
                else { return .settled(settlement) }
                return .started(settlement, LiveCall(row: row, contactId: contactId, startedAt: run.date(of: sentAt)))
            case .fatal(let error):
                run.stop.abort(error)
                // An earlier attempt may have started the contact: the row stays uncertain.
                if sawUnknown { break attempts }
                await journal?.recordOutcome(for: row, .failed(code: error.code), attempts: attempt)
                var line = ResultLine.failed(row, error, retryable: false, attempts: attempt)
                line.at = RFC3339Timestamp.string(from: run.date(of: sentAt))
                return .settled(RowSettlement(line: line, requests: attempt, firstSend: run.offset(of: firstSend)))
            case .failed(let error, let failure), .notSent(let error, let failure):
                let answered = if case .failed = outcome { true } else { false }
                everReached = everReached || answered
                if !failure.isRetryable {
                    // An earlier attempt may have started the contact: the row stays uncertain.
                    if sawUnknown { break attempts }
                    await journal?.recordOutcome(for: row, .failed(code: error.code), attempts: attempt)
                    var line = ResultLine.failed(row, error, retryable: false, attempts: attempt)
                    line.at = RFC3339Timestamp.string(from: run.date(of: sentAt))
                    return .settled(
                        RowSettlement(
                            line: line,
                            requests: attempt,
                            firstSend: run.offset(of: firstSend),
                            refusedCode: answered ? error.code : nil,
                            unreachable: !everReached
                        )
                    )
                }
            case .unknown:
                everReached = true
                sawUnknown = true
            }
            logger.debug(
                "attempt did not start a contact",
                metadata: ["attempt": "\(attempt)", "row": "\(row.ref.row)", "job": "\(row.ref.job)"]
            )
            if attempt < policy.maxAttempts {
                let delay = policy.delay(after: outcome, attempt: attempt, random: random())
                if delay > .zero {
                    // Returns early when the run stops; the next admission then refuses the retry.
                    _ = await run.stop.sleep(until: clock.now.advanced(by: delay), on: clock)
                }
            }
        }
        // Retries ran out, or a gate refused a retry (stop, deadline, ...).
        let error =
            last?.error ?? RowError(code: ErrorCode.noAttempt, message: "no attempt was made", retryable: true)
        if sawUnknown {
            await journal?.recordOutcome(for: row, .uncertain(code: error.code), attempts: attempt)
            var line = ResultLine.sending(row, status: .uncertain)
            line.error = error
            line.attempts = attempt
            line.at = lastSend.map { RFC3339Timestamp.string(from: run.date(of: $0)) }
            line.request = row.body
            return .settled(RowSettlement(line: line, requests: attempt, firstSend: run.offset(of: firstSend)))
        }
        await journal?.recordOutcome(for: row, .failed(code: error.code), attempts: attempt)
        var line = ResultLine.failed(row, error, retryable: true, attempts: attempt)
        line.at = lastSend.map { RFC3339Timestamp.string(from: run.date(of: $0)) }
        if let windowClosed {
            line = ResultLine.skipped(row, .windowClosed, error: windowClosed.error, opensAt: windowClosed.opensAt)
            line.attempts = attempt
            if let closed = windowClosed.error {
                line.error?.message = closed.message + " (the last attempt: \(error.code): \(error.message))"
            }
        }
        return .settled(
            RowSettlement(
                line: line,
                requests: attempt,
                firstSend: run.offset(of: firstSend),
                unreachable: !everReached
            )
        )
    }

    /// What every row task of one run shares.
    private struct RunContext: Sendable {
        /// When the run started, on the clock and on the wall clock (read once).
        let start: C.Instant
        let startDate: Date
        let stop: StopSignal
        /// The calls of the run that may be live.
        let liveCalls = LiveCalls<C.Instant>()
        /// Paces `DescribeContact`.
        let describeBucket: TokenBucket<C.Instant>
        /// Which live call `DescribeContact` asks about next.
        let polls: PollScheduler<C.Instant>
        /// A worker of a job several workers run: a row whose intent could not reach the store
        /// is given back to the workers, and the run goes on once the store is back.
        let isWorker: Bool

        init(
            clock: C,
            startDate: Date,
            interrupt: InterruptSignal,
            configuration: ExecutorConfiguration,
            isWorker: Bool = false
        ) {
            self.isWorker = isWorker
            self.start = clock.now
            self.startDate = startDate
            self.stop = StopSignal(interrupt: interrupt)
            self.describeBucket = TokenBucket(rate: configuration.describeRate, burst: configuration.describeBurst)
            self.polls = PollScheduler(firstPoll: configuration.firstPoll, pollInterval: configuration.pollInterval)
            configuration.monitor?.readLiveCalls { [liveCalls] in liveCalls.count }
        }

        /// A wall-clock time as an instant of the run's clock.
        func instant(of date: Date) -> C.Instant {
            start.advanced(by: .seconds(date.timeIntervalSince(startDate)))
        }

        /// An instant of the run's clock as a wall-clock time.
        func date(of instant: C.Instant) -> Date {
            startDate.addingTimeInterval(start.duration(to: instant).inSeconds)
        }

        /// An instant as time since the run started.
        func offset(of instant: C.Instant?) -> Duration? {
            instant.map { start.duration(to: $0) }
        }
    }
}

extension Executor where C == ContinuousClock {
    /// An executor on the continuous clock recording into a run's `records`, resuming from what
    /// they hold; see the designated initializer.
    public init(
        configuration: ExecutorConfiguration,
        sender: any ContactSender,
        records: any RunRecords,
        interrupt: InterruptSignal = InterruptSignal(),
        gates: [any AdmissionGate<ContinuousClock.Instant>] = [],
        watcher: (any CallWatcher)? = nil,
        agents: (any AgentSource)? = nil,
        wallClock: @escaping @Sendable () -> Date = { Date() },
        logger: Logger
    ) {
        self.init(
            configuration: configuration,
            sender: sender,
            journal: records,
            earlier: { records.earlier($0) },
            interrupt: interrupt,
            gates: gates,
            watcher: watcher,
            agents: agents,
            clock: ContinuousClock(),
            wallClock: wallClock,
            logger: logger
        )
    }
}

/// What a child task of a run hands back to the parent.
enum RowEvent<Instant: InstantProtocol>: Sendable {
    /// A row was settled.
    case settled(RowSettlement)
    /// A row was set aside until an instant (its calling window opens then); nothing was sent.
    case parked(PlannedRow, until: Instant)
    /// A row's call was started and is to be followed; its line waits for the call when the run
    /// follows calls.
    case started(RowSettlement, LiveCall)
    /// A followed call ended (or was let go): its line, when it waited for the call.
    case callEnded(ResultLine?)
    /// A wake-up for the rows set aside.
    case wake
    /// The worker's feed answered: the next chunk of rows, or nil when there are none.
    case fed(RowBatch?)
    /// The interrupt follower ended.
    case stopFollowed
    /// The watch for `outdial stop` ended.
    case stopWatched
    /// The `DescribeContact` scheduler ended.
    case pollsEnded
}

/// Where a worker's feed stands.
private enum FeedState {
    /// Not asked now.
    case idle
    /// Asked for the next chunk.
    case asking
    /// No rows left (or no feed).
    case exhausted
}

/// What a row task hands back to the parent.
struct RowSettlement: Sendable {
    var line: ResultLine
    /// Requests sent for this row.
    var requests = 0
    /// When its first request went out, as time since the run started.
    var firstSend: Duration?
    /// The error code, when Connect refused the row for good (the halt rule counts these).
    var refusedCode: String?
    /// Whether no attempt ever left the machine (the unreachable rule counts these).
    var unreachable = false
}

/// The parent task's bookkeeping: writes lines, counts them, applies the halt and unreachable
/// rules. Used from the parent task only.
private final class Recorder {
    private let sink: any ResultSink
    private let progress: ProgressReporter?
    private let monitor: RunMonitor?
    private let stop: StopSignal
    private var summary = RunSummary()
    private var errors = 0
    private var outputError: RecordingError?
    private var firstSend: Duration?
    private var lastSettle: Duration?
    private var refusedCode: String?
    private var refusedStreak = 0
    private var unreachableStreak = 0

    init(sink: any ResultSink, progress: ProgressReporter?, monitor: RunMonitor?, stop: StopSignal) {
        self.sink = sink
        self.progress = progress
        self.monitor = monitor
        self.stop = stop
    }

    func emit(_ line: ResultLine) {
        do {
            try sink.write(line)
        } catch {
            if outputError == nil {
                outputError = error
                stop.abort(RowError(code: error.code, message: error.message, retryable: false))
            }
        }
        summary.count(line)
        monitor?.settled(line)
        if line.status == .failed || line.status == .uncertain {
            errors += 1
        }
        progress?.update(done: summary.rows, errors: errors)
    }

    /// - Parameters:
    ///   - now: time since the run started.
    ///   - writeLine: false when the line waits for the row's call to end (then `emit` writes it).
    func settled(
        _ settlement: RowSettlement,
        at now: Duration,
        configuration: ExecutorConfiguration,
        writeLine: Bool = true
    ) {
        if writeLine { emit(settlement.line) }
        summary.requests += settlement.requests
        if let sent = settlement.firstSend {
            firstSend = min(firstSend ?? sent, sent)
            lastSettle = now
        }
        guard settlement.line.status != .skipped else { return }

        if let code = settlement.refusedCode {
            refusedStreak = code == refusedCode ? refusedStreak + 1 : 1
            refusedCode = code
            if configuration.haltAfter > 0, refusedStreak >= configuration.haltAfter {
                stop.abort(
                    RowError(
                        code: ErrorCode.halted,
                        message:
                            "\(refusedStreak) \(refusedStreak == 1 ? "row was" : "rows in a row were") refused with \(code) "
                            + "(--halt-after \(configuration.haltAfter))",
                        retryable: false
                    )
                )
            }
        } else {
            refusedCode = nil
            refusedStreak = 0
        }

        if settlement.unreachable {
            unreachableStreak += 1
            if unreachableStreak >= configuration.unreachableAfter {
                let cause = settlement.line.error.map { "\($0.code): \($0.message)" } ?? "no connection"
                stop.abort(
                    RowError(
                        code: ErrorCode.endpointUnreachable,
                        message:
                            "\(unreachableStreak) \(unreachableStreak == 1 ? "row" : "rows in a row") could not reach the endpoint (\(cause))",
                        retryable: false
                    )
                )
            }
        } else {
            unreachableStreak = 0
        }
    }

    func finish(duration: Duration, interrupted: Bool) -> RunSummary {
        progress?.finish()
        summary.duration = duration.inSeconds
        if let firstSend, let lastSettle {
            summary.sendingDuration = (lastSettle - firstSend).inSeconds
        }
        summary.abort = stop.abortReason
        summary.interrupted = interrupted
        return summary
    }
}
