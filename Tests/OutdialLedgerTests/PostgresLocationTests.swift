import Foundation
import OutdialCore
import Testing

@testable import OutdialLedger

/// `--state postgres://…` as libpq reads it: what the URL names, where the password comes from,
/// and that no message or description of a location ever holds a password.
@Suite struct PostgresLocationTests {
    @Test func aURLNamesTheServerUserDatabaseAndTLS() throws {
        let location = try PostgresLocation(
            url: "postgresql://ops%40team@db.example.com:6432/out%20dial?sslmode=verify-full&sslrootcert=/etc/ca.pem",
            environment: [:]
        )
        #expect(location.host == "db.example.com")
        #expect(location.port == 6432)
        #expect(location.user == "ops@team")
        #expect(location.database == "out dial")
        #expect(location.sslMode == .verifyFull)
        #expect(location.sslRootCertificate == "/etc/ca.pem")
        #expect(location.description == "postgres://ops@team@db.example.com:6432/out dial")
    }

    @Test func defaultsAreLibpqs() throws {
        let location = try PostgresLocation(url: "postgres://outdial@[::1]", environment: ["PGPORT": "5433"])
        #expect(location.host == "::1")
        #expect(location.port == 5433)
        #expect(location.database == "outdial")
        #expect(location.sslMode == .prefer)
        #expect(location.description == "postgres://outdial@[::1]:5433/outdial")
        let socket = try PostgresLocation(url: "postgres://outdial@/ledger?host=/run/postgresql", environment: [:])
        #expect(socket.socketDirectory == "/run/postgresql")
        #expect(socket.host == nil)
    }

    @Test func aPasswordInTheURLIsRefusedAndNotRepeated() {
        for url in ["postgres://outdial:hunter2@db/outdial", "postgres://outdial@db/outdial?password=hunter2"] {
            #expect {
                try PostgresLocation(url: url, environment: [:])
            } throws: { error in
                let text = "\(error)"
                return text.contains("PGPASSWORD") && text.contains("~/.pgpass") && !text.contains("hunter2")
            }
        }
    }

    @Test func badURLsSayWhatIsWrong() {
        let cases = [
            "postgres://outdial@db:0/x": "the port must be a number",
            "postgres://outdial@db/x?sslmode=always": "sslmode always is not one of",
            "postgres://outdial@db/x?gssencmode=disable": "the parameter gssencmode is not supported",
            "postgres://outdial@/x": "it names no host",
        ]
        for (url, reason) in cases {
            #expect {
                try PostgresLocation(url: url, environment: [:])
            } throws: { error in
                "\(error)".contains(reason)
            }
        }
    }

    @Test func thePasswordComesFromPGPASSWORDAndIsNeverDescribed() throws {
        let location = try PostgresLocation(
            url: "postgres://outdial@db.example.com/outdial",
            environment: ["PGPASSWORD": "hunter2"]
        )
        #expect(location.hasPassword)
        #expect(location.password.value == "hunter2")
        var dumped = ""
        dump(location, to: &dumped)
        for text in [
            "\(location)", String(reflecting: location), dumped, "\(LedgerLocation.postgres(location, journals: nil))",
        ] {
            #expect(!text.contains("hunter2"), "\(text)")
        }
    }

    @Test func thePasswordFileMatchesLikeLibpqsAndIsIgnoredWhenOthersCanReadIt() throws {
        let state = try TemporaryState()
        defer { state.remove() }
        let file = state.directory.path + "/pgpass"
        try """
        # comment
        other.example.com:5432:*:outdial:not-this-one
        db.example.com:*:outdial:outdial:pass\\:with\\\\escapes
        *:*:*:*:fallback

        """.write(toFile: file, atomically: false, encoding: .utf8)
        chmod(file, 0o600)
        let environment = ["PGPASSFILE": file]
        let matched = try PostgresLocation(url: "postgres://outdial@db.example.com/outdial", environment: environment)
        #expect(matched.password.value == "pass:with\\escapes")
        let fallback = try PostgresLocation(url: "postgres://someone@elsewhere/db", environment: environment)
        #expect(fallback.password.value == "fallback")

        chmod(file, 0o644)
        var warnings: [String] = []
        let ignored = try PostgresLocation(
            url: "postgres://outdial@db.example.com/outdial",
            environment: environment,
            warn: { warnings.append($0) }
        )
        #expect(!ignored.hasPassword)
        #expect(warnings.count == 1 && warnings[0].contains("has group or world access"), "\(warnings)")
    }

    @Test func aStateOptionThatIsAURLPicksPostgreSQLAndADirectoryPicksSQLite() throws {
        let url = "postgres://outdial@db.example.com/outdial"
        guard case .postgres(let location, _) = try LedgerLocation.resolve(option: url, environment: [:]) else {
            Issue.record("a URL did not pick PostgreSQL")
            return
        }
        #expect(location.host == "db.example.com")
        guard case .postgres = try LedgerLocation.resolve(option: nil, environment: ["OUTDIAL_STATE_URL": url]) else {
            Issue.record("OUTDIAL_STATE_URL did not pick PostgreSQL")
            return
        }
        // An option given beats the variable.
        let directory = try LedgerLocation.resolve(option: "/var/lib/outdial", environment: ["OUTDIAL_STATE_URL": url])
        #expect(directory == .directory(StateDirectory(path: "/var/lib/outdial")))
        #expect {
            try LedgerLocation.resolve(option: "postgres://a:b@h/d", environment: [:])
        } throws: { error in
            (error as? RecordingError)?.code == "LedgerUnusable"
        }
    }

    @Test func sqlStatesMapToWhatTheLedgerActsOn() {
        #expect(PostgresLedgerDatabase.kind(sqlState: "40001", connecting: false) == .busy)
        #expect(PostgresLedgerDatabase.kind(sqlState: "40P01", connecting: false) == .busy)
        #expect(PostgresLedgerDatabase.kind(sqlState: "55P03", connecting: false) == .busy)
        #expect(PostgresLedgerDatabase.kind(sqlState: "53100", connecting: false) == .full)
        #expect(PostgresLedgerDatabase.kind(sqlState: "25006", connecting: false) == .readOnly)
        #expect(PostgresLedgerDatabase.kind(sqlState: "23505", connecting: false) == .constraint)
        #expect(PostgresLedgerDatabase.kind(sqlState: "28P01", connecting: true) == .cannotOpen)
        #expect(PostgresLedgerDatabase.kind(sqlState: "3D000", connecting: true) == .cannotOpen)
        #expect(PostgresLedgerDatabase.kind(sqlState: "08006", connecting: false) == .connectionLost)
        #expect(PostgresLedgerDatabase.kind(sqlState: "57P01", connecting: false) == .connectionLost)
    }
}
