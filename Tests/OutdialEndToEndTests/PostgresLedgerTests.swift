import ConnectSimulator
import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// The ledger on PostgreSQL (ledger.md, "Many machines"): real runs of the built binary sharing
/// one database of a throw-away cluster, against the simulator. The same guarantees as the
/// SQLite store: a number two processes race for is started once, a suppression added mid-run
/// holds, `kill -9` then the same command dials nobody twice; and a store that cannot be
/// reached or refuses the password stops the run before anything is sent, never showing the
/// password.
@Suite(
    .serialized,
    .enabled(if: PostgresServer.unavailable == nil, Comment(rawValue: PostgresServer.unavailable ?? ""))
)
struct PostgresLedgerTests {
    /// A new database of the shared cluster.
    static func ledger() async throws -> PostgresLedger {
        let server = try await PostgresServer.shared()
        return PostgresLedger(server: server, database: try await server.createDatabase())
    }

    @Test func runsOnOneDatabaseShareTheAccountsRate() async throws {
        // As on SQLite (RateQuotaTests): one account's key shares --rate 5 through the store.
        let (first, second) = (try await Self.ledger(), try await Self.ledger())
        let shared = try await RateQuotaTests.twoRunsAtOnce(
            keys: ("account", "account"),
            state: first.url,
            environment: first.server.environment
        )
        let apart = try await RateQuotaTests.twoRunsAtOnce(
            keys: ("team-a", "team-b"),
            state: second.url,
            environment: second.server.environment
        )
        #expect(shared >= 11.5, "shared: \(shared) s, apart: \(apart) s")
        #expect(apart + 2 < shared, "shared: \(shared) s, apart: \(apart) s")
    }

    @Test func twoProcessesRacingForTheSameNumbersStartEachOnce() async throws {
        let ledger = try await Self.ledger()
        let dir = try TemporaryDirectory()
        let numbersA = JobFile.destinations(40)
        let numbersB = JobFile.destinations(40, first: 20)
        let jobA = try dir.write(
            "a.yaml",
            JobFile.yaml(id: "team-a", destinations: numbersA, header: "limits:\n  - {max: 1, per: 24h}\n")
        )
        let jobB = try dir.write(
            "b.yaml",
            JobFile.yaml(id: "team-b", destinations: numbersB, header: "limits:\n  - {max: 1, per: 24h}\n")
        )
        try await withSimulator { simulator in
            let environment = simulator.environment.merging(ledger.server.environment) { $1 }
            func command(_ job: String, _ output: String) -> [String] {
                ["run", job, "--state", ledger.url, "-o", dir.path(output), "--rate", "0", "--concurrency", "16"]
                    + simulator.endpointArguments
            }
            let a = try RunningProcess.outdial(command(jobA, "a.ndjson"), environment: environment)
            let b = try RunningProcess.outdial(command(jobB, "b.ndjson"), environment: environment)
            let (resultA, resultB) = await (a.finish(), b.finish())
            #expect([0, 1].contains(resultA.status), "\(resultA.stderr)")
            #expect([0, 1].contains(resultB.status), "\(resultB.stderr)")

            try LedgerTests.expectRaceStartedEachOnce(
                a: dir.path("a.ndjson"),
                b: dir.path("b.ndjson"),
                numbersA: numbersA,
                numbersB: numbersB,
                simulator: simulator
            )
            // The store holds one started attempt per number.
            let started = try await ledger.attempts().filter { $0.status == 1 }
            #expect(started.count == 60)
            #expect(Set(started.map(\.destination)).count == 60)
        }
    }

    @Test func aNumberSuppressedMidRunIsNotCalled() async throws {
        let ledger = try await Self.ledger()
        let dir = try TemporaryDirectory()
        let numbers = JobFile.destinations(10, first: 100)
        let job = try dir.write("job.yaml", JobFile.yaml(id: "slow", destinations: numbers))
        let output = dir.path("results.ndjson")
        try await withSimulator(SimulatorConfiguration(latency: .fixed(milliseconds: 300))) { simulator in
            let environment = simulator.environment.merging(ledger.server.environment) { $1 }
            let run = try RunningProcess.outdial(
                ["run", job, "--state", ledger.url, "-o", output, "--rate", "0", "--concurrency", "1"]
                    + simulator.endpointArguments,
                environment: environment
            )
            #expect(await poll { lineCount(atPath: output) >= 1 })
            // Another process puts the last number on the list, through the store.
            let added = try await Outdial.run(
                ["suppress", "add", numbers[9], "--reason", "asked to stop on the phone", "--state", ledger.url],
                environment: ledger.server.environment
            )
            #expect(added.status == 0, "\(added.stderr)")
            let result = await run.finish()

            #expect(result.status == 1, "\(result.stderr)")
            let lines = LedgerTests.linesByRow(resultLines(atPath: output), rows: 10, file: "results")
            let last = try #require(lines[9])
            #expect(last.status == "skipped" && last.reason == "suppressed", "\(last)")
            #expect((last.error?["message"] as? String)?.contains("asked to stop on the phone") == true)
            #expect((0 ..< 9).allSatisfy { lines[$0]?.status == "started" })
            #expect(simulator.newContacts(for: numbers[9]) == 0)
            #expect(simulator.requestLog().count == 9)
        }
    }

    @Test func killedRunThenTheSameCommandDialsNobodyTwice() async throws {
        let ledger = try await Self.ledger()
        let dir = try TemporaryDirectory()
        let numbers = JobFile.destinations(30, first: 200)
        let job = try dir.write("job.yaml", JobFile.yaml(id: "killed", destinations: numbers))
        let output = dir.path("results.ndjson")
        try await withSimulator(SimulatorConfiguration(latency: .fixed(milliseconds: 200))) { simulator in
            let environment = simulator.environment.merging(ledger.server.environment) { $1 }
            let command =
                ["run", job, "--state", ledger.url, "-o", output, "--concurrency", "4", "--rate", "0"]
                + simulator.endpointArguments
            let first = try RunningProcess.outdial(command, environment: environment)
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

            // The killed process's connection is gone with it: its job lock and transaction too.
            let second = try await Outdial.run(command, environment: environment)
            #expect([0, 1].contains(second.status), "\(second.stderr)")
            LedgerTests.expectNobodyDialledTwice(
                secondRun: Array(resultLines(atPath: output).dropFirst(firstCount)),
                inFlight: inFlight,
                numbers: numbers,
                simulator: simulator
            )
        }
    }

    @Test func aSecondRunOfARunningJobIsRefusedAndADeadHoldersJobIsTakenOver() async throws {
        let ledger = try await Self.ledger()
        let dir = try TemporaryDirectory()
        try await LedgerTests.expectSecondRunRefused(
            store: ["--state", ledger.url],
            environment: ledger.server.environment,
            in: dir
        )
    }

    @Test func theSchemaIsCreatedByMigrateAndTheLedgerCommandsReadIt() async throws {
        let ledger = try await Self.ledger()
        let environment = ledger.server.environment
        // A dry run on a database outdial has not used creates nothing.
        let dir = try TemporaryDirectory()
        let job = try dir.write("dry.yaml", JobFile.yaml(id: "dry", destinations: JobFile.destinations(2, first: 400)))
        let dry = try await Outdial.run(["run", job, "--dry-run", "--state", ledger.url], environment: environment)
        #expect(dry.status == 0, "\(dry.stderr)")
        // Nor do `stop` and `outcomes`: no run is known there.
        let stop = try await Outdial.run(["stop", "dry", "--state", ledger.url], environment: environment)
        #expect(stop.status == 3, "\(stop.stderr)")
        #expect(stop.stderr.contains("no ledger"), "\(stop.stderr)")
        let results = try dir.write("results.ndjson", "")
        let outcomes = try await Outdial.run(["outcomes", results, "--state", ledger.url], environment: environment)
        #expect(outcomes.status == 3, "\(outcomes.stderr)")
        let tables = try await ledger.server.query(
            "SELECT count(*) FROM pg_catalog.pg_tables WHERE schemaname = 'public'",
            database: ledger.database
        )
        #expect(tables == [["0"]])
        let migrated = try await Outdial.run(["ledger", "migrate", "--state", ledger.url], environment: environment)
        #expect(migrated.status == 0, "\(migrated.stderr)")
        let named = "postgres://outdial@127.0.0.1:\(ledger.server.port)/\(ledger.database)"
        #expect(migrated.stdout == "migrated the ledger \(named) from schema version 0 to 4\n")
        let again = try await Outdial.run(["ledger", "migrate", "--state", ledger.url], environment: environment)
        #expect(again.stdout == "the ledger \(named) is up to date (schema version 4)\n", "\(again.stderr)")
        let version = try await ledger.server.query(
            "SELECT value FROM ledger_meta WHERE key = 'schema_version'",
            database: ledger.database
        )
        #expect(version == [["4"]])
        // Times are BIGINT (milliseconds do not fit PostgreSQL's INTEGER).
        let types = try await ledger.server.query(
            "SELECT data_type FROM information_schema.columns WHERE table_name = 'attempts' AND column_name = 'intent_at'",
            database: ledger.database
        )
        #expect(types == [["bigint"]])

        // OUTDIAL_STATE_URL names the store as --state does.
        let byVariable = environment.merging(["OUTDIAL_STATE_URL": ledger.url]) { $1 }
        let add = try await Outdial.run(
            ["suppress", "add", "+15551230001", "--reason", "asked"],
            environment: byVariable
        )
        #expect(add.status == 0, "\(add.stderr)")
        let list = try await Outdial.run(["suppress", "list", "--state", ledger.url], environment: environment)
        #expect(list.status == 0, "\(list.stderr)")
        #expect(list.stdout.contains("+15551230001") && list.stdout.contains("asked"), "\(list.stdout)")
        let jobs = try await Outdial.run(["ledger", "jobs", "--state", ledger.url], environment: environment)
        #expect(jobs.status == 0, "\(jobs.stderr)")
    }

    @Test func thePasswordIsNeverPrintedNotEvenWithDebug() async throws {
        let ledger = try await Self.ledger()
        let dir = try TemporaryDirectory()
        let job = try dir.write(
            "job.yaml",
            JobFile.yaml(id: "quiet", destinations: JobFile.destinations(3, first: 300))
        )
        try await withSimulator { simulator in
            let environment = simulator.environment.merging(ledger.server.environment) { $1 }
            let good = try await Outdial.run(
                ["run", job, "--state", ledger.url, "--rate", "0", "--debug"] + simulator.endpointArguments,
                environment: environment
            )
            #expect(good.status == 0, "\(good.stderr)")
            #expect(ndjson(good.stdout).map(\.status) == ["started", "started", "started"])
            #expect(!good.stdout.contains(ledger.server.password) && !good.stderr.contains(ledger.server.password))

            // A wrong password: refused before anything is sent, and neither password is shown.
            let wrong = "wrong-" + UUID().uuidString
            let refused = try await Outdial.run(
                ["run", job, "--state", ledger.url, "--rate", "0", "--debug"] + simulator.endpointArguments,
                environment: simulator.environment.merging(["PGPASSWORD": wrong]) { $1 }
            )
            #expect(refused.status == 3, "\(refused.stderr)")
            #expect(refused.stderr.contains("127.0.0.1:\(ledger.server.port)/\(ledger.database)"), "\(refused.stderr)")
            #expect(refused.stderr.contains("password authentication failed"), "\(refused.stderr)")
            for text in [refused.stdout, refused.stderr] {
                #expect(!text.contains(wrong) && !text.contains(ledger.server.password))
            }
            #expect(simulator.requestLog().count == 3)
        }
    }

    @Test func aPasswordInTheURLIsRefusedWithoutBeingRepeated() async throws {
        let dir = try TemporaryDirectory()
        let url = "postgres://outdial:s3cret-in-url@127.0.0.1:5432/outdial"
        let result = try await LedgerFaultTests.expectHalted(
            state: url,
            named: "PGPASSWORD",
            code: "LedgerUnusable",
            in: dir
        )
        #expect(result.stderr.contains("~/.pgpass"), "\(result.stderr)")
        #expect(!result.stderr.contains("s3cret-in-url") && !result.stdout.contains("s3cret-in-url"))
        let migrate = try await Outdial.run(["ledger", "migrate", "--state", url])
        #expect(migrate.status == 3)
        #expect(!migrate.stderr.contains("s3cret-in-url"), "\(migrate.stderr)")
    }

    @Test func aServerThatIsDownOrADatabaseThatIsMissingStopsTheRunBeforeAnythingIsSent() async throws {
        let server = try await PostgresServer.shared()
        let dir = try TemporaryDirectory()
        // Nothing listens on this port.
        let down =
            "postgres://outdial@127.0.0.1:\(try PostgresServer.freePort())/outdial?sslmode=disable&connect_timeout=5"
        try await LedgerFaultTests.expectHalted(
            state: down,
            named: "127.0.0.1:",
            code: "LedgerUnusable",
            environment: server.environment,
            in: dir
        )
        let missing = try await LedgerFaultTests.expectHalted(
            state: server.url("no_such_database"),
            named: "127.0.0.1:\(server.port)/no_such_database",
            code: "LedgerUnusable",
            environment: server.environment,
            in: dir
        )
        #expect(missing.stderr.contains("does not exist"), "\(missing.stderr)")
        // A malformed URL.
        let bad = try await LedgerFaultTests.expectHalted(
            state: "postgres://outdial@127.0.0.1:99999/outdial",
            named: "the port must be a number from 1 to 65535",
            code: "LedgerUnusable",
            in: dir
        )
        #expect(bad.stderr.contains("postgres://user@host:port/database"))
    }

    @Test func thePasswordFileIsReadOnlyWhenOnlyItsOwnerCanReadIt() async throws {
        let ledger = try await Self.ledger()
        let home = try TemporaryDirectory()
        let file = home.path(".pgpass")
        try "# test cluster\n127.0.0.1:\(ledger.server.port):*:outdial:\(ledger.server.password)\n".write(
            toFile: file,
            atomically: false,
            encoding: .utf8
        )
        chmod(file, 0o644)
        let environment = ["HOME": home.url.path, "PGPASSWORD": ""]
        let exposed = try await Outdial.run(["ledger", "migrate", "--state", ledger.url], environment: environment)
        #expect(exposed.status == 3, "\(exposed.stderr)")
        #expect(exposed.stderr.contains("has group or world access"), "\(exposed.stderr)")
        #expect(!exposed.stderr.contains(ledger.server.password))
        chmod(file, 0o600)
        let owned = try await Outdial.run(["ledger", "migrate", "--state", ledger.url], environment: environment)
        #expect(owned.status == 0, "\(owned.stderr)")
        #expect(owned.stderr.isEmpty, "\(owned.stderr)")
    }

    @Test func tlsIsUsedAsSslmodeSays() async throws {
        let ledger = try await Self.ledger()
        let certificate = try #require(ledger.server.certificate, "openssl could not make the server's certificate")
        let environment = ledger.server.environment
        func migrate(_ parameters: String) async throws -> Outdial.Result {
            try await Outdial.run(
                ["ledger", "migrate", "--state", ledger.server.url(ledger.database, parameters)],
                environment: environment
            )
        }
        // The server's certificate checked against the authority named, host name included.
        let verified = try await migrate("sslmode=verify-full&sslrootcert=\(certificate)")
        #expect(verified.status == 0, "\(verified.stderr)")
        let required = try await migrate("sslmode=require")
        #expect(required.status == 0, "\(required.stderr)")
        // The system's authorities do not know it: refused before anything is stored.
        let untrusted = try await migrate("sslmode=verify-full&sslrootcert=system")
        #expect(untrusted.status == 3, "\(untrusted.stderr)")
        #expect(untrusted.stderr.contains("127.0.0.1:\(ledger.server.port)/\(ledger.database)"), "\(untrusted.stderr)")
        #expect(untrusted.stderr.contains("TLS"), "\(untrusted.stderr)")
    }
}
