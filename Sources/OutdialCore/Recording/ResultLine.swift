/// What became of a row (results.md). `planned` appears only in `outdial plan` output.
public enum RowStatus: String, Sendable, Hashable, CaseIterable {
    case planned
    case started
    case failed
    case invalid
    case duplicate
    case skipped
    case uncertain
}

/// Why a row was `skipped`.
public enum SkipReason: String, Sendable, Hashable {
    case alreadyStarted = "already-started"
    case deadline
    case interrupted
    case halted
    /// A communication limit of the ledger would be broken (`nextAllowedAt` says when it allows).
    case limit
    /// The destination is on the ledger's suppression (do-not-call) list.
    case suppressed
    /// The row's calling window is closed now (`opensAt` says when it opens next).
    case outsideWindow = "outside-window"
    /// No time zone could be found for the row: it is never called (calling-window.md).
    case noTimezone = "no-timezone"
    /// A retry would have gone out after the row's window closed (or within its margin).
    case windowClosed = "window-closed"
    /// `outdial stop` stopped the batch before the row started.
    case stopped
}

/// The `error` object of a result line.
public struct RowError: Sendable, Hashable {
    /// The AWS error type, or an outdial code for client-side problems (`Timeout`, ...).
    public var code: String
    public var message: String
    /// HTTP status, when a response was received.
    public var http: Int?
    /// Whether retrying could help.
    public var retryable: Bool?
    /// `file:line:col`, for validation problems.
    public var at: String?

    public init(code: String, message: String, http: Int? = nil, retryable: Bool? = nil, at: String? = nil) {
        self.code = code
        self.message = message
        self.http = http
        self.retryable = retryable
        self.at = at
    }
}

/// One NDJSON line of `outdial plan` or `outdial run` output.
public struct ResultLine: Sendable {
    public var ref: RowRef
    public var destination: String
    public var clientToken: String
    public var status: RowStatus
    public var contactId: String?
    public var attempts: Int?
    /// RFC 3339 UTC with milliseconds.
    public var at: String?
    /// Latency of the final attempt in milliseconds.
    public var ms: Int?
    public var error: RowError?
    public var reason: SkipReason?
    /// For `skipped: limit`: the earliest time (RFC 3339 UTC) the limits allow this destination again.
    public var nextAllowedAt: String?
    /// For `skipped: outside-window` and `window-closed`: when the row's window next opens (RFC 3339
    /// on the row's own clock).
    public var opensAt: String?
    /// On `planned` lines of `plan --at` and a dry run: the row's window then.
    public var window: WindowView?
    /// The row's time zone (`America/New_York`, several joined by `,`, `none`), for the summary's
    /// counts per zone and for `replay`: written on lines that carry the request (planned lines
    /// with a window show it there). Nil when the job has no window.
    public var timezone: String?
    /// For a `started` row whose call was followed: how it ended (`live` when the run ended first).
    public var outcome: CallOutcome?
    /// Which deliberate attempt of the row this is (`replay --outcome`); nil for the first.
    public var attempt: Int?
    /// What `DescribeContact` said of the call.
    public var call: CallRecord?
    public var duplicateOf: (source: String, row: Int)?
    /// The exact request body (already JSON).
    public var request: [UInt8]?

    public init(ref: RowRef, destination: String, clientToken: String, status: RowStatus) {
        self.ref = ref
        self.destination = destination
        self.clientToken = clientToken
        self.status = status
    }

    /// Opens a line's object and writes the members every line starts with.
    static func beginLine(
        ref: RowRef,
        destination: String,
        clientToken: String,
        status: RowStatus,
        to w: inout JSONWriter
    ) {
        w.beginObject()
        w.field(plain: "job", ref.job)
        w.field(plain: "source", ref.source)
        w.field(plain: "row", ref.row)
        w.field(plain: "line", ref.line)
        w.field(plain: "destination", destination)
        w.field(plain: "clientToken", clientToken)
        w.field(plain: "status", status.rawValue)
    }

    /// The line as JSON, ending in `\n`.
    public func ndjson() -> [UInt8] {
        var w = JSONWriter(capacity: 256 + (request?.count ?? 0))
        write(to: &w)
        return w.bytes
    }

    /// Appends the line as JSON, ending in `\n`, to `w` (which holds only whole lines).
    public func write(to w: inout JSONWriter) {
        Self.beginLine(ref: ref, destination: destination, clientToken: clientToken, status: status, to: &w)
        if let attempt { w.field(plain: "attempt", attempt) }
        if let contactId { w.field(plain: "contactId", contactId) }
        if let attempts { w.field(plain: "attempts", attempts) }
        if let at { w.field(plain: "at", at) }
        if let ms { w.field(plain: "ms", ms) }
        if let outcome { w.field(plain: "outcome", outcome.rawValue) }
        if let call {
            w.key(plain: "call")
            w.beginObject()
            if let connectedAt = call.connectedAt {
                w.field(plain: "connectedAt", RFC3339Timestamp.string(from: connectedAt))
            }
            if let endedAt = call.endedAt { w.field(plain: "endedAt", RFC3339Timestamp.string(from: endedAt)) }
            if let seconds = call.seconds {
                w.key(plain: "seconds")
                w.double((seconds * 1000).rounded() / 1000)
            }
            if let reason = call.disconnectReason { w.field(plain: "disconnectReason", reason) }
            if let amd = call.amd { w.field(plain: "amd", amd) }
            w.endObject()
        }
        if let reason { w.field(plain: "reason", reason.rawValue) }
        if let nextAllowedAt { w.field(plain: "nextAllowedAt", nextAllowedAt) }
        if let opensAt { w.field(plain: "opensAt", opensAt) }
        // The zone a row that may be sent again was judged in, for `replay` (planned lines of
        // `plan --at` say it in `window`).
        if let timezone, window == nil, request != nil { w.field(plain: "timezone", timezone) }
        if let window {
            w.key(plain: "window")
            w.beginObject()
            w.field(plain: "timezone", window.timezone)
            if let opensAt = window.opensAt { w.field(plain: "opensAt", opensAt) }
            if let closesAt = window.closesAt { w.field(plain: "closesAt", closesAt) }
            w.endObject()
        }
        if let duplicateOf {
            w.key(plain: "duplicateOf")
            w.beginObject()
            w.field(plain: "source", duplicateOf.source)
            w.field(plain: "row", duplicateOf.row)
            w.endObject()
        }
        if let error {
            w.key(plain: "error")
            w.beginObject()
            w.field(plain: "code", error.code)
            w.field(plain: "message", error.message)
            if let http = error.http { w.field(plain: "http", http) }
            if let retryable = error.retryable { w.field(plain: "retryable", retryable) }
            if let at = error.at { w.field(plain: "at", at) }
            w.endObject()
        }
        if let request {
            w.key(plain: "request")
            w.raw(request)
        }
        w.endObject()
        w.newline()
    }
}
