import AsyncHTTPClient
import OutdialClient
import Testing

/// The container and instance metadata endpoints come from the environment too: a port out of
/// range is an error naming the variable, not a trap when the request is made.
struct CredentialEndpointValidationTests {
    private func containerError(_ variables: [String: String]) async -> AWSConfigurationError? {
        await #expect(throws: AWSConfigurationError.self) {
            try await ContainerCredentialSource(
                environment: AWSEnvironment(variables: variables, homeDirectory: "/"),
                httpClient: .shared,
                timeout: .seconds(30)
            ).load()
        }
    }

    @Test func containerFullURIWithPortOutOfRangeIsNamed() async {
        let error = await containerError(["AWS_CONTAINER_CREDENTIALS_FULL_URI": "http://127.0.0.1:70000/creds"])
        #expect(error?.code == "ContainerCredentialsFailed")
        #expect(
            error?.message
                == "AWS_CONTAINER_CREDENTIALS_FULL_URI gives \"http://127.0.0.1:70000/creds\": the port 70000 is not "
                + "1-65535; expected an absolute http:// or https:// URL with a host and an optional port 1-65535, "
                + "without user name or password"
        )
    }

    @Test func containerFullURIWithPasswordIsNotRepeated() async {
        let error = await containerError(["AWS_CONTAINER_CREDENTIALS_FULL_URI": "https://user:hunter2@creds.example/"])
        #expect(error?.code == "ContainerCredentialsFailed")
        #expect(error?.message.contains("hunter2") == false)
        #expect(error?.message.contains("https://***@creds.example/") == true)
    }

    @Test func plainHTTPToANameThatStartsWith127IsNotLoopback() async {
        let error = await containerError(["AWS_CONTAINER_CREDENTIALS_FULL_URI": "http://127.attacker.example/creds"])
        #expect(
            error?.message
                == "AWS_CONTAINER_CREDENTIALS_FULL_URI must be https, or http to a loopback or container credentials "
                + "address; it is http://127.attacker.example/creds"
        )
    }

    @Test func containerURIMayHaveAQuery() async throws {
        let document = #"{"AccessKeyId": "AKIDTASK", "SecretAccessKey": "task-secret"}"#
        try await withStandInServer(reply: { _ in StandInReply(status: 200, body: document) }) { base, received in
            let found = try await ContainerCredentialSource(
                environment: AWSEnvironment(
                    variables: ["AWS_CONTAINER_CREDENTIALS_RELATIVE_URI": "/v2/credentials?id=1"],
                    homeDirectory: "/"
                ),
                httpClient: .shared,
                relativeBase: base,
                timeout: .seconds(30)
            ).load()
            #expect(found?.accessKeyId == "AKIDTASK")
            #expect(await received.all.first?.path == "/v2/credentials")
        }
    }

    @Test func missingTokenFileIsNamed() async {
        let error = await containerError([
            "AWS_CONTAINER_CREDENTIALS_FULL_URI": "http://127.0.0.1:1/creds",
            "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE": "/nonexistent/token",
        ])
        #expect(
            error?.message == "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE names /nonexistent/token, which does not exist"
        )
    }

    @Test func instanceMetadataEndpointWithPortOutOfRangeIsNamed() async {
        let environment = AWSEnvironment(
            variables: ["AWS_EC2_METADATA_SERVICE_ENDPOINT": "http://169.254.169.254:99999"],
            homeDirectory: "/"
        )
        let error = await #expect(throws: AWSConfigurationError.self) {
            try await InstanceMetadataCredentialSource(environment: environment, httpClient: .shared).load()
        }
        #expect(error?.code == "InstanceMetadataFailed")
        #expect(
            error?.message.hasPrefix(
                "AWS_EC2_METADATA_SERVICE_ENDPOINT is \"http://169.254.169.254:99999\": the port 99999 is not 1-65535"
            ) == true
        )
    }
}
