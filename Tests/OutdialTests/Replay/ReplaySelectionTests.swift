import Foundation
import OutdialCore
import Testing

@testable import Outdial

/// Which rows `replay` sends again: the latest line of each row wins.
@Suite struct ReplaySelectionTests {
    private func line(_ row: Int, _ status: String, destination: String = "+15551230001") -> String {
        #"{"job":"j","source":"jobs/a.yaml","row":\#(row),"line":\#(row + 8),"destination":"\#(destination)","clientToken":"t","status":"\#(status)","request":{"DestinationPhoneNumber":"\#(destination)"}}"#
    }

    private func select(_ text: String, _ statuses: Set<RowStatus>) throws -> (
        rows: [ResultsFileLine], warnings: [String]
    ) {
        let path = NSTemporaryDirectory() + "outdial-replay-\(UUID().uuidString).ndjson"
        defer { try? FileManager.default.removeItem(atPath: path) }
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        var selection = ReplaySelection()
        let warnings = try selection.add(file: path).map {
            $0.description.replacingOccurrences(of: path, with: "r.ndjson")
        }
        return (selection.rows(withStatus: statuses), warnings)
    }

    @Test func theLatestLineOfARowWins() throws {
        let text = [line(0, "failed"), line(1, "failed"), line(0, "started"), line(2, "uncertain")].joined(
            separator: "\n"
        )
        let chosen = try select(text, [.failed])
        #expect(chosen.rows.map(\.ref.row) == [1])
        #expect(chosen.warnings.isEmpty)
    }

    @Test func aRowFailedAgainIsChosenOnceInFirstSeenOrder() throws {
        let text =
            [line(3, "failed"), line(1, "started"), line(1, "failed"), line(3, "failed")].joined(separator: "\n") + "\n"
        let chosen = try select(text, [.failed, .uncertain])
        #expect(chosen.rows.map(\.ref.row) == [3, 1])
        #expect(chosen.rows.first?.ref.line == 11)
        #expect(chosen.rows.first?.request != nil)
    }

    @Test func aCutOffLastLineAndForeignLinesAreWarnedAboutAndIgnored() throws {
        let text = line(0, "failed") + "\n" + #"{"hello":1}"# + "\n" + #"{"job":"j","sou"#
        let chosen = try select(text, [.failed])
        #expect(chosen.rows.map(\.ref.row) == [0])
        #expect(chosen.warnings.count == 2)
        #expect(chosen.warnings[0].hasPrefix("r.ndjson:2:1: warning: not a results line"))
        #expect(chosen.warnings[1].hasPrefix("r.ndjson:3:"))
        #expect(chosen.warnings[1].contains(": warning: not complete JSON"))
    }

    @Test func statusesAreParsedWithTheirRange() throws {
        #expect(try Runner.replayStatuses("failed, uncertain") == [.failed, .uncertain])
        let error = #expect(throws: RunnerError.self) { try Runner.replayStatuses("started") }
        #expect(error?.message == "--status started: expected some of failed, uncertain, skipped, invalid")
    }
}
