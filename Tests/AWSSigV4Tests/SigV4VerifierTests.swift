import AWSSigV4
import Foundation
import Testing

struct SigV4VerifierTests {
    static let credentials = AWSCredentials(
        accessKeyId: "AKIDEXAMPLE",
        secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
    )
    static let signedAt = Date(timeIntervalSince1970: 1_795_485_600)  // 20261124T020000Z
    static let body = Array(#"{"DestinationPhoneNumber":"+15551230001"}"#.utf8)

    /// The request as a server receives it: the client's headers plus the signer's.
    static func request(
        credentials: AWSCredentials = credentials,
        region: String = "us-east-1",
        service: String = "connect",
        body: [UInt8] = body
    ) -> [(name: String, value: String)] {
        let signed = SigV4Signer(credentials: credentials, region: region, service: service).sign(
            method: "PUT",
            path: "/contact/outbound-voice",
            host: "127.0.0.1:8080",
            headers: [("Content-Type", "application/json")],
            body: body,
            date: signedAt
        )
        return [("Host", "127.0.0.1:8080"), ("Content-Type", "application/json"), ("Content-Length", "\(body.count)")]
            + signed.headers
    }

    static func verify(
        _ headers: [(name: String, value: String)],
        body: [UInt8] = body,
        known: [AWSCredentials] = [credentials],
        now: Date = signedAt
    ) throws(SigV4VerificationError) -> AWSCredentials {
        try SigV4Verifier(region: "us-east-1", service: "connect", credentials: known).verify(
            method: "PUT",
            path: "/contact/outbound-voice",
            headers: headers,
            body: body,
            now: now
        )
    }

    @Test func acceptsAGoodSignature() throws {
        #expect(try Self.verify(Self.request()).accessKeyId == "AKIDEXAMPLE")
        // Within the five minutes of skew allowed either way.
        #expect(throws: Never.self) { try Self.verify(Self.request(), now: Self.signedAt.addingTimeInterval(299)) }
        #expect(throws: Never.self) { try Self.verify(Self.request(), now: Self.signedAt.addingTimeInterval(-299)) }
    }

    @Test func refusesAWrongSecret() {
        var wrong = Self.credentials
        wrong.secretAccessKey = "not-the-secret"
        let error = #expect(throws: SigV4VerificationError.self) { try Self.verify(Self.request(credentials: wrong)) }
        #expect(error == .invalidSignature)
        #expect(error?.awsErrorType == "InvalidSignatureException")
        #expect(error?.httpStatus == 403)
        #expect(error?.message.hasPrefix("The request signature we calculated does not match") == true)
    }

    @Test func refusesAnUnknownKey() {
        let stranger = AWSCredentials(accessKeyId: "AKIDSTRANGER", secretAccessKey: "x")
        let error = #expect(throws: SigV4VerificationError.self) {
            try Self.verify(Self.request(credentials: stranger))
        }
        #expect(error == .unrecognizedClient)
        #expect(error?.awsErrorType == "UnrecognizedClientException")
    }

    @Test func refusesAnotherRegionOrService() {
        let region = #expect(throws: SigV4VerificationError.self) { try Self.verify(Self.request(region: "eu-west-2")) }
        #expect(region == .invalidSignature)
        #expect(region?.message == "Credential should be scoped to a valid region, not 'eu-west-2'.")
        let service = #expect(throws: SigV4VerificationError.self) { try Self.verify(Self.request(service: "s3")) }
        #expect(service == .invalidSignature)
        #expect(service?.message == "Credential should be scoped to correct service: 'connect'.")
    }

    @Test func refusesAnExpiredOrFutureSignature() {
        let late = #expect(throws: SigV4VerificationError.self) {
            try Self.verify(Self.request(), now: Self.signedAt.addingTimeInterval(301))
        }
        #expect(late == .signatureExpired)
        #expect(late?.awsErrorType == "InvalidSignatureException")
        #expect(
            late?.message
                == "Signature expired: 20261124T020000Z is now earlier than 20261124T020001Z (20261124T020501Z - 5 min.)"
        )
        let early = #expect(throws: SigV4VerificationError.self) {
            try Self.verify(Self.request(), now: Self.signedAt.addingTimeInterval(-301))
        }
        #expect(early == .signatureExpired)
        #expect(early?.message.hasPrefix("Signature not yet current: 20261124T020000Z is still later than") == true)
    }

    @Test func refusesATamperedBodyOrHeader() {
        let tampered = Array(#"{"DestinationPhoneNumber":"+15551230002"}"#.utf8)
        let body = #expect(throws: SigV4VerificationError.self) { try Self.verify(Self.request(), body: tampered) }
        #expect(body == .invalidSignature)
        let headers = Self.request().map { $0.name == "Content-Type" ? ($0.name, "text/plain") : $0 }
        #expect(throws: SigV4VerificationError.invalidSignature) { try Self.verify(headers) }
    }

    @Test func refusesAMissingOrMalformedAuthorization() {
        let none = Self.request().filter { $0.name != "authorization" }
        let missing = #expect(throws: SigV4VerificationError.self) { try Self.verify(none) }
        #expect(missing == .missingAuthentication)
        #expect(missing?.awsErrorType == "MissingAuthenticationTokenException")
        #expect(missing?.message == "Missing Authentication Token")

        let garbled = Self.request().map {
            $0.name == "authorization" ? ($0.name, "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE") : $0
        }
        let incomplete = #expect(throws: SigV4VerificationError.self) { try Self.verify(garbled) }
        #expect(incomplete == .incompleteSignature)
        #expect(incomplete?.httpStatus == 400)
    }

    @Test func requiresTheSessionTokenOfTemporaryCredentials() throws {
        var temporary = Self.credentials
        temporary.sessionToken = "TOKEN"
        #expect(try Self.verify(Self.request(credentials: temporary), known: [temporary]).sessionToken == "TOKEN")
        // Signed without the token the verifier knows.
        #expect(throws: SigV4VerificationError.unrecognizedClient) {
            try Self.verify(Self.request(), known: [temporary])
        }
        var other = temporary
        other.sessionToken = "OTHER"
        #expect(throws: SigV4VerificationError.unrecognizedClient) {
            try Self.verify(Self.request(credentials: other), known: [temporary])
        }
    }
}
