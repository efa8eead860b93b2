import Foundation
import OutdialBase
import Testing

struct UTCTimestampTests {
    @Test func epochAndTheSecondBefore() {
        #expect(UTCTimestamp(millisecondsSince1970: 0).rfc3339 == "1970-01-01T00:00:00.000Z")
        #expect(UTCTimestamp(millisecondsSince1970: 0).amzDate == "19700101T000000Z")
        #expect(UTCTimestamp(millisecondsSince1970: -1).rfc3339 == "1969-12-31T23:59:59.999Z")
        #expect(UTCTimestamp(millisecondsSince1970: -1).amzDate == "19691231T235959Z")
    }

    @Test func leapYears() {
        // 2000 is a leap year (divisible by 400), 1900 and 2100 are not, 2028 is.
        #expect(UTCTimestamp(millisecondsSince1970: 951_782_400_000).rfc3339 == "2000-02-29T00:00:00.000Z")
        #expect(UTCTimestamp(secondsSince1970: 951_868_800).amzDate == "20000301T000000Z")
        #expect(UTCTimestamp(.init(year: 2028, month: 2, day: 29))?.rfc3339 == "2028-02-29T00:00:00.000Z")
        #expect(UTCTimestamp(.init(year: 2100, month: 2, day: 29)) == nil)
        #expect(UTCTimestamp(.init(year: 1900, month: 2, day: 29)) == nil)
        #expect(UTCTimestamp(.init(year: 2026, month: 2, day: 29)) == nil)
        #expect(UTCTimestamp(.init(year: 2100, month: 3, day: 1))?.amzDate == "21000301T000000Z")
        #expect(UTCTimestamp(rfc3339: "2026-02-29T00:00:00Z") == nil)
        #expect(UTCTimestamp(amzDate: "20240229T120000Z")?.rfc3339 == "2024-02-29T12:00:00.000Z")
    }

    @Test func pastTwentyThirtyEight() {
        // 2^31 seconds: where a signed 32-bit time_t ends.
        #expect(UTCTimestamp(secondsSince1970: 2_147_483_648).amzDate == "20380119T031408Z")
        #expect(UTCTimestamp(secondsSince1970: 4_102_444_800).rfc3339 == "2100-01-01T00:00:00.000Z")
        #expect(UTCTimestamp(rfc3339: "9999-12-31T23:59:59.999Z")?.millisecondsSince1970 == 253_402_300_799_999)
    }

    @Test func millisecondsAreRoundedDownButNotLostToBinaryFractions() {
        // 1795568523.456 is not exact in binary: the nearest Double is just below .456.
        #expect(UTCTimestamp(Date(timeIntervalSince1970: 1_795_568_523.456)).rfc3339 == "2026-11-25T01:02:03.456Z")
        #expect(UTCTimestamp(Date(timeIntervalSince1970: 1_795_568_523.4569)).rfc3339 == "2026-11-25T01:02:03.456Z")
        #expect(UTCTimestamp(Date(timeIntervalSince1970: 951_782_399.9)).amzDate == "20000228T235959Z")
        #expect(UTCTimestamp(Date(timeIntervalSince1970: -0.0005)).rfc3339 == "1969-12-31T23:59:59.999Z")
    }

    @Test func parsesRFC3339AsDeadlinesAndRecordsWriteIt() {
        #expect(UTCTimestamp(rfc3339: "2026-11-25T20:30:00Z")?.millisecondsSince1970 == 1_795_638_600_000)
        #expect(UTCTimestamp(rfc3339: "2026-11-25T20:30:00.123Z")?.millisecondsSince1970 == 1_795_638_600_123)
        #expect(UTCTimestamp(rfc3339: "2026-11-25T20:30:00.1Z")?.millisecondsSince1970 == 1_795_638_600_100)
        #expect(UTCTimestamp(rfc3339: "2026-11-25T20:30:00.123999Z")?.millisecondsSince1970 == 1_795_638_600_123)
        #expect(UTCTimestamp(rfc3339: "2026-11-25t20:30:00z")?.millisecondsSince1970 == 1_795_638_600_000)
        #expect(UTCTimestamp(rfc3339: "2026-11-25T21:30:00+01:00")?.rfc3339 == "2026-11-25T20:30:00.000Z")
        #expect(UTCTimestamp(rfc3339: "2026-11-25T15:00:00-05:30")?.rfc3339 == "2026-11-25T20:30:00.000Z")
        for bad in [
            "", "2026-11-25", "2026-11-25T20:30Z", "2026-11-25T20:30:00", "2026-11-25T20:30:00.Z",
            "2026-13-01T00:00:00Z", "2026-11-31T00:00:00Z", "2026-11-25T24:00:00Z", "2026-11-25T20:60:00Z",
            "2026-11-25T20:30:60Z", "2026-11-25T20:30:00+0100", "2026-11-25 20:30:00Z", "2026-11-25T20:30:00Zx",
            "+2026-11-25T20:30:00Z",
        ] {
            #expect(UTCTimestamp(rfc3339: bad) == nil, "\(bad)")
        }
    }

    @Test func parsesOnlyTheExactAMZDateShape() {
        #expect(UTCTimestamp(amzDate: "20261124T020000Z")?.rfc3339 == "2026-11-24T02:00:00.000Z")
        for bad in ["20261124T020000", "20261124 020000Z", "2026112T020000Z", "20261324T020000Z", "20261124T020000Zx"] {
            #expect(UTCTimestamp(amzDate: bad) == nil, "\(bad)")
        }
    }

    @Test func roundTripsAndAgreesWithFoundation() {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        formatter.timeZone = TimeZone(identifier: "UTC")
        var generator = SystemRandomNumberGenerator()
        for _ in 0 ..< 500 {
            // 1900 to 2200.
            let ms = Int64.random(in: -2_208_988_800_000 ..< 7_258_118_400_000, using: &generator)
            let time = UTCTimestamp(millisecondsSince1970: ms)
            #expect(time.rfc3339 == formatter.string(from: Date(timeIntervalSince1970: Double(ms) / 1000)))
            #expect(UTCTimestamp(rfc3339: time.rfc3339) == time)
            #expect(UTCTimestamp(time.date) == time)
            #expect(UTCTimestamp(amzDate: time.amzDate)?.secondsSince1970 == time.secondsSince1970)
            #expect(UTCTimestamp(time.components) == time)
        }
    }
}
