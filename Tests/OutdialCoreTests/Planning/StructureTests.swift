import Testing

@testable import OutdialCore

/// Files whose structure is wrong stop with every problem found.
struct StructureTests {
    func failure(_ text: String, name: String = "s.json") throws -> [String] {
        var planner = JobPlanner()
        do {
            _ = try TestDocument.plan(text, name: name, planner: &planner)
        } catch let error as JobFileError {
            return error.diagnostics.map(\.description)
        }
        Issue.record("expected a JobFileError")
        return []
    }

    @Test func missingVersion() throws {
        #expect(
            try failure(#"{"defaults": {}, "contacts": []}"#) == [
                "s.json:1:1: error: version: missing; expected version: 1"
            ]
        )
    }

    @Test func wrongVersion() throws {
        #expect(
            try failure(#"{"version": 2, "contacts": []}"#) == [
                "s.json:1:13: error: version: found \"2\"; expected 1"
            ]
        )
    }

    @Test func noContacts() throws {
        #expect(
            try failure(#"{"version": 1, "defaults": {}}"#) == [
                "s.json:1:1: error: contacts: missing; expected a list of requests"
            ]
        )
        #expect(
            try failure(#"{"Name": "x"}"#) == [
                "s.json:1:1: error: found a map with neither contacts nor DestinationPhoneNumber; expected a job (version: 1, contacts: [...]) or one request"
            ]
        )
    }

    @Test func contactsNotAList() throws {
        #expect(
            try failure(#"{"version": 1, "contacts": {"DestinationPhoneNumber": "+15551230001"}}"#) == [
                "s.json:1:28: error: contacts: found a map; expected a list of requests, or a map with csv: FILE"
            ]
        )
    }

    @Test func unknownJobKeyNamesTheNearest() throws {
        #expect(
            try failure(#"{"version": 1, "default": {}, "x-anchors": {}, "contacts": []}"#) == [
                "s.json:1:16: error: default: unknown key \"default\"; did you mean defaults?"
            ]
        )
    }

    @Test func keyGivenTwiceAtTopLevel() throws {
        #expect(
            try failure(#"{"version": 1, "id": "a", "id": "b", "contacts": []}"#) == [
                "s.json:1:27: error: id: key given twice (first at 1:16); a key may appear only once in a map"
            ]
        )
    }

    @Test func badDefaultsStopTheRun() throws {
        #expect(
            try failure(#"{"version": 1, "defaults": {"InstanceID": "i", "RingTimeoutInSeconds": 0}, "contacts": []}"#)
                == [
                    "s.json:1:29: error: defaults.InstanceID: unknown key \"InstanceID\"; did you mean InstanceId?",
                    "s.json:1:72: error: defaults.RingTimeoutInSeconds: found 0; expected an integer from 15 to 60",
                ]
        )
    }

    @Test func badJobSettings() throws {
        #expect(
            try failure(
                #"{"version": 1, "id": "a b", "dedupe": {"key": ["Phone"]}, "pacing": {"rate": -1, "burts": 2}, "allowPrefixes": ["447"], "contacts": []}"#
            ) == [
                "s.json:1:22: error: id: found \"a b\"; expected 1 to 128 characters of letters, digits, ., _ and -",
                "s.json:1:48: error: dedupe.key: found \"Phone\"; expected a request field with a single value; did you mean Name?",
                "s.json:1:78: error: pacing.rate: found \"-1\"; expected a number of requests per second, 0 or more",
                "s.json:1:82: error: pacing.burts: unknown key \"burts\"; did you mean burst?",
                "s.json:1:113: error: allowPrefixes: found \"447\"; expected + and digits, like \"+447\"",
            ]
        )
    }

    @Test func scalarRoot() throws {
        #expect(
            try failure(#""hello""#) == [
                "s.json:1:1: error: found a scalar; expected a job (version: 1, contacts: [...]), a list of requests, or one request"
            ]
        )
    }

    @Test func structuralErrorBeforeContactsStopsBeforeAnyRow() throws {
        var planner = JobPlanner()
        var events = 0
        let text = RowHarness.text(row: #"{"DestinationPhoneNumber": "+15551230001"}"#).replacingOccurrences(
            of: #""version": 1"#,
            with: #""version": 3"#
        )
        #expect(throws: JobFileError.self) {
            _ = try planner.plan(
                JobInput(path: "t.json"),
                read: { try TestDocument.feed(try TestDocument.parse(text), into: &$0) },
                onEvent: { _ in events += 1 }
            )
        }
        #expect(events == 0)
    }
}
