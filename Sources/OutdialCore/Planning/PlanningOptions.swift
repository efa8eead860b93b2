/// How job files are planned; filled from command-line options.
public struct PlanningOptions: Sendable {
    /// Destination prefixes blocked by default that may be dialled (`--allow-prefix`), in
    /// addition to each job's `allowPrefixes`.
    public var allowPrefixes: [String]
    /// Refuse the whole batch when any row is invalid (`--strict`).
    public var strict: Bool
    /// Bounds for the reader (nesting depth, alias expansion, ...).
    public var readLimits: ReadLimits

    public init(allowPrefixes: [String] = [], strict: Bool = false, readLimits: ReadLimits = .init()) {
        self.allowPrefixes = allowPrefixes
        self.strict = strict
        self.readLimits = readLimits
    }
}

/// One job file to plan.
public struct JobInput: Sendable, Hashable {
    /// Where to read it.
    public var path: String
    /// The name used in results and messages (the path as given; `-` for standard input).
    public var source: String
    /// The format, when it is known; otherwise the extension and the content decide.
    public var format: DocumentFormat?
    /// The path's bytes when they are not valid UTF-8: the file is opened by these, and `path` is only
    /// their printable form.
    public var rawPath: [UInt8]?

    /// - Parameters:
    ///   - path: the file; `-` reads standard input.
    ///   - source: the name for results and messages; defaults to `path`.
    ///   - format: YAML or JSON, when known.
    ///   - rawPath: the path's bytes, for a name that is not valid UTF-8.
    public init(path: String, source: String? = nil, format: DocumentFormat? = nil, rawPath: [UInt8]? = nil) {
        self.path = path
        self.source = source ?? path
        self.format = format
        self.rawPath = rawPath
    }
}

/// What became of one row while planning.
public enum PlanEvent: Sendable {
    /// A valid, new row, with its exact request.
    case planned(PlannedRow)
    /// An `invalid` row (with its problems) or a `duplicate` (no diagnostics).
    case rejected(ResultLine, [Diagnostic])
}

/// What planning one job file gave.
public struct JobSummary: Sendable {
    public var jobId: String
    public var source: String
    public var shape: JobShape
    /// The CSV file the job's rows come from (`contacts: {csv: FILE}`), as its rows' `source` names it;
    /// nil when the rows are in the job file.
    public var contactsSource: String?
    /// Whether the job id was derived from the file (no `id` in it): a fixed and re-dropped file
    /// then gets a new id.
    public var idIsDerived = false
    /// The job's `pacing` (empty when it has none).
    public var pacing: Pacing
    /// The job's own `allowPrefixes`.
    public var allowPrefixes: [String]
    /// The job's `limits`: `.inherited` when the file sets none (a bare request or a list of
    /// requests never does), so that the ledger's defaults apply.
    public var limits: LimitSetting = .inherited
    /// The job's `limitKey`; nil when the file sets none.
    public var limitKey: LimitKey? = nil
    /// The job's `window`: `.standard` when the file sets none (a bare request or a list of
    /// requests never does).
    public var window: WindowSetting = .standard
    /// Warnings about the file (`limits: off`, `window: off`), printed as `file:line:col: warning: …`; they
    /// change no exit code.
    public var warnings: [Diagnostic] = []
    /// Rows by status: `planned`, `invalid`, `duplicate`.
    public var counts: [RowStatus: Int]

    public init(jobId: String, source: String, shape: JobShape, pacing: Pacing = .init(), allowPrefixes: [String] = [])
    {
        self.jobId = jobId
        self.source = source
        self.shape = shape
        self.pacing = pacing
        self.allowPrefixes = allowPrefixes
        self.counts = [:]
    }

    /// Every row of the file.
    public var rows: Int { counts.values.reduce(0, +) }

    public func count(_ status: RowStatus) -> Int { counts[status, default: 0] }
}

extension PlannedRow {
    /// The `planned` line of `outdial plan`.
    public func resultLine(status: RowStatus = .planned) -> ResultLine {
        var line = ResultLine(ref: ref, destination: destination, clientToken: clientToken, status: status)
        line.request = body
        return line
    }

    /// Appends `resultLine()` as JSON, ending in `\n`, to `w`: the same bytes, written straight
    /// from the row (`plan` writes one for every row).
    public func writePlannedLine(to w: inout JSONWriter) {
        ResultLine.beginLine(ref: ref, destination: destination, clientToken: clientToken, status: .planned, to: &w)
        w.key(plain: "request")
        w.raw(body)
        w.endObject()
        w.newline()
    }
}
