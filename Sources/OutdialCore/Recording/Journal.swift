import Dispatch
import Foundation
import OutdialBase

/// The append-only journal of one job id: NDJSON intent and outcome records.
///
/// Intents use group commit: records that arrive while a write+fsync is under way are collected
/// and made durable together by the next one, and every waiter resumes when its batch is synced.
/// Disk work runs on a serial dispatch queue, never on the cooperative thread pool.
public actor Journal: JournalRecording {
    /// The journal file.
    public nonisolated let path: String
    private let fd: Int32
    private let io: DispatchQueue
    private var pending: [UInt8] = []
    private var waiters: [CheckedContinuation<Void, any Error>] = []
    private var flushing = false
    private var failure: RecordingError?
    /// fsync calls made so far (the cost of durability: divide by `intentCount`).
    public private(set) var fsyncCount = 0
    /// Intent records made durable so far.
    public private(set) var intentCount = 0

    /// Opens (creating with mode 0600) the journal of `job` for appending. If the file ends in a
    /// torn record, a newline is added first so the next record stays readable. A symbolic link
    /// or anything but a plain file in the journal's place is refused, never followed.
    /// - Throws: `RecordingError.journalWriteFailed`.
    public init(path: String) throws(RecordingError) {
        let fd = POSIX.open(path, O_RDWR | O_APPEND | O_CREAT | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK, mode: 0o600)
        if fd < 0 {
            throw .journalWriteFailed(path, SystemCalls.linkAwareErrorText())
        }
        var info = stat()
        guard fstat(fd, &info) == 0, info.st_mode & S_IFMT == S_IFREG else {
            POSIX.close(fd)
            throw .journalWriteFailed(path, "not a regular file")
        }
        if info.st_size == 0 {
            // A new (or empty) journal: make its directory entry durable too, or a power cut could
            // take the file, and the intents fsynced into it, away with the entry.
            POSIX.synchronizeDirectory(containing: path)
        }
        if info.st_size > 0 {
            var lastByte: UInt8 = 0
            let read = POSIX.retryingInterrupts { pread(fd, &lastByte, 1, off_t(info.st_size) - 1) }
            if read == 1, lastByte != UInt8(ascii: "\n"), let problem = POSIX.writeAll(fd, [UInt8(ascii: "\n")]) {
                POSIX.close(fd)
                throw .journalWriteFailed(path, POSIX.errorText(problem))
            }
        }
        self.path = path
        self.fd = fd
        self.io = DispatchQueue(label: "outdial.journal")
    }

    deinit {
        let fd = fd
        io.sync {
            _ = POSIX.fsync(fd)
            POSIX.close(fd)
        }
    }

    /// Records that `row` is about to be sent; returns when the record is on disk.
    public func recordIntent(for row: PlannedRow) async throws(RecordingError) -> IntentAnswer {
        if let failure { throw failure }
        pending.append(contentsOf: JournalRecord.intentLine(for: row, at: Date()))
        do {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                waiters.append(continuation)
                if !flushing {
                    flushing = true
                    Task { await self.flush() }
                }
            }
        } catch let error as RecordingError {
            throw error
        } catch {
            throw .journalWriteFailed(path, "\(error)")
        }
        return .recorded
    }

    /// Appends the outcome of `row`. Written in order after every earlier record; not synced on
    /// its own (the next intent batch or `close()` syncs it).
    public func recordOutcome(for row: PlannedRow, _ outcome: JournalOutcome) async {
        let line = JournalRecord.outcomeLine(for: row, outcome, at: Date())
        let fd = fd
        // The outcome must reach the kernel before the row's result line is written, so that a
        // row shown `started` is never taken for `uncertain` after a crash.
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            io.async {
                _ = POSIX.writeAll(fd, line)
                continuation.resume()
            }
        }
    }

    /// Writes and syncs every record handed over so far. Call it once no intent is being
    /// recorded (at the end of a run).
    public func synchronize() async {
        let fd = fd
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            io.async {
                _ = POSIX.fsync(fd)
                continuation.resume()
            }
        }
        fsyncCount += 1
    }

    private func flush() async {
        while !pending.isEmpty {
            let batch = pending
            let batchWaiters = waiters
            pending = []
            waiters = []
            let problem = await Self.writeAndSync(fd, batch, on: io)
            fsyncCount += 1
            if let problem {
                let error = RecordingError.journalWriteFailed(path, problem)
                failure = error
                for waiter in batchWaiters { waiter.resume(throwing: error) }
                for waiter in waiters { waiter.resume(throwing: error) }
                waiters = []
                pending = []
            } else {
                intentCount += batchWaiters.count
                for waiter in batchWaiters { waiter.resume() }
            }
        }
        flushing = false
    }

    private static func writeAndSync(_ fd: Int32, _ bytes: [UInt8], on queue: DispatchQueue) async -> String? {
        await withCheckedContinuation { (continuation: CheckedContinuation<String?, Never>) in
            queue.async {
                if let problem = POSIX.writeAll(fd, bytes) ?? POSIX.fsync(fd) {
                    continuation.resume(returning: POSIX.errorText(problem))
                } else {
                    continuation.resume(returning: nil)
                }
            }
        }
    }
}
