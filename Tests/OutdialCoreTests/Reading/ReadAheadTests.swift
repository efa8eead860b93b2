import Foundation
import Testing

@testable import OutdialCore

/// `readAhead(into:)` parses on a thread of its own: the visitor must see exactly what `read(into:)`
/// shows it, problems included, however many batches the rows take.
struct ReadAheadTests {
    /// A job of `rows` rows (more than the batches waiting between the threads hold), then `tail`.
    private func job(rows: Int, tail: String = "") -> String {
        var text = "version: 1\nid: many\ndefaults: {InstanceId: abc}\ncontacts:\n"
        for row in 0 ..< rows {
            text += "  - DestinationPhoneNumber: \"+1555123\(String(row).leftPadded(to: 4))\"\n    Name: P \(row)\n"
        }
        return text + tail
    }

    private func readBothWays(_ text: String, name: String = "job.yaml", failAtContact: Int? = nil) throws -> (
        inOrder: (RecordingVisitor, (any Error)?), ahead: (RecordingVisitor, (any Error)?)
    ) {
        let files = try TemporaryFiles()
        defer { files.remove() }
        let path = try files.write(name, text)
        let reader = DocumentReader(path: path, displayName: name)
        var inOrder = RecordingVisitor()
        inOrder.failAtContact = failAtContact
        var inOrderError: (any Error)?
        do { try reader.read(into: &inOrder) } catch { inOrderError = error }
        var ahead = RecordingVisitor()
        ahead.failAtContact = failAtContact
        var aheadError: (any Error)?
        do { try reader.readAhead(into: &ahead) } catch { aheadError = error }
        return ((inOrder, inOrderError), (ahead, aheadError))
    }

    @Test func handsOverTheSameCallsAsReadingInOrder() throws {
        let rows = ReadAhead.batchRows * (ReadAhead.maxBatches + 3) + 17
        let (inOrder, ahead) = try readBothWays(job(rows: rows, tail: "pacing: {rate: 2}\n"))
        #expect(inOrder.1 == nil && ahead.1 == nil)
        #expect(ahead.0.contacts.count == rows)
        #expect(ahead.0.log == inOrder.0.log)
        #expect(ahead.0.log.last == "end")
        #expect(ahead.0.sha256Hex == inOrder.0.sha256Hex)
    }

    /// Counts around the queue's sizes: less than a batch, a batch, half the queue (when a waiting
    /// thread is woken), a full queue, and one row more.
    @Test(arguments: [
        1, ReadAhead.batchRows - 1, ReadAhead.batchRows, ReadAhead.batchRows * ReadAhead.maxBatches / 2,
        ReadAhead.batchRows * ReadAhead.maxBatches, ReadAhead.batchRows * ReadAhead.maxBatches + 1,
    ])
    func everyRowArrivesWhateverPartOfTheQueueItFills(rows: Int) throws {
        let (inOrder, ahead) = try readBothWays(job(rows: rows))
        #expect(inOrder.1 == nil && ahead.1 == nil)
        #expect(ahead.0.contacts.count == rows)
        #expect(ahead.0.log == inOrder.0.log)
    }

    @Test func aParseErrorComesAfterEveryRowBeforeItAndNoneAfter() throws {
        let rows = ReadAhead.batchRows * 3 + 5
        let (inOrder, ahead) = try readBothWays(job(rows: rows, tail: "  - DestinationPhoneNumber: [\n"))
        let expected = try #require(inOrder.1 as? ReadError)
        let error = try #require(ahead.1 as? ReadError)
        #expect(error == expected)
        #expect(error.code == ErrorCode.parseError)
        #expect(ahead.0.contacts.count == rows)
        #expect(ahead.0.log == inOrder.0.log)
    }

    @Test func aBrokenJSONFileFailsAtTheSamePlace() throws {
        var text = #"{"version": 1, "contacts": ["#
        for row in 0 ..< 600 { text += #"{"DestinationPhoneNumber": "+1555\#(row)"},"# + "\n" }
        text += "]}\n"
        let (inOrder, ahead) = try readBothWays(text, name: "job.json")
        let expected = try #require(inOrder.1 as? ReadError)
        #expect(ahead.1 as? ReadError == expected)
        #expect(ahead.0.log == inOrder.0.log)
    }

    @Test func stopsReadingWhenTheVisitorThrows() throws {
        // Far more rows than wait between the threads: the parsing thread is held up waiting for room
        // when the visitor stops, and must be let go for the read to return.
        let rows = ReadAhead.batchRows * ReadAhead.maxBatches * 16
        let stopAt = rows / 4
        let (inOrder, ahead) = try readBothWays(job(rows: rows), failAtContact: stopAt)
        #expect(inOrder.1 is RecordingVisitor.Stop)
        #expect(ahead.1 is RecordingVisitor.Stop)
        #expect(ahead.0.contacts.count == stopAt)
        #expect(ahead.0.log == inOrder.0.log)
    }

    @Test func anUnreadableFileIsReportedAsBefore() throws {
        var visitor = RecordingVisitor()
        let reader = DocumentReader(path: "/nonexistent/outdial/job.yaml", displayName: "job.yaml")
        #expect(throws: ReadError.self) { try reader.readAhead(into: &visitor) }
        #expect(visitor.log.isEmpty)
    }
}

extension String {
    fileprivate func leftPadded(to width: Int) -> String {
        String(repeating: "0", count: max(0, width - count)) + self
    }
}
