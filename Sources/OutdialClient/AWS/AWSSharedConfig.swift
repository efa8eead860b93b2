/// The shared AWS config and credentials files, and the profile chosen from them.
///
/// The profile is `--profile`, else `AWS_PROFILE` (or the older `AWS_DEFAULT_PROFILE`), else
/// `default`. The config file (`AWS_CONFIG_FILE`, `~/.aws/config`) names profiles
/// `[profile NAME]` (and `[default]`), and services sections `[services NAME]`; the credentials
/// file (`AWS_SHARED_CREDENTIALS_FILE`, `~/.aws/credentials`) names them `[NAME]`.
public struct AWSSharedConfig: Sendable {
    /// The chosen profile's name.
    public let profileName: String
    /// Whether the profile was chosen with `--profile` (then it must exist, and it wins over
    /// credentials in the environment).
    public let profileIsExplicit: Bool
    /// Where the config file is (whether or not it exists).
    public let configPath: String
    /// Where the credentials file is (whether or not it exists).
    public let credentialsPath: String
    /// The config file's profiles by name.
    public let configProfiles: [String: [String: AWSConfigFile.Value]]
    /// The config file's `[services NAME]` sections by name.
    public let services: [String: [String: AWSConfigFile.Value]]
    /// The credentials file's profiles by name.
    public let credentialsProfiles: [String: [String: AWSConfigFile.Value]]

    /// Reads both files.
    /// - Throws: ``AWSConfigurationError`` when a file cannot be read or parsed.
    public init(options: AWSOptions, environment: AWSEnvironment) throws {
        if let explicit = options.profile, !explicit.isEmpty {
            profileName = explicit
            profileIsExplicit = true
        } else {
            profileName = environment["AWS_PROFILE"] ?? environment["AWS_DEFAULT_PROFILE"] ?? "default"
            profileIsExplicit = false
        }
        configPath = environment.expandingTilde(environment["AWS_CONFIG_FILE"] ?? "~/.aws/config")
        credentialsPath = environment.expandingTilde(
            environment["AWS_SHARED_CREDENTIALS_FILE"] ?? "~/.aws/credentials"
        )

        let config = try AWSConfigFile.load(path: configPath)
        var profiles: [String: [String: AWSConfigFile.Value]] = [:]
        var services: [String: [String: AWSConfigFile.Value]] = [:]
        for (section, settings) in config.sections {
            let words = section.split(whereSeparator: { $0 == " " || $0 == "\t" })
            if section == "default" {
                profiles["default", default: [:]].merge(settings) { old, _ in old }
            } else if words.count == 2, words[0] == "profile" {
                // `[profile default]` wins over `[default]`, as the AWS CLI reads them.
                profiles[Self.unquoted(words[1]), default: [:]].merge(settings) { _, new in new }
            } else if words.count == 2, words[0] == "services" {
                services[Self.unquoted(words[1])] = settings
            }
        }
        configProfiles = profiles
        self.services = services
        credentialsProfiles = try AWSConfigFile.load(path: credentialsPath).sections
    }

    /// Whether either file has the chosen profile.
    public var profileExists: Bool {
        configProfiles[profileName] != nil || credentialsProfiles[profileName] != nil
    }

    /// A setting of the chosen profile: the credentials file first, then the config file.
    public func setting(_ key: String) -> String? {
        credentialsSetting(key) ?? configSetting(key)
    }

    /// A plain setting of the chosen profile in the credentials file.
    public func credentialsSetting(_ key: String) -> String? {
        Self.nonEmpty(credentialsProfiles[profileName]?[key]?.text)
    }

    /// A plain setting of the chosen profile in the config file.
    public func configSetting(_ key: String) -> String? {
        Self.nonEmpty(configProfiles[profileName]?[key]?.text)
    }

    /// The `endpoint_url` for a service (e.g. `connect`) in the `[services NAME]` section the
    /// chosen profile names with `services = NAME`.
    public func serviceEndpointURL(service: String) -> String? {
        guard let name = setting("services"),
            case .nested(let settings)? = services[name]?[service]
        else { return nil }
        return Self.nonEmpty(settings["endpoint_url"])
    }

    private static func unquoted(_ word: Substring) -> String {
        if word.count >= 2, let first = word.first, first == "\"" || first == "'", word.last == first {
            return String(word.dropFirst().dropLast())
        }
        return String(word)
    }

    private static func nonEmpty(_ text: String?) -> String? {
        guard let text, !text.isEmpty else { return nil }
        return text
    }
}
