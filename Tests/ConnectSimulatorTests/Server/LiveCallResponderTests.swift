import AWSSigV4
import Foundation
import Testing

@testable import ConnectSimulator

/// DescribeContact, StopContact and GetCurrentMetricData over HTTP, as a client sees them.
struct LiveCallResponderTests {
    static func configuration(agents: [String: Int] = [:]) -> SimulatorConfiguration {
        SimulatorConfiguration(callSeconds: 10, ringSeconds: .fixed(3), outcomes: .allAnswered, agents: agents)
    }

    @Test func describeContactFollowsTheCallFromRingingToItsEnd() async throws {
        try await withSimulator(Self.configuration(agents: ["sales": 1])) { session in
            let started = session.clock.now.timeIntervalSince1970
            let contactId = try #require(try await session.send(SimulatorSession.body(["QueueId": "sales"])).contactId)
            let ringing = try await session.describe(contactId)
            #expect(ringing.status == 200)
            #expect(ringing.headers["content-type"] == "application/json")
            let contact = ringing.contact
            #expect(contact["Id"] as? String == contactId)
            #expect(contact["InitiationMethod"] as? String == "API")
            #expect(contact["Channel"] as? String == "VOICE")
            #expect(abs((contact["InitiationTimestamp"] as? Double ?? 0) - started) < 0.001)
            #expect(contact["ConnectedToSystemTimestamp"] == nil)
            #expect(contact["DisconnectTimestamp"] == nil)
            #expect((contact["QueueInfo"] as? [String: Any])?["Id"] as? String == "sales")
            #expect((contact["CustomerEndpoint"] as? [String: Any])?["Address"] as? String == "+15551230001")

            session.clock.advance(by: 3)
            let connected = try await session.describe(contactId).contact
            #expect(abs((connected["ConnectedToSystemTimestamp"] as? Double ?? 0) - (started + 3)) < 0.001)
            #expect((connected["AgentInfo"] as? [String: Any])?["ConnectedToAgentTimestamp"] != nil)
            #expect(connected["DisconnectTimestamp"] == nil)

            session.clock.advance(by: 10)
            let ended = try await session.describe(contactId).contact
            #expect(abs((ended["DisconnectTimestamp"] as? Double ?? 0) - (started + 13)) < 0.001)
            #expect(ended["DisconnectReason"] as? String == "CUSTOMER_DISCONNECT")
            #expect(ended["AnsweringMachineDetectionStatus"] == nil)

            let log = session.simulator.operationLog()
            #expect(log.map(\.operation) == [.describeContact, .describeContact, .describeContact])
            #expect(log.allSatisfy { $0.contactId == contactId && $0.status == 200 && $0.errorType == nil })
            #expect(
                session.simulator.endedContacts().map(\.outcome) == [.answered]
            )
        }
    }

    @Test func describeContactShowsAnsweringMachineDetectionForACampaignCall() async throws {
        let configuration = SimulatorConfiguration(
            callSeconds: 10,
            ringSeconds: .fixed(3),
            outcomes: try .init([.voicemail: 1])
        )
        try await withSimulator(configuration) { session in
            let body = SimulatorSession.body([
                "TrafficType": "CAMPAIGN",
                "AnswerMachineDetectionConfig": ["EnableAnswerMachineDetection": true],
            ])
            let contactId = try #require(try await session.send(body).contactId)
            #expect(try await session.describe(contactId).contact["AnsweringMachineDetectionStatus"] == nil)
            session.clock.advance(by: 13)
            let ended = try await session.describe(contactId).contact
            #expect(ended["AnsweringMachineDetectionStatus"] as? String == "VOICEMAIL_BEEP")
            #expect(ended["DisconnectReason"] as? String == "CONTACT_FLOW_DISCONNECT")
        }
    }

    @Test func describeContactAnswersNotFoundForAnUnknownContactOrInstance() async throws {
        try await withSimulator(Self.configuration()) { session in
            let contactId = try #require(try await session.send().contactId)
            for answer in [
                try await session.describe("11111111-2222-4333-8444-555555555555"),
                try await session.describe(contactId, instanceId: "another-instance"),
            ] {
                #expect(answer.status == 404)
                #expect(answer.errorType == "ResourceNotFoundException")
            }
            #expect(session.simulator.operationLog().map(\.status) == [404, 404])
        }
    }

    @Test func stopContactEndsTheCallOnce() async throws {
        try await withSimulator(Self.configuration()) { session in
            let contactId = try #require(try await session.send().contactId)
            session.clock.advance(by: 5)
            let stopped = try await session.stop(contactId)
            #expect(stopped.status == 200)
            #expect(stopped.body == "{}")
            let ended = try await session.describe(contactId).contact
            #expect(ended["DisconnectReason"] as? String == "API")
            #expect(ended["DisconnectTimestamp"] != nil)
            let again = try await session.stop(contactId)
            #expect(again.status == 410)
            #expect(again.errorType == "ContactNotFoundException")
            #expect(try await session.stop("unknown").errorType == "ContactNotFoundException")
            #expect(session.simulator.activeCalls() == 0)
            let ending = try #require(session.simulator.endedContacts().first)
            #expect(ending.contactId == contactId)
            #expect(ending.stoppedBy == "StopContact")
            #expect(ending.seconds == 5)
            #expect(
                session.simulator.operationLog().map(\.operation) == [
                    .stopContact, .describeContact, .stopContact, .stopContact,
                ]
            )
            #expect(session.simulator.operationLog().first?.contactId == contactId)
        }
    }

    @Test func stopContactRefusesABodyWithoutItsRequiredMembers() async throws {
        try await withSimulator(Self.configuration()) { session in
            let answer = try await session.send(
                SimulatorSession.json(["ContactId": "c"]),
                method: "POST",
                path: "/contact/stop"
            )
            #expect(answer.status == 400)
            #expect(answer.errorType == "InvalidParameterException")
            #expect(answer.message == "InstanceId is required.")
        }
    }

    @Test func getCurrentMetricDataCountsTheAgentsOfEachQueue() async throws {
        try await withSimulator(Self.configuration(agents: ["sales": 2, "support": 1])) { session in
            _ = try await session.send(SimulatorSession.body(["QueueId": "sales"]))
            session.clock.advance(by: 3)
            let answer = try await session.currentMetrics(queues: ["sales", "support", "unknown"])
            #expect(answer.status == 200)
            let results = try #require(answer.object["MetricResults"] as? [[String: Any]])
            let values = results.map { result -> [String: Double] in
                let queue = ((result["Dimensions"] as? [String: Any])?["Queue"] as? [String: Any])?["Id"] as? String
                let collection = (result["Collections"] as? [[String: Any]])?.first
                #expect((collection?["Metric"] as? [String: Any])?["Name"] as? String == "AGENTS_AVAILABLE")
                #expect((collection?["Metric"] as? [String: Any])?["Unit"] as? String == "COUNT")
                return [queue ?? "-": collection?["Value"] as? Double ?? -1]
            }
            #expect(values == [["sales": 1], ["support": 1]])
            #expect(answer.object["DataSnapshotTime"] is Double)

            session.clock.advance(by: 10)
            let total = try await session.currentMetrics(
                body: [
                    "Filters": ["Queues": ["sales", "support"], "Channels": ["VOICE"]],
                    "CurrentMetrics": [["Name": "AGENTS_AVAILABLE", "Unit": "COUNT"], ["Name": "AGENTS_ON_CALL"]],
                ]
            )
            let aggregate = try #require((total.object["MetricResults"] as? [[String: Any]])?.first)
            #expect((aggregate["Collections"] as? [[String: Any]])?.compactMap { $0["Value"] as? Double } == [3, 0])
        }
    }

    @Test func getCurrentMetricDataTakesQueueARNsAndGroupsByChannel() async throws {
        try await withSimulator(Self.configuration(agents: ["sales": 4])) { session in
            let arn = "arn:aws:connect:us-east-1:123456789012:instance/\(SimulatorSession.instanceId)/queue/sales"
            let answer = try await session.currentMetrics(
                body: [
                    "Filters": ["Queues": [arn], "Channels": ["VOICE"]],
                    "CurrentMetrics": [["Name": "AGENTS_ONLINE", "Unit": "COUNT"]],
                    "Groupings": ["QUEUE", "CHANNEL"],
                ]
            )
            #expect(answer.status == 200)
            let result = try #require((answer.object["MetricResults"] as? [[String: Any]])?.first)
            let dimensions = try #require(result["Dimensions"] as? [String: Any])
            #expect((dimensions["Queue"] as? [String: Any])?["Id"] as? String == "sales")
            #expect((dimensions["Queue"] as? [String: Any])?["Arn"] as? String == arn)
            #expect(dimensions["Channel"] as? String == "VOICE")
            #expect((result["Collections"] as? [[String: Any]])?.first?["Value"] as? Double == 4)
            #expect(answer.object["ApproximateTotalCount"] as? Int == 1)
        }
    }

    @Test(arguments: [
        (#"{"CurrentMetrics":[{"Name":"AGENTS_AVAILABLE"}]}"#, "Filters is required."),
        (
            #"{"Filters":{"Queues":["q"]},"CurrentMetrics":[{"Name":"CONTACTS_IN_QUEUE"}]}"#,
            "CurrentMetrics: CONTACTS_IN_QUEUE is not simulated"
        ),
        (#"{"Filters":{"Queues":["q"]},"CurrentMetrics":[{"Name":"NOPE"}]}"#, "CurrentMetrics: Name must be"),
        (#"{"Filters":{"Queues":["q"]}}"#, "CurrentMetrics is required."),
        (
            #"{"Filters":{"Queues":["q"]},"CurrentMetrics":[{"Name":"AGENTS_AVAILABLE"}],"Groupings":["AGENT_STATUS"]}"#,
            "Groupings: AGENT_STATUS is not simulated"
        ),
    ])
    func getCurrentMetricDataRefusesWhatItCannotAnswer(body: String, message: String) async throws {
        try await withSimulator(Self.configuration()) { session in
            let path = "/metrics/current/\(SimulatorSession.instanceId)"
            let answer = try await session.send(Array(body.utf8), method: "POST", path: path)
            #expect(answer.status == 400)
            #expect(answer.errorType == "InvalidParameterException")
            #expect(answer.message?.hasPrefix(message) == true, "\(answer.message ?? "")")
        }
    }

    @Test func eachOperationHasItsOwnQuota() async throws {
        var configuration = Self.configuration()
        configuration.operationQuotas[.stopContact] = .init(tps: 1, burst: 2)
        try await withSimulator(configuration) { session in
            let contactId = try #require(try await session.send().contactId)
            var statuses: [Int] = []
            for _ in 0 ..< 16 {
                statuses.append(try await session.describe(contactId).status)
            }
            #expect(statuses == Array(repeating: 200, count: 15) + [429])
            let throttled = try await session.describe(contactId)
            #expect(throttled.errorType == "ThrottlingException")
            #expect(throttled.message == "Rate exceeded")
            // StopContact's bucket is its own: two then refused, whatever DescribeContact used.
            let stops = [
                try await session.stop("a").status, try await session.stop("b").status,
                try await session.stop("c").status,
            ]
            #expect(stops == [410, 410, 429])
            session.clock.advance(by: 0.1)
            #expect(try await session.describe(contactId).status == 200)
        }
    }

    @Test func theLiveCallOperationsVerifyTheSignature() async throws {
        try await withSimulator(Self.configuration()) { session in
            var wrong = session.simulator.credentials
            wrong.secretAccessKey += "x"
            let describe = try await session.send([], method: "GET", path: "/contacts/i/c", credentials: wrong)
            #expect(describe.status == 403)
            #expect(describe.errorType == "InvalidSignatureException")
            let stop = try await session.send(
                SimulatorSession.json(["ContactId": "c", "InstanceId": "i"]),
                method: "POST",
                path: "/contact/stop",
                signed: false
            )
            #expect(stop.status == 403)
            #expect(stop.errorType == "MissingAuthenticationTokenException")
            #expect(session.simulator.operationLog().map(\.status) == [403, 403])
        }
    }

    @Test func theLogHasALinePerOperationAndPerEnding() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent(
            "simulator-live-\(UUID().uuidString).ndjson"
        ).path
        defer { try? FileManager.default.removeItem(atPath: path) }
        var configuration = Self.configuration()
        configuration.logPath = path
        try await withSimulator(configuration) { session in
            let contactId = try #require(try await session.send().contactId)
            session.clock.advance(by: 2)
            _ = try await session.stop(contactId)
            let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").map(String.init)
            let time = RequestRecord.timestamp(session.clock.now)
            #expect(lines.count == 3)
            #expect(
                Array(lines.dropFirst())
                    == [
                        #"{"t":"\#(time)","event":"ended","contactId":"\#(contactId)","outcome":"answered","seconds":2,"#
                            + #""stoppedBy":"StopContact"}"#,
                        #"{"t":"\#(time)","operation":"StopContact","contactId":"\#(contactId)","status":200,"#
                            + #""errorType":null}"#,
                    ]
            )
        }
    }
}
