import Foundation
import OutdialBase
import OutdialCore
import Testing

@testable import OutdialLedger

/// Claims: the ledger's one decision before a request (suppression, limits) and the intent,
/// committed together.
struct ClaimTests {
    static func open(_ state: TemporaryState, clock: TestWallClock = TestWallClock()) async throws -> Ledger {
        try await Ledger.open(in: state.directory, wallClock: clock.read)
    }

    static func begin(
        _ ledger: Ledger,
        job: String = "job-a",
        source: String = "a.yaml",
        rules: JobRules = JobRules()
    ) async throws -> LedgerRun {
        try await ledger.beginRun(
            jobs: [job],
            sources: [source],
            rules: [source: rules],
            command: "outdial run \(source)"
        )
    }

    @Test func aSecondJobIsRefusedANumberTheFirstStartedWithinTheDefaultDay() async throws {
        let state = try TemporaryState()
        defer { state.remove() }
        let clock = TestWallClock()
        let ledger = try await Self.open(state, clock: clock)
        let first = try await Self.begin(ledger)
        let row = LedgerFixtures.row(0, destination: "+15550100001")
        #expect(try await first.recordIntent(for: row) == .recorded)
        await first.recordOutcome(for: row, .started(contactId: "c-1"))
        await first.finish()

        clock.advance(by: 3_600)
        let second = try await Self.begin(ledger, job: "job-b", source: "b.yaml")
        let other = LedgerFixtures.row(5, job: "job-b", source: "b.yaml", destination: "+15550100001")
        let answer = try await second.recordIntent(for: other)
        guard case .refused(let refusal) = answer else {
            Issue.record("expected a refusal, got \(answer)")
            return
        }
        #expect(refusal.reason == .limit)
        #expect(refusal.error.code == "LimitReached")
        #expect(refusal.error.message.contains("limit {max: 1, per: 24h}"))
        // Allowed again 24 h after the first call, which was an hour ago.
        let expected = UTCTimestamp(clock.date.addingTimeInterval(23 * 3_600)).rfc3339
        #expect(refusal.nextAllowedAt == expected)

        // A day after the first call the number may be called again.
        clock.advance(by: 23 * 3_600 + 1)
        #expect(try await second.recordIntent(for: other) == .recorded)
        await second.finish()
        await ledger.close()
    }

    @Test func failedAttemptsDoNotCountButUncertainOnesDo() async throws {
        let state = try TemporaryState()
        defer { state.remove() }
        let ledger = try await Self.open(state)
        let run = try await Self.begin(ledger)
        let failed = LedgerFixtures.row(0, destination: "+15550100001")
        let uncertain = LedgerFixtures.row(1, destination: "+15550100002")
        #expect(try await run.recordIntent(for: failed) == .recorded)
        #expect(try await run.recordIntent(for: uncertain) == .recorded)
        await run.recordOutcome(for: failed, .failed(code: "InvalidParameterException"))
        await run.recordOutcome(for: uncertain, .uncertain(code: "Timeout"))
        await run.finish()

        let next = try await Self.begin(ledger, job: "job-b", source: "b.yaml")
        let again = try await next.recordIntent(
            for: LedgerFixtures.row(0, job: "job-b", source: "b.yaml", destination: "+15550100001")
        )
        #expect(again == .recorded)
        let doubtful = try await next.recordIntent(
            for: LedgerFixtures.row(1, job: "job-b", source: "b.yaml", destination: "+15550100002")
        )
        #expect(doubtful.refusalReason == .limit)
        await next.finish()
        await ledger.close()
    }

    @Test func anIntentWithoutAnOutcomeCountsAsStarted() async throws {
        // The process died after the intent: the call may have been placed.
        let state = try TemporaryState()
        defer { state.remove() }
        let ledger = try await Self.open(state)
        let run = try await Self.begin(ledger)
        #expect(try await run.recordIntent(for: LedgerFixtures.row(0, destination: "+15550100001")) == .recorded)
        await run.finish()
        let next = try await Self.begin(ledger, job: "job-b", source: "b.yaml")
        let answer = try await next.recordIntent(
            for: LedgerFixtures.row(0, job: "job-b", source: "b.yaml", destination: "+15550100001")
        )
        #expect(answer.refusalReason == .limit)
        #expect(next.earlier(LedgerFixtures.row(0)) == nil)
        await next.finish()
        await ledger.close()
    }

    @Test func severalLimitsAndTheLatestTimeTheyAllAllow() async throws {
        let state = try TemporaryState()
        defer { state.remove() }
        let clock = TestWallClock()
        let ledger = try await Self.open(state, clock: clock)
        let rules = JobRules(
            limits: .limits([ContactLimit(max: 2, perSeconds: 3_600), ContactLimit(max: 3, perSeconds: 86_400)])
        )
        let start = clock.date
        for index in 0 ..< 3 {
            let run = try await Self.begin(ledger, job: "job-\(index)", source: "\(index).yaml", rules: rules)
            let row = LedgerFixtures.row(0, job: "job-\(index)", source: "\(index).yaml", destination: "+15550100001")
            let answer = try await run.recordIntent(for: row)
            await run.recordOutcome(for: row, .started(contactId: "c-\(index)"))
            await run.finish()
            // Two calls within the hour are allowed; the third waits for the hour to pass.
            if index < 2 {
                #expect(answer == .recorded)
                clock.advance(by: 600)
            } else {
                #expect(answer.refusal?.nextAllowedAt == UTCTimestamp(start.addingTimeInterval(3_600)).rfc3339)
            }
        }
        clock.advance(by: 3_600)
        let later = try await Self.begin(ledger, job: "job-9", source: "9.yaml", rules: rules)
        let row = LedgerFixtures.row(0, job: "job-9", source: "9.yaml", destination: "+15550100001")
        #expect(try await later.recordIntent(for: row) == .recorded)
        await later.recordOutcome(for: row, .started(contactId: "c-9"))
        // Three in the day now: the fourth waits for the first to leave the day.
        let fourth = try await later.recordIntent(
            for: LedgerFixtures.row(1, job: "job-9", source: "9.yaml", destination: "+15550100001")
        )
        #expect(fourth.refusal?.nextAllowedAt == UTCTimestamp(start.addingTimeInterval(86_400)).rfc3339)
        #expect(fourth.refusal?.error.message.contains("limit {max: 3, per: 24h}") == true)
        await later.finish()
        await ledger.close()
    }

    @Test func theLimitKeyCanIncludeTheInstance() async throws {
        let state = try TemporaryState()
        defer { state.remove() }
        let ledger = try await Self.open(state)
        let rules = JobRules(limitKey: .instanceAndDestination)
        let run = try await Self.begin(ledger, rules: rules)
        var first = LedgerFixtures.row(0, destination: "+15550100001")
        first.instanceId = "instance-1"
        var second = LedgerFixtures.row(1, destination: "+15550100001")
        second.instanceId = "instance-2"
        var third = LedgerFixtures.row(2, destination: "+15550100001")
        third.instanceId = "instance-1"
        #expect(try await run.recordIntent(for: first) == .recorded)
        #expect(try await run.recordIntent(for: second) == .recorded)
        #expect(try await run.recordIntent(for: third).refusalReason == .limit)
        await run.finish()
        await ledger.close()
    }

    @Test func limitsOffAndStoreDefaults() async throws {
        let state = try TemporaryState()
        defer { state.remove() }
        let ledger = try await Self.open(state)
        let off = try await Self.begin(ledger, rules: JobRules(limits: .off))
        for index in 0 ..< 3 {
            #expect(
                try await off.recordIntent(for: LedgerFixtures.row(index, destination: "+15550100001")) == .recorded
            )
        }
        await off.finish()

        try await ledger.setDefaults(LedgerDefaults(limits: .limits([ContactLimit(max: 5, perSeconds: 3_600)])))
        #expect(try await ledger.defaults().limits == .limits([ContactLimit(max: 5, perSeconds: 3_600)]))
        let inherited = try await Self.begin(ledger, job: "job-b", source: "b.yaml")
        #expect(inherited.limits(forSource: "b.yaml") == [ContactLimit(max: 5, perSeconds: 3_600)])
        let answers = try await (0 ..< 3).asyncMap { index in
            try await inherited.recordIntent(
                for: LedgerFixtures.row(index, job: "job-b", source: "b.yaml", destination: "+15550100001")
            )
        }
        // Three earlier calls plus two more reach the store's five an hour.
        #expect(answers.map(\.refusalReason) == [nil, nil, .limit])
        await inherited.finish()
        await ledger.close()
    }

    @Test func claimsArrivingTogetherAreDecidedInOrderAndCommittedTogether() async throws {
        let state = try TemporaryState()
        defer { state.remove() }
        let ledger = try await Self.open(state)
        let run = try await Self.begin(
            ledger,
            rules: JobRules(limits: .limits([ContactLimit(max: 1, perSeconds: 86_400)]))
        )
        // 200 rows for 100 numbers: exactly one row of each number may go.
        let rows = (0 ..< 200).map {
            LedgerFixtures.row($0, destination: "+1555010\(String(format: "%04d", $0 % 100))")
        }
        let answers = await withTaskGroup(of: (Int, IntentAnswer?).self) { group in
            for (index, row) in rows.enumerated() {
                group.addTask { (index, try? await run.recordIntent(for: row)) }
            }
            var answers: [Int: IntentAnswer?] = [:]
            for await (index, answer) in group { answers[index] = answer }
            return answers
        }
        let recorded = answers.filter { $0.value == .recorded }.map { rows[$0.key].destination }
        #expect(recorded.count == 100)
        #expect(Set(recorded).count == 100)
        let (commits, intents) = await run.durability()
        #expect(intents == 100)
        #expect(commits < 100, "\(commits) commits for 200 claims")
        await run.finish()
        await ledger.close()
    }

    @Test func aNumberSuppressedDuringARunIsRefusedAtItsIntent() async throws {
        let state = try TemporaryState()
        defer { state.remove() }
        let ledger = try await Self.open(state)
        let run = try await Self.begin(ledger)
        #expect(try await run.recordIntent(for: LedgerFixtures.row(0, destination: "+15550100001")) == .recorded)
        // Another process adds a number to the list while the run goes on.
        let other = try await Self.open(state)
        try await other.database.execute(
            "INSERT INTO suppressions (number, reason, until_at, added_at) VALUES ($1, $2, NULL, 0)",
            [.text("+15550100002"), .text("asked to stop on 2026-11-30")]
        )
        await other.close()
        let answer = try await run.recordIntent(for: LedgerFixtures.row(1, destination: "+15550100002"))
        #expect(answer.refusal?.reason == .suppressed)
        #expect(answer.refusal?.error.message == "+15550100002 is on the suppression list: asked to stop on 2026-11-30")
        await run.finish()
        await ledger.close()
    }

    @Test func theScreenSeesWhatTheClaimWouldRefuseWithoutRecording() async throws {
        let state = try TemporaryState()
        defer { state.remove() }
        let ledger = try await Self.open(state)
        let run = try await Self.begin(ledger)
        let row = LedgerFixtures.row(0, destination: "+15550100001")
        #expect(try await run.recordIntent(for: row) == .recorded)
        await run.recordOutcome(for: row, .started(contactId: "c-1"))
        await run.finish()

        let dry = try await ledger.peekRun(jobs: ["job-b"], rules: [:])
        let screened = try await dry.screen([
            LedgerFixtures.row(0, job: "job-b", source: "b.yaml", destination: "+15550100001"),
            LedgerFixtures.row(1, job: "job-b", source: "b.yaml", destination: "+15550100002"),
        ])
        #expect(screened.map { $0?.reason } == [.limit, nil])
        // A dry run's view records nothing.
        await #expect(throws: RecordingError.self) {
            try await dry.recordIntent(for: LedgerFixtures.row(1, job: "job-b", source: "b.yaml"))
        }
        let count = try await ledger.database.query("SELECT count(*) FROM attempts", [])
        #expect(count.first?.first?.integer == 1)
        await ledger.close()
    }

    @Test(arguments: [2_500, 45_000])
    func aScreenOfThousandsOfRowsFindsEverySuppressedAndLimitedNumber(count: Int) async throws {
        // More numbers than one statement asks about, a last piece shorter than the others and,
        // at 45,000 rows, a screen cut into pieces read on connections of their own.
        let state = try TemporaryState()
        defer { state.remove() }
        let clock = TestWallClock()
        let ledger = try await Self.open(state, clock: clock)
        let run = try await Self.begin(ledger)
        let number = { (index: Int) in "+155502\(String(format: "%05d", index))" }
        let (limitedEvery, suppressedEvery) = (max(11, count / 220), max(7, count / 350))
        let earlier = stride(from: 3, to: count, by: limitedEvery).map {
            LedgerFixtures.row($0, destination: number($0))
        }
        for row in earlier {
            #expect(try await run.recordIntent(for: row) == .recorded)
            await run.recordOutcome(for: row, .started(contactId: "c-\(row.ref.row)"))
        }
        await run.finish()
        let suppressed = Set(stride(from: 0, to: count, by: suppressedEvery))
        for index in suppressed {
            try await ledger.database.execute(
                "INSERT INTO suppressions (number, reason, until_at, added_at) VALUES ($1, 'asked', NULL, 0)",
                [.text(number(index))]
            )
        }

        clock.advance(by: 60)
        let dry = try await ledger.peekRun(jobs: ["job-b"], rules: [:])
        let rows = (0 ..< count).map { LedgerFixtures.row($0, job: "job-b", source: "b.yaml", destination: number($0)) }
        let screened = try await dry.screen(rows)
        let expected: [SkipReason?] = (0 ..< count).map { index in
            if suppressed.contains(index) { return .suppressed }
            return index % limitedEvery == 3 ? .limit : nil
        }
        #expect(screened.map { $0?.reason } == expected)
        await ledger.close()
    }
}

extension IntentAnswer {
    var refusal: Refusal? {
        if case .refused(let refusal) = self { return refusal }
        return nil
    }

    var refusalReason: SkipReason? { refusal?.reason }
}

extension Sequence {
    func asyncMap<T>(_ transform: (Element) async throws -> T) async rethrows -> [T] {
        var values: [T] = []
        for element in self { values.append(try await transform(element)) }
        return values
    }
}

struct OwnAttemptTests {
    /// outdial's own ClientTokens (64 hex digits, kept as numbers by the screen) and a token of
    /// the job's own; the two rows' tokens differ in their last character only.
    @Test(arguments: [
        (
            String(repeating: "0123456789abcdef", count: 4),
            String(repeating: "0123456789abcdef", count: 4).dropLast() + "e"
        ),
        ("token-" + String(repeating: "a", count: 58), "token-" + String(repeating: "a", count: 57) + "b"),
    ])
    func theScreenTellsARowsOwnAttemptByItsWholeToken(own: String, other: Substring) async throws {
        let state = try TemporaryState()
        defer { state.remove() }
        let ledger = try await ClaimTests.open(state)
        let first = try await ClaimTests.begin(ledger)
        let row = LedgerFixtures.row(0, destination: "+15550100001", clientToken: own)
        #expect(try await first.recordIntent(for: row) == .recorded)
        await first.recordOutcome(for: row, .uncertain(code: "OutcomeUnknown"))
        await first.finish()

        let redial = try await ClaimTests.begin(ledger)
        let sibling = LedgerFixtures.row(1, destination: "+15550100001", clientToken: String(other))
        let refusals = try await redial.screen([row, sibling])
        #expect(refusals.first == .some(nil))
        #expect(refusals.last??.reason == .limit)
        await redial.finish()
        await ledger.close()
    }

    @Test func aRowsOwnUncertainAttemptDoesNotCountAgainstItsRedial() async throws {
        // --redial-uncertain sends the row again with its ClientToken: Connect returns the contact
        // it already started instead of dialling, so its own attempt is not a second call.
        let state = try TemporaryState()
        defer { state.remove() }
        let ledger = try await ClaimTests.open(state)
        let first = try await ClaimTests.begin(ledger)
        let row = LedgerFixtures.row(0, destination: "+15550100001")
        #expect(try await first.recordIntent(for: row) == .recorded)
        await first.recordOutcome(for: row, .uncertain(code: "OutcomeUnknown"))
        await first.finish()

        let redial = try await ClaimTests.begin(ledger)
        #expect(redial.earlier(row) == .uncertain)
        #expect(try await redial.screen([row]) == [nil])
        #expect(try await redial.recordIntent(for: row) == .recorded)
        // Another row of the same job for the same number is another call, and is refused.
        let other = LedgerFixtures.row(1, destination: "+15550100001")
        #expect(try await redial.recordIntent(for: other).refusalReason == .limit)
        await redial.finish()
        await ledger.close()
    }

    @Test func anOutcomeIsInTheStoreWhenRecordingItReturns() async throws {
        let state = try TemporaryState()
        defer { state.remove() }
        let ledger = try await ClaimTests.open(state)
        let run = try await ClaimTests.begin(ledger)
        let row = LedgerFixtures.row(0)
        #expect(try await run.recordIntent(for: row) == .recorded)
        await run.recordOutcome(for: row, .started(contactId: "c-0"), attempts: 2)
        // Read through another connection, as a process started after a crash would.
        let other = try await ClaimTests.open(state)
        let rows = try await other.database.query("SELECT status, contact_id, attempts FROM attempts", [])
        #expect(rows == [[.integer(AttemptStatus.started.rawValue), .text("c-0"), .integer(2)]])
        await other.close()
        await run.finish()
        await ledger.close()
    }
}
