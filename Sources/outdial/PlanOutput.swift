import ArgumentParser
import Foundation
import OutdialCore

/// Where NDJSON lines go: standard output, or a file opened for appending (created with mode
/// 0600: lines hold phone numbers). Bytes are gathered and written in large chunks.
struct PlanOutput {
    private let fd: Int32
    private let ownsDescriptor: Bool
    /// Lines not written yet.
    private var buffer = JSONWriter(capacity: Self.chunk * 2)
    private static let chunk = 1 << 16

    /// Standard output.
    init() {
        fd = STDOUT_FILENO
        ownsDescriptor = false
    }

    /// Appends to `path`, creating it with mode 0600.
    init(appendingTo path: String) throws {
        let opened = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o600)
        guard opened >= 0 else {
            throw ValidationError("cannot open \(path): \(String(cString: strerror(errno)))")
        }
        fd = opened
        ownsDescriptor = true
    }

    /// Writes `line` straight into the buffer.
    mutating func write(_ line: ResultLine) throws {
        line.write(to: &buffer)
        if buffer.bytes.count >= Self.chunk { try flush() }
    }

    mutating func flush() throws {
        let fd = self.fd
        try buffer.bytes.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let written = Foundation.write(fd, raw.baseAddress! + offset, raw.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    throw ValidationError("cannot write the output: \(String(cString: strerror(errno)))")
                }
                offset += written
            }
        }
        buffer.removeAll()
    }

    func close() {
        if ownsDescriptor { _ = Foundation.close(fd) }
    }
}

/// Lines for people on standard error, gathered and written in chunks too.
struct MessageOutput {
    private var buffer: [UInt8] = []

    mutating func line(_ text: String) {
        buffer.append(contentsOf: text.utf8)
        buffer.append(UInt8(ascii: "\n"))
        if buffer.count >= 1 << 15 { flush() }
    }

    mutating func flush() {
        var offset = 0
        while offset < buffer.count {
            let written = buffer.withUnsafeBytes {
                write(STDERR_FILENO, $0.baseAddress! + offset, buffer.count - offset)
            }
            if written < 0 {
                if errno == EINTR { continue }
                break
            }
            offset += written
        }
        buffer.removeAll(keepingCapacity: true)
    }
}
