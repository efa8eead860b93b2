// The codes of a job file's `limits` and `limitKey` (ledger.md, "Communication limits").
extension ErrorCode {
    /// A limit's `per` that is not a whole number followed by `s`, `m`, `h` or `d` (`24h`, `7d`).
    public static let invalidDuration = "InvalidDuration"
    /// A `limitKey` that is not `[DestinationPhoneNumber]` or `[InstanceId, DestinationPhoneNumber]`.
    public static let invalidLimitKey = "InvalidLimitKey"
    /// The warning for `limits: off`: the job's rows are held to no communication limit.
    public static let limitsOff = "LimitsOff"
}
