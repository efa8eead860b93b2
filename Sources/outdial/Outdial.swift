import ArgumentParser
import Foundation
import Outdial

@main
struct Outdial: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "outdial",
        abstract: "Batch runner for Amazon Connect outbound calls.",
        discussion: """
            Reads YAML or JSON job files, validates every row against StartOutboundVoiceContact, \
            removes duplicates, and sends the calls at the rate your Connect quota allows, writing one \
            NDJSON result line per row. Start with: outdial run jobs/reminders.yaml --simulate

            Shell completions: outdial --generate-completion-script bash|zsh|fish, e.g.
              outdial --generate-completion-script bash > /etc/bash_completion.d/outdial
            """,
        version: Runner.version,
        subcommands: [
            ValidateCommand.self, PlanCommand.self, RunCommand.self, ReplayCommand.self, SpoolCommand.self,
            SimulateCommand.self,
            StopCommand.self, OutcomesCommand.self, ReportCommand.self, SuppressCommand.self, LedgerCommand.self,
        ]
    )

    /// Runs the chosen command. Usage errors exit 2, as results.md says (not the parser's 64).
    static func main() async {
        let arguments = Array(CommandLine.arguments.dropFirst())
        if let unknown = CommandSuggestion.unknownCommand(in: arguments, known: commandNames) {
            Console.error("Error: \(unknown)\n  See 'outdial --help' for the commands.")
            Foundation.exit(2)
        }
        do {
            var command = try parseAsRoot(arguments)
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            if exitCode(for: error) == ExitCode.validationFailure {
                Console.error(fullMessage(for: error))
                Foundation.exit(2)
            }
            exit(withError: error)
        }
    }

    static var commandNames: [String] {
        configuration.subcommands.compactMap { $0.configuration.commandName } + ["help"]
    }
}
