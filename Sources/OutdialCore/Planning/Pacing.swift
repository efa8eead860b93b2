/// A job's `pacing`: how fast it may be sent. Command-line flags win over these.
public struct Pacing: Sendable, Hashable {
    /// Requests started per second; 0 means unlimited.
    public var rate: Double?
    /// Token-bucket size.
    public var burst: Int?
    /// Requests in flight at once.
    public var concurrency: Int?
    /// Calls started by the run that may be live at once (live-calls.md); 0 turns the pacing off.
    public var activeCalls: Int?

    public init(rate: Double? = nil, burst: Int? = nil, concurrency: Int? = nil, activeCalls: Int? = nil) {
        self.rate = rate
        self.burst = burst
        self.concurrency = concurrency
        self.activeCalls = activeCalls
    }
}

/// Which of the accepted shapes a job file has.
public enum JobShape: String, Sendable, Hashable {
    /// `version: 1`, `defaults`, `contacts`, ...
    case job
    /// A top-level list of complete requests.
    case requestList
    /// A top-level map holding `DestinationPhoneNumber`: exactly one request.
    case singleRequest
}
