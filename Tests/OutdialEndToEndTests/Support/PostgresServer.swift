import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// A throw-away PostgreSQL cluster for the tests of this process: `initdb` into a temporary
/// directory, `pg_ctl start` on a free loopback port (its Unix socket in the same directory),
/// password authentication (SCRAM) only, so the password outdial reads from `PGPASSWORD` or
/// `~/.pgpass` is really used. Started once, on first use; stopped (`pg_ctl stop -m immediate`)
/// and removed when the test process exits. Each test works in a database of its own.
///
/// `initdb` refuses to run as root: as root, the cluster's commands run as the `postgres` user,
/// in a directory that user owns.
final class PostgresServer: Sendable {
    let port: Int
    /// The cluster's directory: data, log, socket.
    let root: String
    /// The superuser, and its password (random per cluster).
    let user = "outdial"
    let password: String
    private let binaries: String

    /// Why the tests that need a server cannot run here, or nil when they can. Under `CI=true` a
    /// missing PostgreSQL is not a reason: those tests run, and fail.
    static let unavailable: String? = {
        if binDirectory != nil { return nil }
        if ProcessInfo.processInfo.environment["CI"] == "true" { return nil }
        return "PostgreSQL is not installed (no initdb under /usr/lib/postgresql/*/bin nor on PATH); "
            + "make test-deps installs it"
    }()

    /// The directory of `initdb` and `pg_ctl`: the newest under /usr/lib/postgresql, else PATH's.
    static let binDirectory: String? = {
        let base = "/usr/lib/postgresql"
        let versions = ((try? FileManager.default.contentsOfDirectory(atPath: base)) ?? [])
            .compactMap(Int.init).sorted(by: >)
        for version in versions where FileManager.default.isExecutableFile(atPath: "\(base)/\(version)/bin/initdb") {
            return "\(base)/\(version)/bin"
        }
        for directory in (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":")
        where FileManager.default.isExecutableFile(atPath: "\(directory)/initdb")
            && FileManager.default.isExecutableFile(atPath: "\(directory)/pg_ctl")
        {
            return String(directory)
        }
        return nil
    }()

    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    private static let started = Mutex<Task<PostgresServer, any Error>?>(nil)

    /// The cluster of this test process, started on first use.
    static func shared() async throws -> PostgresServer {
        let task = started.withLock { task in
            if let task { return task }
            let new = Task { try await Outdial.onThread { Result { try PostgresServer() } }.get() }
            task = new
            return new
        }
        return try await task.value
    }

    private init() throws {
        guard let binaries = Self.binDirectory else {
            throw Failure(
                description: "PostgreSQL is not installed: no initdb under /usr/lib/postgresql/*/bin nor on PATH"
            )
        }
        self.binaries = binaries
        password = "pw-" + UUID().uuidString
        root = FileManager.default.temporaryDirectory.appendingPathComponent("outdial-pg-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        let passwordFile = root + "/password"
        try password.write(toFile: passwordFile, atomically: false, encoding: .utf8)
        if geteuid() == 0 {
            guard let owner = getpwnam("postgres") else {
                throw Failure(description: "running as root, and there is no postgres user to run initdb as")
            }
            chown(root, owner.pointee.pw_uid, owner.pointee.pw_gid)
            chown(passwordFile, owner.pointee.pw_uid, owner.pointee.pw_gid)
        }
        try Self.command(
            binaries + "/initdb",
            [
                "-D", root + "/data", "-U", user, "--pwfile=" + passwordFile, "--auth=scram-sha-256",
                "--encoding=UTF8", "--no-locale", "--no-sync",
            ]
        )
        // TLS offered with a certificate of its own authority, for 127.0.0.1: `certificate` is
        // what `sslrootcert` names to trust it. Without openssl the server offers no TLS.
        let tls = Self.makeCertificate(in: root)
        let port = try Self.freePort()
        self.port = port
        // fsync off: the tests kill outdial and stop the server at once, never the machine, and a
        // cluster that syncs each commit on a busy test machine would only make them slower.
        options =
            "-p \(port) -k \(root) -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200"
            + (tls ? " -c ssl=on -c ssl_cert_file=\(root)/server.crt -c ssl_key_file=\(root)/server.key" : "")
        Self.running.withLock { [binaries, root] in $0 = (binaries, root) }
        atexit { PostgresServer.stopRunning() }
        try start()
    }

    /// The server's options (`pg_ctl -o`).
    private let options: String

    /// Starts the server (again).
    func start() throws {
        try Self.command(
            binaries + "/pg_ctl",
            ["-D", root + "/data", "-l", root + "/log", "-w", "-t", "60", "-o", options, "start"]
        )
    }

    /// Stops the server at once, as a crash or a cut network would: every connection is dropped.
    func stop() throws {
        try Self.command(binaries + "/pg_ctl", ["-D", root + "/data", "-m", "immediate", "-w", "stop"])
    }

    /// The certificate the server presents (self-signed, for the IP address 127.0.0.1), when
    /// the server offers TLS.
    var certificate: String? {
        FileManager.default.fileExists(atPath: root + "/server.crt") ? root + "/server.crt" : nil
    }

    /// Writes a self-signed certificate and its key (owned by the server's user, mode 0600) to
    /// `root`; returns whether it could.
    private static func makeCertificate(in root: String) -> Bool {
        let openssl = "/usr/bin/openssl"
        guard FileManager.default.isExecutableFile(atPath: openssl) else { return false }
        let made = try? runAsSelf(
            openssl,
            [
                "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=127.0.0.1",
                "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", root + "/server.key", "-out", root + "/server.crt",
            ]
        )
        guard made != nil else { return false }
        chmod(root + "/server.key", 0o600)
        if geteuid() == 0, let owner = getpwnam("postgres") {
            for file in ["server.key", "server.crt"] {
                chown(root + "/" + file, owner.pointee.pw_uid, owner.pointee.pw_gid)
            }
        }
        return true
    }

    /// The cluster to stop at exit: its binaries and directory.
    private static let running = Mutex<(binaries: String, root: String)?>(nil)

    private static func stopRunning() {
        guard let (binaries, root) = running.withLock({ $0 }) else { return }
        try? command(binaries + "/pg_ctl", ["-D", root + "/data", "-m", "immediate", "stop"])
        try? FileManager.default.removeItem(atPath: root)
    }

    /// Runs a cluster command to its end (as `postgres` when this process is root), its output in
    /// a file. Spawned with every descriptor past standard error closed: `pg_ctl start` leaves the
    /// server running, and a server holding a descriptor of this process (Foundation's `Process`
    /// watches one per child to see it end) would keep that child from ever being seen to end.
    @discardableResult
    static func command(_ executable: String, _ arguments: [String]) throws -> String {
        try runAsSelf(
            geteuid() == 0 ? "/usr/sbin/runuser" : executable,
            (geteuid() == 0 ? ["-u", "postgres", "--", executable] : []) + arguments
        )
    }

    /// Runs a command to its end as this user, as `command` says.
    @discardableResult
    static func runAsSelf(_ executable: String, _ arguments: [String]) throws -> String {
        // bash closes every descriptor past standard error, then becomes the command.
        let closing =
            #"for fd in /proc/$$/fd/*; do fd=${fd##*/}; [ "$fd" -gt 2 ] && eval "exec $fd>&-"; done; exec "$@""#
        let argv = ["/bin/bash", "-c", closing, "bash", executable] + arguments
        let output = FileManager.default.temporaryDirectory.appendingPathComponent(
            "outdial-pg-\(UUID().uuidString).out"
        ).path
        defer { unlink(output) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, output, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        var pointers: [UnsafeMutablePointer<CChar>?] = argv.map { strdup($0) } + [nil]
        defer { for pointer in pointers { free(pointer) } }
        var pid = pid_t()
        let spawned = posix_spawn(&pid, argv[0], &actions, nil, &pointers, environ)
        guard spawned == 0 else { throw Failure(description: "\(argv[0]) could not be started: \(spawned)") }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0, errno == EINTR {}
        let text = (try? String(contentsOfFile: output, encoding: .utf8)) ?? ""
        guard status == 0 else {
            throw Failure(description: "\(executable) failed (status \(status)): \(text)")
        }
        return text
    }

    /// A loopback port nothing listens on now.
    static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw Failure(description: "no socket") }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { address in
                bind(fd, address, length) == 0 && getsockname(fd, address, &length) == 0
            }
        }
        guard bound else { throw Failure(description: "no free port") }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    // MARK: Databases

    /// A new, empty database; returns its name.
    func createDatabase() async throws -> String {
        let name = "t_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(16)
        _ = try await query("CREATE DATABASE \(name)", database: "postgres")
        return name
    }

    /// The URL of `database`, as outdial takes it (no password: that comes from `environment`).
    func url(_ database: String, _ parameters: String = "sslmode=disable") -> String {
        "postgres://\(user)@127.0.0.1:\(port)/\(database)" + (parameters.isEmpty ? "" : "?" + parameters)
    }

    /// The environment that gives outdial the password.
    var environment: [String: String] { ["PGPASSWORD": password] }

    /// Runs `sql` with `psql` (a connection of its own, as another process would); returns the
    /// rows, each cell as text.
    func query(_ sql: String, database: String) async throws -> [[String]] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binaries + "/psql")
        process.arguments = [
            "-X", "-q", "-A", "-t", "-F", "\t", "-v", "ON_ERROR_STOP=1", "-h", "127.0.0.1", "-p", String(port), "-U",
            user, "-d", database, "-c", sql,
        ]
        var environment = ProcessInfo.processInfo.environment
        environment["PGPASSWORD"] = password
        process.environment = environment
        let out = Pipe()
        let err = Pipe()
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let (status, output, problem) = await LedgerFile.finish(process, out, err)
        guard status == 0 else {
            throw Failure(description: "\(sql): \(String(decoding: problem, as: UTF8.self))")
        }
        return String(decoding: output, as: UTF8.self).split(separator: "\n").map {
            $0.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
        }
    }
}

/// The ledger in one database of the test cluster, read and written as another process would.
struct PostgresLedger {
    let server: PostgresServer
    let database: String

    var url: String { server.url(database) }

    /// Every attempt, in the order their intents were recorded.
    func attempts() async throws -> [LedgerFile.Attempt] {
        try await server.query(
            "SELECT client_token, destination, status, coalesce(contact_id, '') FROM attempts ORDER BY id",
            database: database
        ).compactMap { row in
            guard row.count == 4, let status = Int(row[2]) else { return nil }
            return LedgerFile.Attempt(
                clientToken: row[0],
                destination: row[1],
                status: status,
                contactId: row[3].isEmpty ? nil : row[3]
            )
        }
    }

    /// Attempts whose intent is committed and whose outcome is not (0 before the tables exist).
    func inFlightCount() async -> Int {
        let rows = try? await server.query("SELECT count(*) FROM attempts WHERE status = 0", database: database)
        return rows?.first?.first.flatMap { Int($0) } ?? 0
    }
}
