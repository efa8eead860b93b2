import AWSSigV4
import AsyncHTTPClient
import OutdialClient
import Testing

struct CredentialChainTests {
    private func credentials(
        _ extra: [String: String] = [:],
        profile: String? = nil
    ) async throws -> AWSCredentials {
        let environment = Fixtures.environment(extra)
        let shared = try AWSSharedConfig(options: AWSOptions(profile: profile), environment: environment)
        let chain = CredentialProviderChain.standard(
            sharedConfig: shared,
            environment: environment,
            httpClient: HTTPClient.shared
        )
        return try await chain.credentials()
    }

    @Test func environmentComesFirst() async throws {
        let found = try await credentials([
            "AWS_ACCESS_KEY_ID": "AKIDENV", "AWS_SECRET_ACCESS_KEY": "env-secret", "AWS_SESSION_TOKEN": "env-token",
            "AWS_PROFILE": "dev",
        ])
        #expect(
            found == AWSCredentials(accessKeyId: "AKIDENV", secretAccessKey: "env-secret", sessionToken: "env-token")
        )
    }

    @Test func explicitProfileWinsOverEnvironmentAsTheAWSCLI() async throws {
        let found = try await credentials(
            ["AWS_ACCESS_KEY_ID": "AKIDENV", "AWS_SECRET_ACCESS_KEY": "env-secret"],
            profile: "dev"
        )
        #expect(
            found
                == AWSCredentials(accessKeyId: "AKIDDEV", secretAccessKey: "dev/secret+key", sessionToken: "dev-token")
        )
    }

    @Test func profileFromAWSProfileThenDefault() async throws {
        #expect(try await credentials(["AWS_PROFILE": "dev"]).accessKeyId == "AKIDDEV")
        #expect(try await credentials().accessKeyId == "AKIDDEFAULT")
    }

    @Test func staticKeysInConfigFile() async throws {
        let found = try await credentials(profile: "keys-in-config")
        #expect(found == AWSCredentials(accessKeyId: "AKIDCONFIG", secretAccessKey: "config-secret"))
    }

    @Test func credentialsFileBeatsCredentialProcessWhichBeatsConfigFileKeys() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let script = try directory.write(
            "creds.sh",
            """
            echo '{"Version": 1, "AccessKeyId": "AKIDPROCESS", "SecretAccessKey": "process-secret"}'
            """
        )
        let config = try directory.write(
            "config",
            """
            [profile both]
            credential_process = /bin/sh \(script)
            aws_access_key_id = AKIDCONFIG
            aws_secret_access_key = config-secret

            [profile all]
            credential_process = /bin/sh \(script)
            """
        )
        let credentialsFile = try directory.write(
            "credentials",
            "[all]\naws_access_key_id = AKIDFILE\naws_secret_access_key = file-secret\n"
        )
        let files = ["AWS_CONFIG_FILE": config, "AWS_SHARED_CREDENTIALS_FILE": credentialsFile]
        #expect(try await credentials(files, profile: "both").accessKeyId == "AKIDPROCESS")
        #expect(try await credentials(files, profile: "all").accessKeyId == "AKIDFILE")
    }

    @Test func unknownProfileIsNamedWithBothFiles() async throws {
        let error = await #expect(throws: AWSConfigurationError.self) {
            try await credentials(profile: "nope")
        }
        #expect(error?.code == "ProfileNotFound")
        #expect(
            error?.message
                == "profile \"nope\" is in neither \(Fixtures.path("credentials")) nor \(Fixtures.path("config"))"
        )
    }

    @Test func partialKeysAreAnError() async throws {
        let error = await #expect(throws: AWSConfigurationError.self) {
            try await credentials(profile: "half")
        }
        #expect(error?.code == "PartialCredentials")
        #expect(error?.message == "profile \"half\" in \(Fixtures.path("credentials")) has no aws_secret_access_key")
        let environmentError = await #expect(throws: AWSConfigurationError.self) {
            try await credentials(["AWS_ACCESS_KEY_ID": "AKIDENV"])
        }
        #expect(environmentError?.message == "AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is not")
    }

    @Test func unsupportedSSOProfileSuggestsCredentialProcess() async throws {
        let error = await #expect(throws: AWSConfigurationError.self) {
            try await credentials(profile: "sso")
        }
        #expect(error?.code == "NoCredentials")
        #expect(error?.message.contains("aws configure export-credentials --profile sso --format process") == true)
    }

    @Test func noCredentialsNamesEveryPlaceLooked() async throws {
        let environment = AWSEnvironment(
            variables: ["AWS_EC2_METADATA_DISABLED": "true"],
            homeDirectory: "/nonexistent-home"
        )
        let shared = try AWSSharedConfig(options: AWSOptions(), environment: environment)
        let chain = CredentialProviderChain.standard(
            sharedConfig: shared,
            environment: environment,
            httpClient: .shared
        )
        await #expect(
            throws: AWSConfigurationError.noCredentials(
                "no AWS credentials found; looked in: environment (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY); "
                    + "profile \"default\" in /nonexistent-home/.aws/credentials and /nonexistent-home/.aws/config; "
                    + "container credentials (AWS_CONTAINER_CREDENTIALS_RELATIVE_URI and _FULL_URI are not set); "
                    + "EC2 instance metadata (disabled by AWS_EC2_METADATA_DISABLED). Set AWS_ACCESS_KEY_ID and "
                    + "AWS_SECRET_ACCESS_KEY, or name a profile with AWS_PROFILE or --profile; or try --simulate: "
                    + "the built-in simulator, no AWS account needed"
            )
        ) {
            try await chain.credentials()
        }
    }
}
