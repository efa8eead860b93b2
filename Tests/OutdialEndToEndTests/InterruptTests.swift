import ConnectSimulator
import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// SIGTERM mid-run: rows in flight finish, the rest are `skipped: interrupted`.
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
}
