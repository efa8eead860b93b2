import Foundation
import OutdialCore
import Testing

@testable import Outdial

/// Outputs that would overwrite or append to an input, or to each other, are refused.
@Suite struct OutputPathsTests {
    @Test func aHardLinkToAJobFileIsTheJobFile() throws {
        let folder = try TestFolder()
        let job = try folder.write("job.yaml", "version: 1\n")
        try FileManager.default.linkItem(atPath: job, toPath: folder.path("other-name.ndjson"))

        let error = #expect(throws: RunnerError.self) {
            try OutputPaths(results: folder.path("other-name.ndjson"), inputs: [job]).check()
        }
        #expect(error?.code == ErrorCode.outputConflict)
    }

    @Test func pathsNotYetThereAreComparedNormalised() throws {
        let folder = try TestFolder()
        #expect(throws: RunnerError.self) {
            try OutputPaths(results: folder.path("out/../r"), summary: folder.path("r"), inputs: []).check()
        }
        try OutputPaths(results: folder.path("r"), summary: folder.path("s"), inputs: []).check()
    }

    @Test func replayMayAppendToTheResultsItReadsButNotOverwriteThemWithASummary() throws {
        let folder = try TestFolder()
        let results = try folder.write("results.ndjson", "{}\n")
        try OutputPaths(results: results, inputs: [results], appendableInputs: [results]).check()
        let error = #expect(throws: RunnerError.self) {
            try OutputPaths(results: nil, summary: results, inputs: [results], appendableInputs: [results]).check()
        }
        #expect(error?.message.hasPrefix("--summary \(results) is \(results), a file being read") == true)
    }
}
