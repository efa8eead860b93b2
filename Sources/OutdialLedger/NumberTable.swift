/// Two small numbers kept per phone number, found by the number: what `ContactRules` knows of each
/// destination (its suppression and its latest attempt, as indexes into its own arrays).
///
/// A screen looks up hundreds of thousands of numbers in a table as large, so the lookup is bound
/// by memory, not by hashing: an E.164 number (`+` and 1 to 15 digits, as every normalised number
/// is) is kept as one integer, in one array of 16-byte slots probed in order, so that most lookups
/// touch one cache line. Any other text is kept in a dictionary of its own.
struct NumberTable {
    /// What is kept per number; -1 for none.
    struct Entry {
        var suppression: Int32 = -1
        var latest: Int32 = -1
    }

    private struct Slot {
        /// The number as `NumberTable.key(_:)` makes it; 0 for an empty slot (no number has key 0).
        var key: UInt64
        var entry: Entry
    }

    private var slots: [Slot]
    /// `slots.count - 1`; the count is a power of two.
    private var mask: Int
    /// 64 less the bits of `mask`: the product's top bits pick the first slot.
    private var shift: UInt64
    private var used = 0
    private var others: [String: Entry] = [:]

    init(capacity: Int = 0) {
        var size = 16
        while size < capacity * 2 { size *= 2 }
        slots = [Slot](repeating: Slot(key: 0, entry: Entry()), count: size)
        mask = size - 1
        shift = UInt64(64 - size.trailingZeroBitCount)
    }

    /// The entry of `number`, if it has one.
    func entry(_ number: String) -> Entry? {
        guard let key = Self.key(number) else { return others[number] }
        var index = start(key)
        while true {
            let slot = slots[index]
            if slot.key == key { return slot.entry }
            if slot.key == 0 { return nil }
            index = (index + 1) & mask
        }
    }

    /// Changes the entry of `number`, made empty first when it has none.
    mutating func update<T>(_ number: String, _ change: (inout Entry) -> T) -> T {
        guard let key = Self.key(number) else { return change(&others[number, default: Entry()]) }
        if (used + 1) * 2 > slots.count { grow() }
        var index = start(key)
        while slots[index].key != key {
            if slots[index].key == 0 {
                slots[index].key = key
                used += 1
                break
            }
            index = (index + 1) & mask
        }
        return change(&slots[index].entry)
    }

    private mutating func grow() {
        let old = slots
        slots = [Slot](repeating: Slot(key: 0, entry: Entry()), count: old.count * 2)
        mask = slots.count - 1
        shift -= 1
        for slot in old where slot.key != 0 {
            var index = start(slot.key)
            while slots[index].key != 0 { index = (index + 1) & mask }
            slots[index] = slot
        }
    }

    /// The first slot to look at (Fibonacci hashing: the product's top bits, which every digit of
    /// the key reaches).
    private func start(_ key: UInt64) -> Int {
        Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> shift)
    }

    /// `+` and 1 to 15 digits as one integer, with the count of digits above them (so `+1` and
    /// `+01` differ, and no number is 0); nil for any other text.
    static func key(_ number: String) -> UInt64? {
        var value: UInt64 = 0
        var digits: UInt64 = 0
        var bytes = number.utf8.makeIterator()
        guard bytes.next() == UInt8(ascii: "+") else { return nil }
        while let byte = bytes.next() {
            guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9"), digits < 15 else { return nil }
            value = value &* 10 &+ UInt64(byte &- UInt8(ascii: "0"))
            digits += 1
        }
        // 15 digits need 50 bits; the count goes above them.
        return digits == 0 ? nil : digits << 56 | value
    }
}
