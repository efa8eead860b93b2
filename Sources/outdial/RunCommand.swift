import ArgumentParser
import Outdial

/// `outdial run JOB...`: plan, then send; one NDJSON result line per row.
struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Plan the job files, then send every valid row to Amazon Connect.",
        discussion: """
            Writes one NDJSON line per input row (started, failed, invalid, duplicate, skipped, \
            uncertain) and a summary on standard error. The ledger in the state directory \
            (outdial.sqlite) makes running the same command again safe: rows already started are \
            skipped, rows whose outcome is unknown are not dialled again unless --redial-uncertain. \
            It also holds every job to the communication limits (default: one started call per \
            number in any 24 hours, across all jobs; `limits:` in the job file or outdial ledger \
            config) and skips numbers on the suppression list (outdial suppress). Give each job an \
            id: without one, a fixed and re-dropped file is a new job (the limits still hold).

            SIGINT or SIGTERM stops starting rows (a second one stops at once); every row still \
            gets its line (`skipped: interrupted` or `uncertain`) and the exit status is 1.

            Exit status: 0 every row started (or already started, or duplicate); 1 some rows failed, \
            invalid, uncertain or skipped; 2 usage error, unreadable job file, or the job is being \
            run by another process; 3 aborted (credentials refused, endpoint unreachable, halt rule, \
            state directory unusable).

            Examples:
              outdial run jobs/reminders.yaml --simulate
              AWS_PROFILE=calls outdial run jobs/ --rate 2 --burst 5 -o results.ndjson --deadline 20:30
            """
    )

    @Argument(
        help: ArgumentHelp(
            "Job files: a file, a directory (every .yaml, .yml and .json in it, in name order), or - for standard input.",
            valueName: "JOB"
        )
    )
    var jobs: [String]

    @OptionGroup var run: RunOptions
    @OptionGroup(title: "AWS options") var aws: AWSOptionGroup

    func run() async throws {
        let jobs = JobArguments(self.jobs)
        let runner = Runner(
            configuration: try run.configuration(aws: aws),
            logger: Console.logger("outdial", debug: aws.debug)
        )
        let outcome = await runner.run(jobs.list)
        Console.errorText(outcome.text)
        if outcome.processExitCode != 0 { throw ExitCode(outcome.processExitCode) }
    }
}
