import Foundation
import Testing

@testable import OutdialCore

struct JSONReadingTests {
    /// Every value of a JSON document, in order, as `path kind value` lines with UTF-8 in hex; numbers and
    /// literals as written. The same walk is done by Python's `json` module and by the reader.
    private static let pythonWalk = """
        import json, sys
        text = open(sys.argv[1], encoding='utf-8').read()
        doc = json.loads(text, parse_int=str, parse_float=str, parse_constant=str)
        hx = lambda s: s.encode('utf-8', 'surrogatepass').hex()
        out = []
        def walk(v, path):
            p = '/'.join(path)
            if isinstance(v, dict):
                out.append(p + ' {' + str(len(v)))
                for k, x in v.items(): walk(x, path + [hx(k)])
            elif isinstance(v, list):
                out.append(p + ' [' + str(len(v)))
                for i, x in enumerate(v): walk(x, path + [str(i)])
            elif v is True: out.append(p + ' = ' + hx('true'))
            elif v is False: out.append(p + ' = ' + hx('false'))
            elif v is None: out.append(p + ' = ' + hx('null'))
            else: out.append(p + ' = ' + hx(v))
        walk(doc, [])
        print('\\n'.join(out))
        """

    private static func hex<S: Sequence>(_ bytes: S) -> String where S.Element == UInt8 {
        bytes.map { String(format: "%02x", $0) }.joined()
    }

    private static func walk(_ root: Node) -> [String] {
        var out: [String] = []
        var stack: [(Node, [String])] = [(root, [])]
        while let (node, path) = stack.popLast() {
            let p = path.joined(separator: "/")
            switch node.value {
            case .scalar(let text, _):
                out.append("\(p) = \(hex(text.utf8))")
            case .mapping(let entries):
                out.append("\(p) {\(entries.count)")
                for entry in entries.reversed() { stack.append((entry.value, path + [hex(entry.key.utf8)])) }
            case .sequence(let items):
                out.append("\(p) [\(items.count)")
                for (index, item) in items.enumerated().reversed() { stack.append((item, path + ["\(index)"])) }
            }
        }
        return out
    }

    private static func python(_ path: String) throws -> [String] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", pythonWalk, path]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self).split(separator: "\n").map(String.init)
    }

    @Test(arguments: ["edge-cases.json", "compact.json"])
    func decodesAsPythonsJSONModuleDoes(name: String) throws {
        let url = try fixture(name)
        let expected = try Self.python(url.path)
        #expect(expected.count > 40)
        let node = try DocumentReader.parse(bytes: Array(try Data(contentsOf: url)), name: name)
        let got = Self.walk(node)
        #expect(got == expected)
        // The same through the streaming reader, file and all.
        var visitor = RecordingVisitor()
        try DocumentReader(path: url.path).read(into: &visitor)
        #expect(visitor.entries.count == 14)
    }

    @Test func columnsAfterASurrogatePairAreTheFilesOwn() throws {
        let visitor = try record(#"{"a":"\uD83D\uDE00","b":1}"# + "\n" + #"  "#, name: "x.json")
        #expect(visitor.log == ["begin mapping 1:1", "entry a@1:2 = \"😀\"@1:6", "entry b@1:21 = 1@1:25", "end"])
        let twoLines = try record("{\"a\":\"\\uD83D\\uDE00\\uD83D\\uDE00\",\n \"b\":1}", name: "x.json")
        #expect(twoLines.log == ["begin mapping 1:1", "entry a@1:2 = \"😀😀\"@1:6", "entry b@2:2 = 1@2:6", "end"])
    }

    @Test func rawCharactersLibyamlRefusesAreEscapedInStrings() throws {
        let visitor = try record(
            bytes: Array(#"{"a":"x"#.utf8) + [0x7F] + Array("y\u{2028}z\",\"b\":1}".utf8),
            name: "x.json"
        )
        #expect(
            visitor.log == [
                "begin mapping 1:1", "entry a@1:2 = \"x\u{7F}y\u{2028}z\"@1:6", "entry b@1:14 = 1@1:18", "end",
            ]
        )
    }

    @Test func tabsOutsideStringsAreBlank() throws {
        let visitor = try record("\t{\n\t\"a\":\t\"x\ty\"}", name: "x.json")
        #expect(visitor.log == ["begin mapping 1:2", "entry a@2:2 = \"x\ty\"@2:7", "end"])
    }

    @Test func loneSurrogateEscapeBecomesReplacementCharacter() throws {
        let node = try DocumentReader.parse(bytes: Array(#"["\uD83D", "\uDE00x"]"#.utf8), name: "line 1")
        #expect(render(node) == "[\"\u{FFFD}\"@1:2, \"\u{FFFD}x\"@1:12]@1:1")
    }

    @Test func scalarsAndEmptyContainersAtTheRoot() throws {
        #expect(render(try DocumentReader.parse(bytes: Array("42".utf8), name: "n")) == "42@1:1")
        #expect(render(try DocumentReader.parse(bytes: Array(#""s""#.utf8), name: "n")) == "\"s\"@1:1")
        #expect(render(try DocumentReader.parse(bytes: Array("{}".utf8), name: "n")) == "{}@1:1")
        #expect(render(try DocumentReader.parse(bytes: Array("[]".utf8), name: "n")) == "[]@1:1")
    }

    @Test func notQuiteJSONNeverTraps() {
        for text in [
            #"{"a": 1,}"#, "{'a': 1}", #"{"a" 1}"#, #"{"a": [1, 2}"#, #"{"a": "\x"}"#, #"{"a": "\u12"}"#, "\"\\",
            "\"\\u",
        ] {
            do {
                _ = try DocumentReader.parse(bytes: Array(text.utf8), name: "n")
            } catch let error as ReadError {
                #expect(error.file == "n")
            } catch {
                Issue.record("unexpected \(error)")
            }
        }
    }

    @Test func nullEscapeIsKept() throws {
        let node = try DocumentReader.parse(bytes: Array(#"{"a":"x\u0000y"}"#.utf8), name: "n")
        guard case .mapping(let entries) = node.value else { Issue.record("not a map"); return }
        #expect(Array(entries[0].value.scalarText?.utf8 ?? "".utf8) == [0x78, 0, 0x79])
    }
}

struct JSONChunkBoundaryTests {
    /// Rows whose escapes and rewritten characters fall at every offset of the filter's and libyaml's
    /// buffers: values and columns must come out as in a small file.
    @Test func rewritesAcrossBufferBoundaries() throws {
        var text = "{\"rows\": [\n"
        var expected: [(value: String, column: Int)] = []
        for row in 0 ..< 5_000 {
            let pad = String(repeating: "x", count: row % 17)
            let line =
                "{\"i\": \"\(pad)\\uD83D\\uDE00\\\"é\t\u{7F}z\u{2028}\",\t\"n\": \(row)}" + (row < 4_999 ? ",\n" : "\n")
            text += line
            let prefix = line[..<line.range(of: "\"n\"")!.lowerBound]
            expected.append(("\(pad)😀\"é\t\u{7F}z\u{2028}", prefix.count + 1))
        }
        text += "]}\n"
        #expect(text.utf8.count > 200_000)
        let visitor = try record(text, name: "rows.json")
        let rows = try #require(visitor.entries.first?.value)
        guard case .sequence(let items) = rows.value else { Issue.record("not a list"); return }
        #expect(items.count == 5_000)
        var wrong = 0
        for (index, item) in items.enumerated() {
            guard case .mapping(let entries) = item.value, entries.count == 2,
                entries[0].value.scalarText == expected[index].value,
                entries[1].keyMark == SourceMark(line: index + 2, column: expected[index].column),
                entries[1].value.scalarText == "\(index)"
            else {
                if wrong < 3 { Issue.record("row \(index): \(render(item))") }
                wrong += 1
                continue
            }
        }
        #expect(wrong == 0)
    }
}
