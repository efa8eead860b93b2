import OutdialBase
import OutdialCore

/// Opens where result and plan lines go.
enum ResultOutput {
    /// A writer appending to `path` (mode 0600), or one on standard output.
    /// - Parameters:
    ///   - buffered: gather lines in chunks (plans); results go out a line at a time.
    ///   - progress: a progress line is drawn on standard error; when standard output is the same
    ///     terminal, each line clears it first.
    static func open(_ path: String?, buffered: Bool, progress: Bool = false) throws(RunnerError)
        -> NDJSONResultWriter
    {
        guard let path else {
            let shared = progress && ProgressReporter.shareTerminal(STDOUT_FILENO, STDERR_FILENO)
            return NDJSONResultWriter(buffered: buffered, clearsTerminalLine: shared)
        }
        do {
            return try NDJSONResultWriter(appendingTo: path, buffered: buffered)
        } catch {
            throw RunnerError(code: ErrorCode.outputNotWritable, message: error.message)
        }
    }
}
