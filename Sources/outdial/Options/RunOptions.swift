import ArgumentParser
import Foundation
import Outdial

/// Options shared by `run`, `replay` and `spool`. Numbers are parsed unconditionally, so that
/// `--rate -1` reaches the range check instead of being taken for an option.
struct RunOptions: ParsableArguments {
    @Option(
        name: .shortAndLong,
        help: "Append results to this file (created with mode 0600), e.g. -o results.ndjson. Default: standard output."
    )
    var output: String?

    @Option(
        parsing: .unconditional,
        help: "Requests in flight at once, e.g. --concurrency 20. Default: the job's pacing.concurrency, else 10."
    )
    var concurrency: Int?

    @Option(
        parsing: .unconditional,
        help: "Requests started per second, e.g. --rate 2; 0 is unlimited. Default: the job's pacing.rate, else 2."
    )
    var rate: Double?

    @Option(
        parsing: .unconditional,
        help:
            "Token-bucket size: how many may start at once after a pause, e.g. --burst 5. Default: the job's pacing.burst, else 5."
    )
    var burst: Int?

    @Option(
        name: .customLong("quota-key"),
        help: ArgumentHelp(
            "Whose --rate and --burst this is: runs recording in one ledger with the same key share them, "
                + "per region (default: account, one AWS account per ledger), e.g. --quota-key 123456789012.",
            valueName: "NAME"
        )
    )
    var quotaKey: String?

    @Option(
        name: .customLong("max-attempts"),
        parsing: .unconditional,
        help: "Attempts per row for retryable errors (throttling, 5xx, connection errors), e.g. --max-attempts 5."
    )
    var maxAttempts = 3

    @Option(parsing: .unconditional, help: "Per-attempt request timeout in seconds, e.g. --timeout 5.")
    var timeout: Double = 10

    @Option(help: "Start no call after this time: HH:MM (local) or RFC 3339, e.g. --deadline 20:30.")
    var deadline: String?

    @Option(
        name: .customLong("max-active-calls"),
        parsing: .unconditional,
        help: """
            Start a row only while fewer than N calls of this run are live (the instance's quota of \
            concurrent calls); 0 turns it off. Default: the job's pacing.activeCalls, \
            OUTDIAL_MAX_ACTIVE_CALLS, else 10. Example: --max-active-calls 20
            """
    )
    var maxActiveCalls: Int?

    @Option(
        name: .customLong("describe-rate"),
        parsing: .unconditional,
        help: """
            DescribeContact requests per second at most, to follow live calls (burst: 1.5 times it). \
            Default 5, half of Connect's default quota of 10/s; raise it when the account's quota is \
            higher or nothing else uses it. Example: --describe-rate 9
            """
    )
    var describeRate: Double?

    @Option(
        help: ArgumentHelp(
            "agents: rows with a QueueId start only while the run's calls for their queue are fewer than its "
                + "free agents (AGENTS_AVAILABLE, read every 2 s) times --agent-ratio. Example: --pace agents",
            valueName: "agents"
        )
    )
    var pace: String?

    @Option(
        name: .customLong("agent-ratio"),
        parsing: .unconditional,
        help: "With --pace agents: calls per free agent (default 1.0), e.g. --agent-ratio 1.5."
    )
    var agentRatio: Double?

    @Flag(
        inversion: .prefixedNo,
        help: """
            Follow each started call to its end and write its line then, with outcome and call \
            (--no-follow, or OUTDIAL_FOLLOW=off: write it when Connect accepts the request).
            """
    )
    var follow: Bool?

    @Flag(
        help: """
            Hold rows whose calling window is closed and start each when its window opens (until \
            --deadline), instead of skipping them (outside-window), e.g. --wait --deadline 21:00.
            """
    )
    var wait = false

    @Option(
        name: .customLong("halt-after"),
        parsing: .unconditional,
        help: "Abort after this many consecutive non-retryable failures with the same error code, e.g. --halt-after 5."
    )
    var haltAfter = 20

    @Option(
        name: .customLong("state"),
        help: ArgumentHelp(
            "The ledger on PostgreSQL, shared by several machines, e.g. "
                + "--state postgres://outdial@db.example.com/outdial?sslmode=verify-full (password from PGPASSWORD "
                + "or ~/.pgpass, never in the URL); a directory here is taken as --state-dir. Default: "
                + "OUTDIAL_STATE_URL, then the state directory.",
            valueName: "URL|DIR"
        )
    )
    var state: String?

    @Option(
        name: .customLong("state-dir"),
        help:
            "Where the ledger (outdial.sqlite) lives, e.g. --state-dir /var/lib/outdial. Default: OUTDIAL_STATE_DIR, $XDG_STATE_HOME/outdial, ~/.local/state/outdial."
    )
    var stateDir: String?

    @Flag(
        help: """
            Run the job together with the other workers of it that record in the same ledger (on several \
            machines: --state postgres://…): the job's rows are registered once, and each worker claims chunks \
            of them under a lease. Without it, a second run of a running job is refused.
            """
    )
    var worker = false

    @Option(
        parsing: .unconditional,
        help: ArgumentHelp(
            "With --worker: seconds a worker's lease on its rows lasts without being renewed (renewed every third "
                + "of it); a worker that dies leaves its rows to the others after this, e.g. --lease 30.",
            valueName: "SECONDS"
        )
    )
    var lease: Double?

    @Flag(
        name: .customLong("redial-uncertain"),
        help: "Send again rows whose earlier outcome is unknown (a person may be called twice)."
    )
    var redialUncertain = false

    @Flag(help: "Refuse the whole batch if any row is invalid.")
    var strict = false

    @Option(
        name: .customLong("allow-prefix"),
        help: "Allow a destination prefix that is blocked by default, e.g. --allow-prefix +447 (repeatable)."
    )
    var allowPrefixes: [String] = []

    @Flag(name: .customLong("dry-run"), help: "Do everything but send; the results show what would be sent.")
    var dryRun = false

    @Flag(help: "Send to a simulator started in-process on a free loopback port (no AWS account needed).")
    var simulate = false

    @Flag(inversion: .prefixedNo, help: "Show a live progress line on stderr. Default: on when stderr is a terminal.")
    var progress: Bool?

    @Option(help: "Write the end-of-run summary as JSON to this file (mode 0600), e.g. --summary summary.json.")
    var summary: String?

    @Option(
        name: .customLong("metrics-file"),
        help: ArgumentHelp(
            "Write the run's metrics in the Prometheus text format to this file, every 5 s and at the end, e.g. --metrics-file /var/lib/node_exporter/textfile/outdial.prom.",
            discussion:
                "Replaced atomically (a temporary file renamed over it), as node_exporter's textfile collector needs."
        )
    )
    var metricsFile: String?

    @Option(
        help:
            "Push the run's metrics to this Prometheus Pushgateway at the end (job=\"outdial\", grouped by job_id), e.g. --pushgateway http://pushgateway:9091."
    )
    var pushgateway: String?

    func validate() throws {
        if state != nil, stateDir != nil { throw ValidationError("give --state or --state-dir, not both") }
        if let concurrency, concurrency < 1 {
            throw ValidationError("--concurrency must be at least 1, e.g. --concurrency 10")
        }
        if let rate, !(rate >= 0) || !rate.isFinite {
            throw ValidationError("--rate must be 0 (unlimited) or a positive number, e.g. --rate 2")
        }
        if let burst, burst < 1 { throw ValidationError("--burst must be at least 1, e.g. --burst 5") }
        if let quotaKey,
            quotaKey.isEmpty || quotaKey.count > 200
                || quotaKey.unicodeScalars.contains(where: {
                    $0.properties.generalCategory == .control
                })
        {
            throw ValidationError(
                "--quota-key takes a name of 1 to 200 printable characters, e.g. --quota-key 123456789012"
            )
        }
        if let lease {
            guard worker else { throw ValidationError("--lease needs --worker") }
            guard lease >= 1, lease <= 3600 else {
                throw ValidationError("--lease must be 1 to 3600 seconds, e.g. --lease 30")
            }
        }
        if worker, dryRun { throw ValidationError("--worker sends rows; a dry run (--dry-run) sends none") }
        if maxAttempts < 1 { throw ValidationError("--max-attempts must be at least 1, e.g. --max-attempts 3") }
        if !(timeout > 0 && timeout <= 3600) {
            throw ValidationError("--timeout must be more than 0 and at most 3600 seconds, e.g. --timeout 10")
        }
        if haltAfter < 1 { throw ValidationError("--halt-after must be at least 1, e.g. --halt-after 20") }
        if let pace, pace != "agents" {
            throw ValidationError("--pace \(pace): the only value is agents, e.g. --pace agents")
        }
        if let agentRatio {
            guard pace != nil else { throw ValidationError("--agent-ratio needs --pace agents") }
            guard agentRatio > 0, agentRatio.isFinite else {
                throw ValidationError("--agent-ratio must be more than 0, e.g. --agent-ratio 1.5")
            }
        }
        if let describeRate, !(describeRate > 0 && describeRate <= 1000) {
            throw ValidationError("--describe-rate must be more than 0 and at most 1000, e.g. --describe-rate 9")
        }
        if let maxActiveCalls, maxActiveCalls < 0 {
            throw ValidationError("--max-active-calls must be 0 (off) or more, e.g. --max-active-calls 10")
        }
        for prefix in allowPrefixes where !prefix.hasPrefix("+") {
            throw ValidationError(
                "--allow-prefix takes an E.164 prefix starting with +, e.g. --allow-prefix +447; got \(prefix)"
            )
        }
        if let pushgateway, !(pushgateway.hasPrefix("http://") || pushgateway.hasPrefix("https://")) {
            throw ValidationError(
                "--pushgateway takes an http:// or https:// address, e.g. --pushgateway http://pushgateway:9091; got \(pushgateway)"
            )
        }
        _ = try parsedDeadline()
    }

    /// - Parameter now: the time the run starts at (`OUTDIAL_START_TIME`, else now): `HH:MM` is
    ///   the next such moment from it.
    private func parsedDeadline(now: Date = Date()) throws -> Date? {
        guard let deadline else { return nil }
        guard let parsed = Deadline.parse(deadline, now: now) else {
            throw ValidationError(
                "--deadline \(deadline): expected HH:MM (local time) or an RFC 3339 time, e.g. 20:30 or 2026-11-25T20:30:00Z"
            )
        }
        return parsed
    }

    /// The runner's configuration for these options and `aws`.
    func configuration(aws: AWSOptionGroup) throws -> Runner.Configuration {
        var configuration = Runner.Configuration()
        configuration.planning = .init(allowPrefixes: allowPrefixes, strict: strict)
        configuration.pacing = .init(
            concurrency: concurrency,
            rate: rate,
            burst: burst,
            quotaKey: quotaKey ?? Runner.Configuration.Pacing.defaultQuotaKey
        )
        configuration.retry = .init(
            maxAttempts: maxAttempts,
            timeout: .milliseconds(Int64((timeout * 1000).rounded())),
            haltAfter: haltAfter
        )
        configuration.output = .init(
            results: output,
            summary: summary,
            progress: progress,
            metricsFile: metricsFile,
            pushgateway: pushgateway
        )
        configuration.state = .init(directory: state ?? stateDir, redialUncertain: redialUncertain)
        if worker {
            configuration.state.workerLease = .milliseconds(Int64(((lease ?? 30) * 1000).rounded()))
        }
        if let busyTimeout = try Self.busyTimeout(ProcessInfo.processInfo.environment) {
            configuration.state.busyTimeout = busyTimeout
        }
        configuration.aws = .init(options: aws.options)
        configuration.simulate = simulate
        configuration.dryRun = dryRun
        let startTime = try StartTime.fromEnvironment(ProcessInfo.processInfo.environment)
        configuration.deadline = try parsedDeadline(now: startTime ?? Date())
        configuration.window.wait = wait
        let environment = ProcessInfo.processInfo.environment
        configuration.calls.maxActive = try maxActiveCalls ?? Self.maxActiveCalls(environment)
        configuration.calls.follow = try follow ?? Self.follow(environment)
        if pace == "agents" { configuration.calls.agentRatio = agentRatio ?? 1 }
        if let describeRate { configuration.calls.describeRate = describeRate }
        configuration.window.startTime = startTime
        configuration.handlesSignals = true
        configuration.command = CommandLine.arguments.joined(separator: " ")
        return configuration
    }

    /// `OUTDIAL_LEDGER_BUSY_TIMEOUT`: how long, in seconds, the ledger waits for another
    /// process's lock before the run stops; nil when not set.
    /// `OUTDIAL_MAX_ACTIVE_CALLS`: the default of `--max-active-calls`.
    static func maxActiveCalls(_ environment: [String: String]) throws -> Int? {
        guard let text = environment["OUTDIAL_MAX_ACTIVE_CALLS"], !text.isEmpty else { return nil }
        guard let number = Int(text), number >= 0 else {
            throw ValidationError("OUTDIAL_MAX_ACTIVE_CALLS=\(text): expected 0 (off) or more, e.g. 10")
        }
        return number
    }

    /// `OUTDIAL_FOLLOW`: `on` or `off` (also `1`/`0`, `true`/`false`), the default of `--follow`.
    static func follow(_ environment: [String: String]) throws -> Bool {
        guard let text = environment["OUTDIAL_FOLLOW"], !text.isEmpty else { return true }
        switch text.lowercased() {
        case "on", "1", "true", "yes": return true
        case "off", "0", "false", "no": return false
        default: throw ValidationError("OUTDIAL_FOLLOW=\(text): expected on or off")
        }
    }

    static func busyTimeout(_ environment: [String: String]) throws -> Duration? {
        guard let text = environment["OUTDIAL_LEDGER_BUSY_TIMEOUT"] else { return nil }
        guard let seconds = Double(text), seconds.isFinite, seconds >= 0, seconds <= 86_400 else {
            throw ValidationError(
                "OUTDIAL_LEDGER_BUSY_TIMEOUT=\(text): expected a number of seconds from 0 to 86400, e.g. 10"
            )
        }
        return .milliseconds(Int64((seconds * 1000).rounded()))
    }
}
