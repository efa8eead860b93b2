import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// The request log: records kept in memory (up to a limit) and, when a path is given, appended to
/// a file one NDJSON line at a time, each line written whole with one `write` so a reader never
/// sees half a line.
final class RequestLog: Sendable {
    struct Failure: Error, CustomStringConvertible {
        let path: String
        let errno: Int32
        var description: String { "cannot open request log \(path): \(String(cString: strerror(errno)))" }
    }

    private struct Memory {
        var records: [RequestRecord] = []
        var dropped = 0
    }

    private let memory = Mutex(Memory())
    private let limit: Int
    private let descriptor: Int32?

    /// Opens (creating, appending) `path` when given.
    init(path: String?, keepInMemory limit: Int) throws {
        self.limit = limit
        if let path {
            let fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
            guard fd >= 0 else { throw Failure(path: path, errno: errno) }
            self.descriptor = fd
        } else {
            self.descriptor = nil
        }
    }

    deinit {
        if let descriptor {
            close(descriptor)
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
            var line = record.ndjson()
            line.withUTF8 { bytes in
                guard let base = bytes.baseAddress else { return }
                var offset = 0
                while offset < bytes.count {
                    let written = write(descriptor, base + offset, bytes.count - offset)
                    if written < 0 {
                        if errno == EINTR { continue }
                        return
                    }
                    offset += written
                }
            }
        }
    }

    var records: [RequestRecord] {
        memory.withLock { $0.records }
    }
}
