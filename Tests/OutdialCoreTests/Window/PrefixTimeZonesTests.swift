import Foundation
import OutdialCore
import Testing

struct PrefixTimeZonesTests {
    @Test(
        "a number's zones come from its longest prefix",
        arguments: [
            ("+12125550142", ["America/New_York"]),
            ("+13105550142", ["America/Los_Angeles"]),
            ("+18085550142", ["Pacific/Honolulu"]),
            ("+19075550142", ["America/Adak", "America/Anchorage"]),
            ("+442079460000", ["Europe/London"]),
            ("+61255501234", ["Australia/Sydney"]),
            ("+12025550142", ["America/New_York"]),
            ("+4930901820", ["Europe/Berlin"]),
        ]
    )
    func zonesOfNumber(number: String, zones: [String]) {
        #expect(PrefixTimeZones.zones(for: number) == zones)
    }

    @Test func separatorsAJobFileAllowsAreSkipped() {
        #expect(PrefixTimeZones.zones(for: "+1 (212) 555-0142") == ["America/New_York"])
        #expect(PrefixTimeZones.zones(for: "+44 20 7946.0000") == ["Europe/London"])
    }

    @Test func nonGeographicNumbersHaveNoZone() throws {
        // libphonenumber answers +1 800 with every zone of the NANP: a whole-country answer.
        let match = try #require(PrefixTimeZones.match(for: "+18005550142"))
        #expect(match.prefix == "1")
        #expect(match.isCountryCallingCode)
        #expect(match.zones.count > 1)
        #expect(match.zones.contains("America/New_York") && match.zones.contains("Pacific/Guam"))
        #expect(match.isWholeCountry)
        #expect(PrefixTimeZones.zones(for: "+18005550142") == [])
        // 555 is no real area code.
        #expect(PrefixTimeZones.zones(for: "+15551230001") == [])
    }

    @Test func aCountryWithOneZoneIsARealAnswer() throws {
        let match = try #require(PrefixTimeZones.match(for: "+4930901820"))
        #expect(match.prefix == "49")
        #expect(match.isCountryCallingCode && !match.isWholeCountry)
    }

    @Test func aPrefixBelowTheCountryWithSeveralZonesIsTheOverlap() throws {
        let match = try #require(PrefixTimeZones.match(for: "+19075550142"))
        #expect(match.prefix == "1907")
        #expect(!match.isCountryCallingCode && !match.isWholeCountry)
    }

    @Test(
        "unassigned prefixes and text that is not a number have no zone",
        arguments: ["+9991234567", "+800 1234 5678", "", "+", "not a number", "+1212555014x"]
    )
    func noZone(text: String) {
        #expect(PrefixTimeZones.zones(for: text) == [])
    }

    @Test func everyZoneOfTheDataIsKnownToTheSystem() {
        let names = PrefixTimeZones.allZoneNames
        #expect(names.count > 200)
        #expect(!names.contains("Etc/Unknown"))
        let unknown = names.filter { TimeZone(identifier: $0) == nil }
        #expect(unknown == [])
    }

    @Test func anUnknownZoneNameIsDetectable() {
        #expect(TimeZone(identifier: "Mars/Olympus_Mons") == nil)
        #expect(TimeZone(identifier: "Europe/Berlin") != nil)
    }
}
