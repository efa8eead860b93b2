import Foundation

/// Runs the built `outdial` executable, as a user would.
struct Outdial {
    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String

        /// Standard output split into lines, without the trailing empty one.
        var lines: [String] { stdout.split(separator: "\n", omittingEmptySubsequences: true).map(String.init) }
    }

    /// The executable next to the test bundle (`.build/debug/outdial`).
    static var executable: URL {
        let bundle = Bundle.module.bundleURL.deletingLastPathComponent()
        return bundle.appendingPathComponent("outdial")
    }

    /// The package root (for `jobs/` and fixtures).
    static var packageRoot: URL {
        URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent()
            .deletingLastPathComponent()
            .deletingLastPathComponent()
            .deletingLastPathComponent()
    }

    /// Starts `outdial ARGS` and returns the running process with its pipes.
    static func launch(
        _ arguments: [String],
        environment: [String: String] = [:],
        directory: URL? = nil,
        stdin: Data? = nil
    ) throws -> (Process, Pipe, Pipe) {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        var env = ProcessInfo.processInfo.environment
        for key in env.keys where key.hasPrefix("AWS_") || key.hasPrefix("OUTDIAL_") { env[key] = nil }
        env["AWS_EC2_METADATA_DISABLED"] = "true"
        env["AWS_CONFIG_FILE"] = "/nonexistent/outdial-test-config"
        env["AWS_SHARED_CREDENTIALS_FILE"] = "/nonexistent/outdial-test-credentials"
        // Calls are not followed nor paced by unless a test asks: lines are written when the
        // request is accepted, as the tests of sending expect.
        env["OUTDIAL_FOLLOW"] = "off"
        env["OUTDIAL_MAX_ACTIVE_CALLS"] = "0"
        for (key, value) in environment { env[key] = value }
        process.environment = env
        process.currentDirectoryURL = directory ?? packageRoot
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        if let stdin {
            let input = Pipe()
            process.standardInput = input
            try process.run()
            input.fileHandleForWriting.write(stdin)
            try input.fileHandleForWriting.close()
        } else {
            process.standardInput = FileHandle.nullDevice
            try process.run()
        }
        return (process, out, err)
    }

    /// Runs `outdial ARGS` to completion.
    static func run(
        _ arguments: [String],
        environment: [String: String] = [:],
        directory: URL? = nil,
        stdin: Data? = nil
    ) async throws -> Result {
        let (process, out, err) = try launch(arguments, environment: environment, directory: directory, stdin: stdin)
        return await collect(process, out, err)
    }

    /// Waits for a launched process, reading both pipes on threads of their own, so a full pipe
    /// never blocks the child and neither the cooperative pool nor Dispatch's (small, on a
    /// machine with few cores) pool is held while the child runs.
    static func collect(_ process: Process, _ out: Pipe, _ err: Pipe) async -> Result {
        let outHandle = out.fileHandleForReading
        let errHandle = err.fileHandleForReading
        async let o = onThread { outHandle.readDataToEndOfFile() }
        async let e = onThread { errHandle.readDataToEndOfFile() }
        let (outData, errData) = await (o, e)
        await onThread { process.waitUntilExit() }
        return Result(
            status: process.terminationStatus,
            stdout: String(decoding: outData, as: UTF8.self),
            stderr: String(decoding: errData, as: UTF8.self)
        )
    }

    /// Runs blocking work on a new thread and returns its value.
    static func onThread<T: Sendable>(_ body: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { continuation in
            let thread = Thread { continuation.resume(returning: body()) }
            thread.start()
        }
    }
}

/// A temporary directory removed when the test ends.
final class TemporaryDirectory {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("outdial-e2e-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    func path(_ name: String) -> String { url.appendingPathComponent(name).path }

    @discardableResult
    func write(_ name: String, _ text: String) throws -> String {
        let path = path(name)
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    deinit { try? FileManager.default.removeItem(at: url) }
}

/// Parses NDJSON into dictionaries.
func ndjson(_ text: String) -> [[String: Any]] {
    text.split(separator: "\n").compactMap { line in
        (try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: Any]
    }
}
