import OutdialBase
import Synchronization

/// The request log: records kept in memory (up to a limit each) and, when a path is given, appended
/// to a file one NDJSON line at a time, each line written whole with one `write` so a reader never
/// sees half a line. StartOutboundVoiceContact requests, the other operations' requests and contact
/// endings are kept apart in memory and interleaved in the file.
final class RequestLog: Sendable {
    struct Failure: Error, CustomStringConvertible {
        let path: String
        let errno: Int32
        var description: String { "cannot open request log \(path): \(POSIX.errorText(errno))" }
    }

    private struct Memory {
        var records: [RequestRecord] = []
        var operations: [OperationRecord] = []
        var endings: [ContactEnding] = []
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
        keep(record, in: \.records)
        write(record.ndjson())
    }

    func append(_ record: OperationRecord) {
        keep(record, in: \.operations)
        write(record.ndjson())
    }

    func append(_ ending: ContactEnding) {
        keep(ending, in: \.endings)
        write(ending.ndjson())
    }

    var records: [RequestRecord] {
        memory.withLock { $0.records }
    }

    var operations: [OperationRecord] {
        memory.withLock { $0.operations }
    }

    var endings: [ContactEnding] {
        memory.withLock { $0.endings }
    }

    /// Keeps `item` in memory while its list holds fewer than the limit (the first ones are kept).
    private func keep<Item>(_ item: Item, in list: WritableKeyPath<Memory, [Item]>) {
        guard limit > 0 else { return }
        memory.withLock { memory in
            if memory[keyPath: list].count < limit {
                memory[keyPath: list].append(item)
            }
        }
    }

    private func write(_ line: String) {
        if let descriptor {
            // One write per line (POSIX.writeAll finishes a short write), so lines never interleave.
            _ = POSIX.writeAll(descriptor, Array(line.utf8))
        }
    }
}
