import ConnectSimulator
import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Workers of one job on PostgreSQL, as on several machines: the same guarantees as on SQLite
/// (`WorkerTests`), and a database that goes away mid-run and comes back. In the serialized
/// PostgreSQL suite: the outage stops the cluster the other tests use.
extension PostgresLedgerTests {
    @Test func threeWorkersOnOneDatabaseShareTheJobAndTheAccountsRate() async throws {
        let ledger = try await Self.ledger()
        try await WorkerTests.expectThreeWorkersShareTheJobAndTheRate(
            state: ["--state", ledger.url],
            environment: ledger.server.environment
        )
    }

    @Test func aKilledWorkersRowsGoToTheOtherWorkers() async throws {
        let ledger = try await Self.ledger()
        try await WorkerTests.expectAKilledWorkersRowsGoToTheOthers(
            state: ["--state", ledger.url],
            environment: ledger.server.environment,
            inFlight: { await ledger.inFlightCount() }
        )
    }

    /// The database stops for 10 s while three workers run, then comes back: the workers stop
    /// starting rows; the same command run again finishes the job. No row is lost (the store has
    /// every row once, settled), and nobody is dialled twice.
    @Test func aDatabaseOutageLosesNoRowAndDialsNobodyTwice() async throws {
        let ledger = try await Self.ledger()
        let dir = try TemporaryDirectory()
        let numbers = JobFile.destinations(150, first: 3000)
        let job = try dir.write("job.yaml", JobFile.yaml(id: "outage", destinations: numbers))
        try await withSimulator(SimulatorConfiguration(latency: .fixed(milliseconds: 100))) { simulator in
            let environment = simulator.environment.merging(ledger.server.environment) { $1 }
            let arguments =
                ["--rate", "10", "--burst", "2", "--no-follow", "--max-active-calls", "0", "--lease", "3"]
                + simulator.endpointArguments
            let first = try await WorkerTests.workers(
                3,
                job: job,
                jobId: "outage",
                state: ["--state", ledger.url],
                arguments: arguments,
                environment: environment,
                in: dir
            ) { _, outputs in
                #expect(await poll { outputs.map { lineCount(atPath: $0) }.reduce(0, +) >= 20 })
                try ledger.server.stop()
                // The outage: the workers' connections are gone, nothing answers on the port.
                try await Task.sleep(for: .seconds(10))
                try ledger.server.start()
            }
            // Each worker stopped starting rows when it could not record an intent (exit 3), or
            // finished its rows.
            for worker in first.workers { #expect([0, 1, 3].contains(worker.status), "\(worker.status)") }
            let sentBefore = simulator.requestLog().filter(\.newContact).count
            #expect(sentBefore < 150, "the job ended before the outage")

            // The same command again, on one machine now: it takes over what the three left.
            let again = try await Outdial.run(
                ["run", job, "--worker", "--state", ledger.url, "-o", dir.path("again.ndjson")] + arguments,
                environment: environment
            )
            #expect([0, 1].contains(again.status), "\(again.stderr)")
            let results = try await Outdial.run(
                ["ledger", "results", "outage", "--state", ledger.url],
                environment: environment
            )
            let lines = ndjson(results.stdout)
            #expect(lines.count == 150)
            #expect(WorkerTests.rowsTwice(lines).isEmpty)
            #expect(
                !lines.contains { $0.status == "pending" },
                "rows were left unsettled: \(lines.filter { $0.status == "pending" }.prefix(3)) \(again.stderr)"
            )
            #expect(lines.allSatisfy { ["started", "uncertain", "skipped"].contains($0.status) })
            #expect(simulator.dialledTwice().isEmpty)
            // Every row reached Connect once, but for requests whose outcome the outage hid.
            let uncertain = lines.filter { $0.status == "uncertain" }.count
            let contacts = simulator.requestLog().filter(\.newContact).count
            #expect(contacts <= 150 && contacts >= 150 - uncertain, "\(contacts) contacts, \(uncertain) uncertain")
        }
    }
}
