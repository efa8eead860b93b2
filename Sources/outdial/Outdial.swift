import ArgumentParser

@main
struct Outdial: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "outdial",
        abstract: "Batch runner for Amazon Connect outbound calls.",
        version: OutdialVersion.current,
        subcommands: [ValidateCommand.self, PlanCommand.self, RunCommand.self, SimulateCommand.self]
    )
}
