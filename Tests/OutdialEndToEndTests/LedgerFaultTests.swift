import ConnectSimulator
import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// A ledger that cannot be used stops the run before anything is sent (exit 3), with a message
/// naming it, and every row still gets its line (`skipped: halted`).
@Suite struct LedgerFaultTests {
    static let needsMount: Comment = "this process may not mount a tmpfs (needs root or CAP_SYS_ADMIN)"

    /// Runs a job of `rows` rows with the ledger in `state`; checks exit 3, a message naming
    /// `named`, every row `skipped: halted` with `code`, and nothing sent.
    @discardableResult
    static func expectHalted(
        state: String,
        named: String,
        code: String,
        rows: Int = 3,
        environment: [String: String] = [:],
        in dir: TemporaryDirectory
    ) async throws -> Outdial.Result {
        let job = try dir.write(
            "halted-\(UUID().uuidString.prefix(8)).yaml",
            JobFile.yaml(id: "halted", destinations: JobFile.destinations(rows, first: 500))
        )
        return try await withSimulator { simulator in
            let result = try await Outdial.run(
                ["run", job, "--state-dir", state, "--rate", "0"] + simulator.endpointArguments,
                environment: simulator.environment.merging(environment) { $1 }
            )
            #expect(result.status == 3, "\(result.stderr)")
            #expect(result.stderr.contains(named), "\(result.stderr)")
            let lines = ndjson(result.stdout)
            #expect(lines.count == rows)
            #expect(Set(lines.compactMap(\.row)) == Set(0 ..< rows))
            #expect(lines.allSatisfy { $0.status == "skipped" && $0.reason == "halted" })
            #expect(lines.allSatisfy { $0.errorCode == code }, "\(lines.map(\.errorCode))")
            #expect(simulator.requestLog().isEmpty)
            return result
        }
    }

    /// Runs one row in `state`, so that its ledger exists.
    static func createLedger(state: String, in dir: TemporaryDirectory) async throws {
        let job = try dir.write("first.yaml", JobFile.yaml(id: "first", destinations: JobFile.destinations(1)))
        try await withSimulator { simulator in
            let result = try await Outdial.run(
                ["run", job, "--state-dir", state, "--rate", "0"] + simulator.endpointArguments,
                environment: simulator.environment
            )
            #expect(result.status == 0, "\(result.stderr)")
        }
    }

    @Test func aFileThatIsNotADatabaseIsLeftAlone() async throws {
        let dir = try TemporaryDirectory()
        let state = dir.path("state")
        try FileManager.default.createDirectory(
            atPath: state,
            withIntermediateDirectories: false,
            attributes: [.posixPermissions: 0o700]
        )
        let ledger = LedgerFile(state: state)
        try "these are someone's notes, not a ledger\n".write(toFile: ledger.path, atomically: false, encoding: .utf8)

        let result = try await Self.expectHalted(state: state, named: ledger.path, code: "LedgerUnusable", in: dir)
        #expect(result.stderr.contains("the ledger \(ledger.path) is not usable"))
        #expect(
            try String(contentsOfFile: ledger.path, encoding: .utf8) == "these are someone's notes, not a ledger\n"
        )
    }

    @Test func aLedgerOfANewerVersionIsNotTouched() async throws {
        let dir = try TemporaryDirectory()
        let state = dir.path("state")
        try await Self.createLedger(state: state, in: dir)
        let ledger = LedgerFile(state: state)
        _ = try await ledger.query("UPDATE ledger_meta SET value = '99' WHERE key = 'schema_version'")

        let result = try await Self.expectHalted(state: state, named: ledger.path, code: "LedgerTooNew", in: dir)
        #expect(result.stderr.contains("has schema version 99, written by a newer outdial"))
        #expect(
            try await ledger.query("SELECT value FROM ledger_meta WHERE key = 'schema_version'").first?.first as? String
                == "99"
        )
        #expect(try await ledger.attempts().count == 1)
    }

    @Test(.enabled(if: TemporaryMount.isPermitted, Self.needsMount)) func aReadOnlyStateStopsTheRun() async throws {
        let dir = try TemporaryDirectory()
        let mount = try #require(TemporaryMount.tmpfs(in: dir, size: "1m"))
        defer { mount.unmount() }
        let state = mount.path + "/state"
        try await Self.createLedger(state: state, in: dir)
        #expect(mount.remountReadOnly())

        // The state directory is checked before the ledger is opened: the message names it.
        let result = try await Self.expectHalted(
            state: state,
            named: "state directory \(state) is not usable: Read-only file system",
            code: "StateDirectoryUnusable",
            in: dir
        )
        #expect(result.stderr.contains("outdial: aborted: StateDirectoryUnusable: "))
    }

    @Test(.enabled(if: TemporaryMount.isPermitted, Self.needsMount))
    func aFullDiskStopsStartingRowsAndNoRequestLeavesWithoutItsIntent() async throws {
        let dir = try TemporaryDirectory()
        let mount = try #require(TemporaryMount.tmpfs(in: dir, size: "256k"))
        defer { mount.unmount() }
        let state = mount.path + "/state"
        let ledger = LedgerFile(state: state)
        let rows = 400
        let job = try dir.write("job.yaml", JobFile.yaml(id: "full", destinations: JobFile.destinations(rows)))

        try await withSimulator { simulator in
            let result = try await Outdial.run(
                ["run", job, "--state-dir", state, "--rate", "0", "--concurrency", "4"]
                    + simulator.endpointArguments,
                environment: simulator.environment
            )
            // The ledger filled the disk mid-run: the run stopped starting rows.
            #expect(result.status == 3, "\(result.stderr)")
            #expect(
                result.stderr.contains("cannot write the ledger \(ledger.path): the disk is full"),
                "\(result.stderr)"
            )
            let lines = ndjson(result.stdout)
            #expect(lines.count == rows)
            #expect(Set(lines.compactMap(\.row)) == Set(0 ..< rows))
            let halted = lines.filter { $0.reason == "halted" }
            #expect(!halted.isEmpty)
            // (Rows not started after a mid-run abort carry no error of their own: the summary says why.)
            #expect(result.stderr.contains("outdial: aborted: LedgerWriteFailed: "), "\(result.stderr)")
            #expect(lines.allSatisfy { ["started", "skipped", "uncertain"].contains($0.status ?? "") })

            // Every request that left had its intent committed first.
            let recorded = Set(try await ledger.attempts().map(\.clientToken))
            let sent = Set(simulator.requestLog().compactMap(\.token))
            #expect(sent.isSubset(of: recorded), "\(sent.subtracting(recorded).count) requests without an intent")
            let started = Set(lines.filter { $0.status == "started" }.compactMap { $0["clientToken"] as? String })
            #expect(started.isSubset(of: recorded))
            #expect(sent.count < rows)
        }
    }

    @Test func aLedgerLockedByAnotherProcessStopsTheRunAfterTheBusyTimeout() async throws {
        let dir = try TemporaryDirectory()
        let state = dir.path("state")
        try await Self.createLedger(state: state, in: dir)
        let ledger = LedgerFile(state: state)
        let holder = try await LedgerLockHolder.hold(ledger)

        let result = try await Self.expectHalted(
            state: state,
            named: ledger.path,
            code: "LedgerBusy",
            environment: ["OUTDIAL_LEDGER_BUSY_TIMEOUT": "1"],
            in: dir
        )
        #expect(result.stderr.contains("stayed locked by another process for 1 s"))
        await holder.release()
        #expect(try await ledger.attempts().count == 1)
    }
}
