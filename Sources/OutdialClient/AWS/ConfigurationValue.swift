/// How a configuration value appears in a message: control characters escaped, at most 200
/// characters, and, for a URL, without the user name, password, query or fragment it may hold.
enum ConfigurationValue {
    /// The longest value a message repeats, in characters.
    static let shownLimit = 200

    /// `text` with control characters written as `\u{..}`, cut to ``shownLimit`` characters
    /// (ending in `...`).
    static func shown(_ text: some StringProtocol) -> String {
        var result = ""
        var count = 0
        for character in text {
            if count == shownLimit {
                result += "..."
                break
            }
            if character.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) {
                for scalar in character.unicodeScalars {
                    result += "\\u{" + String(scalar.value, radix: 16) + "}"
                }
            } else {
                result.append(character)
            }
            count += 1
        }
        return result
    }

    /// A URL as ``shown(_:)`` gives it, with anything between `://` and the last `@` of the
    /// authority replaced by `***`, and the query and fragment by `?***` and `#***`.
    static func shownURL(_ url: String) -> String {
        let start = url.range(of: "://")?.upperBound ?? url.startIndex
        let authorityEnd = url[start...].firstIndex { $0 == "/" || $0 == "?" || $0 == "#" } ?? url.endIndex
        var redacted = String(url[..<start])
        if let at = url[start ..< authorityEnd].lastIndex(of: "@") {
            redacted += "***" + url[at ..< authorityEnd]
        } else {
            redacted += url[start ..< authorityEnd]
        }
        let rest = url[authorityEnd...]
        let pathEnd = rest.firstIndex { $0 == "?" || $0 == "#" } ?? rest.endIndex
        redacted += rest[..<pathEnd]
        if rest[pathEnd...].contains("?") { redacted += "?***" }
        if rest[pathEnd...].contains("#") { redacted += "#***" }
        return shown(redacted)
    }
}
