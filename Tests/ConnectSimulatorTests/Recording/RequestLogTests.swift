import ConnectSimulator
import Foundation
import Testing

struct RequestLogTests {
    @Test func writesOneNDJSONLinePerRequest() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent(
            "simulator-log-\(UUID().uuidString).ndjson"
        ).path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let text = try await withSimulator(SimulatorConfiguration(logPath: path)) { session in
            _ = try await session.send(SimulatorSession.body(["ClientToken": "od1-a\"b"]))
            _ = try await session.send(SimulatorSession.body(["ClientToken": "od1-a\"b"]))
            _ = try await session.send(SimulatorSession.body(["DestinationPhoneNumber": "12345"]))
            _ = try await session.send(method: "GET", path: "/")
            let text = try String(contentsOfFile: path, encoding: .utf8)
            #expect(text.hasSuffix("\n"))
            #expect(text.split(separator: "\n").count == 4)
            #expect(
                text.split(separator: "\n") == session.simulator.requestLog().map { Substring($0.ndjson().dropLast()) }
            )
            return text
        }
        let lines = text.split(separator: "\n").map { line in
            (try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]) ?? [:]
        }
        #expect(lines.count == 4)
        #expect(
            lines.map { $0.keys.sorted() }.allSatisfy {
                $0 == ["contactId", "destination", "errorType", "newContact", "outcome", "status", "t", "token"]
            }
        )
        #expect(lines[0]["token"] as? String == "od1-a\"b")
        #expect(lines[0]["destination"] as? String == "+15551230001")
        #expect(lines[0]["status"] as? Int == 200)
        #expect(lines[0]["newContact"] as? Bool == true)
        #expect(lines[0]["outcome"] as? String == "dialed")
        #expect(lines[1]["newContact"] as? Bool == false)
        #expect(lines[1]["contactId"] as? String == lines[0]["contactId"] as? String)
        #expect(lines[2]["status"] as? Int == 400)
        #expect(lines[2]["errorType"] as? String == "InvalidParameterException")
        #expect(lines[2]["outcome"] as? String == "rejected")
        #expect(lines[2]["contactId"] is NSNull)
        #expect(lines[3]["status"] as? Int == 404)
        #expect(lines[3]["destination"] is NSNull)
    }

    @Test func newLogIsReadableByItsOwnerOnly() async throws {
        // The log holds full phone numbers: another user on the machine must not read it.
        let path = FileManager.default.temporaryDirectory.appendingPathComponent(
            "simulator-log-\(UUID().uuidString).ndjson"
        ).path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try await withSimulator(SimulatorConfiguration(logPath: path)) { session in
            _ = try await session.send(SimulatorSession.body(["ClientToken": "od1-private"]))
            let text = try String(contentsOfFile: path, encoding: .utf8)
            #expect(text.contains("+15551230001"))
        }
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        let mode = try #require(attributes[.posixPermissions] as? NSNumber).intValue
        #expect(String(mode, radix: 8) == "600")
    }

    @Test func formatsARecord() {
        let record = RequestRecord(
            time: Date(timeIntervalSince1970: 1_795_485_600.25),
            token: "t\n1",
            destination: "+15551230001",
            status: nil,
            errorType: "Hang",
            contactId: nil,
            newContact: false,
            outcome: .rejected
        )
        #expect(
            record.ndjson()
                == #"{"t":"2026-11-24T02:00:00.250Z","token":"t\n1","destination":"+15551230001","status":null,"#
                + #""errorType":"Hang","contactId":null,"newContact":false,"outcome":"rejected"}"# + "\n"
        )
    }
}
