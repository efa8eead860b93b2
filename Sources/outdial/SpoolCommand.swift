import ArgumentParser
import Foundation
import OutdialCore

/// `outdial spool DIR`: one pass over a drop folder, for cron.
struct SpoolCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "spool",
        abstract: "One pass over a drop folder: run every finished job file in DIR/incoming.",
        discussion: """
            Each *.yaml, *.yml or *.json file in DIR/incoming that has not changed for --settle \
            seconds is claimed by an atomic link into DIR/processing (two passes at once never take \
            the same file), run, and moved to DIR/done (or DIR/failed when it could not be read), \
            with NAME.results.ndjson and NAME.summary.json beside it. Dot-files, names ending in \
            ~, .tmp or .part, and files still being written are left alone.

            Example (crontab, every minute):
              * * * * * outdial spool /srv/calls --no-progress 2>>/var/log/outdial-spool.log
            """
    )

    @Argument(help: ArgumentHelp("The drop folder; jobs go into DIR/incoming.", valueName: "DIR"))
    var directory: String

    @Option(help: "Seconds a file must be unchanged before it is taken, e.g. --settle 10.")
    var settle: Double = 5

    @OptionGroup var run: RunOptions
    @OptionGroup(title: "AWS options") var aws: AWSOptionGroup

    func validate() throws {
        if !(settle >= 0) { throw ValidationError("--settle must be 0 or more seconds, e.g. --settle 5") }
        if run.output != nil || run.summary != nil {
            throw ValidationError(
                "spool writes NAME.results.ndjson and NAME.summary.json beside each job; -o and --summary do not apply"
            )
        }
    }

    func run() async throws {
        let folders = SpoolFolders(root: directory)
        do {
            try folders.prepare()
        } catch {
            SendSession.printError("outdial: \(error)")
            throw ExitCode(2)
        }
        var worst: Int32 = 0
        for name in folders.settledFiles(olderThan: settle) {
            guard let claimed = folders.claim(name) else { continue }
            SendSession.printError("outdial: spool: \(name)")
            var jobInputs = JobInputs(arguments: [])
            jobInputs.inputs = [JobInput(path: claimed, source: folders.incoming + "/" + name)]
            let results = claimed + ".results.ndjson"
            let summary = claimed + ".summary.json"
            let code = try await RunCommand.execute(
                jobInputs,
                run: run,
                aws: aws,
                output: results,
                summaryPath: summary
            )
            if code == 2 && !FileManager.default.fileExists(atPath: summary) {
                // Unreadable or structurally wrong: nothing was sent.
                let note =
                    #"{"rows":0,"exitCode":2,"error":"the job file cannot be read or is structurally wrong; see the log"}"#
                _ = FileManager.default.createFile(atPath: summary, contents: Data((note + "\n").utf8))
            }
            folders.finish(name, failed: code == 2)
            worst = max(worst, code)
        }
        if worst != 0 { throw ExitCode(worst) }
    }
}

/// The drop folder's layout: incoming, processing, done, failed.
struct SpoolFolders {
    let incoming: String
    let processing: String
    let done: String
    let failed: String

    init(root: String) {
        let base = root.hasSuffix("/") ? String(root.dropLast()) : root
        incoming = base + "/incoming"
        processing = base + "/processing"
        done = base + "/done"
        failed = base + "/failed"
    }

    func prepare() throws {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: incoming, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw SpoolError("\(incoming) is not a directory; create it and drop job files there")
        }
        for folder in [processing, done, failed] {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        }
    }

    /// Job files in `incoming` unchanged for `seconds`, in name order.
    func settledFiles(olderThan seconds: Double, now: Date = Date()) -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: incoming)) ?? []
        return names.sorted().filter { name in
            guard !name.hasPrefix("."), !name.hasSuffix("~"),
                JobInputs.extensions.contains((name as NSString).pathExtension.lowercased())
            else { return false }
            var info = stat()
            guard stat(incoming + "/" + name, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { return false }
            let modified = Double(info.st_mtim.tv_sec) + Double(info.st_mtim.tv_nsec) / 1e9
            return now.timeIntervalSince1970 - modified >= seconds
        }
    }

    /// Claims `name`: a hard link into `processing` (fails if another pass has it), then the
    /// incoming name is removed. Returns the claimed path, or nil when another pass took it.
    func claim(_ name: String) -> String? {
        let from = incoming + "/" + name
        let to = processing + "/" + name
        guard link(from, to) == 0 else { return nil }
        guard unlink(from) == 0 else {
            // Another pass removed it between our link and unlink: it is theirs.
            unlink(to)
            return nil
        }
        return to
    }

    /// Moves the job file and its results and summary to `done` or `failed`.
    func finish(_ name: String, failed isFailed: Bool) {
        let target = isFailed ? failed : done
        let stamp = Self.stamp()
        for suffix in ["", ".results.ndjson", ".summary.json"] {
            let from = processing + "/" + name + suffix
            guard FileManager.default.fileExists(atPath: from) else { continue }
            var to = target + "/" + name + suffix
            if FileManager.default.fileExists(atPath: to) {
                // The same name was dropped before: keep both.
                to = target + "/" + stamp + "-" + name + suffix
            }
            rename(from, to)
        }
    }

    private static func stamp() -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.dateFormat = "yyyyMMdd'T'HHmmss"
        return formatter.string(from: Date())
    }
}

struct SpoolError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
