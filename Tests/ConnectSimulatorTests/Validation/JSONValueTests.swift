import Testing

@testable import ConnectSimulator

struct JSONValueTests {
    static func parse(_ text: String) -> JSONValue? {
        JSONValue.parse(Array(text.utf8))
    }

    @Test func parsesEveryKindOfValue() {
        #expect(
            Self.parse(#" {"a": [1, -2.5e3, true, false, null], "b": {"c": "d"}, "e": ""} "#)
                == .object([
                    "a": .array([.number(1), .number(-2500), .bool(true), .bool(false), .null]),
                    "b": .object(["c": .string("d")]),
                    "e": .string(""),
                ])
        )
        #expect(Self.parse("[]") == .array([]))
        #expect(Self.parse("{}") == .object([:]))
    }

    @Test func decodesEscapes() {
        #expect(Self.parse(#""a\"b\\c\/d\n\t\u00e9\ud83d\ude00""#) == .string("a\"b\\c/d\n\té😀"))
        #expect(Self.parse(#""naïve ☎""#) == .string("naïve ☎"))
    }

    @Test(arguments: [
        "", "{", "[1,]", "{\"a\":1,}", "{\"a\" 1}", "01", "1.", "-", "tru", "nul", "\"\\x\"", "\"\\ud83d\"",
        "\"a\nb\"", "{} {}", "[1] x", "{'a':1}",
    ])
    func refusesMalformedJSON(_ text: String) {
        #expect(Self.parse(text) == nil)
    }

    @Test func refusesInvalidUTF8() {
        #expect(JSONValue.parse([0x22, 0xff, 0x22]) == nil)
    }

    @Test func boundsTheNestingDepth() {
        let fine = String(repeating: "[", count: 32) + String(repeating: "]", count: 32)
        #expect(Self.parse(fine) != nil)
        let deep = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        #expect(Self.parse(deep) == nil)
    }
}
