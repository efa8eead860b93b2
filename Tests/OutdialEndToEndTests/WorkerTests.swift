import ConnectSimulator
import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// One job run by several worker processes through one ledger (`--worker`; ledger.md, "Many
/// machines"): real processes of the built binary against the simulator. Every row is settled
/// once, nobody is dialled twice, the account's rate is shared, and a worker killed mid-run leaves
/// its rows to the others. On SQLite here (one machine); `PostgresLedgerTests+Workers.swift` runs
/// the same on PostgreSQL.
@Suite struct WorkerTests {
    /// What several workers of one job came to.
    struct Outcome {
        /// Each worker's exit status and result lines, in the order they were started.
        var workers: [(status: Int32, lines: [[String: Any]])]
        /// `outdial ledger results JOB`.
        var results: [[String: Any]]

        /// Every worker's lines together.
        var allLines: [[String: Any]] { workers.flatMap(\.lines) }
    }

    /// The keys of rows that have more than one line in `lines`.
    static func rowsTwice(_ lines: [[String: Any]]) -> [String] {
        var counts: [String: Int] = [:]
        for line in lines {
            counts["\(line["source"] ?? ""):\(line["row"] ?? "")", default: 0] += 1
        }
        return counts.filter { $0.value > 1 }.keys.sorted()
    }

    /// Starts `count` workers of `job` recording in `state`, with `arguments` more; `during` runs
    /// while they do (given the workers and their results files), then they are waited for and
    /// the whole job's results read from the store.
    static func workers(
        _ count: Int,
        job: String,
        jobId: String,
        state: [String],
        arguments: [String],
        environment: [String: String],
        in dir: TemporaryDirectory,
        during: ([RunningProcess], [String]) async throws -> Void = { _, _ in }
    ) async throws -> Outcome {
        let outputs = (0 ..< count).map { dir.path("worker-\($0).ndjson") }
        let processes = try outputs.map { output in
            try RunningProcess.outdial(
                ["run", job, "--worker", "-o", output] + state + arguments,
                environment: environment
            )
        }
        try await during(processes, outputs)
        var workers: [(status: Int32, lines: [[String: Any]])] = []
        for (process, output) in zip(processes, outputs) {
            let result = await process.finish()
            workers.append((result.status, resultLines(atPath: output)))
        }
        let results = try await Outdial.run(["ledger", "results", jobId] + state, environment: environment)
        #expect(results.status == 0, "\(results.stderr)")
        return Outcome(workers: workers, results: ndjson(results.stdout))
    }

    /// Three workers of a 300-row job with `--rate 20` against a simulator that allows 20 a
    /// second: together they keep to the quota, and every row is started once.
    ///
    /// The simulator's bucket holds 40 (the workers' holds 20), so that requests bunched on their way
    /// by a loaded machine (up to a second's worth) are not throttled, while workers that did not
    /// share the rate (60 a second together) would be, well over a hundred times.
    static func expectThreeWorkersShareTheJobAndTheRate(state: [String], environment: [String: String]) async throws {
        let dir = try TemporaryDirectory()
        let numbers = JobFile.destinations(300, first: 1000)
        let job = try dir.write("job.yaml", JobFile.yaml(id: "shared-job", destinations: numbers))
        try await withSimulator(SimulatorConfiguration(rateLimit: .init(tps: 20, burst: 40))) { simulator in
            let outcome = try await workers(
                3,
                job: job,
                jobId: "shared-job",
                state: state,
                arguments: ["--rate", "20", "--burst", "20", "--no-follow", "--max-active-calls", "0", "--lease", "10"]
                    + simulator.endpointArguments,
                environment: simulator.environment.merging(environment) { $1 },
                in: dir
            )
            for worker in outcome.workers { #expect(worker.status == 0) }
            // Each row has exactly one line, in the file of the worker that settled it.
            let lines = outcome.allLines
            #expect(lines.count == 300)
            #expect(rowsTwice(lines).isEmpty)
            #expect(lines.allSatisfy { $0.status == "started" })
            #expect(outcome.workers.filter { !$0.lines.isEmpty }.count >= 2, "one worker did everything")
            // The store has the whole job, row by row, as the workers wrote it.
            #expect(outcome.results.count == 300)
            #expect(outcome.results.map { $0["row"] as? Int } == (0 ..< 300).map { $0 })
            let contacts = Set(lines.compactMap { $0["contactId"] as? String })
            #expect(Set(outcome.results.compactMap { $0["contactId"] as? String }) == contacts)

            let log = simulator.requestLog()
            #expect(log.filter(\.newContact).count == 300)
            #expect(simulator.dialledTwice().isEmpty)
            // None is throttled unless the machine holds requests back for more than a second; a
            // throttled request is sent again. Unshared rates would be throttled over 100 times.
            let throttled = log.filter { $0.status == 429 }.count
            #expect(throttled <= 10, "\(throttled) throttled answers")
            #expect(lines.compactMap { $0.attempts }.reduce(0, +) >= 300 + throttled)
        }
    }

    @Test func threeWorkersShareOneJobAndTheAccountsRate() async throws {
        let dir = try TemporaryDirectory()
        try await Self.expectThreeWorkersShareTheJobAndTheRate(
            state: ["--state-dir", dir.path("state")],
            environment: [:]
        )
    }

    /// A worker killed with requests in flight: the others take its rows over once its lease has
    /// run out; its requests in flight are `uncertain` (in the results of the worker that took
    /// them, and in the store), and nobody is dialled twice.
    static func expectAKilledWorkersRowsGoToTheOthers(
        state: [String],
        environment: [String: String],
        inFlight: @escaping @Sendable (_ sql: String) async -> Int
    ) async throws {
        let dir = try TemporaryDirectory()
        let numbers = JobFile.destinations(150, first: 2000)
        let job = try dir.write("job.yaml", JobFile.yaml(id: "killed-worker", destinations: numbers))
        try await withSimulator(SimulatorConfiguration(latency: .fixed(milliseconds: 300))) { simulator in
            let outcome = try await workers(
                3,
                job: job,
                jobId: "killed-worker",
                state: state,
                arguments: [
                    "--rate", "0", "--concurrency", "2", "--no-follow", "--max-active-calls", "0", "--lease", "4",
                ]
                    + simulator.endpointArguments,
                environment: simulator.environment.merging(environment) { $1 },
                in: dir
            ) { processes, outputs in
                // Requests of the first worker's rows whose intent is committed and whose outcome is not.
                let sql = """
                    SELECT count(*) FROM attempts a JOIN job_rows r ON r.job_id = a.job_id AND r.client_token = a.client_token
                    WHERE a.status = 0 AND r.worker LIKE '%:\(processes[0].pid):%'
                    """
                let killed = await poll {
                    guard lineCount(atPath: outputs[0]) >= 3 else { return false }
                    return await processes[0].killIfWhileStopped { await inFlight(sql) > 0 }
                }
                #expect(killed, "the first worker was not caught with a request in flight")
            }
            #expect(outcome.workers[0].status == 128 + SIGKILL)
            #expect(outcome.workers[1].status == 0 || outcome.workers[1].status == 1)
            #expect(outcome.workers[2].status == 0 || outcome.workers[2].status == 1)
            // The store has every row once, settled: started, or uncertain for the requests the
            // killed worker had in flight.
            let results = outcome.results
            #expect(results.count == 150)
            #expect(rowsTwice(results).isEmpty)
            #expect(results.allSatisfy { ["started", "uncertain", "skipped"].contains($0.status) })
            let uncertain = results.filter { $0.status == "uncertain" }
            #expect(!uncertain.isEmpty)
            // A contact the killed worker started whose line it wrote but could not yet record is
            // `skipped: already-started` (with its contactId) in the store.
            #expect(results.filter { $0.status == "skipped" }.allSatisfy { $0.reason == "already-started" })
            // The survivors wrote the uncertain lines (the killed worker never learned of them).
            let survivors = outcome.workers.dropFirst().flatMap(\.lines)
            #expect(survivors.filter { $0.status == "uncertain" }.count == uncertain.count)
            #expect(outcome.workers[0].lines.allSatisfy { $0.status == "started" })
            // Every row is in one worker's results; one in two only when the killed worker wrote
            // it as started and a survivor as already started, with the same contact.
            let byRow = Dictionary(grouping: outcome.allLines) { "\($0["source"] ?? ""):\($0["row"] ?? "")" }
            #expect(byRow.count == 150)
            for (row, lines) in byRow where lines.count > 1 {
                let contacts = Set(lines.compactMap { $0["contactId"] as? String })
                #expect(lines.count == 2 && contacts.count == 1, "\(row): \(lines)")
            }

            #expect(simulator.dialledTwice().isEmpty)
            // A request in flight may not have reached the simulator when the worker died.
            let contacts = simulator.requestLog().filter(\.newContact).count
            #expect(contacts <= 150 && contacts >= 150 - uncertain.count, "\(contacts) contacts")
        }
    }

    @Test func aKilledWorkersRowsGoToTheOthers() async throws {
        let dir = try TemporaryDirectory()
        let ledger = LedgerFile(state: dir.path("state"))
        try await Self.expectAKilledWorkersRowsGoToTheOthers(
            state: ["--state-dir", dir.path("state")],
            environment: [:],
            inFlight: { sql in ((try? await ledger.query(sql))?.first?.first as? Int) ?? 0 }
        )
    }

    /// `outdial stop` reaches every worker of a job through the store: none starts a row after it.
    @Test func stopReachesEveryWorker() async throws {
        let dir = try TemporaryDirectory()
        let job = try dir.write(
            "job.yaml",
            JobFile.yaml(id: "stop-workers", destinations: JobFile.destinations(60, first: 4000))
        )
        let state = ["--state-dir", dir.path("state")]
        try await withSimulator { simulator in
            var stop: Outdial.Result?
            let outcome = try await Self.workers(
                2,
                job: job,
                jobId: "stop-workers",
                state: state,
                arguments: ["--rate", "4", "--burst", "1", "--no-follow", "--max-active-calls", "0"]
                    + simulator.endpointArguments,
                environment: simulator.environment,
                in: dir
            ) { _, outputs in
                #expect(await poll { outputs.map { lineCount(atPath: $0) }.reduce(0, +) >= 4 })
                stop = try await Outdial.run(
                    ["stop", "stop-workers", "--reason", "wrong list"] + state + simulator.endpointArguments,
                    environment: simulator.environment
                )
            }
            #expect(stop?.status == 0, "\(stop?.stderr ?? "")")
            for worker in outcome.workers { #expect([0, 1].contains(worker.status)) }
            let started = outcome.results.filter { $0.status == "started" }
            #expect(started.count < 60)
            // Rows a worker held are `skipped: stopped`; rows none had claimed yet are not sent.
            #expect(outcome.results.allSatisfy { ["started", "skipped", "pending"].contains($0.status) })
            #expect(outcome.results.filter { $0.status == "skipped" }.allSatisfy { $0.reason == "stopped" })
            #expect(outcome.results.count == 60)
            #expect(outcome.allLines.filter { $0.reason == "stopped" }.count >= 1)
            // Nothing started after the stop: every contact is a started row of the store.
            #expect(simulator.requestLog().filter(\.newContact).count == started.count)
            #expect(simulator.dialledTwice().isEmpty)
        }
    }

    /// A run of the job that is not a worker is refused while workers run it, and a worker is
    /// refused while such a run holds the job: one job, one way of running it at a time.
    @Test func workersAndARunOfTheirOwnDoNotMix() async throws {
        let dir = try TemporaryDirectory()
        let job = try dir.write("job.yaml", JobFile.yaml(id: "one-way", destinations: JobFile.destinations(20)))
        let state = ["--state-dir", dir.path("state")]
        try await withSimulator(SimulatorConfiguration(latency: .fixed(milliseconds: 300))) { simulator in
            let common =
                ["--rate", "0", "--concurrency", "1", "--no-follow", "--max-active-calls", "0"]
                + simulator.endpointArguments
            let worker = try RunningProcess.outdial(
                ["run", job, "--worker", "-o", dir.path("worker.ndjson")] + state + common,
                environment: simulator.environment
            )
            #expect(await poll { lineCount(atPath: dir.path("worker.ndjson")) >= 1 })
            let alone = try await Outdial.run(["run", job] + state + common, environment: simulator.environment)
            #expect(alone.status == 2, "\(alone.stderr)")
            #expect(alone.stderr.contains("1 worker (--worker)"), "\(alone.stderr)")
            #expect(alone.stdout.isEmpty)
            let finished = await worker.finish()
            #expect(finished.status == 0, "\(finished.stderr)")
            #expect(resultLines(atPath: dir.path("worker.ndjson")).count == 20)

            let job2 = try dir.write(
                "job2.yaml",
                JobFile.yaml(id: "one-way-2", destinations: JobFile.destinations(20, first: 100))
            )
            let run = try RunningProcess.outdial(
                ["run", job2, "-o", dir.path("run.ndjson")] + state + common,
                environment: simulator.environment
            )
            #expect(await poll { lineCount(atPath: dir.path("run.ndjson")) >= 1 })
            let joining = try await Outdial.run(
                ["run", job2, "--worker"] + state + common,
                environment: simulator.environment
            )
            #expect(joining.status == 2, "\(joining.stderr)")
            #expect(await run.finish().status == 0)
            #expect(simulator.dialledTwice().isEmpty)
        }
    }
}
