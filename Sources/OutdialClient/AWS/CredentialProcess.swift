import AWSSigV4
import Foundation
import OutdialBase

/// Runs a profile's `credential_process` and reads the JSON it prints:
/// `{"Version": 1, "AccessKeyId": ..., "SecretAccessKey": ..., "SessionToken": ..., "Expiration": ...}`.
///
/// The command is split into words as a POSIX shell would (quotes, backslashes) but run without
/// a shell, as botocore does. Only the first line of its standard error, with anything like a
/// secret redacted, is shown in messages; its output never is.
public struct CredentialProcess: Sendable {
    /// The command as written in the profile.
    public let command: String
    /// The profile it belongs to, for messages.
    public let profile: String
    private let environment: AWSEnvironment

    /// A process for `command` of `profile`, run with `environment`'s variables.
    public init(command: String, profile: String, environment: AWSEnvironment) {
        self.command = command
        self.profile = profile
        self.environment = environment
    }

    /// Runs the command and parses its output.
    /// - Throws: ``AWSConfigurationError`` (`CredentialProcessFailed`).
    public func run() async throws -> AWSCredentials {
        let words: [String]
        do {
            words = try ShellWords.split(command)
        } catch {
            throw failure("cannot be split into words: \(error)")
        }
        guard let program = words.first else { throw failure("is empty") }
        guard let executable = resolve(program) else {
            throw failure("names \(program), which is not an executable file")
        }
        let result: Outcome
        do {
            result = try await Self.execute(executable, arguments: Array(words.dropFirst()), environment: environment)
        } catch {
            throw failure("could not be started: \(error)")
        }
        guard result.status == 0, !result.killedBySignal else {
            let ending =
                result.killedBySignal ? "was killed by signal \(result.status)" : "exited with status \(result.status)"
            guard let line = SecretRedaction.firstLine(of: String(decoding: result.errors, as: UTF8.self)) else {
                throw failure(ending)
            }
            throw failure(
                "\(ending): \(line) (the first line of its standard error, anything like a secret redacted; "
                    + "the full text was not kept)"
            )
        }
        let document: CredentialDocument
        do {
            document = try JSONDecoder().decode(CredentialDocument.self, from: Data(result.output))
        } catch {
            throw failure("did not print a JSON object with AccessKeyId and SecretAccessKey")
        }
        guard document.version == 1 else {
            throw failure("printed Version \(document.version.map(String.init) ?? "(none)"); outdial reads Version 1")
        }
        do {
            return try document.credentials()
        } catch let problem as CredentialDocument.Problem {
            throw failure(problem.message)
        }
    }

    private func failure(_ message: String) -> AWSConfigurationError {
        .credentialProcessFailed("credential_process of profile \"\(profile)\" \(message)")
    }

    private func resolve(_ program: String) -> String? {
        let fileManager = FileManager.default
        if program.contains("/") {
            let path = environment.expandingTilde(program)
            return fileManager.isExecutableFile(atPath: path) ? path : nil
        }
        let searchPath = environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        for directory in searchPath.split(separator: ":") {
            let candidate = "\(directory)/\(program)"
            if fileManager.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }

    /// How the process ended and what it printed.
    private struct Outcome {
        /// The exit status, or the signal when ``killedBySignal``.
        var status: Int32
        var killedBySignal: Bool
        var output: [UInt8]
        var errors: [UInt8]
    }

    /// The most of its standard output and standard error that is kept; the rest is read and dropped.
    private static let outputLimit = 1 << 20
    private static let errorLimit = 64 << 10

    /// Runs the program, reading both pipes to their end on threads of their own (blocking reads
    /// stay off the cooperative thread pool).
    private static func execute(
        _ executable: String,
        arguments: [String],
        environment: AWSEnvironment
    ) async throws -> Outcome {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.environment = environment.variables
        let output = Pipe()
        let errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let outputDescriptor = output.fileHandleForReading.fileDescriptor
        let errorDescriptor = errors.fileHandleForReading.fileDescriptor
        async let errorBytes = onThread {
            POSIX.readAll(errorDescriptor, limit: errorLimit, drain: true).bytes
        }
        let outputBytes = await onThread {
            POSIX.readAll(outputDescriptor, limit: outputLimit, drain: true).bytes
        }
        let stderr = await errorBytes
        let ending = await onThread {
            process.waitUntilExit()
            return (process.terminationStatus, process.terminationReason == .uncaughtSignal)
        }
        // The pipes' read ends are closed when `output` and `errors` go, after this point.
        withExtendedLifetime((output, errors)) {}
        return Outcome(status: ending.0, killedBySignal: ending.1, output: outputBytes, errors: stderr)
    }

    /// The result of `body`, run on a new thread.
    private static func onThread<Result: Sendable>(_ body: @escaping @Sendable () -> Result) async -> Result {
        await withCheckedContinuation { continuation in
            Thread.detachNewThread { continuation.resume(returning: body()) }
        }
    }
}
