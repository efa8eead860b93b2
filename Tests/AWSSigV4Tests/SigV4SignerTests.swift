import AWSSigV4
import Foundation
import Testing

/// botocore's own answers for `PUT /contact/outbound-voice` (Resources/sigv4-connect.json).
struct SigV4Vectors: Decodable {
    struct Case: Decodable, CustomTestStringConvertible {
        var name: String
        var region: String
        var host: String
        var amz_date: String
        var session_token: String?
        var body_utf8: String
        var canonical_request: String
        var string_to_sign: String
        var signature: String
        var authorization: String

        var testDescription: String { name }
    }

    var access_key: String
    var secret_key: String
    var cases: [Case]

    static func load() throws -> SigV4Vectors {
        let url = try #require(
            Bundle.module.url(forResource: "sigv4-connect", withExtension: "json", subdirectory: "Resources")
        )
        return try JSONDecoder().decode(SigV4Vectors.self, from: Data(contentsOf: url))
    }

    static let all: [Case] = (try? load().cases) ?? []
}

struct SigV4SignerTests {
    @Test func vectorsFileHasCases() throws {
        #expect(try SigV4Vectors.load().cases.count >= 3)
    }

    @Test(arguments: SigV4Vectors.all)
    func reproducesBotocore(_ vector: SigV4Vectors.Case) throws {
        let file = try SigV4Vectors.load()
        let signer = SigV4Signer(
            credentials: AWSCredentials(
                accessKeyId: file.access_key,
                secretAccessKey: file.secret_key,
                sessionToken: vector.session_token
            ),
            region: vector.region,
            service: "connect"
        )
        let date = try #require(AMZDate.parse(vector.amz_date))
        let signed = signer.sign(
            method: "PUT",
            path: "/contact/outbound-voice",
            host: vector.host,
            headers: [("Content-Type", "application/json")],
            body: Array(vector.body_utf8.utf8),
            date: date
        )
        #expect(signed.canonicalRequest == vector.canonical_request)
        #expect(signed.stringToSign == vector.string_to_sign)
        #expect(signed.signature == vector.signature)
        #expect(signed.authorization == vector.authorization)
        var expectedHeaders = [["x-amz-date", vector.amz_date]]
        if let token = vector.session_token {
            expectedHeaders.append(["x-amz-security-token", token])
        }
        expectedHeaders.append(["authorization", vector.authorization])
        #expect(signed.headers.map { [$0.name, $0.value] } == expectedHeaders)
    }

    @Test func headerValuesAreTrimmedAndRepeatedHeadersJoined() throws {
        let signer = SigV4Signer(
            credentials: AWSCredentials(accessKeyId: "AK", secretAccessKey: "SK"),
            region: "us-east-1",
            service: "connect"
        )
        let signed = signer.sign(
            method: "put",
            path: "/a/./b/../c//d e%2F",
            query: "b=2&a=x y&a=1",
            host: "example.com",
            headers: [("X-Custom", "  one   two\tthree  "), ("x-custom", "second")],
            body: [],
            date: Date(timeIntervalSince1970: 0)
        )
        let lines = signed.canonicalRequest.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines[0] == "PUT")
        #expect(lines[1] == "/a/c/d%20e%252F")
        #expect(lines[2] == "a=1&a=x%20y&b=2")
        #expect(lines[3] == "host:example.com")
        #expect(lines[5] == "x-custom:one two three,second")
        #expect(lines[7] == "host;x-amz-date;x-custom")
        #expect(lines[8] == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
    }

    @Test func descriptionRedactsSecrets() {
        let credentials = AWSCredentials(accessKeyId: "AKIDEXAMPLE", secretAccessKey: "s3cr3t", sessionToken: "tok3n")
        #expect(
            credentials.description
                == "AWSCredentials(accessKeyId: AKIDEXAMPLE, secretAccessKey: <redacted>, sessionToken: <redacted>)"
        )
        #expect(!"\(credentials)".contains("s3cr3t"))
    }
}

struct AMZDateTests {
    @Test func formatsAndParses() throws {
        let date = try #require(AMZDate.parse("20261124T020000Z"))
        #expect(date.timeIntervalSince1970 == 1_795_485_600)
        #expect(AMZDate.format(date) == "20261124T020000Z")
        #expect(AMZDate.format(Date(timeIntervalSince1970: 951_782_399.9)) == "20000228T235959Z")
        #expect(AMZDate.format(Date(timeIntervalSince1970: 951_868_800)) == "20000301T000000Z")
    }

    @Test(arguments: ["20261124T020000", "2026-11-24T02:00:00Z", "20260230T000000Z", "20261124T250000Z", ""])
    func rejectsMalformed(_ text: String) {
        #expect(AMZDate.parse(text) == nil)
    }
}
