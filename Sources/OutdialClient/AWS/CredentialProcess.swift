import AWSSigV4
import Foundation

/// Runs a profile's `credential_process` and reads the JSON it prints:
/// `{"Version": 1, "AccessKeyId": ..., "SecretAccessKey": ..., "SessionToken": ..., "Expiration": ...}`.
///
/// The command is split into words as a POSIX shell would (quotes, backslashes) but run without
/// a shell, as botocore does. Its standard error is shown in messages; its output never is.
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
        let result: (status: Int32, output: Data, errors: Data)
        do {
            result = try await Self.execute(executable, arguments: Array(words.dropFirst()), environment: environment)
        } catch {
            throw failure("could not be started: \(error)")
        }
        guard result.status == 0 else {
            let stderr = String(decoding: result.errors, as: UTF8.self).trimmingWhitespace()
            throw failure("exited with status \(result.status)" + (stderr.isEmpty ? "" : ": \(stderr)"))
        }
        let document: CredentialDocument
        do {
            document = try JSONDecoder().decode(CredentialDocument.self, from: result.output)
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

    /// Runs the program off the cooperative thread pool, reading both pipes to their end.
    private static func execute(
        _ executable: String,
        arguments: [String],
        environment: AWSEnvironment
    ) async throws -> (status: Int32, output: Data, errors: Data) {
        try await withCheckedThrowingContinuation { continuation in
            Thread.detachNewThread {
                let process = Process()
                process.executableURL = URL(fileURLWithPath: executable)
                process.arguments = arguments
                process.environment = environment.variables
                let output = Pipe()
                let errors = Pipe()
                process.standardOutput = output
                process.standardError = errors
                process.standardInput = FileHandle.nullDevice
                do {
                    try process.run()
                } catch {
                    continuation.resume(throwing: error)
                    return
                }
                let errorData = ErrorCollector()
                let errorReader = Thread {
                    errorData.store(errors.fileHandleForReading.readDataToEndOfFile())
                }
                errorReader.start()
                let outputData = output.fileHandleForReading.readDataToEndOfFile()
                process.waitUntilExit()
                let stderr = errorData.wait()
                continuation.resume(returning: (process.terminationStatus, outputData, stderr))
            }
        }
    }
}

/// Hands the standard error bytes from its reader thread to the waiting one.
private final class ErrorCollector: @unchecked Sendable {
    private let condition = NSCondition()
    private var data: Data?

    func store(_ value: Data) {
        condition.lock()
        data = value
        condition.signal()
        condition.unlock()
    }

    func wait() -> Data {
        condition.lock()
        defer { condition.unlock() }
        while data == nil { condition.wait() }
        return data ?? Data()
    }
}
