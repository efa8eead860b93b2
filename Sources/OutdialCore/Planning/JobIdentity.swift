import Crypto

/// Job ids and ClientTokens (job-file.md, "Job id and ClientToken").
///
/// - The job id is the file's `id`, else `<file name without extension>-<first 12 hex digits of
///   the SHA-256 of the file's bytes>` (`-` for standard input gives `stdin-…`); when the rows are in a
///   CSV file, of `combined(_:_:)` of both files' hashes.
/// - A row without its own `ClientToken` gets the lower-case hex SHA-256 (64 characters) of
///   `<job id>` + `"\n"` + `<dedupe key text>`, where the key text is the JSON array of
///   `DedupeKey.text(for:)` (for the default key `["<InstanceId>","<DestinationPhoneNumber>"]`).
///   With `dedupe: off` the key text is `row <index>` (0-based index in the file's contacts).
///   So the same row of the same job always carries the same token.
public enum JobIdentity {
    /// The id of a job whose file has no `id`.
    public static func derivedJobId(source: String, sha256Hex: String) -> String {
        "\(baseName(of: source))-\(sha256Hex.prefix(12))"
    }

    /// The hash a derived job id takes when its rows are in a CSV file: the SHA-256 (hex) of the job
    /// file's SHA-256 (hex), a line feed, and the CSV file's SHA-256 (hex), so that a change to either
    /// file gives the job a new id.
    public static func combined(_ jobSHA256Hex: String, _ contactsSHA256Hex: String) -> String {
        sha256Hex(of: Array((jobSHA256Hex + "\n" + contactsSHA256Hex).utf8))
    }

    /// The file's name without directories and extension; `stdin` for `-`.
    public static func baseName(of source: String) -> String {
        if source == "-" { return "stdin" }
        let name = source.split(separator: "/", omittingEmptySubsequences: true).last.map(String.init) ?? source
        if let dot = name.lastIndex(of: "."), dot != name.startIndex {
            return String(name[..<dot])
        }
        return name
    }

    /// The ClientToken of a row with dedupe key text `keyText`.
    public static func clientToken(jobId: String, keyText: [UInt8]) -> String {
        clientToken(seed: tokenSeed(jobId: jobId), keyText: keyText)
    }

    /// A hasher already fed with `<job id>` + `"\n"`: copied for every row of the job.
    static func tokenSeed(jobId: String) -> SHA256 {
        var hasher = SHA256()
        hasher.update(data: Array((jobId + "\n").utf8))
        return hasher
    }

    /// The ClientToken for `keyText` from a job's `tokenSeed(jobId:)`.
    static func clientToken(seed: SHA256, keyText: [UInt8]) -> String {
        var hasher = seed
        hasher.update(data: keyText)
        return hex(hasher.finalize())
    }

    /// The ClientToken of row `index` of a job with `dedupe: off`.
    public static func clientToken(jobId: String, rowIndex: Int) -> String {
        clientToken(jobId: jobId, keyText: Array("row \(rowIndex)".utf8))
    }

    /// The lower-case hex SHA-256 of `bytes`.
    static func sha256Hex(of bytes: [UInt8]) -> String {
        hex(SHA256.hash(data: bytes))
    }

    static func hex(_ digest: SHA256.Digest) -> String {
        digest.withUnsafeBytes { raw in
            String(unsafeUninitializedCapacity: raw.count * 2) { out in
                // Both buffers are exactly sized: `out` holds two digits per byte of `raw`.
                guard let target = out.baseAddress, out.count >= raw.count * 2 else { return 0 }
                for (offset, byte) in raw.enumerated() {
                    target[2 * offset] = hexDigit(byte >> 4)
                    target[2 * offset + 1] = hexDigit(byte & 0xF)
                }
                return raw.count * 2
            }
        }
    }

    @inline(__always)
    private static func hexDigit(_ nibble: UInt8) -> UInt8 {
        nibble < 10 ? UInt8(ascii: "0") &+ nibble : UInt8(ascii: "a") &+ (nibble &- 10)
    }
}
