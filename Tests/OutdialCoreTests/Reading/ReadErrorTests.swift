import Testing

@testable import OutdialCore

struct ReadErrorTests {
    @Test func syntaxErrorsNameTheirPlace() {
        let missingColon = readError("a: 1\nb\nc: 2\n")
        #expect(missingColon?.code == "ParseError")
        #expect(
            missingColon?.description
                == "job.yaml:3:1: error: could not find expected ':' while scanning a simple key that started at 2:1"
        )
        let badIndent = readError("a:\n  - b\n c\n")
        #expect(
            badIndent?.description
                == "job.yaml:3:2: error: did not find expected key while parsing a block mapping that started at 1:1"
        )
        let tab = readError("a:\n\tb: 1\n")
        #expect(tab?.code == "ParseError")
        #expect(tab?.mark == SourceMark(line: 2, column: 1))
    }

    @Test func emptyFilesAreRefused() {
        let empty = readError("")
        #expect(empty?.code == "EmptyFile")
        #expect(empty?.description == "job.yaml: error: the file is empty")
        let comments = readError("# nothing here\n\n   \n")
        #expect(
            comments?.description == "job.yaml: error: the file holds no YAML document, only comments and blank lines"
        )
        let blankJSON = readError(" \n\t\n", name: "job.json")
        #expect(blankJSON?.description == "job.json: error: the file holds no JSON value, only blank space")
    }

    @Test func multipleDocumentsAreRefused() {
        let error = readError("a: 1\n---\nb: 2\n")
        #expect(error?.code == "MultipleDocuments")
        #expect(
            error?.description == "job.yaml:2:1: error: the file holds more than one document; put one job in each file"
        )
    }

    @Test func duplicateTopLevelKeysAreRefused() {
        let error = readError("version: 1\ncontacts: []\nversion: 2\n")
        #expect(error?.code == "DuplicateKey")
        #expect(error?.description == "job.yaml:3:1: error: duplicate key 'version' (first given at 1:1)")
    }

    @Test func duplicateNestedKeysAreKeptForValidation() throws {
        let visitor = try record("defaults: {QueueId: a, QueueId: b}\ncontacts:\n  - {Name: x, Name: y}\n")
        #expect(
            visitor.log == [
                "begin mapping 1:1",
                "entry defaults@1:1 = {QueueId@1:12: a@1:21, QueueId@1:24: b@1:33}@1:11",
                "contacts 2:1 3:3",
                "contact 0 {Name@3:6: x@3:12, Name@3:15: y@3:21}@3:5",
                "end",
            ]
        )
    }

    @Test func mapKeysMustBeScalars() {
        let nested = readError("contacts:\n  - {[a, b]: 1}\n")
        #expect(nested?.code == "NonScalarKey")
        #expect(nested?.description == "job.yaml:2:6: error: a map key must be a scalar, not a list")
        let top = readError("? {a: 1}\n: x\n")
        #expect(top?.description == "job.yaml:1:3: error: a map key must be a scalar, not a map")
    }

    @Test func invalidUTF8IsRefusedWithItsPlace() {
        let yaml = readError(bytes: Array("a: 1\nb: x".utf8) + [0xFF] + Array("y\n".utf8))
        #expect(yaml?.code == "InvalidUTF8")
        #expect(yaml?.description == "job.yaml:2:5: error: invalid UTF-8: byte 0xFF cannot start a character")
        let json = readError(bytes: Array("{\"a\": \"é".utf8) + [0xC3, 0x28] + Array("\"}".utf8), name: "job.json")
        #expect(json?.code == "InvalidUTF8")
        #expect(
            json?.description == "job.json:1:9: error: invalid UTF-8: byte 0x28 cannot continue a multi-byte character"
        )
        let truncated = readError(bytes: Array("a: ".utf8) + [0xE2, 0x82])
        #expect(
            truncated?.description == "job.yaml:1:4: error: invalid UTF-8: the input ends inside a multi-byte character"
        )
        let surrogate = readError(bytes: Array("a: ".utf8) + [0xED, 0xA0, 0x80])
        #expect(
            surrogate?.description
                == "job.yaml:1:4: error: invalid UTF-8: the bytes encode U+D800, which is not a Unicode character"
        )
        let overlong = readError(bytes: Array(#"{"a": ""#.utf8) + [0xC0, 0xAF] + Array(#""}"#.utf8), name: "job.json")
        #expect(overlong?.description == "job.json:1:8: error: invalid UTF-8: overlong encoding of a character")
    }

    @Test func controlCharactersAreRefused() {
        let error = readError(bytes: Array("a: 1\nb: x".utf8) + [0x01])
        #expect(error?.code == "InvalidCharacter")
        #expect(error?.description == "job.yaml:2:5: error: control character U+0001 is not allowed")
    }

    @Test func unreadableFiles() throws {
        var visitor = RecordingVisitor()
        let missing = "/nonexistent/outdial/job.yaml"
        #expect(throws: ReadError.self) { try DocumentReader(path: missing).read(into: &visitor) }
        do {
            try DocumentReader(path: missing).read(into: &visitor)
        } catch let error as ReadError {
            #expect(error.code == "UnreadableFile")
            #expect(
                error.description
                    == "/nonexistent/outdial/job.yaml: error: cannot open the file: no such file or directory"
            )
        }
        let files = try TemporaryFiles()
        defer { files.remove() }
        do {
            try DocumentReader(path: files.directory.path, displayName: "dir").read(into: &visitor)
            Issue.record("a directory was read")
        } catch let error as ReadError {
            #expect(error.description == "dir: error: cannot read the file: it is a directory")
        }
    }
}
