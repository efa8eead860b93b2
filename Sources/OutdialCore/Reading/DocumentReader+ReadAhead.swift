import Dispatch
import Foundation
import Synchronization

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
    static let batchRows = 128
    /// Batches waiting at most between the two threads.
    static let maxBatches = 4

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
    final class Channel: Sendable {
        private struct State {
            var batches: [[Event]] = []
            var head = 0
            /// Batches the visitor is done with, to be freed on the parsing thread.
            var spent: [[Event]] = []
            var stopped = false
            var closed = false
        }

        private let state = Mutex(State())
        /// Free places in the queue. Made at 0 and signalled up to its size: libdispatch traps
        /// when a semaphore is freed below the value it was made with, which this one is when the
        /// visitor stops before taking every batch.
        private let room = DispatchSemaphore(value: 0)
        /// Batches in the queue, plus one when the parsing thread is done.
        private let ready = DispatchSemaphore(value: 0)

        init() {
            for _ in 0 ..< ReadAhead.maxBatches { room.signal() }
        }

        /// Queues `batch`, waiting for room. False when the visitor has stopped.
        func put(_ batch: [Event]) -> Bool {
            room.wait()
            var spent: [[Event]] = []
            let accepted = state.withLock { state in
                swap(&spent, &state.spent)
                guard !state.stopped else { return false }
                state.batches.append(batch)
                return true
            }
            if accepted { ready.signal() }
            // The rows the visitor is done with are freed here, off its thread.
            spent.removeAll()
            return accepted
        }

        /// Takes back a batch the visitor is done with.
        func giveBack(_ batch: [Event]) {
            state.withLock { $0.spent.append(batch) }
        }

        /// Says that no more batches come.
        func close() {
            state.withLock { $0.closed = true }
            ready.signal()
        }

        /// The next batch, waiting for one; nil once the parsing thread is done and every batch taken.
        func take() -> [Event]? {
            ready.wait()
            let batch = state.withLock { state -> [Event]? in
                guard state.head < state.batches.count else { return nil }
                let batch = state.batches[state.head]
                state.batches[state.head] = []
                state.head += 1
                if state.head == state.batches.count {
                    state.batches.removeAll(keepingCapacity: true)
                    state.head = 0
                }
                return batch
            }
            if batch != nil { room.signal() }
            return batch
        }

        /// Tells the parsing thread to stop at its next hand-over (and wakes it if it waits for room).
        func stop() {
            state.withLock { $0.stopped = true }
            room.signal()
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
