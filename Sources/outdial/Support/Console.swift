import Foundation
import Logging
import Outdial

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
}
