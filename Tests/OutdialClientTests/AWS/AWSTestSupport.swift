import Foundation
import OutdialClient

/// A directory under the system's temporary directory, removed by `remove()`.
struct TemporaryDirectory {
    let path: String

    init() throws {
        path = NSTemporaryDirectory() + "outdial-aws-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    /// Writes a file and returns its path.
    @discardableResult
    func write(_ name: String, _ text: String, executable: Bool = false) throws -> String {
        let file = path + "/" + name
        try Data(text.utf8).write(to: URL(fileURLWithPath: file))
        if executable {
            try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: file)
        }
        return file
    }

    func remove() {
        try? FileManager.default.removeItem(atPath: path)
    }
}

enum Fixtures {
    /// The path of a fixture in `Resources/aws/`.
    static func path(_ name: String) -> String {
        Bundle.module.url(forResource: name, withExtension: nil, subdirectory: "Resources/aws")?.path
            ?? "/nonexistent/\(name)"
    }

    /// An environment whose config and credentials files are the fixtures, with instance metadata
    /// turned off, plus `extra`.
    static func environment(_ extra: [String: String] = [:], home: String = "/nonexistent-home") -> AWSEnvironment {
        var variables = [
            "AWS_CONFIG_FILE": path("config"),
            "AWS_SHARED_CREDENTIALS_FILE": path("credentials"),
            "AWS_EC2_METADATA_DISABLED": "true",
            "PATH": "/usr/bin:/bin",
        ]
        variables.merge(extra) { _, new in new }
        return AWSEnvironment(variables: variables, homeDirectory: home)
    }
}
