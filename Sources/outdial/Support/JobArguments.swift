import Outdial
import OutdialBase
import OutdialCore

/// `JOB` arguments as the runner takes them, through OutdialCore's `JobSources` (files,
/// directories expanded, `-`, FIFOs and devices read from one descriptor). What is left here is
/// what only the executable knows: the raw bytes of arguments that are not UTF-8, and where the
/// notes about skipped files are printed.
struct JobArguments {
    let list: JobList

    init(_ arguments: [String]) {
        let sources = JobSources(arguments: arguments, rawBytes: Self.commandLineBytes(of:))
        for note in sources.notes { _ = POSIX.writeAll(STDERR_FILENO, Array((note + "\n").utf8)) }
        list = JobList(inputs: sources.inputs, failures: sources.failures)
    }

    /// The bytes of the command-line argument that decodes to `argument`, when they are not valid
    /// UTF-8 (Swift's strings replace such bytes, so the name would not open).
    private static func commandLineBytes(of argument: String) -> [UInt8]? {
        guard argument.unicodeScalars.contains("\u{FFFD}") else { return nil }
        for index in 1 ..< Int(CommandLine.argc) {
            guard let pointer = CommandLine.unsafeArgv[index] else { continue }
            let bytes = Array(UnsafeBufferPointer(start: pointer, count: strlen(pointer))).map {
                UInt8(bitPattern: $0)
            }
            if String(decoding: bytes, as: UTF8.self) == argument { return bytes }
        }
        return nil
    }
}
