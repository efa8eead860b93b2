import AWSSigV4
import AsyncHTTPClient
import Foundation
import OutdialClient
import Testing

struct ContainerCredentialSourceTests {
    private static let document = """
        {"AccessKeyId": "AKIDTASK", "SecretAccessKey": "task-secret", "Token": "task-token",
         "Expiration": "2026-11-25T03:04:05.123Z", "RoleArn": "arn:aws:iam::111122223333:role/task"}
        """

    @Test func relativeURIWithAuthorizationToken() async throws {
        try await withStandInServer(reply: { _ in StandInReply(status: 200, body: Self.document) }) { base, received in
            let environment = AWSEnvironment(
                variables: [
                    "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI": "/v2/credentials/abc",
                    "AWS_CONTAINER_AUTHORIZATION_TOKEN": "Bearer container-auth",
                ],
                homeDirectory: "/"
            )
            let source = ContainerCredentialSource(
                environment: environment,
                httpClient: .shared,
                relativeBase: base,
                timeout: .seconds(30)
            )
            let found = try await source.load()
            #expect(found?.accessKeyId == "AKIDTASK")
            #expect(found?.sessionToken == "task-token")
            let expiry = try #require(found?.expiration).timeIntervalSince1970
            #expect(abs(expiry - 1_795_575_845.123) < 0.0005, "\(expiry)")
            let requests = await received.all
            #expect(requests.map(\.method) == ["GET"])
            #expect(requests.first?.path == "/v2/credentials/abc")
            #expect(requests.first?.header("authorization") == "Bearer container-auth")
        }
    }

    @Test func fullURIWithTokenFileWinningOverToken() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let tokenFile = try directory.write("token", "from-file\n")
        try await withStandInServer(reply: { _ in StandInReply(status: 200, body: Self.document) }) { base, received in
            let environment = AWSEnvironment(
                variables: [
                    "AWS_CONTAINER_CREDENTIALS_FULL_URI": base + "/creds",
                    "AWS_CONTAINER_AUTHORIZATION_TOKEN": "from-variable",
                    "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE": tokenFile,
                ],
                homeDirectory: "/"
            )
            let found = try await ContainerCredentialSource(
                environment: environment,
                httpClient: .shared,
                timeout: .seconds(30)
            ).load()
            #expect(found?.secretAccessKey == "task-secret")
            #expect(await received.all.first?.header("authorization") == "from-file")
            #expect(await received.all.first?.path == "/creds")
        }
    }

    @Test func errorStatusIsNamed() async throws {
        try await withStandInServer(reply: { _ in StandInReply(status: 500) }) { base, _ in
            let environment = AWSEnvironment(
                variables: ["AWS_CONTAINER_CREDENTIALS_FULL_URI": base + "/creds"],
                homeDirectory: "/"
            )
            await #expect(
                throws: AWSConfigurationError.containerCredentialsFailed(
                    "container credentials at \(base)/creds answered HTTP 500"
                )
            ) {
                try await ContainerCredentialSource(
                    environment: environment,
                    httpClient: .shared,
                    timeout: .seconds(30)
                ).load()
            }
        }
    }

    @Test func plainHTTPFullURIMustBeLocal() async throws {
        let environment = AWSEnvironment(
            variables: ["AWS_CONTAINER_CREDENTIALS_FULL_URI": "http://example.com/creds"],
            homeDirectory: "/"
        )
        let error = await #expect(throws: AWSConfigurationError.self) {
            try await ContainerCredentialSource(environment: environment, httpClient: .shared, timeout: .seconds(30))
                .load()
        }
        #expect(error?.code == "ContainerCredentialsFailed")
    }
}
