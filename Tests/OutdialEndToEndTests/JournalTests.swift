import ConnectSimulator
import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// The state directory: its lock and what happens when it cannot be used.
@Suite struct JournalTests {
    @Test func secondRunOfARunningJobIsRefused() async throws {
        let dir = try TemporaryDirectory()
        let job = try dir.write("job.yaml", JobFile.yaml(id: "locked-job", destinations: JobFile.destinations(60)))
        let output = dir.path("results.ndjson")

        try await withSimulator(SimulatorConfiguration(latency: .fixed(milliseconds: 200))) { simulator in
            let command =
                ["run", job, "--state-dir", dir.path("state"), "--concurrency", "1", "--rate", "0"]
                + simulator.endpointArguments
            let first = try RunningProcess.outdial(command + ["-o", output], environment: simulator.environment)
            #expect(await poll { lineCount(atPath: output) >= 1 })

            let second = try await Outdial.run(command, environment: simulator.environment)

            #expect(second.status == 2)
            #expect(second.stdout.isEmpty)
            #expect(second.stderr.contains("job locked-job is already running (pid \(first.pid) "))
            #expect(second.stderr.contains("refusing to run it twice at once"))
            // The second run did not wait for the first (which needs 60 rows one at a time at 200 ms,
            // and is killed below): the first is still running when the second has ended.
            #expect(first.process.isRunning, "the second run waited for the first")

            first.send(SIGKILL)
            _ = await first.finish()
            // Only the first run sent anything, and nobody was dialled twice.
            #expect(simulator.dialledTwice().isEmpty)
            #expect(simulator.requestLog().count == Set(simulator.requestLog().compactMap(\.destination)).count)

            // A dead holder's lock does not block the next run.
            let third = try await Outdial.run(command + ["--concurrency", "20"], environment: simulator.environment)
            #expect(third.status != 2)
            #expect(ndjson(third.stdout).count == 60)
        }
    }

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
