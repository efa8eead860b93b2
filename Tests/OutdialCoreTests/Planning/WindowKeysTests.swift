import Foundation
import Testing

@testable import OutdialCore

/// A job file's `window` and a row's `timezone`, read through the real reader into `JobSummary`
/// and `PlannedRow`.
struct WindowKeysTests {
    static let rest = """
        id: win
        defaults:
          InstanceId: i-1
          ContactFlowId: f-1
          SourcePhoneNumber: "+15550100100"
        contacts:
          - DestinationPhoneNumber: "+12025550142"

        """

    /// What planning one file gave: the summary (nil when the file failed), the printed
    /// structural problems, the planned rows, the problems of rejected rows and the exit code.
    struct Outcome {
        var summary: JobSummary?
        var failures: [String] = []
        var planned: [PlannedRow] = []
        var rowProblems: [String] = []
        var exitCode: Int32 = 0
    }

    func plan(_ text: String, name: String = "t.yaml") throws -> Outcome {
        let files = try TemporaryFiles()
        defer { files.remove() }
        let path = try files.write(name, text)
        var planner = JobPlanner()
        var outcome = Outcome()
        let report = try planner.planAll(
            [JobInput(path: path, source: name)],
            onEvent: { event in
                switch event {
                case .planned(let row): outcome.planned.append(row)
                case .rejected(_, let problems): outcome.rowProblems += problems.map(\.description)
                }
            },
            onFailure: { outcome.failures += $0.diagnostics.map(\.description) }
        )
        outcome.summary = report.summaries.first
        outcome.exitCode = report.exitCode
        return outcome
    }

    /// The problems of a YAML job whose line 2 is `line`.
    func problems(_ line: String) throws -> [String] {
        let result = try plan("version: 1\n" + line + "\n" + Self.rest)
        #expect(result.summary == nil)
        #expect(result.planned.isEmpty)
        #expect(result.exitCode == 2)
        return result.failures
    }

    static func hours(_ start: Int, _ end: Int) throws -> CallingWindow.Hours {
        try #require(CallingWindow.Hours(startMinute: start * 60, endMinute: end * 60))
    }

    // MARK: Good values

    @Test func everyKeyAfterContactsReachesTheSummary() throws {
        let after = """
            window:
              hours: "21:00-08:00"
              days: [mon, fri]
              timezone: Europe/Berlin
              fallbackTimezone: America/New_York
              exclude: [2026-12-25, 2027-01-01]
              marginMinutes: 5

            """
        let result = try plan("version: 1\n" + Self.rest + after)

        #expect(result.failures == [])
        #expect(result.planned.count == 1)
        #expect(result.exitCode == 0)
        let expected = JobWindow(
            calling: CallingWindow(
                hours: try Self.hours(21, 8),
                days: [.monday, .friday],
                excludedDates: [
                    try #require(LocalDate(year: 2026, month: 12, day: 25)),
                    try #require(LocalDate(year: 2027, month: 1, day: 1)),
                ],
                marginMinutes: 5
            ),
            timeZone: .named("Europe/Berlin"),
            fallbackTimeZone: "America/New_York"
        )
        #expect(result.summary?.window == .custom(expected))
        #expect(result.summary?.warnings == [])
    }

    @Test func keysLeftOutTakeTheDefaults() throws {
        let result = try plan("version: 1\nwindow: {hours: \"09:00-17:30\", timezone: auto, exclude: []}\n" + Self.rest)

        var expected = JobWindow()
        expected.calling.hours = try #require(CallingWindow.Hours(startMinute: 9 * 60, endMinute: 17 * 60 + 30))
        #expect(result.failures == [])
        #expect(result.summary?.window == .custom(expected))
        #expect(expected.calling.days == Set(Weekday.allCases))
        #expect(expected.calling.marginMinutes == 1)
        #expect(expected.fallbackTimeZone == nil)
    }

    @Test func universalTimeIsAName() throws {
        // The system's list of names leaves UTC out; the tz database has it.
        for name in ["UTC", "Etc/UTC"] {
            let result = try plan("version: 1\nwindow: {timezone: \(name)}\n" + Self.rest)
            var expected = JobWindow()
            expected.timeZone = .named(name)
            #expect(result.failures == [])
            #expect(result.summary?.window == .custom(expected))
        }
    }

    @Test func noWindowIsTheStandardOne() throws {
        let job = try plan("version: 1\n" + Self.rest)
        let list = try plan(
            #"[{"DestinationPhoneNumber": "+12025550142", "InstanceId": "i", "ContactFlowId": "f", "QueueId": "q"}]"#,
            name: "l.json"
        )

        for result in [job, list] {
            #expect(result.planned.count == 1)
            #expect(result.summary?.window == .standard)
            #expect(result.summary?.window.jobWindow == JobWindow())
            #expect(result.summary?.warnings == [])
        }
    }

    @Test func jsonJobSetsTheWindow() throws {
        let text = """
            {"version": 1, "id": "j", "contacts": [{"DestinationPhoneNumber": "+12025550142", "InstanceId": "i",
             "ContactFlowId": "f", "QueueId": "q"}],
             "window": {"hours": "08:30-20:00", "days": ["sat", "sun"], "timezone": "America/Chicago",
             "exclude": ["2026-07-04"], "marginMinutes": 0}}
            """
        let result = try plan(text, name: "t.json")

        #expect(result.failures == [])
        #expect(result.planned.count == 1)
        let expected = JobWindow(
            calling: CallingWindow(
                hours: try #require(CallingWindow.Hours(startMinute: 8 * 60 + 30, endMinute: 20 * 60)),
                days: [.saturday, .sunday],
                excludedDates: [try #require(LocalDate(year: 2026, month: 7, day: 4))],
                marginMinutes: 0
            ),
            timeZone: .named("America/Chicago")
        )
        #expect(result.summary?.window == .custom(expected))
    }

    // MARK: off

    @Test func offIsWarnedAboutButPlansEveryRow() throws {
        let result = try plan("version: 1\nwindow: off\n" + Self.rest)

        #expect(result.failures == [])
        #expect(result.planned.count == 1)
        #expect(result.exitCode == 0)
        #expect(result.summary?.window == .off)
        #expect(result.summary?.window.jobWindow == nil)
        #expect(
            result.summary?.warnings.map(\.description) == [
                "t.yaml:2:9: warning: window: off — this job's rows are called at any hour of the called person's "
                    + "day and night"
            ]
        )
        #expect(result.summary?.warnings.map(\.code) == [ErrorCode.windowOff])
    }

    @Test func offInJSONIsTheQuotedWord() throws {
        let text = """
            {"version": 1, "window": "off", "contacts": [{"DestinationPhoneNumber": "+12025550142",
             "InstanceId": "i", "ContactFlowId": "f", "QueueId": "q"}]}
            """
        let result = try plan(text, name: "t.json")

        #expect(result.summary?.window == .off)
        #expect(result.summary?.warnings.map(\.location) == ["t.json:1:26"])
    }

    // MARK: Bad values

    static let zone = "an IANA time zone name like America/New_York"

    @Test(
        arguments: [
            (
                #"window: {hours: "25:00-26:00"}"#,
                #"t.yaml:2:17: error: window.hours: found "25:00-26:00"; expected local hours HH:MM-HH:MM like "#
                    + #""08:00-21:00" (end exclusive; "21:00-08:00" runs past midnight)"#
            ),
            (
                "window: {hours: 8-21}",
                #"t.yaml:2:17: error: window.hours: found "8-21"; expected local hours HH:MM-HH:MM like "#
                    + #""08:00-21:00" (end exclusive; "21:00-08:00" runs past midnight)"#
            ),
            (
                "window: {days: []}",
                "t.yaml:2:16: error: window.days: found an empty list; "
                    + "expected a non-empty list of mon, tue, wed, thu, fri, sat, sun"
            ),
            (
                "window: {days: [mon, fry]}",
                #"t.yaml:2:22: error: window.days[1]: found "fry"; "#
                    + "expected one of mon, tue, wed, thu, fri, sat, sun; did you mean fri?"
            ),
            (
                "window: {exclude: [tomorrow]}",
                #"t.yaml:2:20: error: window.exclude[0]: found "tomorrow"; expected a date YYYY-MM-DD like 2026-12-25"#
            ),
            (
                "window: {exclude: [2026-02-30]}",
                #"t.yaml:2:20: error: window.exclude[0]: found "2026-02-30"; expected a date YYYY-MM-DD like 2026-12-25"#
            ),
            (
                "window: {timezone: Mars/Base}",
                #"t.yaml:2:20: error: window.timezone: found "Mars/Base"; expected auto or \#(zone); did you mean "#
                    + "Asia/Baku?"
            ),
            (
                "window: {timezone: EST}",
                #"t.yaml:2:20: error: window.timezone: found "EST"; expected auto or \#(zone); did you mean America/New_York?"#
            ),
            (
                "window: {fallbackTimezone: GMT+5}",
                #"t.yaml:2:28: error: window.fallbackTimezone: found "GMT+5"; expected \#(zone); did you mean GMT?"#
            ),
            (
                "window: {marginMinutes: 121}",
                #"t.yaml:2:25: error: window.marginMinutes: found "121"; expected an integer from 0 to 120"#
            ),
            (
                "window: {marginMinutes: soon}",
                #"t.yaml:2:25: error: window.marginMinutes: found "soon"; expected an integer from 0 to 120"#
            ),
            (
                #"window: {hourz: "08:00-21:00"}"#,
                #"t.yaml:2:10: error: window.hourz: unknown key "hourz"; did you mean hours?"#
            ),
            (
                "window: yes",
                #"t.yaml:2:9: error: window: found "yes"; expected off or a map like "#
                    + #"{hours: "08:00-21:00", timezone: auto}"#
            ),
            (
                "windows: off",
                #"t.yaml:2:1: error: windows: unknown key "windows"; did you mean window?"#
            ),
        ]
    )
    func badValueIsReportedWhereItIs(line: String, expected: String) throws {
        #expect(try problems(line) == [expected])
    }

    @Test func badValueAfterContactsStopsTheFile() throws {
        let result = try plan("version: 1\n" + Self.rest + "window:\n  days: []\n")

        #expect(result.summary == nil)
        #expect(result.exitCode == 2)
        #expect(
            result.failures == [
                "t.yaml:10:9: error: window.days: found an empty list; "
                    + "expected a non-empty list of mon, tue, wed, thu, fri, sat, sun"
            ]
        )
    }

    @Test func badValuesInJSON() throws {
        let text = """
            {"version": 1, "window": {"hours": "08:00-24:00", "timezone": "EST", "marginMinutes": "5"},
             "contacts": []}
            """
        #expect(
            try plan(text, name: "t.json").failures == [
                #"t.json:1:36: error: window.hours: found "08:00-24:00"; expected local hours HH:MM-HH:MM like "#
                    + #""08:00-21:00" (end exclusive; "21:00-08:00" runs past midnight)"#,
                #"t.json:1:63: error: window.timezone: found "EST"; expected auto or \#(Self.zone); did you mean America/New_York?"#,
                #"t.json:1:87: error: window.marginMinutes: found "5"; expected an integer from 0 to 120"#,
            ]
        )
    }

    // MARK: A row's timezone

    @Test func rowTimezoneIsKeptOnTheRowAndNeverSent() throws {
        let rows = """
            version: 1
            id: tz
            defaults:
              InstanceId: i-1
              ContactFlowId: f-1
              QueueId: q-1
              timezone: America/Chicago
            contacts:
              - DestinationPhoneNumber: "+12025550142"
                timezone: Europe/Berlin
              - DestinationPhoneNumber: "+12025550143"

            """
        let result = try plan(rows)
        let plain = try plan(
            rows.replacingOccurrences(of: "  timezone: America/Chicago\n", with: "")
                .replacingOccurrences(of: "    timezone: Europe/Berlin\n", with: "")
        )

        #expect(result.failures == [])
        #expect(result.rowProblems == [])
        #expect(result.planned.map(\.timezone) == ["Europe/Berlin", "America/Chicago"])
        #expect(plain.planned.map(\.timezone) == [nil, nil])
        // The bodies are byte for byte those of the same rows without the option.
        #expect(result.planned.map(\.body) == plain.planned.map(\.body))
        for row in result.planned {
            #expect(!String(decoding: row.body, as: UTF8.self).contains("imezone"))
        }
    }

    @Test func rowTimezoneInJSONList() throws {
        let text = """
            [{"DestinationPhoneNumber": "+12025550142", "InstanceId": "i", "ContactFlowId": "f", "QueueId": "q",
              "timezone": "Asia/Tokyo"}]
            """
        let result = try plan(text, name: "l.json")

        #expect(result.planned.map(\.timezone) == ["Asia/Tokyo"])
        let body = String(decoding: try #require(result.planned.first).body, as: UTF8.self)
        #expect(body.contains("+12025550142"))
        #expect(!body.contains("Asia/Tokyo"))
    }

    @Test func badRowTimezoneMakesTheRowInvalid() throws {
        let text = "version: 1\n" + Self.rest + "    timezone: Mars/Base\n"
        let result = try plan(text)

        #expect(result.planned.isEmpty)
        #expect(
            result.rowProblems == [
                #"t.yaml:9:15: error: contacts[0].timezone: found "Mars/Base"; expected \#(Self.zone); "#
                    + "did you mean Asia/Baku?"
            ]
        )
    }

    @Test func badDefaultTimezoneStopsTheFile() throws {
        let text =
            "version: 1\n"
            + Self.rest.replacingOccurrences(
                of: "  ContactFlowId: f-1\n",
                with: "  ContactFlowId: f-1\n  timezone: EST\n"
            )
        let result = try plan(text)

        #expect(result.exitCode == 2)
        #expect(
            result.failures == [
                #"t.yaml:6:13: error: defaults.timezone: found "EST"; expected \#(Self.zone); did you mean America/New_York?"#
            ]
        )
    }

    @Test(
        arguments: [
            ("timezon: Europe/Berlin", #"unknown key "timezon"; did you mean timezone?"#),
            ("callAfter: 09:00", #"unknown key "callAfter"; did you mean Name?"#),
        ]
    )
    func unknownLowerCaseRowKeyIsRefused(line: String, message: String) throws {
        let result = try plan("version: 1\n" + Self.rest + "    " + line + "\n")

        #expect(result.planned.isEmpty)
        let key = String(line.prefix { $0 != ":" })
        #expect(result.rowProblems == ["t.yaml:9:5: error: contacts[0].\(key): \(message)"])
    }

    // MARK: The schema

    @Test func schemaSaysWhatTheReaderTakes() throws {
        let definitions = try JobSchemaTests().definitions()
        let window = try #require(definitions["window"])
        let properties = try #require(window["properties"] as? [String: [String: Any]])
        #expect(Set(properties.keys) == Set(JobHeader.windowFields))
        #expect(properties["marginMinutes"]?["maximum"] as? Int == JobHeader.allowedMarginMinutes.upperBound)
        for row in ["fields", "request"] {
            let rowProperties = try #require(definitions[row]?["properties"] as? [String: Any])
            #expect(rowProperties["timezone"] != nil, "\(row)")
        }

        let pattern = try NSRegularExpression(pattern: try #require(properties["hours"]?["pattern"] as? String))
        let samples = [
            "08:00-21:00", "21:00-08:00", "00:00-23:59", "23:59-00:00", "24:00-08:00", "08:60-21:00", "8:00-21:00",
            "08:00-21:00 ", "08:00", "08:00-21:00-22:00", "0a:00-21:00", "",
        ]
        for text in samples {
            let matches = pattern.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) != nil
            #expect(matches == (JobHeader.hours(text) != nil), "\(text)")
        }
    }
}
