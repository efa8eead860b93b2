import ConnectSimulator
import Foundation
import Outdial
import OutdialClient
import OutdialCore
import OutdialLedger
import Testing

/// `Runner.spool`: whole passes over a drop folder, against the real simulator.
@Suite struct RunnerSpoolTests {
    private func drop(_ folder: TestFolder, _ name: String, id: String, destinations: [String]) throws {
        try folder.write("drop/incoming/" + name, TestJob.yaml(id: id, destinations: destinations))
        try folder.age("drop/incoming/" + name)
    }

    @Test func anInterruptStopsTheWholePassAndTheNextPassResumes() async throws {
        let folder = try TestFolder()
        try drop(folder, "a.yaml", id: "spool-a", destinations: TestJob.destinations(3))
        try drop(folder, "b.yaml", id: "spool-b", destinations: TestJob.destinations(3, first: 10))
        try await withSimulator { simulator in
            let configuration = runnerConfiguration(sendingTo: simulator, state: folder.path("state"))
            let interrupt = InterruptSignal()
            // SIGTERM arrives as the pass starts on its first file.
            let messages = MessageLog.keeping { line in
                if line == #"outdial: spool: "a.yaml""# { interrupt.trigger(name: "SIGTERM") }
            }

            let first = await Runner(configuration: configuration, messages: messages, logger: quietLogger())
                .spool(folder.path("drop"), settle: 5, interrupt: interrupt)

            #expect(first.interrupted)
            #expect(first.processExitCode == 1)
            #expect(first.files.map(\.name) == ["a.yaml"])
            #expect(FileManager.default.fileExists(atPath: folder.path("drop/processing/a.yaml")))
            #expect(!FileManager.default.fileExists(atPath: folder.path("drop/done/a.yaml")))
            #expect(FileManager.default.fileExists(atPath: folder.path("drop/incoming/b.yaml")))
            #expect(simulator.requestLog().isEmpty)

            let later = MessageLog.keeping()
            let second = await Runner(configuration: configuration, messages: later, logger: quietLogger())
                .spool(folder.path("drop"), settle: 5)

            #expect(second.exitCode == 0)
            #expect(second.files.map(\.movedTo) == ["done/a.yaml", "done/b.yaml"])
            #expect(later.lines.contains { $0.hasPrefix(#"outdial: spool: taking over "a.yaml" left in processing/"#) })
            let results = folder.lines("drop/done/a.yaml.results.ndjson")
            // The interrupted pass's lines, then the resumed run's.
            #expect(results.count == 6)
            #expect(results.suffix(3).allSatisfy { $0["status"] as? String == "started" })
            let sent = simulator.requestLog().compactMap(\.destination)
            #expect(sent.sorted() == (TestJob.destinations(3) + TestJob.destinations(3, first: 10)).sorted())
        }
    }

    /// Whether the `flock` of `path` can be taken (and is released at once) within 20 s.
    private static func lockBecomesFree(_ path: String) async -> Bool {
        let clock = ContinuousClock()
        let end = clock.now.advanced(by: .seconds(20))
        while clock.now < end {
            let descriptor = open(path, O_RDONLY | O_CLOEXEC)
            if descriptor >= 0 {
                let free = flock(descriptor, LOCK_EX | LOCK_NB) == 0
                close(descriptor)
                if free { return true }
            }
            try? await Task.sleep(for: .milliseconds(10))
        }
        return false
    }

    @Test func aFileWhoseJobAnotherRunHoldsWaitsForALaterPass() async throws {
        let folder = try TestFolder()
        try drop(folder, "a.yaml", id: "held-job", destinations: TestJob.destinations(3))
        try await withSimulator { simulator in
            let configuration = runnerConfiguration(sendingTo: simulator, state: folder.path("state"))
            // Another run of the same job id holds its lock while the pass reaches the file.
            let store = LedgerStore(directory: StateDirectory(path: folder.path("state")))
            let holder = try await store.beginRun(
                jobs: ["held-job"],
                sources: ["a.yaml"],
                rules: [:],
                command: "outdial run a.yaml"
            )
            let messages = MessageLog.keeping()
            let first = await Runner(configuration: configuration, messages: messages, logger: quietLogger())
                .spool(folder.path("drop"), settle: 5)

            #expect(first.files.map(\.movedTo) == [nil])
            #expect(FileManager.default.fileExists(atPath: folder.path("drop/processing/a.yaml")))
            #expect(!FileManager.default.fileExists(atPath: folder.path("drop/failed/a.yaml")))
            #expect(messages.lines.contains { $0.contains("its job is being run by another process") })
            #expect(simulator.requestLog().isEmpty)
            // The other run ends and lets the job go.
            await holder.finish()
            await store.close()
            // A later pass (the next cron minute) finds the file's lock free: wait for that moment
            // rather than race it (in a parallel test run a copy of the descriptor can outlive the
            // first pass briefly).
            #expect(await Self.lockBecomesFree(folder.path("drop/processing/a.yaml")))

            let second = await Runner(
                configuration: configuration,
                messages: MessageLog.keeping(),
                logger: quietLogger()
            )
            .spool(folder.path("drop"), settle: 5)
            #expect(second.files.map(\.movedTo) == ["done/a.yaml"])
            #expect(folder.lines("drop/done/a.yaml.results.ndjson").count == 3)
            #expect(simulator.requestLog().count == 3)
        }
    }

    @Test func oddNamesAndLinksAreReportedOnOneLineEach() async throws {
        let folder = try TestFolder()
        try drop(folder, "two\nlines.yaml", id: "odd-name", destinations: TestJob.destinations(1))
        let outside = try folder.write(
            "outside.yaml",
            TestJob.yaml(id: "outside", destinations: TestJob.destinations(1, first: 20))
        )
        try FileManager.default.createSymbolicLink(
            atPath: folder.path("drop/incoming/link.yaml"),
            withDestinationPath: outside
        )
        try await withSimulator { simulator in
            let messages = MessageLog.keeping()

            let outcome = await Runner(
                configuration: runnerConfiguration(sendingTo: simulator, state: folder.path("state")),
                messages: messages,
                logger: quietLogger()
            ).spool(folder.path("drop"), settle: 5)

            #expect(outcome.files.map(\.name) == ["two\nlines.yaml"])
            // The spool's own lines. (The job's `window: off` warning names its file as the path is
            // spelt, newline and all, as every file:line:col diagnostic does.)
            #expect(messages.lines.filter { $0.hasPrefix("outdial: spool: ") }.allSatisfy { !$0.contains("\n") })
            #expect(messages.lines.contains(#"outdial: spool: "two\nlines.yaml""#))
            #expect(messages.lines.contains { $0.hasPrefix(#"outdial: spool: "link.yaml" is not a regular file"#) })
            #expect(simulator.requestLog().compactMap(\.destination) == TestJob.destinations(1))
            #expect(FileManager.default.fileExists(atPath: outside))
        }
    }
}
