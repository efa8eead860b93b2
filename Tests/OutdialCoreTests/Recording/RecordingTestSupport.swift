import Foundation
import OutdialCore

enum RecordingFixtures {
    static func temporaryPath(_ name: String) -> String {
        NSTemporaryDirectory() + "outdial-rec-\(UUID().uuidString)-\(name)"
    }

    static func temporaryStateDirectory() throws -> StateDirectory {
        let directory = StateDirectory(path: temporaryPath("state"))
        try directory.prepare()
        return directory
    }

    static func row(_ index: Int, job: String = "job-1") -> PlannedRow {
        PlannedRow(
            ref: RowRef(job: job, source: "calls.yaml", row: index, line: 2 + index),
            destination: "+15550100\(100 + index)",
            clientToken: "token-\(index)",
            body: Array("{}".utf8),
            instanceId: "instance"
        )
    }

    static func lines(ofFile path: String) -> [String] {
        let text = (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
        return text.split(separator: "\n", omittingEmptySubsequences: true).map(String.init)
    }
}
