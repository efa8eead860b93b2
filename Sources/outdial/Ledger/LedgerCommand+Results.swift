import ArgumentParser
import OutdialCore
import OutdialLedger

extension LedgerCommand {
    /// `outdial ledger results JOB [-o FILE]`.
    struct Results: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "results",
            abstract: "The results of a job run by several workers, one line a row, from the ledger.",
            discussion: """
                Each worker (run --worker) writes the lines of the rows it settled; this writes the \
                whole job's, whichever worker settled each row, in the order of its files and rows, \
                as the results of one run would be (so `outdial replay` reads them). A row no worker \
                has settled yet is `"status":"pending"` (with the worker holding it, if any).

                Example: outdial ledger results nightly-reminders --state postgres://outdial@db/outdial -o all.ndjson
                """
        )

        @Argument(help: "The job id, e.g. nightly-reminders.")
        var job: String

        @Option(
            name: .shortAndLong,
            help: ArgumentHelp(
                "Write to FILE (replaced; created with mode 0600) instead of standard output, e.g. -o all.ndjson.",
                valueName: "FILE"
            )
        )
        var output: String?

        @OptionGroup var state: StateDirectoryOption

        func run() async throws {
            try await LedgerAccess.with(state, creating: false) { ledger in
                guard let lines = try await ledger?.jobResults(job: job) else {
                    Console.error("outdial: error: the ledger has no job \(job)")
                    throw ExitCode(2)
                }
                if lines.isEmpty {
                    Console.error(
                        "outdial: the job \(job) was not run by workers (run --worker): no rows in the ledger"
                    )
                }
                try await LedgerAccess.writing(to: output) { write in
                    for line in lines { try write(Array((line + "\n").utf8)) }
                }
            }
        }
    }
}
