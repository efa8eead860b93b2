@testable import OutdialCore

/// Plans a one-row job `t.json` whose row sits on line 4 from column 3:
///
///     {"version": 1,
///      "defaults": DEFAULTS,
///      "contacts": [
///       ROW
///     ]}
enum RowHarness {
    static let instance = "12345678-1234-1234-1234-123456789012"
    static let flow = "846ec553-a005-41c0-8341-123456789012"
    static let defaults =
        #"{"InstanceId": "12345678-1234-1234-1234-123456789012", "ContactFlowId": "846ec553-a005-41c0-8341-123456789012", "SourcePhoneNumber": "+15550100100"}"#

    static func text(row: String, defaults: String = defaults, extra: String = "") -> String {
        "{\"version\": 1,\n \"defaults\": \(defaults),\n \"contacts\": [\n  \(row)\n]\(extra)}"
    }

    static func events(
        row: String,
        defaults: String = defaults,
        options: PlanningOptions = .init()
    ) throws -> [PlanEvent] {
        var planner = JobPlanner(options: options)
        return try TestDocument.plan(text(row: row, defaults: defaults), name: "t.json", planner: &planner).events
    }

    /// The diagnostics of the row, as printed.
    static func problems(_ row: String, defaults: String = defaults, options: PlanningOptions = .init()) throws
        -> [String]
    {
        try events(row: row, defaults: defaults, options: options).flatMap { event -> [String] in
            if case .rejected(_, let diagnostics) = event { return diagnostics.map(\.description) }
            return []
        }
    }

    /// The planned body of the row as text, or nil when it was not planned.
    static func body(_ row: String, defaults: String = defaults, options: PlanningOptions = .init()) throws -> String? {
        guard case .planned(let planned)? = try events(row: row, defaults: defaults, options: options).first else {
            return nil
        }
        return String(decoding: planned.body, as: UTF8.self)
    }
}
