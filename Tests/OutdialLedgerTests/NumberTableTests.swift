import Testing

@testable import OutdialLedger

/// The table the screen finds each destination in: every number kept is found again with what was
/// set for it, whatever its form, and no number finds another's entry.
struct NumberTableTests {
    @Test func everyNumberKeptIsFoundAgainAfterTheTableGrew() {
        var table = NumberTable()
        let numbers = (0 ..< 5_000).map { "+1202555\(String(format: "%04d", $0))" }
        for (index, number) in numbers.enumerated() {
            table.update(number) { $0.latest = Int32(index) }
        }
        for (index, number) in numbers.enumerated() {
            #expect(table.entry(number)?.latest == Int32(index), "\(number)")
            #expect(table.entry(number)?.suppression == -1)
        }
        #expect(table.entry("+12025559999") == nil)
        #expect(table.entry("+1202555000") == nil)
    }

    @Test func numbersThatDifferOnlyInLeadingZerosOrLengthAreApart() {
        var table = NumberTable()
        table.update("+1") { $0.suppression = 1 }
        table.update("+01") { $0.suppression = 2 }
        table.update("+001") { $0.suppression = 3 }
        table.update("+999999999999999") { $0.suppression = 4 }
        #expect(table.entry("+1")?.suppression == 1)
        #expect(table.entry("+01")?.suppression == 2)
        #expect(table.entry("+001")?.suppression == 3)
        #expect(table.entry("+999999999999999")?.suppression == 4)
        #expect(table.entry("+0001") == nil)
    }

    @Test func textThatIsNoE164NumberIsKeptAsItIs() {
        var table = NumberTable()
        // Too long, not digits, no plus, empty: each its own entry, none mistaken for another.
        for (index, text) in ["+1234567890123456", "+1-202-555", "12025550100", "", "+"].enumerated() {
            table.update(text) { $0.latest = Int32(index) }
        }
        #expect(table.entry("+1234567890123456")?.latest == 0)
        #expect(table.entry("+1-202-555")?.latest == 1)
        #expect(table.entry("12025550100")?.latest == 2)
        #expect(table.entry("")?.latest == 3)
        #expect(table.entry("+")?.latest == 4)
        #expect(table.entry("+12025550100") == nil)
    }

    @Test func anUpdateChangesTheEntryInPlaceAndReturnsWhatItSays() {
        var table = NumberTable(capacity: 4)
        table.update("+442071838750") { $0.latest = 7 }
        let before = table.update("+442071838750") { entry -> Int32 in
            defer { entry.latest = 9 }
            return entry.latest
        }
        #expect(before == 7)
        #expect(table.entry("+442071838750")?.latest == 9)
    }
}
