import OutdialBase
import Synchronization

/// The request log: records kept in memory (up to a limit) and, when a path is given, appended to
/// a file one NDJSON line at a time, each line written whole with one `write` so a reader never
/// sees half a line.
final class RequestLog: Sendable {
    struct Failure: Error, CustomStringConvertible {
        let path: String
        let errno: Int32
        var description: String { "cannot open request log \(path): \(POSIX.errorText(errno))" }
    }

    private struct Memory {
        var records: [RequestRecord] = []
        var dropped = 0
    }

    private let memory = Mutex(Memory())
    private let limit: Int
    private let descriptor: Int32?

    /// Opens (creating, appending) `path` when given. A new file is readable by its owner only:
    /// it holds full phone numbers.
    init(path: String?, keepInMemory limit: Int) throws {
        self.limit = limit
        if let path {
            let fd = POSIX.open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, mode: 0o600)
            guard fd >= 0 else { throw Failure(path: path, errno: errno) }
            self.descriptor = fd
        } else {
            self.descriptor = nil
        }
    }

    deinit {
        if let descriptor {
            POSIX.close(descriptor)
        }
    }

    func append(_ record: RequestRecord) {
        if limit > 0 {
            memory.withLock { memory in
                if memory.records.count < limit {
                    memory.records.append(record)
                } else {
                    memory.dropped += 1
                }
            }
        }
        if let descriptor {
            // One write per line (POSIX.writeAll finishes a short write), so lines never interleave.
            _ = POSIX.writeAll(descriptor, Array(record.ndjson().utf8))
        }
    }

    var records: [RequestRecord] {
        memory.withLock { $0.records }
    }
}
