/// Names the nearest known key for an unknown one ("did you mean DestinationPhoneNumber?").
enum FieldSuggestion {
    /// The known key nearest to `key` by edit distance (case-insensitive), or nil when there are none.
    static func nearest(to key: String, in known: [String]) -> String? {
        let target = Array(key.lowercased().unicodeScalars.prefix(200))
        var best: (name: String, distance: Int)?
        for candidate in known {
            let distance = editDistance(target, Array(candidate.lowercased().unicodeScalars))
            if let current = best, current.distance <= distance { continue }
            best = (candidate, distance)
        }
        return best?.name
    }

    /// `unknown key "Destination"; did you mean DestinationPhoneNumber?`
    static func message(for key: String, known: [String]) -> String {
        var message = "unknown key \(quoted(key))"
        if let nearest = nearest(to: key, in: known) {
            message += "; did you mean \(nearest)?"
        }
        return message
    }

    static func editDistance(_ a: [Unicode.Scalar], _ b: [Unicode.Scalar]) -> Int {
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previous = Array(0 ... b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1 ... a.count {
            current[0] = i
            for j in 1 ... b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            }
            swap(&previous, &current)
        }
        return previous[b.count]
    }
}

/// A value shown in a message: quoted, and cut short when long.
func quoted(_ text: String, limit: Int = 60) -> String {
    var shown = text
    if text.unicodeScalars.count > limit {
        shown = String(String.UnicodeScalarView(text.unicodeScalars.prefix(limit))) + "…"
    }
    var out = "\""
    for scalar in shown.unicodeScalars {
        switch scalar {
        case "\"": out += "\\\""
        case "\\": out += "\\\\"
        case "\n": out += "\\n"
        case "\t": out += "\\t"
        default:
            if scalar.value < 0x20 {
                out += "\\u{\(String(scalar.value, radix: 16))}"
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
    }
    return out + "\""
}
