import Crypto

/// The pieces of SigV4's canonical request, as botocore builds them for services other than S3.
enum SigV4Canonical {
    static let algorithm = "AWS4-HMAC-SHA256"

    /// The canonical URI: dot segments and empty segments removed, then every byte but the
    /// unreserved characters and `/` percent-encoded. The path is taken as sent on the wire (already
    /// encoded once), so a `%` in it is encoded again, as SigV4 requires for these services.
    static func uri(_ path: String) -> String {
        guard !path.isEmpty else { return "/" }
        var segments: [Substring] = []
        for segment in path.split(separator: "/", omittingEmptySubsequences: true) where segment != "." {
            if segment == ".." {
                if !segments.isEmpty { segments.removeLast() }
            } else {
                segments.append(segment)
            }
        }
        var normalized = path.hasPrefix("/") ? "/" : ""
        normalized += segments.joined(separator: "/")
        if path.hasSuffix("/") && !segments.isEmpty {
            normalized += "/"
        }
        return percentEncode(normalized, keepingSlash: true)
    }

    /// The canonical query string: each `name=value` pair decoded then encoded again (unreserved
    /// characters only), sorted by name, then by value.
    static func query(_ query: String) -> String {
        guard !query.isEmpty else { return "" }
        var pairs: [(String, String)] = []
        for item in query.split(separator: "&", omittingEmptySubsequences: true) {
            let name: Substring
            let value: Substring
            if let equals = item.firstIndex(of: "=") {
                name = item[..<equals]
                value = item[item.index(after: equals)...]
            } else {
                name = item
                value = ""
            }
            pairs.append(
                (
                    percentEncode(percentDecode(name), keepingSlash: false),
                    percentEncode(percentDecode(value), keepingSlash: false)
                )
            )
        }
        pairs.sort { $0.0 != $1.0 ? $0.0 < $1.0 : $0.1 < $1.1 }
        return pairs.map { "\($0.0)=\($0.1)" }.joined(separator: "&")
    }

    /// A header value as signed: surrounding whitespace trimmed, inner runs of whitespace made one space.
    static func headerValue(_ value: String) -> String {
        var words: [Substring] = []
        var start: String.Index? = nil
        var index = value.startIndex
        while index < value.endIndex {
            let isSpace = isWhitespace(value.utf8[index])
            if isSpace, let begin = start {
                words.append(value[begin ..< index])
                start = nil
            } else if !isSpace, start == nil {
                start = index
            }
            index = value.utf8.index(after: index)
        }
        if let begin = start {
            words.append(value[begin...])
        }
        return words.count == 1 ? String(words[0]) : words.joined(separator: " ")
    }

    /// The canonical headers block and the signed-headers list for the named headers: names in
    /// lower case and sorted, values trimmed, repeated headers joined with commas.
    /// - Returns: `nil` when a named header is missing from `headers`.
    static func headers(
        _ headers: [(name: String, value: String)],
        signing names: [String]
    ) -> (canonical: String, signed: String)? {
        let lowercased = headers.map { $0.name.lowercased() }
        var lines: [String] = []
        lines.reserveCapacity(names.count)
        for name in names {
            var values: [String] = []
            for (index, header) in headers.enumerated() where lowercased[index] == name {
                values.append(headerValue(header.value))
            }
            guard !values.isEmpty else { return nil }
            lines.append(name + ":" + values.joined(separator: ","))
        }
        return (lines.joined(separator: "\n"), names.joined(separator: ";"))
    }

    static func canonicalRequest(
        method: String,
        path: String,
        query: String,
        canonicalHeaders: String,
        signedHeaders: String,
        payloadHash: String
    ) -> String {
        [
            method.uppercased(), uri(path), Self.query(query), canonicalHeaders + "\n", signedHeaders, payloadHash,
        ].joined(separator: "\n")
    }

    static func stringToSign(amzDate: String, scope: String, canonicalRequest: String) -> String {
        [algorithm, amzDate, scope, hex(SHA256.hash(data: Array(canonicalRequest.utf8)))].joined(separator: "\n")
    }

    static func signingKey(secret: String, day: String, region: String, service: String) -> SymmetricKey {
        var key = SymmetricKey(data: Array(("AWS4" + secret).utf8))
        for part in [day, region, service, "aws4_request"] {
            key = SymmetricKey(data: HMAC<SHA256>.authenticationCode(for: Array(part.utf8), using: key))
        }
        return key
    }

    static func signature(key: SymmetricKey, stringToSign: String) -> String {
        hex(HMAC<SHA256>.authenticationCode(for: Array(stringToSign.utf8), using: key))
    }

    static func payloadHash(_ body: [UInt8]) -> String {
        hex(SHA256.hash(data: body))
    }

    static func hex<Bytes: Sequence>(_ bytes: Bytes) -> String where Bytes.Element == UInt8 {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(64)
        for byte in bytes {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0f)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    private static func isWhitespace(_ byte: UInt8) -> Bool {
        byte == 0x20 || (0x09 ... 0x0d).contains(byte)
    }

    private static func isUnreserved(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "A") ... UInt8(ascii: "Z"), UInt8(ascii: "a") ... UInt8(ascii: "z"),
            UInt8(ascii: "0") ... UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."),
            UInt8(ascii: "~"):
            return true
        default:
            return false
        }
    }

    private static func percentEncode<S: StringProtocol>(_ text: S, keepingSlash: Bool) -> String {
        percentEncode(Array(text.utf8), keepingSlash: keepingSlash)
    }

    private static func percentEncode(_ bytes: [UInt8], keepingSlash: Bool) -> String {
        let digits = Array("0123456789ABCDEF".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        for byte in bytes {
            if isUnreserved(byte) || (keepingSlash && byte == UInt8(ascii: "/")) {
                out.append(byte)
            } else {
                out.append(UInt8(ascii: "%"))
                out.append(digits[Int(byte >> 4)])
                out.append(digits[Int(byte & 0x0f)])
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    private static func percentDecode(_ text: Substring) -> [UInt8] {
        func value(_ byte: UInt8) -> UInt8? {
            switch byte {
            case UInt8(ascii: "0") ... UInt8(ascii: "9"): return byte - UInt8(ascii: "0")
            case UInt8(ascii: "a") ... UInt8(ascii: "f"): return byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A") ... UInt8(ascii: "F"): return byte - UInt8(ascii: "A") + 10
            default: return nil
            }
        }
        let bytes = Array(text.utf8)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var index = 0
        while index < bytes.count {
            if bytes[index] == UInt8(ascii: "%"), index + 2 < bytes.count,
                let high = value(bytes[index + 1]), let low = value(bytes[index + 2])
            {
                out.append(high << 4 | low)
                index += 3
            } else {
                out.append(bytes[index])
                index += 1
            }
        }
        return out
    }
}
