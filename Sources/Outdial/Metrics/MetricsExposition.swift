import OutdialCore
import Prometheus

/// A run's figures in the Prometheus text format (the node_exporter textfile collector's and the
/// Pushgateway's), named as Prometheus asks: `outdial_` prefix, base units, `_total` counters.
enum MetricsExposition {
    /// How the run ended, for the metrics written at its end.
    struct RunEnd: Sendable, Equatable {
        var exitCode: Int32
        /// Seconds since 1970 when the run ended.
        var at: Double
    }

    /// Renders `snapshot`.
    /// - Parameters:
    ///   - job: only this job's rows (a Pushgateway group), or every job's.
    ///   - end: set when the run has ended.
    ///   - lastSuccess: when a run last succeeded (exit 0), in seconds since 1970: this run's end
    ///     when it succeeded, else an earlier run's, carried over.
    static func render(
        _ snapshot: RunMonitor.Snapshot,
        job: String? = nil,
        end: RunEnd? = nil,
        lastSuccess: Double? = nil
    ) -> [UInt8] {
        let registry = PrometheusCollectorRegistry()
        for (id, counts) in snapshot.jobs.sorted(by: { $0.key < $1.key }) where job == nil || job == id {
            /// `outdial_NAME_total{job_id, LABEL}`, one sample per value of the label.
            func count(_ name: String, by label: String, _ values: [String: Int], help: String) {
                for (value, count) in values {
                    registry.makeCounter(
                        descriptor: Self.name(name, unit: "total", help: help),
                        labels: [("job_id", id), (label, value)]
                    ).increment(by: Int64(count))
                }
            }
            count("rows", by: "status", counts.statuses.byName, help: "Rows settled, by status (one result line each).")
            count("rows_skipped", by: "reason", counts.skipped.byName, help: "Rows skipped, by reason.")
            count("errors", by: "code", counts.errors, help: "Rows failed or uncertain, by error code.")
            count(
                "call_outcomes",
                by: "outcome",
                counts.outcomes.byName,
                help: "Calls followed to their end, by outcome."
            )
            registry.makeCounter(
                descriptor: Self.name(
                    "attempts",
                    unit: "total",
                    help: "StartOutboundVoiceContact requests of the settled rows, retries included."
                ),
                labels: [("job_id", id)]
            ).increment(by: Int64(counts.attempts))
        }
        registry.makeCounter(
            descriptor: Self.name(
                "throttled_requests",
                unit: "total",
                help: "Requests answered with throttling (429 or a throttling error code)."
            )
        ).increment(by: Int64(snapshot.throttled))
        registry.makeGauge(
            descriptor: Self.name(
                "achieved_rate_requests",
                unit: "per_second",
                help: "Requests per second since the first request left."
            )
        ).set(to: snapshot.achievedRate)
        registry.makeGauge(
            descriptor: Self.name("live_calls", unit: "", help: "Calls of the run that may be live now.")
        )
        .set(to: Double(snapshot.liveCalls))
        registry.makeGauge(
            descriptor: Self.name("run_duration", unit: "seconds", help: "How long the run has taken so far.")
        )
        .set(to: snapshot.elapsed)
        registry.makeGauge(
            descriptor: Self.name("run_in_progress", unit: "", help: "1 while the run goes on, 0 once it has ended.")
        )
        .set(to: end == nil ? 1 : 0)
        if let end {
            registry.makeGauge(
                descriptor: Self.name(
                    "run_exit_code",
                    unit: "",
                    help: "The ended run's exit code (0 every row went as planned, 1 some rows failed, 3 aborted)."
                )
            ).set(to: Double(end.exitCode))
            registry.makeGauge(descriptor: Self.name("run_end_timestamp", unit: "seconds", help: "When the run ended."))
                .set(to: end.at)
        }
        if let lastSuccess {
            registry.makeGauge(
                descriptor: Self.name(
                    "last_success_timestamp",
                    unit: "seconds",
                    help: "When a run last ended with exit code 0."
                )
            ).set(to: lastSuccess)
        }
        return registry.emitToBuffer()
    }

    /// `outdial_NAME_UNIT`, with its help text.
    private static func name(_ name: String, unit: String, help: String) -> MetricNameDescriptor {
        MetricNameDescriptor(namespace: "outdial", metricName: name, unitName: unit, helpText: help)
    }

    /// The `outdial_last_success_timestamp_seconds` value of an earlier file, if it has one.
    static func lastSuccess(in text: String) -> Double? {
        for line in text.split(separator: "\n") where line.hasPrefix("outdial_last_success_timestamp_seconds ") {
            return Double(line.dropFirst("outdial_last_success_timestamp_seconds ".count))
        }
        return nil
    }
}

extension Dictionary where Key: RawRepresentable<String>, Value == Int {
    /// The counts by the keys' names.
    fileprivate var byName: [String: Int] {
        Dictionary<String, Int>(uniqueKeysWithValues: map { ($0.key.rawValue, $0.value) })
    }
}
