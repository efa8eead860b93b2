/// Plans job files, one after the other, into one event per row in file order, without holding
/// the rows: read → validate → dedupe (across every file given to the same planner) → ClientToken
/// → exact request body.
///
/// ```swift
/// var planner = JobPlanner(options: PlanningOptions())
/// let summary = try planner.plan(JobInput(path: "jobs/reminders.yaml")) { event in
///     // .planned(row) or .rejected(line, diagnostics)
/// }
/// ```
public struct JobPlanner {
    public let options: PlanningOptions
    private var index = DedupeIndex()

    public init(options: PlanningOptions = .init()) {
        self.options = options
    }

    /// Plans one job file, calling `onEvent` once per row, in file order.
    ///
    /// The file is read once, parsed on a thread of its own while the rows parsed before it are planned
    /// on this one (`DocumentReader.readAhead(into:)`). Rows are planned while they are read and handed
    /// on once nothing later in the file can change them (see `JobFileVisitor`): at once when `version`,
    /// `id`, `defaults`, `dedupe` and `allowPrefixes` all come before `contacts`, after a bounded number
    /// of rows when only `dedupe` or `allowPrefixes` are left out, else at the end of the file (a file
    /// without `id` takes its id from the hash of all its bytes).
    /// - Returns: the job's id, shape, pacing and counts.
    /// - Throws: `JobFileError` when the file cannot be read or parsed, or its structure is wrong
    ///   (all its diagnostics); anything `onEvent` throws.
    public mutating func plan(_ input: JobInput, onEvent: (PlanEvent) throws -> Void) throws -> JobSummary {
        let reader = DocumentReader(
            path: input.path,
            rawPath: input.rawPath,
            displayName: input.source,
            format: input.format,
            limits: options.readLimits
        )
        return try plan(input, read: { try reader.readAhead(into: &$0) }, onEvent: onEvent)
    }

    /// Plans one document delivered by `read` (the reader, or a test's stand-in).
    mutating func plan(
        _ input: JobInput,
        read: (inout JobFileVisitor) throws -> Void,
        onEvent: (PlanEvent) throws -> Void
    ) throws -> JobSummary {
        let sourceIndex = index.addSource(input.source)
        return try withoutActuallyEscaping(onEvent) { emit in
            var visitor = JobFileVisitor(
                input: input,
                sourceIndex: sourceIndex,
                options: options,
                index: index,
                emit: emit
            )
            defer { index = visitor.index }
            do {
                try read(&visitor)
            } catch let error as ReadError {
                throw JobFileError([Diagnostic(readError: error, file: error.file)] + visitor.structural)
            }
            return visitor.summary
        }
    }

    /// Plans one request again, from a node already read (a row of a results file): validates it,
    /// dedupes it against the rows planned so far, and gives it its ClientToken under `ref.job`.
    /// - Parameters:
    ///   - node: the request, a map of request fields.
    ///   - ref: the row's job id, source, row and line (kept as given).
    ///   - allowPrefixes: the job's own allowed prefixes (the options' are added).
    ///   - dedupeKey: the job's dedupe key; nil when dedupe is off.
    ///   - window: the calling window the row is held to.
    ///   - attempt: a deliberate new attempt (`replay --outcome`) gets a ClientToken of its own,
    ///     from the job id, the dedupe key and this number, when the request names none.
    ///   - file: the file the node's marks point into, for diagnostics (a results file, as
    ///     `ResultsFileLine.resultsFile`); defaults to `ref.source`.
    public mutating func planRequest(
        _ node: Node,
        ref: RowRef,
        allowPrefixes: [String] = [],
        dedupeKey: DedupeKey? = .standard,
        window: WindowSetting = .standard,
        attempt: Int = 1,
        file: String? = nil
    ) -> PlanEvent {
        let sourceIndex = index.sources.firstIndex(of: ref.source) ?? index.addSource(ref.source)
        let planner = RowPlanner(
            source: ref.source,
            sourceIndex: sourceIndex,
            shape: .singleRequest,
            defaults: [],
            validator: RequestValidator(file: file ?? ref.source, allowPrefixes: allowPrefixes + options.allowPrefixes)
        )
        let row = planner.prepare(node, index: ref.row)
        let event = planner.finish(
            row,
            job: JobTokens(jobId: ref.job),
            dedupeKey: dedupeKey,
            window: window,
            attempt: attempt,
            dedupe: &index
        )
        // Keep the row's place as given (its line in the original file).
        switch event {
        case .planned(var row):
            row.ref = ref
            row.attempt = attempt
            return .planned(row)
        case .rejected(var line, let diagnostics):
            line.ref = ref
            return .rejected(line, diagnostics)
        }
    }
}

extension Diagnostic {
    /// A file that cannot be read or parsed.
    init(readError: ReadError, file: String) {
        self.init(
            code: readError.code,
            field: "",
            message: readError.message,
            file: file,
            mark: readError.mark ?? SourceMark(line: 1, column: 1)
        )
    }
}
