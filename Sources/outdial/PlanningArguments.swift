import ArgumentParser
import Outdial

/// The arguments `validate` and `plan` share.
struct PlanningArguments: ParsableArguments {
    @Argument(
        help: ArgumentHelp(
            "Job files: a file, a directory (every .yaml, .yml and .json in it, in name order), or - for standard input.",
            discussion: "Example: outdial validate jobs/reminders.yaml jobs/more/",
            valueName: "JOB"
        )
    )
    var jobs: [String]

    @Option(
        name: .customLong("allow-prefix"),
        help: ArgumentHelp(
            "Allow a destination prefix that is blocked by default (repeatable). Example: --allow-prefix +447 --allow-prefix +8170",
            valueName: "PREFIX"
        )
    )
    var allowPrefixes: [String] = []

    @Flag(help: "Refuse the whole batch (exit 2) if any row is invalid. Example: outdial validate --strict jobs/")
    var strict = false

    func validate() throws {
        for prefix in allowPrefixes {
            let digits = prefix.dropFirst()
            guard prefix.hasPrefix("+"), !digits.isEmpty, digits.allSatisfy(\.isASCII), digits.allSatisfy(\.isNumber)
            else {
                throw ValidationError("--allow-prefix \(prefix): expected + and digits, like +447")
            }
        }
    }

    /// The runner's configuration for these options.
    var configuration: Runner.Configuration {
        var configuration = Runner.Configuration()
        configuration.planning = .init(allowPrefixes: allowPrefixes, strict: strict)
        return configuration
    }
}
