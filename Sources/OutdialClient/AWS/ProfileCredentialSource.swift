import AWSSigV4

/// The chosen profile: `aws_access_key_id` / `aws_secret_access_key` / `aws_session_token` in the
/// credentials file, then its `credential_process`, then static keys in the config file, in the
/// order botocore tries them.
public struct ProfileCredentialSource: CredentialSource {
    private let sharedConfig: AWSSharedConfig
    private let environment: AWSEnvironment

    /// Reads the profile chosen in `sharedConfig`.
    public init(sharedConfig: AWSSharedConfig, environment: AWSEnvironment) {
        self.sharedConfig = sharedConfig
        self.environment = environment
    }

    public var location: String {
        "profile \"\(sharedConfig.profileName)\" in \(sharedConfig.credentialsPath) and \(sharedConfig.configPath)"
    }

    public func load() async throws -> AWSCredentials? {
        let name = sharedConfig.profileName
        guard sharedConfig.profileExists else {
            if sharedConfig.profileIsExplicit || name != "default" {
                throw AWSConfigurationError.profileNotFound(
                    "profile \"\(name)\" is in neither \(sharedConfig.credentialsPath) nor \(sharedConfig.configPath)"
                )
            }
            return nil
        }
        if let credentials = try staticKeys(
            key: sharedConfig.credentialsSetting("aws_access_key_id"),
            secret: sharedConfig.credentialsSetting("aws_secret_access_key"),
            token: sharedConfig.credentialsSetting("aws_session_token"),
            file: sharedConfig.credentialsPath
        ) {
            return credentials
        }
        if let command = sharedConfig.setting("credential_process") {
            return try await CredentialProcess(command: command, profile: name, environment: environment).run()
        }
        if let credentials = try staticKeys(
            key: sharedConfig.configSetting("aws_access_key_id"),
            secret: sharedConfig.configSetting("aws_secret_access_key"),
            token: sharedConfig.configSetting("aws_session_token"),
            file: sharedConfig.configPath
        ) {
            return credentials
        }
        for unsupported in ["role_arn", "sso_session", "sso_start_url", "web_identity_token_file"]
        where sharedConfig.setting(unsupported) != nil {
            throw AWSConfigurationError.noCredentials(
                "profile \"\(name)\" uses \(unsupported), which outdial does not read; give it a credential_process "
                    + "such as `aws configure export-credentials --profile \(name) --format process`"
            )
        }
        return nil
    }

    private func staticKeys(key: String?, secret: String?, token: String?, file: String) throws -> AWSCredentials? {
        switch (key, secret) {
        case (nil, nil):
            return nil
        case (.some(let key), .some(let secret)):
            return AWSCredentials(accessKeyId: key, secretAccessKey: secret, sessionToken: token)
        default:
            let missing = key == nil ? "aws_access_key_id" : "aws_secret_access_key"
            throw AWSConfigurationError.partialCredentials(
                "profile \"\(sharedConfig.profileName)\" in \(file) has no \(missing)"
            )
        }
    }
}
