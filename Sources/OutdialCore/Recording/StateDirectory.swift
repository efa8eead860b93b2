import Crypto
import OutdialBase

/// Where the ledger lives (`outdial.sqlite`), and the per-job journals an earlier version kept
/// in `jobs/` (read for resume, never written).
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

    /// The journal an earlier version wrote for a job id that is not plain (it needed escaping),
    /// when its name differs from today's: `<stem>-<12 hex digits of its SHA-256>.journal`.
    /// Read (never written) so that an upgrade never forgets rows already started.
    public func legacyJournalPath(job: String) -> String? {
        let name = Self.fileName(forJob: job)
        guard name != job else { return nil }
        var kept = ""
        for scalar in job.unicodeScalars {
            switch scalar {
            case "a" ... "z", "A" ... "Z", "0" ... "9", "_", "-", ".": kept.unicodeScalars.append(scalar)
            default: kept.append("_")
            }
        }
        let digits = Array("0123456789abcdef".utf8)
        let hex = SHA256.hash(data: Array(job.utf8)).prefix(6).map { byte in
            String(decoding: [digits[Int(byte >> 4)], digits[Int(byte & 0xF)]], as: UTF8.self)
        }.joined()
        let stem = kept.drop { $0 == "." }.prefix(80)
        return Self.joined(jobsPath, (stem.isEmpty ? "job" : String(stem)) + "-" + hex + ".journal")
    }

    /// Creates the directory and `<state>/jobs` (mode 0700) if needed, and checks that both
    /// belong to this user, are not writable by anyone else, and can be written.
    ///
    /// A directory others can write to (a shared `/tmp`, mode 1777) would let them plant a
    /// journal or a symbolic link in place of one, so it is refused rather than used.
    /// - Throws: `RecordingError.stateDirectoryUnusable` naming the path, the reason and the fix.
    public func prepare() throws(RecordingError) {
        for directory in [path, jobsPath] {
            if let problem = SystemCalls.makeDirectories(directory, mode: 0o700) {
                throw .stateDirectoryUnusable(path, problem)
            }
            if let problem = Self.exposure(of: directory) {
                throw .stateDirectoryUnusable(path, problem)
            }
        }
        if access(jobsPath, W_OK | X_OK) != 0 {
            throw .stateDirectoryUnusable(path, POSIX.errorText())
        }
    }

    /// Why another user could change what is in `directory`, with how to fix it; nil when only
    /// this user can.
    static func exposure(of directory: String) -> String? {
        var info = stat()
        guard stat(directory, &info) == 0 else { return "\(directory): \(POSIX.errorText())" }
        let user = geteuid()
        if info.st_uid != user {
            return "\(directory) belongs to user id \(info.st_uid), not to you (user id \(user)); "
                + "use a directory of your own (--state-dir or OUTDIAL_STATE_DIR)"
        }
        let mode = info.st_mode & 0o7777
        if mode & 0o022 != 0 {
            return "\(directory) can be written by other users (mode \(String(mode, radix: 8))); "
                + "run chmod 700 \(directory)"
        }
        return nil
    }

    /// The file name (without extension) for a job id; distinct ids always get distinct names.
    ///
    /// - An id of letters, digits, `_`, `-` and `.` (not first), at most 100 bytes, is its own
    ///   name, as in earlier versions.
    /// - Any other id has every byte outside `[A-Za-z0-9_-]` written `%XX` (so its name holds a
    ///   `%`, which no plain name does, or is longer than 100 bytes); the empty id is `%`.
    /// - An escaped name over 200 bytes is `%%` and the SHA-256 of the id (no escaped name
    ///   holds `%%`).
    public static func fileName(forJob job: String) -> String {
        let bytes = Array(job.utf8)
        if !bytes.isEmpty, bytes.count <= 100, bytes[0] != UInt8(ascii: "."),
            bytes.allSatisfy({ isPlain($0) || $0 == UInt8(ascii: ".") })
        {
            return job
        }
        if bytes.isEmpty { return "%" }
        let digits = Array("0123456789ABCDEF".utf8)
        var escaped: [UInt8] = []
        escaped.reserveCapacity(bytes.count * 3)
        for byte in bytes {
            if isPlain(byte) {
                escaped.append(byte)
            } else {
                escaped += [UInt8(ascii: "%"), digits[Int(byte >> 4)], digits[Int(byte & 0xF)]]
            }
        }
        if escaped.count <= 200 { return String(decoding: escaped, as: UTF8.self) }
        let hex = SHA256.hash(data: bytes).map { byte in
            String(decoding: [digits[Int(byte >> 4)], digits[Int(byte & 0xF)]], as: UTF8.self)
        }
        return "%%" + hex.joined()
    }

    /// `[A-Za-z0-9_-]`.
    private static func isPlain(_ byte: UInt8) -> Bool {
        plainBytes.contains(byte)
    }

    private static let plainBytes = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-".utf8)

    private static func joined(_ base: String, _ rest: String) -> String {
        base.hasSuffix("/") ? base + rest : base + "/" + rest
    }
}
