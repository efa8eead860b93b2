import OutdialBase

/// A job file a spool pass works on, in `processing/`, locked (`flock`) for as long as the claim
/// lives: a pass that finds a file in `processing/` whose lock is free knows its claimer is gone.
public final class SpoolClaim: Sendable {
    /// The file's name in the drop folder.
    public let name: String
    /// Its path in `processing/`.
    public let path: String
    /// Whether an earlier pass left it there (crashed, killed or interrupted).
    public let resumed: Bool
    /// The CSV file the job names, moved with it (a file name in `processing/`).
    public let companions: [String]
    /// An open descriptor of the file, holding the lock.
    private let descriptor: Int32

    init(name: String, path: String, resumed: Bool, descriptor: Int32, companions: [String] = []) {
        self.name = name
        self.path = path
        self.resumed = resumed
        self.descriptor = descriptor
        self.companions = companions
    }

    deinit {
        POSIX.close(descriptor)
    }

    /// Opens `path` without following a symbolic link, checks that it is a regular file, and
    /// takes its lock without waiting.
    /// - Returns: the descriptor, or nil when it is not a regular file or another pass holds it.
    static func lock(_ path: String) -> (descriptor: Int32, info: stat)? {
        let fd = POSIX.open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        var info = stat()
        guard fstat(fd, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG,
            POSIX.retryingInterrupts({ flock(fd, LOCK_EX | LOCK_NB) }) == 0
        else {
            POSIX.close(fd)
            return nil
        }
        return (fd, info)
    }

    /// Whether `path` still names the file `info` describes (not replaced or moved meanwhile).
    static func stillNames(_ path: String, _ info: stat) -> Bool {
        var now = stat()
        return lstat(path, &now) == 0 && now.st_dev == info.st_dev && now.st_ino == info.st_ino
    }
}
