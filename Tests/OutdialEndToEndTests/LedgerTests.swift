import ConnectSimulator
import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// The ledger across processes (ledger.md): real runs of the built binary sharing one
/// `STATE/outdial.sqlite`, against the simulator.
///
/// The job files set no `limits:` (the key is not read by this version's job files): they run
/// under the default, `{max: 1, per: 24h}` per destination across all jobs, which is the rule
/// these tests are about.
@Suite struct LedgerTests {
    /// The line of each row, by row index; records an issue for a row with more than one.
    static func linesByRow(_ lines: [[String: Any]], rows: Int, file: String) -> [Int: [String: Any]] {
        var byRow: [Int: [String: Any]] = [:]
        for line in lines {
            guard let row = line.row else {
                Issue.record("\(file): a line without a row")
                continue
            }
            if byRow[row] != nil { Issue.record("\(file): row \(row) has more than one line") }
            byRow[row] = line
        }
        #expect(Set(byRow.keys) == Set(0 ..< rows), "\(file): not every row has its line")
        return byRow
    }

    /// After a run killed with `inFlight` requests and the same command run again (its lines
    /// `secondRun`): nobody was dialled twice, the rows in flight at the kill are uncertain and
    /// were not sent again, and every other row is started, by one run or the other.
    static func expectNobodyDialledTwice(
        secondRun: [[String: Any]],
        inFlight: [LedgerFile.Attempt],
        numbers: [String],
        simulator: RunningSimulator
    ) {
        let lines = linesByRow(secondRun, rows: numbers.count, file: "second run")
        #expect(simulator.dialledTwice().isEmpty)
        #expect(numbers.allSatisfy { simulator.newContacts(for: $0) <= 1 })
        let uncertain = Set(lines.values.filter { $0.status == "uncertain" }.compactMap(\.destination))
        #expect(uncertain == Set(inFlight.map(\.destination)))
        for line in lines.values where line.status != "uncertain" {
            #expect(
                line.status == "started" || (line.status == "skipped" && line.reason == "already-started"),
                "\(line)"
            )
            #expect(simulator.newContacts(for: line.destination ?? "") == 1)
        }
    }

    /// The results `a` and `b` of two jobs of 40 rows run at once, the last 20 numbers of `numbersA`
    /// being the first 20 of `numbersB`: every number was dialled exactly once across both, and a
    /// shared number is started by one job while the other's row is skipped for the limit.
    /// - Returns: each file's line by row.
    static func expectRaceStartedEachOnce(
        a: String,
        b: String,
        numbersA: [String],
        numbersB: [String],
        simulator: RunningSimulator
    ) throws -> (a: [Int: [String: Any]], b: [Int: [String: Any]]) {
        let linesA = linesByRow(resultLines(atPath: a), rows: 40, file: "a.ndjson")
        let linesB = linesByRow(resultLines(atPath: b), rows: 40, file: "b.ndjson")
        #expect(simulator.dialledTwice().isEmpty)
        for number in Set(numbersA + numbersB) {
            #expect(simulator.newContacts(for: number) == 1, "\(number)")
        }
        for shared in 20 ..< 40 {
            let pair = [try #require(linesA[shared]), try #require(linesB[shared - 20])]
            #expect(pair.filter { $0.status == "started" }.count == 1, "\(numbersA[shared])")
            let refused = try #require(pair.first { $0.status != "started" })
            #expect(refused.status == "skipped" && refused.reason == "limit", "\(refused)")
        }
        return (linesA, linesB)
    }

    @Test func twoJobsRacingForTheSameNumbersStartEachOnce() async throws {
        let dir = try TemporaryDirectory()
        // 40 rows each; numbers 20-39 are in both files.
        let numbersA = JobFile.destinations(40)
        let numbersB = JobFile.destinations(40, first: 20)
        let jobA = try dir.write("a.yaml", JobFile.yaml(id: "team-a", destinations: numbersA))
        let jobB = try dir.write("b.yaml", JobFile.yaml(id: "team-b", destinations: numbersB))
        let state = dir.path("state")

        try await withSimulator { simulator in
            func command(_ job: String, _ output: String) -> [String] {
                ["run", job, "--state-dir", state, "-o", dir.path(output), "--rate", "0", "--concurrency", "16"]
                    + simulator.endpointArguments
            }
            let a = try RunningProcess.outdial(
                command(jobA, "a.ndjson") + ["--summary", dir.path("a-summary.json")],
                environment: simulator.environment
            )
            let b = try RunningProcess.outdial(command(jobB, "b.ndjson"), environment: simulator.environment)
            let (resultA, resultB) = await (a.finish(), b.finish())
            #expect([0, 1].contains(resultA.status), "\(resultA.stderr)")
            #expect([0, 1].contains(resultB.status), "\(resultB.stderr)")

            let (linesA, linesB) = try Self.expectRaceStartedEachOnce(
                a: dir.path("a.ndjson"),
                b: dir.path("b.ndjson"),
                numbersA: numbersA,
                numbersB: numbersB,
                simulator: simulator
            )
            // The other's row is skipped for the limit, with when it is allowed again.
            for shared in 20 ..< 40 {
                let pair = [try #require(linesA[shared]), try #require(linesB[shared - 20])]
                let refused = try #require(pair.first { $0.status != "started" })
                #expect(refused.errorCode == "LimitReached")
                let next = try #require(refused["nextAllowedAt"] as? String)
                #expect(next.hasSuffix("Z") && next.count >= 20, "\(next)")
            }
            // The numbers only one job has are started by it.
            #expect((0 ..< 20).allSatisfy { linesA[$0]?.status == "started" })
            #expect((20 ..< 40).allSatisfy { linesB[$0]?.status == "started" })

            // The summary counts the ledger's work: one intent per row A started, in fewer commits.
            let data = try Data(contentsOf: URL(fileURLWithPath: dir.path("a-summary.json")))
            let summary = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
            let ledger = try #require(summary["ledger"] as? [String: Int])
            #expect(ledger["intents"] == linesA.values.filter { $0.status == "started" }.count)
            #expect((ledger["commits"] ?? 0) >= 1)
            #expect(summary["journal"] == nil)
        }
    }

    @Test func processesCreatingTheLedgerAtOnceAllRun() async throws {
        // Several runs of different jobs start on a state directory with no ledger yet: each
        // finds the store another is creating, not "an SQLite database that is not a ledger".
        let dir = try TemporaryDirectory()
        let state = dir.path("state")
        try await withSimulator { simulator in
            var runs: [RunningProcess] = []
            for index in 0 ..< 6 {
                let job = try dir.write(
                    "job-\(index).yaml",
                    JobFile.yaml(id: "first-\(index)", destinations: JobFile.destinations(2, first: index * 2))
                )
                runs.append(
                    try RunningProcess.outdial(
                        ["run", job, "--state-dir", state, "--rate", "0"] + simulator.endpointArguments,
                        environment: simulator.environment
                    )
                )
            }
            for run in runs {
                let result = await run.finish()
                #expect(result.status == 0, "\(result.stderr)")
                #expect(ndjson(result.stdout).map(\.status) == ["started", "started"])
            }
            #expect(simulator.requestLog().count == 12)
        }
    }

    @Test func aNumberSuppressedMidRunIsNotCalled() async throws {
        let dir = try TemporaryDirectory()
        let numbers = JobFile.destinations(10)
        let job = try dir.write("job.yaml", JobFile.yaml(id: "slow", destinations: numbers))
        let output = dir.path("results.ndjson")
        let state = dir.path("state")

        try await withSimulator(SimulatorConfiguration(latency: .fixed(milliseconds: 300))) { simulator in
            let run = try RunningProcess.outdial(
                ["run", job, "--state-dir", state, "-o", output, "--rate", "0", "--concurrency", "1"]
                    + simulator.endpointArguments,
                environment: simulator.environment
            )
            // Once the first row has its line, the last number goes on the suppression list from
            // another process (`outdial suppress add` is not in this version: the row it writes).
            #expect(await poll { lineCount(atPath: output) >= 1 })
            try await LedgerFile(state: state).suppress(numbers[9], reason: "asked to stop on the phone")
            let result = await run.finish()

            #expect(result.status == 1, "\(result.stderr)")
            let lines = Self.linesByRow(resultLines(atPath: output), rows: 10, file: "results")
            let last = try #require(lines[9])
            #expect(last.status == "skipped")
            #expect(last.reason == "suppressed")
            #expect(last.errorCode == "Suppressed")
            #expect((last.error?["message"] as? String)?.contains("asked to stop on the phone") == true)
            #expect((0 ..< 9).allSatisfy { lines[$0]?.status == "started" })
            #expect(simulator.newContacts(for: numbers[9]) == 0)
            #expect(simulator.requestLog().count == 9)
        }
    }

    @Test func killedRunThenTheSameCommandDialsNobodyTwice() async throws {
        let dir = try TemporaryDirectory()
        let numbers = JobFile.destinations(30)
        let job = try dir.write("job.yaml", JobFile.yaml(id: "killed", destinations: numbers))
        let output = dir.path("results.ndjson")
        let state = dir.path("state")

        try await withSimulator(SimulatorConfiguration(latency: .fixed(milliseconds: 200))) { simulator in
            let command =
                ["run", job, "--state-dir", state, "-o", output, "--concurrency", "4", "--rate", "0"]
                + simulator.endpointArguments
            let first = try RunningProcess.outdial(command, environment: simulator.environment)
            // Killed once 10 rows have their line and requests are in flight.
            let ledger = LedgerFile(state: state)
            let killedInFlight = await poll {
                guard lineCount(atPath: output) >= 10 else { return false }
                return await first.killIfWhileStopped { await ledger.inFlightCount() > 0 }
            }
            #expect(killedInFlight)
            #expect(await first.finish().status == 128 + SIGKILL)
            let firstCount = resultLines(atPath: output).count
            #expect(firstCount < 30, "the run ended before it was killed")
            let inFlight = try await ledger.attempts().filter { $0.status == 0 }
            #expect(!inFlight.isEmpty)

            let second = try await Outdial.run(command, environment: simulator.environment)
            #expect([0, 1].contains(second.status), "\(second.stderr)")
            Self.expectNobodyDialledTwice(
                secondRun: Array(resultLines(atPath: output).dropFirst(firstCount)),
                inFlight: inFlight,
                numbers: numbers,
                simulator: simulator
            )
            let attempts = try await ledger.attempts()
            #expect(Set(attempts.map(\.clientToken)).count == attempts.count)
        }
    }

    @Test func aDryRunShowsTheLedgersRefusalsAndRecordsNothing() async throws {
        // The ledger's rules are read while the job is planned; the dry run shows the same
        // refusals a run would meet: numbers 0-9 called an hour ago by another job, 10-14
        // suppressed (13 until 2099, 12 only until an hour ago), 15 called 25 hours ago, 16 failed.
        let dir = try TemporaryDirectory()
        let numbers = JobFile.destinations(40)
        let stateDir = dir.path("state")
        let state = ["--state-dir", stateDir]
        let job = try dir.write("job.yaml", JobFile.yaml(id: "dry", destinations: numbers))
        #expect(try await Outdial.run(["ledger", "migrate"] + state).status == 0)
        let now = Int(Date().timeIntervalSince1970 * 1000)
        let hour = 3_600_000
        try await LedgerStore.insert(
            (0 ..< 10).map {
                LedgerStore.Attempt("earlier", $0, numbers[$0], status: 1, at: now - hour, settledAfter: 900)
            }
                + [
                    LedgerStore.Attempt("earlier", 15, numbers[15], status: 1, at: now - 25 * hour, settledAfter: 900),
                    LedgerStore.Attempt("earlier", 16, numbers[16], status: 2, at: now - hour, settledAfter: 900),
                ],
            stateDirectory: stateDir
        )
        for index in [10, 11, 13, 14] {
            let until = index == 13 ? ["--until", "2099-06-01T00:00:00Z"] : []
            let add = try await Outdial.run(["suppress", "add", numbers[index], "--reason", "asked"] + until + state)
            #expect(add.status == 0, "\(add.stderr)")
        }
        _ = try await LedgerFile(state: stateDir).query(
            "INSERT INTO suppressions (number, reason, until_at, added_at) VALUES (?, 'asked', ?, ?)",
            [numbers[12], now - hour, now - 2 * hour]
        )
        let attemptsBefore = try await LedgerFile(state: stateDir).attempts().count

        let result = try await Outdial.run(["run", job, "--dry-run"] + state)
        #expect(result.status == 1, "\(result.stderr)")
        let lines = Self.linesByRow(ndjson(result.stdout), rows: 40, file: "dry run")
        for index in 0 ..< 40 {
            let line = lines[index]
            switch index {
            case 0 ..< 10:
                #expect(line?.reason == "limit", "row \(index)")
                #expect(line?["nextAllowedAt"] is String)
            case 10, 11, 13, 14:
                #expect(line?.reason == "suppressed", "row \(index)")
                #expect((line?.error?["message"] as? String) == "\(numbers[index]) is on the suppression list: asked")
            default:
                #expect(line?.reason != "limit" && line?.reason != "suppressed", "row \(index)")
            }
        }
        #expect(try await LedgerFile(state: stateDir).attempts().count == attemptsBefore)
    }

    @Test func aReplayOfAnotherJobIsHeldToTheLimit() async throws {
        let dir = try TemporaryDirectory()
        let number = JobFile.destinations(1, first: 7)
        let state = dir.path("state")
        let jobB = try dir.write("b.yaml", JobFile.yaml(id: "job-b", destinations: number))
        let jobA = try dir.write("a.yaml", JobFile.yaml(id: "job-a", destinations: number))
        let failed = dir.path("b-failed.ndjson")

        // Job B fails to reach the number (a failure does not count toward the limits).
        try await withSimulator(SimulatorConfiguration(faults: .init(errorRate: 1), seed: 3)) { simulator in
            let result = try await Outdial.run(
                ["run", jobB, "--state-dir", state, "-o", failed, "--rate", "0", "--max-attempts", "1"]
                    + simulator.endpointArguments,
                environment: simulator.environment
            )
            #expect(result.status == 1)
        }
        #expect(resultLines(atPath: failed).map(\.status) == ["failed"])

        try await withSimulator { simulator in
            // Job A then starts it.
            let a = try await Outdial.run(
                ["run", jobA, "--state-dir", state, "--rate", "0"] + simulator.endpointArguments,
                environment: simulator.environment
            )
            #expect(a.status == 0, "\(a.stderr)")
            #expect(ndjson(a.stdout).map(\.status) == ["started"])

            // B's failed row replayed within 24 h: the limit holds it back.
            let replay = try await Outdial.run(
                ["replay", failed, "--state-dir", state, "--rate", "0", "--window", "off"]
                    + simulator.endpointArguments,
                environment: simulator.environment
            )
            #expect(replay.status == 1, "\(replay.stderr)")
            let lines = ndjson(replay.stdout)
            #expect(lines.count == 1)
            #expect(lines.first?["job"] as? String == "job-b")
            #expect(lines.first?.status == "skipped")
            #expect(lines.first?.reason == "limit")
            #expect(lines.first?["nextAllowedAt"] is String)
            #expect(simulator.newContacts(for: number[0]) == 1)
            #expect(simulator.requestLog().count == 1)
        }
    }

    @Test func aSecondRunOfARunningJobIsRefusedAndADeadHoldersJobIsTakenOver() async throws {
        let dir = try TemporaryDirectory()
        try await Self.expectSecondRunRefused(store: ["--state-dir", dir.path("state")], in: dir)
    }

    /// A run of a job while another process runs it is refused at once; once the holder is killed,
    /// the next run takes the job over and dials nobody twice. The ledger is `store` (its options).
    static func expectSecondRunRefused(
        store: [String],
        environment: [String: String] = [:],
        in dir: TemporaryDirectory
    ) async throws {
        let job = try dir.write("job.yaml", JobFile.yaml(id: "locked-job", destinations: JobFile.destinations(60)))
        let output = dir.path("results.ndjson")

        try await withSimulator(SimulatorConfiguration(latency: .fixed(milliseconds: 200))) { simulator in
            let environment = simulator.environment.merging(environment) { $1 }
            let command = ["run", job] + store + ["--concurrency", "1", "--rate", "0"] + simulator.endpointArguments
            let first = try RunningProcess.outdial(command + ["-o", output], environment: environment)
            #expect(await poll { lineCount(atPath: output) >= 1 })

            let second = try await Outdial.run(command, environment: environment)

            #expect(second.status == 2)
            #expect(second.stdout.isEmpty)
            #expect(second.stderr.contains("job locked-job is already running (pid \(first.pid) "))
            #expect(second.stderr.contains("refusing to run it twice at once"))
            // The second run did not wait for the first (which needs 60 rows one at a time at 200 ms,
            // and is killed below): the first is still running when the second has ended.
            #expect(first.process.isRunning, "the second run waited for the first")

            first.send(SIGKILL)
            _ = await first.finish()
            let sentByFirst = Set(simulator.requestLog().compactMap(\.destination))
            // Only the first run sent anything, and nobody was dialled twice.
            #expect(simulator.dialledTwice().isEmpty)
            #expect(simulator.requestLog().count == sentByFirst.count)

            // The dead holder's job is taken over by the next run.
            let third = try await Outdial.run(command + ["--concurrency", "20"], environment: environment)
            #expect(third.status != 2, "\(third.stderr)")
            let lines = linesByRow(ndjson(third.stdout), rows: 60, file: "third run")
            #expect(simulator.dialledTwice().isEmpty)
            for line in lines.values where sentByFirst.contains(line.destination ?? "") {
                #expect(line.status == "uncertain" || line.reason == "already-started", "\(line)")
            }
        }
    }
}
