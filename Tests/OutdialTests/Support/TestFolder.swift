import ConnectSimulator
import Foundation
import Logging
import Outdial
import OutdialClient

/// A temporary folder removed when the test ends.
final class TestFolder {
    let path: String

    init() throws {
        path = FileManager.default.temporaryDirectory.appendingPathComponent("outdial-tests-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    func path(_ name: String) -> String { path + "/" + name }

    @discardableResult
    func write(_ name: String, _ text: String) throws -> String {
        let full = path(name)
        try FileManager.default.createDirectory(
            atPath: (full as NSString).deletingLastPathComponent,
            withIntermediateDirectories: true
        )
        try text.write(toFile: full, atomically: false, encoding: .utf8)
        return full
    }

    func read(_ name: String) -> String {
        (try? String(contentsOfFile: path(name), encoding: .utf8)) ?? ""
    }

    /// The JSON objects of an NDJSON file.
    func lines(_ name: String) -> [[String: Any]] {
        read(name).split(separator: "\n").compactMap {
            (try? JSONSerialization.jsonObject(with: Data($0.utf8))) as? [String: Any]
        }
    }

    /// Sets a file's modification time 10 minutes back (settled for a spool pass).
    func age(_ name: String) throws {
        try FileManager.default.setAttributes(
            [.modificationDate: Date().addingTimeInterval(-600)],
            ofItemAtPath: path(name)
        )
    }
}

/// Job files for tests.
enum TestJob {
    /// `count` fictional destinations, `+1555123NNNN` from `first`.
    static func destinations(_ count: Int, first: Int = 0) -> [String] {
        (first ..< (first + count)).map { "+1555123" + String(String($0 + 10000).dropFirst()) }
    }

    /// A YAML job with one row per destination; `id: nil` leaves the id out.
    ///
    /// `window` is written last (after the rows, so their line numbers do not move): `off` by
    /// default, so that a test not about calling windows sends every row whatever the time of day
    /// (the fictional `+1 555 123` numbers have no time zone); nil writes no `window` key.
    static func yaml(id: String?, destinations: [String], window: String? = "off") -> String {
        var text = "version: 1\n"
        if let id { text += "id: \(id)\n" }
        text += """
            defaults:
              InstanceId: 12345678-1234-1234-1234-123456789012
              ContactFlowId: 846ec553-a005-41c0-8341-123456789012
              SourcePhoneNumber: "+15550100100"
            contacts:

            """
        for destination in destinations { text += "  - DestinationPhoneNumber: \"\(destination)\"\n" }
        if let window { text += "window: \(window)\n" }
        return text
    }

    /// The warning a job written by `yaml` with `rows` rows and an id gives for its `window: off`.
    static func windowOffWarning(_ job: String, rows: Int) -> String {
        "\(job):\(rows + 8):9: warning: window: off — this job's rows are called at any hour of the called person's "
            + "day and night"
    }
}

/// A logger that prints nothing below critical.
func quietLogger() -> Logger {
    var logger = Logger(label: "outdial.tests")
    logger.logLevel = .critical
    return logger
}

/// A runner configured to send to `simulator`, journal in `folder/state`, results to `results`.
func runnerConfiguration(
    sendingTo simulator: RunningSimulator,
    state: String,
    results: String? = nil
) -> Runner.Configuration {
    var configuration = Runner.Configuration()
    configuration.aws = .init(
        options: AWSOptions(endpointURL: simulator.url, region: simulator.region),
        environment: AWSEnvironment(
            variables: [
                "AWS_ACCESS_KEY_ID": simulator.credentials.accessKeyId,
                "AWS_SECRET_ACCESS_KEY": simulator.credentials.secretAccessKey,
                "AWS_EC2_METADATA_DISABLED": "true",
            ],
            homeDirectory: "/nonexistent"
        )
    )
    configuration.state.directory = state
    configuration.pacing.rate = 0
    // Calls are not followed: lines are written when the request is accepted.
    configuration.calls = .init(follow: false, maxActive: 0)
    configuration.output.results = results
    configuration.output.progress = false
    return configuration
}

/// Runs `body` with a simulator on a free loopback port, shut down afterwards.
func withSimulator<T>(
    _ configuration: SimulatorConfiguration = SimulatorConfiguration(),
    _ body: (RunningSimulator) async throws -> T
) async throws -> T {
    let simulator = try await ConnectSimulator.start(configuration, logger: quietLogger())
    do {
        let value = try await body(simulator)
        try await simulator.shutdown()
        return value
    } catch {
        try? await simulator.shutdown()
        throw error
    }
}
