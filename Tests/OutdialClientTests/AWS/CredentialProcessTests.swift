import AWSSigV4
import Foundation
import OutdialClient
import Testing

struct CredentialProcessTests {
    private func run(_ script: String, arguments: String = "") async throws -> AWSCredentials {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = try directory.write("creds with space.sh", script)
        // Run through `sh`: executing a file that parallel tests' child processes may still hold
        // open for writing fails with ETXTBSY.
        let process = CredentialProcess(
            command: "sh '\(path)' \(arguments)",
            profile: "ops",
            environment: AWSEnvironment(variables: ["PATH": "/usr/bin:/bin"], homeDirectory: directory.path)
        )
        return try await process.run()
    }

    @Test func readsVersion1JSONWithExpiry() async throws {
        let found = try await run(
            """
            echo '{"Version": 1, "AccessKeyId": "AKIDPROC", "SecretAccessKey": "proc-secret",'
            echo ' "SessionToken": "proc-token", "Expiration": "2026-11-25T03:04:05Z"}'
            """
        )
        #expect(found.accessKeyId == "AKIDPROC")
        #expect(found.secretAccessKey == "proc-secret")
        #expect(found.sessionToken == "proc-token")
        #expect(found.expiration == Date(timeIntervalSince1970: 1_795_575_845))
    }

    @Test func argumentsAreSplitAsByAShell() async throws {
        let found = try await run(
            #"echo "{\"Version\": 1, \"AccessKeyId\": \"$1\", \"SecretAccessKey\": \"$2\"}""#,
            arguments: #""AKID ARG" 'two words'"#
        )
        #expect(found.accessKeyId == "AKID ARG")
        #expect(found.secretAccessKey == "two words")
    }

    @Test func failureShowsExitStatusAndStandardErrorButNotOutput() async throws {
        let error = await #expect(throws: AWSConfigurationError.self) {
            try await run(
                "echo '{\"SecretAccessKey\": \"leaked\"}'\necho 'token expired, run aws sso login' >&2\nexit 3"
            )
        }
        #expect(error?.code == "CredentialProcessFailed")
        #expect(
            error?.message
                == "credential_process of profile \"ops\" exited with status 3: token expired, run aws sso login"
        )
    }

    @Test func wrongVersionAndMissingFieldsAreClear() async throws {
        let version = await #expect(throws: AWSConfigurationError.self) {
            try await run(#"echo '{"Version": 2, "AccessKeyId": "A", "SecretAccessKey": "S"}'"#)
        }
        #expect(version?.message == "credential_process of profile \"ops\" printed Version 2; outdial reads Version 1")
        let missing = await #expect(throws: AWSConfigurationError.self) {
            try await run(#"echo '{"Version": 1, "AccessKeyId": "A"}'"#)
        }
        #expect(missing?.message == "credential_process of profile \"ops\" gave no SecretAccessKey")
        let notJSON = await #expect(throws: AWSConfigurationError.self) {
            try await run("echo secret-looking-text")
        }
        #expect(
            notJSON?.message
                == "credential_process of profile \"ops\" did not print a JSON object with AccessKeyId and SecretAccessKey"
        )
    }

    @Test func missingProgramIsNamed() async throws {
        let process = CredentialProcess(
            command: "no-such-credential-helper --profile x",
            profile: "ops",
            environment: AWSEnvironment(variables: ["PATH": "/usr/bin:/bin"], homeDirectory: "/")
        )
        await #expect(
            throws: AWSConfigurationError.credentialProcessFailed(
                "credential_process of profile \"ops\" names no-such-credential-helper, which is not an executable file"
            )
        ) {
            try await process.run()
        }
    }
}
