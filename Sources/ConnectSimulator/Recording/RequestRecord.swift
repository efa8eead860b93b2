import Foundation
import OutdialBase

/// What the simulator did with one request: one line of its request log.
///
/// ```json
/// {"t":"2026-11-25T01:31:52.123Z","token":"od1-…","destination":"+15551230001","status":200,
///  "errorType":null,"contactId":"…","newContact":true,"outcome":"dialed"}
/// ```
public struct RequestRecord: Sendable, Hashable {
    /// What happened to the callee.
    public enum Outcome: String, Sendable, Hashable {
        /// A call was started (or, with `newContact` false, the running one was returned).
        case dialed
        /// Accepted past `maxActiveCalls`: the callee got a fast-busy tone.
        case busy
        /// No call: an error answer, a reset or a hang.
        case rejected
    }

    /// When the request arrived (the simulator's clock).
    public var time: Date
    /// The request's `ClientToken`, when it had one.
    public var token: String?
    /// The request's `DestinationPhoneNumber`, when it had one.
    public var destination: String?
    /// The HTTP status answered; `nil` for a reset or a hang.
    public var status: Int?
    /// The `x-amzn-ErrorType` answered, or `ConnectionReset` / `Hang` for those faults.
    public var errorType: String?
    /// The contact returned.
    public var contactId: String?
    /// Whether this request started the contact (false for a repeated `ClientToken`).
    public var newContact: Bool
    /// What happened to the callee.
    public var outcome: Outcome

    /// Creates a record.
    public init(
        time: Date,
        token: String?,
        destination: String?,
        status: Int?,
        errorType: String?,
        contactId: String?,
        newContact: Bool,
        outcome: Outcome
    ) {
        self.time = time
        self.token = token
        self.destination = destination
        self.status = status
        self.errorType = errorType
        self.contactId = contactId
        self.newContact = newContact
        self.outcome = outcome
    }

    /// The record as one NDJSON line, newline included.
    public func ndjson() -> String {
        var line = "{\"t\":\"" + Self.timestamp(time) + "\""
        line += ",\"token\":" + Self.json(token)
        line += ",\"destination\":" + Self.json(destination)
        line += ",\"status\":" + (status.map(String.init) ?? "null")
        line += ",\"errorType\":" + Self.json(errorType)
        line += ",\"contactId\":" + Self.json(contactId)
        line += ",\"newContact\":" + (newContact ? "true" : "false")
        line += ",\"outcome\":\"" + outcome.rawValue + "\"}\n"
        return line
    }

    private static func json(_ text: String?) -> String {
        JSONText.quoted(text)
    }

    /// RFC 3339 in UTC with milliseconds, e.g. `2026-11-25T01:31:52.123Z`.
    static func timestamp(_ date: Date) -> String {
        UTCTimestamp(date).rfc3339
    }
}
