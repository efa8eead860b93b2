import Foundation

/// Debian's `chromium`, run headless as a user's browser would open a page (`make deps`
/// installs it).
enum Chromium {
    /// The browser's path, or nil when none is installed.
    static let path: String? = {
        let directories = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin").split(separator: ":")
        for name in ["chromium", "chromium-browser", "google-chrome"] {
            for directory in directories where FileManager.default.isExecutableFile(atPath: "\(directory)/\(name)") {
                return "\(directory)/\(name)"
            }
        }
        return nil
    }()

    /// What the browser made of a page: the DOM after loading it, the console messages it logged.
    struct Page {
        var dom: String
        var console: [String]
        var status: Int32
    }

    /// Loads `file` headless and dumps its DOM; with `screenshot`, also saves a PNG of it.
    static func load(_ file: String, screenshot: String? = nil, in directory: TemporaryDirectory) async throws -> Page {
        guard let path else { throw CocoaError(.fileNoSuchFile) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        var arguments = [
            "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
            "--enable-logging=stderr", "--v=0", "--no-first-run",
            "--user-data-dir=\(directory.path("chromium-profile"))",
        ]
        if let screenshot { arguments += ["--screenshot=\(screenshot)", "--window-size=1200,1800"] }
        arguments += ["--dump-dom", URL(fileURLWithPath: file).absoluteString]
        process.arguments = arguments
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        try process.run()
        // A browser that hangs must not hang the suite.
        let watchdog = Task {
            try await Task.sleep(for: .seconds(120))
            process.terminate()
        }
        let result = await Outdial.collect(process, out, err)
        watchdog.cancel()
        // Console messages are logged as `[…:INFO:CONSOLE:LINE] "text", source: URL (LINE)`.
        let console = result.stderr.split(separator: "\n").filter { $0.contains(":CONSOLE") }.map(String.init)
        return Page(dom: result.stdout, console: console, status: result.status)
    }
}
