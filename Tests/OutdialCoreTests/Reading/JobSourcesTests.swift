import Foundation
import OutdialBase
import Testing

@testable import OutdialCore

/// Job arguments that are not plain files: FIFOs, pipes, symlink loops, names that are not UTF-8.
struct JobSourcesTests {
    static let job = """
        version: 1
        defaults: {InstanceId: i-1, ContactFlowId: f-1, SourcePhoneNumber: "+15550100100"}
        contacts:
          - DestinationPhoneNumber: "+15551230001"
          - DestinationPhoneNumber: "+15551230002"

        """

    /// Plans `inputs`; returns the planned rows and the failures as printed.
    func plan(_ inputs: [JobInput]) throws -> (rows: [PlannedRow], failures: [String], report: PlanReport) {
        var planner = JobPlanner()
        var rows: [PlannedRow] = []
        var failures: [String] = []
        let report = try planner.planAll(
            inputs,
            onEvent: { if case .planned(let row) = $0 { rows.append(row) } },
            onFailure: { failures += $0.diagnostics.map(\.description) }
        )
        return (rows, failures, report)
    }

    @Test func fifoWithAWriterIsReadOnceAndHashedFromTheSameBytes() throws {
        let files = try TemporaryFiles()
        defer { files.remove() }
        let fifo = files.directory.appendingPathComponent("job.yaml").path
        #expect(mkfifo(fifo, 0o600) == 0)
        let writer = Thread {
            let descriptor = POSIX.open(fifo, O_WRONLY)
            _ = POSIX.writeAll(descriptor, Array(Self.job.utf8))
            POSIX.close(descriptor)
        }
        writer.start()
        let sources = JobSources(arguments: [fifo])
        #expect(sources.failures.isEmpty)
        let (rows, failures, report) = try plan(sources.inputs)
        #expect(failures.isEmpty)
        #expect(rows.map(\.destination) == ["+15551230001", "+15551230002"])
        let hash = TestDocument.sha256Hex(of: Self.job)
        #expect(report.summaries.first?.jobId == "job-\(hash.prefix(12))")
    }

    @Test func processSubstitutionIsNotEmpty() throws {
        // `<(cat job)` is a pipe named /dev/fd/N: it can be opened once only.
        var ends: [Int32] = [0, 0]
        #expect(pipe(&ends) == 0)
        _ = POSIX.writeAll(ends[1], Array(Self.job.utf8))
        POSIX.close(ends[1])
        defer { POSIX.close(ends[0]) }
        let path = "/proc/self/fd/\(ends[0])"
        let sources = JobSources(arguments: [path])
        let (rows, failures, report) = try plan(sources.inputs)
        #expect(failures.isEmpty)
        #expect(rows.count == 2)
        #expect(report.exitCode == 0)
    }

    @Test func fifoInsideADirectoryIsSkippedWithANote() throws {
        let files = try TemporaryFiles()
        defer { files.remove() }
        _ = try files.write("a.yaml", Self.job)
        let fifo = files.directory.appendingPathComponent("b.yaml").path
        #expect(mkfifo(fifo, 0o600) == 0)
        let sources = JobSources(arguments: [files.directory.path])
        #expect(sources.inputs.map(\.path) == [files.directory.path + "/a.yaml"])
        #expect(
            sources.notes == [
                "\(fifo): note: skipped: a FIFO, not a regular file; name it on its own to read it"
            ]
        )
        #expect(try plan(sources.inputs).rows.count == 2)
    }

    @Test func symlinkLoopSaysSo() throws {
        let files = try TemporaryFiles()
        defer { files.remove() }
        let loop = files.directory.appendingPathComponent("loop.yaml").path
        #expect(symlink(loop, loop) == 0)
        let sources = JobSources(arguments: [loop])
        #expect(
            sources.failures.flatMap(\.diagnostics).map(\.description) == [
                "\(loop):1:1: error: too many levels of symbolic links; expected a job file, a directory or -"
            ]
        )
        let missing = files.directory.appendingPathComponent("missing.yaml").path
        #expect(
            JobSources(arguments: [missing]).failures.flatMap(\.diagnostics).map(\.message) == [
                "no such file or directory; expected a job file, a directory or -"
            ]
        )
    }

    @Test func nameThatIsNotUTF8OpensByItsBytes() throws {
        let files = try TemporaryFiles()
        defer { files.remove() }
        let bytes = Array((files.directory.path + "/caf").utf8) + [0xE9] + Array(".yaml".utf8)
        let terminated = bytes.map { CChar(bitPattern: $0) } + [0]
        let descriptor = terminated.withUnsafeBufferPointer { open($0.baseAddress!, O_WRONLY | O_CREAT, 0o600) }
        #expect(descriptor >= 0)
        _ = POSIX.writeAll(descriptor, Array(Self.job.utf8))
        POSIX.close(descriptor)
        // What Swift's command line gives for those bytes: the invalid byte replaced.
        let argument = String(decoding: bytes, as: UTF8.self)
        let sources = JobSources(arguments: [argument], rawBytes: { $0 == argument ? bytes : nil })
        let shown = files.directory.path + "/caf\\xE9.yaml"
        #expect(sources.inputs.map(\.path) == [shown])
        let (rows, failures, _) = try plan(sources.inputs)
        #expect(failures.isEmpty)
        #expect(rows.first?.ref.source == shown)
        // In a directory too.
        let listed = JobSources(arguments: [files.directory.path])
        #expect(listed.inputs.map(\.path) == [shown])
        #expect(try plan(listed.inputs).rows.count == 2)
    }

    @Test func standardInputIsReadInPlace() {
        #expect(JobSources(arguments: ["-"]).inputs == [JobInput(path: "-", source: "-")])
    }
}
