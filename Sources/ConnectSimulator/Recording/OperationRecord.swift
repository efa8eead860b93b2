import Foundation

/// A DescribeContact, StopContact or GetCurrentMetricData request: one line of the request log.
///
/// ```json
/// {"t":"2026-11-25T01:31:55.020Z","operation":"DescribeContact","contactId":"…","status":200,"errorType":null}
/// ```
public struct OperationRecord: Sendable, Hashable {
    /// When the request arrived (the simulator's clock).
    public var time: Date
    /// The operation.
    public var operation: SimulatorConfiguration.Operation
    /// The contact it named (DescribeContact, StopContact), when it named one.
    public var contactId: String?
    /// The HTTP status answered.
    public var status: Int
    /// The `x-amzn-ErrorType` answered.
    public var errorType: String?

    /// Creates a record.
    public init(
        time: Date,
        operation: SimulatorConfiguration.Operation,
        contactId: String?,
        status: Int,
        errorType: String?
    ) {
        self.time = time
        self.operation = operation
        self.contactId = contactId
        self.status = status
        self.errorType = errorType
    }

    /// The record as one NDJSON line, newline included.
    public func ndjson() -> String {
        "{\"t\":\"" + RequestRecord.timestamp(time) + "\",\"operation\":\"" + operation.rawValue
            + "\",\"contactId\":" + JSONText.quoted(contactId) + ",\"status\":" + String(status)
            + ",\"errorType\":" + JSONText.quoted(errorType) + "}\n"
    }
}
