import ArgumentParser
import OutdialLedger

extension LedgerCommand {
    /// `outdial ledger jobs [--json]`.
    struct Jobs: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "jobs",
            abstract: "The jobs the ledger has seen, the most recently run first.",
            discussion: """
                For each job: its rows with an attempt, its attempts started, failed and uncertain \
                (outcome unknown, or an intent with no outcome recorded), its first and last run.

                Example: outdial ledger jobs --json
                """
        )

        @Flag(
            help: "One JSON object a line (job, rows, started, failed, uncertain, firstRun, lastRun), e.g. --json."
        )
        var json = false

        @OptionGroup var state: StateDirectoryOption

        func run() async throws {
            try await LedgerAccess.with(state, creating: false) { ledger in
                let jobs = try await ledger?.jobs() ?? []
                if json {
                    try LedgerAccess.print(jobs.map(\.json))
                    return
                }
                if jobs.isEmpty {
                    Console.error("outdial: the ledger has no jobs")
                    return
                }
                var table = TextTable("JOB", "ROWS", "STARTED", "FAILED", "UNCERTAIN", "FIRST RUN", "LAST RUN")
                for job in jobs {
                    table.append(
                        job.job,
                        String(job.rows),
                        String(job.started),
                        String(job.failed),
                        String(job.uncertain),
                        job.firstRun.rfc3339,
                        job.lastRun.rfc3339
                    )
                }
                try LedgerAccess.print(table.lines)
            }
        }
    }
}
