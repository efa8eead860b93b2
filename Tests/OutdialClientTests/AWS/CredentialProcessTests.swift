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

    private static let notKept =
        " (the first line of its standard error, anything like a secret redacted; the full text was not kept)"

    @Test func failureShowsExitStatusAndFirstLineOfStandardErrorButNotOutput() async throws {
        let error = await #expect(throws: AWSConfigurationError.self) {
            try await run(
                "echo '{\"SecretAccessKey\": \"leaked\"}'\necho 'token expired, run aws sso login' >&2\n"
                    + "echo 'debug: using cached key' >&2\nexit 3"
            )
        }
        #expect(error?.code == "CredentialProcessFailed")
        #expect(
            error?.message
                == "credential_process of profile \"ops\" exited with status 3: token expired, run aws sso login"
                + Self.notKept
        )
    }

    @Test func secretsInStandardErrorAreRedacted() async throws {
        let error = await #expect(throws: AWSConfigurationError.self) {
            try await run(
                #"""
                echo 'failed: AKIAIOSFODNN7EXAMPLE secret=s3cr3t token: "two words" password=hunter2 {"SessionToken": "FQoGZXIvYXdzE", "SecretAccessKey" : "k"} wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' >&2
                echo 'ASIAY34FZKBOKMUTVV7A on the second line' >&2
                exit 1
                """#
            )
        }
        #expect(
            error?.message
                == "credential_process of profile \"ops\" exited with status 1: failed: [redacted] secret=[redacted] "
                + #"token: [redacted] password=[redacted] {"SessionToken": "[redacted]", "SecretAccessKey": "[redacted]"} "#
                + "[redacted]" + Self.notKept
        )
        for secret in ["AKIAIOSFODNN7EXAMPLE", "s3cr3t", "two words", "hunter2", "FQoGZXIvYXdzE", "EXAMPLEKEY", "ASIA"]
        {
            #expect(error?.message.contains(secret) == false, "\(secret)")
        }
    }

    @Test func longStandardErrorIsCutTo200Characters() async throws {
        let error = await #expect(throws: AWSConfigurationError.self) {
            try await run("printf 'word %.0s' $(seq 100) >&2\nexit 2")
        }
        let expected = String(repeating: "word ", count: 40) + "..."
        #expect(
            error?.message == "credential_process of profile \"ops\" exited with status 2: \(expected)" + Self.notKept
        )
    }

    @Test func killedProcessNamesTheSignal() async throws {
        let error = await #expect(throws: AWSConfigurationError.self) {
            try await run("echo 'out of memory' >&2\nkill -KILL $$")
        }
        #expect(
            error?.message
                == "credential_process of profile \"ops\" was killed by signal 9: out of memory" + Self.notKept
        )
    }

    @Test func silentFailureSaysOnlyTheStatus() async throws {
        let error = await #expect(throws: AWSConfigurationError.self) {
            try await run("exit 4")
        }
        #expect(error?.message == "credential_process of profile \"ops\" exited with status 4")
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
