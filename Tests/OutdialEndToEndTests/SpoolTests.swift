import ConnectSimulator
import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// `outdial spool DIR`: one pass over a drop folder.
@Suite struct SpoolTests {
    private func makeFolder(_ dir: TemporaryDirectory) throws -> String {
        let base = dir.path("drop")
        try FileManager.default.createDirectory(atPath: base + "/incoming", withIntermediateDirectories: true)
        return base
    }

    private func age(_ path: String) throws {
        try FileManager.default.setAttributes(
            [.modificationDate: Date().addingTimeInterval(-600)],
            ofItemAtPath: path
        )
    }

    @Test func onePassMovesJobsToDoneAndFailed() async throws {
        let dir = try TemporaryDirectory()
        let base = try makeFolder(dir)
        let good = base + "/incoming/calls.yaml"
        try JobFile.yaml(id: "spooled", destinations: JobFile.destinations(2)).write(
            toFile: good,
            atomically: true,
            encoding: .utf8
        )
        let broken = base + "/incoming/broken.yaml"
        try "version: 1\nid: broken\ncontacts: [".write(toFile: broken, atomically: true, encoding: .utf8)
        let hidden = base + "/incoming/.hidden.yaml"
        try JobFile.yaml(id: "hidden", destinations: JobFile.destinations(1, first: 50)).write(
            toFile: hidden,
            atomically: true,
            encoding: .utf8
        )
        let fresh = base + "/incoming/fresh.yaml"
        try JobFile.yaml(id: "fresh", destinations: JobFile.destinations(1, first: 60)).write(
            toFile: fresh,
            atomically: true,
            encoding: .utf8
        )
        for path in [good, broken, hidden] { try age(path) }
        // Still being written: changed "just now" however slowly the pass starts on a busy machine.
        try FileManager.default.setAttributes([.modificationDate: Date().addingTimeInterval(3600)], ofItemAtPath: fresh)

        try await withSimulator { simulator in
            let result = try await Outdial.run(
                ["spool", base, "--state-dir", dir.path("state"), "--rate", "0"] + simulator.endpointArguments,
                environment: simulator.environment
            )
            let files = FileManager.default
            #expect(files.fileExists(atPath: base + "/done/calls.yaml"), "\(result.stderr)")
            let results = resultLines(atPath: base + "/done/calls.yaml.results.ndjson")
            #expect(results.count == 2)
            #expect(results.allSatisfy { $0.status == "started" })
            let summary = try Data(contentsOf: URL(fileURLWithPath: base + "/done/calls.yaml.summary.json"))
            let json = try JSONSerialization.jsonObject(with: summary) as? [String: Any]
            #expect(json?["exitCode"] as? Int == 0)
            #expect(json?["rows"] as? Int == 2)
            #expect(!files.fileExists(atPath: good))
            #expect(files.fileExists(atPath: base + "/failed/broken.yaml"))
            #expect(files.fileExists(atPath: base + "/failed/broken.yaml.summary.json"))
            #expect(files.fileExists(atPath: hidden))
            #expect(files.fileExists(atPath: fresh))
            #expect(Set(simulator.requestLog().compactMap(\.destination)) == Set(JobFile.destinations(2)))
        }
    }

    @Test func twoPassesAtOnceNeverTakeTheSameFile() async throws {
        let dir = try TemporaryDirectory()
        let base = try makeFolder(dir)
        var all: [String] = []
        for index in 0 ..< 6 {
            let destinations = JobFile.destinations(2, first: index * 10)
            all += destinations
            let path = base + "/incoming/job\(index).yaml"
            try JobFile.yaml(id: "spool-\(index)", destinations: destinations).write(
                toFile: path,
                atomically: true,
                encoding: .utf8
            )
            try age(path)
        }

        try await withSimulator(SimulatorConfiguration(latency: .fixed(milliseconds: 50))) { simulator in
            let command =
                ["spool", base, "--state-dir", dir.path("state"), "--rate", "0"] + simulator.endpointArguments
            let one = try RunningProcess.outdial(command, environment: simulator.environment)
            let two = try RunningProcess.outdial(command, environment: simulator.environment)
            _ = await one.finish()
            _ = await two.finish()
            let sent = simulator.requestLog().compactMap(\.destination)
            #expect(sent.sorted() == all.sorted())
            let done = try FileManager.default.contentsOfDirectory(atPath: base + "/done").filter {
                $0.hasSuffix(".yaml")
            }
            #expect(done.count == 6)
        }
    }

    @Test func aFileStrandedByAKilledPassIsTakenOverByTheNext() async throws {
        let dir = try TemporaryDirectory()
        let drop = try DropFolder(in: dir)
        try drop.dropSettled("calls.yaml", id: "stranded", count: 20)

        try await withSimulator(SimulatorConfiguration(latency: .fixed(milliseconds: 100))) { simulator in
            let command = drop.slowPass(state: dir.path("state"), simulator: simulator)
            let killed = try RunningProcess.outdial(command, environment: simulator.environment)
            #expect(await poll { lineCount(atPath: drop.base + "/processing/calls.yaml.results.ndjson") >= 2 })
            killed.send(SIGKILL)
            _ = await killed.finish()
            #expect(drop.exists("processing/calls.yaml"))

            let next = try await Outdial.run(command, environment: simulator.environment)

            #expect(next.stderr.contains(#"outdial: spool: taking over "calls.yaml" left in processing/"#))
            #expect(drop.exists("done/calls.yaml"), "\(next.stderr)")
            #expect(!drop.exists("processing/calls.yaml"))
            // Every row was dialled at most once, and every row but the one in flight at the kill was.
            #expect(simulator.dialledTwice().isEmpty)
            #expect(Set(simulator.requestLog().compactMap(\.destination)).count >= 19)
        }
    }
}
