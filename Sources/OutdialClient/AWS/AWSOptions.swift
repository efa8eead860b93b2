/// The AWS options of `outdial run` and `outdial replay` (cli.md, "AWS options and environment").
/// The command line fills it; nothing here reads flags itself.
public struct AWSOptions: Sendable {
    /// `--endpoint-url`.
    public var endpointURL: String?
    /// `--region`.
    public var region: String?
    /// `--profile`. When given, it wins over credentials in the environment, as with the AWS CLI.
    public var profile: String?
    /// `--ca-bundle FILE`: PEM certificates to trust instead of the system roots.
    public var caBundle: String?
    /// `--no-verify-ssl`: do not verify the server's certificate.
    public var noVerifySSL: Bool
    /// `--cli-connect-timeout S`, in seconds (default 60, as the AWS CLI).
    public var connectTimeout: Double?
    /// `--debug`: log each request and response, with secrets redacted and phone numbers masked.
    public var debug: Bool

    /// Creates options; every one defaults to "not given".
    public init(
        endpointURL: String? = nil,
        region: String? = nil,
        profile: String? = nil,
        caBundle: String? = nil,
        noVerifySSL: Bool = false,
        connectTimeout: Double? = nil,
        debug: Bool = false
    ) {
        self.endpointURL = endpointURL
        self.region = region
        self.profile = profile
        self.caBundle = caBundle
        self.noVerifySSL = noVerifySSL
        self.connectTimeout = connectTimeout
        self.debug = debug
    }
}
