import ArgumentParser
import Foundation
import Logging
import Outdial
import OutdialBase

/// What the commands print and how they end.
enum Console {
    /// Writes `text` and a newline to standard error.
    static func error(_ text: String) {
        FileHandle.standardError.write(Data((text + "\n").utf8))
    }

    /// Writes `text` as it is to standard error.
    static func errorText(_ text: String) {
        FileHandle.standardError.write(Data(text.utf8))
    }

    /// The logger of a command: standard error at notice level; `--debug` lowers it to debug.
    static func logger(_ label: String, debug: Bool) -> Logger {
        _ = bootstrap
        var logger = Logger(label: label)
        logger.logLevel = debug ? .debug : .notice
        return logger
    }

    private static let bootstrap: Void = {
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = .notice
            return handler
        }
    }()

    /// Writes `bytes` to standard output, or appends them to `output` (created with mode 0600).
    /// - Throws: `ExitCode(3)` after saying why, when `output` cannot be opened.
    static func write(_ bytes: [UInt8], appendingTo output: String?, command: String) throws {
        guard let output else {
            _ = POSIX.writeAll(STDOUT_FILENO, bytes)
            return
        }
        let descriptor = POSIX.open(output, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, mode: 0o600)
        guard descriptor >= 0 else {
            error("\(command): cannot write \(output): \(POSIX.errorText(errno))")
            throw ExitCode(3)
        }
        defer { _ = close(descriptor) }
        _ = POSIX.writeAll(descriptor, bytes)
    }
}
