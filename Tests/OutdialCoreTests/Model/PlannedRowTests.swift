import Testing

@testable import OutdialCore

/// A planned row is a value: rows share their storage, but changing one never changes another.
struct PlannedRowTests {
    static func row() -> PlannedRow {
        PlannedRow(
            ref: RowRef(job: "calls", source: "calls.yaml", row: 3, line: 12),
            destination: "+12025550100",
            clientToken: "token-3",
            body: Array(#"{"DestinationPhoneNumber":"+12025550100"}"#.utf8),
            instanceId: "12345678-1234-1234-1234-123456789012",
            timezone: "America/New_York",
            queueId: "queue-1"
        )
    }

    @Test func changingACopyLeavesTheOriginalAsItWas() {
        let original = Self.row()
        var copy = original
        copy.attempt = 2
        copy.ref.job = "calls-again"
        copy.destination = "+12125550100"
        copy.queueId = nil
        #expect(original.attempt == 1)
        #expect(original.ref.job == "calls")
        #expect(original.destination == "+12025550100")
        #expect(original.queueId == "queue-1")
        #expect(copy.attempt == 2)
        #expect(copy.ref == RowRef(job: "calls-again", source: "calls.yaml", row: 3, line: 12))
        #expect(copy.destination == "+12125550100")
        #expect(copy.queueId == nil)
        // What was not changed is still the row's.
        #expect(copy.clientToken == "token-3")
        #expect(copy.body == original.body)
        #expect(copy.timezone == "America/New_York")
    }

    @Test func rowsInAnArrayAreChangedOneByOne() {
        var rows = Array(repeating: Self.row(), count: 3)
        rows[1].clientToken = "token-other"
        #expect(rows.map(\.clientToken) == ["token-3", "token-other", "token-3"])
    }
}
