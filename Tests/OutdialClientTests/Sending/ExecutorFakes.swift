import Foundation
import OutdialClient
import OutdialCore

/// A scripted sender: outcomes per destination and attempt (`.started` when the script runs
/// out), counting calls and requests in flight.
final class ScriptedSender: ContactSender, @unchecked Sendable {
    private let lock = NSLock()
    private let scripts: [String: [AttemptOutcome]]
    private let latency: Duration
    private let onSend: (@Sendable (PlannedRow, Int, Int) -> Void)?
    private var inFlight = 0
    private(set) var maxInFlight = 0
    private(set) var calls: [(destination: String, attempt: Int)] = []

    init(
        _ scripts: [String: [AttemptOutcome]] = [:],
        latency: Duration = .zero,
        onSend: (@Sendable (PlannedRow, _ attempt: Int, _ call: Int) -> Void)? = nil
    ) {
        self.scripts = scripts
        self.latency = latency
        self.onSend = onSend
    }

    var callCount: Int { lock.withLock { calls.count } }

    func send(_ row: PlannedRow, attempt: Int) async -> AttemptOutcome {
        let call = lock.withLock {
            inFlight += 1
            maxInFlight = max(maxInFlight, inFlight)
            calls.append((row.destination, attempt))
            return calls.count
        }
        onSend?(row, attempt, call)
        if latency > .zero {
            try? await Task.sleep(for: latency)
        } else {
            await Task.yield()
        }
        lock.withLock { inFlight -= 1 }
        let script = scripts[row.destination] ?? []
        if attempt - 1 < script.count {
            return script[attempt - 1]
        }
        return .started(contactId: "contact-\(row.ref.row)-\(attempt)", milliseconds: 42)
    }
}

/// Collects result lines.
final class LineCollector: ResultSink {
    private(set) var lines: [ResultLine] = []

    func write(_ line: ResultLine) throws(RecordingError) {
        lines.append(line)
    }

    func line(row: Int) -> ResultLine? {
        lines.first { $0.ref.row == row }
    }

    var text: String {
        String(decoding: lines.flatMap { $0.ndjson() }, as: UTF8.self)
    }
}

/// A journal that cannot be written.
struct BrokenJournal: JournalRecording {
    func recordIntent(for row: PlannedRow) async throws(RecordingError) {
        throw .journalWriteFailed("/state/jobs/j.journal", "Read-only file system")
    }

    func recordOutcome(for row: PlannedRow, _ outcome: JournalOutcome) async {}
}

enum Rows {
    /// `count` rows of job `job`, destinations `+1555000000N`.
    static func make(_ count: Int, job: String = "job-1") -> [PlannedRow] {
        (0 ..< count).map { index in
            let destination = "+1555" + String(1_000_000 + index).suffix(7)
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
    static let throttled = RowError(code: "TooManyRequestsException", message: "Rate exceeded", http: 429)
    static let serverError = RowError(code: "InternalServiceException", message: "oops", http: 500)
    static let refused = RowError(code: "ConnectionError", message: "connection refused")
    static let timeout = RowError(code: "Timeout", message: "no answer in 10 s")
    static let invalidNumber = RowError(
        code: "InvalidParameterException",
        message: "bad number",
        http: 400,
        retryable: false
    )
    static let denied = RowError(code: "UnrecognizedClientException", message: "bad key", http: 403)
}
