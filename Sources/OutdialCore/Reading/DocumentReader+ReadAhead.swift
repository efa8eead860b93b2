import Dispatch
import Foundation

extension DocumentReader {
    /// Reads the document into `visitor` as `read(into:)` does, with the parsing on a thread of its own:
    /// libyaml's events are built into nodes there while `visitor` takes the nodes built before them, so
    /// that reading and what the visitor does with each row share the work between two cores.
    ///
    /// The visitor gets the same calls in the same order as from `read(into:)`, and a problem of the file
    /// reaches it at the same place among them: after every row read before the problem, never after a row
    /// read after it. At most `ReadAhead.maxBatches` batches of `ReadAhead.batchRows` rows wait between the
    /// two threads, so memory stays flat however many rows the file has. When the visitor throws, the
    /// parsing thread stops at its next hand-over and is waited for before this returns.
    /// - Throws: `ReadError` for a file that cannot be read or parsed, or whatever the visitor throws.
    public func readAhead<V: DocumentVisitor>(into visitor: inout V) throws {
        let channel = ReadAhead.Channel()
        let finished = DispatchSemaphore(value: 0)
        let reader = self
        let thread = Thread {
            var forwarder = ReadAhead.Forwarder(channel: channel)
            do {
                try reader.read(into: &forwarder)
                forwarder.flush()
            } catch is ReadAhead.Stopped {
                // The visitor stopped first: nothing waits for the rest.
            } catch {
                forwarder.flush(ending: error)
            }
            finished.signal()
        }
        thread.start()
        defer {
            channel.stop()
            finished.wait()
        }
        while let batch = channel.take() {
            defer { channel.giveBack(batch) }
            for event in batch {
                switch event {
                case .begin(let root, let mark): try visitor.begin(root: root, at: mark)
                case .entry(let entry): try visitor.entry(entry)
                case .beginContacts(let keyMark, let mark): try visitor.beginContacts(keyMark: keyMark, at: mark)
                case .contact(let node, let index): try visitor.contact(node, index: index)
                case .end(let sha256Hex): try visitor.end(sha256Hex: sha256Hex)
                case .failed(let error): throw error
                }
            }
        }
    }
}

/// The parts of `DocumentReader.readAhead(into:)`.
enum ReadAhead {
    /// Rows handed over at once.
    static let batchRows = 256
    /// Batches waiting at most between the two threads.
    static let maxBatches = 8

    /// One call of `DocumentVisitor`, or the error that ended the read.
    enum Event: Sendable {
        case begin(RootKind, SourceMark)
        case entry(Node.Entry)
        case beginContacts(keyMark: SourceMark, mark: SourceMark)
        case contact(Node, index: Int)
        case end(sha256Hex: String)
        case failed(any Error)
    }

    /// Thrown on the parsing thread when the visitor has stopped.
    struct Stopped: Error {}

    /// A bounded queue of batches from the parsing thread to the visitor's.
    ///
    /// A thread that waits is woken only once the queue is half full again (the visitor) or half
    /// empty again (the parsing thread), not for each batch: on two cores, waking a thread costs
    /// more than handing over a batch, and this way each wake-up is worth half the queue.
    final class Channel: @unchecked Sendable {
        // Every stored property is read and written with `condition` locked.
        private let condition = NSCondition()
        private var batches: [[Event]] = []
        private var head = 0
        /// Batches the visitor is done with, to be freed on the parsing thread.
        private var spent: [[Event]] = []
        private var stopped = false
        private var closed = false
        private var parserWaits = false
        private var visitorWaits = false

        private var queued: Int { batches.count - head }

        /// Queues `batch`, waiting for room. False when the visitor has stopped.
        func put(_ batch: [Event]) -> Bool {
            var freed: [[Event]] = []
            condition.lock()
            if queued >= ReadAhead.maxBatches && !stopped {
                parserWaits = true
                while queued > ReadAhead.maxBatches / 2 && !stopped { condition.wait() }
                parserWaits = false
            }
            let accepted = !stopped
            if accepted {
                batches.append(batch)
                swap(&freed, &spent)
                if visitorWaits && queued >= ReadAhead.maxBatches / 2 { condition.signal() }
            }
            condition.unlock()
            // The rows the visitor is done with are freed here, off its thread.
            freed.removeAll()
            return accepted
        }

        /// Takes back a batch the visitor is done with.
        func giveBack(_ batch: [Event]) {
            condition.lock()
            spent.append(batch)
            condition.unlock()
        }

        /// Says that no more batches come.
        func close() {
            condition.lock()
            closed = true
            condition.signal()
            condition.unlock()
        }

        /// The next batch, waiting for one; nil once the parsing thread is done and every batch taken.
        func take() -> [Event]? {
            condition.lock()
            defer { condition.unlock() }
            if queued == 0 && !closed {
                visitorWaits = true
                while queued < ReadAhead.maxBatches / 2 && !closed { condition.wait() }
                visitorWaits = false
            }
            guard queued > 0 else { return nil }
            let batch = batches[head]
            batches[head] = []
            head += 1
            if head == batches.count {
                batches.removeAll(keepingCapacity: true)
                head = 0
            }
            if parserWaits && queued <= ReadAhead.maxBatches / 2 { condition.signal() }
            return batch
        }

        /// Tells the parsing thread to stop at its next hand-over (and wakes it if it waits for room).
        func stop() {
            condition.lock()
            stopped = true
            condition.signal()
            condition.unlock()
        }
    }

    /// The visitor on the parsing thread: gathers the calls into batches for the channel.
    struct Forwarder: DocumentVisitor {
        let channel: Channel
        private var batch: [Event] = []

        init(channel: Channel) {
            self.channel = channel
            batch.reserveCapacity(ReadAhead.batchRows)
        }

        mutating func begin(root: RootKind, at mark: SourceMark) throws {
            try add(.begin(root, mark))
        }

        mutating func entry(_ entry: Node.Entry) throws {
            try add(.entry(entry))
        }

        mutating func beginContacts(keyMark: SourceMark, at mark: SourceMark) throws {
            try add(.beginContacts(keyMark: keyMark, mark: mark))
        }

        mutating func contact(_ node: Node, index: Int) throws {
            try add(.contact(node, index: index))
        }

        mutating func end(sha256Hex: String) throws {
            try add(.end(sha256Hex: sha256Hex))
        }

        private mutating func add(_ event: Event) throws {
            batch.append(event)
            if batch.count >= ReadAhead.batchRows { try handOver() }
        }

        private mutating func handOver() throws {
            var full: [Event] = []
            full.reserveCapacity(ReadAhead.batchRows)
            swap(&full, &batch)
            guard channel.put(full) else { throw Stopped() }
        }

        /// Hands over what is left, with the error that ended the read, and closes the channel.
        mutating func flush(ending error: (any Error)? = nil) {
            if let error { batch.append(.failed(error)) }
            if !batch.isEmpty { _ = channel.put(batch) }
            batch = []
            channel.close()
        }
    }
}
