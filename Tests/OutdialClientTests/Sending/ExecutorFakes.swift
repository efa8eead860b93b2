import Foundation
import OutdialBase
import OutdialCore
import Synchronization

@testable import OutdialClient

/// A scripted sender: outcomes per destination and attempt (`.started` when the script runs
/// out), counting calls and requests in flight. With a clock, each call records when it was made
/// and, with a latency, sleeps that long on the clock.
final class ScriptedSender: ContactSender, Sendable {
    struct Call: Sendable {
        var destination: String
        var attempt: Int
        var at: ManualClock.Instant?
    }

    private struct State {
        var inFlight = 0
        var maxInFlight = 0
        var calls: [Call] = []
    }

    private let state = Mutex(State())
    private let callCounter = RisingLevel()
    private let scripts: [String: [AttemptOutcome]]
    private let clock: ManualClock?
    private let latency: Duration
    private let onSend: (@Sendable (PlannedRow, Int, Int) -> Void)?

    init(
        _ scripts: [String: [AttemptOutcome]] = [:],
        clock: ManualClock? = nil,
        latency: Duration = .zero,
        onSend: (@Sendable (PlannedRow, _ attempt: Int, _ call: Int) -> Void)? = nil
    ) {
        self.scripts = scripts
        self.clock = clock
        self.latency = latency
        self.onSend = onSend
    }

    var calls: [Call] { state.withLock { $0.calls } }
    var callCount: Int { state.withLock { $0.calls.count } }
    var maxInFlight: Int { state.withLock { $0.maxInFlight } }
    /// When each call was made, as time since the clock's zero.
    var callTimes: [Duration] { calls.compactMap { $0.at?.offset } }

    /// Returns once `count` calls were made.
    func calls(atLeast count: Int) async {
        await callCounter.wait(until: count)
    }

    func send(_ row: PlannedRow, attempt: Int) async -> AttemptOutcome {
        let now = clock?.now
        let call = state.withLock { state in
            state.inFlight += 1
            state.maxInFlight = max(state.maxInFlight, state.inFlight)
            state.calls.append(Call(destination: row.destination, attempt: attempt, at: now))
            return state.calls.count
        }
        onSend?(row, attempt, call)
        callCounter.increment()
        if let clock, latency > .zero {
            try? await clock.sleep(until: clock.now.advanced(by: latency))
        }
        state.withLock { $0.inFlight -= 1 }
        let script = scripts[row.destination] ?? []
        if attempt - 1 < script.count {
            return script[attempt - 1]
        }
        return .started(contactId: "contact-\(row.ref.row)-\(attempt)", milliseconds: 42)
    }
}

/// A sender whose requests never get an answer: each call waits until its task is cancelled,
/// then reports the request's outcome as unknown, as the Connect client does.
final class HangingSender: ContactSender, Sendable {
    private let callCounter = RisingLevel()
    private let never = RisingLevel()

    var callCount: Int { callCounter.value }

    /// Returns once `count` calls are hanging.
    func calls(atLeast count: Int) async {
        await callCounter.wait(until: count)
    }

    func send(_ row: PlannedRow, attempt: Int) async -> AttemptOutcome {
        callCounter.increment()
        await never.wait(until: 1)
        return .unknown(RowError(code: ErrorCode.cancelled, message: "the request was cancelled", retryable: true))
    }
}

/// Collects result lines.
final class LineCollector: ResultSink, Sendable {
    private let collected = Mutex<[ResultLine]>([])

    var lines: [ResultLine] { collected.withLock { $0 } }

    func write(_ line: ResultLine) throws(RecordingError) {
        collected.withLock { $0.append(line) }
    }

    func line(row: Int) -> ResultLine? {
        lines.first { $0.ref.row == row }
    }

    var text: String {
        String(decoding: lines.flatMap { $0.ndjson() }, as: UTF8.self)
    }
}

/// Records that cannot be written (a ledger on a read-only file system).
struct BrokenJournal: JournalRecording {
    func recordIntent(for row: PlannedRow) async throws(RecordingError) -> IntentAnswer {
        throw .ledgerWriteFailed("/state/outdial.sqlite", "it cannot be written (attempt to write a readonly database)")
    }

    func recordOutcome(for row: PlannedRow, _ outcome: JournalOutcome) async {}
}

/// A journal that passes records on and runs `afterIntent` once each intent is durable.
struct HookedJournal: JournalRecording {
    let inner: any JournalRecording
    let afterIntent: @Sendable (PlannedRow) -> Void

    func recordIntent(for row: PlannedRow) async throws(RecordingError) -> IntentAnswer {
        let answer = try await inner.recordIntent(for: row)
        afterIntent(row)
        return answer
    }

    func recordOutcome(for row: PlannedRow, _ outcome: JournalOutcome) async {
        await inner.recordOutcome(for: row, outcome)
    }
}

/// A gate deciding with a closure: its answer, or `nil` to ask the gates after it.
struct TestGate: AdmissionGate {
    let decide: @Sendable (PlannedRow, _ attempt: Int) -> Admission<ManualClock.Instant>?

    func admit(
        _ row: PlannedRow,
        attempt: Int,
        now: ManualClock.Instant,
        next: () async -> Admission<ManualClock.Instant>
    ) async -> Admission<ManualClock.Instant> {
        if let answer = decide(row, attempt) { return answer }
        return await next()
    }
}

enum Rows {
    /// `count` rows of job `job`, destinations `+1555000000N`.
    static func make(_ count: Int, job: String = "job-1") -> [PlannedRow] {
        (0 ..< count).map { index in
            let destination = destination(index)
            return PlannedRow(
                ref: RowRef(job: job, source: "calls.yaml", row: index, line: 3 + index * 2),
                destination: destination,
                clientToken: "token-\(index)",
                body: Array(#"{"DestinationPhoneNumber":"\#(destination)"}"#.utf8),
                instanceId: "instance"
            )
        }
    }

    static func destination(_ index: Int) -> String {
        "+1555" + String(1_000_000 + index).suffix(7)
    }
}

extension RowError {
    static let throttled = RowError(
        code: "TooManyRequestsException",
        message: "Rate exceeded",
        http: 429,
        retryable: true
    )
    static let serverError = RowError(code: "InternalServiceException", message: "oops", http: 500, retryable: true)
    static let refused = RowError(code: "ConnectionRefused", message: "connection refused", retryable: true)
    static let timeout = RowError(code: "Timeout", message: "no answer in 10 s", retryable: true)
    static let invalidNumber = RowError(
        code: "InvalidParameterException",
        message: "bad number",
        http: 400,
        retryable: false
    )
    static let denied = RowError(code: "UnrecognizedClientException", message: "bad key", http: 403, retryable: false)
}

extension AttemptOutcome {
    static let throttled = AttemptOutcome.failed(.throttled, .throttling)
    static let serverError = AttemptOutcome.failed(.serverError, .transient)
    static let refused = AttemptOutcome.notSent(.refused, .transient)
    static let timeout = AttemptOutcome.unknown(.timeout)
    static let invalidNumber = AttemptOutcome.failed(.invalidNumber, .permanent)
    static let denied = AttemptOutcome.fatal(.denied)
}

extension Duration {
    /// `.milliseconds` for test expectations.
    static func ms(_ value: Int) -> Duration { .milliseconds(value) }
}
