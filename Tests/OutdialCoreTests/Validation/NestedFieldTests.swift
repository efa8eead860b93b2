import Testing

@testable import OutdialCore

/// Integers past `Int`'s range and the nested one-key maps of `OutboundStrategy`.
struct NestedFieldTests {
    static let destination = #""DestinationPhoneNumber": "+15551230001""#

    @Test func hugeRingTimeoutSaysTheAllowedRange() throws {
        for huge in ["9223372036854775807", "99999999999999999999999", "-9223372036854775809"] {
            #expect(
                try RowHarness.problems(#"{\#(Self.destination), "RingTimeoutInSeconds": \#(huge)}"#) == [
                    "t.json:4:70: error: contacts[0].RingTimeoutInSeconds: found \(huge); expected an integer from 15 to 60"
                ]
            )
        }
        #expect(
            try RowHarness.problems(#"{\#(Self.destination), "RingTimeoutInSeconds": 015}"#).isEmpty
        )
    }

    @Test func everyOneKeyMapOfTheStrategyNamesItsKey() throws {
        let strategy = #""OutboundStrategy": {"Type": "AGENT_FIRST", "Config": "#
        #expect(
            try RowHarness.problems(#"{\#(Self.destination), \#(strategy){"AgentFrst": {}}}}"#) == [
                #"t.json:4:101: error: contacts[0].OutboundStrategy.Config.AgentFrst: unknown key "AgentFrst"; did you mean AgentFirst?"#
            ]
        )
        #expect(
            try RowHarness.problems(#"{\#(Self.destination), \#(strategy){"AgentFirst": {"Preveiw": {}}}}}"#) == [
                #"t.json:4:116: error: contacts[0].OutboundStrategy.Config.AgentFirst.Preveiw: unknown key "Preveiw"; did you mean Preview?"#
            ]
        )
        #expect(
            try RowHarness.problems(#"{\#(Self.destination), \#(strategy)[]}}"#) == [
                "t.json:4:100: error: contacts[0].OutboundStrategy.Config: found a list; expected a map with AgentFirst"
            ]
        )
        let preview =
            #"{"AgentFirst": {"Preview": {"PostAcceptTimeoutConfig": {"Duration": 5}, "AllowedUserActions": ["CALL"]}}}"#
        #expect(
            try RowHarness.problems(#"{\#(Self.destination), \#(strategy)\#(preview)}}"#) == [
                #"t.json:4:156: error: contacts[0].OutboundStrategy.Config.AgentFirst.Preview.PostAcceptTimeoutConfig.Duration: unknown key "Duration"; did you mean DurationInSeconds?"#,
                "t.json:4:155: error: contacts[0].OutboundStrategy.Config.AgentFirst.Preview.PostAcceptTimeoutConfig.DurationInSeconds: missing; required",
            ]
        )
    }
}
