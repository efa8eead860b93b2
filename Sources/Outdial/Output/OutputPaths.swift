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
    var metrics: String?
    /// Files read: job files, results files.
    var inputs: [String]
    /// Inputs that the results output may be (replay appends to the results it read, on purpose).
    var appendableInputs: [String] = []

    init(
        results: String?,
        summary: String? = nil,
        metrics: String? = nil,
        inputs: [String],
        appendableInputs: [String] = []
    ) {
        self.results = results
        self.summary = summary
        self.metrics = metrics
        self.inputs = inputs
        self.appendableInputs = appendableInputs
    }

    /// - Throws: `RunnerError` (`OutputConflict`) naming the two options.
    func check() throws(RunnerError) {
        let outputs = [("-o", results), ("--summary", summary), ("--metrics-file", metrics)].compactMap { flag, path in
            path.map { (flag: flag, path: $0) }
        }
        for (index, output) in outputs.enumerated() {
            for other in outputs[(index + 1)...] where Self.same(output.path, other.path) {
                throw conflict(
                    "\(output.flag) \(output.path) and \(other.flag) \(other.path) are the same file; give them different names"
                )
            }
        }
        for input in inputs {
            for output in outputs where Self.same(output.path, input) {
                if output.flag == "-o", appendableInputs.contains(where: { Self.same($0, input) }) { continue }
                let what = output.flag == "-o" ? "results" : output.flag == "--summary" ? "the summary" : "the metrics"
                throw conflict(
                    "\(output.flag) \(output.path) is \(input), a file being read; write \(what) to another file"
                )
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
