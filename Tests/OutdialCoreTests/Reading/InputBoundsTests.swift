import Foundation
import OutdialBase
import Testing

@testable import OutdialCore

/// Inputs without end: the reader stops at a documented limit, naming the file and the limit.
struct InputBoundsTests {
    func planError(_ input: JobInput, limits: ReadLimits = .init()) throws -> [String] {
        var planner = JobPlanner(options: PlanningOptions(readLimits: limits))
        do {
            _ = try planner.plan(input) { _ in }
            return []
        } catch let failure as JobFileError {
            return failure.diagnostics.map(\.description)
        }
    }

    @Test func devZeroStopsAtOnce() throws {
        #expect(
            try planError(JobInput(path: "/dev/zero")) == [
                "/dev/zero:1:1: error: control character U+0000 is not allowed"
            ]
        )
        #expect(try planError(JobInput(path: "/dev/urandom")).count == 1)
    }

    @Test func inputLargerThanTheLimitIsRefused() throws {
        // An endless list of rows through a pipe: stopped at maxFileBytes.
        var ends: [Int32] = [0, 0]
        #expect(pipe(&ends) == 0)
        let writeEnd = ends[1]
        // The reader stops before the writer: its writes then fail with EPIPE instead of a signal.
        signal(SIGPIPE, SIG_IGN)
        let writer = Thread {
            let row = Array("- {DestinationPhoneNumber: '+15551230001', InstanceId: i, ContactFlowId: f}\n".utf8)
            for _ in 0 ..< 2_000 where POSIX.writeAll(writeEnd, row) == nil {}
            POSIX.close(writeEnd)
        }
        writer.start()
        defer { POSIX.close(ends[0]) }
        let errors = try planError(
            JobInput(path: "/proc/self/fd/\(ends[0])", source: "rows.yaml"),
            limits: ReadLimits(maxFileBytes: 64 << 10)
        )
        #expect(
            errors == [
                "rows.yaml:1:1: error: the input is larger than the limit of 64 KiB (65536 bytes); split it into smaller job files"
            ]
        )
    }

    @Test func scalarWithoutEndIsStoppedWhileLibyamlScansIt() throws {
        let files = try TemporaryFiles()
        defer { files.remove() }
        let path = try files.write("long.yaml", "version: 1\nid: x\nnote: " + String(repeating: "y", count: 300_000))
        let errors = try planError(
            JobInput(path: path, source: "long.yaml"),
            limits: ReadLimits(maxTokenLength: 100_000)
        )
        #expect(
            errors == [
                "long.yaml:3:6: error: more than 100000 characters without an end (one scalar, key or run of comments) after this point; the limit is 100000 characters"
            ]
        )
    }

    @Test func limitsAreDocumentedValues() {
        let limits = ReadLimits()
        #expect(limits.maxFileBytes == 1 << 30)
        #expect(limits.maxTokenLength == 2 << 20)
        #expect(ReadLimits.describe(bytes: 1 << 30) == "1 GiB")
    }
}
