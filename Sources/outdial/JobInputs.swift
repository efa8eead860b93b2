import Foundation
import OutdialCore

/// Turns `JOB` arguments into job files: a file as is, a directory as every `.yaml`, `.yml` and
/// `.json` in it in name order, `-` as standard input (copied to a private temporary file so
/// that it can be hashed and read).
struct JobInputs {
    static let extensions: Set<String> = ["yaml", "yml", "json"]

    var inputs: [JobInput] = []
    /// Arguments that name nothing readable.
    var failures: [JobFileError] = []
    private var temporaryFiles: [String] = []

    init(arguments: [String]) {
        let fileManager = FileManager.default
        for argument in arguments {
            if argument == "-" {
                do {
                    let path = try Self.copyStandardInput()
                    temporaryFiles.append(path)
                    inputs.append(JobInput(path: path, source: "-"))
                } catch {
                    failures.append(Self.failure(argument, "cannot read standard input: \(error)"))
                }
                continue
            }
            var isDirectory: ObjCBool = false
            guard fileManager.fileExists(atPath: argument, isDirectory: &isDirectory) else {
                failures.append(
                    Self.failure(argument, "no such file or directory; expected a job file, a directory or -")
                )
                continue
            }
            guard isDirectory.boolValue else {
                inputs.append(JobInput(path: argument))
                continue
            }
            do {
                let names = try fileManager.contentsOfDirectory(atPath: argument)
                    .filter {
                        Self.extensions.contains(($0 as NSString).pathExtension.lowercased()) && !$0.hasPrefix(".")
                    }
                    .sorted()
                let base = argument.hasSuffix("/") ? argument : argument + "/"
                if names.isEmpty {
                    failures.append(
                        Self.failure(argument, "a directory without .yaml, .yml or .json files; expected job files")
                    )
                }
                inputs += names.map { JobInput(path: base + $0) }
            } catch {
                failures.append(Self.failure(argument, "cannot list the directory: \(error.localizedDescription)"))
            }
        }
    }

    /// Removes the copies of standard input.
    func removeTemporaryFiles() {
        for path in temporaryFiles { unlink(path) }
    }

    private static func failure(_ argument: String, _ message: String) -> JobFileError {
        JobFileError([
            Diagnostic(
                code: "UnreadableFile",
                field: "",
                message: message,
                file: argument,
                mark: SourceMark(line: 1, column: 1)
            )
        ])
    }

    /// Copies standard input into a new file, mode 0600, in chunks.
    private static func copyStandardInput() throws -> String {
        var template = Array((NSTemporaryDirectory() + "/outdial-stdin-XXXXXX").utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard fd >= 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
        defer { close(fd) }
        let path = String(decoding: template.dropLast().map { UInt8(bitPattern: $0) }, as: UTF8.self)
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(STDIN_FILENO, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO)
            }
            if count == 0 { break }
            var offset = 0
            while offset < count {
                let written = buffer.withUnsafeBytes { write(fd, $0.baseAddress! + offset, count - offset) }
                if written < 0 {
                    if errno == EINTR { continue }
                    throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO)
                }
                offset += written
            }
        }
        return path
    }
}
