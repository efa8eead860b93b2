import ArgumentParser
import Outdial

/// `outdial spool DIR`: one pass over a drop folder, for cron.
struct SpoolCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "spool",
        abstract: "One pass over a drop folder: run every finished job file in DIR/incoming.",
        discussion: """
            Each *.yaml, *.yml or *.json file in DIR/incoming that has not changed for --settle \
            seconds is claimed by an atomic link into DIR/processing (two passes at once never take \
            the same file), run, and moved to DIR/done (or DIR/failed when it could not be read), \
            with NAME.results.ndjson and NAME.summary.json beside it; a name already there gets a \
            time stamp (and a counter) in front. Dot-files, names ending in ~, .tmp or .part, files \
            still being written, and symbolic links (never followed) are left alone.

            A pass holds a lock on each file it runs. A file left in DIR/processing by a pass that \
            crashed, was killed or was interrupted is taken over by the next pass, which resumes \
            its unsent rows (the ledger keeps sent rows from being sent again). SIGINT or SIGTERM \
            stops the whole pass (exit 1).

            Example (crontab, every minute):
              * * * * * outdial spool /srv/calls --no-progress 2>>/var/log/outdial-spool.log
            """
    )

    @Argument(help: ArgumentHelp("The drop folder; jobs go into DIR/incoming.", valueName: "DIR"))
    var directory: String

    @Option(parsing: .unconditional, help: "Seconds a file must be unchanged before it is taken, e.g. --settle 10.")
    var settle: Double = 5

    @OptionGroup var run: RunOptions
    @OptionGroup(title: "AWS options") var aws: AWSOptionGroup

    func validate() throws {
        if !(settle >= 0) { throw ValidationError("--settle must be 0 or more seconds, e.g. --settle 5") }
        if run.worker {
            throw ValidationError("--worker runs one job on several machines; a drop folder is one machine's (use run)")
        }
        if run.output != nil || run.summary != nil {
            throw ValidationError(
                "spool writes NAME.results.ndjson and NAME.summary.json beside each job; -o and --summary do not apply"
            )
        }
    }

    func run() async throws {
        let runner = Runner(
            configuration: try run.configuration(aws: aws),
            logger: Console.logger("outdial", debug: aws.debug)
        )
        let outcome = await runner.spool(directory, settle: settle)
        if let problem = outcome.problem { Console.error("outdial: \(problem)") }
        if outcome.processExitCode != 0 { throw ExitCode(outcome.processExitCode) }
    }
}
