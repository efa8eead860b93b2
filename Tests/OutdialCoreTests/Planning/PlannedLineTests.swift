import Testing

@testable import OutdialCore

/// `plan` writes each planned line straight from the row: the bytes are those of the row's
/// `planned` result line.
struct PlannedLineTests {
    @Test(arguments: ["calls.yaml", "dir with \"quotes\"/and\\slashes\u{1}.yaml", "répertoire/appels.json"])
    func thePlannedLineIsTheResultLinesBytes(source: String) {
        var row = PlannedRow(
            ref: RowRef(job: "calls-2026", source: source, row: 41, line: 207),
            destination: "+12025550100",
            clientToken: "cf97f8d5448c6cb20361cff9e6d49d9ef4837fa6aac72e6c2362e8b44323aed1",
            body: Array(#"{"DestinationPhoneNumber":"+12025550100","Attributes":{"note":"a\"b"}}"#.utf8),
            instanceId: "12345678-1234-1234-1234-123456789012",
            timezone: "America/New_York",
            queueId: "q-1"
        )
        row.attempt = 2
        var direct = JSONWriter()
        row.writePlannedLine(to: &direct)
        #expect(direct.bytes == row.resultLine().ndjson())
        #expect(direct.bytes.last == UInt8(ascii: "\n"))
    }
}
