/// Receives one job file from the reader and turns its rows into plan events.
struct JobFileVisitor: DocumentVisitor {
    let input: JobInput
    let sourceIndex: Int
    let prescan: FilePrescan
    let options: PlanningOptions
    var index: DedupeIndex
    let emit: (PlanEvent) throws -> Void

    /// The summary, with the planned rows counted so far.
    var summary: JobSummary {
        var summary = partialSummary
        if plannedRows > 0 { summary.counts[.planned, default: 0] += plannedRows }
        return summary
    }
    /// The summary without `plannedRows`, which are counted apart (once per row, so kept cheap).
    private var partialSummary: JobSummary
    private var plannedRows = 0
    /// Problems with the file's structure found so far.
    private(set) var structural: [Diagnostic] = []

    private var root: RootKind?
    private var rootMark = SourceMark(line: 1, column: 1)
    private var header: JobHeader
    /// Top-level entries, kept until the shape is known (a job map, or a single request).
    private var entries: [Node.Entry] = []
    private var isJob = false
    private var planner: RowPlanner?
    /// Rows held back until the header is complete.
    private var held: [(node: Node, index: Int)] = []

    init(
        input: JobInput,
        sourceIndex: Int,
        prescan: FilePrescan,
        options: PlanningOptions,
        index: DedupeIndex,
        emit: @escaping (PlanEvent) throws -> Void
    ) {
        self.input = input
        self.sourceIndex = sourceIndex
        self.prescan = prescan
        self.options = options
        self.index = index
        self.emit = emit
        self.header = JobHeader(file: input.source)
        self.partialSummary = JobSummary(
            jobId: JobIdentity.derivedJobId(source: input.source, sha256Hex: prescan.sha256Hex),
            source: input.source,
            shape: .job
        )
    }

    private var file: String { input.source }

    private mutating func fail(_ code: String, _ field: String, _ message: String, _ mark: SourceMark) -> JobFileError {
        structural.append(Diagnostic(code: code, field: field, message: message, file: file, mark: mark))
        return JobFileError(structural)
    }

    mutating func begin(root: RootKind, at mark: SourceMark) throws {
        self.root = root
        rootMark = mark
        switch root {
        case .mapping:
            break
        case .sequence:
            partialSummary.shape = .requestList
            planner = makePlanner(shape: .requestList, defaults: [], dedupeKey: .standard, allowPrefixes: [])
        case .scalar:
            throw fail(
                "InvalidStructure",
                "",
                "found a scalar; expected a job (version: 1, contacts: [...]), a list of requests, or one request",
                mark
            )
        }
    }

    mutating func entry(_ entry: Node.Entry) throws {
        if isJob {
            let rowKeyAfterContacts = planner != nil && JobHeader.rowKeys.contains(entry.key)
            header.apply(entry)
            if rowKeyAfterContacts {
                // The scan said no such key follows `contacts`; it was wrong, and rows went out.
                header.diagnostics.append(
                    Diagnostic(
                        code: "InvalidStructure",
                        field: entry.key,
                        message: "found after contacts, when rows were already planned; move it before contacts",
                        file: file,
                        mark: entry.keyMark
                    )
                )
            }
            try throwIfStructural()
        } else {
            entries.append(entry)
        }
    }

    mutating func beginContacts(keyMark: SourceMark, at mark: SourceMark) throws {
        isJob = true
        partialSummary.shape = .job
        for entry in entries { header.apply(entry) }
        entries = []
        header.contactsBegin(keyMark: keyMark)
        try throwIfStructural()
        if canStream() {
            try finishHeader()
        }
    }

    mutating func contact(_ node: Node, index rowIndex: Int) throws {
        if planner != nil {
            try planRow(node, index: rowIndex)
        } else {
            held.append((node, rowIndex))
        }
    }

    mutating func end() throws {
        guard let root else { return }
        switch root {
        case .sequence, .scalar:
            break
        case .mapping where isJob:
            if planner == nil { try finishHeader() }
            try throwIfStructural()
            partialSummary.pacing = header.pacing
            let rows = held
            held = []
            for (node, rowIndex) in rows { try planRow(node, index: rowIndex) }
        case .mapping:
            try endSingleOrBroken()
        }
    }

    /// A map without `contacts`: one request when it holds `DestinationPhoneNumber`.
    private mutating func endSingleOrBroken() throws {
        let fields = entries.filter { !$0.key.hasPrefix("x-") }
        if fields.contains(where: { $0.key == "DestinationPhoneNumber" }) {
            partialSummary.shape = .singleRequest
            planner = makePlanner(shape: .singleRequest, defaults: [], dedupeKey: .standard, allowPrefixes: [])
            try planRow(Node(.mapping(fields), at: rootMark), index: 0)
            return
        }
        // A job without contacts: report what else is wrong with it too.
        for entry in entries { header.apply(entry) }
        if !header.versionSeen, !fields.contains(where: { JobHeader.keys.contains($0.key) }) {
            throw fail(
                "InvalidStructure",
                "",
                "found a map with neither contacts nor DestinationPhoneNumber; expected a job (version: 1, contacts: [...]) "
                    + "or one request",
                rootMark
            )
        }
        structural = header.diagnostics
        if !header.versionSeen {
            structural.append(
                Diagnostic(
                    code: "MissingRequiredField",
                    field: "version",
                    message: "missing; expected version: 1",
                    file: file,
                    mark: rootMark
                )
            )
        }
        if structural.contains(where: { $0.field == "contacts" }) {
            // `contacts` is there but is not a list: its own diagnostic says so.
            throw JobFileError(structural)
        }
        throw fail("MissingRequiredField", "contacts", "missing; expected a list of requests", rootMark)
    }

    /// Whether every key that changes rows is known when `contacts` begins.
    private func canStream() -> Bool {
        if JobHeader.rowKeys.allSatisfy({ header.hasSeen($0) }) { return true }
        guard let keys = prescan.topLevelKeys, let contacts = keys.firstIndex(of: "contacts") else { return false }
        return !keys[(contacts + 1)...].contains(where: { JobHeader.rowKeys.contains($0) })
    }

    private mutating func throwIfStructural() throws {
        if !header.diagnostics.isEmpty {
            structural = header.diagnostics
            throw JobFileError(structural)
        }
    }

    /// The header is complete: check it, and set up row planning.
    private mutating func finishHeader() throws {
        if !header.versionSeen {
            header.diagnostics.append(
                Diagnostic(
                    code: "MissingRequiredField",
                    field: "version",
                    message: "missing; expected version: 1",
                    file: file,
                    mark: rootMark
                )
            )
        }
        let allowPrefixes = header.allowPrefixes
        let validator = RequestValidator(file: file, allowPrefixes: allowPrefixes + options.allowPrefixes)
        if !header.defaults.isEmpty {
            var problems: [Diagnostic] = []
            _ = validator.validate(header.defaults, at: rootMark, rowPath: "defaults", complete: false, into: &problems)
            header.diagnostics += problems
        }
        try throwIfStructural()
        if let id = header.id { partialSummary.jobId = id }
        partialSummary.allowPrefixes = allowPrefixes
        planner = makePlanner(
            shape: .job,
            defaults: header.defaults,
            dedupeKey: header.dedupeKey,
            allowPrefixes: allowPrefixes
        )
        partialSummary.pacing = header.pacing
    }

    private func makePlanner(shape: JobShape, defaults: [Node.Entry], dedupeKey: DedupeKey?, allowPrefixes: [String])
        -> RowPlanner
    {
        RowPlanner(
            jobId: partialSummary.jobId,
            source: input.source,
            sourceIndex: sourceIndex,
            shape: shape,
            defaults: defaults.filter { !$0.value.isNull },
            dedupeKey: dedupeKey,
            validator: RequestValidator(file: file, allowPrefixes: allowPrefixes + options.allowPrefixes)
        )
    }

    private mutating func planRow(_ node: Node, index rowIndex: Int) throws {
        guard let planner else { return }
        let event = planner.plan(node, index: rowIndex, dedupe: &index)
        switch event {
        case .planned: plannedRows += 1
        case .rejected(let line, _): partialSummary.counts[line.status, default: 0] += 1
        }
        try emit(event)
    }
}
