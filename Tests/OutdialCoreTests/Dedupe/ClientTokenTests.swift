import Testing

@testable import OutdialCore

/// A row's own ClientToken names one request: Connect starts one contact per token.
struct ClientTokenTests {
    static func row(_ destination: String, token: String, name: String? = nil) -> String {
        let named = name.map { #", "Name": "\#($0)""# } ?? ""
        return #"{"DestinationPhoneNumber": "\#(destination)", "ClientToken": "\#(token)"\#(named)}"#
    }

    /// Plans each `(file name, rows)` through one planner, as one run.
    static func plan(_ files: [(String, [String])], dedupe: String = "") throws -> [[PlanEvent]] {
        var planner = JobPlanner()
        return try files.map { name, rows in
            let text = RowHarness.text(row: rows.joined(separator: ",\n  "), extra: dedupe)
            return try TestDocument.plan(text, name: name, planner: &planner).events
        }
    }

    static func line(_ event: PlanEvent) -> ResultLine? {
        if case .rejected(let line, _) = event { return line }
        return nil
    }

    @Test func sameTokenOnADifferentRequestInAnotherFileIsInvalid() throws {
        let events = try Self.plan([
            ("jobs/a.json", [Self.row("+15551230001", token: "abc")]),
            ("jobs/b.json", [Self.row("+15551230002", token: "abc")]),
        ])
        guard case .planned(let first) = events[0][0] else {
            Issue.record("the first row should be planned")
            return
        }
        #expect(first.clientToken == "abc")
        guard case .rejected(let line, let diagnostics) = events[1][0] else {
            Issue.record("the second row should be rejected")
            return
        }
        #expect(
            diagnostics.map(\.description) == [
                #"jobs/b.json:4:61: error: contacts[0].ClientToken: "abc" is also the token of contacts[0] (jobs/a.json:4); a ClientToken must be unique per request"#
            ]
        )
        #expect(line.status == .invalid)
        #expect(line.error?.code == "DuplicateClientToken")
        #expect(line.error?.at == "jobs/b.json:4:61")
        #expect(line.clientToken == "abc")
        #expect(line.destination == "+15551230002")
    }

    @Test func sameTokenWithinOneFileWithDedupeOffIsInvalid() throws {
        let events = try Self.plan(
            [
                (
                    "jobs/a.json",
                    [Self.row("+15551230001", token: "t-1"), Self.row("+15551230001", token: "t-1", name: "B")]
                )
            ],
            dedupe: ", \"dedupe\": off"
        )
        #expect(Self.line(events[0][1])?.status == .invalid)
        #expect(
            Self.line(events[0][1])?.error?.message.contains("is also the token of contacts[0] (jobs/a.json:4)") == true
        )
    }

    @Test func sameTokenOnTheSameRequestIsADuplicate() throws {
        let events = try Self.plan(
            [
                ("jobs/a.json", [Self.row("+15551230001", token: "abc")]),
                ("jobs/b.json", [Self.row("+15551230001", token: "abc")]),
            ],
            dedupe: ", \"dedupe\": off"
        )
        guard case .planned = events[0][0], let line = Self.line(events[1][0]) else {
            Issue.record("expected planned, then rejected")
            return
        }
        #expect(line.status == .duplicate)
        #expect(line.duplicateOf?.source == "jobs/a.json")
        #expect(line.duplicateOf?.row == 0)
    }

    @Test func distinctTokensAndDerivedTokensAreUntouched() throws {
        let events = try Self.plan([
            (
                "jobs/a.json",
                [
                    Self.row("+15551230001", token: "abc"), Self.row("+15551230002", token: "abd"),
                    #"{"DestinationPhoneNumber": "+15551230003"}"#,
                ]
            )
        ])
        #expect(events[0].allSatisfy { if case .planned = $0 { true } else { false } })
    }

    @Test func indexKeepsTheFirstOrigin() {
        var index = ClientTokenIndex()
        let body = KeyDigest(of: Array("{}".utf8))
        let first = ClientTokenIndex.Origin(source: "a", row: 0, line: 4, rowPath: "contacts[0]", body: body)
        var second = first
        second.row = 1
        #expect(index.claim("t", by: first) == .new)
        #expect(index.claim("t", by: second) == .sameRequest(first))
        second.body = KeyDigest(of: Array("{\"Name\":\"x\"}".utf8))
        #expect(index.claim("t", by: second) == .otherRequest(first))
        #expect(index.count == 1)
    }
}
