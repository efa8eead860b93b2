import Foundation
import Testing

@testable import OutdialCore

struct DocumentReaderTests {
    @Test func jobMapStreamsContactsWithMarks() throws {
        let visitor = try record(
            """
            version: 1
            defaults:
              InstanceId: abc
              Attributes:
                campaign: x
            contacts:
              - DestinationPhoneNumber: "+15551230001"
                Name: Jane
              - {DestinationPhoneNumber: '+2', Name: Joe}
            pacing: {rate: 2}

            """
        )
        #expect(
            visitor.log == [
                "begin mapping 1:1",
                "entry version@1:1 = 1@1:10",
                "entry defaults@2:1 = {InstanceId@3:3: abc@3:15, Attributes@4:3: {campaign@5:5: x@5:15}@5:5}@3:3",
                "contacts 6:1 7:3",
                #"contact 0 {DestinationPhoneNumber@7:5: "+15551230001"@7:29, Name@8:5: Jane@8:11}@7:5"#,
                "contact 1 {DestinationPhoneNumber@9:6: '+2'@9:30, Name@9:36: Joe@9:42}@9:5",
                "entry pacing@10:1 = {rate@10:10: 2@10:16}@10:9",
                "end",
            ]
        )
    }

    @Test func topLevelListIsStreamedAsContacts() throws {
        let visitor = try record(
            """
            - DestinationPhoneNumber: "+15551230001"
            - DestinationPhoneNumber: "+15551230002"
              Name: [a, b]

            """
        )
        #expect(
            visitor.log == [
                "begin sequence 1:1",
                #"contact 0 {DestinationPhoneNumber@1:3: "+15551230001"@1:27}@1:3"#,
                #"contact 1 {DestinationPhoneNumber@2:3: "+15551230002"@2:27, Name@3:3: [a@3:10, b@3:13]@3:9}@2:3"#,
                "end",
            ]
        )
    }

    @Test func singleRequestMapArrivesAsEntries() throws {
        let visitor = try record(
            """
            {"InstanceId": "i", "DestinationPhoneNumber": "+15551230001", "Attributes": {"k": "v"}}
            """,
            name: "call.json"
        )
        #expect(
            visitor.log == [
                "begin mapping 1:1",
                #"entry InstanceId@1:2 = "i"@1:16"#,
                #"entry DestinationPhoneNumber@1:21 = "+15551230001"@1:47"#,
                #"entry Attributes@1:63 = {k@1:78: "v"@1:83}@1:77"#,
                "end",
            ]
        )
    }

    @Test func scalarRootIsReportedAsScalar() throws {
        let visitor = try record("just text\n")
        #expect(visitor.log == ["begin scalar 1:1", "end"])
    }

    @Test func contactsThatAreNotAListArriveAsAnEntry() throws {
        let visitor = try record("contacts: {a: 1}\n")
        #expect(visitor.log == ["begin mapping 1:1", "entry contacts@1:1 = {a@1:12: 1@1:15}@1:11", "end"])
    }

    @Test func emptyContactsList() throws {
        let visitor = try record("contacts: []\n")
        #expect(visitor.log == ["begin mapping 1:1", "contacts 1:1 1:11", "end"])
    }

    @Test func visitorErrorsPropagate() throws {
        let files = try TemporaryFiles()
        defer { files.remove() }
        let path = try files.write("job.yaml", "contacts:\n  - a: 1\n  - a: 2\n  - a: 3\n")
        var visitor = RecordingVisitor()
        visitor.failAtContact = 1
        #expect(throws: RecordingVisitor.Stop.self) { try DocumentReader(path: path).read(into: &visitor) }
        #expect(visitor.contacts.count == 1)
    }

    @Test func sha256OfTheFileBytes() throws {
        let files = try TemporaryFiles()
        defer { files.remove() }
        // printf 'a: bc\n# d\n' | sha256sum: every byte, comments and the last line break too.
        let path = try files.write("job.yaml", "a: bc\n# d\n")
        var visitor = RecordingVisitor()
        try DocumentReader(path: path).read(into: &visitor)
        #expect(visitor.sha256Hex == "24dd981438403d2d82027b894ae50d5d0f0795546357c8e5ba44e83b8365ea8d")
    }

    @Test func parsesAWholeSmallDocument() throws {
        let node = try DocumentReader.parse(bytes: Array(#"{"a":[1,{"b":"c"}]}"#.utf8), name: "line 3")
        #expect(render(node) == #"{a@1:2: [1@1:7, {b@1:10: "c"@1:14}@1:9]@1:6}@1:1"#)
    }

    @Test func byteOrderMarkIsSkipped() throws {
        let visitor = try record(bytes: [0xEF, 0xBB, 0xBF] + Array("a: 1\n".utf8))
        #expect(visitor.log == ["begin mapping 1:1", "entry a@1:1 = 1@1:4", "end"])
        let json = try record(bytes: [0xEF, 0xBB, 0xBF] + Array(#"{"a": 1}"#.utf8), name: "x.json")
        #expect(json.log == ["begin mapping 1:1", "entry a@1:2 = 1@1:7", "end"])
    }

    @Test func twentyThousandRowsArriveWithTheirMarks() throws {
        let files = try TemporaryFiles()
        defer { files.remove() }
        var text = "version: 1\ncontacts:\n"
        for row in 0 ..< 20_000 {
            text += "  - DestinationPhoneNumber: \"+1555\(String(1_000_000 + row))\"\n    Name: Row \(row)\n"
        }
        let path = try files.write("big.yaml", text)
        struct Counter: DocumentVisitor {
            var count = 0
            var wrong: [String] = []
            mutating func begin(root: RootKind, at mark: SourceMark) throws {}
            mutating func entry(_ entry: Node.Entry) throws {}
            mutating func beginContacts(keyMark: SourceMark, at mark: SourceMark) throws {}
            mutating func contact(_ node: Node, index: Int) throws {
                guard case .mapping(let entries) = node.value, entries.count == 2,
                    node.mark == SourceMark(line: 3 + 2 * index, column: 5),
                    entries[0].value.scalarText == "+1555\(1_000_000 + index)",
                    entries[1].keyMark == SourceMark(line: 4 + 2 * index, column: 5),
                    entries[1].value.mark == SourceMark(line: 4 + 2 * index, column: 11)
                else {
                    wrong.append("row \(index): \(render(node))")
                    return
                }
                count += 1
            }
            mutating func end(sha256Hex: String) throws {}
        }
        var counter = Counter()
        try DocumentReader(path: path).read(into: &counter)
        #expect(counter.count == 20_000)
        #expect(counter.wrong.isEmpty)
    }

    @Test func formatByExtensionThenSniffing() {
        #expect(DocumentFormat(pathExtensionOf: "a/b.YML") == .yaml)
        #expect(DocumentFormat(pathExtensionOf: "b.json") == .json)
        #expect(DocumentFormat(pathExtensionOf: "b.txt") == nil)
        #expect(DocumentFormat(pathExtensionOf: "dir.json/file") == nil)
        #expect(DocumentFormat.sniff(Array(" \n\t[1]".utf8)) == .json)
        #expect(DocumentFormat.sniff([0xEF, 0xBB, 0xBF] + Array("{}".utf8)) == .json)
        #expect(DocumentFormat.sniff(Array("# c\n{}".utf8)) == .yaml)
        #expect(DocumentFormat.sniff([]) == .yaml)
    }

    @Test func sniffedJSONWithoutExtensionGetsTheJSONFilter() throws {
        // A surrogate-pair escape only reads when the JSON filter is on.
        let visitor = try record(#"{"n": "\ud83d\ude00"}"#, name: "job")
        #expect(visitor.log == ["begin mapping 1:1", "entry n@1:2 = \"😀\"@1:7", "end"])
    }
}
