import ConnectSimulator
import Foundation

/// Job files written for a test.
enum JobFile {
    /// `count` fictional destinations, `+1555123NNNN` from `first`.
    static func destinations(_ count: Int, first: Int = 0) -> [String] {
        (first ..< (first + count)).map { "+1555123" + String(format: "%04d", $0) }
    }

    /// A YAML job with one row per destination and the usual defaults; `rowExtra` is added under
    /// each row (indented YAML lines), `header` after the defaults.
    ///
    /// `window` is written last (after the rows, so their line numbers do not move): `off` by
    /// default, so that a test not about calling windows sends every row whatever the time of day
    /// (the fictional `+1 555 123` numbers have no time zone); nil writes no `window` key.
    static func yaml(
        id: String,
        destinations: [String],
        rowExtra: String = "",
        header: String = "",
        window: String? = "off"
    ) -> String {
        var text = """
            version: 1
            id: \(id)
            defaults:
              InstanceId: 12345678-1234-1234-1234-123456789012
              ContactFlowId: 846ec553-a005-41c0-8341-123456789012
              SourcePhoneNumber: "+15550100100"

            """
        text += header
        text += "contacts:\n"
        for destination in destinations {
            text += "  - DestinationPhoneNumber: \"\(destination)\"\n"
            if !rowExtra.isEmpty { text += rowExtra }
        }
        if let window { text += "window: \(window)\n" }
        return text
    }
}

/// Lines of a results file.
func resultLines(atPath path: String) -> [[String: Any]] {
    guard let data = FileManager.default.contents(atPath: path) else { return [] }
    return ndjson(String(decoding: data, as: UTF8.self))
}

/// The number of complete lines in a file (0 when it does not exist).
func lineCount(atPath path: String) -> Int {
    guard let data = FileManager.default.contents(atPath: path) else { return 0 }
    return data.reduce(0) { $0 + ($1 == UInt8(ascii: "\n") ? 1 : 0) }
}

/// Polls `condition` until it holds or `timeout` passes; returns whether it held. For waiting on
/// another process, which cannot signal this one.
func poll(timeout: Duration = .seconds(20), _ condition: () async -> Bool) async -> Bool {
    let clock = ContinuousClock()
    let end = clock.now.advanced(by: timeout)
    while clock.now < end {
        if await condition() { return true }
        try? await Task.sleep(for: .milliseconds(10))
    }
    return await condition()
}

/// Reading result dictionaries.
extension Dictionary where Key == String, Value == Any {
    var status: String? { self["status"] as? String }
    var reason: String? { self["reason"] as? String }
    var destination: String? { self["destination"] as? String }
    var attempts: Int? { self["attempts"] as? Int }
    var row: Int? { self["row"] as? Int }
    var errorCode: String? { (self["error"] as? [String: Any])?["code"] as? String }
    var error: [String: Any]? { self["error"] as? [String: Any] }
    var request: [String: Any]? { self["request"] as? [String: Any] }
}

/// How many lines have each status.
func statusCounts(_ lines: [[String: Any]]) -> [String: Int] {
    var counts: [String: Int] = [:]
    for line in lines { counts[line.status ?? "?", default: 0] += 1 }
    return counts
}

/// A drop folder for `outdial spool`: `DIR/drop/incoming`.
struct DropFolder {
    let base: String

    init(in dir: TemporaryDirectory) throws {
        base = dir.path("drop")
        try FileManager.default.createDirectory(atPath: base + "/incoming", withIntermediateDirectories: true)
    }

    /// Writes a job with `count` destinations from `first` into `incoming/`, last changed ten
    /// minutes ago (settled).
    func dropSettled(_ name: String, id: String, count: Int, first: Int = 0) throws {
        let path = base + "/incoming/" + name
        try JobFile.yaml(id: id, destinations: JobFile.destinations(count, first: first))
            .write(toFile: path, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.modificationDate: Date().addingTimeInterval(-600)], ofItemAtPath: path)
    }

    /// A pass sending one row at a time to `simulator`, its ledger in `state`.
    func slowPass(state: String, simulator: RunningSimulator) -> [String] {
        ["spool", base, "--state-dir", state, "--concurrency", "1", "--rate", "0"] + simulator.endpointArguments
    }

    func exists(_ path: String) -> Bool {
        FileManager.default.fileExists(atPath: base + "/" + path)
    }
}
