import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// `outdial suppress …` and `outdial ledger …`, as a user runs them.
@Suite struct LedgerCommandTests {
    @Test func suppressAddListRemove() async throws {
        let dir = try TemporaryDirectory()
        let state = ["--state-dir", dir.path("state")]
        let add = try await Outdial.run(
            ["suppress", "add", "+1 (555) 123-0001", "--reason", "asked to stop", "--until", "2099-06-01T00:00:00Z"]
                + state
        )
        #expect(add.status == 0, "\(add.stderr)")
        #expect(add.stdout == "+15551230001 suppressed until 2099-06-01T00:00:00.000Z\n")
        #expect(try await Outdial.run(["suppress", "add", "+15551230002"] + state).status == 0)

        let list = try await Outdial.run(["suppress", "list", "--json"] + state)
        #expect(list.status == 0)
        let entries = ndjson(list.stdout)
        #expect(entries.map { $0["number"] as? String } == ["+15551230001", "+15551230002"])
        #expect(entries.first?["reason"] as? String == "asked to stop")
        #expect(entries.first?["until"] as? String == "2099-06-01T00:00:00.000Z")
        #expect(entries.first?["expired"] as? Bool == false)
        #expect(entries.last?["reason"] is NSNull)

        let table = try await Outdial.run(["suppress", "list"] + state)
        #expect(table.lines.first?.split(separator: " ") == ["NUMBER", "REASON", "UNTIL", "ADDED"])
        #expect(
            table.lines.dropFirst().first?.hasPrefix("+15551230001  asked to stop  2099-06-01T00:00:00.000Z  ") == true
        )

        let remove = try await Outdial.run(["suppress", "remove", "+15551230001"] + state)
        #expect(remove.status == 0)
        #expect(remove.stdout == "removed +15551230001 from the suppression list\n")
        let again = try await Outdial.run(["suppress", "remove", "+15551230001"] + state)
        #expect(again.status == 1)
        #expect(again.stderr == "outdial: +15551230001 is not on the suppression list\n")
        #expect(ndjson(try await Outdial.run(["suppress", "list", "--json"] + state).stdout).count == 1)
    }

    @Test func aNumberWithoutCountryCodeIsRefused() async throws {
        let dir = try TemporaryDirectory()
        let result = try await Outdial.run(["suppress", "add", "(555) 123-0001", "--state-dir", dir.path("state")])
        #expect(result.status == 2)
        #expect(
            result.stderr
                == "outdial: error: number: found \"(555) 123-0001\"; expected an E.164 number: +, country code and "
                + "number, 2 to 15 digits (spaces, -, ., ( and ) are ignored; no country code is assumed)\n"
        )
        let badDate = try await Outdial.run(
            ["suppress", "add", "+15551230001", "--until", "1 June", "--state-dir", dir.path("state")]
        )
        #expect(badDate.status == 2)
        #expect(badDate.stderr.contains("--until 1 June: expected YYYY-MM-DD (local time) or an RFC 3339 time"))
        let past = try await Outdial.run(
            ["suppress", "add", "+15551230001", "--until", "2020-01-01", "--state-dir", dir.path("state")]
        )
        #expect(past.status == 2)
        #expect(past.stderr.contains("--until 2020-01-01 has passed"))
        let history = try await Outdial.run(["ledger", "history", "555 123 0001", "--state-dir", dir.path("state")])
        #expect(history.status == 2)
        #expect(history.stderr.hasPrefix("outdial: error: number: found \"555 123 0001\"; expected an E.164 number"))
        #expect(!FileManager.default.fileExists(atPath: dir.path("state/outdial.sqlite")), "nothing was created")
    }

    @Test func importWithABadLineImportsNothing() async throws {
        let dir = try TemporaryDirectory()
        let state = ["--state-dir", dir.path("state")]
        let csv = try dir.write(
            "optouts.csv",
            "name,phone,reason\n\"Doe, Jane\",+15551230001,\"said \"\"stop\"\"\"\nRoe,   555-0102,\n"
        )
        let bad = try await Outdial.run(["suppress", "import", csv] + state)
        #expect(bad.status == 2)
        #expect(
            bad.stderr.hasPrefix(
                "\(csv):3:8: error: phone: found \"555-0102\"; expected an E.164 number"
            ),
            "\(bad.stderr)"
        )
        #expect(bad.stderr.contains("outdial: error: \(csv) has 1 bad line; nothing was imported"))
        #expect(try await Outdial.run(["suppress", "list", "--json"] + state).stdout.isEmpty)

        try dir.write(
            "optouts.csv",
            "name,phone,reason\n\"Doe, Jane\",+15551230001,\"said \"\"stop\"\"\"\nRoe,+1 555 0102,\n"
        )
        let good = try await Outdial.run(["suppress", "import", csv, "--reason", "crm"] + state)
        #expect(good.status == 0, "\(good.stderr)")
        #expect(good.stdout == "2 numbers imported from \(csv): 2 new, 0 already listed\n")
        let entries = ndjson(try await Outdial.run(["suppress", "list", "--json"] + state).stdout)
        #expect(entries.map { $0["number"] as? String } == ["+15550102", "+15551230001"])
        #expect(entries.map { $0["reason"] as? String } == ["crm", "said \"stop\""])

        let txt = try dir.write("more.txt", "# one a line\n+15551230003\n\n+15551230001\n")
        let text = try await Outdial.run(["suppress", "import", txt] + state)
        #expect(text.stdout == "2 numbers imported from \(txt): 1 new, 1 already listed\n")
    }

    @Test func configSetsAndPrintsTheDefaults() async throws {
        let dir = try TemporaryDirectory()
        let state = ["--state-dir", dir.path("state")]
        let shown = try await Outdial.run(["ledger", "config"] + state)
        #expect(shown.status == 0)
        #expect(
            shown.stdout == "limits: {max: 1, per: 24h} (built-in default)\n"
                + "limitKey: DestinationPhoneNumber (built-in default)\n"
        )
        let set = try await Outdial.run(
            ["ledger", "config", "--limits", "1/24h,3/7d", "--limit-key", "InstanceId,DestinationPhoneNumber"] + state
        )
        #expect(
            set.stdout == "limits: {max: 1, per: 24h}, {max: 3, per: 7d}\nlimitKey: InstanceId,DestinationPhoneNumber\n"
        )
        let off = try await Outdial.run(["ledger", "config", "--limits", "off"] + state)
        #expect(off.stdout == "limits: off\nlimitKey: InstanceId,DestinationPhoneNumber\n")
        let reset = try await Outdial.run(
            ["ledger", "config", "--limits", "default", "--limit-key", "default"] + state
        )
        #expect(reset.stdout == shown.stdout)

        let bad = try await Outdial.run(["ledger", "config", "--limits", "1/day"] + state)
        #expect(bad.status == 2)
        #expect(bad.stderr.contains("--limits 1/day: expected MAX/WINDOW pairs"))
        // The store's defaults keep to the bounds a job file's limits have.
        for outOfBounds in ["1/30s", "0/24h", "100001/24h", "1/401d"] {
            let refused = try await Outdial.run(["ledger", "config", "--limits", outOfBounds] + state)
            #expect(refused.status == 2, "\(outOfBounds)")
            #expect(refused.stderr.contains("MAX from 1 to 100000"))
        }
        let help = try await Outdial.run(["ledger", "config", "--help"])
        #expect(help.stdout.contains("the built-in default is {max: 1, per: 24h}"))
    }

    @Test func migrateSaysFromWhichVersion() async throws {
        let dir = try TemporaryDirectory()
        let state = ["--state-dir", dir.path("state")]
        let first = try await Outdial.run(["ledger", "migrate"] + state)
        #expect(first.status == 0)
        #expect(first.stdout == "migrated the ledger \(dir.path("state"))/outdial.sqlite from schema version 0 to 4\n")
        let second = try await Outdial.run(["ledger", "migrate"] + state)
        #expect(second.stdout == "the ledger \(dir.path("state"))/outdial.sqlite is up to date (schema version 4)\n")
    }

    @Test func historyJobsExportAndPrune() async throws {
        let dir = try TemporaryDirectory()
        let stateDir = dir.path("state")
        let state = ["--state-dir", stateDir]
        #expect(try await Outdial.run(["ledger", "migrate"] + state).status == 0)
        let now = Int(Date().timeIntervalSince1970 * 1000)
        let day = 86_400_000
        try await LedgerStore.insert(
            [
                .init("old", 0, "+15551230001", status: 1, at: now - 500 * day, settledAfter: 300),
                .init("recent", 2, "+15551230001", status: 2, at: now - 2 * day, settledAfter: 300),
                .init("recent", 3, "+15551230002", status: 0, at: now - day, settledAfter: nil),
            ],
            stateDirectory: stateDir
        )

        let history = try await Outdial.run(["ledger", "history", "+1 555 123 0001", "--json"] + state)
        #expect(history.status == 0, "\(history.stderr)")
        let entries = ndjson(history.stdout)
        #expect(entries.map { $0["job"] as? String } == ["recent", "old"])
        #expect(entries.map { $0["status"] as? String } == ["failed", "started"])
        #expect(entries.first?["error"] as? String == "ThrottlingException")
        #expect(entries.last?["contactId"] as? String == "contact-old-0")
        let text = try await Outdial.run(["ledger", "history", "+15551230001"] + state)
        #expect(text.lines.first?.hasPrefix("INTENT  ") == true)
        #expect(text.lines.count == 3)

        let jobs = ndjson(try await Outdial.run(["ledger", "jobs", "--json"] + state).stdout)
        #expect(jobs.map { $0["job"] as? String } == ["recent", "old"])
        #expect(jobs.first?["failed"] as? Int == 1)
        #expect(jobs.first?["uncertain"] as? Int == 1)

        let output = dir.path("export.ndjson")
        let export = try await Outdial.run(["ledger", "export", "--since", "7d", "-o", output] + state)
        #expect(export.status == 0, "\(export.stderr)")
        let exported = resultLines(atPath: output)
        #expect(exported.map { $0["destination"] as? String } == ["+15551230001", "+15551230002"])
        #expect(exported.last?["settledAt"] is NSNull)
        var info = stat()
        #expect(stat(output, &info) == 0 && info.st_mode & 0o777 == 0o600)

        let refused = try await Outdial.run(["ledger", "prune", "--older-than", "1h"] + state)
        #expect(refused.status == 2)
        #expect(
            refused.stderr.contains("outdial: error: --older-than 1h is shorter than the longest limit window (24h)")
        )
        let pruned = try await Outdial.run(["ledger", "prune", "--older-than", "400d"] + state)
        #expect(pruned.status == 0, "\(pruned.stderr)")
        #expect(pruned.stdout == "pruned 1 attempt, 1 job, 0 ended suppressions\n")
        let after = ndjson(try await Outdial.run(["ledger", "history", "+15551230001", "--json"] + state).stdout)
        #expect(after.map { $0["job"] as? String } == ["recent"])
    }

    @Test func anUnusableStoreExitsThree() async throws {
        let dir = try TemporaryDirectory()
        let file = try dir.write("plain-file", "not a directory\n")
        let result = try await Outdial.run(["suppress", "add", "+15551230001", "--state-dir", file + "/state"])
        #expect(result.status == 3)
        #expect(result.stderr.hasPrefix("outdial: error: state directory \(file)/state is not usable: "))

        let state = dir.path("state")
        try FileManager.default.createDirectory(atPath: state, withIntermediateDirectories: true)
        chmod(state, 0o700)
        try dir.write("state/outdial.sqlite", "this is not a database, just text that is long enough\n")
        let damaged = try await Outdial.run(["ledger", "jobs", "--state-dir", state])
        #expect(damaged.status == 3)
        #expect(damaged.stderr.hasPrefix("outdial: error: the ledger \(state)/outdial.sqlite is not usable: "))
    }
}
