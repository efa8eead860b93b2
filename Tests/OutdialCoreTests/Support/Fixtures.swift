import Foundation

enum Fixtures {
    /// The text of `Resources/jobs/NAME`.
    static func job(_ name: String) throws -> String {
        guard let url = Bundle.module.url(forResource: name, withExtension: nil, subdirectory: "Resources/jobs") else {
            throw CocoaError(.fileNoSuchFile)
        }
        return try String(contentsOf: url, encoding: .utf8)
    }

    static func path(_ name: String) throws -> String {
        guard let url = Bundle.module.url(forResource: name, withExtension: nil, subdirectory: "Resources/jobs") else {
            throw CocoaError(.fileNoSuchFile)
        }
        return url.path
    }
}
