extension SimulatorConfiguration {
    /// A length of time drawn per contact: fixed, or log-normal with a median and a 99th percentile.
    public enum Spread: Sendable, Hashable {
        /// Always this many units.
        case fixed(Double)
        /// A log-normal distribution with this median and 99th percentile.
        case percentiles(p50: Double, p99: Double)

        /// Parses `X` (fixed, 0 or more) or `P50,P99` (log-normal, P50 above 0 and P99 at least P50);
        /// `nil` when malformed.
        public init?(parsing text: String) {
            let parts = text.split(separator: ",", omittingEmptySubsequences: false)
            let numbers = parts.compactMap { Double($0.trimmingCharacters(in: .whitespaces)) }
            guard numbers.count == parts.count, numbers.allSatisfy({ $0.isFinite && $0 >= 0 }) else { return nil }
            switch numbers.count {
            case 1:
                self = .fixed(numbers[0])
            case 2 where numbers[1] >= numbers[0] && numbers[0] > 0:
                self = numbers[0] == numbers[1] ? .fixed(numbers[0]) : .percentiles(p50: numbers[0], p99: numbers[1])
            default:
                return nil
            }
        }
    }

    /// How contacts end, as relative weights: each contact draws one outcome (seeded).
    public struct OutcomeMix: Sendable, Hashable {
        /// The weights, normalised to sum to 1, in the order of `ContactOutcome.drawable`.
        public private(set) var weights: [ContactOutcome: Double]

        /// Why a mix was refused, for the command's message.
        public struct Problem: Error, Equatable, CustomStringConvertible {
            public let description: String
        }

        /// A mix from weights: names drawable, weights finite and non-negative, summing above 0.
        /// - Throws: `Problem` naming what is wrong.
        public init(_ weights: [ContactOutcome: Double]) throws(Problem) {
            for (outcome, weight) in weights {
                guard ContactOutcome.drawable.contains(outcome) else {
                    throw Problem(description: "\(outcome.rawValue) is not drawn; use \(Self.names)")
                }
                guard weight.isFinite, weight >= 0 else {
                    throw Problem(description: "\(outcome.rawValue) must be a number 0 or more")
                }
            }
            // Added in a fixed order, so the same weights give the same mix in every process.
            let total = ContactOutcome.drawable.compactMap { weights[$0] }.reduce(0, +)
            guard total > 0 else { throw Problem(description: "the weights must add up to more than 0") }
            self.weights = weights.mapValues { $0 / total }
        }

        /// Parses `answered=0.6,no-answer=0.2,busy=0.1,voicemail=0.1` (names not given weigh 0).
        /// - Throws: `Problem` naming the part that is wrong.
        public init(parsing text: String) throws(Problem) {
            var weights: [ContactOutcome: Double] = [:]
            for part in text.split(separator: ",") {
                let pair = part.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
                guard pair.count == 2, let outcome = ContactOutcome(rawValue: pair[0]) else {
                    throw Problem(description: "'\(part)' is not NAME=WEIGHT with NAME one of \(Self.names)")
                }
                guard let weight = Double(pair[1]) else {
                    throw Problem(description: "'\(pair[1])' is not a number (in '\(part)')")
                }
                guard weights[outcome] == nil else {
                    throw Problem(description: "\(outcome.rawValue) is given twice")
                }
                weights[outcome] = weight
            }
            try self.init(weights)
        }

        /// The default mix: answered 0.6, no-answer 0.2, busy 0.1, voicemail 0.1.
        public static let standard = OutcomeMix(normalised: [
            .answered: 0.6, .noAnswer: 0.2, .busy: 0.1, .voicemail: 0.1,
        ])

        /// Every contact answered.
        public static let allAnswered = OutcomeMix(normalised: [.answered: 1])

        private init(normalised weights: [ContactOutcome: Double]) {
            self.weights = weights
        }

        /// The outcome a uniform draw in [0, 1) picks.
        func outcome(for draw: Double) -> ContactOutcome {
            var rest = draw
            var last = ContactOutcome.answered
            for outcome in ContactOutcome.drawable {
                guard let weight = weights[outcome], weight > 0 else { continue }
                if rest < weight { return outcome }
                rest -= weight
                last = outcome
            }
            return last
        }

        private static var names: String {
            ContactOutcome.drawable.map(\.rawValue).joined(separator: ", ")
        }
    }

    /// The operations the simulator serves, by their API names.
    public enum Operation: String, Sendable, Hashable, CaseIterable {
        case startOutboundVoiceContact = "StartOutboundVoiceContact"
        case describeContact = "DescribeContact"
        case stopContact = "StopContact"
        case getCurrentMetricData = "GetCurrentMetricData"
    }

    /// Connect's default quotas of the live-call operations (requests per second, burst).
    public static let defaultOperationQuotas: [Operation: RateLimit] = [
        .describeContact: RateLimit(tps: 10, burst: 15),
        .stopContact: RateLimit(tps: 10, burst: 15),
        .getCurrentMetricData: RateLimit(tps: 5, burst: 8),
    ]

    /// Parses one `--api-tps` value: `NAME=R/B`, `NAME=R` (burst R rounded up) or `NAME=off`.
    /// - Returns: The operation and its quota (`nil` for off); `nil` when malformed.
    public static func parseOperationQuota(_ text: String) -> (Operation, RateLimit?)? {
        let pair = text.split(separator: "=", maxSplits: 1).map(String.init)
        guard pair.count == 2, let operation = Operation(rawValue: pair[0]) else { return nil }
        if pair[1] == "off" { return (operation, nil) }
        let parts = pair[1].split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        guard (1 ... 2).contains(parts.count), let rate = Double(parts[0]), rate > 0, rate.isFinite else {
            return nil
        }
        guard parts.count == 2 else { return (operation, RateLimit(tps: rate)) }
        guard let burst = Int(parts[1]), burst >= 1 else { return nil }
        return (operation, RateLimit(tps: rate, burst: burst))
    }

    /// Parses `--agents` values: `QUEUE=N`, comma-separated; `nil` when malformed or a queue repeats.
    public static func parseAgents(_ values: [String]) -> [String: Int]? {
        var agents: [String: Int] = [:]
        for part in values.flatMap({ $0.split(separator: ",") }) {
            let pair = part.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard pair.count == 2, !pair[0].isEmpty, let count = Int(pair[1]), count >= 0, agents[pair[0]] == nil
            else { return nil }
            agents[pair[0]] = count
        }
        return agents
    }
}
