import ConnectSimulator
import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// The state directory: what happens when it cannot be used (two runs of one job: LedgerTests).
@Suite struct JournalTests {
    @Test func unusableStateDirectoryAbortsBeforeSending() async throws {
        let dir = try TemporaryDirectory()
        let job = try dir.write("job.yaml", JobFile.yaml(id: "no-state", destinations: JobFile.destinations(3)))
        let file = try dir.write("plain-file", "not a directory\n")
        let state = file + "/state"

        try await withSimulator { simulator in
            let result = try await Outdial.run(
                ["run", job, "--state-dir", state] + simulator.endpointArguments,
                environment: simulator.environment
            )
            #expect(result.status == 3)
            #expect(result.stderr.contains("state directory \(state) is not usable: "))
            // An aborted run still gives every row its line.
            let lines = ndjson(result.stdout)
            #expect(lines.count == 3)
            #expect(lines.allSatisfy { $0.status == "skipped" && $0.reason == "halted" })
            #expect(lines.allSatisfy { $0.errorCode == "StateDirectoryUnusable" })
            #expect(result.stderr.contains("outdial: 3 rows in "))
            #expect(simulator.requestLog().isEmpty)
        }
    }
}
