import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// The ledger of a state directory (`STATE/outdial.sqlite`), read and written from a test as
/// another process would: through python3's `sqlite3` module, a connection of its own.
struct LedgerFile {
    let path: String

    /// The ledger of the state directory `state`.
    init(state: String) {
        path = state + "/outdial.sqlite"
    }

    /// One attempt of the ledger.
    struct Attempt {
        var clientToken: String
        var destination: String
        /// `attempts.status`: 0 intent (in flight), 1 started, 2 failed, 3 uncertain.
        var status: Int
        var contactId: String?
    }

    struct QueryError: Error, CustomStringConvertible {
        var description: String
    }

    private static let script = """
        import json, sqlite3, sys
        connection = sqlite3.connect(sys.argv[1], timeout=30)
        rows = connection.execute(sys.argv[2], json.loads(sys.argv[3])).fetchall()
        connection.commit()
        print(json.dumps(rows))
        """

    /// Runs one statement with `?` placeholders; returns its rows (values as JSON gives them).
    /// The process is waited for on a thread of its own, never on the concurrency pool (a query
    /// waiting for a lock would stall every other test's tasks).
    func query(_ sql: String, _ parameters: [Any] = []) async throws -> [[Any]] {
        let arguments = String(decoding: try JSONSerialization.data(withJSONObject: parameters), as: UTF8.self)
        let (process, out, err) = try Self.python(Self.script, [path, sql, arguments], input: FileHandle.nullDevice)
        let (status, output, problem) = await Self.finish(process, out, err)
        guard status == 0, let rows = try JSONSerialization.jsonObject(with: output) as? [[Any]] else {
            throw QueryError(description: "\(sql): \(String(decoding: problem, as: UTF8.self))")
        }
        return rows
    }

    /// Waits, on a thread of its own, for `process` to end; returns its status and output.
    static func finish(_ process: Process, _ out: Pipe, _ err: Pipe?) async -> (Int32, Data, Data) {
        let (outHandle, errHandle) = (out.fileHandleForReading, err?.fileHandleForReading)
        async let output = Outdial.onThread { outHandle.readDataToEndOfFile() }
        async let problem = Outdial.onThread { errHandle?.readDataToEndOfFile() ?? Data() }
        let collected = await (output, problem)
        await Outdial.onThread { [process] in process.waitUntilExit() }
        return (process.terminationStatus, collected.0, collected.1)
    }

    /// Starts `python3 -c SCRIPT ARGUMENTS…` with `input` as its standard input; returns the
    /// process and its standard output and error.
    static func python(_ script: String, _ arguments: [String], input: Any) throws -> (Process, Pipe, Pipe) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script] + arguments
        let out = Pipe()
        let err = Pipe()
        process.standardInput = input
        process.standardOutput = out
        process.standardError = err
        try process.run()
        return (process, out, err)
    }

    /// Every attempt, in the order their intents were recorded.
    func attempts() async throws -> [Attempt] {
        try await query("SELECT client_token, destination, status, contact_id FROM attempts ORDER BY id").compactMap {
            row in
            guard row.count == 4, let token = row[0] as? String, let destination = row[1] as? String,
                let status = row[2] as? Int
            else { return nil }
            return Attempt(clientToken: token, destination: destination, status: status, contactId: row[3] as? String)
        }
    }

    /// The number of attempts (0 while the ledger does not exist yet or cannot be read).
    func attemptCount() async -> Int {
        guard FileManager.default.fileExists(atPath: path),
            let rows = try? await query("SELECT count(*) FROM attempts"), let count = rows.first?.first as? Int
        else { return 0 }
        return count
    }

    /// The number of attempts whose intent is committed and whose outcome is not (requests in
    /// flight); 0 while the ledger cannot be read. Asked through the `sqlite3` command when there
    /// is one (it starts in a few milliseconds, so a poll sees requests of a short flight).
    func inFlightCount() async -> Int {
        guard FileManager.default.fileExists(atPath: path) else { return 0 }
        let sql = "SELECT count(*) FROM attempts WHERE status = 0"
        guard let cli = Self.sqlite3 else {
            return (try? await query(sql))?.first?.first as? Int ?? 0
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: cli)
        process.arguments = ["-readonly", "-cmd", ".timeout 5000", path, sql]
        let out = Pipe()
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return 0 }
        let (status, output, _) = await Self.finish(process, out, nil)
        let text = String(decoding: output, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        return status == 0 ? Int(text) ?? 0 : 0
    }

    /// The `sqlite3` command, if installed.
    private static let sqlite3: String? = ["/usr/bin/sqlite3", "/usr/local/bin/sqlite3"].first {
        FileManager.default.isExecutableFile(atPath: $0)
    }

    /// Puts `number` on the suppression list, as `outdial suppress add` would.
    func suppress(_ number: String, reason: String) async throws {
        _ = try await query(
            "INSERT INTO suppressions (number, reason, until_at, added_at) VALUES (?, ?, NULL, ?)",
            [number, reason, Int(Date().timeIntervalSince1970 * 1000)]
        )
    }

    /// The attempts about one ClientToken, for failure messages.
    func describe(token: String?) async -> String {
        guard let token, let attempts = try? await attempts() else { return "" }
        return attempts.filter { $0.clientToken == token }
            .map { "attempt \($0.clientToken) status \($0.status) contact \($0.contactId ?? "-")" }
            .joined(separator: "\n")
    }
}

/// Another process holding the ledger's write lock (`BEGIN EXCLUSIVE`) until `release()`.
final class LedgerLockHolder: @unchecked Sendable {
    private let process: Process
    private let input: Pipe

    private init(process: Process, input: Pipe) {
        self.process = process
        self.input = input
    }

    /// Starts the holder and returns once it holds the lock.
    static func hold(_ ledger: LedgerFile) async throws -> LedgerLockHolder {
        let script = """
            import sqlite3, sys
            connection = sqlite3.connect(sys.argv[1], timeout=30, isolation_level=None)
            connection.execute("BEGIN EXCLUSIVE")
            print("locked", flush=True)
            sys.stdin.read()
            connection.execute("ROLLBACK")
            """
        let input = Pipe()
        let (process, out, _) = try LedgerFile.python(script, [ledger.path], input: input)
        let handle = out.fileHandleForReading
        let first = await Outdial.onThread { handle.readData(ofLength: 6) }
        guard String(decoding: first, as: UTF8.self) == "locked" else {
            kill(process.processIdentifier, SIGKILL)
            throw LedgerFile.QueryError(description: "the lock holder did not take the lock")
        }
        return LedgerLockHolder(process: process, input: input)
    }

    /// Lets the lock go and waits for the holder to end.
    func release() async {
        try? input.fileHandleForWriting.close()
        await Outdial.onThread { [process] in process.waitUntilExit() }
    }
}

/// A small tmpfs mounted for one test and unmounted after it. Tests that need one are enabled
/// only when this process may mount (`isPermitted`), and say so when skipped.
final class TemporaryMount {
    let path: String

    /// Whether this process may mount a tmpfs (tried once, on a directory of its own).
    static let isPermitted: Bool = {
        guard let dir = try? TemporaryDirectory(), let mount = tmpfs(in: dir, size: "64k") else { return false }
        mount.unmount()
        return true
    }()

    private init(path: String) {
        self.path = path
    }

    /// Mounts a tmpfs of `size` (`256k`) at a new directory under `dir`, with extra `options`.
    static func tmpfs(in dir: TemporaryDirectory, size: String, options: String = "") -> TemporaryMount? {
        let path = dir.path("mnt-\(UUID().uuidString.prefix(8))")
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: false)
        let all = "size=\(size),mode=0700" + (options.isEmpty ? "" : "," + options)
        guard run(["mount", "-t", "tmpfs", "-o", all, "tmpfs", path]) else { return nil }
        return TemporaryMount(path: path)
    }

    /// Mounts it again read-only.
    func remountReadOnly() -> Bool {
        Self.run(["mount", "-o", "remount,ro", path])
    }

    func unmount() {
        _ = Self.run(["umount", path])
    }

    deinit { unmount() }

    @discardableResult
    private static func run(_ arguments: [String]) -> Bool {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return false }
        process.waitUntilExit()
        return process.terminationStatus == 0
    }
}
