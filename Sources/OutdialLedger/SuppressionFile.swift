import OutdialBase
import OutdialCore

/// A file of numbers to suppress, read a piece at a time (a file of a million lines never sits in
/// memory whole):
/// - `.csv`: a header row, then one row per number; the number column is the one named
///   `number`, `phone` or `DestinationPhoneNumber` (any case), or the one `--column` names; a
///   `reason` column, when present, gives each number its reason. Cells may be quoted (`"a, b"`,
///   `"say ""stop"""`), and a quoted cell may span lines.
/// - anything else: one number a line; blank lines and `#` comments are ignored.
///
/// Numbers are normalised as job rows are (`PhoneNumber.normalise`). A bad line becomes a
/// diagnostic (`file:line:col: error: …`, the column of the bad cell); reading goes on, so that
/// every bad line is reported at once.
public final class SuppressionFile {
    /// One good number of the file.
    public struct Entry: Sendable, Hashable {
        /// Normalised (E.164).
        public var number: String
        /// The row's `reason` cell, when the file has that column and the cell is not empty.
        public var reason: String?
        /// Where the number's cell starts.
        public var mark: SourceMark
    }

    /// Names the number column may have when `--column` is not given (compared ignoring case).
    public static let numberColumnNames = ["number", "phone", "DestinationPhoneNumber"]
    /// Diagnostics kept at most; the rest are counted.
    public static let diagnosticLimit = 1000

    /// The file as given.
    public let path: String
    /// Whether the file is read as CSV (its name ends in `.csv`).
    public let isCSV: Bool
    /// Problems found so far (at most `diagnosticLimit`).
    public private(set) var diagnostics: [Diagnostic] = []
    /// Problems found beyond `diagnosticLimit`.
    public private(set) var omittedDiagnostics = 0

    private let column: String?
    private var descriptor: Int32
    private var buffer: [UInt8] = []
    /// The read bytes are `buffer[position ..< limit]`.
    private var position = 0
    private var limit = 0
    private var atEnd = false
    private var startedReading = false
    private var line = 1
    private var columnNumber = 1
    private var numberIndex: Int?
    private var numberName = "number"
    private var reasonIndex: Int?
    private var headerRead = false

    /// Opens `path`.
    /// - Parameter column: the CSV column holding the numbers (`--column`).
    /// - Throws: `LedgerInputError.fileUnreadable` when it cannot be opened.
    public init(path: String, column: String? = nil) throws(LedgerInputError) {
        self.path = path
        self.column = column
        isCSV = path.lowercased().hasSuffix(".csv")
        descriptor = POSIX.open(path, O_RDONLY | O_CLOEXEC)
        if descriptor < 0 { throw .fileUnreadable(path, POSIX.errorText()) }
        var info = stat()
        if fstat(descriptor, &info) == 0, info.st_mode & 0o170000 == 0o040000 {
            POSIX.close(descriptor)
            descriptor = -1
            throw .fileUnreadable(path, "it is a directory")
        }
    }

    deinit {
        if descriptor >= 0 { POSIX.close(descriptor) }
    }

    /// The next good number, or nil at the end of the file. Bad lines are added to `diagnostics`
    /// and skipped.
    /// - Throws: `LedgerInputError.fileUnreadable` when reading fails, `.fileInvalid` when a CSV
    ///   file has no number column (nothing else can be read then).
    public func next() throws(LedgerInputError) -> Entry? {
        if isCSV { return try nextCSVEntry() }
        return try nextTextEntry()
    }

    /// Whether any bad line was found.
    public var hasProblems: Bool { !diagnostics.isEmpty }

    // MARK: One number a line

    private func nextTextEntry() throws(LedgerInputError) -> Entry? {
        while let (bytes, lineNumber) = try readLine() {
            var cell = bytes[...]
            if let hash = cell.firstIndex(of: UInt8(ascii: "#")) { cell = cell[..<hash] }
            let leading = cell.prefix { Self.isBlank($0) }.count
            cell = cell.dropFirst(leading)
            while let last = cell.last, Self.isBlank(last) { cell = cell.dropLast() }
            if cell.isEmpty { continue }
            let mark = SourceMark(line: lineNumber, column: Self.scalarCount(bytes.prefix(leading)) + 1)
            if let entry = entry(String(decoding: cell, as: UTF8.self), reason: nil, mark: mark) { return entry }
        }
        return nil
    }

    /// The next physical line without its line break, and its number. A line longer than
    /// `cellLimit` is reported and skipped (a file that is not text holds no memory).
    private func readLine() throws(LedgerInputError) -> ([UInt8], Int)? {
        var bytes: [UInt8] = []
        var number = line
        var overlong = false
        while let byte = try nextByte() {
            if byte == UInt8(ascii: "\n") {
                if overlong {
                    reportOverlong(SourceMark(line: number, column: 1))
                    bytes = []
                    overlong = false
                    number = line
                    continue
                }
                if bytes.last == UInt8(ascii: "\r") { bytes.removeLast() }
                return (bytes, number)
            }
            if bytes.count < Self.cellLimit { bytes.append(byte) } else { overlong = true }
        }
        if overlong { reportOverlong(SourceMark(line: number, column: 1)) }
        if bytes.isEmpty || overlong { return nil }
        return (bytes, number)
    }

    /// Bytes kept of a line (one number a line) or of a CSV cell.
    static let cellLimit = 64 * 1024

    private func reportOverlong(_ mark: SourceMark) {
        report(
            isCSV ? ErrorCode.malformedCSV : ErrorCode.invalidPhoneNumber,
            mark,
            "found \(isCSV ? "a cell" : "a line") of more than \(Self.cellLimit) bytes; expected "
                + (isCSV ? "cells of a CSV file" : "one number a line")
        )
    }

    // MARK: CSV

    private struct Cell {
        var text: [UInt8] = []
        var mark: SourceMark
        var quoted = false
        var overlong = false

        mutating func append(_ byte: UInt8) {
            if text.count < SuppressionFile.cellLimit { text.append(byte) } else { overlong = true }
        }
    }

    private func nextCSVEntry() throws(LedgerInputError) -> Entry? {
        if !headerRead { try readHeader() }
        guard let numberIndex else { return nil }
        while let cells = try readRecord() {
            if cells.count == 1, cells[0].text.isEmpty, !cells[0].quoted { continue }
            guard numberIndex < cells.count else {
                let last = cells[cells.count - 1]
                report(
                    ErrorCode.malformedCSV,
                    SourceMark(line: last.mark.line, column: last.mark.column + Self.scalarCount(last.text[...])),
                    "found \(cells.count) \(cells.count == 1 ? "cell" : "cells"); expected at least "
                        + "\(numberIndex + 1) (\(numberName) is column \(numberIndex + 1))"
                )
                continue
            }
            let cell = cells[numberIndex]
            let reason = reasonIndex.flatMap { $0 < cells.count ? Self.trimmed(cells[$0]) : nil }
            if let entry = entry(Self.trimmed(cell), reason: reason.flatMap { $0.isEmpty ? nil : $0 }, mark: cell.mark)
            {
                return entry
            }
        }
        return nil
    }

    private func readHeader() throws(LedgerInputError) {
        headerRead = true
        var header: [Cell]?
        while let cells = try readRecord() {
            if cells.count == 1, cells[0].text.isEmpty { continue }
            header = cells
            break
        }
        let names = (header ?? []).map { Self.trimmed($0) }
        if let column {
            numberIndex = names.firstIndex(of: column)
        } else {
            numberIndex = names.firstIndex { name in
                Self.numberColumnNames.contains { $0.lowercased() == name.lowercased() }
            }
        }
        if let numberIndex {
            numberName = names[numberIndex]
            reasonIndex = names.firstIndex { $0.lowercased() == "reason" }
            return
        }
        let found = names.isEmpty ? "no header row" : "columns " + names.map { "\"\($0)\"" }.joined(separator: ", ")
        let wanted =
            column.map { "a column named \"\($0)\" (--column)" }
            ?? "a column named number, phone or DestinationPhoneNumber, or --column NAME"
        report(
            ErrorCode.numberColumnMissing,
            header?.first?.mark ?? SourceMark(line: 1, column: 1),
            "found \(found); expected \(wanted)",
            field: ""
        )
        throw .fileInvalid(path, diagnostics, omitted: omittedDiagnostics)
    }

    /// The next record's cells (a quoted cell may span lines); nil at the end of the file. A
    /// record that is not well-formed is reported and skipped.
    private func readRecord() throws(LedgerInputError) -> [Cell]? {
        while try peekByte() != nil {
            if let cells = try readRecordOrReport() { return cells }
        }
        return nil
    }

    private enum State {
        case cellStart, unquoted, quoted, afterQuote
    }

    private func readRecordOrReport() throws(LedgerInputError) -> [Cell]? {
        var cells: [Cell] = []
        var cell = Cell(mark: SourceMark(line: line, column: columnNumber))
        var state = State.cellStart
        var quoteMark = cell.mark
        while true {
            let here = SourceMark(line: line, column: columnNumber)
            guard let byte = try nextByte() else {
                if state == .quoted {
                    report(
                        ErrorCode.malformedCSV,
                        quoteMark,
                        "found a quote that is never closed; expected a closing \""
                    )
                    return nil
                }
                cells.append(cell)
                return finished(cells)
            }
            switch (state, byte) {
            case (.quoted, UInt8(ascii: "\"")):
                state = .afterQuote
            case (.quoted, _):
                cell.append(byte)
            case (.afterQuote, UInt8(ascii: "\"")):
                cell.append(byte)
                state = .quoted
            case (_, UInt8(ascii: ",")):
                // Cells past the limit are dropped (the number and reason columns come first).
                if cells.count < Self.cellCountLimit { cells.append(cell) }
                cell = Cell(mark: SourceMark(line: line, column: columnNumber))
                state = .cellStart
            case (_, UInt8(ascii: "\n")):
                if state == .unquoted, cell.text.last == UInt8(ascii: "\r") { cell.text.removeLast() }
                cells.append(cell)
                return finished(cells)
            case (.afterQuote, UInt8(ascii: "\r")), (.afterQuote, UInt8(ascii: " ")), (.afterQuote, UInt8(ascii: "\t")):
                continue
            case (.afterQuote, _):
                report(
                    ErrorCode.malformedCSV,
                    here,
                    "found text after a closing quote; expected , or the end of the line (write a quote inside a "
                        + "quoted cell as \"\")"
                )
                try skipLine()
                return nil
            case (.cellStart, UInt8(ascii: "\"")):
                cell.quoted = true
                cell.mark = here
                quoteMark = here
                state = .quoted
            case (.cellStart, UInt8(ascii: " ")), (.cellStart, UInt8(ascii: "\t")):
                cell.mark = SourceMark(line: line, column: columnNumber)
            case (.cellStart, _), (.unquoted, _):
                if byte == UInt8(ascii: "\"") {
                    report(
                        ErrorCode.malformedCSV,
                        here,
                        "found a quote inside an unquoted cell; expected the whole cell in quotes, with a quote "
                            + "inside written as \"\""
                    )
                    try skipLine()
                    return nil
                }
                cell.append(byte)
                state = .unquoted
            }
        }
    }

    /// `cells`, unless one is longer than `cellLimit` (reported).
    private func finished(_ cells: [Cell]) -> [Cell]? {
        guard let long = cells.first(where: \.overlong) else { return cells }
        reportOverlong(long.mark)
        return nil
    }

    /// Cells kept of a CSV record.
    static let cellCountLimit = 1024

    private func skipLine() throws(LedgerInputError) {
        while let byte = try nextByte(), byte != UInt8(ascii: "\n") {}
    }

    // MARK: Both formats

    private func entry(_ text: String, reason: String?, mark: SourceMark) -> Entry? {
        guard !text.isEmpty else {
            report(ErrorCode.invalidPhoneNumber, mark, "found an empty cell; expected an E.164 number")
            return nil
        }
        guard let number = PhoneNumber.normalise(text) else {
            report(ErrorCode.invalidPhoneNumber, mark, LedgerInputError.phoneProblem(text))
            return nil
        }
        return Entry(number: number, reason: reason, mark: mark)
    }

    private func report(_ code: String, _ mark: SourceMark, _ message: String, field: String? = nil) {
        guard diagnostics.count < Self.diagnosticLimit else {
            omittedDiagnostics += 1
            return
        }
        diagnostics.append(
            Diagnostic(code: code, field: field ?? numberName, message: message, file: path, mark: mark)
        )
    }

    private func peekByte() throws(LedgerInputError) -> UInt8? {
        if position == limit {
            try fill()
            if position == limit { return nil }
        }
        return buffer[position]
    }

    /// The next byte, counting lines and columns (columns in Unicode scalars).
    private func nextByte() throws(LedgerInputError) -> UInt8? {
        guard let byte = try peekByte() else { return nil }
        position += 1
        if byte == UInt8(ascii: "\n") {
            line += 1
            columnNumber = 1
        } else if byte & 0xC0 != 0x80 {
            columnNumber += 1
        }
        return byte
    }

    private func fill() throws(LedgerInputError) {
        guard !atEnd else { return }
        if buffer.isEmpty { buffer = [UInt8](repeating: 0, count: 64 * 1024) }
        let descriptor = self.descriptor
        let count = buffer.withUnsafeMutableBytes { raw -> Int in
            guard let base = raw.baseAddress else { return 0 }
            return POSIX.read(descriptor, into: base, capacity: raw.count)
        }
        if count < 0 { throw .fileUnreadable(path, POSIX.errorText()) }
        position = 0
        limit = count
        if count == 0 { atEnd = true }
        // A byte order mark (spreadsheets write one) is not part of the first cell.
        if !startedReading, buffer.prefix(count).starts(with: [0xEF, 0xBB, 0xBF]) { position = 3 }
        startedReading = true
    }

    private static func isBlank(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") || byte == UInt8(ascii: "\r")
    }

    private static func scalarCount(_ bytes: ArraySlice<UInt8>) -> Int {
        bytes.count { $0 & 0xC0 != 0x80 }
    }

    private static func trimmed(_ cell: Cell) -> String {
        var text = cell.text[...]
        if !cell.quoted {
            while let last = text.last, isBlank(last) { text = text.dropLast() }
        }
        return String(decoding: text, as: UTF8.self)
    }
}
