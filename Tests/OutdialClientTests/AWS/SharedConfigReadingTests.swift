import Foundation
import OutdialClient
import Testing

/// Config and credentials files are read as the AWS CLI reads them: `/dev/null` is an empty file,
/// a `<(...)` substitution is read once, a missing file has no profiles.
struct SharedConfigReadingTests {
    @Test func devNullIsAnEmptyConfigAndCredentialsFile() throws {
        let environment = AWSEnvironment(
            variables: ["AWS_CONFIG_FILE": "/dev/null", "AWS_SHARED_CREDENTIALS_FILE": "/dev/null"],
            homeDirectory: "/nonexistent-home"
        )
        let shared = try AWSSharedConfig(options: AWSOptions(), environment: environment)
        #expect(shared.profileExists == false)
        #expect(shared.configProfiles.isEmpty)
        #expect(shared.credentialsProfiles.isEmpty)
    }

    @Test func processSubstitutionIsReadOnce() throws {
        let pipe = Pipe()
        pipe.fileHandleForWriting.write(Data("[profile piped]\nregion = eu-north-1\n".utf8))
        try pipe.fileHandleForWriting.close()
        let path = "/dev/fd/\(pipe.fileHandleForReading.fileDescriptor)"
        let environment = AWSEnvironment(
            variables: ["AWS_CONFIG_FILE": path, "AWS_PROFILE": "piped", "AWS_SHARED_CREDENTIALS_FILE": "/dev/null"],
            homeDirectory: "/nonexistent-home"
        )
        let shared = try AWSSharedConfig(options: AWSOptions(), environment: environment)
        #expect(shared.configSetting("region") == "eu-north-1")
    }

    @Test func aFIFONobodyWritesToIsEmptyRatherThanAWait() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.path + "/config"
        try #require(mkfifo(path, 0o600) == 0)
        #expect(try AWSConfigFile.load(path: path).sections.isEmpty)
    }

    @Test func aDirectoryCannotBeRead() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        #expect(
            throws: AWSConfigurationError.invalidConfigFile("\(directory.path) cannot be read: Is a directory")
        ) {
            try AWSConfigFile.load(path: directory.path)
        }
    }

    @Test func anEndlessFileIsRefusedNotReadIntoMemory() {
        #expect(throws: AWSConfigurationError.invalidConfigFile("/dev/zero cannot be read: is larger than 8 MiB")) {
            try AWSConfigFile.load(path: "/dev/zero")
        }
    }
}
