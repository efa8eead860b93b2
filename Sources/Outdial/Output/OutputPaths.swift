import Foundation
import OutdialBase
import OutdialCore

/// The files a call writes, checked against the files it reads and against each other before
/// anything is opened: `-o jobs/a.yaml` would append results to a job file, and
/// `-o r --summary r` would overwrite results with the summary. Paths that exist are compared by
/// device and inode (a hard link or another spelling is the same file), others by their
/// normalised absolute path.
struct OutputPaths {
    var results: String?
    var summary: String?
    /// Files read: job files, results files.
    var inputs: [String]
    /// Inputs that the results output may be (replay appends to the results it read, on purpose).
    var appendableInputs: [String] = []

    init(results: String?, summary: String? = nil, inputs: [String], appendableInputs: [String] = []) {
        self.results = results
        self.summary = summary
        self.inputs = inputs
        self.appendableInputs = appendableInputs
    }

    /// - Throws: `RunnerError` (`OutputConflict`) naming the two options.
    func check() throws(RunnerError) {
        if let results, let summary, Self.same(results, summary) {
            throw conflict("-o \(results) and --summary \(summary) are the same file; give them different names")
        }
        for input in inputs {
            if let results, Self.same(results, input), !appendableInputs.contains(where: { Self.same($0, input) }) {
                throw conflict("-o \(results) is \(input), a file being read; write results to another file")
            }
            if let summary, Self.same(summary, input) {
                throw conflict("--summary \(summary) is \(input), a file being read; write the summary to another file")
            }
        }
    }

    private func conflict(_ message: String) -> RunnerError {
        RunnerError(code: ErrorCode.outputConflict, message: message)
    }

    /// Whether two paths name the same file.
    static func same(_ one: String, _ other: String) -> Bool {
        var a = stat()
        var b = stat()
        if stat(one, &a) == 0, stat(other, &b) == 0 {
            return a.st_dev == b.st_dev && a.st_ino == b.st_ino
        }
        return normalised(one) == normalised(other)
    }

    static func normalised(_ path: String) -> String {
        let absolute = path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
        return (absolute as NSString).standardizingPath
    }
}
