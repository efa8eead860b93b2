import OutdialCore

/// The codes of ``AWSConfigurationError``: the AWS setup (credentials, region, endpoint,
/// connection options) stops the run before anything is sent.
extension ErrorCode {
    /// No source of the credential chain had credentials.
    public static let noCredentials = "NoCredentials"
    /// The chosen profile is in neither the config nor the credentials file.
    public static let profileNotFound = "ProfileNotFound"
    /// An access key without its secret, or the reverse.
    public static let partialCredentials = "PartialCredentials"
    /// A config or credentials file that cannot be read or parsed.
    public static let invalidConfigFile = "InvalidConfigFile"
    /// A profile's `credential_process` failed or printed something unusable.
    public static let credentialProcessFailed = "CredentialProcessFailed"
    /// The container credentials endpoint is misconfigured, failed or answered something unusable.
    public static let containerCredentialsFailed = "ContainerCredentialsFailed"
    /// The EC2 instance metadata service is misconfigured, failed or answered something unusable.
    public static let instanceMetadataFailed = "InstanceMetadataFailed"
    /// No region in the options, the environment, the profile or the instance ARN.
    public static let noRegion = "NoRegion"
    /// A region that cannot be part of a host name.
    public static let invalidRegion = "InvalidRegion"
    /// An endpoint URL that is not an absolute http(s) URL with a host and a port 1-65535.
    public static let invalidEndpoint = "InvalidEndpoint"
    /// A `--ca-bundle` that cannot be read or holds no certificate.
    public static let invalidCABundle = "InvalidCABundle"
    /// A `--cli-connect-timeout` that is not a finite number of seconds in range.
    public static let invalidConnectTimeout = "InvalidConnectTimeout"
}
