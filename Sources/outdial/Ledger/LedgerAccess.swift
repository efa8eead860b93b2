import ArgumentParser
import OutdialBase
import OutdialCore
import OutdialLedger

/// How the ledger commands open the store and end: the store's errors print
/// `outdial: error: <message>` and exit 3; input the user must fix (a bad number, a file with bad
/// lines, a prune within the limits' window) exits 2.
enum LedgerAccess {
    /// Opens the ledger of `state`, runs `body` with it and closes it.
    /// - Parameter creating: whether a missing store is created; when not, `body` gets nil (the
    ///   commands that only read show an empty list then).
    static func with(
        _ state: StateDirectoryOption,
        creating: Bool,
        _ body: (Ledger?) async throws -> Void
    ) async throws {
        do {
            let location = try self.location(state)
            guard creating || location.mayExist else { return try await body(nil) }
            let ledger = try await Ledger.open(at: location)
            do {
                try await body(ledger)
            } catch {
                await ledger.close()
                throw error
            }
            await ledger.close()
        } catch {
            throw exitCode(for: error)
        }
    }

    /// The ledger `state` names.
    /// - Throws: `RecordingError.stateDirectoryUnusable` when nothing names one,
    ///   `RecordingError.ledgerUnusable` for a state URL that cannot be used.
    static func location(_ state: StateDirectoryOption) throws(RecordingError) -> LedgerLocation {
        guard let location = try state.location() else {
            throw .stateDirectoryUnusable(
                "",
                "no state directory: set --state, --state-dir, OUTDIAL_STATE_URL, OUTDIAL_STATE_DIR or HOME"
            )
        }
        return location
    }

    /// Refuses (exit 2) a number that is not E.164 before the store is opened (or created).
    static func checkNumber(_ text: String) throws {
        guard PhoneNumber.normalise(text) == nil else { return }
        throw exitCode(for: LedgerInputError.invalidPhoneNumber(text))
    }

    /// Prints what went wrong and gives the exit code.
    static func exitCode(for error: any Error) -> any Error {
        switch error {
        case let error as RecordingError:
            Console.error("outdial: error: \(error.message)")
            return ExitCode(3)
        case let error as LedgerInputError:
            for diagnostic in error.diagnostics { Console.error(diagnostic.description) }
            Console.error("outdial: error: \(error.message)")
            return ExitCode(2)
        default:
            return error
        }
    }

    /// Writes `bytes` to standard output as they are.
    static func write(_ bytes: [UInt8]) throws {
        if let code = POSIX.writeAll(STDOUT_FILENO, bytes) {
            throw RecordingError.outputUnusable("standard output", POSIX.errorText(code))
        }
    }

    /// Writes `lines` to standard output, each with a line break.
    /// Runs `body` with a writer to `output` (replaced; created with mode 0600), or to standard
    /// output when nil; a file is made durable at the end.
    static func writing(
        to output: String?,
        _ body: (_ write: ([UInt8]) throws -> Void) async throws -> Void
    ) async throws {
        var descriptor = STDOUT_FILENO
        if let output {
            descriptor = POSIX.open(output, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode: 0o600)
            if descriptor < 0 {
                throw exitCode(for: RecordingError.outputUnusable(output, POSIX.errorText()))
            }
            // A file that was there keeps its mode otherwise.
            _ = fchmod(descriptor, 0o600)
        }
        defer { if output != nil { POSIX.close(descriptor) } }
        let target = output ?? "standard output"
        try await body { bytes in
            if let code = POSIX.writeAll(descriptor, bytes) {
                throw RecordingError.outputUnusable(target, POSIX.errorText(code))
            }
        }
        // A file is made durable; a device or a pipe (-o /dev/stdout) has nothing to sync.
        var info = stat()
        let isFile = fstat(descriptor, &info) == 0 && info.st_mode & 0o170000 == 0o100000
        if output != nil, isFile, POSIX.fsync(descriptor) != nil {
            throw exitCode(for: RecordingError.outputUnusable(target, POSIX.errorText()))
        }
    }

    static func print(_ lines: [String]) throws {
        guard !lines.isEmpty else { return }
        try write(Array((lines.joined(separator: "\n") + "\n").utf8))
    }
}
