import Foundation
import OutdialBase
import OutdialCore
import Testing

/// Every instant is fixed; the expected instants are worked out by hand from the zones' rules
/// (2026: US clocks change on 8 March and 1 November, UK clocks on 29 March and 25 October).
struct CallingWindowTests {
    private let standard = CallingWindow.standard

    // MARK: One zone

    @Test func openInNewYorkDaytime() throws {
        // 11:00 EST.
        let status = standard.status(at: try at("2026-12-02T16:00:00Z"), in: [try zone("America/New_York")])
        #expect(status == .open(try opening("2026-12-02T13:00:00Z", "2026-12-03T02:00:00Z")))
        #expect(status.mayStartCall)
        #expect(status.closesAt == (try at("2026-12-03T02:00:00Z")))
        #expect(status.opensAt == nil)
    }

    @Test func closedInTheEveningOpensNextMorning() throws {
        // 21:30 EST.
        let status = standard.status(at: try at("2026-12-03T02:30:00Z"), in: [try zone("America/New_York")])
        #expect(status == .closed(next: try opening("2026-12-03T13:00:00Z", "2026-12-04T02:00:00Z")))
        #expect(!status.mayStartCall)
        #expect(status.opensAt == (try at("2026-12-03T13:00:00Z")))
    }

    @Test func startIsInclusiveAndEndExclusive() throws {
        let newYork = try zone("America/New_York")
        #expect(standard.status(at: try at("2026-12-02T13:00:00Z"), in: [newYork]).mayStartCall)
        #expect(!standard.status(at: try at("2026-12-02T12:59:59Z"), in: [newYork]).mayStartCall)
        #expect(!standard.status(at: try at("2026-12-03T02:00:00Z"), in: [newYork]).mayStartCall)
    }

    @Test func noCallStartsWithinTheMarginOfTheClose() throws {
        let newYork = try zone("America/New_York")
        // 20:59:30 EST: the window is open for 30 more seconds, but calls stop a minute before.
        let late = try at("2026-12-03T01:59:30Z")
        #expect(
            standard.status(at: late, in: [newYork])
                == .closed(next: try opening("2026-12-03T13:00:00Z", "2026-12-04T02:00:00Z"))
        )
        #expect(standard.status(at: try at("2026-12-03T01:58:59Z"), in: [newYork]).mayStartCall)
        let noMargin = CallingWindow(marginMinutes: 0)
        #expect(
            noMargin.status(at: late, in: [newYork])
                == .open(try opening("2026-12-02T13:00:00Z", "2026-12-03T02:00:00Z", margin: 0))
        )
        let tenMinutes = CallingWindow(marginMinutes: 10)
        #expect(!tenMinutes.status(at: try at("2026-12-03T01:50:00Z"), in: [newYork]).mayStartCall)
        #expect(tenMinutes.status(at: try at("2026-12-03T01:49:59Z"), in: [newYork]).mayStartCall)
    }

    @Test func sydney() throws {
        // 07:30 AEDT (UTC+11) on 2 December.
        let status = standard.status(at: try at("2026-12-01T20:30:00Z"), in: [try zone("Australia/Sydney")])
        #expect(status == .closed(next: try opening("2026-12-01T21:00:00Z", "2026-12-02T10:00:00Z")))
    }

    // MARK: Daylight saving

    @Test(
        "windows on both sides of a clock change",
        arguments: [
            // New York: 7 March in EST (UTC-5), 8 March in EDT (UTC-4).
            (
                "America/New_York", "08:00-21:00", "2026-03-07T12:00:00Z", "2026-03-09T12:00:00Z",
                [
                    "2026-03-06T13:00:00Z/2026-03-07T02:00:00Z", "2026-03-07T13:00:00Z/2026-03-08T02:00:00Z",
                    "2026-03-08T12:00:00Z/2026-03-09T01:00:00Z",
                ]
            ),
            // New York: 31 October in EDT, 1 November in EST.
            (
                "America/New_York", "08:00-21:00", "2026-10-31T12:00:00Z", "2026-11-02T12:00:00Z",
                [
                    "2026-10-30T12:00:00Z/2026-10-31T01:00:00Z", "2026-10-31T12:00:00Z/2026-11-01T01:00:00Z",
                    "2026-11-01T13:00:00Z/2026-11-02T02:00:00Z",
                ]
            ),
            // London: 28 March in GMT, 29 March in BST (UTC+1).
            (
                "Europe/London", "08:00-21:00", "2026-03-28T12:00:00Z", "2026-03-30T00:00:00Z",
                [
                    "2026-03-27T08:00:00Z/2026-03-27T21:00:00Z", "2026-03-28T08:00:00Z/2026-03-28T21:00:00Z",
                    "2026-03-29T07:00:00Z/2026-03-29T20:00:00Z",
                ]
            ),
            // London: 24 October in BST, 25 October in GMT.
            (
                "Europe/London", "08:00-21:00", "2026-10-24T12:00:00Z", "2026-10-26T00:00:00Z",
                [
                    "2026-10-23T07:00:00Z/2026-10-23T20:00:00Z", "2026-10-24T07:00:00Z/2026-10-24T20:00:00Z",
                    "2026-10-25T08:00:00Z/2026-10-25T21:00:00Z",
                ]
            ),
            // 02:30 never shows in New York on 8 March: the clock jumps from 02:00 EST (07:00Z) to
            // 03:00 EDT, so the window opens at the jump and closes at 03:30 EDT.
            (
                "America/New_York", "02:30-03:30", "2026-03-08T05:00:00Z", "2026-03-08T20:00:00Z",
                ["2026-03-07T07:30:00Z/2026-03-07T08:30:00Z", "2026-03-08T07:00:00Z/2026-03-08T07:30:00Z"]
            ),
            // 01:30 shows twice on 1 November: the window opens at the first (01:30 EDT, 05:30Z) and
            // closes at 05:00 EST (10:00Z).
            (
                "America/New_York", "01:30-05:00", "2026-11-01T04:00:00Z", "2026-11-01T20:00:00Z",
                ["2026-10-31T05:30:00Z/2026-10-31T09:00:00Z", "2026-11-01T05:30:00Z/2026-11-01T10:00:00Z"]
            ),
        ]
    )
    func clockChange(zoneName: String, hoursText: String, from: String, until: String, expected: [String]) throws {
        let window = CallingWindow(hours: try hours(hoursText))
        let schedule = window.schedule(in: [try zone(zoneName)], from: try at(from), until: try at(until))
        let intervals = try expected.map { text in
            let ends = text.split(separator: "/").map(String.init)
            return try at(ends[0]) ..< at(ends[1])
        }
        #expect(schedule.openIntervals == intervals)
    }

    @Test func newYorkSpringForward() throws {
        let newYork = try zone("America/New_York")
        let nextOpening = try opening("2026-03-08T12:00:00Z", "2026-03-09T01:00:00Z")
        // 01:59:59 EST, the last second before the change, and 03:00 EDT, the first after.
        #expect(standard.status(at: try at("2026-03-08T06:59:59Z"), in: [newYork]) == .closed(next: nextOpening))
        #expect(standard.status(at: try at("2026-03-08T07:00:00Z"), in: [newYork]) == .closed(next: nextOpening))
        // 11:59:59Z is 07:59:59 EDT: closed. 12:30Z is 08:30 EDT: open (the day before it was 07:30 EST).
        #expect(standard.status(at: try at("2026-03-08T11:59:59Z"), in: [newYork]) == .closed(next: nextOpening))
        #expect(standard.status(at: try at("2026-03-08T12:30:00Z"), in: [newYork]) == .open(nextOpening))
        // 20:30 EDT: open until 01:00Z, an hour earlier in UTC than the day before.
        #expect(standard.status(at: try at("2026-03-09T00:30:00Z"), in: [newYork]) == .open(nextOpening))
        #expect(!standard.status(at: try at("2026-03-09T01:30:00Z"), in: [newYork]).mayStartCall)
    }

    @Test func newYorkFallBack() throws {
        let newYork = try zone("America/New_York")
        let firstDayInEST = try opening("2026-11-01T13:00:00Z", "2026-11-02T02:00:00Z")
        // 12:30Z was 08:30 EDT the day before; after the change it is 07:30 EST: closed.
        #expect(standard.status(at: try at("2026-11-01T12:30:00Z"), in: [newYork]) == .closed(next: firstDayInEST))
        // 20:30 EST: open until 02:00Z.
        #expect(standard.status(at: try at("2026-11-02T01:30:00Z"), in: [newYork]) == .open(firstDayInEST))
    }

    @Test func london() throws {
        let london = try zone("Europe/London")
        // 08:30 BST is open; 21:30 BST (20:30Z) is closed although 20:30Z was open the day before.
        #expect(
            standard.status(at: try at("2026-03-29T07:30:00Z"), in: [london])
                == .open(try opening("2026-03-29T07:00:00Z", "2026-03-29T20:00:00Z"))
        )
        #expect(
            standard.status(at: try at("2026-03-29T20:30:00Z"), in: [london])
                == .closed(next: try opening("2026-03-30T07:00:00Z", "2026-03-30T20:00:00Z"))
        )
        // 07:30 GMT on 25 October: closed, although 07:30Z was 08:30 BST the day before.
        #expect(
            standard.status(at: try at("2026-10-25T07:30:00Z"), in: [london])
                == .closed(next: try opening("2026-10-25T08:00:00Z", "2026-10-25T21:00:00Z"))
        )
    }

    // MARK: Across midnight

    @Test func nightWindowRunsIntoTheNextDay() throws {
        let newYork = try zone("America/New_York")
        let night = CallingWindow(hours: try hours("21:00-08:00"))
        #expect(night.hours.crossesMidnight)
        // 23:00 EST on 2 December: open since 21:00 EST (02:00Z), until 08:00 EST on the 3rd.
        #expect(
            night.status(at: try at("2026-12-03T04:00:00Z"), in: [newYork])
                == .open(try opening("2026-12-03T02:00:00Z", "2026-12-03T13:00:00Z"))
        )
        // 10:00 EST: closed until 21:00.
        #expect(
            night.status(at: try at("2026-12-03T15:00:00Z"), in: [newYork])
                == .closed(next: try opening("2026-12-04T02:00:00Z", "2026-12-04T13:00:00Z"))
        )
    }

    @Test func nightWindowOverTheClockChanges() throws {
        let newYork = try zone("America/New_York")
        let night = CallingWindow(hours: try hours("21:00-08:00"))
        // 21:00 EST on 7 March to 08:00 EDT on 8 March: ten hours.
        #expect(
            night.status(at: try at("2026-03-08T06:30:00Z"), in: [newYork])
                == .open(try opening("2026-03-08T02:00:00Z", "2026-03-08T12:00:00Z"))
        )
        // 21:00 EDT on 31 October to 08:00 EST on 1 November: twelve hours.
        #expect(
            night.status(at: try at("2026-11-01T06:30:00Z"), in: [newYork])
                == .open(try opening("2026-11-01T01:00:00Z", "2026-11-01T13:00:00Z"))
        )
    }

    // MARK: Days and dates

    @Test func weekdaysOnlySkipTheWeekend() throws {
        let weekdays = CallingWindow(days: [.monday, .tuesday, .wednesday, .thursday, .friday])
        // Saturday 5 December, 10:00 EST: next opening Monday 7 December, 08:00 EST.
        #expect(
            weekdays.status(at: try at("2026-12-05T15:00:00Z"), in: [try zone("America/New_York")])
                == .closed(next: try opening("2026-12-07T13:00:00Z", "2026-12-08T02:00:00Z"))
        )
    }

    @Test func aNightWindowBelongsToTheDayItOpens() throws {
        let fridayNights = CallingWindow(hours: try hours("21:00-08:00"), days: [.friday])
        let newYork = try zone("America/New_York")
        // Saturday 03:00 EST is inside Friday night's window.
        #expect(
            fridayNights.status(at: try at("2026-12-05T08:00:00Z"), in: [newYork])
                == .open(try opening("2026-12-05T02:00:00Z", "2026-12-05T13:00:00Z"))
        )
        // Saturday 22:00 EST: Saturday night has no window; next Friday's opens on the 11th.
        #expect(
            fridayNights.status(at: try at("2026-12-06T03:00:00Z"), in: [newYork])
                == .closed(next: try opening("2026-12-12T02:00:00Z", "2026-12-12T13:00:00Z"))
        )
    }

    @Test func nobodyIsCalledOnAnExcludedDate() throws {
        let christmas = try #require(LocalDate(iso: "2026-12-25"))
        let window = CallingWindow(excludedDates: [christmas])
        let newYork = try zone("America/New_York")
        // 24 December is open as usual; on the 25th the next opening is the 26th.
        #expect(window.status(at: try at("2026-12-24T15:00:00Z"), in: [newYork]).mayStartCall)
        #expect(
            window.status(at: try at("2026-12-25T15:00:00Z"), in: [newYork])
                == .closed(next: try opening("2026-12-26T13:00:00Z", "2026-12-27T02:00:00Z"))
        )
        // The date is local: 25 December starts at 05:00Z in New York but at 13:00Z (previous day) in Sydney.
        #expect(
            window.status(at: try at("2026-12-24T22:00:00Z"), in: [try zone("Australia/Sydney")])
                == .closed(next: try opening("2026-12-25T21:00:00Z", "2026-12-26T10:00:00Z"))
        )
    }

    @Test func anExcludedDateCutsANightWindowAtMidnight() throws {
        let christmas = try #require(LocalDate(iso: "2026-12-25"))
        let night = CallingWindow(hours: try hours("21:00-08:00"), excludedDates: [christmas])
        let newYork = try zone("America/New_York")
        // 22:00 EST on the 24th: the window closes at midnight, not at 08:00.
        #expect(
            night.status(at: try at("2026-12-25T03:00:00Z"), in: [newYork])
                == .open(try opening("2026-12-25T02:00:00Z", "2026-12-25T05:00:00Z"))
        )
        // 25 December's night window starts only at midnight, on the 26th.
        #expect(
            night.status(at: try at("2026-12-25T06:00:00Z"), in: [newYork])
                == .closed(next: try opening("2026-12-26T05:00:00Z", "2026-12-26T13:00:00Z"))
        )
    }

    // MARK: Several zones

    @Test func alaskaIsCalledOnlyInTheOverlapOfItsZones() throws {
        let zones = try PrefixTimeZones.zones(for: "+19075550142").map(zone)
        #expect(zones.map(\.identifier) == ["America/Adak", "America/Anchorage"])
        // 08:00 AKST (UTC-9) is 17:00Z; 08:00 HST in Adak (UTC-10) is 18:00Z. 21:00 AKST is 06:00Z.
        let overlap = try opening("2026-12-02T18:00:00Z", "2026-12-03T06:00:00Z")
        #expect(standard.status(at: try at("2026-12-02T17:30:00Z"), in: zones) == .closed(next: overlap))
        #expect(standard.status(at: try at("2026-12-02T18:00:00Z"), in: zones) == .open(overlap))
        // 20:30 in Adak but 21:30 in Anchorage: closed.
        #expect(
            standard.status(at: try at("2026-12-03T06:30:00Z"), in: zones)
                == .closed(next: try opening("2026-12-03T18:00:00Z", "2026-12-04T06:00:00Z"))
        )
    }

    @Test func zonesThatNeverShareAWindowNeverOpen() throws {
        // 09:00-12:00 in New York and in Sydney never overlap (15 or 16 hours apart).
        let morning = CallingWindow(hours: try hours("09:00-12:00"))
        let start = try at("2026-12-02T16:00:00Z")
        let zones = [try zone("America/New_York"), try zone("Australia/Sydney")]
        #expect(
            morning.status(at: start, in: zones) == .noOpening(searchedUntil: start.addingTimeInterval(14 * 86_400))
        )
    }

    // MARK: No opening, no close

    @Test func noOpeningWithinTheSearch() throws {
        let start = try at("2026-12-02T16:00:00Z")  // a Wednesday
        let newYork = try zone("America/New_York")
        #expect(
            CallingWindow(days: []).status(at: start, in: [newYork])
                == .noOpening(searchedUntil: start.addingTimeInterval(14 * 86_400))
        )
        // Mondays only, looking three days ahead.
        #expect(
            CallingWindow(days: [.monday]).status(at: start, in: [newYork], searchDays: 3)
                == .noOpening(searchedUntil: start.addingTimeInterval(3 * 86_400))
        )
        #expect(
            CallingWindow(days: [.monday]).status(at: start, in: [newYork])
                == .closed(next: try opening("2026-12-07T13:00:00Z", "2026-12-08T02:00:00Z"))
        )
        // A number with no zone is never open.
        #expect(!standard.status(at: start, in: []).mayStartCall)
    }

    @Test func aWindowNoLongerThanTheMarginLetsNoCallStart() throws {
        let start = try at("2026-12-02T16:00:00Z")
        let newYork = try zone("America/New_York")
        let oneMinute = try hours("08:00-08:01")
        #expect(!CallingWindow(hours: oneMinute).status(at: start, in: [newYork]).mayStartCall)
        #expect(CallingWindow(hours: oneMinute).status(at: start, in: [newYork]).opensAt == nil)
        #expect(
            CallingWindow(hours: oneMinute, marginMinutes: 0).status(at: start, in: [newYork]).opensAt
                == (try at("2026-12-03T13:00:00Z"))
        )
    }

    @Test func aWholeDayEveryDayNeverCloses() throws {
        let always = CallingWindow(hours: try hours("00:00-00:00"))
        let status = always.status(at: try at("2026-12-02T16:00:00Z"), in: [try zone("America/New_York")])
        #expect(status.mayStartCall)
        #expect(status.closesAt == nil)
    }

    @Test func aScheduleAnswersLikeStatus() throws {
        let zones = [try zone("America/Adak"), try zone("America/Anchorage")]
        let start = try at("2026-12-02T16:00:00Z")
        let schedule = standard.schedule(in: zones, from: start, until: start.addingTimeInterval(14 * 86_400))
        for minutes in stride(from: 0, to: 3 * 24 * 60, by: 7) {
            let instant = start.addingTimeInterval(Double(minutes) * 60)
            #expect(schedule.status(at: instant) == standard.status(at: instant, in: zones))
        }
    }

    // MARK: Helpers

    private func at(_ text: String) throws -> Date {
        try #require(UTCTimestamp(rfc3339: text)).date
    }

    private func zone(_ identifier: String) throws -> TimeZone {
        try #require(TimeZone(identifier: identifier))
    }

    /// `HH:MM-HH:MM`.
    private func hours(_ text: String) throws -> CallingWindow.Hours {
        let minutes = text.split(whereSeparator: { $0 == "-" || $0 == ":" }).compactMap { Int($0) }
        try #require(minutes.count == 4)
        return try #require(
            CallingWindow.Hours(startMinute: minutes[0] * 60 + minutes[1], endMinute: minutes[2] * 60 + minutes[3])
        )
    }

    private func opening(_ opens: String, _ closes: String, margin: Int = 1) throws -> WindowStatus.Opening {
        let closesAt = try at(closes)
        return WindowStatus.Opening(
            opensAt: try at(opens),
            closesAt: closesAt,
            startsBefore: closesAt.addingTimeInterval(Double(-margin * 60))
        )
    }
}
