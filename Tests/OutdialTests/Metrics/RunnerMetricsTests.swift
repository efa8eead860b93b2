import ConnectSimulator
import Foundation
import Outdial
import OutdialBase
import Testing

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// `--metrics-file` and `--pushgateway` on real runs against the simulator; the Pushgateway is
/// Debian's `prometheus-pushgateway`, started on a free loopback port.
@Suite struct RunnerMetricsTests {
    @Test func theMetricsFileCountsWhatTheResultsSay() async throws {
        let folder = try TestFolder()
        let job = try folder.write("job.yaml", TestJob.yaml(id: "metrics", destinations: TestJob.destinations(5)))
        try await withSimulator { simulator in
            var configuration = runnerConfiguration(
                sendingTo: simulator,
                state: folder.path("state"),
                results: folder.path("results.ndjson")
            )
            configuration.output.metricsFile = folder.path("outdial.prom")
            let outcome = await Runner(configuration: configuration, messages: .keeping(), logger: quietLogger())
                .run(JobList(paths: [job]))

            #expect(outcome.exitCode == 0)
            let text = folder.read("outdial.prom")
            let started = folder.lines("results.ndjson").filter { $0["status"] as? String == "started" }.count
            #expect(started == 5)
            #expect(RunMetricsTests.value(text, #"outdial_rows_total{job_id="metrics",status="started"}"#) == 5)
            #expect(RunMetricsTests.value(text, #"outdial_attempts_total{job_id="metrics"}"#) == 5)
            #expect(RunMetricsTests.value(text, "outdial_run_exit_code") == 0)
            #expect(RunMetricsTests.value(text, "outdial_last_success_timestamp_seconds") != nil)
            #expect(ExpositionFormat.problems(in: text).isEmpty)
        }
    }

    @Test func aMetricsFileThatIsAJobFileIsRefused() async throws {
        let folder = try TestFolder()
        let job = try folder.write("job.yaml", TestJob.yaml(id: "clobber", destinations: TestJob.destinations(2)))
        let before = folder.read("job.yaml")
        try await withSimulator { simulator in
            var configuration = runnerConfiguration(sendingTo: simulator, state: folder.path("state"))
            configuration.output.metricsFile = job
            let outcome = await Runner(configuration: configuration, messages: .keeping(), logger: quietLogger())
                .run(JobList(paths: [job]))
            #expect(outcome.exitCode == 2)
            #expect(outcome.text.contains("--metrics-file \(job) is \(job), a file being read"))
            #expect(simulator.requestLog().isEmpty)
            #expect(folder.read("job.yaml") == before)
        }
    }

    @Test(
        .enabled(
            if: FileManager.default.isExecutableFile(atPath: Pushgateway.binary),
            "Debian's prometheus-pushgateway is not installed (make deps installs it as root)"
        )
    )
    func theRunsFiguresArePushedToThePushgatewayGroupedByJobId() async throws {
        let folder = try TestFolder()
        let gateway = try await Pushgateway.start()
        defer { gateway.stop() }
        let job = try folder.write("job.yaml", TestJob.yaml(id: "pushed", destinations: TestJob.destinations(3)))
        try await withSimulator { simulator in
            var configuration = runnerConfiguration(sendingTo: simulator, state: folder.path("state"))
            configuration.output.results = folder.path("results.ndjson")
            configuration.output.pushgateway = gateway.url
            let outcome = await Runner(configuration: configuration, messages: .keeping(), logger: quietLogger())
                .run(JobList(paths: [job]))
            #expect(outcome.exitCode == 0)
        }
        let text = try await gateway.metrics()
        #expect(
            RunMetricsTests.value(
                text,
                #"outdial_rows_total{instance="",job="outdial",job_id="pushed",status="started"}"#
            ) == 3,
            "\(text)"
        )
        #expect(
            RunMetricsTests.value(text, #"outdial_run_exit_code{instance="",job="outdial",job_id="pushed"}"#) == 0
        )
        #expect(text.contains(#"outdial_last_success_timestamp_seconds{instance="",job="outdial",job_id="pushed"}"#))
    }

    @Test func aPushgatewayThatCannotBeReachedIsAWarningNotAFailure() async throws {
        let folder = try TestFolder()
        let job = try folder.write("job.yaml", TestJob.yaml(id: "unpushed", destinations: TestJob.destinations(2)))
        try await withSimulator { simulator in
            var configuration = runnerConfiguration(sendingTo: simulator, state: folder.path("state"))
            configuration.output.results = folder.path("results.ndjson")
            // A port nothing listens on.
            configuration.output.pushgateway = "http://127.0.0.1:\(try Pushgateway.freePort())"
            let messages = MessageLog.keeping()
            let outcome = await Runner(configuration: configuration, messages: messages, logger: quietLogger())
                .run(JobList(paths: [job]))
            #expect(outcome.exitCode == 0)
            #expect(
                messages.lines.contains { $0.hasPrefix("outdial: warning: cannot push the metrics of job unpushed") }
            )
            #expect(folder.lines("results.ndjson").count == 2)
        }
    }
}

/// A `prometheus-pushgateway` process on a free loopback port, for one test.
private struct Pushgateway {
    static let binary = "/usr/bin/prometheus-pushgateway"
    let process: Process
    let url: String

    static func start() async throws -> Pushgateway {
        let port = try freePort()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = ["--web.listen-address=127.0.0.1:\(port)"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        let gateway = Pushgateway(process: process, url: "http://127.0.0.1:\(port)")
        // Ready when it answers (it starts in well under a second).
        for _ in 0 ..< 200 {
            if (try? await gateway.metrics()) != nil { return gateway }
            try await Task.sleep(for: .milliseconds(25))
        }
        gateway.stop()
        throw CocoaError(.fileReadUnknown)
    }

    func metrics() async throws -> String {
        let (data, _) = try await URLSession.shared.data(from: URL(string: url + "/metrics")!)
        return String(decoding: data, as: UTF8.self)
    }

    func stop() {
        process.terminate()
        process.waitUntilExit()
    }

    /// A loopback port free now.
    static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw CocoaError(.fileReadUnknown) }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0
            }
        }
        guard bound else { throw CocoaError(.fileReadUnknown) }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}
