import Foundation

/// A binary min-heap of timed events; events at the same time come out in the order they went in.
struct EventQueue<Payload: Sendable>: Sendable {
    private struct Entry: Sendable {
        var time: Date
        var order: UInt64
        var payload: Payload

        func precedes(_ other: Entry) -> Bool {
            time != other.time ? time < other.time : order < other.order
        }
    }

    private var heap: [Entry] = []
    private var counter: UInt64 = 0

    var isEmpty: Bool { heap.isEmpty }

    mutating func insert(_ payload: Payload, at time: Date) {
        counter += 1
        heap.append(Entry(time: time, order: counter, payload: payload))
        var child = heap.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard heap[child].precedes(heap[parent]) else { break }
            heap.swapAt(child, parent)
            child = parent
        }
    }

    /// Removes and returns the earliest event if it is due at `now`.
    mutating func popDue(at now: Date) -> (time: Date, payload: Payload)? {
        guard let first = heap.first, first.time <= now else { return nil }
        let last = heap.removeLast()
        if !heap.isEmpty {
            heap[0] = last
            var parent = 0
            while true {
                let left = 2 * parent + 1
                let right = left + 1
                var smallest = parent
                if left < heap.count, heap[left].precedes(heap[smallest]) { smallest = left }
                if right < heap.count, heap[right].precedes(heap[smallest]) { smallest = right }
                guard smallest != parent else { break }
                heap.swapAt(parent, smallest)
                parent = smallest
            }
        }
        return (first.time, first.payload)
    }
}
