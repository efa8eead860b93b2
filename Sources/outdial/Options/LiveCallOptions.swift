import ArgumentParser
import Outdial

/// The options of `run`, `replay` and `spool` that follow live calls and pace by them.
struct LiveCallOptions: ParsableArguments {
    @Option(
        name: .customLong("max-active-calls"),
        parsing: .unconditional,
        help: """
            Start a row only while fewer than N calls of this run are live (the instance's quota of \
            concurrent calls); 0 turns it off. Default: the job's pacing.activeCalls, \
            OUTDIAL_MAX_ACTIVE_CALLS, else 10. Example: --max-active-calls 20
            """
    )
    var maxActiveCalls: Int?

    @Option(
        name: .customLong("describe-rate"),
        parsing: .unconditional,
        help: """
            DescribeContact requests per second at most, to follow live calls (burst: 1.5 times it). \
            Default 5, half of Connect's default quota of 10/s; raise it when the account's quota is \
            higher or nothing else uses it. Example: --describe-rate 9
            """
    )
    var describeRate: Double?

    @Option(
        help: ArgumentHelp(
            "agents: rows with a QueueId start only while the run's calls for their queue are fewer than its "
                + "free agents (AGENTS_AVAILABLE, read every 2 s) times --agent-ratio. Example: --pace agents",
            valueName: "agents"
        )
    )
    var pace: String?

    @Option(
        name: .customLong("agent-ratio"),
        parsing: .unconditional,
        help: "With --pace agents: calls per free agent (default 1.0), e.g. --agent-ratio 1.5."
    )
    var agentRatio: Double?

    @Flag(
        inversion: .prefixedNo,
        help: """
            Follow each started call to its end and write its line then, with outcome and call \
            (--no-follow, or OUTDIAL_FOLLOW=off: write it when Connect accepts the request).
            """
    )
    var follow: Bool?

    func validate() throws {
        if let pace, pace != "agents" {
            throw ValidationError("--pace \(pace): the only value is agents, e.g. --pace agents")
        }
        if let agentRatio {
            guard pace != nil else { throw ValidationError("--agent-ratio needs --pace agents") }
            guard agentRatio > 0, agentRatio.isFinite else {
                throw ValidationError("--agent-ratio must be more than 0, e.g. --agent-ratio 1.5")
            }
        }
        if let describeRate, !(describeRate > 0 && describeRate <= 1000) {
            throw ValidationError("--describe-rate must be more than 0 and at most 1000, e.g. --describe-rate 9")
        }
        if let maxActiveCalls, maxActiveCalls < 0 {
            throw ValidationError("--max-active-calls must be 0 (off) or more, e.g. --max-active-calls 10")
        }
    }

    /// Sets `calls` from these options, then the environment, then the defaults.
    func apply(to calls: inout Runner.Configuration.Calls, environment: [String: String]) throws {
        calls.maxActive = try maxActiveCalls ?? Self.maxActiveCalls(environment)
        calls.follow = try follow ?? Self.follow(environment)
        if pace == "agents" { calls.agentRatio = agentRatio ?? 1 }
        if let describeRate { calls.describeRate = describeRate }
    }

    /// `OUTDIAL_MAX_ACTIVE_CALLS`: the default of `--max-active-calls`.
    static func maxActiveCalls(_ environment: [String: String]) throws -> Int? {
        guard let text = environment["OUTDIAL_MAX_ACTIVE_CALLS"], !text.isEmpty else { return nil }
        guard let number = Int(text), number >= 0 else {
            throw ValidationError("OUTDIAL_MAX_ACTIVE_CALLS=\(text): expected 0 (off) or more, e.g. 10")
        }
        return number
    }

    /// `OUTDIAL_FOLLOW`: `on` or `off` (also `1`/`0`, `true`/`false`), the default of `--follow`.
    static func follow(_ environment: [String: String]) throws -> Bool {
        guard let text = environment["OUTDIAL_FOLLOW"], !text.isEmpty else { return true }
        switch text.lowercased() {
        case "on", "1", "true", "yes": return true
        case "off", "0", "false", "no": return false
        default: throw ValidationError("OUTDIAL_FOLLOW=\(text): expected on or off")
        }
    }
}
