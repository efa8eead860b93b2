/// Where a row came from: the job it belongs to and its place in its file.
public struct RowRef: Sendable, Hashable {
    /// The job id (see job-file.md, "Job id and ClientToken").
    public var job: String
    /// The file path as given on the command line (`-` for standard input).
    public var source: String
    /// 0-based index in the file's contacts.
    public var row: Int
    /// 1-based line where the row starts.
    public var line: Int

    public init(job: String, source: String, row: Int, line: Int) {
        self.job = job
        self.source = source
        self.row = row
        self.line = line
    }
}

/// A valid, deduplicated row turned into the exact request that will be sent.
public struct PlannedRow: Sendable {
    public var ref: RowRef
    /// The normalised E.164 destination.
    public var destination: String
    /// The ClientToken the request carries (the row's own, or the derived one).
    public var clientToken: String
    /// The exact JSON body of `StartOutboundVoiceContact`, as sent.
    public var body: [UInt8]
    /// The instance id (from the ARN when an ARN was given).
    public var instanceId: String
    /// The region named by an instance ARN, if one was given.
    public var regionFromARN: String?

    public init(
        ref: RowRef,
        destination: String,
        clientToken: String,
        body: [UInt8],
        instanceId: String,
        regionFromARN: String? = nil
    ) {
        self.ref = ref
        self.destination = destination
        self.clientToken = clientToken
        self.body = body
        self.instanceId = instanceId
        self.regionFromARN = regionFromARN
    }
}
