import Foundation
import OutdialCore
import Testing

@testable import OutdialLedger

/// `outdial suppress import FILE`: every number of a file, all or none.
@Suite struct SuppressionImportTests {
    @Test func textFileIgnoresBlankLinesAndComments() async throws {
        try await LedgerFixture.with { fixture in
            let file = try fixture.write(
                "optouts.txt",
                """
                # national do-not-call list, December
                +15550100001

                  +1 (555) 010-0002   # called in to complain
                +15550100001\r
                +15550100003
                """
            )
            let result = try await fixture.ledger.importSuppressions(path: file, column: nil, reason: "national list")
            #expect(result == SuppressionImport(numbers: 4, added: 3))
            let list = try await fixture.ledger.suppressions()
            #expect(list.map(\.number) == ["+15550100001", "+15550100002", "+15550100003"])
            #expect(list.allSatisfy { $0.reason == "national list" && $0.until == nil })
        }
    }

    @Test func badLinesAreAllReportedAndNothingIsImported() async throws {
        try await LedgerFixture.with { fixture in
            // More good numbers than one batch before the first bad line: those written are rolled back.
            var lines = (0 ..< 1200).map { "+1555020\(String(format: "%04d", $0))" }
            lines.insert("   5550100001", at: 700)
            lines.append("+1555-CALL-NOW")
            let file = try fixture.write("optouts.txt", lines.joined(separator: "\n") + "\n")
            try await fixture.ledger.addSuppression(number: "+15550100009", reason: "kept", until: nil)

            let error = await #expect(throws: LedgerInputError.self) {
                try await fixture.ledger.importSuppressions(path: file, column: nil, reason: nil)
            }
            #expect(error?.code == "SuppressionFileInvalid")
            #expect(error?.message == "\(file) has 2 bad lines; nothing was imported: fix the file and import it again")
            #expect(
                error?.diagnostics.map(\.description) == [
                    "\(file):701:4: error: number: found \"5550100001\"; expected an E.164 number: +, country code and "
                        + "number, 2 to 15 digits (spaces, -, ., ( and ) are ignored; no country code is assumed)",
                    "\(file):1202:1: error: number: found \"+1555-CALL-NOW\"; expected an E.164 number: +, country code "
                        + "and number, 2 to 15 digits (spaces, -, ., ( and ) are ignored; no country code is assumed)",
                ]
            )
            #expect(try await fixture.ledger.suppressions().map(\.number) == ["+15550100009"])
        }
    }

    @Test func csvFileUsesTheNumberColumnAndPerRowReasons() async throws {
        try await LedgerFixture.with { fixture in
            let lines = [
                #"name,Phone,Reason"#,
                #""Doe, Jane",+15550100001,"said ""never again""""#,
                #"Roe,"+1 555 010 0002","#,
                #""Multi"#,
                #"line",+15550100003,complaint"#,
            ]
            let file = try fixture.write("crm.csv", lines.joined(separator: "\n") + "\n")
            let result = try await fixture.ledger.importSuppressions(path: file, column: nil, reason: "crm export")
            #expect(result == SuppressionImport(numbers: 3, added: 3))
            let list = try await fixture.ledger.suppressions()
            #expect(list.map(\.number) == ["+15550100001", "+15550100002", "+15550100003"])
            #expect(list.map(\.reason) == ["said \"never again\"", "crm export", "complaint"])
        }
    }

    @Test func csvColumnOptionNamesTheColumn() async throws {
        try await LedgerFixture.with { fixture in
            let file = try fixture.write(
                "crm.csv",
                "\u{FEFF}phone,Mobile Phone\r\n+15550100009,+15550100001\r\n+15550100009,+15550100002\r\n"
            )
            let result = try await fixture.ledger.importSuppressions(path: file, column: "Mobile Phone", reason: nil)
            #expect(result.numbers == 2)
            #expect(try await fixture.ledger.suppressions().map(\.number) == ["+15550100001", "+15550100002"])

            let error = await #expect(throws: LedgerInputError.self) {
                try await fixture.ledger.importSuppressions(path: file, column: "Home Phone", reason: nil)
            }
            #expect(
                error?.diagnostics.map(\.description) == [
                    "\(file):1:1: error: found columns \"phone\", \"Mobile Phone\"; expected a column named "
                        + "\"Home Phone\" (--column)"
                ]
            )
        }
    }

    @Test func csvBadCellsAreReportedAtTheirColumn() async throws {
        try await LedgerFixture.with { fixture in
            let file = try fixture.write(
                "crm.csv",
                """
                id,number
                1,+15550100001
                2,(555) 010-0002
                3,"+15550100003"x
                4
                5,"+15550100005

                """
            )
            let error = await #expect(throws: LedgerInputError.self) {
                try await fixture.ledger.importSuppressions(path: file, column: nil, reason: nil)
            }
            let diagnostics = error?.diagnostics ?? []
            #expect(diagnostics.map(\.location) == ["\(file):3:3", "\(file):4:17", "\(file):5:2", "\(file):6:3"])
            #expect(diagnostics.map(\.code) == ["InvalidPhoneNumber", "MalformedCSV", "MalformedCSV", "MalformedCSV"])
            #expect(diagnostics.first?.summary.hasPrefix("number: found \"(555) 010-0002\"; expected an E.164") == true)
            #expect(diagnostics.dropFirst().first?.message.hasPrefix("found text after a closing quote") == true)
            #expect(diagnostics.dropFirst(2).first?.message == "found 1 cell; expected at least 2 (number is column 2)")
            #expect(diagnostics.last?.message.hasPrefix("found a quote that is never closed") == true)
            #expect(try await fixture.ledger.suppressions().isEmpty)
        }
    }

    @Test func csvWithoutANumberColumnIsRefused() async throws {
        try await LedgerFixture.with { fixture in
            let file = try fixture.write("crm.csv", "name,email\nJane,jane@example.com\n")
            let error = await #expect(throws: LedgerInputError.self) {
                try await fixture.ledger.importSuppressions(path: file, column: nil, reason: nil)
            }
            #expect(error?.diagnostics.first?.code == "NumberColumnMissing")
            #expect(
                error?.diagnostics.first?.description
                    == "\(file):1:1: error: found columns \"name\", \"email\"; expected a column named number, phone "
                    + "or DestinationPhoneNumber, or --column NAME"
            )
        }
    }

    @Test func aLineTooLongIsReportedWithoutBeingKept() async throws {
        try await LedgerFixture.with { fixture in
            let long = String(repeating: "9", count: SuppressionFile.cellLimit + 10)
            let text = try fixture.write("optouts.txt", "+15550100001\n\(long)\n+15550100002\n")
            let csv = try fixture.write("optouts.csv", "number,reason\n+15550100001,\"\(long)\"\n")
            for (file, code, column) in [(text, "InvalidPhoneNumber", 1), (csv, "MalformedCSV", 14)] {
                let error = await #expect(throws: LedgerInputError.self) {
                    try await fixture.ledger.importSuppressions(path: file, column: nil, reason: nil)
                }
                #expect(error?.diagnostics.map(\.location) == ["\(file):2:\(column)"])
                #expect(error?.diagnostics.map(\.code) == [code])
                #expect(error?.diagnostics.first?.message.contains("of more than 65536 bytes") == true)
            }
        }
    }

    @Test func missingFileIsReported() async throws {
        try await LedgerFixture.with { fixture in
            let path = fixture.state.directory.path + "/nowhere.txt"
            let error = await #expect(throws: LedgerInputError.self) {
                try await fixture.ledger.importSuppressions(path: path, column: nil, reason: nil)
            }
            #expect(error?.code == "SuppressionFileUnreadable")
            #expect(error?.message == "cannot read \(path): No such file or directory")
        }
    }
}
