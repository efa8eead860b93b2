/// A request that passed every rule, with what validation learned on the way.
public struct ValidatedRequest: Sendable, Hashable {
    public var request: ConnectRequest
    /// The region named by an `InstanceId` ARN, if one was given.
    public var regionFromARN: String?
    /// Where the request's own `ClientToken` was written, if it has one (for a repeated token).
    public var clientTokenMark: SourceMark? = nil
    /// The row's `timezone` option (an IANA name), if it has one; not part of the request.
    public var timeZone: String? = nil
}
