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

    @Test func readsWhatItWrites() {
        let text = "2026-11-25T01:02:03.456Z"
        #expect(RFC3339Timestamp.date(from: text).map(RFC3339Timestamp.string(from:)) == text)
        #expect(RFC3339Timestamp.date(from: "2026-11-25 01:02:03Z") == nil)
    }
}
