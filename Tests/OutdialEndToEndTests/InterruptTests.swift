import ConnectSimulator
import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// SIGTERM mid-run: rows in flight finish, the rest are `skipped: interrupted`, exit 1.
@Suite struct InterruptTests {
    @Test func sigtermSkipsRowsNotStarted() async throws {
        let dir = try TemporaryDirectory()
        let job = try dir.write("job.yaml", JobFile.yaml(id: "interrupted", destinations: JobFile.destinations(40)))
        let output = dir.path("results.ndjson")

        try await withSimulator(SimulatorConfiguration(latency: .fixed(milliseconds: 200))) { simulator in
            let run = try RunningProcess.outdial(
                ["run", job, "--state-dir", dir.path("state"), "-o", output, "--concurrency", "2", "--rate", "0"]
                    + simulator.endpointArguments,
                environment: simulator.environment
            )
            #expect(await poll { lineCount(atPath: output) >= 4 })
            run.send(SIGTERM)
            let result = await run.finish()

            // Interrupted: 1 (rows skipped), once every line is written.
            #expect(result.status == 1)
            let lines = resultLines(atPath: output)
            #expect(lines.count == 40)
            #expect(Set(lines.compactMap(\.row)) == Set(0 ..< 40))
            let started = lines.filter { $0.status == "started" }
            let skipped = lines.filter { $0.status == "skipped" }
            #expect(started.count + skipped.count == 40)
            #expect(started.count >= 4)
            #expect(started.count < 40)
            #expect(skipped.allSatisfy { $0.reason == "interrupted" })
            #expect(skipped.allSatisfy { $0.request?["DestinationPhoneNumber"] as? String == $0.destination })
            // Nothing skipped reached the simulator; everything started did, once.
            let sent = simulator.requestLog().compactMap(\.destination)
            #expect(Set(sent) == Set(started.compactMap(\.destination)))
            #expect(sent.count == started.count)
            #expect(result.stderr.contains("outdial: interrupted: rows not started are skipped (interrupted)"))
            #expect(result.stderr.contains("(\(skipped.count) interrupted)"))
        }
    }

    @Test func sigtermStopsTheWholeSpoolPassAndTheNextPassResumes() async throws {
        let dir = try TemporaryDirectory()
        let drop = try DropFolder(in: dir)
        try drop.dropSettled("a.yaml", id: "pass-0", count: 20)
        try drop.dropSettled("b.yaml", id: "pass-1", count: 20, first: 100)
        let base = drop.base

        try await withSimulator(SimulatorConfiguration(latency: .fixed(milliseconds: 200))) { simulator in
            let command = drop.slowPass(state: dir.path("state"), simulator: simulator)
            let pass = try RunningProcess.outdial(command, environment: simulator.environment)
            #expect(await poll { lineCount(atPath: base + "/processing/a.yaml.results.ndjson") >= 1 })
            pass.send(SIGTERM)
            let first = await pass.finish()

            #expect(first.status == 1, "\(first.stderr)")
            // The interrupted file waits in processing/ for the next pass; the second never ran.
            #expect(FileManager.default.fileExists(atPath: base + "/processing/a.yaml"))
            #expect(FileManager.default.fileExists(atPath: base + "/incoming/b.yaml"))
            #expect(!FileManager.default.fileExists(atPath: base + "/done/a.yaml"))
            #expect(
                simulator.requestLog().allSatisfy { ($0.destination ?? "") < JobFile.destinations(1, first: 100)[0] }
            )
            #expect(first.stderr.contains(#"outdial: spool: "a.yaml" interrupted; left in processing/"#))

            let second = try await Outdial.run(command, environment: simulator.environment)
            #expect(second.status == 0, "\(second.stderr)")
            #expect(second.stderr.contains(#"outdial: spool: taking over "a.yaml" left in processing/"#))
            #expect(FileManager.default.fileExists(atPath: base + "/done/a.yaml"))
            #expect(FileManager.default.fileExists(atPath: base + "/done/b.yaml"))
            let latest = latestStatus(resultLines(atPath: base + "/done/a.yaml.results.ndjson"))
            #expect(latest.count == 20)
            #expect(latest.values.allSatisfy { $0 == "started" || $0 == "skipped" })
            #expect(simulator.dialledTwice().isEmpty)
            #expect(Set(simulator.requestLog().compactMap(\.destination)).count == 40)
        }
    }

    /// The status of each row's latest line.
    private func latestStatus(_ lines: [[String: Any]]) -> [Int: String] {
        var latest: [Int: String] = [:]
        for line in lines { if let row = line.row { latest[row] = line.status } }
        return latest
    }
}

/// A second SIGTERM while requests hang: every row still gets its line before the process ends.
@Suite struct SecondInterruptTests {
    @Test func aSecondSigtermWhileRequestsHangStillWritesEveryLine() async throws {
        let dir = try TemporaryDirectory()
        let job = try dir.write("job.yaml", JobFile.yaml(id: "hanging", destinations: JobFile.destinations(30)))
        let output = dir.path("results.ndjson")
        let ledger = LedgerFile(state: dir.path("state"))
        let hanging = SimulatorConfiguration(faults: .init(hangRate: 1))

        try await withSimulator(hanging) { simulator in
            let run = try RunningProcess.outdial(
                [
                    "run", job, "--state-dir", dir.path("state"), "-o", output, "--concurrency", "3", "--rate", "0",
                    "--timeout", "600",
                ]
                    + simulator.endpointArguments,
                environment: simulator.environment,
                streamingStandardError: true
            )
            // Three requests are in flight (their intents are committed) and hang.
            #expect(await poll { await ledger.attemptCount() >= 3 })
            run.send(SIGTERM)
            #expect(await poll { run.standardErrorSoFar.contains("no new rows are started") })
            run.send(SIGTERM)
            let result = await run.finish()

            #expect(result.status == 1, "\(result.stderr)")
            let lines = resultLines(atPath: output)
            #expect(lines.count == 30)
            #expect(Set(lines.compactMap(\.row)) == Set(0 ..< 30))
            let uncertain = lines.filter { $0.status == "uncertain" }
            let skipped = lines.filter { $0.status == "skipped" }
            #expect(uncertain.count == 3)
            #expect(skipped.count == 27)
            #expect(skipped.allSatisfy { $0.reason == "interrupted" })
            #expect(uncertain.allSatisfy { $0.request?["DestinationPhoneNumber"] as? String == $0.destination })
            #expect(result.stderr.contains("SIGTERM again: stopping now"))
        }
    }
}
