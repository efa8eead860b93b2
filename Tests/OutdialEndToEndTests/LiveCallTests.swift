import ConnectSimulator
import Foundation
import Testing

/// Live calls through the built binary against the simulator: pacing by live calls, outcomes,
/// and `outdial stop`. Calls are short (rings half a second, answered calls last one second).
@Suite struct LiveCallTests {
    static func simulator(
        maxActiveCalls: Int? = nil,
        callSeconds: Double = 1,
        outcomes: SimulatorConfiguration.OutcomeMix = .allAnswered,
        seed: UInt64? = 7
    ) -> SimulatorConfiguration {
        SimulatorConfiguration(
            maxActiveCalls: maxActiveCalls,
            callSeconds: callSeconds,
            ringSeconds: .fixed(0.5),
            outcomes: outcomes,
            seed: seed
        )
    }

    /// The issue's own figures: 60 rows at `--rate 10` on an instance allowing 5 concurrent calls of
    /// 3 seconds. The rate alone would have 30 calls live at once.
    @Test func maxActiveCallsKeepsTheBatchUnderTheInstancesQuota() async throws {
        let dir = try TemporaryDirectory()
        try await withSimulator(Self.simulator(maxActiveCalls: 5, callSeconds: 3)) { simulator in
            let paced = try dir.write("paced.yaml", JobFile.yaml(id: "paced", destinations: JobFile.destinations(60)))
            let result = try await Outdial.run(
                ["run", paced, "--state-dir", dir.path("state"), "--rate", "10", "--max-active-calls", "5", "--follow"]
                    + simulator.endpointArguments,
                environment: simulator.environment
            )
            #expect(result.status == 0, "\(result.stderr)")
            let lines = ndjson(result.stdout)
            #expect(lines.count == 60)
            #expect(lines.allSatisfy { $0.status == "started" && $0["outcome"] as? String == "answered" })
            let pacedEnded = simulator.endedContacts()
            #expect(pacedEnded.count == 60)
            #expect(pacedEnded.filter { $0.outcome == .busy }.isEmpty)
            #expect(result.stderr.contains("calls: 60 answered"))

            // The same batch paced by the API rate only: the instance's quota is passed.
            let unpaced = try dir.write(
                "unpaced.yaml",
                JobFile.yaml(id: "unpaced", destinations: JobFile.destinations(60, first: 100))
            )
            let fast = try await Outdial.run(
                [
                    "run", unpaced, "--state-dir", dir.path("state"), "--rate", "10", "--max-active-calls", "0",
                    "--follow",
                ]
                    + simulator.endpointArguments,
                environment: simulator.environment
            )
            let busy = ndjson(fast.stdout).filter { $0["outcome"] as? String == "busy" }
            #expect(busy.count > 30, "\(fast.stderr)")
            #expect(simulator.endedContacts().filter { $0.outcome == .busy }.count == busy.count)
        }
    }

    @Test func outcomesInTheResultsAreTheOnesTheCallsEndedWith() async throws {
        let dir = try TemporaryDirectory()
        let mix = try SimulatorConfiguration.OutcomeMix(
            parsing: "answered=0.25,no-answer=0.25,busy=0.25,voicemail=0.25"
        )
        try await withSimulator(Self.simulator(outcomes: mix)) { simulator in
            // Campaign calls with answering-machine detection: Connect tells voicemail from a person
            // only for those.
            let job = try dir.write(
                "job.yaml",
                JobFile.yaml(
                    id: "outcomes",
                    destinations: JobFile.destinations(24),
                    // Unanswered calls ring for the shortest timeout Connect allows.
                    rowExtra: "    TrafficType: CAMPAIGN\n"
                        + "    AnswerMachineDetectionConfig: {EnableAnswerMachineDetection: true}\n"
                        + "    RingTimeoutInSeconds: 15\n"
                )
            )
            let result = try await Outdial.run(
                ["run", job, "--state-dir", dir.path("state"), "--rate", "0", "--follow", "--max-active-calls", "0"]
                    + simulator.endpointArguments,
                environment: simulator.environment
            )
            let lines = ndjson(result.stdout)
            #expect(lines.count == 24, "\(result.stderr)")
            let drawn = Dictionary(simulator.endedContacts().map { ($0.contactId, $0.outcome.rawValue) }) { a, _ in a }
            for line in lines {
                let contactId = try #require(line["contactId"] as? String)
                #expect(line["outcome"] as? String == drawn[contactId])
                #expect((line["call"] as? [String: Any])?["endedAt"] != nil)
            }
            #expect(
                Set(lines.compactMap { $0["outcome"] as? String }) == ["answered", "no-answer", "busy", "voicemail"]
            )
        }
    }

    @Test func stopEndsTheLiveCallsAndTheRowsNotStarted() async throws {
        let dir = try TemporaryDirectory()
        try await withSimulator(Self.simulator(callSeconds: 60)) { simulator in
            let job = try dir.write("job.yaml", JobFile.yaml(id: "to-stop", destinations: JobFile.destinations(10)))
            let run = try RunningProcess.outdial(
                [
                    "run", job, "--state-dir", dir.path("state"), "--rate", "1", "--burst", "1", "--follow",
                    "--max-active-calls", "0", "-o", dir.path("results.ndjson"),
                ]
                    + simulator.endpointArguments,
                environment: simulator.environment
            )
            #expect(await poll { simulator.requestLog().filter(\.newContact).count >= 3 })
            let stop = try await Outdial.run(
                ["stop", "to-stop", "--state-dir", dir.path("state"), "--reason", "wrong list"]
                    + simulator.endpointArguments,
                environment: simulator.environment
            )
            let result = await run.finish()

            #expect(stop.status == 0, "\(stop.stderr)")
            let touched = ndjson(stop.stdout)
            let started = simulator.requestLog().filter(\.newContact).count
            #expect(touched.count == started)
            // The run ends its own calls when it sees the stop: the command finds some ended.
            #expect(touched.allSatisfy { ["stopped", "ended"].contains($0.status) })
            #expect(simulator.endedContacts().filter { $0.stoppedBy == "StopContact" }.count == started)

            #expect(result.status == 1, "\(result.stderr)")
            let lines = resultLines(atPath: dir.path("results.ndjson"))
            #expect(lines.count == 10)
            #expect(lines.filter { $0.status == "started" }.count == started)
            #expect(lines.filter { $0.reason == "stopped" }.count == 10 - started)
            #expect(result.stderr.contains("stopped by outdial stop (wrong list)"))
        }
    }

    @Test func replayByOutcomeCallsTheUnansweredRowsAgainAsNewAttempts() async throws {
        let dir = try TemporaryDirectory()
        let mix = try SimulatorConfiguration.OutcomeMix(parsing: "answered=0.5,no-answer=0.5")
        try await withSimulator(Self.simulator(outcomes: mix)) { simulator in
            let state = ["--state-dir", dir.path("state")]
            // The ledger's limits apply to a new attempt: allow three calls a day.
            _ = try await Outdial.run(["ledger", "config", "--limits", "3/24h"] + state)
            // Unanswered calls ring for the shortest timeout Connect allows.
            let job = try dir.write(
                "job.yaml",
                JobFile.yaml(
                    id: "again",
                    destinations: JobFile.destinations(10),
                    rowExtra: "    RingTimeoutInSeconds: 15\n"
                )
            )
            let results = dir.path("results.ndjson")
            let first = try await Outdial.run(
                ["run", job, "--rate", "0", "--follow", "--max-active-calls", "0", "-o", results] + state
                    + simulator.endpointArguments,
                environment: simulator.environment
            )
            let lines = resultLines(atPath: results)
            #expect(lines.count == 10, "\(first.stderr)")
            let unanswered = lines.filter { $0["outcome"] as? String == "no-answer" }
            #expect(!unanswered.isEmpty && unanswered.count < 10)

            let replay = try await Outdial.run(
                ["replay", results, "--outcome", "no-answer", "--rate", "0", "--window", "off"] + state
                    + simulator.endpointArguments,
                environment: simulator.environment
            )
            #expect(replay.status == 0 || replay.status == 1, "\(replay.stderr)")
            let again = ndjson(replay.stdout)
            #expect(Set(again.compactMap(\.destination)) == Set(unanswered.compactMap(\.destination)))
            #expect(again.allSatisfy { $0.status == "started" && $0["attempt"] as? Int == 2 })
            let firstTokens = Set(unanswered.compactMap { $0["clientToken"] as? String })
            #expect(again.allSatisfy { !firstTokens.contains($0["clientToken"] as? String ?? "") })
            for line in unanswered {
                #expect(simulator.newContacts(for: line.destination ?? "") == 2)
            }
        }
    }

    @Test func agentPacingLeavesNobodyWaitingForAnAgent() async throws {
        let dir = try TemporaryDirectory()
        var configuration = Self.simulator(callSeconds: 2)
        configuration.agents = ["q1": 3]
        try await withSimulator(configuration) { simulator in
            let queued = "    QueueId: q1\n"
            let paced = try dir.write(
                "paced.yaml",
                JobFile.yaml(id: "agents-paced", destinations: JobFile.destinations(12), rowExtra: queued)
            )
            let result = try await Outdial.run(
                [
                    "run", paced, "--state-dir", dir.path("state"), "--rate", "0", "--max-active-calls", "0",
                    "--pace", "agents", "--follow",
                ] + simulator.endpointArguments,
                environment: simulator.environment
            )
            #expect(ndjson(result.stdout).filter { $0.status == "started" }.count == 12, "\(result.stderr)")
            #expect(simulator.endedContacts().filter { $0.outcome == .abandoned }.isEmpty)

            let unpaced = try dir.write(
                "unpaced.yaml",
                JobFile.yaml(id: "agents-unpaced", destinations: JobFile.destinations(12, first: 50), rowExtra: queued)
            )
            _ = try await Outdial.run(
                [
                    "run", unpaced, "--state-dir", dir.path("state"), "--rate", "0", "--max-active-calls", "0",
                    "--follow",
                ]
                    + simulator.endpointArguments,
                environment: simulator.environment
            )
            #expect(!simulator.endedContacts().filter { $0.outcome == .abandoned }.isEmpty)
        }
    }

    @Test func outcomesAsksConnectHowTheCallsOfEarlierResultsEnded() async throws {
        let dir = try TemporaryDirectory()
        let mix = try SimulatorConfiguration.OutcomeMix(parsing: "answered=0.5,busy=0.5")
        try await withSimulator(Self.simulator(outcomes: mix)) { simulator in
            let state = ["--state-dir", dir.path("state")]
            let job = try dir.write("job.yaml", JobFile.yaml(id: "later", destinations: JobFile.destinations(8)))
            let results = dir.path("results.ndjson")
            // Written when Connect accepts each request: no outcome yet.
            _ = try await Outdial.run(
                ["run", job, "--rate", "0", "--no-follow", "--max-active-calls", "0", "-o", results] + state
                    + simulator.endpointArguments,
                environment: simulator.environment
            )
            #expect(await poll { simulator.endedContacts().count == 8 })
            let enriched = try await Outdial.run(
                ["outcomes", results] + state + simulator.endpointArguments,
                environment: simulator.environment
            )
            #expect(enriched.status == 0, "\(enriched.stderr)")
            let lines = ndjson(enriched.stdout)
            let before = resultLines(atPath: results)
            #expect(lines.count == 8)
            let drawn = Dictionary(simulator.endedContacts().map { ($0.contactId, $0.outcome.rawValue) }) { a, _ in a }
            for (line, old) in zip(lines, before) {
                #expect(line["contactId"] as? String == old["contactId"] as? String)
                #expect(line["outcome"] as? String == drawn[line["contactId"] as? String ?? ""])
            }
        }
    }
}
