import Testing

@testable import OutdialCore

struct FilePrescanTests {
    @Test func blockYAMLKeys() {
        let text = """
            # yaml-language-server: $schema=../schema/job.schema.json
            ---
            version: 1
            x-common: &c
              lang: en
            contacts:
              - DestinationPhoneNumber: "+15551230001"
                Note: |
                  id: not a key
            dedupe: {key: [DestinationPhoneNumber]}
            "quoted": 1

            """
        #expect(FilePrescan(bytes: Array(text.utf8)).topLevelKeys == nil)
        let plain = text.replacingOccurrences(of: "\"quoted\": 1\n", with: "pacing:\n  rate: 2\n")
        #expect(
            FilePrescan(bytes: Array(plain.utf8)).topLevelKeys == [
                "version", "x-common", "contacts", "dedupe", "pacing",
            ]
        )
    }

    @Test func jsonKeys() {
        let text = #"{"version": 1, "contacts": [{"id": "x", "a": {"defaults": 1}}], "pacing": {"rate": 2}}"#
        #expect(FilePrescan(bytes: Array(text.utf8)).topLevelKeys == ["version", "contacts", "pacing"])
    }

    @Test func listsAreNotScanned() {
        #expect(FilePrescan(bytes: Array("- a: 1\n".utf8)).topLevelKeys == nil)
        #expect(FilePrescan(bytes: Array("[{\"a\": 1}]".utf8)).topLevelKeys == nil)
    }

    @Test func hashIsOfTheBytes() {
        // printf 'abc' | sha256sum
        #expect(
            FilePrescan(bytes: Array("abc".utf8)).sha256Hex
                == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        )
    }

    @Test func rowsStreamWhenNothingThatChangesThemFollowsContacts() throws {
        // With pacing after contacts, rows are planned as they arrive: the first event comes
        // before the reader reaches the end.
        let text = RowHarness.text(
            row: #"{"DestinationPhoneNumber": "+15551230001"}"#,
            extra: #", "pacing": {"rate": 3}"#
        )
        var planner = JobPlanner()
        var sawEventBeforeEnd = false
        var ended = false
        let summary = try planner.plan(
            JobInput(path: "t.json"),
            prescan: FilePrescan(bytes: Array(text.utf8)),
            read: { visitor in
                try TestDocument.feed(try TestDocument.parse(text), into: &visitor)
                ended = true
            },
            onEvent: { _ in if !ended { sawEventBeforeEnd = true } }
        )
        #expect(sawEventBeforeEnd)
        #expect(summary.pacing.rate == 3)
        #expect(summary.count(.planned) == 1)
    }
}
