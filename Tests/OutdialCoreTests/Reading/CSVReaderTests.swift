import Testing

@testable import OutdialCore

/// The CSV reader: RFC 4180 records with the place of every cell, and a clear, placed error for bad input.
struct CSVReaderTests {
    func reader(_ bytes: [UInt8], delimiter: UInt8 = UInt8(ascii: ","), limits: ReadLimits = .init()) -> CSVReader {
        CSVReader(origin: .memory(bytes), name: "people.csv", delimiter: delimiter, limits: limits)
    }

    /// Every record as `line: cell@line:col | …`.
    func records(_ text: String, delimiter: UInt8 = UInt8(ascii: ",")) throws -> [String] {
        try records(Array(text.utf8), delimiter: delimiter)
    }

    func records(_ bytes: [UInt8], delimiter: UInt8 = UInt8(ascii: ",")) throws -> [String] {
        let reader = reader(bytes, delimiter: delimiter)
        var out: [String] = []
        while let record = try reader.next() {
            out.append("\(record.line): " + record.cells.map { "\($0.text)@\($0.mark)" }.joined(separator: " | "))
        }
        return out
    }

    /// What reading `text` (header first) to its end throws.
    func error(_ text: String, limits: ReadLimits = .init()) -> ReadError? {
        error(Array(text.utf8), limits: limits)
    }

    func error(_ bytes: [UInt8], limits: ReadLimits = .init()) -> ReadError? {
        let reader = reader(bytes, limits: limits)
        do {
            if let header = try reader.next() { reader.header = header.cells.map(\.text) }
            while try reader.next() != nil {}
            return nil
        } catch let error as ReadError {
            return error
        } catch {
            return nil
        }
    }

    @Test func readsQuotedCellsWithDelimitersLineBreaksAndDoubledQuotes() throws {
        let text = "phone,name,note\n+15551230001,\"Doe, Jane\",\"said \"\"hi\"\"\nthen left\"\n+15551230002,Bob,\n"
        #expect(
            try records(text) == [
                "1: phone@1:1 | name@1:7 | note@1:12",
                "2: +15551230001@2:1 | Doe, Jane@2:14 | said \"hi\"\nthen left@2:26",
                "4: +15551230002@4:1 | Bob@4:14 | @4:18",
            ]
        )
    }

    @Test func crlfByteOrderMarkAndBlankLines() throws {
        let bytes: [UInt8] = [0xEF, 0xBB, 0xBF] + Array("a,b\r\n\r\n1,2\r\n\n3,\"x\r\ny\"\r\n".utf8)
        #expect(try records(bytes) == ["1: a@1:1 | b@1:3", "3: 1@3:1 | 2@3:3", "5: 3@5:1 | x\r\ny@5:3"])
    }

    @Test func columnsCountCharactersNotBytes() throws {
        #expect(try records("é;ü;x\n") == ["1: é;ü;x@1:1"])
        #expect(try records("é;ü;x\n", delimiter: UInt8(ascii: ";")) == ["1: é@1:1 | ü@1:3 | x@1:5"])
        #expect(try records("a\tb\n", delimiter: 0x09) == ["1: a@1:1 | b@1:3"])
    }

    @Test func lastRecordWithoutLineBreak() throws {
        #expect(try records("a,b\n1,2") == ["1: a@1:1 | b@1:3", "2: 1@2:1 | 2@2:3"])
    }

    @Test func unclosedQuoteNamesWhereTheCellStarts() throws {
        let found = try #require(error("phone,name\n+15551230001,\"Doe, Jane\n+15551230002,Bob\n"))
        #expect(found.code == "InvalidCSV")
        #expect(
            found.description == "people.csv:2:14: error: the quoted cell that starts here has no closing quote (\")"
        )
    }

    @Test func quoteOutOfPlace() throws {
        let stray = try #require(error("phone,name\n+1555,O\"Brien\n"))
        #expect(stray.code == "InvalidCSV")
        #expect(stray.mark == SourceMark(line: 2, column: 8))
        #expect(stray.message.contains("quote the whole cell"))

        let after = try #require(error("phone,name\n+1555,\"Jane\" Doe\n"))
        #expect(after.code == "InvalidCSV")
        #expect(after.mark == SourceMark(line: 2, column: 13))
        #expect(after.message.hasPrefix("found text after the closing quote of the cell that starts at 2:7"))
    }

    @Test func raggedRowsAreRefusedWithThePlace() throws {
        let more = try #require(error("phone,name\n+1555,Doe, Jane\n"))
        #expect(more.code == "RaggedRow")
        #expect(
            more.description
                == "people.csv:2:11: error: this row has more cells than the header's 2 columns (\"phone\", \"name\"); "
                + "a cell holding the delimiter \",\" must be quoted"
        )

        let fewer = try #require(error("phone,name,tz\n+1555,Jane\n"))
        #expect(fewer.code == "RaggedRow")
        #expect(fewer.mark == SourceMark(line: 2, column: 11))
        #expect(fewer.message.hasPrefix("this row has 2 cells; the header has 3 columns"))
    }

    @Test func invalidUTF8IsPlaced() throws {
        let bytes = Array("phone,name\n+1555,Jo".utf8) + [0xE9] + Array("\n".utf8)
        let found = try #require(error(bytes))
        #expect(found.code == "InvalidUTF8")
        #expect(
            found.description
                == "people.csv:2:9: error: invalid UTF-8: byte 0x0A cannot continue a multi-byte character"
        )

        let lone = try #require(error(Array("a\n\"".utf8) + [0x80, 0x22]))
        #expect(lone.code == "InvalidUTF8")
        #expect(lone.mark == SourceMark(line: 2, column: 2))

        let surrogate = try #require(error(Array("a\n".utf8) + [0xED, 0xA0, 0x80]))
        #expect(surrogate.message.contains("U+D800"))
    }

    @Test func aTenMegabyteCellIsRefusedWithoutReadingItAll() throws {
        let cell = [UInt8](repeating: UInt8(ascii: "x"), count: 10 << 20)
        let found = try #require(error(Array("phone,name\n+1555,".utf8) + cell + Array("\n".utf8)))
        #expect(found.code == "TooLarge")
        #expect(
            found.description
                == "people.csv:2:7: error: the cell that starts here is longer than the limit of 1 MiB (1048576 bytes)"
        )

        // An unclosed quote runs into the limit too, and says what is likely wrong.
        let unclosed = try #require(
            error("a\n\"" + String(repeating: "y\n", count: 40), limits: ReadLimits(maxScalarBytes: 64))
        )
        #expect(unclosed.code == "TooLarge")
        #expect(unclosed.mark == SourceMark(line: 2, column: 1))
        #expect(unclosed.message.hasSuffix("; is a closing quote (\") missing?"))
    }

    @Test func anEmptyFileHasNoRecords() throws {
        #expect(try records("") == [])
        #expect(try records([0xEF, 0xBB, 0xBF]) == [])
        #expect(try records("\n\r\n") == [])
    }

    @Test func hashCoversEveryByte() throws {
        let bytes = Array("a,b\n1,2\n".utf8)
        let reader = reader(bytes)
        _ = try reader.next()
        #expect(try reader.sha256Hex() == JobIdentity.sha256Hex(of: bytes))
    }
}
