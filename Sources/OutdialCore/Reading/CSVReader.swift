import Crypto
import OutdialBase

/// One cell of a CSV record, with where it starts (its opening quote, for a quoted cell).
struct CSVCell: Sendable {
    var text: String
    var mark: SourceMark
}

/// One record of a CSV file: its cells and the line it starts on.
struct CSVRecord: Sendable {
    var line: Int
    var cells: [CSVCell]
}

/// Reads a CSV file (RFC 4180) record by record, streaming from a descriptor through one fixed buffer, so
/// memory stays flat however many records the file has.
///
/// - Records end at CRLF, LF or CR; a quoted cell may hold the delimiter, line breaks and `""` (one quote).
/// - Lines and columns are counted as editors count them (1-based, columns in Unicode scalars), and every
///   problem names the place: an unclosed quote, a stray quote, text after a closing quote, a record with
///   more or fewer cells than the header, invalid UTF-8.
/// - A leading UTF-8 byte-order mark is dropped; lines with nothing on them are not records.
/// - Bounded: one cell at most `ReadLimits.maxScalarBytes`, the file at most `ReadLimits.maxFileBytes`, the
///   header at most `maxHeaderCells` cells; a data record may not have more cells than the header.
/// - Every byte read feeds a SHA-256 (`sha256Hex()`), for the job id.
final class CSVReader {
    /// Most cells a header may have.
    static let maxHeaderCells = 1024

    enum Origin {
        /// A descriptor, closed with the reader when `owned`.
        case descriptor(Int32, owned: Bool)
        case memory([UInt8])
    }

    private enum State {
        case cellStart
        case unquoted
        case quoted
        /// A quote inside a quoted cell: the cell's end, or the first of `""`.
        case afterQuote
    }

    let name: String
    let delimiter: UInt8
    let limits: ReadLimits
    /// The header's names, once it is read: data records must have as many cells.
    var header: [String]?

    private let origin: Origin
    private let buffer: UnsafeMutableBufferPointer<UInt8>
    private var position = 0
    private var count = 0
    private var memoryOffset = 0
    private var atEnd = false
    private var started = false
    private var bytesTaken = 0
    private var hasher = SHA256()

    // Where the next byte is.
    private var line = 1
    private var column = 1
    private var afterCR = false

    // UTF-8 being decoded: continuation bytes still expected, the scalar so far, its length and start.
    private var utf8Needed = 0
    private var utf8Length = 0
    private var utf8Value: UInt32 = 0
    private var utf8Mark = SourceMark(line: 1, column: 1)

    private var cellBytes: [UInt8] = []

    init(origin: Origin, name: String, delimiter: UInt8 = UInt8(ascii: ","), limits: ReadLimits = .init()) {
        self.origin = origin
        self.name = name
        self.delimiter = delimiter
        self.limits = limits
        buffer = .allocate(capacity: 1 << 16)
        cellBytes.reserveCapacity(256)
    }

    deinit {
        buffer.deallocate()
        if case .descriptor(let descriptor, owned: true) = origin { POSIX.close(descriptor) }
    }

    /// The next record, or nil at the end of the file.
    /// - Throws: `ReadError` (InvalidCSV, RaggedRow, InvalidUTF8, TooLarge, UnreadableFile) with the place.
    func next() throws -> CSVRecord? {
        var cells: [CSVCell] = []
        cells.reserveCapacity(header?.count ?? 8)
        var state = State.cellStart
        var recordLine = line
        var cellMark = SourceMark(line: line, column: column)
        cellBytes.removeAll(keepingCapacity: true)
        while true {
            guard let byte = try nextByte() else {
                if utf8Needed > 0 { throw problem(.truncatedSequence, at: utf8Mark) }
                switch state {
                case .quoted:
                    throw ReadError(
                        .invalidCSV,
                        "the quoted cell that starts here has no closing quote (\")",
                        file: name,
                        mark: cellMark
                    )
                case .cellStart where cells.isEmpty:
                    return nil
                case .cellStart:
                    // An empty last cell, after a delimiter.
                    let end = SourceMark(line: line, column: column)
                    try endCell(&cells, at: end)
                    return try endRecord(cells, line: recordLine, at: end)
                case .unquoted, .afterQuote:
                    try endCell(&cells, at: cellMark)
                    return try endRecord(cells, line: recordLine, at: SourceMark(line: line, column: column))
                }
            }
            let mark = SourceMark(line: line, column: column)
            try advance(over: byte, at: mark)
            switch state {
            case .cellStart:
                if byte == 0x0A || byte == 0x0D {
                    // A line with nothing on it is not a record.
                    if cells.isEmpty { continue }
                    // An empty last cell, after a delimiter.
                    try endCell(&cells, at: mark)
                    return try endRecord(cells, line: recordLine, at: mark)
                }
                if cells.isEmpty { recordLine = mark.line }
                cellMark = mark
                if byte == delimiter {
                    try endCell(&cells, at: mark)
                } else if byte == UInt8(ascii: "\"") {
                    state = .quoted
                } else {
                    try append(byte, cellMark: cellMark, quoted: false)
                    state = .unquoted
                }
            case .unquoted:
                if byte == delimiter {
                    try endCell(&cells, at: cellMark)
                    state = .cellStart
                } else if byte == 0x0A || byte == 0x0D {
                    try endCell(&cells, at: cellMark)
                    return try endRecord(cells, line: recordLine, at: mark)
                } else if byte == UInt8(ascii: "\"") {
                    throw ReadError(
                        .invalidCSV,
                        "a quote (\") inside a cell that does not start with one; quote the whole cell and write "
                            + "each quote in it twice (\"\")",
                        file: name,
                        mark: mark
                    )
                } else {
                    try append(byte, cellMark: cellMark, quoted: false)
                }
            case .quoted:
                if byte == UInt8(ascii: "\"") {
                    state = .afterQuote
                } else {
                    try append(byte, cellMark: cellMark, quoted: true)
                }
            case .afterQuote:
                if byte == UInt8(ascii: "\"") {
                    try append(byte, cellMark: cellMark, quoted: true)
                    state = .quoted
                } else if byte == delimiter {
                    try endCell(&cells, at: cellMark)
                    state = .cellStart
                } else if byte == 0x0A || byte == 0x0D {
                    try endCell(&cells, at: cellMark)
                    return try endRecord(cells, line: recordLine, at: mark)
                } else {
                    throw ReadError(
                        .invalidCSV,
                        "found text after the closing quote of the cell that starts at \(cellMark); "
                            + "expected the delimiter \(Self.describe(delimiter)) or the end of the line "
                            + "(write a quote inside a quoted cell as \"\")",
                        file: name,
                        mark: mark
                    )
                }
            }
        }
    }

    /// Lower-case hex SHA-256 of every byte of the file, after reading it to its end.
    func sha256Hex() throws -> String {
        while try refill() {}
        return JobIdentity.hex(hasher.finalize())
    }

    /// The delimiter as messages show it: `","`, `";"`, `tab`.
    static func describe(_ delimiter: UInt8) -> String {
        delimiter == 0x09 ? "tab" : "\"\(Character(Unicode.Scalar(delimiter)))\""
    }

    // MARK: Cells and records

    @inline(__always)
    private func append(_ byte: UInt8, cellMark: SourceMark, quoted: Bool) throws {
        guard cellBytes.count < limits.maxScalarBytes else {
            var message =
                "the cell that starts here is longer than the limit of "
                + "\(ReadLimits.describe(bytes: limits.maxScalarBytes)) (\(limits.maxScalarBytes) bytes)"
            if quoted { message += "; is a closing quote (\") missing?" }
            throw ReadError(.tooLarge, message, file: name, mark: cellMark)
        }
        cellBytes.append(byte)
    }

    private func endCell(_ cells: inout [CSVCell], at mark: SourceMark) throws {
        if let header, cells.count >= header.count {
            throw ReadError(
                .raggedRow,
                "this row has more cells than the header's \(header.count) columns (\(Self.list(header))); "
                    + "a cell holding the delimiter \(Self.describe(delimiter)) must be quoted",
                file: name,
                mark: mark
            )
        }
        if header == nil && cells.count >= Self.maxHeaderCells {
            throw ReadError(
                .tooLarge,
                "the header has more than \(Self.maxHeaderCells) columns",
                file: name,
                mark: mark
            )
        }
        // Every byte was checked as UTF-8 on the way in.
        cells.append(CSVCell(text: String(decoding: cellBytes, as: UTF8.self), mark: mark))
        cellBytes.removeAll(keepingCapacity: true)
    }

    private func endRecord(_ cells: [CSVCell], line: Int, at mark: SourceMark) throws -> CSVRecord {
        if let header, cells.count < header.count {
            throw ReadError(
                .raggedRow,
                "this row has \(cells.count) cell\(cells.count == 1 ? "" : "s"); the header has \(header.count) "
                    + "columns (\(Self.list(header))), and every row must have as many (leave a cell empty "
                    + "between two delimiters)",
                file: name,
                mark: mark
            )
        }
        return CSVRecord(line: line, cells: cells)
    }

    /// Header names for messages: the first few, quoted.
    private static func list(_ names: [String]) -> String {
        let shown = names.prefix(8).map { quoted($0, limit: 30) }.joined(separator: ", ")
        return names.count > 8 ? shown + ", …" : shown
    }

    // MARK: Bytes

    /// Moves the position past `byte`, checking it as UTF-8.
    @inline(__always)
    private func advance(over byte: UInt8, at mark: SourceMark) throws {
        if byte < 0x80 {
            if utf8Needed > 0 { throw problem(.invalidContinuationByte(byte), at: utf8Mark) }
            if byte == 0x0A {
                if !afterCR { line += 1 }
                column = 1
                afterCR = false
            } else if byte == 0x0D {
                line += 1
                column = 1
                afterCR = true
            } else {
                column += 1
                afterCR = false
            }
            return
        }
        afterCR = false
        if byte & 0xC0 == 0x80 {
            guard utf8Needed > 0 else { throw problem(.invalidLeadingByte(byte), at: mark) }
            utf8Value = utf8Value << 6 | UInt32(byte & 0x3F)
            utf8Needed -= 1
            if utf8Needed == 0 { try checkScalar() }
            return
        }
        if utf8Needed > 0 { throw problem(.invalidContinuationByte(byte), at: utf8Mark) }
        utf8Mark = mark
        column += 1
        switch byte {
        case 0xC2 ... 0xDF:
            utf8Needed = 1
            utf8Value = UInt32(byte & 0x1F)
        case 0xE0 ... 0xEF:
            utf8Needed = 2
            utf8Value = UInt32(byte & 0x0F)
        case 0xF0 ... 0xF4:
            utf8Needed = 3
            utf8Value = UInt32(byte & 0x07)
        case 0xC0, 0xC1:
            throw problem(.overlongEncoding, at: mark)
        default:
            throw problem(.invalidLeadingByte(byte), at: mark)
        }
        utf8Length = utf8Needed + 1
    }

    private func checkScalar() throws {
        let value = utf8Value
        if (utf8Length == 3 && value < 0x800) || (utf8Length == 4 && value < 0x10000) {
            throw problem(.overlongEncoding, at: utf8Mark)
        }
        if (0xD800 ... 0xDFFF).contains(value) || value > 0x10FFFF {
            throw problem(.notAScalarValue(value), at: utf8Mark)
        }
    }

    private func problem(_ found: CharacterProblem, at mark: SourceMark) -> ReadError {
        ReadError(found.code, found.message, file: name, mark: mark)
    }

    @inline(__always)
    private func nextByte() throws -> UInt8? {
        if position == count {
            guard try refill() else { return nil }
        }
        let byte = buffer[position]
        position += 1
        return byte
    }

    /// Reads the next chunk into the buffer (dropping a byte-order mark at the start).
    /// - Returns: false at the end of the file.
    private func refill() throws -> Bool {
        position = 0
        count = try read(into: buffer.baseAddress!, capacity: buffer.count)
        if !started && count > 0 {
            started = true
            while count < 3 {
                let more = try read(into: buffer.baseAddress! + count, capacity: buffer.count - count)
                if more == 0 { break }
                count += more
            }
            if count >= 3 && buffer[0] == 0xEF && buffer[1] == 0xBB && buffer[2] == 0xBF { position = 3 }
            if position == count { return try refill() }
        }
        return count > 0
    }

    private func read(into target: UnsafeMutablePointer<UInt8>, capacity: Int) throws -> Int {
        if atEnd { return 0 }
        let got: Int
        switch origin {
        case .memory(let bytes):
            got = min(capacity, bytes.count - memoryOffset)
            bytes.withUnsafeBufferPointer { source in
                if let base = source.baseAddress, got > 0 { target.update(from: base + memoryOffset, count: got) }
            }
            memoryOffset += got
        case .descriptor(let descriptor, _):
            // One byte more than the limit allows tells a file at the limit from one beyond it.
            let room = limits.maxFileBytes - bytesTaken + 1
            got = POSIX.read(descriptor, into: target, capacity: min(capacity, max(room, 1)))
            if got < 0 {
                throw ReadError(.unreadableFile, "cannot read the file: \(errorText(errno))", file: name, mark: nil)
            }
        }
        if got == 0 {
            atEnd = true
            return 0
        }
        bytesTaken += got
        if bytesTaken > limits.maxFileBytes {
            throw ReadError(
                .tooLarge,
                "the file is larger than the limit of \(ReadLimits.describe(bytes: limits.maxFileBytes)) "
                    + "(\(limits.maxFileBytes) bytes); split it into smaller files",
                file: name,
                mark: nil
            )
        }
        hasher.update(bufferPointer: UnsafeRawBufferPointer(start: target, count: got))
        return got
    }
}
