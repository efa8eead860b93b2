import Foundation
import Testing

@testable import OutdialCore

struct RFC3339TimestampTests {
    @Test func knownInstants() {
        #expect(RFC3339Timestamp.string(millisecondsSince1970: 0) == "1970-01-01T00:00:00.000Z")
        #expect(RFC3339Timestamp.string(millisecondsSince1970: 1_795_568_523_456) == "2026-11-25T01:02:03.456Z")
        #expect(RFC3339Timestamp.string(millisecondsSince1970: 951_782_400_000) == "2000-02-29T00:00:00.000Z")
        #expect(RFC3339Timestamp.string(millisecondsSince1970: -1) == "1969-12-31T23:59:59.999Z")
    }

    @Test func agreesWithFoundation() {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        formatter.timeZone = TimeZone(identifier: "UTC")
        var generator = SystemRandomNumberGenerator()
        for _ in 0 ..< 500 {
            let ms = Int64.random(in: 0 ..< 4_102_444_800_000, using: &generator)
            let date = Date(timeIntervalSince1970: Double(ms) / 1000)
            #expect(RFC3339Timestamp.string(millisecondsSince1970: ms) == formatter.string(from: date))
        }
    }
}
