import OutdialBase

/// An exclusive lock on one job id, so two runs of the same job cannot dial at once.
///
/// The lock is `flock(2)` on `<state>/jobs/<job>.lock`; the kernel releases it when the holder
/// exits, however it exits, so the lock of a dead process never blocks. The file holds the
/// holder's pid and command, which the refusal message names.
public final class JobLock: Sendable {
    /// The job id locked.
    public let job: String
    /// The lock file.
    public let path: String
    private let fd: Int32

    private init(job: String, path: String, fd: Int32) {
        self.job = job
        self.path = path
        self.fd = fd
    }

    /// Takes the lock of `job` in `directory`, without waiting.
    /// - Parameters:
    ///   - job: the job id.
    ///   - directory: the state directory (see `StateDirectory.prepare()`).
    ///   - command: the holder's command line, recorded for the message a second run shows.
    /// - Throws: `RecordingError.jobLocked` naming the running process when another holds it;
    ///   `RecordingError.lockFailed` when the file cannot be opened.
    public static func acquire(
        job: String,
        in directory: StateDirectory,
        command: String
    ) throws(RecordingError) -> JobLock {
        let path = directory.lockPath(job: job)
        // Never through a symbolic link planted in the lock's place.
        let fd = POSIX.open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK, mode: 0o600)
        if fd < 0 {
            throw .lockFailed(path, SystemCalls.linkAwareErrorText())
        }
        if POSIX.retryingInterrupts({ flock(fd, LOCK_EX | LOCK_NB) }) != 0 {
            let code = errno
            POSIX.close(fd)
            if code == EWOULDBLOCK {
                throw .jobLocked(job: job, holder: holderDescription(path: path))
            }
            throw .lockFailed(path, POSIX.errorText(code))
        }
        let note = Array("pid \(getpid()) \(command)\n".utf8)
        if ftruncate(fd, 0) == 0 {
            _ = pwriteAll(fd, note)
        }
        return JobLock(job: job, path: path, fd: fd)
    }

    deinit {
        // Leave the file in place: removing it could let a third run lock a fresh inode while a
        // second still holds the old one.
        _ = ftruncate(fd, 0)
        POSIX.close(fd)
    }

    private static func holderDescription(path: String) -> String {
        guard let bytes = try? SystemCalls.readFile(path), !bytes.isEmpty else {
            return "another process holds \(path)"
        }
        let text = String(decoding: bytes, as: UTF8.self).trimmingSuffix { $0 == "\n" }
        return text.isEmpty ? "another process holds \(path)" : text
    }

    private static func pwriteAll(_ fd: Int32, _ bytes: [UInt8]) -> Bool {
        bytes.withUnsafeBytes { buffer in
            pwrite(fd, buffer.baseAddress!, buffer.count, 0) == buffer.count
        }
    }
}

extension String {
    fileprivate func trimmingSuffix(while predicate: (Character) -> Bool) -> String {
        var end = endIndex
        while end > startIndex, predicate(self[index(before: end)]) {
            end = index(before: end)
        }
        return String(self[..<end])
    }
}
