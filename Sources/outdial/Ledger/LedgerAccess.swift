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
    static func print(_ lines: [String]) throws {
        guard !lines.isEmpty else { return }
        try write(Array((lines.joined(separator: "\n") + "\n").utf8))
    }
}
