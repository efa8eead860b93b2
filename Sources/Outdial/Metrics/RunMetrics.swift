import Foundation
import OutdialCore
import Synchronization

/// The metrics of one run (`--metrics-file`, `--pushgateway`): the file is rewritten every
/// `interval` while the run goes on and once more at its end; the Pushgateway gets them at the end.
final class RunMetrics<C: Clock>: Sendable where C.Duration == Duration {
    /// What the executor tells of the run.
    let monitor = RunMonitor()
    private let file: MetricsFile?
    private let gateway: Pushgateway?
    private let interval: Duration
    private let clock: C
    /// When a run last succeeded, from the file an earlier run left.
    private let earlierSuccess: Double?
    private let writer = Mutex<Task<Void, Never>?>(nil)
    /// Why the file could not be written, said once.
    private let fileProblem = Mutex<String?>(nil)

    init(file: String?, pushgateway: String?, interval: Duration, clock: C) {
        self.file = file.map(MetricsFile.init(path:))
        self.gateway = pushgateway.map(Pushgateway.init(url:))
        self.interval = interval
        self.clock = clock
        self.earlierSuccess = self.file?.read().flatMap(MetricsExposition.lastSuccess(in:))
    }

    /// Writes the file now and then every `interval` until `finish`.
    /// - Returns: nil, or why the file cannot be written (then the run should not start).
    func start() -> String? {
        guard let file else { return nil }
        write(end: nil)
        if let problem = fileProblem.withLock({ $0 }) { return "cannot write the metrics to \(file.path): \(problem)" }
        let task = Task { [self] in
            while !Task.isCancelled {
                do { try await clock.sleep(for: interval) } catch { return }
                write(end: nil)
            }
        }
        writer.withLock { $0 = task }
        return nil
    }

    /// The run has ended: the file is written a last time and the figures pushed.
    /// - Returns: warnings for the user (a file or a push that failed).
    func finish(exitCode: Int32, at date: Date = Date()) async -> [String] {
        let task = writer.withLock { task in
            defer { task = nil }
            return task
        }
        task?.cancel()
        await task?.value
        let end = MetricsExposition.RunEnd(exitCode: exitCode, at: date.timeIntervalSince1970)
        var warnings: [String] = []
        if let file {
            write(end: end)
            if let problem = fileProblem.withLock({ $0 }) {
                warnings.append("cannot write the metrics to \(file.path): \(problem)")
            }
        }
        if let gateway {
            let snapshot = monitor.snapshot()
            for job in snapshot.jobs.keys.sorted() {
                let bytes = MetricsExposition.render(
                    snapshot,
                    job: job,
                    end: end,
                    lastSuccess: exitCode == 0 ? end.at : nil
                )
                if let problem = await gateway.push(bytes, jobId: job, replace: exitCode == 0) {
                    warnings.append("cannot push the metrics of job \(job) to \(gateway.url): \(problem)")
                }
            }
        }
        return warnings
    }

    private func write(end: MetricsExposition.RunEnd?) {
        guard let file else { return }
        let lastSuccess = end.map { $0.exitCode == 0 ? $0.at : earlierSuccess } ?? earlierSuccess
        let bytes = MetricsExposition.render(monitor.snapshot(), end: end, lastSuccess: lastSuccess)
        if let problem = file.write(bytes) {
            fileProblem.withLock { $0 = $0 ?? problem }
        }
    }
}
