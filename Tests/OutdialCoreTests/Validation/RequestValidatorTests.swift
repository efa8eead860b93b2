import Testing

@testable import OutdialCore

struct RequestValidatorTests {
    let e164 =
        "expected an E.164 number: +, country code and number, 2 to 15 digits (spaces, -, ., ( and ) are ignored; no country code is assumed)"

    @Test func missingRequiredField() throws {
        #expect(
            try RowHarness.problems(#"{"Name": "Jane"}"#) == [
                "t.json:4:3: error: contacts[0].DestinationPhoneNumber: missing; required in every request (in the row or in defaults)"
            ]
        )
    }

    @Test func sourcePhoneNumberOrQueueIdRequired() throws {
        let defaults = #"{"InstanceId": "i-1", "ContactFlowId": "f-1"}"#
        #expect(
            try RowHarness.problems(#"{"DestinationPhoneNumber": "+15551230001"}"#, defaults: defaults) == [
                "t.json:4:3: error: contacts[0].SourcePhoneNumber: neither SourcePhoneNumber nor QueueId is given; one of the two is required"
            ]
        )
        #expect(
            try RowHarness.body(#"{"DestinationPhoneNumber": "+15551230001", "QueueId": "q-1"}"#, defaults: defaults)
                != nil
        )
    }

    @Test func destinationMustBeE164() throws {
        #expect(
            try RowHarness.problems(#"{"DestinationPhoneNumber": "5551230001"}"#) == [
                "t.json:4:30: error: contacts[0].DestinationPhoneNumber: found \"5551230001\"; \(e164)"
            ]
        )
        #expect(
            try RowHarness.problems(#"{"DestinationPhoneNumber": "+0551230001"}"#).first?.hasPrefix(
                "t.json:4:30: error: contacts[0].DestinationPhoneNumber: found \"+0551230001\""
            ) == true
        )
        // 16 digits is one too many.
        #expect(
            try RowHarness.problems(#"{"DestinationPhoneNumber": "+1234567890123456"}"#).first?.hasPrefix(
                "t.json:4:30: error: contacts[0].DestinationPhoneNumber: found \"+1234567890123456\""
            ) == true
        )
        #expect(try RowHarness.body(#"{"DestinationPhoneNumber": "+123456789012345"}"#) != nil)
    }

    @Test func destinationCodeIsStable() throws {
        guard
            case .rejected(let line, let diagnostics)? = try RowHarness.events(
                row: #"{"DestinationPhoneNumber": "12"}"#
            ).first
        else {
            Issue.record("expected a rejected row")
            return
        }
        #expect(diagnostics.map(\.code) == ["InvalidDestinationPhoneNumber"])
        #expect(line.status == .invalid)
        #expect(line.error?.code == "InvalidDestinationPhoneNumber")
        #expect(line.error?.at == "t.json:4:30")
        #expect(line.error?.message == "contacts[0].DestinationPhoneNumber: found \"12\"; \(e164)")
    }

    @Test func sourcePhoneNumberMustBeE164() throws {
        let defaults = #"{"InstanceId": "i-1", "ContactFlowId": "f-1", "SourcePhoneNumber": "0100100"}"#
        #expect(throws: JobFileError.self) {
            try RowHarness.problems(#"{"DestinationPhoneNumber": "+15551230001"}"#, defaults: defaults)
        }
        #expect(
            try RowHarness.problems(#"{"DestinationPhoneNumber": "+15551230001", "SourcePhoneNumber": "abc"}"#) == [
                "t.json:4:67: error: contacts[0].SourcePhoneNumber: found \"abc\"; \(e164)"
            ]
        )
    }

    @Test func phoneNumbersAreNormalised() throws {
        let body = try RowHarness.body(
            #"{"DestinationPhoneNumber": "+1 (555) 123-0002", "SourcePhoneNumber": "+1.555.010.0101"}"#
        )
        #expect(body?.contains(#""DestinationPhoneNumber":"+15551230002""#) == true)
        #expect(body?.contains(#""SourcePhoneNumber":"+15550100101""#) == true)
    }

    @Test func blockedPrefixIsRefusedUnlessAllowed() throws {
        #expect(
            try RowHarness.problems(#"{"DestinationPhoneNumber": "+447700900123"}"#) == [
                "t.json:4:30: error: contacts[0].DestinationPhoneNumber: \"+447700900123\" starts with +447, which is blocked by default; list the prefix in allowPrefixes or pass --allow-prefix +447 to dial it"
            ]
        )
        #expect(
            try RowHarness.body(
                #"{"DestinationPhoneNumber": "+447700900123"}"#,
                options: PlanningOptions(allowPrefixes: ["+447"])
            )
                != nil
        )
        // The job's own allowPrefixes.
        var planner = JobPlanner()
        let text = RowHarness.text(
            row: #"{"DestinationPhoneNumber": "+81701234567"}"#,
            extra: #", "allowPrefixes": ["+8170"]"#
        )
        let (summary, _) = try TestDocument.plan(text, name: "t.json", planner: &planner)
        #expect(summary.count(.planned) == 1)
        #expect(summary.allowPrefixes == ["+8170"])
    }

    @Test func lengths() throws {
        let longName = String(repeating: "a", count: 1025)
        #expect(
            try RowHarness.problems(#"{"DestinationPhoneNumber": "+15551230001", "Name": "\#(longName)"}"#) == [
                "t.json:4:54: error: contacts[0].Name: found 1025 characters; at most 1024 are allowed"
            ]
        )
        #expect(
            try RowHarness.problems(#"{"DestinationPhoneNumber": "+15551230001", "InstanceId": ""}"#) == [
                "t.json:4:60: error: contacts[0].InstanceId: found an empty string; expected 1 to 100 characters"
            ]
        )
        let longToken = String(repeating: "t", count: 501)
        #expect(
            try RowHarness.problems(#"{"DestinationPhoneNumber": "+15551230001", "ClientToken": "\#(longToken)"}"#) == [
                "t.json:4:61: error: contacts[0].ClientToken: found 501 characters; at most 500 are allowed"
            ]
        )
        // Characters, not bytes: 1024 two-byte characters fit.
        let wide = String(repeating: "é", count: 1024)
        #expect(try RowHarness.body(#"{"DestinationPhoneNumber": "+15551230001", "Name": "\#(wide)"}"#) != nil)
    }

    @Test func trafficTypeAndAnswerMachineDetection() throws {
        #expect(
            try RowHarness.problems(#"{"DestinationPhoneNumber": "+15551230001", "TrafficType": "BULK"}"#) == [
                "t.json:4:61: error: contacts[0].TrafficType: found \"BULK\"; expected one of GENERAL, CAMPAIGN"
            ]
        )
        let amd =
            #"{"DestinationPhoneNumber": "+15551230001", "AnswerMachineDetectionConfig": {"EnableAnswerMachineDetection": true}}"#
        #expect(
            try RowHarness.problems(amd) == [
                "t.json:4:111: error: contacts[0].AnswerMachineDetectionConfig.EnableAnswerMachineDetection: true while TrafficType is not set; answer machine detection needs TrafficType CAMPAIGN"
            ]
        )
        let campaign =
            #"{"DestinationPhoneNumber": "+15551230001", "TrafficType": "CAMPAIGN", "AnswerMachineDetectionConfig": {"EnableAnswerMachineDetection": true, "AwaitAnswerMachinePrompt": false}}"#
        #expect(
            try RowHarness.body(campaign)?.contains(
                #""AnswerMachineDetectionConfig":{"EnableAnswerMachineDetection":true,"AwaitAnswerMachinePrompt":false},"TrafficType":"CAMPAIGN""#
            ) == true
        )
    }

    @Test func booleansArePlainTrueOrFalse() throws {
        #expect(
            try RowHarness.problems(
                #"{"DestinationPhoneNumber": "+15551230001", "AnswerMachineDetectionConfig": {"AwaitAnswerMachinePrompt": "true"}}"#
            ) == [
                "t.json:4:107: error: contacts[0].AnswerMachineDetectionConfig.AwaitAnswerMachinePrompt: found the quoted string \"true\"; expected true or false"
            ]
        )
        #expect(
            try RowHarness.problems(
                #"{"DestinationPhoneNumber": "+15551230001", "AnswerMachineDetectionConfig": {"AwaitAnswerMachinePrompt": yes}}"#
            ) == [
                "t.json:4:107: error: contacts[0].AnswerMachineDetectionConfig.AwaitAnswerMachinePrompt: found \"yes\"; expected true or false"
            ]
        )
    }

    @Test func ringTimeout() throws {
        #expect(
            try RowHarness.problems(#"{"DestinationPhoneNumber": "+15551230001", "RingTimeoutInSeconds": 10}"#) == [
                "t.json:4:70: error: contacts[0].RingTimeoutInSeconds: found 10; expected an integer from 15 to 60"
            ]
        )
        #expect(
            try RowHarness.problems(#"{"DestinationPhoneNumber": "+15551230001", "RingTimeoutInSeconds": "30"}"#) == [
                "t.json:4:70: error: contacts[0].RingTimeoutInSeconds: found the quoted string \"30\"; expected a plain integer"
            ]
        )
        #expect(
            try RowHarness.problems(#"{"DestinationPhoneNumber": "+15551230001", "RingTimeoutInSeconds": 30.5}"#) == [
                "t.json:4:70: error: contacts[0].RingTimeoutInSeconds: found \"30.5\"; expected an integer"
            ]
        )
        #expect(
            try RowHarness.body(#"{"DestinationPhoneNumber": "+15551230001", "RingTimeoutInSeconds": 60}"#)?.hasSuffix(
                #","RingTimeoutInSeconds":60}"#
            ) == true
        )
    }

    @Test func mapWhereAScalarBelongs() throws {
        #expect(
            try RowHarness.problems(#"{"DestinationPhoneNumber": "+15551230001", "Name": {"first": "Jane"}}"#) == [
                "t.json:4:54: error: contacts[0].Name: found a map; expected a string"
            ]
        )
        #expect(
            try RowHarness.problems(#"{"DestinationPhoneNumber": ["+15551230001"]}"#) == [
                "t.json:4:30: error: contacts[0].DestinationPhoneNumber: found a list; expected a string"
            ]
        )
    }

    @Test func attributes() throws {
        #expect(
            try RowHarness.problems(
                #"{"DestinationPhoneNumber": "+15551230001", "Attributes": {"opt in": "no", "n": [1]}}"#
            ) == [
                "t.json:4:61: error: contacts[0].Attributes.opt in: found the name \"opt in\"; attribute names take letters, digits, _ and - only",
                "t.json:4:82: error: contacts[0].Attributes.n: found a list; expected a string",
            ]
        )
        let big = String(repeating: "v", count: 32_768)
        #expect(
            try RowHarness.problems(#"{"DestinationPhoneNumber": "+15551230001", "Attributes": {"k": "\#(big)"}}"#) == [
                "t.json:4:60: error: contacts[0].Attributes: found 32769 bytes of names and values; at most 32768 UTF-8 bytes in all"
            ]
        )
        // Plain scalars are text as written: `no` stays the string "no", 1 stays "1".
        #expect(
            try RowHarness.body(
                #"{"DestinationPhoneNumber": "+15551230001", "Attributes": {"optIn": no, "count": 1}}"#
            )?.contains(
                #""Attributes":{"optIn":"no","count":"1"}"#
            ) == true
        )
    }

    @Test func references() throws {
        let row =
            #"{"DestinationPhoneNumber": "+15551230001", "References": {"a": {"Value": "x"}, "b": {"Value": "x", "Type": "ATTACHMENT"}, "c": {"Value": "2026-11-25", "Type": "DATE"}}}"#
        #expect(
            try RowHarness.problems(row) == [
                "t.json:4:66: error: contacts[0].References.a.Type: missing; every reference needs a Type (URL, NUMBER, STRING, DATE or EMAIL)",
                "t.json:4:110: error: contacts[0].References.b.Type: found \"ATTACHMENT\"; expected one of URL, NUMBER, STRING, DATE, EMAIL (other types cannot be given when a contact starts)",
                "t.json:4:140: error: contacts[0].References.c.Value: found \"2026-11-25\"; a DATE reference takes epoch seconds, e.g. 1764064800",
            ]
        )
        let big = String(repeating: "v", count: 4_096)
        #expect(
            try RowHarness.problems(
                #"{"DestinationPhoneNumber": "+15551230001", "References": {"doc": {"Value": "\#(big)", "Type": "STRING"}}}"#
            ) == [
                "t.json:4:60: error: contacts[0].References: found 4099 bytes of names and values; at most 4096 UTF-8 bytes in all"
            ]
        )
        #expect(
            try RowHarness.problems(
                #"{"DestinationPhoneNumber": "+15551230001", "References": {"doc": {"Type": "URL", "Status": "LOST", "Arn": "short", "Kind": "x"}}}"#
            ) == [
                "t.json:4:94: error: contacts[0].References.doc.Status: found \"LOST\"; expected one of AVAILABLE, DELETED, APPROVED, REJECTED, PROCESSING, FAILED",
                "t.json:4:109: error: contacts[0].References.doc.Arn: found \"short\"; expected 20 to 256 characters of letters, digits, -, : and /",
                "t.json:4:118: error: contacts[0].References.doc.Kind: unknown key \"Kind\"; did you mean Arn?",
            ]
        )
        #expect(
            try RowHarness.body(
                #"{"DestinationPhoneNumber": "+15551230001", "References": {"due": {"Value": "1764064800", "Type": "DATE"}}}"#
            )?.hasPrefix(#"{"References":{"due":{"Value":"1764064800","Type":"DATE"}},"DestinationPhoneNumber""#)
                == true
        )
    }

    @Test func outboundStrategy() throws {
        #expect(
            try RowHarness.problems(
                #"{"DestinationPhoneNumber": "+15551230001", "OutboundStrategy": {"Type": "PREDICTIVE"}}"#
            ) == [
                "t.json:4:75: error: contacts[0].OutboundStrategy.Type: found \"PREDICTIVE\"; expected AGENT_FIRST"
            ]
        )
        #expect(
            try RowHarness.problems(
                #"{"DestinationPhoneNumber": "+15551230001", "OutboundStrategy": {"Type": "AGENT_FIRST", "Config": {"AgentFirst": {"Preview": {}}}}}"#
            ) == [
                "t.json:4:127: error: contacts[0].OutboundStrategy.Config.AgentFirst.Preview.PostAcceptTimeoutConfig: missing; Preview requires it",
                "t.json:4:127: error: contacts[0].OutboundStrategy.Config.AgentFirst.Preview.AllowedUserActions: missing; Preview requires it",
            ]
        )
        let good =
            #"{"DestinationPhoneNumber": "+15551230001", "OutboundStrategy": {"Type": "AGENT_FIRST", "Config": {"AgentFirst": {"Preview": {"PostAcceptTimeoutConfig": {"DurationInSeconds": 30}, "AllowedUserActions": ["CALL", "DISCARD"]}}}}}"#
        #expect(
            try RowHarness.body(good)?.contains(
                #""OutboundStrategy":{"Type":"AGENT_FIRST","Config":{"AgentFirst":{"Preview":{"PostAcceptTimeoutConfig":{"DurationInSeconds":30},"AllowedUserActions":["CALL","DISCARD"]}}}}"#
            ) == true
        )
    }

    @Test func unknownKeyNamesTheNearest() throws {
        #expect(
            try RowHarness.problems(#"{"DestinationPhoneNumber": "+15551230001", "DestinationPhone": "+15551230002"}"#)
                == [
                    "t.json:4:46: error: contacts[0].DestinationPhone: unknown key \"DestinationPhone\"; did you mean DestinationPhoneNumber?"
                ]
        )
        #expect(
            try RowHarness.problems(#"{"DestinationPhoneNumber": "+15551230001", "attributes": {}}"#) == [
                "t.json:4:46: error: contacts[0].attributes: unknown key \"attributes\"; did you mean Attributes?"
            ]
        )
    }

    @Test func keyGivenTwice() throws {
        #expect(
            try RowHarness.problems(#"{"DestinationPhoneNumber": "+15551230001", "Name": "a", "Name": "b"}"#) == [
                "t.json:4:59: error: contacts[0].Name: key given twice (first at 4:46); a key may appear only once in a map"
            ]
        )
        // Also for a key the defaults hold.
        #expect(
            try RowHarness.problems(
                #"{"DestinationPhoneNumber": "+15551230001", "InstanceId": "a", "InstanceId": "b"}"#
            ) == [
                "t.json:4:65: error: contacts[0].InstanceId: key given twice (first at 4:46); a key may appear only once in a map"
            ]
        )
    }

    @Test func everyProblemIsReported() throws {
        let problems = try RowHarness.problems(
            #"{"DestinationPhoneNumber": "12", "TrafficType": "X", "RingTimeoutInSeconds": 5, "Nme": "J"}"#
        )
        #expect(problems.count == 4)
        guard
            case .rejected(let line, _)? = try RowHarness.events(
                row: #"{"DestinationPhoneNumber": "12", "TrafficType": "X", "RingTimeoutInSeconds": 5, "Nme": "J"}"#
            ).first
        else {
            Issue.record("expected a rejected row")
            return
        }
        #expect(line.error?.message.hasSuffix("(and 3 more problems)") == true)
    }

    @Test func rowThatIsNotAMap() throws {
        #expect(
            try RowHarness.problems(#""+15551230001""#) == [
                "t.json:4:3: error: contacts[0]: found a scalar; expected a map of request fields"
            ]
        )
    }
}
