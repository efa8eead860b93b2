import OutdialBase
import OutdialCore

/// The `JOB` arguments as job files: a thin wrapper over `JobSources` that finds the bytes of
/// arguments that are not valid UTF-8 on the command line and prints the notes about skipped files.
struct JobInputs {
    static let extensions = JobSources.extensions

    var inputs: [JobInput] = []
    /// Arguments that name nothing readable.
    var failures: [JobFileError] = []

    init(arguments: [String]) {
        let sources = JobSources(arguments: arguments, rawBytes: Self.commandLineBytes(of:))
        inputs = sources.inputs
        failures = sources.failures
        for note in sources.notes { _ = POSIX.writeAll(STDERR_FILENO, Array((note + "\n").utf8)) }
    }

    /// Nothing to remove: standard input is read in place. Kept for the commands that call it.
    func removeTemporaryFiles() {}

    /// The bytes of the command-line argument that decodes to `argument`, when they are not valid
    /// UTF-8 (Swift's strings replace such bytes, so the name would not open).
    private static func commandLineBytes(of argument: String) -> [UInt8]? {
        guard argument.unicodeScalars.contains("\u{FFFD}") else { return nil }
        for index in 1 ..< Int(CommandLine.argc) {
            guard let pointer = CommandLine.unsafeArgv[index] else { continue }
            let bytes = Array(UnsafeBufferPointer(start: pointer, count: strlen(pointer))).map { UInt8(bitPattern: $0) }
            if String(decoding: bytes, as: UTF8.self) == argument { return bytes }
        }
        return nil
    }
}
