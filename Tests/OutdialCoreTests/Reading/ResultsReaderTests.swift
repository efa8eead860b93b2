import Foundation
import Testing

@testable import OutdialCore

/// Results files read back for replay: strict JSON per line, marks into the results file.
struct ResultsReaderTests {
    static let request =
        #"{"DestinationPhoneNumber":"+15551230001","ContactFlowId":"f-1","InstanceId":"i-1","SourcePhoneNumber":"+15550100100"}"#

    func read(_ text: String) throws -> (lines: [ResultsFileLine], warnings: [String]) {
        let files = try TemporaryFiles()
        defer { files.remove() }
        let path = try files.write("results.ndjson", text)
        var lines: [ResultsFileLine] = []
        let warnings = try ResultsReader(path: path, displayName: "results.ndjson").read { lines.append($0) }
        return (lines, warnings.map(\.description))
    }

    @Test func readsTheFieldsReplayNeeds() throws {
        let text = """
            {"job":"j","source":"jobs/a.yaml","row":3,"line":7,"destination":"+15551230001","clientToken":"t","status":"failed","request":\(Self.request)}
            {"job":"j","source":"jobs/a.yaml","row":4,"line":8,"destination":"+15551230002","clientToken":"t","status":"skipped","reason":"already-started","contactId":"c"}

            """
        let (lines, warnings) = try read(text)
        #expect(warnings.isEmpty)
        #expect(lines.count == 2)
        #expect(lines[0].ref == RowRef(job: "j", source: "jobs/a.yaml", row: 3, line: 7))
        #expect(lines[0].status == .failed)
        #expect(lines[0].resultsLine == 1)
        #expect(lines[0].request?.mark == SourceMark(line: 1, column: 127))
        #expect(lines[1].reason == "already-started")
        #expect(lines[1].request == nil)
        #expect(lines[1].key == ResultsFileLine.Key(job: "j", source: "jobs/a.yaml", row: 4))
    }

    @Test func requestValidatesWithMarksIntoTheResultsFile() throws {
        let edited = Self.request.replacingOccurrences(of: "+15551230001", with: "12345")
        let text =
            "\n" + #"{"job":"j","source":"a.yaml","row":0,"line":5,"status":"failed","request":"# + edited + "}\n"
        let (lines, _) = try read(text)
        let line = try #require(lines.first)
        var planner = JobPlanner()
        let event = planner.planRequest(try #require(line.request), ref: line.ref, file: line.resultsFile)
        guard case .rejected(let result, let diagnostics) = event else {
            Issue.record("the edited number was accepted")
            return
        }
        #expect(result.ref == line.ref)
        #expect(
            diagnostics.map(\.description) == [
                "results.ndjson:2:101: error: DestinationPhoneNumber: found \"12345\"; expected an E.164 number: +, country code and number, 2 to 15 digits (spaces, -, ., ( and ) are ignored; no country code is assumed)"
            ]
        )
    }

    @Test func brokenLinesAreWarningsWithTheirPlace() throws {
        let text = """
            {"job":"j","source":"a.yaml","row":0,"status":"failed","request":{"a":1,}}
            {"job":"j","row":0,"status":"failed"}
            {"job":"j","source":"a.yaml","row":1,"status":"fai
            """
        let (lines, warnings) = try read(text)
        #expect(lines.isEmpty)
        #expect(
            warnings == [
                "results.ndjson:1:73: warning: not complete JSON (expected a key after ','; JSON allows no trailing comma); ignored",
                "results.ndjson:2:1: warning: not a results line (job, source, row, line and status are needed); ignored",
                "results.ndjson:3:51: warning: not complete JSON (the line ends inside a string); ignored",
            ]
        )
    }

    @Test func jsonNodesKeepScalarsAsWritten() throws {
        var parser = JSONNodeParser(
            bytes: Array(#"{"n": 30, "b": true, "s": "30", "u": "\u00e9\ud83d\ude00"}"#.utf8),
            line: 4,
            maxDepth: 8
        )
        let node = try parser.parse()
        #expect(render(node) == #"{n@4:2: 30@4:7, b@4:11: true@4:16, s@4:22: "30"@4:27, u@4:33: "é😀"@4:38}@4:1"#)
        var deep = JSONNodeParser(bytes: Array(String(repeating: "[", count: 10).utf8), line: 1, maxDepth: 8)
        #expect(throws: JSONNodeParser.Failure.self) { try deep.parse() }
    }
}
