import Foundation
import OutdialBase
import OutdialCore
import Synchronization
import Testing

@testable import OutdialClient
@testable import OutdialLedger

/// `--rate` shared by three processes through one ledger: each its own gate and its own connection
/// to the store, on a clock the test moves (the ledger's wall clock follows it).
struct SharedQuotaGateTests {
    typealias Instant = ManualClock.Instant

    /// Time as the test sets it, in milliseconds, read by the ledgers as their wall clock.
    final class TestTime: Sendable {
        let milliseconds = Mutex(0)
        var wallClock: @Sendable () -> Date {
            { Date(timeIntervalSince1970: 1_800_000_000 + Double(self.milliseconds.withLock { $0 }) / 1000) }
        }
    }

    static func openLedgers(_ count: Int, time: TestTime) async throws -> (StateDirectory, [Ledger]) {
        let directory = StateDirectory(path: NSTemporaryDirectory() + "outdial-quota-\(UUID().uuidString)")
        try directory.prepare()
        var ledgers: [Ledger] = []
        for _ in 0 ..< count { ledgers.append(try await Ledger.open(in: directory, wallClock: time.wallClock)) }
        return (directory, ledgers)
    }

    @Test func threeProcessesTogetherKeepToOneRate() async throws {
        let time = TestTime()
        let (directory, ledgers) = try await Self.openLedgers(3, time: time)
        defer { try? FileManager.default.removeItem(atPath: directory.path) }
        let gates = ledgers.map {
            SharedQuotaGate<Instant>(quota: $0, key: "123456789012/us-east-1", rate: 20, burst: 5)
        }
        let rows = Rows.make(1)
        // Every process has rows waiting all the time: each asks whenever its gate lets it.
        var started = [Int](repeating: 0, count: 3)
        var asksFrom = [Instant](repeating: Instant.at(0), count: 3)
        for milliseconds in stride(from: 0, to: 10_000, by: 5) {
            time.milliseconds.withLock { $0 = milliseconds }
            let now = Instant.at(milliseconds)
            // The processes ask in a different order each time, as processes on their own do.
            let order = (0 ..< 3).map { ($0 + milliseconds / 5) % 3 }
            for index in order where asksFrom[index] <= now {
                let gate = gates[index]
                while true {
                    let answer = await gate.admit(rows[0], attempt: 1, now: now) { .go }
                    if case .go = answer {
                        started[index] += 1
                        continue
                    }
                    if case .notBefore(let instant) = answer { asksFrom[index] = instant }
                    break
                }
            }
        }
        let total = started.reduce(0, +)
        // 10 s at 20 a second plus the burst, for the three together; each got a share.
        #expect(total <= 5 + 20 * 10, "\(started)")
        #expect(total >= 20 * 10 - 10, "\(started)")
        #expect(started.allSatisfy { $0 >= 30 }, "\(started)")
        for ledger in ledgers { await ledger.close() }
    }

    @Test func aThrottledAnswerInOneProcessSlowsTheOthers() async throws {
        let time = TestTime()
        let (directory, ledgers) = try await Self.openLedgers(2, time: time)
        defer { try? FileManager.default.removeItem(atPath: directory.path) }
        let first = SharedQuotaGate<Instant>(quota: ledgers[0], key: "k", rate: 20, burst: 1)
        let second = SharedQuotaGate<Instant>(quota: ledgers[1], key: "k", rate: 20, burst: 1)
        let row = Rows.make(1)[0]
        await first.attemptEnded(
            row,
            attempt: 1,
            outcome: .failed(RowError(code: "ThrottlingException", message: "Rate exceeded"), .throttling),
            at: Instant.at(0)
        )
        // The second process, never throttled itself, now gets about 10 a second, not 20.
        var started = 0
        var asksFrom = Instant.at(0)
        for milliseconds in stride(from: 0, to: 1_000, by: 5) {
            time.milliseconds.withLock { $0 = milliseconds }
            let now = Instant.at(milliseconds)
            guard asksFrom <= now else { continue }
            let answer = await second.admit(row, attempt: 1, now: now) { .go }
            if case .go = answer { started += 1 }
            if case .notBefore(let instant) = answer { asksFrom = instant }
        }
        #expect((9 ... 13).contains(started), "\(started)")
        for ledger in ledgers { await ledger.close() }
    }

    @Test func whenTheStoreCannotBeAskedNothingStarts() async throws {
        let time = TestTime()
        let (directory, ledgers) = try await Self.openLedgers(1, time: time)
        defer { try? FileManager.default.removeItem(atPath: directory.path) }
        let gate = SharedQuotaGate<Instant>(quota: ledgers[0], key: "k", rate: 20, burst: 5)
        // The store becomes unreadable under the run (another program replaced it).
        try await ledgers[0].database.execute("DROP TABLE quota_buckets")
        let answer = await gate.admit(Rows.make(1)[0], attempt: 1, now: Instant.at(0)) { .go }
        guard case .skip(.halted, let error?, _) = answer else {
            Issue.record("expected the row skipped, got \(answer.summary)")
            return
        }
        #expect(error.message.contains("quota_buckets"), "\(error.message)")
        await ledgers[0].close()
    }
}
