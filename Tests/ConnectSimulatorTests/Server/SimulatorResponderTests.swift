import AWSSigV4
import ConnectSimulator
import Foundation
import Testing

struct SimulatorResponderTests {
    @Test func answersAContactWithAWSHeaders() async throws {
        try await withSimulator { session in
            let answer = try await session.send()
            #expect(answer.status == 200)
            #expect(answer.headers["content-type"] == "application/json")
            #expect(answer.headers["x-amzn-requestid"]?.count == 36)
            #expect(answer.errorType == nil)
            let contactId = try #require(answer.contactId)
            #expect(UUID(uuidString: contactId) != nil)
            #expect(answer.body == #"{"ContactId":"\#(contactId)"}"#)
        }
    }

    @Test func generatesCredentialsAndPrintsThem() async throws {
        try await withSimulator { session in
            let simulator = session.simulator
            #expect(simulator.credentials.accessKeyId.hasPrefix("AKID"))
            #expect(simulator.credentials.accessKeyId.count == 20)
            #expect(simulator.credentials.secretAccessKey.count == 40)
            #expect(simulator.url == "http://127.0.0.1:\(simulator.port)")
            #expect(simulator.port > 0)
            #expect(
                simulator.listeningLine
                    == "listening on \(simulator.url) region=us-east-1 access-key=\(simulator.credentials.accessKeyId) "
                    + "secret-key=\(simulator.credentials.secretAccessKey)"
            )
        }
    }

    @Test(arguments: [
        ("GET", "/contact/outbound-voice"), ("PUT", "/contact/inbound-voice"), ("POST", "/"), ("GET", "/contact/stop"),
        ("POST", "/contacts/i/c"), ("GET", "/contacts/i"), ("GET", "/metrics/current/i"),
    ])
    func answersUnknownOperations(method: String, path: String) async throws {
        try await withSimulator { session in
            let answer = try await session.send(method: method, path: path)
            #expect(answer.status == 404)
            #expect(answer.errorType == "UnknownOperationException")
            #expect(answer.message == "Unknown operation: \(method) \(path)")
        }
    }

    @Test func refusesAMissingSignature() async throws {
        try await withSimulator { session in
            let answer = try await session.send(signed: false)
            #expect(answer.status == 403)
            #expect(answer.errorType == "MissingAuthenticationTokenException")
            #expect(answer.message == "Missing Authentication Token")
        }
    }

    @Test func refusesAnUnknownKey() async throws {
        try await withSimulator { session in
            let stranger = AWSCredentials(accessKeyId: "AKIDSTRANGER", secretAccessKey: "secret")
            let answer = try await session.send(credentials: stranger)
            #expect(answer.status == 403)
            #expect(answer.errorType == "UnrecognizedClientException")
            #expect(answer.message == "The security token included in the request is invalid.")
        }
    }

    @Test func refusesABadSignature() async throws {
        try await withSimulator { session in
            var wrong = session.simulator.credentials
            wrong.secretAccessKey += "x"
            let answer = try await session.send(credentials: wrong)
            #expect(answer.status == 403)
            #expect(answer.errorType == "InvalidSignatureException")
            #expect(answer.message?.hasPrefix("The request signature we calculated does not match") == true)
        }
    }

    @Test func refusesAnotherRegion() async throws {
        try await withSimulator { session in
            let answer = try await session.send(region: "eu-west-2")
            #expect(answer.status == 403)
            #expect(answer.errorType == "InvalidSignatureException")
            #expect(answer.message == "Credential should be scoped to a valid region, not 'eu-west-2'.")
        }
    }

    @Test func refusesAnExpiredSignature() async throws {
        try await withSimulator { session in
            let answer = try await session.send(signedAt: session.clock.now.addingTimeInterval(-301))
            #expect(answer.status == 403)
            #expect(answer.errorType == "InvalidSignatureException")
            #expect(answer.message?.hasPrefix("Signature expired: ") == true)
            // Four minutes of skew are fine.
            #expect(try await session.send(signedAt: session.clock.now.addingTimeInterval(-240)).status == 200)
        }
    }

    @Test func requiresTheConfiguredSessionToken() async throws {
        try await withSimulator(
            SimulatorConfiguration(accessKey: "AKIDTEST", secretKey: "secret", sessionToken: "TOKEN")
        ) { session in
            #expect(session.simulator.credentials.sessionToken == "TOKEN")
            #expect(try await session.send().status == 200)
            let withoutToken = AWSCredentials(accessKeyId: "AKIDTEST", secretAccessKey: "secret")
            let answer = try await session.send(credentials: withoutToken)
            #expect(answer.status == 403)
            #expect(answer.errorType == "UnrecognizedClientException")
        }
    }

    @Test func refusesAnInvalidBodyNamingTheField() async throws {
        try await withSimulator { session in
            let answer = try await session.send(SimulatorSession.body(["RingTimeoutInSeconds": 5]))
            #expect(answer.status == 400)
            #expect(answer.errorType == "InvalidParameterException")
            #expect(answer.message == "RingTimeoutInSeconds must be from 15 to 60.")
            let missing = try await session.send(SimulatorSession.body(["InstanceId": NSNull()]))
            #expect(missing.status == 400)
            #expect(missing.message == "InstanceId is required.")
            let notJSON = try await session.send(Array("{not json".utf8))
            #expect(notJSON.status == 400)
            #expect(notJSON.errorType == "SerializationException")
        }
    }

    @Test func appliesAFixedLatency() async throws {
        try await withSimulator(SimulatorConfiguration(latency: .fixed(milliseconds: 150))) { session in
            let start = ContinuousClock.now
            let answer = try await session.send()
            let elapsed = ContinuousClock.now - start
            #expect(answer.status == 200)
            #expect(elapsed >= .milliseconds(150))
        }
    }
}
