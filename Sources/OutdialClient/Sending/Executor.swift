import Foundation
import Logging
import OutdialCore

/// Sends planned rows: a sliding window of `concurrency` row tasks paced by a token bucket, with
/// retries, the journal's intent-before-send rule, the halt rule, the deadline and interrupts.
/// Every row gets exactly one result line, handed to a `ResultSink` from the parent task.
///
/// Dry run: nothing is locked, journaled or sent, and every row gets a `planned` line (as
/// `outdial plan` writes it), which counts as success for the exit code.
public struct Executor: Sendable {
    /// How to send.
    public var configuration: ExecutorConfiguration
    private let sender: any ContactSender
    private let journal: (any JournalRecording)?
    private let earlier: @Sendable (PlannedRow) -> JournalState.Entry?
    private let interrupt: InterruptSignal
    private let logger: Logger

    /// An executor recording into a job's journals.
    /// - Parameters:
    ///   - configuration: pacing, retries, halt rule, deadline.
    ///   - sender: makes one attempt per call.
    ///   - journal: where intents and outcomes go; `nil` sends without a journal (only for
    ///     embedding and tests: `outdial run` always has one).
    ///   - earlier: what earlier runs recorded for a row (resume).
    ///   - interrupt: the flag that stops new rows.
    ///   - logger: for aborts and attempts (no phone numbers are logged).
    public init(
        configuration: ExecutorConfiguration,
        sender: any ContactSender,
        journal: (any JournalRecording)?,
        earlier: @escaping @Sendable (PlannedRow) -> JournalState.Entry? = { _ in nil },
        interrupt: InterruptSignal = InterruptSignal(),
        logger: Logger
    ) {
        self.configuration = configuration
        self.sender = sender
        self.journal = journal
        self.earlier = earlier
        self.interrupt = interrupt
        self.logger = logger
    }

    /// An executor recording into `journals`, resuming from what they hold.
    public init(
        configuration: ExecutorConfiguration,
        sender: any ContactSender,
        journals: JobJournals,
        interrupt: InterruptSignal = InterruptSignal(),
        logger: Logger
    ) {
        self.init(
            configuration: configuration,
            sender: sender,
            journal: journals,
            earlier: { journals.earlier($0) },
            interrupt: interrupt,
            logger: logger
        )
    }

    /// Runs the batch.
    /// - Parameters:
    ///   - rows: the planned rows to send.
    ///   - settled: lines already settled before sending (`invalid`, `duplicate`), written first
    ///     and counted in the summary.
    ///   - sink: receives one line per row.
    ///   - progress: draws the progress line, if wanted.
    /// - Returns: the summary; its `exitCode` is the process's.
    public func run(
        _ rows: [PlannedRow],
        settled: [ResultLine] = [],
        into sink: any ResultSink,
        progress: ProgressReporter? = nil
    ) async -> RunSummary {
        let clock = ContinuousClock()
        let start = clock.now
        let stop = StopState(deadline: configuration.deadline, interrupt: interrupt)
        let recorder = Recorder(sink: sink, progress: progress, stop: stop)
        for line in settled {
            recorder.emit(line)
        }
        if configuration.dryRun {
            for row in rows {
                var line = Self.line(for: row, status: .planned)
                line.request = row.body
                recorder.emit(line)
            }
            return recorder.finish(duration: start.duration(to: clock.now), interrupted: false)
        }

        let toSend = resume(rows, recorder: recorder)
        let bucket = TokenBucket(rate: configuration.rate, burst: configuration.burst, clock: clock)
        var next = 0
        await withTaskGroup(of: RowSettlement.self) { group in
            var inFlight = 0
            while inFlight < configuration.concurrency, next < toSend.count, stop.reason() == nil {
                let row = toSend[next]
                group.addTask { await self.settle(row, bucket: bucket, stop: stop) }
                next += 1
                inFlight += 1
            }
            while let settlement = await group.next() {
                inFlight -= 1
                recorder.settled(settlement, at: clock.now, configuration: configuration)
                if next < toSend.count, stop.reason() == nil {
                    let row = toSend[next]
                    group.addTask { await self.settle(row, bucket: bucket, stop: stop) }
                    next += 1
                    inFlight += 1
                }
            }
        }
        let reason = stop.reason() ?? .halted
        for row in toSend[next...] {
            recorder.emit(Self.skipped(row, reason))
        }
        if let abort = stop.abortReason {
            logger.error("run aborted", metadata: ["code": "\(abort.code)", "message": "\(abort.message)"])
        }
        return recorder.finish(duration: start.duration(to: clock.now), interrupted: interrupt.isRaised)
    }

    /// Writes the lines of rows an earlier run settled; returns the rows to send.
    private func resume(_ rows: [PlannedRow], recorder: Recorder) -> [PlannedRow] {
        var toSend: [PlannedRow] = []
        toSend.reserveCapacity(rows.count)
        for row in rows {
            switch earlier(row) {
            case .started(let contactId):
                var line = Self.line(for: row, status: .skipped)
                line.reason = .alreadyStarted
                line.contactId = contactId
                recorder.emit(line)
            case .uncertain where !configuration.redialUncertain:
                var line = Self.line(for: row, status: .uncertain)
                line.error = RowError(
                    code: "OutcomeUnknown",
                    message: "an earlier run sent this request and never learned its outcome; "
                        + "not sent again (--redial-uncertain sends it)",
                    retryable: false
                )
                line.request = row.body
                recorder.emit(line)
            case .uncertain, .failed, nil:
                toSend.append(row)
            }
        }
        return toSend
    }

    /// One row, from its first token to its result line.
    private func settle(
        _ row: PlannedRow,
        bucket: TokenBucket<ContinuousClock>,
        stop: StopState
    ) async -> RowSettlement {
        let policy = configuration.retry
        var attempt = 0
        var last: AttemptOutcome?
        var sawUnknown = false
        var everReached = false
        var firstSend: ContinuousClock.Instant?
        let clock = ContinuousClock()
        let deadline = configuration.deadline.map { clock.now.advanced(by: .seconds($0.timeIntervalSinceNow)) }
        attempts: while attempt < policy.maxAttempts {
            let mayStart = await bucket.acquire(before: deadline) { stop.reason() != nil }
            if let reason = stop.reason() ?? (mayStart ? nil : .deadline) {
                if last == nil {
                    return RowSettlement(line: Self.skipped(row, reason))
                }
                break attempts
            }
            if attempt == 0, let journal {
                do {
                    try await journal.recordIntent(for: row)
                } catch {
                    stop.abort(RowError(code: error.code, message: error.message, retryable: false))
                    return RowSettlement(line: Self.skipped(row, .halted))
                }
            }
            attempt += 1
            let sentAt = Date()
            firstSend = firstSend ?? ContinuousClock.now
            let outcome = await sender.send(row, attempt: attempt)
            last = outcome
            switch outcome {
            case .started(let contactId, let milliseconds):
                await bucket.succeeded()
                await journal?.recordOutcome(for: row, .started(contactId: contactId))
                var line = Self.line(for: row, status: .started)
                line.contactId = contactId
                line.attempts = attempt
                line.at = RFC3339Timestamp.string(from: sentAt)
                line.ms = milliseconds
                return RowSettlement(line: line, requests: attempt, firstSend: firstSend)
            case .fatal(let error):
                stop.abort(error)
                await journal?.recordOutcome(for: row, .failed(code: error.code))
                let line = Self.failed(row, error, retryable: false, attempts: attempt)
                return RowSettlement(line: line, requests: attempt, firstSend: firstSend)
            case .failed(let error):
                everReached = true
                if RetryPolicy.isThrottling(error) {
                    await bucket.throttled()
                }
                if !RetryPolicy.isRetryable(outcome) {
                    // An earlier attempt may have started the contact: the row stays uncertain.
                    if sawUnknown { break attempts }
                    await journal?.recordOutcome(for: row, .failed(code: error.code))
                    let line = Self.failed(row, error, retryable: false, attempts: attempt)
                    return RowSettlement(
                        line: line,
                        requests: attempt,
                        firstSend: firstSend,
                        refusedCode: error.code
                    )
                }
            case .unknown:
                everReached = true
                sawUnknown = true
            case .notSent:
                break
            }
            logger.debug(
                "attempt did not start a contact",
                metadata: ["attempt": "\(attempt)", "row": "\(row.ref.row)", "job": "\(row.ref.job)"]
            )
            if attempt < policy.maxAttempts {
                let delay = policy.delay(after: outcome, attempt: attempt, random: Double.random(in: 0 ..< 1))
                try? await Task.sleep(for: delay)
            }
        }
        // Retries ran out, or the run stopped between attempts.
        let error = last.flatMap(Self.error(of:)) ?? RowError(code: "Unknown", message: "no attempt was made")
        if sawUnknown {
            await journal?.recordOutcome(for: row, .uncertain(code: error.code))
            var line = Self.line(for: row, status: .uncertain)
            line.error = error
            line.attempts = attempt
            line.request = row.body
            return RowSettlement(line: line, requests: attempt, firstSend: firstSend)
        }
        await journal?.recordOutcome(for: row, .failed(code: error.code))
        let line = Self.failed(row, error, retryable: true, attempts: attempt)
        return RowSettlement(line: line, requests: attempt, firstSend: firstSend, unreachable: !everReached)
    }

    // MARK: Lines

    static func line(for row: PlannedRow, status: RowStatus) -> ResultLine {
        ResultLine(ref: row.ref, destination: row.destination, clientToken: row.clientToken, status: status)
    }

    static func skipped(_ row: PlannedRow, _ reason: SkipReason) -> ResultLine {
        var line = line(for: row, status: .skipped)
        line.reason = reason
        line.request = row.body
        return line
    }

    static func failed(_ row: PlannedRow, _ error: RowError, retryable: Bool, attempts: Int) -> ResultLine {
        var line = line(for: row, status: .failed)
        var error = error
        error.retryable = error.retryable ?? retryable
        line.error = error
        line.attempts = attempts
        line.request = row.body
        return line
    }

    static func error(of outcome: AttemptOutcome) -> RowError? {
        switch outcome {
        case .started: return nil
        case .failed(let error), .unknown(let error), .notSent(let error), .fatal(let error): return error
        }
    }
}

/// What a row task hands back to the parent.
struct RowSettlement: Sendable {
    var line: ResultLine
    /// Requests sent for this row.
    var requests = 0
    /// When its first request went out.
    var firstSend: ContinuousClock.Instant?
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
    private let stop: StopState
    private var summary = RunSummary()
    private var errors = 0
    private var outputError: RecordingError?
    private var firstSend: ContinuousClock.Instant?
    private var lastSettle: ContinuousClock.Instant?
    private var refusedCode: String?
    private var refusedStreak = 0
    private var unreachableStreak = 0

    init(sink: any ResultSink, progress: ProgressReporter?, stop: StopState) {
        self.sink = sink
        self.progress = progress
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
        if line.status == .failed || line.status == .uncertain {
            errors += 1
        }
        progress?.update(done: summary.rows, errors: errors)
    }

    func settled(_ settlement: RowSettlement, at now: ContinuousClock.Instant, configuration: ExecutorConfiguration) {
        emit(settlement.line)
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
                        code: "Halted",
                        message: "\(refusedStreak) rows in a row were refused with \(code) "
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
                        code: "EndpointUnreachable",
                        message: "\(unreachableStreak) rows in a row could not reach the endpoint (\(cause))",
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
        summary.duration = Self.seconds(duration)
        if let firstSend, let lastSettle {
            summary.sendingDuration = Self.seconds(firstSend.duration(to: lastSettle))
        }
        summary.abort = stop.abortReason
        summary.interrupted = interrupted
        return summary
    }

    private static func seconds(_ duration: Duration) -> Double {
        let (seconds, attoseconds) = duration.components
        return Double(seconds) + Double(attoseconds) / 1e18
    }
}
