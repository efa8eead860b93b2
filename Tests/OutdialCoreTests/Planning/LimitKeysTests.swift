import Foundation
import Testing

@testable import OutdialCore

/// A job file's `limits` and `limitKey`, read through the real reader into `JobSummary`.
struct LimitKeysTests {
    static let rest = """
        id: lim
        defaults:
          InstanceId: i-1
          ContactFlowId: f-1
          SourcePhoneNumber: "+15550100100"
        contacts:
          - DestinationPhoneNumber: "+15551230001"

        """

    static let day = 86_400

    /// Plans `text` as the file `name`: the summary (nil when the file failed), the printed
    /// structural problems, the rows planned and the exit code.
    func plan(_ text: String, name: String = "t.yaml") throws -> (
        summary: JobSummary?, failures: [String], planned: Int, exitCode: Int32
    ) {
        let files = try TemporaryFiles()
        defer { files.remove() }
        let path = try files.write(name, text)
        var planner = JobPlanner()
        var planned = 0
        var failures: [String] = []
        let report = try planner.planAll(
            [JobInput(path: path, source: name)],
            onEvent: { if case .planned = $0 { planned += 1 } },
            onFailure: { failures += $0.diagnostics.map(\.description) }
        )
        return (report.summaries.first, failures, planned, report.exitCode)
    }

    /// The problems of a YAML job whose line 2 is `line`.
    func problems(_ line: String) throws -> [String] {
        let result = try plan("version: 1\n" + line + "\n" + Self.rest)
        #expect(result.summary == nil)
        #expect(result.planned == 0)
        #expect(result.exitCode == 2)
        return result.failures
    }

    // MARK: Good values

    @Test func limitsAndKeyAfterContactsReachTheSummary() throws {
        let after = """
            limits:
              - {max: 1, per: 24h}
              - max: 3
                per: 7d
            limitKey: [InstanceId, DestinationPhoneNumber]

            """
        let result = try plan("version: 1\n" + Self.rest + after)

        #expect(result.failures == [])
        #expect(result.planned == 1)
        #expect(result.exitCode == 0)
        #expect(
            result.summary?.limits
                == .limits([ContactLimit(max: 1, perSeconds: Self.day), ContactLimit(max: 3, perSeconds: 7 * Self.day)])
        )
        #expect(result.summary?.limitKey == .instanceAndDestination)
        #expect(result.summary?.warnings == [])
    }

    @Test(
        arguments: [
            ("[DestinationPhoneNumber]", LimitKey.destination),
            ("[InstanceId, DestinationPhoneNumber]", .instanceAndDestination),
            ("[DestinationPhoneNumber, InstanceId]", .instanceAndDestination),
            ("\n  - DestinationPhoneNumber\n  - InstanceId", .instanceAndDestination),
        ]
    )
    func limitKeyInEitherOrder(written: String, key: LimitKey) throws {
        let result = try plan("version: 1\nlimitKey: \(written)\n" + Self.rest)

        #expect(result.failures == [])
        #expect(result.summary?.limitKey == key)
        #expect(result.summary?.limits == .inherited)
    }

    @Test func edgesOfTheAllowedRanges() throws {
        let result = try plan(
            "version: 1\nlimits: [{max: 100000, per: 1m}, {max: 1, per: 400d}, {max: 2, per: 90s}]\n" + Self.rest
        )

        #expect(result.failures == [])
        #expect(
            result.summary?.limits
                == .limits([
                    ContactLimit(max: 100_000, perSeconds: 60),
                    ContactLimit(max: 1, perSeconds: 400 * Self.day),
                    ContactLimit(max: 2, perSeconds: 90),
                ])
        )
    }

    @Test func jsonJobSetsBoth() throws {
        let text = """
            {"version": 1, "id": "j", "contacts": [{"DestinationPhoneNumber": "+15551230001", "InstanceId": "i",
             "ContactFlowId": "f", "QueueId": "q"}],
             "limits": [{"max": 2, "per": "12h"}], "limitKey": ["DestinationPhoneNumber"]}
            """
        let result = try plan(text, name: "t.json")

        #expect(result.failures == [])
        #expect(result.planned == 1)
        #expect(result.summary?.limits == .limits([ContactLimit(max: 2, perSeconds: 12 * 3_600)]))
        #expect(result.summary?.limitKey == .destination)
    }

    @Test func nothingSetLeavesTheLedgerToDecide() throws {
        let job = try plan("version: 1\n" + Self.rest)
        let list = try plan(
            #"[{"DestinationPhoneNumber": "+15551230001", "InstanceId": "i", "ContactFlowId": "f", "QueueId": "q"}]"#,
            name: "l.json"
        )
        let single = try plan(
            #"{"DestinationPhoneNumber": "+15551230001", "InstanceId": "i", "ContactFlowId": "f", "QueueId": "q"}"#,
            name: "s.json"
        )

        for result in [job, list, single] {
            #expect(result.planned == 1)
            #expect(result.summary?.limits == .inherited)
            #expect(result.summary?.limitKey == nil)
            #expect(result.summary?.warnings == [])
        }
    }

    // MARK: off

    @Test func offIsWarnedAboutButPlansEveryRow() throws {
        let result = try plan("version: 1\nlimits: off\n" + Self.rest)

        #expect(result.failures == [])
        #expect(result.planned == 1)
        #expect(result.exitCode == 0)
        #expect(result.summary?.limits == .off)
        #expect(
            result.summary?.warnings.map(\.description) == [
                "t.yaml:2:9: warning: limits: off — this job's rows are not held to any communication limit; "
                    + "a number called by another job an hour ago will be called again"
            ]
        )
    }

    @Test func offInJSONIsTheQuotedWord() throws {
        let text = """
            {"version": 1, "limits": "off", "contacts": [{"DestinationPhoneNumber": "+15551230001",
             "InstanceId": "i", "ContactFlowId": "f", "QueueId": "q"}]}
            """
        let result = try plan(text, name: "t.json")

        #expect(result.summary?.limits == .off)
        #expect(result.summary?.warnings.map(\.location) == ["t.json:1:26"])
        #expect(result.summary?.warnings.map(\.code) == [ErrorCode.limitsOff])
    }

    // MARK: Bad values

    static let window = "a window from 1m to 400d: a whole number and s, m, h or d, like 24h or 7d"

    @Test(
        arguments: [
            (
                "limits: yes",
                #"t.yaml:2:9: error: limits: found "yes"; expected off or a list of limits like [{max: 1, per: 24h}]"#
            ),
            (
                "limits: {max: 1, per: 24h}",
                "t.yaml:2:9: error: limits: found a map; expected off or a list of limits like [{max: 1, per: 24h}]"
            ),
            (
                "limits: []",
                "t.yaml:2:9: error: limits: found an empty list; expected at least one limit like {max: 1, per: 24h} "
                    + "(write limits: off to turn the limits off)"
            ),
            (
                "limits: [{max: 0, per: 24h}]",
                #"t.yaml:2:16: error: limits[0].max: found "0"; expected an integer from 1 to 100000"#
            ),
            (
                "limits: [{max: 1, per: 24h}, {max: 100001, per: 7d}]",
                #"t.yaml:2:36: error: limits[1].max: found "100001"; expected an integer from 1 to 100000"#
            ),
            (
                #"limits: [{max: "3", per: 24h}]"#,
                #"t.yaml:2:16: error: limits[0].max: found "3"; expected an integer from 1 to 100000"#
            ),
            (
                "limits: [{max: 1, per: 10x}]",
                #"t.yaml:2:24: error: limits[0].per: found "10x"; expected \#(window)"#
            ),
            (
                "limits: [{max: 1, per: 30s}]",
                #"t.yaml:2:24: error: limits[0].per: found "30s"; expected \#(window)"#
            ),
            (
                "limits: [{max: 1, per: 500d}]",
                #"t.yaml:2:24: error: limits[0].per: found "500d"; expected \#(window)"#
            ),
            (
                "limits: [{max: 1, per: 24h}, 3]",
                #"t.yaml:2:30: error: limits[1]: found "3"; expected a map like {max: 1, per: 24h}"#
            ),
            (
                "limitKey: DestinationPhoneNumber",
                #"t.yaml:2:11: error: limitKey: found "DestinationPhoneNumber"; "#
                    + "expected a list: [DestinationPhoneNumber] or [InstanceId, DestinationPhoneNumber]"
            ),
            (
                "limitKey: []",
                "t.yaml:2:11: error: limitKey: found an empty list; "
                    + "expected a list: [DestinationPhoneNumber] or [InstanceId, DestinationPhoneNumber]"
            ),
            (
                "limitKey: [DestinationPhoneNumbr]",
                #"t.yaml:2:12: error: limitKey[0]: found "DestinationPhoneNumbr"; "#
                    + "expected DestinationPhoneNumber or InstanceId; did you mean DestinationPhoneNumber?"
            ),
            (
                "limitKey: [InstanceId]",
                "t.yaml:2:11: error: limitKey: found [InstanceId]; "
                    + "expected a list that names DestinationPhoneNumber, optionally with InstanceId"
            ),
            (
                "limitKey: [InstanceId, InstanceId]",
                "t.yaml:2:24: error: limitKey[1]: found InstanceId a second time; expected each field once"
            ),
            (
                "limit: off",
                #"t.yaml:2:1: error: limit: unknown key "limit"; did you mean limits?"#
            ),
        ]
    )
    func badValueIsReportedWhereItIs(line: String, expected: String) throws {
        #expect(try problems(line) == [expected])
    }

    @Test func unknownKeyInALimitNamesTheNearestAndTheMissingOne() throws {
        #expect(
            try problems("limits: [{max: 1, pr: 24h}]") == [
                #"t.yaml:2:19: error: limits[0].pr: unknown key "pr"; did you mean per?"#,
                "t.yaml:2:10: error: limits[0].per: missing; expected \(Self.window)",
            ]
        )
    }

    @Test func repeatedFields() throws {
        #expect(
            try problems("limits: [{max: 1, max: 2, per: 24h}]") == [
                "t.yaml:2:19: error: limits[0].max: key given twice (first at 2:11); a key may appear only once in a map"
            ]
        )
        #expect(
            try problems("limits: off\nlimits: [{max: 1, per: 24h}]") == [
                "t.yaml:3:1: error: duplicate key 'limits' (first given at 2:1)"
            ]
        )
    }

    @Test func badValueAfterContactsStopsTheFile() throws {
        let result = try plan("version: 1\n" + Self.rest + "limits:\n  - {max: 1, per: 1y}\n")

        #expect(result.summary == nil)
        #expect(result.exitCode == 2)
        #expect(result.failures == [#"t.yaml:10:19: error: limits[0].per: found "1y"; expected \#(Self.window)"#])
    }

    @Test func badValuesInJSON() throws {
        let text = """
            {"version": 1, "limits": [{"max": 1.5, "per": 86400}], "limitKey": ["InstanceId", "DestinationNumber"],
             "contacts": []}
            """
        #expect(
            try plan(text, name: "t.json").failures == [
                #"t.json:1:35: error: limits[0].max: found "1.5"; expected an integer from 1 to 100000"#,
                #"t.json:1:47: error: limits[0].per: found "86400"; expected \#(Self.window)"#,
                #"t.json:1:83: error: limitKey[1]: found "DestinationNumber"; "#
                    + "expected DestinationPhoneNumber or InstanceId; did you mean DestinationPhoneNumber?",
            ]
        )
    }
}
