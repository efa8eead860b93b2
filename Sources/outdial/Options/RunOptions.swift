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

    @OptionGroup var calls: LiveCallOptions

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
}
