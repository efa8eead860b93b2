import Foundation
import Testing

@testable import OutdialCore

struct NDJSONResultWriterTests {
    static func line(_ row: Int, _ status: RowStatus) -> ResultLine {
        var line = ResultLine(
            ref: RowRef(job: "j", source: "a.yaml", row: row, line: row + 2),
            destination: "+15550100100",
            clientToken: "t-\(row)",
            status: status
        )
        if status == .skipped { line.reason = .deadline }
        return line
    }

    @Test func createsTheFileWithMode0600AndAppends() throws {
        let path = RecordingFixtures.temporaryPath("results.ndjson")
        let previous = umask(0)
        defer { umask(previous) }
        do {
            let writer = try NDJSONResultWriter(appendingTo: path)
            try writer.write(Self.line(0, .started))
            try writer.write(Self.line(1, .skipped))
            #expect(writer.counts == [.started: 1, .skipped: 1])
        }
        do {
            let writer = try NDJSONResultWriter(appendingTo: path)
            try writer.write(Self.line(2, .failed))
        }
        var info = stat()
        #expect(stat(path, &info) == 0)
        #expect(info.st_mode & 0o777 == 0o600)
        let lines = RecordingFixtures.lines(ofFile: path)
        #expect(
            lines == [
                #"{"job":"j","source":"a.yaml","row":0,"line":2,"destination":"+15550100100","clientToken":"t-0","status":"started"}"#,
                #"{"job":"j","source":"a.yaml","row":1,"line":3,"destination":"+15550100100","clientToken":"t-1","status":"skipped","reason":"deadline"}"#,
                #"{"job":"j","source":"a.yaml","row":2,"line":4,"destination":"+15550100100","clientToken":"t-2","status":"failed"}"#,
            ]
        )
    }

    @Test func unopenableOutputIsAClearError() {
        #expect(throws: RecordingError.self) {
            _ = try NDJSONResultWriter(appendingTo: "/nonexistent-dir/results.ndjson")
        }
    }
}
