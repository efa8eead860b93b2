/// How often one destination may be called, across every job that shares a ledger
/// (ledger.md, "Communication limits").
public struct ContactLimit: Sendable, Hashable {
    /// Started contacts allowed in any window of `per`.
    public var max: Int
    /// The window, in seconds.
    public var perSeconds: Int

    public init(max: Int, perSeconds: Int) {
        self.max = max
        self.perSeconds = perSeconds
    }

    /// The built-in default when neither the job nor the ledger sets limits: one started call
    /// per destination in any 24 hours.
    public static let standard = ContactLimit(max: 1, perSeconds: 86_400)

    /// The started contacts a limit may allow: 1 to 100,000.
    public static let allowedMax = 1 ... 100_000
    /// The windows a limit may have, in seconds: 1 minute to 400 days.
    public static let allowedWindow = 60 ... 400 * 86_400

    /// `{max: 1, per: 24h}` as a job file writes it.
    public var description: String {
        "{max: \(max), per: \(ContactLimit.durationText(perSeconds))}"
    }

    /// A window as the job file writes it: the largest unit that divides it (`7d`, `24h`, `90m`, `45s`).
    public static func durationText(_ seconds: Int) -> String {
        if seconds > 86_400, seconds % 86_400 == 0 { return "\(seconds / 86_400)d" }
        if seconds > 0, seconds % 3_600 == 0 { return "\(seconds / 3_600)h" }
        if seconds > 0, seconds % 60 == 0 { return "\(seconds / 60)m" }
        return "\(seconds)s"
    }

    /// Parses a window: a positive whole number followed by `s`, `m`, `h` or `d` (`24h`, `7d`).
    /// - Returns: seconds, or nil when the text is not such a window.
    public static func parseDuration(_ text: String) -> Int? {
        guard let unit = text.last, let count = Int(text.dropLast()), count > 0, text.first != "+" else { return nil }
        let scale: Int
        switch unit {
        case "s": scale = 1
        case "m": scale = 60
        case "h": scale = 3_600
        case "d": scale = 86_400
        default: return nil
        }
        let (seconds, overflow) = count.multipliedReportingOverflow(by: scale)
        return overflow ? nil : seconds
    }
}

/// A job's `limits`: not set (the ledger's defaults apply, else `ContactLimit.standard`),
/// written out `off`, or its own list.
public enum LimitSetting: Sendable, Hashable {
    case inherited
    case off
    case limits([ContactLimit])
}

/// What identifies "one destination" for the limits: the destination alone (the default), or
/// the instance and the destination.
public enum LimitKey: String, Sendable, Hashable, CaseIterable {
    case destination = "DestinationPhoneNumber"
    case instanceAndDestination = "InstanceId,DestinationPhoneNumber"

    /// The key that `limitKey` names by these fields, in any order; nil for any other list (an
    /// unknown field, a repeated one, or no `DestinationPhoneNumber`).
    public init?(fields: [String]) {
        switch fields.sorted() {
        case ["DestinationPhoneNumber"]: self = .destination
        case ["DestinationPhoneNumber", "InstanceId"]: self = .instanceAndDestination
        default: return nil
        }
    }

    /// The fields, as `limitKey` lists them.
    public var fields: [String] {
        switch self {
        case .destination: ["DestinationPhoneNumber"]
        case .instanceAndDestination: ["InstanceId", "DestinationPhoneNumber"]
        }
    }
}

/// The rules a job file sets for its rows (`limits`, `limitKey`); `nil` fields inherit the
/// ledger's defaults.
public struct JobRules: Sendable, Hashable {
    public var limits: LimitSetting
    public var limitKey: LimitKey?

    public init(limits: LimitSetting = .inherited, limitKey: LimitKey? = nil) {
        self.limits = limits
        self.limitKey = limitKey
    }
}
