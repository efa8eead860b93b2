import OutdialCore

/// What `run`, `replay` or one file of a spool pass came to: the command prints `text` on
/// standard error and exits with `processExitCode`.
public struct RunOutcome: Sendable {
    /// Why nothing was sent (an unreadable job file, `--strict`, an unusable output), if so.
    public var notSent: String?
    /// The counts, timing and abort of the run; empty when nothing was sent.
    public var summary: RunSummary
    /// The exit code of results.md: 0, 1, 2 (nothing sent) or 3 (aborted).
    public var exitCode: Int32
    /// Whether SIGINT/SIGTERM (or the caller's interrupt) stopped the run early.
    public var interrupted: Bool

    public init(notSent: String? = nil, summary: RunSummary = RunSummary(), exitCode: Int32, interrupted: Bool = false)
    {
        self.notSent = notSent
        self.summary = summary
        self.exitCode = exitCode
        self.interrupted = interrupted
    }

    /// A refusal: nothing was sent (exit 2).
    static func refused(_ reason: String) -> RunOutcome {
        RunOutcome(notSent: reason, exitCode: 2)
    }

    /// The lines for standard error: the refusal, or the summary.
    public var text: String {
        if let notSent { return "outdial: \(notSent)\n" }
        return summary.text()
    }

    /// The exit status of the process. An interrupted run exits as results.md says for its
    /// lines (1: some rows are `skipped: interrupted`), once every line is written.
    public var processExitCode: Int32 { exitCode }
}
