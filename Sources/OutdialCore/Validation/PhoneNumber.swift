/// E.164 phone numbers as the API takes them.
public enum PhoneNumber {
    /// Destination prefixes Amazon Connect blocks by default (Connect quotas page).
    public static let blockedPrefixes = [
        "+447", "+448", "+449", "+44111", "+44118", "+44119", "+44826", "+8170", "+8180", "+8190",
    ]

    /// Removes spaces, `-`, `.`, `(` and `)`, then checks `^\+[1-9]\d{1,14}$`. No country code is
    /// ever guessed: a number without `+` is refused.
    /// - Returns: the normalised number, or nil when it is not E.164.
    public static func normalise(_ text: String) -> String? {
        if isNormalised(text) { return text }
        var out: [UInt8] = []
        out.reserveCapacity(16)
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: " "), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "("), UInt8(ascii: ")"):
                continue
            default:
                out.append(byte)
                if out.count > 16 { return nil }
            }
        }
        guard out.count >= 3, out[0] == UInt8(ascii: "+"), out[1] >= UInt8(ascii: "1"), out[1] <= UInt8(ascii: "9")
        else { return nil }
        for byte in out.dropFirst(2) where !(UInt8(ascii: "0") ... UInt8(ascii: "9")).contains(byte) {
            return nil
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Whether `text` is already `^\+[1-9]\d{1,14}$`, so that normalising would give it back.
    private static func isNormalised(_ text: String) -> Bool {
        let count = text.utf8.count
        guard count >= 3, count <= 16 else { return false }
        var text = text
        return text.withUTF8 { utf8 in
            guard utf8[0] == UInt8(ascii: "+"), utf8[1] >= UInt8(ascii: "1"), utf8[1] <= UInt8(ascii: "9") else {
                return false
            }
            for index in 2 ..< utf8.count where utf8[index] < UInt8(ascii: "0") || utf8[index] > UInt8(ascii: "9") {
                return false
            }
            return true
        }
    }

    /// The blocked prefix `number` starts with, unless an allowed prefix covers it.
    public static func blockedPrefix(of number: String, allowing allowed: [String]) -> String? {
        // Every blocked prefix starts with +44 or +81: most numbers are cleared by these bytes.
        var bytes = number.utf8.makeIterator()
        guard bytes.next() == UInt8(ascii: "+") else { return nil }
        switch (bytes.next(), bytes.next()) {
        case (UInt8(ascii: "4"), UInt8(ascii: "4")), (UInt8(ascii: "8"), UInt8(ascii: "1")): break
        default: return nil
        }
        guard let blocked = blockedPrefixes.first(where: { number.hasPrefix($0) }) else { return nil }
        // An allowance covers the number when the number starts with it.
        if allowed.contains(where: { number.hasPrefix($0) }) { return nil }
        return blocked
    }
}
