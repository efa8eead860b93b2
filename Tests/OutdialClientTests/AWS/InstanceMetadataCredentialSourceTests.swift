import AWSSigV4
import AsyncHTTPClient
import OutdialClient
import Testing

struct InstanceMetadataCredentialSourceTests {
    private static func reply(_ request: ReceivedRequest) -> StandInReply {
        switch (request.method, request.path) {
        case ("PUT", "/latest/api/token"):
            return StandInReply(status: 200, body: "imds-session-token")
        case ("GET", _) where request.header("x-aws-ec2-metadata-token") != "imds-session-token":
            return StandInReply(status: 401)
        case ("GET", "/latest/meta-data/iam/security-credentials/"):
            return StandInReply(status: 200, body: "web-role\n")
        case ("GET", "/latest/meta-data/iam/security-credentials/web-role"):
            return StandInReply(
                status: 200,
                body: """
                    {"Code": "Success", "Type": "AWS-HMAC", "AccessKeyId": "AKIDEC2", "SecretAccessKey": "ec2-secret",
                     "Token": "ec2-token", "Expiration": "2026-11-25T03:04:05Z"}
                    """
            )
        default:
            return StandInReply(status: 404)
        }
    }

    @Test func tokenFirstThenRoleThenCredentials() async throws {
        try await withStandInServer(reply: Self.reply) { base, received in
            let environment = AWSEnvironment(
                variables: ["AWS_EC2_METADATA_SERVICE_ENDPOINT": base + "/"],
                homeDirectory: "/"
            )
            let found = try await InstanceMetadataCredentialSource(
                environment: environment,
                httpClient: .shared,
                timeout: .seconds(30)
            ).load()
            #expect(found?.accessKeyId == "AKIDEC2")
            #expect(found?.sessionToken == "ec2-token")
            let requests = await received.all
            #expect(
                requests.map { "\($0.method) \($0.path)" } == [
                    "PUT /latest/api/token",
                    "GET /latest/meta-data/iam/security-credentials/",
                    "GET /latest/meta-data/iam/security-credentials/web-role",
                ]
            )
            #expect(requests.first?.header("x-aws-ec2-metadata-token-ttl-seconds") == "21600")
            #expect(requests.dropFirst().allSatisfy { $0.header("x-aws-ec2-metadata-token") == "imds-session-token" })
        }
    }

    @Test func disabledSendsNothing() async throws {
        try await withStandInServer(reply: Self.reply) { base, received in
            let environment = AWSEnvironment(
                variables: ["AWS_EC2_METADATA_SERVICE_ENDPOINT": base, "AWS_EC2_METADATA_DISABLED": "TRUE"],
                homeDirectory: "/"
            )
            let found = try await InstanceMetadataCredentialSource(
                environment: environment,
                httpClient: .shared,
                timeout: .seconds(30)
            ).load()
            #expect(found == nil)
            #expect(await received.all.isEmpty)
        }
    }

    @Test func noServiceMeansNothingFound() async throws {
        let environment = AWSEnvironment(
            variables: ["AWS_EC2_METADATA_SERVICE_ENDPOINT": "http://127.0.0.1:1"],
            homeDirectory: "/"
        )
        #expect(try await InstanceMetadataCredentialSource(environment: environment, httpClient: .shared).load() == nil)
    }
}
