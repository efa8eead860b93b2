import Testing

@testable import OutdialCore

struct ReadLimitsTests {
    @Test func hundredThousandFlowSequencesAreTooDeep() {
        let error = readError(String(repeating: "[", count: 100_000), name: "deep.json")
        #expect(error?.code == "TooDeep")
        #expect(error?.description == "deep.json:1:65: error: maps and lists are nested deeper than 64 levels")
    }

    @Test func hundredThousandFlowMapsAreTooDeep() {
        let error = readError(String(repeating: #"{"a":"#, count: 100_000), name: "deep.json")
        #expect(error?.code == "TooDeep")
        #expect(error?.mark == SourceMark(line: 1, column: 1 + 64 * 5))
    }

    @Test func hundredThousandBlockSequencesAreTooDeep() {
        let error = readError(String(repeating: "- ", count: 100_000) + "x\n")
        #expect(error?.code == "TooDeep")
        #expect(error?.mark == SourceMark(line: 1, column: 1 + 64 * 2))
    }

    @Test func deepBlockMapsAreTooDeep() {
        var text = ""
        for level in 0 ..< 1_000 { text += String(repeating: " ", count: level) + "k:\n" }
        let error = readError(text)
        #expect(error?.code == "TooDeep")
        #expect(error?.mark == SourceMark(line: 65, column: 65))
    }

    @Test func deepRowsInsideContactsAreTooDeep() {
        let error = readError("contacts:\n  - " + String(repeating: "[", count: 70) + "\n")
        #expect(error?.code == "TooDeep")
        #expect(error?.mark == SourceMark(line: 2, column: 5 + 62))
    }

    @Test func nestingUpToTheLimitIsRead() throws {
        let node = try DocumentReader.parse(
            bytes: Array((String(repeating: "[", count: 64) + String(repeating: "]", count: 64)).utf8),
            name: "n"
        )
        #expect(render(node).hasPrefix("[[[["))
    }
}
