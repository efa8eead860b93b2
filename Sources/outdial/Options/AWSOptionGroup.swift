import ArgumentParser
import OutdialClient

/// The AWS options, as the AWS CLI spells them.
struct AWSOptionGroup: ParsableArguments {
    @Option(
        name: .customLong("endpoint-url"),
        help: "Send to this URL instead of the region's Connect endpoint, e.g. http://127.0.0.1:41817."
    )
    var endpointURL: String?

    @Option(
        help:
            "The AWS region, e.g. us-east-1. Default: AWS_REGION, AWS_DEFAULT_REGION, the profile's region, the instance ARN's region."
    )
    var region: String?

    @Option(help: "A named profile from ~/.aws/credentials and ~/.aws/config, e.g. --profile calls.")
    var profile: String?

    @Option(
        name: .customLong("ca-bundle"),
        help: "A PEM file of certificate authorities to trust for TLS, e.g. --ca-bundle /etc/ssl/corp.pem."
    )
    var caBundle: String?

    @Flag(name: .customLong("no-verify-ssl"), help: "Do not verify TLS certificates (for a test endpoint only).")
    var noVerifySSL = false

    @Option(
        name: .customLong("cli-connect-timeout"),
        parsing: .unconditional,
        help: "Seconds to wait for a connection, e.g. 5."
    )
    var connectTimeout: Double?

    @Flag(help: "Print each request and response on stderr (signatures, secrets and tokens redacted; numbers masked).")
    var debug = false

    func validate() throws {
        if let connectTimeout, !(connectTimeout > 0 && connectTimeout <= 3600) {
            throw ValidationError("--cli-connect-timeout must be more than 0 and at most 3600 seconds, e.g. 5")
        }
    }

    /// The options as the runner takes them.
    var options: AWSOptions {
        AWSOptions(
            endpointURL: endpointURL,
            region: region,
            profile: profile,
            caBundle: caBundle,
            noVerifySSL: noVerifySSL,
            connectTimeout: connectTimeout,
            debug: debug
        )
    }
}
