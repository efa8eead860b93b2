import Crypto

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Where journals and locks live (results.md, "Journal and resume").
public struct StateDirectory: Sendable, Hashable {
    /// The directory's path.
    public let path: String

    public init(path: String) {
        self.path = path
    }

    /// Resolves the state directory: `--state-dir`, then `OUTDIAL_STATE_DIR`, then
    /// `$XDG_STATE_HOME/outdial`, then `~/.local/state/outdial`.
    /// - Parameters:
    ///   - option: the `--state-dir` value, if given.
    ///   - environment: the process environment (passed in; this library never reads it itself).
    /// - Returns: `nil` when nothing names a directory (no option, no variables, no `HOME`).
    public static func resolve(option: String?, environment: [String: String]) -> StateDirectory? {
        if let option, !option.isEmpty { return StateDirectory(path: option) }
        if let dir = environment["OUTDIAL_STATE_DIR"], !dir.isEmpty { return StateDirectory(path: dir) }
        // The XDG base directory spec says relative values are to be ignored.
        if let xdg = environment["XDG_STATE_HOME"], xdg.hasPrefix("/") {
            return StateDirectory(path: joined(xdg, "outdial"))
        }
        if let home = environment["HOME"], !home.isEmpty {
            return StateDirectory(path: joined(home, ".local/state/outdial"))
        }
        return nil
    }

    /// `<state>/jobs`.
    public var jobsPath: String { Self.joined(path, "jobs") }

    /// The journal of a job: `<state>/jobs/<sanitized job id>.journal`.
    public func journalPath(job: String) -> String {
        Self.joined(jobsPath, Self.fileName(forJob: job) + ".journal")
    }

    /// The lock file of a job: `<state>/jobs/<sanitized job id>.lock`.
    public func lockPath(job: String) -> String {
        Self.joined(jobsPath, Self.fileName(forJob: job) + ".lock")
    }

    /// Creates `<state>/jobs` (mode 0700) if needed and checks it can be written.
    /// - Throws: `RecordingError.stateDirectoryUnusable` naming the path and the reason.
    public func prepare() throws(RecordingError) {
        if let problem = SystemCalls.makeDirectories(jobsPath, mode: 0o700) {
            throw .stateDirectoryUnusable(path, problem)
        }
        if access(jobsPath, W_OK | X_OK) != 0 {
            throw .stateDirectoryUnusable(path, SystemCalls.errorText())
        }
    }

    /// A file name for a job id: letters, digits, `.`, `_` and `-` are kept, anything else
    /// becomes `_`; when anything was changed (or the id is long) a short hash of the id is
    /// appended, so two ids never share a file.
    public static func fileName(forJob job: String) -> String {
        var kept = ""
        var changed = false
        for scalar in job.unicodeScalars {
            switch scalar {
            case "a" ... "z", "A" ... "Z", "0" ... "9", "_", "-", ".":
                kept.unicodeScalars.append(scalar)
            default:
                kept.append("_")
                changed = true
            }
        }
        if kept.isEmpty || kept.hasPrefix(".") || kept.count > 100 {
            changed = true
        }
        guard changed else { return kept }
        let digest = SHA256.hash(data: Array(job.utf8))
        let hex = digest.prefix(6).map { byte in
            let digits = Array("0123456789abcdef".utf8)
            return String(decoding: [digits[Int(byte >> 4)], digits[Int(byte & 0xF)]], as: UTF8.self)
        }.joined()
        let stem = kept.drop { $0 == "." }.prefix(80)
        return (stem.isEmpty ? "job" : String(stem)) + "-" + hex
    }

    private static func joined(_ base: String, _ rest: String) -> String {
        base.hasSuffix("/") ? base + rest : base + "/" + rest
    }
}
