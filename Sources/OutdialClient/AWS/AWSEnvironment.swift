import Foundation

/// A snapshot of the process environment and the home directory: the one place outdial reads
/// them. Credentials, region and endpoint resolution take a snapshot, so tests inject their own.
public struct AWSEnvironment: Sendable {
    /// The environment variables.
    public var variables: [String: String]
    /// The home directory that `~/.aws/...` paths are relative to.
    public var homeDirectory: String

    /// Creates a snapshot from explicit values (tests).
    public init(variables: [String: String], homeDirectory: String) {
        self.variables = variables
        self.homeDirectory = homeDirectory
    }

    /// A snapshot of this process's environment.
    public static func current() -> AWSEnvironment {
        let variables = ProcessInfo.processInfo.environment
        let home = variables["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory()
        return AWSEnvironment(variables: variables, homeDirectory: home)
    }

    /// The value of a variable, or `nil` when it is unset or empty (as botocore treats empty ones).
    public subscript(name: String) -> String? {
        guard let value = variables[name], !value.isEmpty else { return nil }
        return value
    }

    /// Whether a variable is set to `true` (any case), as the AWS CLI reads boolean settings.
    public func isTrue(_ name: String) -> Bool {
        self[name]?.trimmingCharacters(in: .whitespaces).lowercased() == "true"
    }

    /// A path with a leading `~` expanded against ``homeDirectory``.
    public func expandingTilde(_ path: String) -> String {
        if path == "~" { return homeDirectory }
        if path.hasPrefix("~/") { return homeDirectory + path.dropFirst(1) }
        return path
    }
}
