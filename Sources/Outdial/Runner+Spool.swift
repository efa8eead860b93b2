import Foundation
import OutdialClient
import OutdialCore

extension Runner {
    /// One pass over a drop folder: files left in `processing/` by a pass that stopped are taken
    /// over first, then every settled job file in `incoming/` is claimed, run, and moved to
    /// `done/` (or `failed/` when it could not be read) with `NAME.results.ndjson` and
    /// `NAME.summary.json` beside it. A job whose contacts are a CSV file in `incoming/` waits until that
    /// file is there and settled too; the two are claimed and moved together.
    ///
    /// An interrupt stops the whole pass: the file being run stays in `processing/`, unlocked, and
    /// the next pass resumes it (its journal keeps rows already sent from being sent again); no
    /// other file is started.
    /// - Parameters:
    ///   - directory: the drop folder (holding `incoming/`).
    ///   - settle: seconds a file must be unchanged before it is taken.
    public func spool(
        _ directory: String,
        settle: Double,
        interrupt: InterruptSignal = InterruptSignal()
    ) async -> SpoolOutcome {
        defer { messages.flush() }
        let folder = SpoolFolder(root: directory)
        do {
            try folder.prepare()
        } catch {
            return SpoolOutcome(problem: error.message)
        }
        warnIfDeadlinePassed()
        // One signal handler for the whole pass; the runs inside it do not install their own.
        let inner = {
            var runner = self
            runner.configuration.handlesSignals = false
            return runner
        }()
        return await SignalForwarding.forwarding(
            to: interrupt,
            enabled: configuration.handlesSignals,
            messages: messages
        ) {
            await inner.pass(over: folder, settle: settle, interrupt: interrupt)
        }
    }

    private func pass(over folder: SpoolFolder, settle: Double, interrupt: InterruptSignal) async -> SpoolOutcome {
        var outcome = SpoolOutcome()
        for name in folder.inProcessing() {
            guard !interrupt.isRaised else { break }
            guard let claim = folder.takeOver(name) else { continue }
            messages.line(
                "outdial: spool: taking over \(SpoolFolder.quoted(name)) left in processing/ by a pass that stopped; "
                    + "rows already sent are not sent again"
            )
            await run(claim, in: folder, interrupt: interrupt, into: &outcome)
        }
        let listing = folder.list(settle: settle)
        for name in listing.refused {
            messages.line(
                "outdial: spool: \(SpoolFolder.quoted(name)) is not a regular file (a symbolic link?); left alone, never followed"
            )
        }
        for waiting in listing.waiting {
            messages.line(
                "outdial: spool: \(SpoolFolder.quoted(waiting.job)) waits for \(SpoolFolder.quoted(waiting.csv)), "
                    + "the CSV file it names, to be in incoming/ and unchanged for the settle time; they are taken together"
            )
        }
        for name in listing.settled {
            guard !interrupt.isRaised else { break }
            guard let claim = folder.claim(name) else { continue }
            await run(claim, in: folder, interrupt: interrupt, into: &outcome)
        }
        outcome.interrupted = interrupt.isRaised
        return outcome
    }

    private func run(
        _ claim: SpoolClaim,
        in folder: SpoolFolder,
        interrupt: InterruptSignal,
        into outcome: inout SpoolOutcome
    ) async {
        messages.line("outdial: spool: \(SpoolFolder.quoted(claim.name))")
        let summary = claim.path + ".summary.json"
        let result = await run(
            JobList(inputs: [JobInput(path: claim.path, source: folder.incoming + "/" + claim.name)]),
            results: claim.path + ".results.ndjson",
            summary: summary,
            interrupt: interrupt
        )
        for line in result.text.split(separator: "\n") { messages.line(String(line)) }
        // A pass's log is read as it goes (cron appends it to a file): each file's lines at once.
        defer { messages.flush() }
        if result.interrupted {
            // The claim's lock goes with it: the next pass takes the file over.
            messages.line(
                "outdial: spool: \(SpoolFolder.quoted(claim.name)) interrupted; left in processing/ for the next pass"
            )
            outcome.files.append(.init(name: claim.name, exitCode: result.exitCode, movedTo: nil, interrupted: true))
            return
        }
        if result.summary.abort?.code == ErrorCode.jobLocked {
            // Another run holds this job id: its rows are that run's, and this file is not
            // broken. It waits in processing/ (its lock goes with the claim) for a later pass.
            let results = claim.path + ".results.ndjson"
            if let size = (try? FileManager.default.attributesOfItem(atPath: results))?[.size] as? Int, size == 0 {
                try? FileManager.default.removeItem(atPath: results)
            }
            messages.line(
                "outdial: spool: \(SpoolFolder.quoted(claim.name)): its job is being run by another process; "
                    + "left in processing/ for a later pass"
            )
            outcome.files.append(.init(name: claim.name, exitCode: result.exitCode, movedTo: nil, interrupted: false))
            return
        }
        if result.exitCode == 2 && !FileManager.default.fileExists(atPath: summary) {
            // Unreadable or structurally wrong: nothing was sent.
            let note =
                #"{"rows":0,"exitCode":2,"error":"the job file cannot be read or is structurally wrong; see the log"}"#
            _ = SummaryFile.write(Array((note + "\n").utf8), to: summary)
        }
        let failed = result.exitCode == 2
        let moved = folder.finish(claim, failed: failed).map { (failed ? "failed/" : "done/") + $0 }
        if moved == nil {
            messages.line("outdial: spool: \(SpoolFolder.quoted(claim.name)) could not be moved; left in processing/")
        }
        outcome.files.append(.init(name: claim.name, exitCode: result.exitCode, movedTo: moved, interrupted: false))
    }
}

/// What one spool pass did.
public struct SpoolOutcome: Sendable {
    /// One job file of the pass.
    public struct File: Sendable, Equatable {
        public var name: String
        /// Its run's exit code.
        public var exitCode: Int32
        /// Where it went (`done/NAME`, `failed/STAMP-NAME`), nil when it stayed in `processing/`.
        public var movedTo: String?
        public var interrupted: Bool
    }

    /// The files run, in order.
    public var files: [File] = []
    /// Why the pass could not start (no `incoming/`), if so: exit 2.
    public var problem: String?
    /// Whether a signal (or the caller's interrupt) stopped the pass.
    public var interrupted = false

    public init(problem: String? = nil) {
        self.problem = problem
    }

    /// The worst exit code of the files (2 when the pass could not start).
    public var exitCode: Int32 {
        if problem != nil { return 2 }
        return files.map(\.exitCode).max() ?? 0
    }

    /// The exit status of the process: `exitCode` (an interrupted pass leaves rows
    /// `skipped: interrupted`, so 1 unless worse).
    public var processExitCode: Int32 { exitCode }
}
