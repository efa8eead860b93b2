import Foundation

/// The Prometheus text exposition format, checked line by line (the grammar of
/// https://prometheus.io/docs/instrumenting/exposition_formats/): `# HELP` and `# TYPE` lines,
/// samples `name{label="value",...} number`, a family's samples together and after its TYPE,
/// counters named `_total`. Returns the problems found, with line numbers.
enum ExpositionFormat {
    static func problems(in text: String) -> [String] {
        var problems: [String] = []
        var types: [String: String] = [:]
        var finished: Set<String> = []
        var current: String?
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let number = index + 1
            if line.isEmpty { continue }
            if line.hasPrefix("#") {
                let parts = line.split(separator: " ", maxSplits: 3, omittingEmptySubsequences: false)
                guard parts.count >= 3, ["HELP", "TYPE"].contains(parts[1]), isMetricName(parts[2]) else {
                    problems.append("\(number): a comment that is neither HELP nor TYPE: \(line)")
                    continue
                }
                let name = String(parts[2])
                if parts[1] == "TYPE" {
                    let type = parts.count == 4 ? String(parts[3]) : ""
                    guard ["counter", "gauge", "histogram", "summary", "untyped"].contains(type) else {
                        problems.append("\(number): unknown type \(type)")
                        continue
                    }
                    if types[name] != nil { problems.append("\(number): a second TYPE for \(name)") }
                    types[name] = type
                    if type == "counter", !name.hasSuffix("_total") {
                        problems.append("\(number): counter \(name) is not named _total")
                    }
                }
                continue
            }
            guard let (name, rest) = sampleName(line) else {
                problems.append("\(number): not a sample: \(line)")
                continue
            }
            if types[name] == nil { problems.append("\(number): \(name) has no TYPE before it") }
            if current != name {
                if let current { finished.insert(current) }
                if finished.contains(name) { problems.append("\(number): \(name)'s samples are not together") }
                current = name
            }
            var remainder = rest
            if remainder.first == "{" {
                guard let after = labels(remainder.dropFirst()) else {
                    problems.append("\(number): bad labels: \(line)")
                    continue
                }
                remainder = after
            }
            let fields = remainder.split(separator: " ")
            guard (1 ... 2).contains(fields.count), remainder.first == " ",
                Double(fields[0]) != nil || ["NaN", "+Inf", "-Inf"].contains(fields[0]),
                fields.count == 1 || Int64(fields[1]) != nil
            else {
                problems.append("\(number): bad value: \(line)")
                continue
            }
        }
        if !text.isEmpty, !text.hasSuffix("\n") { problems.append("the text does not end with a newline") }
        return problems
    }

    private static func isMetricName(_ name: Substring) -> Bool {
        func letter(_ c: Unicode.Scalar) -> Bool {
            ("a" ... "z").contains(c) || ("A" ... "Z").contains(c) || c == "_" || c == ":"
        }
        guard let first = name.unicodeScalars.first, letter(first) else { return false }
        return name.unicodeScalars.allSatisfy { letter($0) || ("0" ... "9").contains($0) }
    }

    private static func sampleName(_ line: Substring) -> (String, Substring)? {
        guard let end = line.firstIndex(where: { $0 == "{" || $0 == " " }) else { return nil }
        let name = line[..<end]
        return isMetricName(name) ? (String(name), line[end...]) : nil
    }

    /// Reads `name="value",...}` and returns what follows the brace.
    private static func labels(_ text: Substring) -> Substring? {
        var rest = text
        while true {
            if rest.first == "}" { return rest.dropFirst() }
            guard let equals = rest.firstIndex(of: "=") else { return nil }
            let name = rest[..<equals]
            guard isMetricName(name), !name.contains(":") else { return nil }
            rest = rest[rest.index(after: equals)...]
            guard rest.first == "\"" else { return nil }
            rest = rest.dropFirst()
            var escaped = false
            var closed: Substring.Index?
            for index in rest.indices {
                let character = rest[index]
                if escaped {
                    guard ["\\", "\"", "n"].contains(character) else { return nil }
                    escaped = false
                } else if character == "\\" {
                    escaped = true
                } else if character == "\n" {
                    return nil
                } else if character == "\"" {
                    closed = index
                    break
                }
            }
            guard let closed else { return nil }
            rest = rest[rest.index(after: closed)...]
            if rest.first == "," { rest = rest.dropFirst() }
        }
    }
}
