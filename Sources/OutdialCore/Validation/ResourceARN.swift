/// An Amazon Connect instance or contact-flow ARN:
/// `arn:aws:connect:REGION:ACCOUNT:instance/INSTANCE_ID[/contact-flow/FLOW_ID]`
/// (the partition may be `aws`, `aws-cn` or `aws-us-gov`).
public struct ResourceARN: Sendable, Hashable {
    public var partition: String
    public var region: String
    public var account: String
    public var instanceId: String
    public var contactFlowId: String?

    /// Parses `text`, or returns nil when it is not an ARN of this form.
    public init?(_ text: String) {
        guard text.hasPrefix("arn:") else { return nil }
        let parts = text.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false)
        guard parts.count == 6, parts[2] == "connect", !parts[1].isEmpty, !parts[3].isEmpty else { return nil }
        let resource = parts[5].split(separator: "/", omittingEmptySubsequences: false)
        guard resource.count >= 2, resource[0] == "instance", !resource[1].isEmpty else { return nil }
        partition = String(parts[1])
        region = String(parts[3])
        account = String(parts[4])
        instanceId = String(resource[1])
        switch resource.count {
        case 2:
            contactFlowId = nil
        case 4 where resource[2] == "contact-flow" && !resource[3].isEmpty:
            contactFlowId = String(resource[3])
        default:
            return nil
        }
    }
}
