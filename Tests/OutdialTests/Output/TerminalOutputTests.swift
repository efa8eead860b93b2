import Foundation
import OutdialBase
import OutdialCore
import Testing

/// Result lines and the progress line on one terminal: the progress line is cleared first.
@Suite struct TerminalOutputTests {
    // Linux's TIOCSPTLCK and TIOCGPTN (asm-generic ioctl numbers; the macros are not imported).
    private static let unlockRequest: UInt = 0x4004_5431
    private static let numberRequest: UInt = 0x8004_5430

    /// A new pseudo-terminal: its controlling side and the descriptor of its terminal side.
    private func pseudoTerminal() throws -> (controller: Int32, terminal: Int32) {
        let controller = POSIX.open("/dev/ptmx", O_RDWR | O_NOCTTY)
        try #require(controller >= 0)
        var unlock: Int32 = 0
        var number: UInt32 = 0
        try #require(ioctl(controller, Self.unlockRequest, &unlock) == 0)
        try #require(ioctl(controller, Self.numberRequest, &number) == 0)
        let terminal = POSIX.open("/dev/pts/\(number)", O_RDWR | O_NOCTTY)
        try #require(terminal >= 0)
        return (controller, terminal)
    }

    @Test func twoDescriptorsOfOneTerminalShareIt() throws {
        let one = try pseudoTerminal()
        let other = try pseudoTerminal()
        let again = dup(one.terminal)
        defer { for fd in [one.controller, one.terminal, other.controller, other.terminal, again] { POSIX.close(fd) } }

        #expect(ProgressReporter.shareTerminal(one.terminal, again))
        #expect(!ProgressReporter.shareTerminal(one.terminal, other.terminal))
        var pipeEnds: [Int32] = [0, 0]
        try #require(pipe(&pipeEnds) == 0)
        defer { pipeEnds.forEach(POSIX.close) }
        #expect(!ProgressReporter.shareTerminal(pipeEnds[1], one.terminal))
    }

    @Test func aLineOnTheProgressTerminalClearsTheProgressLineFirst() throws {
        var ends: [Int32] = [0, 0]
        try #require(pipe(&ends) == 0)
        defer { ends.forEach(POSIX.close) }
        let line = ResultLine(
            ref: RowRef(job: "j", source: "a.yaml", row: 0, line: 8),
            destination: "+15551230001",
            clientToken: "t",
            status: .started
        )

        try NDJSONResultWriter(fileDescriptor: ends[1], clearsTerminalLine: true).write(line)
        try NDJSONResultWriter(fileDescriptor: ends[1]).write(line)

        var buffer = [UInt8](repeating: 0, count: 4096)
        let count = POSIX.read(ends[0], into: &buffer, capacity: buffer.count)
        let text = String(decoding: buffer[0 ..< max(0, count)], as: UTF8.self)
        let json = String(decoding: line.ndjson(), as: UTF8.self)
        #expect(text == "\r\u{1B}[K" + json + json)
    }
}
