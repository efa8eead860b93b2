import Testing

@testable import OutdialCore

struct ScalarReadingTests {
    @Test func yaml11LookalikesStayPlainText() throws {
        let visitor = try record(
            """
            contacts:
              - a: +15551234567
                b: no
                c: yes
                d: on
                e: 0123
                f: 1e3
                g: 0x1F
                h: ~
                i: 2026-11-24
                j:
                k: null

            """
        )
        let row = try #require(visitor.contacts.first)
        guard case .mapping(let entries) = row.value else { Issue.record("not a map"); return }
        let expected = ["+15551234567", "no", "yes", "on", "0123", "1e3", "0x1F", "~", "2026-11-24", "", "null"]
        #expect(entries.map(\.value.scalarText) == expected)
        for entry in entries {
            guard case .scalar(_, let style) = entry.value.value else { continue }
            #expect(style == .plain)
        }
        #expect(entries[7].value.isNull && entries[9].value.isNull && entries[10].value.isNull)
        #expect(!entries[1].value.isNull)
    }

    @Test func quotedAndBlockStylesKeepTheirStyle() throws {
        let visitor = try record(
            """
            s: 'it''s'
            d: "tab\\there \\u00e9"
            l: |
              line one
              line two
            f: >
              folded
              text
            q: "no"

            """
        )
        #expect(
            visitor.log == [
                "begin mapping 1:1",
                "entry s@1:1 = 'it's'@1:4",
                "entry d@2:1 = \"tab\there é\"@2:4",
                "entry l@3:1 = |line one\nline two\n@3:4",
                "entry f@6:1 = >folded text\n@6:4",
                "entry q@9:1 = \"no\"@9:4",
                "end",
            ]
        )
    }

    @Test func tagsAreIgnored() throws {
        let visitor = try record("a: !!int 12\nb: !custom {x: 1}\n")
        #expect(
            visitor.log == ["begin mapping 1:1", "entry a@1:1 = 12@1:4", "entry b@2:1 = {x@2:13: 1@2:16}@2:4", "end"]
        )
    }

    @Test func nonASCIIColumnsCountCharacters() throws {
        let visitor = try record("clé: 日本語x\n")
        #expect(visitor.log == ["begin mapping 1:1", "entry clé@1:1 = 日本語x@1:6", "end"])
    }

    @Test func longScalarsAreRefused() {
        let error = readError("a: \(String(repeating: "x", count: 200))\n", limits: ReadLimits(maxScalarBytes: 100))
        #expect(error?.code == "TooLarge")
        #expect(
            error?.description == "job.yaml:1:4: error: a scalar of 200 bytes is longer than the limit of 100 bytes"
        )
    }
}
