/// The time zones of a phone number, from libphonenumber's prefix-to-time-zone map (compiled in as
/// data by `scripts/generate_timezones.py`; nothing is read at run time).
///
/// The answer is the zone list of the longest prefix of the number's digits that the map holds
/// (`+1 212 555 0142` → `1212` → America/New_York; `+1 907 …` → `1907` → America/Adak and
/// America/Anchorage, where a call must fit the window of both).
///
/// **Whole-country answers are no answer.** For a number it cannot place (toll-free `+1 800`,
/// the fictional `+1 555`, mobile ranges it has no finer entry for), libphonenumber falls back to
/// the entry for the bare country calling code, which lists every zone of the country (`1`: 42
/// zones from Adak to Guam). Such a list says nothing about where the person is, so when the
/// longest match is a country calling code with more than one zone, the number has no zone
/// (`[]`). A country with a single zone (`49` → Europe/Berlin) is a real answer and is kept.
/// libphonenumber's "unknown" marker, `Etc/Unknown`, is dropped when the data is generated.
public enum PrefixTimeZones {
    /// The longest prefix the map holds for a number, before the whole-country rule is applied.
    public struct Match: Sendable, Hashable {
        /// The matched digits (country calling code first, no `+`).
        public var prefix: String
        /// The prefix's IANA zone names, sorted.
        public var zones: [String]
        /// The prefix is a bare country calling code (`1`, `44`, `61`).
        public var isCountryCallingCode: Bool

        /// A whole-country answer with more than one zone, which places nobody.
        public var isWholeCountry: Bool { isCountryCallingCode && zones.count > 1 }
    }

    /// The IANA time zones of `e164`, or `[]` when the map cannot place it: no prefix matches, the
    /// answer is a whole multi-zone country (see the type's notes), or the text is not a number.
    ///
    /// - Parameter e164: `+` and digits; the separators a job file allows (space, `-`, `.`, `(`,
    ///   `)`) are skipped.
    /// - Returns: one zone, or several when the prefix spans them (the window must be open in all).
    public static func zones(for e164: String) -> [String] {
        guard let index = table.longestMatch(e164), !table.entries[index].isWholeCountry else { return [] }
        return table.entries[index].zones
    }

    /// The longest prefix of `e164` the map holds, whole-country entries included; nil when none
    /// matches or the text is not a number.
    public static func match(for e164: String) -> Match? {
        table.longestMatch(e164).map { table.entries[$0] }
    }

    /// Every zone name the map uses, sorted (for checking them against the system's tz database).
    public static var allZoneNames: [String] { table.zoneNames }

    /// Parsed once, at first use.
    private static let table = Table(prefixLines: prefixLines, countryCallingCodes: countryCallingCodes)
}

extension PrefixTimeZones {
    /// A digit trie over the prefixes: node `n`'s child for digit `d` is `children[n * 10 + d]`
    /// (0 = none; the root is node 0 and nobody's child), `entryOfNode[n]` the index in `entries`
    /// of the prefix ending there, or -1.
    private final class Table: Sendable {
        let children: [Int32]
        let entryOfNode: [Int32]
        let entries: [Match]
        let zoneNames: [String]

        init(prefixLines: String, countryCallingCodes: String) {
            let codes = Set(countryCallingCodes.split(whereSeparator: { $0 == " " || $0 == "\n" }).map(String.init))
            var children: [Int32] = Array(repeating: 0, count: 10)
            var entryOfNode: [Int32] = [-1]
            var entries: [Match] = []
            var interned: [String: String] = [:]
            for line in Self.lines(prefixLines) {
                let zone = interned[line.zone] ?? line.zone
                interned[zone] = zone
                if let last = entries.last, last.prefix == line.prefix {
                    entries[entries.count - 1].zones.append(zone)
                    continue
                }
                var node = 0
                for byte in line.prefix.utf8 {
                    let slot = node * 10 + Int(byte &- UInt8(ascii: "0"))
                    if children[slot] == 0 {
                        children[slot] = Int32(entryOfNode.count)
                        entryOfNode.append(-1)
                        children.append(contentsOf: repeatElement(0, count: 10))
                    }
                    node = Int(children[slot])
                }
                entryOfNode[node] = Int32(entries.count)
                entries.append(
                    Match(prefix: line.prefix, zones: [zone], isCountryCallingCode: codes.contains(line.prefix))
                )
            }
            self.children = children
            self.entryOfNode = entryOfNode
            self.entries = entries
            self.zoneNames = interned.keys.sorted()
        }

        /// The `prefix|zone` lines of the data (lines of one prefix are adjacent).
        private static func lines(_ text: String) -> [(prefix: String, zone: String)] {
            var result: [(prefix: String, zone: String)] = []
            var text = text
            text.withUTF8 { bytes in
                var lineStart = 0
                var bar = -1
                for index in 0 ... bytes.count {
                    let byte = index < bytes.count ? bytes[index] : UInt8(ascii: "\n")
                    if byte == UInt8(ascii: "|") {
                        bar = index
                    } else if byte == UInt8(ascii: "\n") {
                        if bar > lineStart {
                            let prefix = String(decoding: bytes[lineStart ..< bar], as: UTF8.self)
                            let zone = String(decoding: bytes[(bar + 1) ..< index], as: UTF8.self)
                            result.append((prefix, zone))
                        }
                        lineStart = index + 1
                        bar = -1
                    }
                }
            }
            return result
        }

        /// The index in `entries` of the longest prefix of `e164`, or nil.
        func longestMatch(_ e164: String) -> Int? {
            var text = e164
            return text.withUTF8 { bytes in
                children.withUnsafeBufferPointer { children in
                    entryOfNode.withUnsafeBufferPointer { entryOfNode in
                        var node = 0
                        var best: Int32 = -1
                        var walking = true
                        for (index, byte) in bytes.enumerated() {
                            switch byte {
                            case UInt8(ascii: "0") ... UInt8(ascii: "9"):
                                guard walking else { continue }
                                let next = Int(children[node &* 10 &+ Int(byte &- UInt8(ascii: "0"))])
                                if next == 0 {
                                    walking = false
                                } else {
                                    node = next
                                    if entryOfNode[node] >= 0 { best = entryOfNode[node] }
                                }
                            case UInt8(ascii: "+") where index == 0:
                                continue
                            case UInt8(ascii: " "), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "("),
                                UInt8(ascii: ")"):
                                continue
                            default:
                                return nil
                            }
                        }
                        return best >= 0 ? Int(best) : nil
                    }
                }
            }
        }
    }
}
