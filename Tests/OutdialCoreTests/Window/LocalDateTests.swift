import OutdialCore
import Testing

struct LocalDateTests {
    @Test func readsAndWritesYearMonthDay() throws {
        let date = try #require(LocalDate(iso: "2026-12-25"))
        #expect(date.year == 2026 && date.month == 12 && date.day == 25)
        #expect(date.description == "2026-12-25")
        #expect(date.weekday == .friday)
        #expect(date == LocalDate(year: 2026, month: 12, day: 25))
        #expect(try #require(LocalDate(iso: "2027-01-01")) > date)
        #expect(LocalDate(iso: "2028-02-29")?.weekday == .tuesday)
    }

    @Test(
        "text that is no date is refused",
        arguments: [
            "2026-02-29", "2026-13-01", "2026-12-32", "2026-1-05", "26-12-25", "2026/12/25", "2026-12-25T00:00", "",
        ]
    )
    func refused(text: String) {
        #expect(LocalDate(iso: text) == nil)
    }

    @Test func weekdaysByTheirJobFileNames() {
        #expect(Weekday.allCases.map(\.abbreviation) == ["sun", "mon", "tue", "wed", "thu", "fri", "sat"])
        #expect(Weekday(abbreviation: "wed") == .wednesday)
        #expect(Weekday(abbreviation: "Wed") == nil)
        #expect(Weekday(abbreviation: "wednesday") == nil)
    }

    @Test func hoursAreMinutesOfADay() {
        #expect(CallingWindow.Hours.standard.description == "08:00-21:00")
        #expect(!CallingWindow.Hours.standard.crossesMidnight)
        #expect(CallingWindow.Hours(startMinute: 21 * 60, endMinute: 8 * 60)?.description == "21:00-08:00")
        #expect(CallingWindow.Hours(startMinute: 0, endMinute: 1440) == nil)
        #expect(CallingWindow.Hours(startMinute: -1, endMinute: 60) == nil)
        #expect(CallingWindow.standard.marginMinutes == 1)
        #expect(CallingWindow.standard.days.count == 7)
    }
}
