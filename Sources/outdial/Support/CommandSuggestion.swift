/// "Did you mean" for a mistyped subcommand: `outdial rn` suggests `run`.
enum CommandSuggestion {
    /// The message for `arguments` when their first word is not a command, or nil.
    static func unknownCommand(in arguments: [String], known: [String]) -> String? {
        guard let word = arguments.first, !word.hasPrefix("-"), !known.contains(word) else { return nil }
        let close = known.map { (name: $0, distance: distance(word, $0)) }
            .filter { $0.distance <= max(1, min(2, $0.name.count / 2)) || $0.name.hasPrefix(word) }
            .sorted { $0.distance < $1.distance }
        if let best = close.first {
            return "unknown command '\(word)'; did you mean '\(best.name)'?"
        }
        return "unknown command '\(word)'; the commands are " + known.joined(separator: ", ")
    }

    /// The Levenshtein distance between two words (transpositions count as one edit).
    static func distance(_ a: String, _ b: String) -> Int {
        let a = Array(a)
        let b = Array(b)
        guard !a.isEmpty else { return b.count }
        guard !b.isEmpty else { return a.count }
        var table = [[Int]](repeating: [Int](repeating: 0, count: b.count + 1), count: a.count + 1)
        for i in 0 ... a.count { table[i][0] = i }
        for j in 0 ... b.count { table[0][j] = j }
        for i in 1 ... a.count {
            for j in 1 ... b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                table[i][j] = min(table[i - 1][j] + 1, table[i][j - 1] + 1, table[i - 1][j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                    table[i][j] = min(table[i][j], table[i - 2][j - 2] + 1)
                }
            }
        }
        return table[a.count][b.count]
    }
}
