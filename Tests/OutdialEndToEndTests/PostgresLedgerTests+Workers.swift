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
            inFlight: { sql in
                let rows = try? await ledger.server.query(sql, database: ledger.database)
                return rows?.first?.first.flatMap { Int($0) } ?? 0
            }
        )
    }

    /// The database stops for 10 s while three workers run, then comes back: the workers wait
    /// for it (their leases, 30 s, outlast the outage), connect again and finish the job. No row
    /// is lost (the store has every row once, settled), and nobody is dialled twice.
    @Test func aDatabaseOutageLosesNoRowAndDialsNobodyTwice() async throws {
        let ledger = try await Self.ledger()
        let dir = try TemporaryDirectory()
        let numbers = JobFile.destinations(150, first: 3000)
        let job = try dir.write("job.yaml", JobFile.yaml(id: "outage", destinations: numbers))
        try await withSimulator(SimulatorConfiguration(latency: .fixed(milliseconds: 100))) { simulator in
            let environment = simulator.environment.merging(ledger.server.environment) { $1 }
            var linesAtOutage = 0
            let outcome = try await WorkerTests.workers(
                3,
                job: job,
                jobId: "outage",
                state: ["--state", ledger.url],
                arguments: ["--rate", "10", "--burst", "2", "--no-follow", "--max-active-calls", "0", "--lease", "30"]
                    + simulator.endpointArguments,
                environment: environment,
                in: dir
            ) { _, outputs in
                #expect(await poll { outputs.map { lineCount(atPath: $0) }.reduce(0, +) >= 20 })
                // pg_ctl is waited for on a thread of its own, never on the concurrency pool (the
                // other tests' simulators run there).
                let server = ledger.server
                try await Outdial.onThread { Result { try server.stop() } }.get()
                linesAtOutage = outputs.map { lineCount(atPath: $0) }.reduce(0, +)
                // The outage: the workers' connections are gone, nothing answers on the port.
                try await Task.sleep(for: .seconds(10))
                try await Outdial.onThread { Result { try server.start() } }.get()
            }
            #expect(linesAtOutage < 150, "the job ended before the outage")
            for worker in outcome.workers { #expect([0, 1].contains(worker.status), "\(worker.status)") }
            let lines = outcome.results
            #expect(lines.count == 150)
            #expect(WorkerTests.rowsTwice(lines).isEmpty)
            #expect(!lines.contains { $0.status == "pending" }, "rows were left unsettled")
            // Started; uncertain for a request whose intent's commit the outage hid; already
            // started for a row whose call was recorded but whose line was not.
            let unexpected = lines.filter {
                !["started", "uncertain"].contains($0.status) && $0.reason != "already-started"
            }
            #expect(unexpected.isEmpty, "\(unexpected.prefix(2))")
            #expect(simulator.dialledTwice().isEmpty)
            let uncertain = lines.filter { $0.status == "uncertain" }.count
            let contacts = simulator.requestLog().filter(\.newContact).count
            #expect(contacts <= 150 && contacts >= 150 - uncertain, "\(contacts) contacts, \(uncertain) uncertain")
        }
    }
}
