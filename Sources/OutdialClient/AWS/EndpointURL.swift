/// An absolute `http`/`https` URL from configuration (`--endpoint-url`, `AWS_ENDPOINT_URL`, the
/// container credentials URI, the instance metadata endpoint), checked in full before it reaches
/// the network: a host name or address, a port 1-65535, no user name or password, a path of URL
/// characters, and no fragment (a query only where the caller allows one).
///
/// Parsed by hand rather than with `URLComponents`, which turns an unparsable port into "no port"
/// and leaves a port above 65535 for the socket layer to trap on.
struct EndpointURL: Sendable, Hashable {
    /// What is wrong with the text, for a message that goes on "...; expected ...".
    struct Problem: Error, Sendable, Hashable {
        let found: String
    }

    /// `http` or `https`, lower-cased.
    let scheme: String
    /// The host name or address (IPv6 without brackets).
    let host: String
    /// The port, when the URL names one.
    let port: Int?
    /// The path as written (percent-encoded), possibly empty.
    let path: String
    /// The query after `?`, when the caller allows one and the URL has it.
    let query: String?

    /// What every configured URL must be, for messages.
    static let allowed =
        "an absolute http:// or https:// URL with a host, an optional port 1-65535 and an optional path, "
        + "without user name, password, query or fragment"

    /// Checks `text`.
    /// - Parameter allowsQuery: accept a `?query` (the container credentials URI).
    /// - Throws: ``Problem`` saying what is wrong; it never repeats a user name or password.
    init(parsing text: String, allowsQuery: Bool = false) throws(Problem) {
        guard !text.isEmpty else { throw Problem(found: "it is empty") }
        guard let separator = text.range(of: "://") else {
            throw Problem(found: "it is not an absolute URL (no http:// or https://)")
        }
        let scheme = text[..<separator.lowerBound].lowercased()
        guard scheme == "http" || scheme == "https" else {
            throw Problem(found: "the scheme is \"\(ConfigurationValue.shown(scheme))\", not http or https")
        }
        let afterScheme = text[separator.upperBound...]
        let authorityEnd = afterScheme.firstIndex { $0 == "/" || $0 == "?" || $0 == "#" } ?? afterScheme.endIndex
        let authority = afterScheme[..<authorityEnd]
        guard !authority.contains("@") else {
            throw Problem(found: "it holds a user name or password (not shown)")
        }
        let (host, portText) = try Self.splitAuthority(authority)
        try Self.checkHost(host)

        var port: Int?
        if let portText {
            guard !portText.isEmpty else { throw Problem(found: "the port after \":\" is missing") }
            guard portText.count <= 5, portText.unicodeScalars.allSatisfy(isDigit), let number = Int(portText),
                (1 ... 65535).contains(number)
            else {
                throw Problem(found: "the port \(ConfigurationValue.shown(String(portText))) is not 1-65535")
            }
            port = number
        }

        var rest = afterScheme[authorityEnd...]
        if rest.contains("#") { throw Problem(found: "it has a fragment (#...)") }
        var query: String?
        if let mark = rest.firstIndex(of: "?") {
            guard allowsQuery else { throw Problem(found: "it has a query (?...)") }
            let text = rest[rest.index(after: mark)...]
            guard text.unicodeScalars.allSatisfy({ Self.isPathCharacter($0) || $0 == "?" }) else {
                throw Problem(found: "the query has a character that must be percent-encoded")
            }
            query = String(text)
            rest = rest[..<mark]
        }
        guard rest.unicodeScalars.allSatisfy(Self.isPathCharacter) else {
            throw Problem(found: "the path has a character that must be percent-encoded")
        }
        guard Self.hasValidPercentEscapes(rest) else {
            throw Problem(found: "the path has a `%` not followed by two hexadecimal digits")
        }
        self.scheme = scheme
        self.host = String(host)
        self.port = port
        self.path = String(rest)
        self.query = query
    }

    /// The host (brackets removed from an IPv6 address) and the port text after `:`, if any.
    private static func splitAuthority(_ authority: Substring) throws(Problem) -> (Substring, Substring?) {
        if authority.hasPrefix("[") {
            guard let close = authority.firstIndex(of: "]") else {
                throw Problem(found: "the IPv6 address has no closing \"]\"")
            }
            let address = authority[authority.index(after: authority.startIndex) ..< close]
            guard address.contains(":"),
                address.unicodeScalars.allSatisfy({ $0.properties.isASCIIHexDigit || $0 == ":" || $0 == "." })
            else {
                throw Problem(
                    found: "the host [\(ConfigurationValue.shown(String(address)))] is not an IPv6 address"
                )
            }
            let after = authority[authority.index(after: close)...]
            if after.isEmpty { return (address, nil) }
            guard after.first == ":" else { throw Problem(found: "there is text after the IPv6 address's \"]\"") }
            return (address, after.dropFirst())
        }
        let colons = authority.filter { $0 == ":" }.count
        guard colons <= 1 else {
            throw Problem(
                found: "the host has more than one \":\"; write an IPv6 address in brackets, e.g. http://[::1]:4566"
            )
        }
        guard let colon = authority.firstIndex(of: ":") else { return (authority, nil) }
        return (authority[..<colon], authority[authority.index(after: colon)...])
    }

    /// A DNS name (letters, digits, `-`, `_`, dot-separated labels of 1-63) or an IPv4 address.
    private static func checkHost(_ host: Substring) throws(Problem) {
        guard !host.isEmpty else { throw Problem(found: "it has no host") }
        if host.contains(":") { return }  // a checked IPv6 address
        let labels = host.split(separator: ".", omittingEmptySubsequences: false)
        let valid =
            host.utf8.count <= 253
            && labels.allSatisfy { label in
                (1 ... 63).contains(label.utf8.count)
                    && label.unicodeScalars.allSatisfy { isLetterOrDigit($0) || $0 == "-" || $0 == "_" }
            }
        guard valid else {
            throw Problem(
                found: "the host \"\(ConfigurationValue.shown(String(host)))\" is not a host name or IP address "
                    + "(letters, digits, \"-\" and \"_\" in dot-separated labels)"
            )
        }
    }

    /// RFC 3986 `pchar` and `/`: unreserved, sub-delims, `:`, `@`, `%`.
    private static func isPathCharacter(_ scalar: Unicode.Scalar) -> Bool {
        isLetterOrDigit(scalar) || "-._~!$&'()*+,;=:@/%".unicodeScalars.contains(scalar)
    }

    private static func hasValidPercentEscapes(_ text: Substring) -> Bool {
        var scalars = text.unicodeScalars.makeIterator()
        while let scalar = scalars.next() {
            guard scalar == "%" else { continue }
            guard let first = scalars.next(), let second = scalars.next(),
                first.properties.isASCIIHexDigit, second.properties.isASCIIHexDigit
            else { return false }
        }
        return true
    }
}

private func isDigit(_ scalar: Unicode.Scalar) -> Bool {
    ("0" ... "9").contains(scalar)
}

private func isLetterOrDigit(_ scalar: Unicode.Scalar) -> Bool {
    ("a" ... "z").contains(scalar) || ("A" ... "Z").contains(scalar) || isDigit(scalar)
}
