import OutdialBase
import Synchronization

/// Lines for people: diagnostics, notes and warnings, in the order they happen. The command's log
/// writes them to standard error (gathered, written in chunks); a test's log keeps them.
public final class MessageLog: Sendable {
    private struct State {
        var pending: [UInt8] = []
        var kept: [String] = []
    }

    private let descriptor: Int32?
    private let state = Mutex(State())
    private let observer: (@Sendable (String) -> Void)?

    /// A log that writes to `descriptor` (standard error by default).
    public init(descriptor: Int32 = STDERR_FILENO) {
        self.descriptor = descriptor
        self.observer = nil
    }

    private init(observer: (@Sendable (String) -> Void)?) {
        self.descriptor = nil
        self.observer = observer
    }

    /// A log that keeps its lines in memory (`lines`), for tests and programs that show them
    /// their own way.
    /// - Parameter onLine: called with each line as it is added.
    public static func keeping(onLine: (@Sendable (String) -> Void)? = nil) -> MessageLog {
        MessageLog(observer: onLine)
    }

    /// Adds one line (a newline is added).
    public func line(_ text: String) {
        let full = state.withLock { (state: inout State) -> [UInt8]? in
            guard descriptor != nil else {
                state.kept.append(text)
                return nil
            }
            state.pending.append(contentsOf: text.utf8)
            state.pending.append(UInt8(ascii: "\n"))
            guard state.pending.count >= 1 << 15 else { return nil }
            defer { state.pending.removeAll(keepingCapacity: true) }
            return state.pending
        }
        if let full, let descriptor { _ = POSIX.writeAll(descriptor, full) }
        observer?(text)
    }

    /// Writes the lines gathered so far.
    public func flush() {
        guard let descriptor else { return }
        let bytes = state.withLock { (state: inout State) -> [UInt8] in
            defer { state.pending.removeAll(keepingCapacity: true) }
            return state.pending
        }
        if !bytes.isEmpty { _ = POSIX.writeAll(descriptor, bytes) }
    }

    /// The lines kept by a log made with `keeping()`.
    public var lines: [String] { state.withLock { $0.kept } }
}
