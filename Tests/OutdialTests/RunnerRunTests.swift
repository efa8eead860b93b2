import ConnectSimulator
import Foundation
import Outdial
import OutdialClient
import OutdialCore
import Testing

/// `Runner.run` against the real simulator on a free port.
@Suite struct RunnerRunTests {
    @Test func theSimulateOptionSendsEveryRowAndWritesPrivateFiles() async throws {
        let folder = try TestFolder()
        let job = try folder.write("job.yaml", TestJob.yaml(id: "simulated", destinations: TestJob.destinations(3)))
        var configuration = Runner.Configuration()
        configuration.simulate = true
        configuration.state.directory = folder.path("state")
        configuration.output = .init(
            results: folder.path("results.ndjson"),
            summary: folder.path("summary.json"),
            progress: false
        )
        configuration.pacing.rate = 0
        let messages = MessageLog.keeping()

        let outcome = await Runner(configuration: configuration, messages: messages, logger: quietLogger())
            .run(JobList(paths: [job]))

        #expect(outcome.exitCode == 0)
        #expect(outcome.processExitCode == 0)
        #expect(outcome.summary.counts[.started] == 3)
        #expect(folder.lines("results.ndjson").map { $0["status"] as? String } == ["started", "started", "started"])
        #expect(
            messages.lines.contains { $0.hasPrefix("outdial: sending to the built-in simulator at http://127.0.0.1:") }
        )
        for name in ["results.ndjson", "summary.json"] {
            let attributes = try FileManager.default.attributesOfItem(atPath: folder.path(name))
            #expect((attributes[.posixPermissions] as? Int) == 0o600, "\(name)")
        }
        let summary = try JSONSerialization.jsonObject(
            with: Data(contentsOf: URL(fileURLWithPath: folder.path("summary.json")))
        )
        #expect((summary as? [String: Any])?["rows"] as? Int == 3)
    }

    @Test func resultsAndSummaryMayNotBeTheSameFile() async throws {
        let folder = try TestFolder()
        let job = try folder.write("job.yaml", TestJob.yaml(id: "same-file", destinations: TestJob.destinations(2)))
        try await withSimulator { simulator in
            let outcome = await run(job, results: "r", in: folder, against: simulator, messages: .keeping()) {
                configuration in
                configuration.output.summary = folder.path("r")
            }

            #expect(outcome.exitCode == 2)
            #expect(outcome.text.hasPrefix("outdial: nothing was sent: -o "))
            #expect(outcome.text.contains("are the same file"))
            #expect(simulator.requestLog().isEmpty)
            #expect(!FileManager.default.fileExists(atPath: folder.path("r")))
        }
    }

    @Test func aDeadlineAlreadyPastIsWarnedAboutOnce() async throws {
        let folder = try TestFolder()
        let job = try folder.write("job.yaml", TestJob.yaml(id: "late", destinations: TestJob.destinations(3)))
        try await withSimulator { simulator in
            let messages = MessageLog.keeping()
            let outcome = await run(job, results: "r.ndjson", in: folder, against: simulator, messages: messages) {
                configuration in
                configuration.deadline = Date().addingTimeInterval(-60)
            }

            #expect(messages.lines.filter { $0.contains("--deadline") && $0.contains("has already passed") }.count == 1)
            #expect(outcome.summary.skipped[.deadline] == 3)
            #expect(simulator.requestLog().isEmpty)
        }
    }

    @Test func strictRefusesOneInvalidRowInSingular() async throws {
        let folder = try TestFolder()
        let job = try folder.write("job.yaml", TestJob.yaml(id: "strict", destinations: ["+15551230001", "555"]))
        var configuration = Runner.Configuration()
        configuration.planning.strict = true
        configuration.output.results = folder.path("r.ndjson")

        let outcome = await Runner(configuration: configuration, messages: .keeping(), logger: quietLogger())
            .run(JobList(paths: [job]))

        #expect(outcome.exitCode == 2)
        #expect(outcome.text == "outdial: nothing was sent: --strict and 1 row is invalid\n")
        #expect(folder.read("r.ndjson").isEmpty)
    }

    @Test func anInterruptedRunStillWritesEveryLineAndExits1() async throws {
        let folder = try TestFolder()
        let job = try folder.write("job.yaml", TestJob.yaml(id: "stopped", destinations: TestJob.destinations(4)))
        try await withSimulator { simulator in
            let interrupt = InterruptSignal()
            interrupt.trigger(name: "SIGTERM")
            let outcome = await run(
                job,
                results: "r.ndjson",
                in: folder,
                against: simulator,
                messages: .keeping(),
                interrupt: interrupt
            )

            #expect(outcome.interrupted)
            #expect(outcome.processExitCode == 1)
            let lines = folder.lines("r.ndjson")
            #expect(lines.count == 4)
            #expect(lines.allSatisfy { $0["reason"] as? String == "interrupted" })
            #expect(simulator.requestLog().isEmpty)
        }
    }

    @Test func oneRowIsCountedInSingular() async throws {
        let folder = try TestFolder()
        let job = try folder.write("job.yaml", TestJob.yaml(id: "single", destinations: TestJob.destinations(1)))
        try await withSimulator { simulator in
            let outcome = await run(job, results: "r.ndjson", in: folder, against: simulator, messages: .keeping())

            #expect(outcome.text.hasPrefix("outdial: 1 row in "))
            #expect(outcome.text.contains("outdial: 1 request, "))
        }
    }

    /// Runs `job` against `simulator`, the journal in `folder/state`, results in `folder/results`,
    /// after `adjust` changes the configuration.
    private func run(
        _ job: String,
        results: String,
        in folder: TestFolder,
        against simulator: RunningSimulator,
        messages: MessageLog,
        interrupt: InterruptSignal = InterruptSignal(),
        adjust: (inout Runner.Configuration) -> Void = { _ in }
    ) async -> RunOutcome {
        var configuration = runnerConfiguration(
            sendingTo: simulator,
            state: folder.path("state"),
            results: folder.path(results)
        )
        adjust(&configuration)
        return await Runner(configuration: configuration, messages: messages, logger: quietLogger())
            .run(JobList(paths: [job]), interrupt: interrupt)
    }
}
