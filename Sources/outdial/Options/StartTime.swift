import ArgumentParser
import Foundation
import OutdialCore

/// `OUTDIAL_START_TIME` (RFC 3339): runs judge calling windows as if they started at that time, and
/// their clock goes on from it at the real pace. For tests and demos that must not depend on the
/// time of day; a warning says it is in force.
enum StartTime {
    static let variable = "OUTDIAL_START_TIME"

    /// The time set in `environment`, or nil; a value that is not RFC 3339 is a usage error.
    static func fromEnvironment(_ environment: [String: String]) throws -> Date? {
        guard let text = environment[variable], !text.isEmpty else { return nil }
        guard let date = RFC3339Timestamp.date(from: text) else {
            throw ValidationError("\(variable)=\(text): expected an RFC 3339 time, e.g. 2026-12-02T14:00:00Z")
        }
        Console.error(
            "outdial: warning: \(variable)=\(text): calling windows are judged as if the run started then"
        )
        return date
    }

    /// `plan --at TIME`.
    static func parse(_ text: String, option: String) throws -> Date {
        guard let date = RFC3339Timestamp.date(from: text) else {
            throw ValidationError("\(option) \(text): expected an RFC 3339 time, e.g. 2026-12-02T19:00:00-08:00")
        }
        return date
    }
}
