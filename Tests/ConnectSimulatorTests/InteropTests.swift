import ConnectSimulator
import Foundation
import Testing

/// The simulator as AWS's own clients see it: boto3 (botocore's signing and rest-json error
/// parsing) and the aws CLI, run as separate processes against the in-process simulator.
struct InteropTests {
    @Test(.enabled(if: Tool.hasBoto3, "python3 with boto3 is not installed"), .timeLimit(.minutes(1)))
    func boto3SignsAndParsesLikeConnect() async throws {
        let script = try #require(
            Bundle.module.url(forResource: "interop", withExtension: "py", subdirectory: "Resources")
        )
        try await withSimulator { session in
            let simulator = session.simulator
            // The script signs with the real time: keep the manual clock near it.
            let run = try await Tool.run(
                "python3",
                [
                    script.path, simulator.url, simulator.region, simulator.credentials.accessKeyId,
                    simulator.credentials.secretAccessKey,
                ]
            )
            let report = try Tool.json(run.output)
            #expect(run.status == 0, "\(run.output)\(run.error)")
            #expect((report["success"] as? [String: Any])?["contactId"] is String)
            #expect((report["wrongSecret"] as? [String: Any])?["code"] as? String == "InvalidSignatureException")
            #expect((report["unknownKey"] as? [String: Any])?["code"] as? String == "UnrecognizedClientException")
            #expect((report["badNumber"] as? [String: Any])?["code"] as? String == "InvalidParameterException")
            #expect(
                ((report["badNumber"] as? [String: Any])?["message"] as? String)?.hasPrefix("DestinationPhoneNumber")
                    == true
            )
            let repeated = report["repeatedToken"] as? [String: [String: Any]]
            #expect(repeated?["first"]?["contactId"] as? String != nil)
            #expect(repeated?["first"]?["contactId"] as? String == repeated?["second"]?["contactId"] as? String)
            #expect(simulator.requestLog().filter(\.newContact).count == 2)
        }
    }

    @Test(.enabled(if: Tool.hasBoto3, "python3 with boto3 is not installed"), .timeLimit(.minutes(1)))
    func boto3SeesTooManyRequestsPastTheQuota() async throws {
        let script = try #require(
            Bundle.module.url(forResource: "interop", withExtension: "py", subdirectory: "Resources")
        )
        try await withSimulator(SimulatorConfiguration(rateLimit: .init(tps: 5, burst: 5))) { session in
            let simulator = session.simulator
            let run = try await Tool.run(
                "python3",
                [
                    script.path, simulator.url, simulator.region, simulator.credentials.accessKeyId,
                    simulator.credentials.secretAccessKey, "--burst-check",
                ]
            )
            #expect(run.status == 0, "\(run.output)\(run.error)")
            let burst = try Tool.json(run.output)["burst"] as? [String: Any]
            // The manual clock stands still: exactly the burst gets through.
            #expect(burst?["ok"] as? Int == 5)
            #expect(burst?["throttled"] as? Int == 35)
            #expect(burst?["statuses"] as? [Int] == [200, 429])
        }
    }

    @Test(.enabled(if: Tool.hasBoto3, "python3 with boto3 is not installed"), .timeLimit(.minutes(1)))
    func boto3ParsesTheLiveCallOperations() async throws {
        let script = try #require(
            Bundle.module.url(forResource: "interop", withExtension: "py", subdirectory: "Resources")
        )
        let configuration = SimulatorConfiguration(
            callSeconds: 30,
            ringSeconds: .fixed(0),
            outcomes: .allAnswered,
            agents: ["sales": 2]
        )
        try await withSimulator(configuration) { session in
            let simulator = session.simulator
            let started = session.clock.now.timeIntervalSince1970
            let run = try await Tool.run(
                "python3",
                [
                    script.path, simulator.url, simulator.region, simulator.credentials.accessKeyId,
                    simulator.credentials.secretAccessKey, "--live-calls",
                ]
            )
            #expect(run.status == 0, "\(run.output)\(run.error)")
            let report = try Tool.json(run.output)
            let live = try #require(report["live"] as? [String: Any])
            #expect(live["initiationMethod"] as? String == "API")
            #expect(live["channel"] as? String == "VOICE")
            #expect(live["queue"] as? String == "sales")
            // boto3 read the epoch-second numbers as datetimes, to the millisecond.
            #expect(abs((live["initiated"] as? Double ?? 0) - started) < 0.001)
            #expect(abs((live["connected"] as? Double ?? 0) - started) < 0.001)
            #expect(abs((live["enqueued"] as? Double ?? 0) - started) < 0.001)
            #expect(live["disconnected"] is NSNull)
            let metrics = try #require(report["metrics"] as? [String: Any])
            #expect(metrics["queue"] as? String == "sales")
            #expect(metrics["name"] as? String == "AGENTS_AVAILABLE")
            #expect(metrics["value"] as? Double == 1)
            #expect(metrics["snapshot"] is Double)
            #expect((report["stop"] as? [String: Any])?["status"] as? Int == 200)
            let ended = try #require(report["ended"] as? [String: Any])
            #expect(ended["reason"] as? String == "API")
            #expect(abs((ended["disconnected"] as? Double ?? 0) - started) < 0.001)
            #expect(report["stopAgain"] as? String == "ContactNotFoundException")
            #expect(report["unknown"] as? String == "ResourceNotFoundException")
            #expect(
                simulator.operationLog().map(\.operation) == [
                    .describeContact, .getCurrentMetricData, .stopContact, .describeContact, .stopContact,
                    .describeContact,
                ]
            )
            #expect(simulator.endedContacts().map(\.stoppedBy) == ["StopContact"])
        }
    }

    @Test(.enabled(if: Tool.awsCLI != nil, "the aws CLI is not installed"), .timeLimit(.minutes(1)))
    func awsCLIStartsAContact() async throws {
        let aws = try #require(Tool.awsCLI)
        try await withSimulator { session in
            let simulator = session.simulator
            let arguments = [
                "connect", "start-outbound-voice-contact", "--endpoint-url", simulator.url, "--region",
                simulator.region, "--destination-phone-number", "+15551230001", "--contact-flow-id", "flow",
                "--instance-id", "instance", "--queue-id", "queue", "--client-token", "cli-token", "--output", "json",
            ]
            let environment = [
                "AWS_ACCESS_KEY_ID": simulator.credentials.accessKeyId,
                "AWS_SECRET_ACCESS_KEY": simulator.credentials.secretAccessKey,
                "AWS_CONFIG_FILE": "/dev/null",
                "AWS_SHARED_CREDENTIALS_FILE": "/dev/null",
                "AWS_MAX_ATTEMPTS": "1",
            ]
            let first = try await Tool.run(aws, arguments, environment: environment)
            #expect(first.status == 0, "\(first.error)")
            let contactId = try Tool.json(first.output)["ContactId"] as? String
            #expect(contactId != nil)
            let second = try await Tool.run(aws, arguments, environment: environment)
            #expect(try Tool.json(second.output)["ContactId"] as? String == contactId)

            var wrong = environment
            wrong["AWS_SECRET_ACCESS_KEY"] = "not-the-secret"
            let refused = try await Tool.run(aws, arguments, environment: wrong)
            #expect(refused.status != 0)
            #expect(refused.error.contains("(InvalidSignatureException)"))
        }
    }
}

/// Running the external clients.
enum Tool {
    struct Run: Sendable {
        var status: Int32
        var output: String
        var error: String
    }

    /// Whether `python3` can import boto3.
    static let hasBoto3: Bool = {
        guard let python = find("python3") else { return false }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = ["-c", "import boto3"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return false }
        process.waitUntilExit()
        return process.terminationStatus == 0
    }()

    /// The aws CLI's path, from `PATH`.
    static let awsCLI: String? = find("aws")

    static func find(_ name: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for directory in path.split(separator: ":") {
            let candidate = "\(directory)/\(name)"
            if FileManager.default.isExecutableFile(atPath: candidate) {
                return candidate
            }
        }
        return nil
    }

    /// Runs a program to its end, off the concurrency pool, and collects its output.
    static func run(_ program: String, _ arguments: [String], environment: [String: String] = [:]) async throws -> Run {
        let executable = program.hasPrefix("/") ? program : try #require(find(program))
        return try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async {
                let process = Process()
                process.executableURL = URL(fileURLWithPath: executable)
                process.arguments = arguments
                process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
                let output = Pipe()
                let error = Pipe()
                process.standardOutput = output
                process.standardError = error
                process.standardInput = FileHandle.nullDevice
                do {
                    try process.run()
                } catch {
                    continuation.resume(throwing: error)
                    return
                }
                // Read both pipes to their end before waiting, so a full pipe never blocks the child.
                let group = DispatchGroup()
                nonisolated(unsafe) var errorData = Data()
                group.enter()
                DispatchQueue.global().async {
                    errorData = error.fileHandleForReading.readDataToEndOfFile()
                    group.leave()
                }
                let outputData = output.fileHandleForReading.readDataToEndOfFile()
                group.wait()
                process.waitUntilExit()
                continuation.resume(
                    returning: Run(
                        status: process.terminationStatus,
                        output: String(decoding: outputData, as: UTF8.self),
                        error: String(decoding: errorData, as: UTF8.self)
                    )
                )
            }
        }
    }

    static func json(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }
}
