import Foundation
import Testing

/// Requests as botocore would make them: the body passes botocore's `ParamValidator` for
/// StartOutboundVoiceContact and the Authorization header equals the one botocore's `SigV4Auth`
/// computes for the same request (Resources/botocore_endpoint.py).
@Suite struct BotocoreCrossCheckTests {
    static let job = """
        version: 1
        id: botocore-cross-check
        window: off   # the requests are the subject here, not the hour they are sent at
        defaults:
          InstanceId: 12345678-1234-1234-1234-123456789012
          ContactFlowId: 846ec553-a005-41c0-8341-123456789012
          SourcePhoneNumber: "+15550100100"
          TrafficType: CAMPAIGN
          Attributes:
            greeting: "Grüß Gott — こんにちは 👋"
            quote: "she said \\"hi\\"\\nnext line"
        contacts:
          - DestinationPhoneNumber: "+15551230001"
            Name: "Zoë Ünal"
            Description: "Rückruf wegen Termin"
            RingTimeoutInSeconds: 45
            References:
              booking: {Type: URL, Value: "https://example.com/bookings/1?a=b&c=d e"}
              when: {Type: DATE, Value: "1764064800"}
            AnswerMachineDetectionConfig:
              EnableAnswerMachineDetection: true
              AwaitAnswerMachinePrompt: false
          - DestinationPhoneNumber: "+442071838750"
            SourcePhoneNumber: null
            QueueId: 3c1d5e2a-0000-4000-8000-000000000006
            OutboundStrategy:
              Type: AGENT_FIRST
              Config:
                AgentFirst:
                  Preview:
                    PostAcceptTimeoutConfig: {DurationInSeconds: 30}
                    AllowedUserActions: [CALL, DISCARD]
          - DestinationPhoneNumber: "+15551230003"
            Attributes: {emoji: "🎉✓", empty: ""}
            RingTimeoutInSeconds: 15
          - DestinationPhoneNumber: "+15551230004"
            TrafficType: GENERAL
            CampaignId: 7d7ad4e0-0f6c-4a4b-9a0e-000000000004
            RelatedContactId: 0f6c7d7a-d4e0-4a4b-9a0e-000000000005

        """

    static let secret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
    static let token = "IQoJb3JpZ2luX2VjEHcaCXVzLWVhc3QtMSJHMEUCIQD+/=example"

    @Test func everyRequestIsOneBotocoreWouldMake() async throws {
        let dir = try TemporaryDirectory()
        let job = try dir.write("job.yaml", Self.job)
        let endpoint = try await BotocoreEndpoint.start(
            accessKey: "AKIDBOTOCOREEXAMPLE",
            secretKey: Self.secret,
            sessionToken: Self.token,
            logPath: dir.path("verdicts.ndjson")
        )

        let result = try await Outdial.run(
            [
                "run", job, "--state-dir", dir.path("state"), "--rate", "0", "--endpoint-url", endpoint.url,
                "--region", "us-east-1",
            ],
            environment: [
                "AWS_ACCESS_KEY_ID": "AKIDBOTOCOREEXAMPLE", "AWS_SECRET_ACCESS_KEY": Self.secret,
                "AWS_SESSION_TOKEN": Self.token,
            ]
        )
        await endpoint.stop()

        let verdicts = endpoint.verdicts()
        #expect(result.status == 0, "\(result.stdout)\n\(verdicts)")
        let lines = ndjson(result.stdout)
        #expect(lines.count == 4)
        #expect(lines.allSatisfy { $0.status == "started" && $0.attempts == 1 })
        #expect(verdicts.count == 4)
        for verdict in verdicts {
            #expect(verdict["params"] as? String == "ok")
            #expect(verdict["signature"] as? String == "ok")
            #expect((verdict["problems"] as? [Any])?.isEmpty == true, "\(verdict)")
        }
        #expect(
            Set(verdicts.compactMap { $0["clientToken"] as? String })
                == Set(lines.compactMap { $0["clientToken"] as? String })
        )
    }

    @Test func aWrongSecretIsCaughtByTheCrossCheck() async throws {
        let dir = try TemporaryDirectory()
        let job = try dir.write("job.yaml", Self.job)
        let endpoint = try await BotocoreEndpoint.start(
            accessKey: "AKIDBOTOCOREEXAMPLE",
            secretKey: Self.secret,
            sessionToken: nil,
            logPath: dir.path("verdicts.ndjson")
        )

        let result = try await Outdial.run(
            [
                "run", job, "--state-dir", dir.path("state"), "--concurrency", "1", "--endpoint-url", endpoint.url,
                "--region", "us-east-1",
            ],
            environment: ["AWS_ACCESS_KEY_ID": "AKIDBOTOCOREEXAMPLE", "AWS_SECRET_ACCESS_KEY": "not-the-secret"]
        )
        await endpoint.stop()

        #expect(result.status == 3)
        let verdicts = endpoint.verdicts()
        #expect(verdicts.count == 1)
        #expect(verdicts.first?["signature"] as? String == "mismatch")
        #expect(verdicts.first?["params"] as? String == "ok")
        #expect(ndjson(result.stdout).first { $0.status == "failed" }?.errorCode == "InvalidSignatureException")
    }
}
