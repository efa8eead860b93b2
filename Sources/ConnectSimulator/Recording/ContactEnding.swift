import Foundation

/// A contact that ended: one line of the request log, written when it ends.
///
/// ```json
/// {"t":"2026-11-25T01:32:24.512Z","event":"ended","contactId":"…","outcome":"answered","seconds":32.5,"stoppedBy":null}
/// ```
public struct ContactEnding: Sendable, Hashable {
    /// When it ended (its `DisconnectTimestamp`).
    public var time: Date
    /// The contact.
    public var contactId: String
    /// How it ended (a stopped contact keeps the outcome it was heading for).
    public var outcome: ContactOutcome
    /// From its start (`InitiationTimestamp`) to its end, in seconds.
    public var seconds: Double
    /// `"StopContact"` when a StopContact request ended it; `nil` when it ended by itself.
    public var stoppedBy: String?

    /// Creates a record.
    public init(time: Date, contactId: String, outcome: ContactOutcome, seconds: Double, stoppedBy: String?) {
        self.time = time
        self.contactId = contactId
        self.outcome = outcome
        self.seconds = seconds
        self.stoppedBy = stoppedBy
    }

    /// The record as one NDJSON line, newline included.
    public func ndjson() -> String {
        "{\"t\":\"" + RequestRecord.timestamp(time) + "\",\"event\":\"ended\",\"contactId\":"
            + JSONText.quoted(contactId) + ",\"outcome\":\"" + outcome.rawValue + "\",\"seconds\":"
            + JSONText.number(seconds) + ",\"stoppedBy\":" + JSONText.quoted(stoppedBy) + "}\n"
    }
}
