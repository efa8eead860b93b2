import Foundation
import Logging
import Outdial
import OutdialCore
import Testing

/// `plan --at` and `validate` with numbers from many zones, at fixed instants on both sides of a
/// daylight-saving change and across midnight: which rows a run started then would call.
struct WindowPlanTests {
    static let logger = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })

    /// One number per case of calling-window.md, by the name the tests use.
    static let numbers: KeyValuePairs<String, String> = [
        "new-york": "+12125550142", "los-angeles": "+13105550142", "honolulu": "+18085550142",
        "alaska": "+19075550142", "london": "+442079460142", "sydney": "+61255500142",
        "toll-free": "+18005550142", "unassigned": "+15551230001",
    ]

    static func job(window: String = "") -> String {
        var text = """
            version: 1
            id: zones
            \(window)
            defaults:
              InstanceId: 11111111-2222-3333-4444-555555555555
              ContactFlowId: 22222222-3333-4444-5555-666666666666
              SourcePhoneNumber: "+12025550100"
            contacts:

            """
        for (_, number) in numbers { text += "  - DestinationPhoneNumber: \"\(number)\"\n" }
        return text
    }

    /// The plan at `at`: each number's name with `planned` or its skip reason.
    func plan(at: String, window: String = "") throws -> [String: String] {
        let folder = try TestFolder()
        let file = try folder.write("zones.yaml", Self.job(window: window))
        var configuration = Runner.Configuration()
        configuration.output.results = folder.path("plan.ndjson")
        configuration.window.startTime = try #require(RFC3339Timestamp.date(from: at))
        let runner = Runner(configuration: configuration, messages: .keeping(), logger: Self.logger)
        _ = try runner.plan(JobList(paths: [file]))
        var result: [String: String] = [:]
        for line in folder.lines("plan.ndjson") {
            let destination = line["destination"] as? String
            guard let name = Self.numbers.first(where: { $0.value == destination })?.key else { continue }
            result[name] = (line["reason"] as? String) ?? (line["status"] as? String)
        }
        return result
    }

    @Test func saturdayBeforeTheUSClocksSpringForward() throws {
        // 2026-03-07 14:30Z: New York 09:30 EST, Los Angeles 06:30, Honolulu 04:30, Anchorage 05:30,
        // London 14:30, Sydney 01:30 (Sunday).
        #expect(
            try plan(at: "2026-03-07T14:30:00Z") == [
                "new-york": "planned", "los-angeles": "outside-window", "honolulu": "outside-window",
                "alaska": "outside-window", "london": "planned", "sydney": "outside-window",
                "toll-free": "no-timezone", "unassigned": "no-timezone",
            ]
        )
    }

    @Test func theSameClockTimeEitherSideOfTheChange() throws {
        // 12:30Z is 07:30 in New York on Saturday (EST, closed) and 08:30 on Monday (EDT, open).
        #expect(try plan(at: "2026-03-07T12:30:00Z")["new-york"] == "outside-window")
        #expect(try plan(at: "2026-03-09T12:30:00Z")["new-york"] == "planned")
        // London keeps GMT until 29 March: 12:30 on both days.
        #expect(try plan(at: "2026-03-09T12:30:00Z")["london"] == "planned")
    }

    @Test func alaskaNeedsTheWindowOpenInBothOfItsZones() throws {
        // 17:30Z: 08:30 in Anchorage (AKST) but 07:30 on Adak: not yet.
        #expect(try plan(at: "2026-12-02T17:30:00Z")["alaska"] == "outside-window")
        #expect(try plan(at: "2026-12-02T18:30:00Z")["alaska"] == "planned")
    }

    @Test func aWindowAcrossMidnight() throws {
        // hours 21:00-08:00 at 2026-12-02 04:00Z: New York 23:00 and London 04:00 are inside,
        // Los Angeles 20:00, Honolulu 18:00, Anchorage 19:00 and Sydney 15:00 are not.
        let plan = try plan(at: "2026-12-02T04:00:00Z", window: "window: {hours: \"21:00-08:00\"}")
        #expect(
            plan == [
                "new-york": "planned", "los-angeles": "outside-window", "honolulu": "outside-window",
                "alaska": "outside-window", "london": "planned", "sydney": "outside-window",
                "toll-free": "no-timezone", "unassigned": "no-timezone",
            ]
        )
    }

    @Test func aFallbackZoneCallsTheNumbersAutoCannotPlace() throws {
        let plan = try plan(at: "2026-12-02T15:00:00Z", window: "window: {fallbackTimezone: America/Chicago}")
        #expect(plan["toll-free"] == "planned")
        #expect(plan["unassigned"] == "planned")
    }

    @Test func plannedLinesShowTheWindowInTheRowsOwnZone() throws {
        let folder = try TestFolder()
        let file = try folder.write("zones.yaml", Self.job())
        var configuration = Runner.Configuration()
        configuration.output.results = folder.path("plan.ndjson")
        configuration.window.startTime = RFC3339Timestamp.date(from: "2026-12-02T20:30:00Z")
        let runner = Runner(configuration: configuration, messages: .keeping(), logger: Self.logger)
        let report = try runner.plan(JobList(paths: [file]))

        let lines = folder.lines("plan.ndjson")
        let newYork = try #require(lines.first { $0["destination"] as? String == "+12125550142" })
        #expect(
            newYork["window"] as? [String: String] == [
                "timezone": "America/New_York", "opensAt": "2026-12-02T08:00:00-05:00",
                "closesAt": "2026-12-02T21:00:00-05:00",
            ]
        )
        let sydney = try #require(lines.first { $0["destination"] as? String == "+61255500142" })
        #expect(sydney["status"] as? String == "skipped")
        #expect(sydney["opensAt"] as? String == "2026-12-03T08:00:00+11:00")
        #expect(report.skippedByWindow == 3)
        #expect(report.exitCode == 0)
    }

    @Test func validateWarnsAboutRowsWithNoTimeZone() throws {
        let folder = try TestFolder()
        let file = try folder.write("zones.yaml", Self.job())
        let messages = MessageLog.keeping()
        let report = Runner(configuration: Runner.Configuration(), messages: messages, logger: Self.logger)
            .validate(JobList(paths: [file]))

        let warnings = messages.lines.filter { $0.contains("no time zone") }
        #expect(warnings.count == 2)
        #expect(warnings.first?.hasPrefix(file + ":15:1: warning: row 6: no time zone is known") == true)
        #expect(report.exitCode == 0)
    }
}
