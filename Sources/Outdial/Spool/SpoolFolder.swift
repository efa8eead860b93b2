import Foundation
import OutdialBase
import OutdialCore

/// A drop folder: `incoming/` (where job files are dropped), `processing/` (claimed, locked by
/// the pass working on them), `done/` and `failed/` (finished, with their results and summary).
public struct SpoolFolder: Sendable {
    public let incoming: String
    public let processing: String
    public let done: String
    public let failed: String

    public init(root: String) {
        let base = root.hasSuffix("/") && root.count > 1 ? String(root.dropLast()) : root
        incoming = base + "/incoming"
        processing = base + "/processing"
        done = base + "/done"
        failed = base + "/failed"
    }

    /// Checks `incoming/` and creates the other folders.
    /// - Throws: `RunnerError` (`SpoolFolderUnusable`).
    public func prepare() throws(RunnerError) {
        var info = stat()
        guard stat(incoming, &info) == 0, (info.st_mode & S_IFMT) == S_IFDIR else {
            throw RunnerError(
                code: ErrorCode.spoolFolderUnusable,
                message: "\(incoming) is not a directory; create it and drop job files there"
            )
        }
        for folder in [processing, done, failed] {
            do {
                try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            } catch {
                throw RunnerError(
                    code: ErrorCode.spoolFolderUnusable,
                    message: "cannot create \(folder): \(error.localizedDescription)"
                )
            }
        }
    }

    /// What a look into `incoming/` found.
    public struct Listing: Sendable, Equatable {
        /// Job files unchanged for the settle time, in name order.
        public var settled: [String] = []
        /// Job-file names that are not regular files (symbolic links, directories, FIFOs): never
        /// taken, never followed.
        public var refused: [String] = []
        /// Jobs left for a later pass because the CSV file they name is not in `incoming/`, or not
        /// unchanged for the settle time yet: (job, CSV file).
        public var waiting: [Waiting] = []
    }

    /// A job waiting for its CSV file.
    public struct Waiting: Sendable, Equatable {
        public var job: String
        public var csv: String
    }

    /// The job files in `incoming/`: `*.yaml`, `*.yml`, `*.json`, not dot-files, not ending in `~`.
    public func list(settle seconds: Double, now: Date = Date()) -> Listing {
        var listing = Listing()
        for name in Self.jobNames(in: incoming) {
            var info = stat()
            guard lstat(incoming + "/" + name, &info) == 0 else { continue }
            guard (info.st_mode & S_IFMT) == S_IFREG else {
                listing.refused.append(name)
                continue
            }
            guard Self.isSettled(info, seconds: seconds, now: now) else { continue }
            // A job and the CSV file it names are taken together, once both are there and settled.
            if let csv = Self.companion(ofJob: incoming + "/" + name) {
                var csvInfo = stat()
                guard lstat(incoming + "/" + csv, &csvInfo) == 0, (csvInfo.st_mode & S_IFMT) == S_IFREG,
                    Self.isSettled(csvInfo, seconds: seconds, now: now)
                else {
                    listing.waiting.append(Waiting(job: name, csv: csv))
                    continue
                }
            }
            listing.settled.append(name)
        }
        return listing
    }

    private static func isSettled(_ info: stat, seconds: Double, now: Date) -> Bool {
        let modified = Double(info.st_mtim.tv_sec) + Double(info.st_mtim.tv_nsec) / 1e9
        return now.timeIntervalSince1970 - modified >= seconds
    }

    /// The CSV file the job at `path` names (`contacts: {csv: FILE}`) when it is a file name in the
    /// job's own folder: it moves with the job. A CSV file named by a path elsewhere stays where it is.
    static func companion(ofJob path: String) -> String? {
        guard let csv = ContactsFileProbe.csvPath(ofJobFile: path), !csv.contains("/"), csv != ".", csv != ".."
        else { return nil }
        return csv
    }

    /// Job files in `processing/`, in name order: each is being worked on, or was left by a pass
    /// that stopped (its lock is free then).
    public func inProcessing() -> [String] {
        // `NAME.summary.json` beside a job file `NAME` is that job's summary, not a job.
        Self.jobNames(in: processing).filter { name in
            guard name.hasSuffix(Self.summarySuffix) else { return true }
            let job = String(name.dropLast(Self.summarySuffix.count))
            return !JobSources.hasJobExtension(job)
        }
    }

    private static let summarySuffix = ".summary.json"

    /// Claims `name` from `incoming/`: locks it, hard-links it into `processing/` (which fails if
    /// a file of that name is there), then removes the incoming name.
    /// - Returns: the claim, or nil when another pass has it, it is not a regular file, or a file
    ///   of the same name is still in `processing/`.
    public func claim(_ name: String) -> SpoolClaim? {
        let from = incoming + "/" + name
        let to = processing + "/" + name
        guard let locked = SpoolClaim.lock(from) else { return nil }
        // Another pass may have claimed and finished it between our listing and our lock.
        guard SpoolClaim.stillNames(from, locked.info), link(from, to) == 0 else {
            POSIX.close(locked.descriptor)
            return nil
        }
        guard unlink(from) == 0 else {
            unlink(to)
            POSIX.close(locked.descriptor)
            return nil
        }
        // Its CSV file comes along; if it cannot (gone meanwhile), reading the job says so.
        var companions: [String] = []
        if let csv = Self.companion(ofJob: to) {
            if link(incoming + "/" + csv, processing + "/" + csv) == 0 { unlink(incoming + "/" + csv) }
            companions.append(csv)
        }
        return SpoolClaim(
            name: name,
            path: to,
            resumed: false,
            descriptor: locked.descriptor,
            companions: companions
        )
    }

    /// Takes over `name` in `processing/` when no pass holds its lock (its claimer crashed, was
    /// killed or was interrupted).
    /// - Returns: the claim, or nil when a pass is working on it or it is not a regular file.
    public func takeOver(_ name: String) -> SpoolClaim? {
        let path = processing + "/" + name
        guard let locked = SpoolClaim.lock(path) else { return nil }
        // Its claimer may have moved it to done/ between our listing and our lock.
        guard SpoolClaim.stillNames(path, locked.info) else {
            POSIX.close(locked.descriptor)
            return nil
        }
        return SpoolClaim(
            name: name,
            path: path,
            resumed: true,
            descriptor: locked.descriptor,
            companions: Self.companion(ofJob: path).map { [$0] } ?? []
        )
    }

    /// Moves the claimed file and its results, summary and CSV file to `done/` (or `failed/`), under a
    /// name no earlier file has: `NAME`, else `STAMP-NAME`, `STAMP-2-NAME`, ... (the CSV file takes the
    /// same prefix). Each name is taken with an exclusive `link(2)`, so passes finishing at once never
    /// overwrite each other.
    /// - Returns: the name in the target folder, or nil when the files could not be moved (they
    ///   stay in `processing/`).
    @discardableResult
    public func finish(_ claim: SpoolClaim, failed isFailed: Bool, now: Date = Date()) -> String? {
        let target = isFailed ? failed : done
        let stamp = Self.stamp(now)
        // Each file as (its path in processing/, its name in the target folder after a prefix).
        var files = ["", ".results.ndjson", ".summary.json"].filter {
            FileManager.default.fileExists(atPath: claim.path + $0)
        }.map { (path: claim.path + $0, name: claim.name + $0) }
        files += claim.companions.map { (path: processing + "/" + $0, name: $0) }.filter {
            FileManager.default.fileExists(atPath: $0.path)
        }
        for attempt in 0 ..< 10_000 {
            let prefix = attempt == 0 ? "" : stamp + (attempt == 1 ? "" : "-\(attempt)") + "-"
            let candidate = prefix + claim.name
            var linked: [String] = []
            var taken = true
            for file in files {
                if link(file.path, target + "/" + prefix + file.name) == 0 {
                    linked.append(target + "/" + prefix + file.name)
                    continue
                }
                let code = errno
                for path in linked { unlink(path) }
                guard code == EEXIST else { return nil }
                taken = false
                break
            }
            guard taken else { continue }
            for file in files { unlink(file.path) }
            return candidate
        }
        return nil
    }

    /// `name`, escaped and quoted as a JSON string, for messages: a name holding a newline or a
    /// control character cannot split or forge a log line.
    public static func quoted(_ name: String) -> String {
        var writer = JSONWriter()
        writer.string(name)
        return String(decoding: writer.bytes, as: UTF8.self)
    }

    /// Names in `folder` with a job-file extension, not dot-files or backups, in name order.
    static func jobNames(in folder: String) -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
        return names.sorted().filter { name in
            !name.hasPrefix(".") && !name.hasSuffix("~")
                && JobSources.hasJobExtension(name)
        }
    }

    static func stamp(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyyMMdd'T'HHmmss'Z'"
        return formatter.string(from: date)
    }
}
