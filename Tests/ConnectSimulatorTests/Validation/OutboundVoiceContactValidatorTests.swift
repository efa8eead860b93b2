import Foundation
import Testing

@testable import ConnectSimulator

struct OutboundVoiceContactValidatorTests {
    static func validate(_ changes: [String: Any]) -> String? {
        let body = SimulatorSession.body(changes)
        do {
            try OutboundVoiceContactValidator.validate(JSONValue.parse(body))
            return nil
        } catch {
            return "\(error.errorType): \(error.message)"
        }
    }

    @Test func acceptsAFullValidRequest() {
        let full: [String: Any] = [
            "QueueId": "queue",
            "ClientToken": "od1-abc",
            "Name": "Jane Doe",
            "Description": "reminder",
            "RelatedContactId": "c-1",
            "CampaignId": "campaign",
            "TrafficType": "CAMPAIGN",
            "RingTimeoutInSeconds": 60,
            "Attributes": ["firstName": "Chloé", "opt-in_1": "no"],
            "AnswerMachineDetectionConfig": ["EnableAnswerMachineDetection": true, "AwaitAnswerMachinePrompt": false],
            "References": [
                "when": ["Type": "DATE", "Value": "1795485600"], "site": ["Type": "URL", "Value": "https://x"],
            ],
            "OutboundStrategy": [
                "Type": "AGENT_FIRST",
                "Config": [
                    "AgentFirst": [
                        "Preview": [
                            "PostAcceptTimeoutConfig": ["DurationInSeconds": 30],
                            "AllowedUserActions": ["CALL", "DISCARD"],
                        ]
                    ]
                ],
            ],
            "SomeFutureMember": "ignored, as AWS ignores it",
        ]
        #expect(Self.validate(full) == nil)
        #expect(Self.validate(["SourcePhoneNumber": NSNull(), "QueueId": "queue"]) == nil)
    }

    @Test(arguments: [
        (#"{"DestinationPhoneNumber":null}"#, "DestinationPhoneNumber is required."),
        (#"{"ContactFlowId":null}"#, "ContactFlowId is required."),
        (#"{"InstanceId":null}"#, "InstanceId is required."),
        (
            #"{"DestinationPhoneNumber":"+0155512345"}"#,
            "DestinationPhoneNumber must be an E.164 phone number: + then 2 to 15 digits, the first not 0."
        ),
        (
            #"{"DestinationPhoneNumber":"+1 555 123"}"#,
            "DestinationPhoneNumber must be an E.164 phone number: + then 2 to 15 digits, the first not 0."
        ),
        (
            #"{"DestinationPhoneNumber":"+1234567890123456"}"#,
            "DestinationPhoneNumber must be an E.164 phone number: + then 2 to 15 digits, the first not 0."
        ),
        (
            #"{"DestinationPhoneNumber":"+1"}"#,
            "DestinationPhoneNumber must be an E.164 phone number: + then 2 to 15 digits, the first not 0."
        ),
        (#"{"DestinationPhoneNumber":15551230001}"#, "DestinationPhoneNumber must be a string, not a number."),
        (
            #"{"SourcePhoneNumber":"15550100100"}"#,
            "SourcePhoneNumber must be an E.164 phone number: + then 2 to 15 digits, the first not 0."
        ),
        (
            #"{"SourcePhoneNumber":null}"#,
            "SourcePhoneNumber or QueueId is required: give a source phone number or a queue."
        ),
        (#"{"QueueId":7}"#, "QueueId must be a string, not a number."),
        (#"{"InstanceId":""}"#, "InstanceId must be 1 to 100 characters (it has 0)."),
        (#"{"CampaignId":""}"#, "CampaignId must be 1 to 100 characters (it has 0)."),
        (#"{"RelatedContactId":""}"#, "RelatedContactId must be 1 to 256 characters (it has 0)."),
        (#"{"TrafficType":"MARKETING"}"#, "TrafficType must be GENERAL or CAMPAIGN."),
        (#"{"RingTimeoutInSeconds":14}"#, "RingTimeoutInSeconds must be from 15 to 60."),
        (#"{"RingTimeoutInSeconds":61}"#, "RingTimeoutInSeconds must be from 15 to 60."),
        (#"{"RingTimeoutInSeconds":20.5}"#, "RingTimeoutInSeconds must be an integer, not a number."),
        (#"{"RingTimeoutInSeconds":"30"}"#, "RingTimeoutInSeconds must be an integer, not a string."),
        (#"{"RingTimeoutInSeconds":true}"#, "RingTimeoutInSeconds must be an integer, not a boolean."),
        (#"{"Attributes":["x"]}"#, "Attributes must be a map of strings, not a list."),
        (#"{"Attributes":{"n":1}}"#, "Attributes.n must be a string, not a number."),
        (#"{"Attributes":{"first name":"x"}}"#, "Attributes keys must be letters, digits, _ and -."),
        (
            #"{"AnswerMachineDetectionConfig":{"EnableAnswerMachineDetection":true}}"#,
            "AnswerMachineDetectionConfig.EnableAnswerMachineDetection needs TrafficType CAMPAIGN."
        ),
        (
            #"{"AnswerMachineDetectionConfig":{"EnableAnswerMachineDetection":true},"TrafficType":"GENERAL"}"#,
            "AnswerMachineDetectionConfig.EnableAnswerMachineDetection needs TrafficType CAMPAIGN."
        ),
        (
            #"{"AnswerMachineDetectionConfig":{"EnableAnswerMachineDetection":"yes"}}"#,
            "AnswerMachineDetectionConfig.EnableAnswerMachineDetection must be a boolean, not a string."
        ),
        (#"{"References":{"r":{"Value":"x"}}}"#, "References.r.Type is required."),
        (
            #"{"References":{"r":{"Type":"ATTACHMENT","Value":"x"}}}"#,
            "References.r.Type must be one of URL, NUMBER, STRING, DATE, EMAIL."
        ),
        (
            #"{"References":{"r":{"Type":"DATE","Value":"tomorrow"}}}"#,
            "References.r.Value must be epoch seconds for a DATE reference."
        ),
        (
            #"{"References":{"r":{"Type":"URL","Status":"DONE"}}}"#,
            "References.r.Status must be one of AVAILABLE, DELETED, APPROVED, REJECTED, PROCESSING, FAILED."
        ),
        (
            #"{"References":{"r":{"Type":"URL","Arn":"short"}}}"#,
            "References.r.Arn must be 20 to 256 characters of letters, digits, -, : and /."
        ),
        (#"{"OutboundStrategy":{"Type":"PREVIEW"}}"#, "OutboundStrategy.Type must be AGENT_FIRST."),
        (#"{"OutboundStrategy":{"Config":{}}}"#, "OutboundStrategy.Type is required."),
    ])
    func refusesNamingTheField(changes: String, expected: String) throws {
        let object = try JSONSerialization.jsonObject(with: Data(changes.utf8), options: [.fragmentsAllowed])
        let fields = try #require(object as? [String: Any])
        #expect(Self.validate(fields) == "InvalidParameterException: " + expected)
    }

    @Test func refusesOverlongFields() {
        #expect(
            Self.validate(["ContactFlowId": String(repeating: "f", count: 501)])
                == "InvalidParameterException: ContactFlowId must be at most 500 characters (it has 501)."
        )
        #expect(
            Self.validate(["ClientToken": String(repeating: "t", count: 501)])
                == "InvalidParameterException: ClientToken must be at most 500 characters (it has 501)."
        )
        #expect(
            Self.validate(["Name": String(repeating: "n", count: 1025)])
                == "InvalidParameterException: Name must be at most 1024 characters (it has 1025)."
        )
        #expect(
            Self.validate(["Description": String(repeating: "d", count: 4097)])
                == "InvalidParameterException: Description must be at most 4096 characters (it has 4097)."
        )
        #expect(
            Self.validate(["Attributes": ["big": String(repeating: "x", count: 32_766)]])
                == "InvalidParameterException: Attributes must total at most 32768 bytes of keys and values (they have 32769)."
        )
        #expect(Self.validate(["Attributes": ["big": String(repeating: "x", count: 32_765)]]) == nil)
        #expect(
            Self.validate(["References": ["r": ["Type": "STRING", "Value": String(repeating: "v", count: 4097)]]])
                == "InvalidParameterException: References.r.Value must be at most 4096 characters (it has 4097)."
        )
    }

    @Test func refusesABodyThatIsNotAJSONObject() throws {
        #expect(
            throws: OutboundVoiceContactValidator.Problem(
                errorType: "SerializationException",
                message: "The request body is not valid JSON."
            )
        ) {
            try OutboundVoiceContactValidator.validate(JSONValue.parse(Array("{".utf8)))
        }
        #expect(
            throws: OutboundVoiceContactValidator.Problem(
                errorType: "SerializationException",
                message: "The request body must be a JSON object."
            )
        ) {
            try OutboundVoiceContactValidator.validate(JSONValue.parse(Array("[1]".utf8)))
        }
    }
}
