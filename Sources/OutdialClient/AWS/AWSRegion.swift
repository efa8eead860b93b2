/// The region requests are signed for and sent to.
public enum AWSRegion {
    /// Resolves the region: `--region`, `AWS_REGION`, `AWS_DEFAULT_REGION`, the profile's
    /// `region`, then the region of the instance ARN.
    /// - Throws: ``AWSConfigurationError`` (`NoRegion`, `InvalidRegion`).
    public static func resolve(
        options: AWSOptions,
        environment: AWSEnvironment,
        sharedConfig: AWSSharedConfig,
        instanceARNRegion: String?
    ) throws -> String {
        let candidates: [(value: String?, source: String)] = [
            (options.region, "--region"),
            (environment["AWS_REGION"], "AWS_REGION"),
            (environment["AWS_DEFAULT_REGION"], "AWS_DEFAULT_REGION"),
            (sharedConfig.setting("region"), "profile \"\(sharedConfig.profileName)\" in \(sharedConfig.configPath)"),
            (instanceARNRegion, "the instance ARN"),
        ]
        for candidate in candidates {
            guard let value = candidate.value?.trimmingWhitespace(), !value.isEmpty else { continue }
            guard isValid(value) else {
                throw AWSConfigurationError.invalidRegion(
                    "\(candidate.source) names region \"\(ConfigurationValue.shown(value))\"; a region is lower-case letters, digits and "
                        + "dashes, e.g. us-east-1"
                )
            }
            return value
        }
        throw AWSConfigurationError.noRegion(
            "no AWS region: give --region, set AWS_REGION or AWS_DEFAULT_REGION, set `region` in profile "
                + "\"\(sharedConfig.profileName)\" of \(sharedConfig.configPath), or give the instance as an ARN; "
                + AWSConfigurationError.simulateHint
        )
    }

    /// Whether text can be a region (and so part of a host name).
    static func isValid(_ region: String) -> Bool {
        !region.isEmpty
            && region.utf8.allSatisfy { byte in
                (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z"))
                    || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")) || byte == UInt8(ascii: "-")
            }
    }
}

extension String {
    func trimmingWhitespace() -> String {
        var text = self[...]
        while let first = text.first, first.isWhitespace { text.removeFirst() }
        while let last = text.last, last.isWhitespace { text.removeLast() }
        return String(text)
    }
}
