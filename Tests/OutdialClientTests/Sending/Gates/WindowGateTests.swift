import Foundation
import OutdialBase
import OutdialCore
import Testing

@testable import OutdialClient

/// Calling windows in the executor, on a manual clock; every run starts at 2026-11-25T01:00:00Z
/// (20:00 in New York, 17:00 in Los Angeles, 01:00 in London, 12:00 in Sydney).
struct WindowGateTests {
    static let newYork = "+12125550142"
    static let london = "+442079460142"
    static let noZone = "+15551230001"

    /// Rows calling `destinations`, in order, held to `window` (the standard one by default).
    static func rows(_ destinations: [String], window: WindowSetting = .standard) -> [PlannedRow] {
        destinations.enumerated().map { index, destination in
            PlannedRow(
                ref: RowRef(job: "job-w", source: "calls.yaml", row: index, line: 3 + index),
                destination: destination,
                clientToken: "token-\(index)",
                body: Array(#"{"DestinationPhoneNumber":"\#(destination)"}"#.utf8),
                instanceId: "instance",
                window: window.rowWindow(destination: destination, rowTimeZone: nil)
            )
        }
    }

    static func executor(
        _ sender: ScriptedSender,
        clock: ManualClock,
        configure: (inout ExecutorConfiguration) -> Void = { _ in }
    ) -> Executor<ManualClock> {
        ExecutorTests.executor(sender, clock: clock, configure: configure)
    }

    @Test func rowsOutsideTheirWindowAreSkippedWithWhenItOpensAndTheOthersStart() async throws {
        let clock = ManualClock()
        let sender = ScriptedSender(clock: clock)
        let sink = LineCollector()
        let summary = await Self.executor(sender, clock: clock)
            .run(Self.rows([Self.newYork, Self.london, Self.noZone]), into: sink)

        #expect(sender.calls.map(\.destination) == [Self.newYork])
        #expect(sink.line(row: 0)?.status == .started)
        let london = try #require(sink.line(row: 1))
        #expect(london.status == .skipped)
        #expect(london.reason == .outsideWindow)
        #expect(london.opensAt == "2026-11-25T08:00:00+00:00")
        #expect(london.error?.code == "OutsideWindow")
        #expect(london.error?.message.contains("08:00-21:00 in Europe/London is closed") == true)
        let noZone = try #require(sink.line(row: 2))
        #expect(noZone.status == .skipped)
        #expect(noZone.reason == .noTimezone)
        #expect(noZone.opensAt == nil)
        #expect(summary.skipped == [.outsideWindow: 1, .noTimezone: 1])
        #expect(
            summary.timezones == [
                "America/New_York": [.started: 1], "Europe/London": [.skipped: 1], "none": [.skipped: 1],
            ]
        )
        #expect(summary.exitCode == 1)
        #expect(String(decoding: london.ndjson(), as: UTF8.self).contains(#""opensAt":"2026-11-25T08:00:00+00:00""#))
    }

    @Test func rowsOfAJobWithTheWindowOffAreCalledAtAnyHour() async {
        let clock = ManualClock()
        let sender = ScriptedSender(clock: clock)
        let sink = LineCollector()
        let summary = await Self.executor(sender, clock: clock)
            .run(Self.rows([Self.london, Self.noZone], window: .off), into: sink)

        #expect(sender.callCount == 2)
        #expect(summary.counts == [.started: 2])
        #expect(summary.timezones == [:])
    }

    @Test(.timeLimit(.minutes(1))) func waitStartsEachRowWhenItsWindowOpensWithoutHoldingUpTheOthers() async throws {
        let clock = ManualClock()
        let sender = ScriptedSender(clock: clock)
        let sink = LineCollector()
        // One request at a time: the London row, first in the file, must not keep the slot.
        async let summary = Self.executor(sender, clock: clock) {
            $0.concurrency = 1
            $0.waitForWindow = true
        }.run(
            Self.rows([Self.london, Self.newYork, Self.newYork.replacingOccurrences(of: "42", with: "43")]),
            into: sink
        )

        await sender.calls(atLeast: 2)
        #expect(sender.callTimes == [.zero, .zero])
        // Only the wake-up for London's window (08:00Z, seven hours on) is waiting now.
        await clock.sleepers(atLeast: 1)
        clock.advance(by: .seconds(7 * 3600 - 1))
        #expect(sender.callCount == 2)
        clock.advance(by: .seconds(1))
        let result = await summary

        #expect(sender.calls.map(\.destination).last == Self.london)
        #expect(sender.callTimes == [.zero, .zero, .seconds(7 * 3600)])
        let london = try #require(sink.line(row: 0))
        #expect(london.status == .started)
        #expect(london.at == "2026-11-25T08:00:00.000Z")
        #expect(sink.lines.map(\.ref.row) == [1, 2, 0])
        #expect(result.counts == [.started: 3])
    }

    @Test func waitDoesNotHoldARowPastTheDeadline() async throws {
        let clock = ManualClock()
        let sender = ScriptedSender(clock: clock)
        let sink = LineCollector()
        let deadline = ExecutorTests.startDate.addingTimeInterval(4 * 3600)
        let summary = await Self.executor(sender, clock: clock) {
            $0.waitForWindow = true
            $0.deadline = deadline
        }.run(Self.rows([Self.london, Self.newYork]), into: sink)

        #expect(sender.calls.map(\.destination) == [Self.newYork])
        let london = try #require(sink.line(row: 0))
        #expect(london.reason == .outsideWindow)
        #expect(london.opensAt == "2026-11-25T08:00:00+00:00")
        #expect(london.error?.message.contains("until after --deadline") == true)
        #expect(summary.skipped == [.outsideWindow: 1])
    }

    @Test(.timeLimit(.minutes(1))) func aRetryAfterTheWindowClosedIsNotSent() async throws {
        let clock = ManualClock()
        let sender = ScriptedSender([Self.newYork: [.failed(.throttled, .throttling)]], clock: clock)
        let sink = LineCollector()
        async let summary = Self.executor(sender, clock: clock) {
            $0.retry = RetryPolicy(maxAttempts: 3, base: .seconds(3600), cap: .seconds(3600), unknownDelay: .zero)
        }.run(Self.rows([Self.newYork]), into: sink)

        // The backoff ends after 21:00 in New York (02:00Z).
        await sender.calls(atLeast: 1)
        await clock.sleepers(atLeast: 1)
        clock.advance(by: .seconds(3600))
        let result = await summary

        #expect(sender.callCount == 1)
        let line = try #require(sink.line(row: 0))
        #expect(line.status == .skipped)
        #expect(line.reason == .windowClosed)
        #expect(line.attempts == 1)
        #expect(line.opensAt == "2026-11-25T08:00:00-05:00")
        #expect(line.error?.code == "WindowClosed")
        #expect(line.error?.message.contains("TooManyRequestsException") == true)
        #expect(result.skipped == [.windowClosed: 1])
        #expect(result.requests == 1)
    }

    @Test func noRowStartsWithinTheMarginOfTheClose() async throws {
        // 20:00 in New York, a window closing at 20:05 with a 5-minute margin: nothing starts.
        let hours = try #require(CallingWindow.Hours(startMinute: 8 * 60, endMinute: 20 * 60 + 5))
        let window = WindowSetting.custom(JobWindow(calling: CallingWindow(hours: hours, marginMinutes: 5)))
        let clock = ManualClock()
        let sender = ScriptedSender(clock: clock)
        let sink = LineCollector()
        _ = await Self.executor(sender, clock: clock).run(Self.rows([Self.newYork], window: window), into: sink)

        #expect(sender.callCount == 0)
        #expect(sink.line(row: 0)?.reason == .outsideWindow)
        #expect(sink.line(row: 0)?.opensAt == "2026-11-25T08:00:00-05:00")
    }

    @Test(.timeLimit(.minutes(1))) func aRowWhoseRateSlotComesAfterTheLastStartIsNotStarted() async throws {
        // New York's window closes at 20:02 (01:02Z) with a 1-minute margin: the last start is
        // 01:01Z. One request a minute: the second row's slot is 01:01Z, too late.
        let hours = try #require(CallingWindow.Hours(startMinute: 8 * 60, endMinute: 20 * 60 + 2))
        let window = WindowSetting.custom(JobWindow(calling: CallingWindow(hours: hours)))
        let clock = ManualClock()
        let sender = ScriptedSender(clock: clock)
        let sink = LineCollector()
        let other = "+12125550143"
        let summary = await Self.executor(sender, clock: clock) {
            $0.rate = 1.0 / 60
            $0.burst = 1
            $0.concurrency = 1
        }.run(Self.rows([Self.newYork, other], window: window), into: sink)

        #expect(sender.calls.map(\.destination) == [Self.newYork])
        let late = try #require(sink.line(row: 1))
        #expect(late.reason == .outsideWindow)
        #expect(late.opensAt == "2026-11-25T08:00:00-05:00")
        #expect(summary.counts == [.started: 1, .skipped: 1])
    }

    @Test func aDryRunShowsEachRowsWindowAndTheRowsItWouldSkip() async throws {
        let clock = ManualClock()
        let sender = ScriptedSender(clock: clock)
        let sink = LineCollector()
        let summary = await Self.executor(sender, clock: clock) { $0.dryRun = true }
            .run(Self.rows([Self.newYork, Self.london]), into: sink)

        #expect(sender.callCount == 0)
        let newYork = try #require(sink.line(row: 0))
        #expect(newYork.status == .planned)
        #expect(
            newYork.window?.timezone == "America/New_York" && newYork.window?.opensAt == "2026-11-24T08:00:00-05:00"
                && newYork.window?.closesAt == "2026-11-24T21:00:00-05:00"
        )
        #expect(sink.line(row: 1)?.reason == .outsideWindow)
        #expect(summary.counts == [.planned: 1, .skipped: 1])
    }
}
