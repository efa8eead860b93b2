import ArgumentParser
import Foundation
import OutdialCore
import OutdialLedger

extension LedgerCommand {
    /// `outdial ledger config [--limits …] [--limit-key …]`.
    struct Config: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "config",
            abstract: "Show or set the limits and limit key of every job that sets none itself.",
            discussion: """
                Without options: prints the current defaults. When neither a job nor this sets \
                limits, the built-in default is {max: 1, per: 24h}: at most one started call per \
                destination in any 24 hours, counted across every job that shares the ledger.

                Examples:
                  outdial ledger config
                  outdial ledger config --limits "1/24h,3/7d" --limit-key InstanceId,DestinationPhoneNumber
                  outdial ledger config --limits default
                """
        )

        @Option(
            help: ArgumentHelp(
                "MAX/WINDOW pairs, comma-separated (windows in s, m, h or d), e.g. --limits \"1/24h,3/7d\"; "
                    + "--limits off (no limits, for jobs that set none); --limits default (the built-in "
                    + "{max: 1, per: 24h}).",
                valueName: "LIMITS"
            )
        )
        var limits: String?

        @Option(
            name: .customLong("limit-key"),
            help: ArgumentHelp(
                "What counts as one destination: --limit-key DestinationPhoneNumber (the built-in default), "
                    + "--limit-key InstanceId,DestinationPhoneNumber (each instance counts apart), or "
                    + "--limit-key default.",
                valueName: "KEY"
            )
        )
        var limitKey: String?

        @OptionGroup var state: StateDirectoryOption

        func validate() throws {
            if let limits, Self.limitSetting(limits) == nil {
                throw ValidationError(
                    "--limits \(limits): expected MAX/WINDOW pairs separated by commas (MAX from "
                        + "\(ContactLimit.allowedMax.lowerBound) to \(ContactLimit.allowedMax.upperBound); a window is a "
                        + "whole number and s, m, h or d, from "
                        + "\(ContactLimit.durationText(ContactLimit.allowedWindow.lowerBound)) to "
                        + "\(ContactLimit.durationText(ContactLimit.allowedWindow.upperBound)), as in a job file), "
                        + "off or default, e.g. --limits \"1/24h,3/7d\""
                )
            }
            if let limitKey, limitKey != "default", LimitKey(rawValue: limitKey) == nil {
                throw ValidationError(
                    "--limit-key \(limitKey): expected DestinationPhoneNumber, InstanceId,DestinationPhoneNumber or "
                        + "default"
                )
            }
        }

        func run() async throws {
            try await LedgerAccess.with(state, creating: limits != nil || limitKey != nil) { ledger in
                var defaults = try await ledger?.defaults() ?? LedgerDefaults()
                if let ledger, limits != nil || limitKey != nil {
                    if let limits, let setting = Self.limitSetting(limits) { defaults.limits = setting }
                    if let limitKey { defaults.limitKey = LimitKey(rawValue: limitKey) }
                    try await ledger.setDefaults(defaults)
                }
                try LedgerAccess.print(Self.lines(defaults))
            }
        }

        /// `1/24h,3/7d`, `off` or `default`; each limit within the bounds a job file's limits have.
        static func limitSetting(_ text: String) -> LimitSetting? {
            switch text {
            case "off": return .off
            case "default": return .inherited
            default:
                var list: [ContactLimit] = []
                for part in text.split(separator: ",", omittingEmptySubsequences: false) {
                    let pieces = part.trimmingCharacters(in: .whitespaces).split(separator: "/")
                    guard pieces.count == 2, let max = Int(pieces[0]), ContactLimit.allowedMax.contains(max),
                        let seconds = ContactLimit.parseDuration(String(pieces[1])),
                        ContactLimit.allowedWindow.contains(seconds)
                    else { return nil }
                    list.append(ContactLimit(max: max, perSeconds: seconds))
                }
                return list.isEmpty ? nil : .limits(list)
            }
        }

        /// The defaults as `config` prints them.
        static func lines(_ defaults: LedgerDefaults) -> [String] {
            let limits =
                switch defaults.limits {
                case .inherited: "\(ContactLimit.standard.description) (built-in default)"
                case .off: "off"
                case .limits(let list): list.map(\.description).joined(separator: ", ")
                }
            let key = defaults.limitKey.map(\.rawValue) ?? "\(LimitKey.destination.rawValue) (built-in default)"
            return ["limits: \(limits)", "limitKey: \(key)"]
        }
    }
}
