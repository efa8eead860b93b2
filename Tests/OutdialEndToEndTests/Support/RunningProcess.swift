import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// A child process started in the background: signal it, then collect what it printed.
final class RunningProcess: @unchecked Sendable {
    let process: Process
    private let out: Pipe
    private let err: Pipe

    /// Standard error read so far, when it is read as it comes (`streamingStandardError`).
    private let standardError = Mutex<(bytes: [UInt8], ended: Bool)>(([], false))
    private let streaming: Bool

    init(_ process: Process, _ out: Pipe, _ err: Pipe, streamingStandardError: Bool = false) {
        self.process = process
        self.out = out
        self.err = err
        self.streaming = streamingStandardError
        if streamingStandardError {
            let handle = err.fileHandleForReading
            let thread = Thread { [self] in
                while true {
                    let chunk = handle.availableData
                    if chunk.isEmpty { break }
                    self.standardError.withLock { $0.bytes.append(contentsOf: chunk) }
                }
                self.standardError.withLock { $0.ended = true }
            }
            thread.start()
        }
    }

    /// Starts `outdial ARGS` (see `Outdial.launch`); with `streamingStandardError`, what it
    /// prints on standard error can be read while it runs (`standardErrorSoFar`).
    static func outdial(
        _ arguments: [String],
        environment: [String: String] = [:],
        streamingStandardError: Bool = false
    ) throws -> RunningProcess {
        let (process, out, err) = try Outdial.launch(arguments, environment: environment)
        return RunningProcess(process, out, err, streamingStandardError: streamingStandardError)
    }

    /// What the process has printed on standard error so far (streaming only).
    var standardErrorSoFar: String {
        standardError.withLock { String(decoding: $0.bytes, as: UTF8.self) }
    }

    var pid: Int32 { process.processIdentifier }

    /// Sends `signal` to the process.
    func send(_ signal: Int32) {
        kill(process.processIdentifier, signal)
    }

    /// Stops the process (SIGSTOP, waiting until it is stopped), so nothing it writes changes
    /// while `condition` is asked; kills it (SIGKILL) there when `condition` holds, else lets it
    /// go on (SIGCONT). Returns whether it was killed. Poll it to kill at a moment a condition
    /// about the process's files holds, exactly as they are when it dies.
    func killIfWhileStopped(_ condition: () async -> Bool) async -> Bool {
        send(SIGSTOP)
        let stopped = await poll(timeout: .seconds(5)) { isStopped }
        if stopped, await condition() {
            send(SIGKILL)
            return true
        }
        send(SIGCONT)
        return false
    }

    /// Whether the process is stopped by a signal (state `T` in `/proc/PID/stat`).
    private var isStopped: Bool {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
            let close = text.lastIndex(of: ")")
        else { return false }
        return text[close...].dropFirst(2).first == "T"
    }

    /// Waits for the process to end and returns its status and output. A process killed by a
    /// signal has status `128 + signal`, as a shell shows it.
    func finish() async -> Outdial.Result {
        if streaming {
            let handle = out.fileHandleForReading
            let outData = await Outdial.onThread { handle.readDataToEndOfFile() }
            await Outdial.onThread { [process] in process.waitUntilExit() }
            _ = await poll { self.standardError.withLock { $0.ended } }
            var result = Outdial.Result(
                status: process.terminationStatus,
                stdout: String(decoding: outData, as: UTF8.self),
                stderr: standardErrorSoFar
            )
            if process.terminationReason == .uncaughtSignal { result.status = 128 + process.terminationStatus }
            return result
        }
        var result = await Outdial.collect(process, out, err)
        if process.terminationReason == .uncaughtSignal {
            result.status = 128 + process.terminationStatus
        }
        return result
    }
}

/// The Python endpoint that judges requests with botocore (Resources/botocore_endpoint.py).
final class BotocoreEndpoint: @unchecked Sendable {
    let url: String
    let logPath: String
    private let process: Process
    private let out: Pipe
    private let err: Pipe

    private init(url: String, logPath: String, process: Process, out: Pipe, err: Pipe) {
        self.url = url
        self.logPath = logPath
        self.process = process
        self.out = out
        self.err = err
    }

    /// Starts the endpoint and returns once it printed its address.
    static func start(
        accessKey: String,
        secretKey: String,
        sessionToken: String?,
        logPath: String,
        refuse: String? = nil
    ) async throws -> BotocoreEndpoint {
        guard
            let script = Bundle.module.url(
                forResource: "botocore_endpoint",
                withExtension: "py",
                subdirectory: "Resources"
            )
        else { throw EndpointError(description: "botocore_endpoint.py is not in the test bundle") }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        var arguments = [
            "python3", script.path, "--access-key", accessKey, "--secret-key", secretKey, "--log", logPath,
        ]
        if let sessionToken { arguments += ["--session-token", sessionToken] }
        if let refuse { arguments += ["--refuse", refuse] }
        process.arguments = arguments
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let handle = out.fileHandleForReading
        let first = await Outdial.onThread { () -> String in
            var bytes: [UInt8] = []
            while true {
                let data = handle.readData(ofLength: 1)
                guard let byte = data.first, byte != UInt8(ascii: "\n") else { break }
                bytes.append(byte)
            }
            return String(decoding: bytes, as: UTF8.self)
        }
        guard let range = first.range(of: "listening on ") else {
            process.terminate()
            let problem = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            throw EndpointError(description: "botocore endpoint did not start: \(first) \(problem)")
        }
        return BotocoreEndpoint(
            url: String(first[range.upperBound...]),
            logPath: logPath,
            process: process,
            out: out,
            err: err
        )
    }

    /// The verdicts logged so far, one per request.
    func verdicts() -> [[String: Any]] { resultLines(atPath: logPath) }

    /// Stops the endpoint.
    func stop() async {
        kill(process.processIdentifier, SIGKILL)
        _ = await Outdial.collect(process, out, err)
    }

    struct EndpointError: Error, CustomStringConvertible {
        var description: String
    }
}
