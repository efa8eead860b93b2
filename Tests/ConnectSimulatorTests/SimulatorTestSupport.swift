import AWSSigV4
import AsyncHTTPClient
import ConnectSimulator
import Foundation
import Logging
import NIOCore
import Testing

/// An answer as a client sees it.
struct Answer: Sendable {
    var status: Int
    var headers: [String: String]
    var body: String

    var errorType: String? { headers["x-amzn-errortype"] }

    /// The decoded JSON body.
    var json: [String: String] {
        guard let object = try? JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any] else {
            return [:]
        }
        return object.compactMapValues { $0 as? String }
    }

    /// The whole decoded JSON body, nested members included.
    var object: [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any]) ?? [:]
    }

    /// DescribeContact's `Contact`.
    var contact: [String: Any] { object["Contact"] as? [String: Any] ?? [:] }

    var contactId: String? { json["ContactId"] }
    var message: String? { json["message"] }
}

/// A started simulator and a client for it.
struct SimulatorSession: Sendable {
    let simulator: RunningSimulator
    let client: HTTPClient
    let clock: ManualClock

    static var validBody: [String: Any] {
        [
            "DestinationPhoneNumber": "+15551230001",
            "ContactFlowId": "846ec553-a005-41c0-8341-123456789012",
            "InstanceId": "12345678-1234-1234-1234-123456789012",
            "SourcePhoneNumber": "+15550100100",
        ]
    }

    /// A body: the valid one with `changes` applied (`NSNull()` removes a field).
    static func body(_ changes: [String: Any] = [:]) -> [UInt8] {
        var fields = validBody
        for (key, value) in changes {
            fields[key] = value is NSNull ? nil : value
        }
        let data = (try? JSONSerialization.data(withJSONObject: fields, options: [.sortedKeys])) ?? Data()
        return Array(data)
    }

    /// Sends a request signed by the simulator's credentials (or `credentials`) at the clock's
    /// time (or `signedAt`).
    func send(
        _ body: [UInt8] = SimulatorSession.body(),
        method: String = "PUT",
        path: String = "/contact/outbound-voice",
        credentials: AWSCredentials? = nil,
        region: String? = nil,
        signedAt: Date? = nil,
        signed: Bool = true,
        timeout: TimeAmount = .seconds(10)
    ) async throws -> Answer {
        var request = HTTPClientRequest(url: simulator.url + path)
        request.method = .init(rawValue: method)
        request.headers.add(name: "Content-Type", value: "application/json")
        if signed {
            let signer = SigV4Signer(
                credentials: credentials ?? simulator.credentials,
                region: region ?? simulator.region,
                service: "connect"
            )
            let signature = signer.sign(
                method: method,
                path: path,
                host: "127.0.0.1:\(simulator.port)",
                headers: [("content-type", "application/json")],
                body: body,
                date: signedAt ?? clock.now
            )
            for header in signature.headers {
                request.headers.add(name: header.name, value: header.value)
            }
        }
        request.body = .bytes(body)
        let response = try await client.execute(request, timeout: timeout)
        let bytes = try await response.body.collect(upTo: 1 << 20)
        var headers: [String: String] = [:]
        for header in response.headers {
            headers[header.name.lowercased()] = header.value
        }
        return Answer(status: Int(response.status.code), headers: headers, body: String(buffer: bytes))
    }
}

extension SimulatorSession {
    static let instanceId = "12345678-1234-1234-1234-123456789012"

    /// DescribeContact for `contactId`.
    func describe(_ contactId: String, instanceId: String = SimulatorSession.instanceId) async throws -> Answer {
        try await send([], method: "GET", path: "/contacts/\(instanceId)/\(contactId)")
    }

    /// StopContact for `contactId`.
    func stop(_ contactId: String, instanceId: String = SimulatorSession.instanceId) async throws -> Answer {
        let body = ["ContactId": contactId, "InstanceId": instanceId]
        return try await send(Self.json(body), method: "POST", path: "/contact/stop")
    }

    /// GetCurrentMetricData with `body` (by default AGENTS_AVAILABLE of `queues`, grouped by queue).
    func currentMetrics(queues: [String] = ["sales"], body: [String: Any]? = nil) async throws -> Answer {
        let query: [String: Any] =
            body ?? [
                "Filters": ["Queues": queues, "Channels": ["VOICE"]],
                "CurrentMetrics": [["Name": "AGENTS_AVAILABLE", "Unit": "COUNT"]],
                "Groupings": ["QUEUE"],
            ]
        return try await send(Self.json(query), method: "POST", path: "/metrics/current/\(Self.instanceId)")
    }

    static func json(_ value: [String: Any]) -> [UInt8] {
        Array((try? JSONSerialization.data(withJSONObject: value, options: [.sortedKeys])) ?? Data())
    }
}

/// Starts a simulator on a free port with a manual clock, runs `body`, and shuts both down.
func withSimulator<T: Sendable>(
    _ configuration: SimulatorConfiguration = SimulatorConfiguration(),
    _ body: (SimulatorSession) async throws -> T
) async throws -> T {
    let clock = ManualClock(Date())
    let simulator = try await ConnectSimulator.start(
        configuration,
        logger: Logger(label: "connect-simulator-tests"),
        clock: .manual(clock)
    )
    var clientConfiguration = HTTPClient.Configuration()
    clientConfiguration.connectionPool = .init(
        idleTimeout: .seconds(30),
        concurrentHTTP1ConnectionsPerHostSoftLimit: 64
    )
    do {
        let result = try await HTTPClient.withHTTPClient(configuration: clientConfiguration) { client in
            try await body(SimulatorSession(simulator: simulator, client: client, clock: clock))
        }
        try await simulator.shutdown()
        return result
    } catch {
        try? await simulator.shutdown()
        throw error
    }
}
