import Foundation
import Testing

@testable import OutdialCore

/// `schema/job.schema.json`, which editors use to check job files, says what the reader takes.
struct JobSchemaTests {
    /// The schema as a JSON object, read from the repository.
    func schema() throws -> [String: Any] {
        let url = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
            .appendingPathComponent("schema/job.schema.json")
        let object = try JSONSerialization.jsonObject(with: Data(contentsOf: url))
        return try #require(object as? [String: Any])
    }

    func definitions() throws -> [String: [String: Any]] {
        try #require(try schema()["$defs"] as? [String: [String: Any]])
    }

    @Test func namesEveryJobKeyTheReaderTakes() throws {
        let job = try #require(try definitions()["job"])
        let properties = try #require(job["properties"] as? [String: Any])

        #expect(Set(properties.keys) == Set(JobHeader.keys))
        #expect(properties["limits"] != nil)
        #expect(properties["limitKey"] != nil)
    }

    @Test func limitHasTheReadersBounds() throws {
        let limit = try #require(try definitions()["limit"])
        let properties = try #require(limit["properties"] as? [String: [String: Any]])

        #expect(limit["required"] as? [String] == ["max", "per"])
        #expect(limit["additionalProperties"] as? Bool == false)
        #expect(properties["max"]?["minimum"] as? Int == ContactLimit.allowedMax.lowerBound)
        #expect(properties["max"]?["maximum"] as? Int == ContactLimit.allowedMax.upperBound)
    }

    @Test func windowPatternAgreesWithTheReader() throws {
        let limit = try #require(try definitions()["limit"])
        let per = try #require((limit["properties"] as? [String: [String: Any]])?["per"])
        let pattern = try NSRegularExpression(pattern: try #require(per["pattern"] as? String))
        var samples = ["", "0m", "10x", "24", "-1h", "+1h", "1.5h", "1 h", "024h", "1y"]
        for (unit, seconds) in [("s", 1), ("m", 60), ("h", 3_600), ("d", 86_400)] {
            for bound in [ContactLimit.allowedWindow.lowerBound, ContactLimit.allowedWindow.upperBound] {
                let count = bound / seconds
                samples += [count - 1, count, count + 1, count * 10].filter { $0 >= 0 }.map { "\($0)\(unit)" }
            }
        }

        for text in samples {
            let matches = pattern.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) != nil
            let reads = ContactLimit.parseDuration(text).map { ContactLimit.allowedWindow.contains($0) } ?? false
            #expect(matches == reads, "\(text)")
        }
    }

    @Test func limitKeyListsWhatTheReaderTakes() throws {
        let job = try #require(try definitions()["job"])
        let limitKey = try #require((job["properties"] as? [String: [String: Any]])?["limitKey"])
        let lists = try #require(limitKey["oneOf"] as? [[String: Any]]).compactMap { $0["const"] as? [String] }

        #expect(lists.count == 3)
        #expect(lists.allSatisfy { LimitKey(fields: $0) != nil })
        #expect(Set(lists.compactMap { LimitKey(fields: $0) }) == Set(LimitKey.allCases))
    }

    @Test func limitsIsOffOrAList() throws {
        let job = try #require(try definitions()["job"])
        let limits = try #require((job["properties"] as? [String: [String: Any]])?["limits"])
        let choices = try #require(limits["oneOf"] as? [[String: Any]])

        #expect(choices.contains { $0["const"] as? String == "off" })
        #expect(choices.contains { $0["type"] as? String == "array" && $0["minItems"] as? Int == 1 })
    }

    @Test func csvContactsAgreeWithTheReader() throws {
        let csv = try #require(try definitions()["csvContacts"])
        let properties = try #require(csv["properties"] as? [String: [String: Any]])
        #expect(Set(properties.keys) == Set(CSVContacts.keys))
        #expect(csv["required"] as? [String] == ["csv"])
        #expect(Set(properties["delimiter"]?["enum"] as? [String] ?? []) == Set(CSVContacts.delimiters.keys))

        let names = try #require((properties["columns"]?["propertyNames"] as? [String: Any])?["pattern"] as? String)
        let pattern = try NSRegularExpression(pattern: names)
        let samples =
            RequestValidator.knownRowKeys + [
                "Attributes.firstName", "Attributes.a.b", "Attributes.", "References.doc.Value", "References..Value",
                "Name.x", "phone", "name", "AnswerMachineDetectionConfig.EnableAnswerMachineDetection",
                "OutboundStrategy.Config.AgentFirst.Preview.PostAcceptTimeoutConfig.DurationInSeconds",
            ]
        for text in samples {
            let matches = pattern.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) != nil
            let reads = (try? CSVTarget.parse(text).get()) != nil
            #expect(matches == reads, "\(text)")
        }
    }
}
