import ArgumentParser
import Foundation

@main
struct Outdial: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "outdial",
        abstract: "Batch runner for Amazon Connect outbound calls.",
        discussion: """
            Reads YAML or JSON job files, validates every row against StartOutboundVoiceContact, \
            removes duplicates, and sends the calls at the rate your Connect quota allows, writing one \
            NDJSON result line per row. Start with: outdial run jobs/reminders.yaml --simulate
            """,
        version: OutdialVersion.current,
        subcommands: [
            ValidateCommand.self, PlanCommand.self, RunCommand.self, ReplayCommand.self, SpoolCommand.self,
            SimulateCommand.self,
        ]
    )

    /// Runs the chosen command. Usage errors exit 2, as results.md says (not the parser's 64).
    static func main() async {
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            if exitCode(for: error) == ExitCode.validationFailure {
                FileHandle.standardError.write(Data((fullMessage(for: error) + "\n").utf8))
                Foundation.exit(2)
            }
            exit(withError: error)
        }
    }
}
