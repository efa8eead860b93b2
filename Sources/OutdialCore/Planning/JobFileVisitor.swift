/// Receives one job file from the reader, in one pass, and turns its rows into plan events.
///
/// Rows are handed on only once nothing later in the file can change them, so no diagnostic about the
/// file ever follows a row that went out:
/// - each row is merged and validated as it is read (once `defaults` is known) and waits in its planned
///   form (`PendingRow`, no node tree) while the job id or a key that changes rows may still come;
/// - rows are released when the job's `id`, `version` and every key that changes rows (`defaults`,
///   `dedupe`, `allowPrefixes`, `window`) have been seen, or at the end of the file (a file without `id` takes its
///   id from the SHA-256 of all its bytes);
/// - a file that has `id` and `version` before `contacts` but leaves out `dedupe`, `allowPrefixes` or `window`
///   holds at most `heldRowLimit` rows, then releases them with those keys at their defaults, so that
///   memory stays flat. Only in that case can a key found after `contacts` come too late; it is then
///   reported (and the rows already handed on stand).
struct JobFileVisitor: DocumentVisitor {
    /// Rows held back at most, when only keys that may be absent are not known yet.
    static let heldRowLimit = 1024

    let input: JobInput
    let sourceIndex: Int
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
    /// Merges and validates rows with the header as known now; nil until rows may be prepared.
    private var planner: RowPlanner?
    /// Whether `defaults` were checked and the planner built with them.
    private var defaultsChecked = false
    /// The allowed prefixes the planner was built with.
    private var plannerPrefixes: [String] = []
    /// Set once rows have been handed on: the header can no longer change them.
    private var job: JobTokens?
    /// Rows not handed on yet, in file order: prepared, or as read while `defaults` may still come.
    private var held: [Held] = []

    /// Counts the planners built, so that a row prepared by an earlier one can be told.
    private var plannerGeneration = 0
    /// The CSV file the rows come from (`contacts: {csv: FILE}`), with its place in the dedupe index.
    private var rowSource: (name: String, index: Int)?
    /// The SHA-256 of the CSV file's bytes, once it is read.
    private var contactsSHA256Hex: String?

    private enum Held {
        case read(Node, index: Int)
        case prepared(PendingRow, generation: Int)
    }

    init(
        input: JobInput,
        sourceIndex: Int,
        options: PlanningOptions,
        index: DedupeIndex,
        emit: @escaping (PlanEvent) throws -> Void
    ) {
        self.input = input
        self.sourceIndex = sourceIndex
        self.options = options
        self.index = index
        self.emit = emit
        self.header = JobHeader(file: input.source)
        self.partialSummary = JobSummary(jobId: "", source: input.source, shape: .job)
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
            planner = makePlanner(shape: .requestList, defaults: [], allowPrefixes: [])
        case .scalar:
            throw fail(
                ErrorCode.invalidStructure,
                "",
                "found a scalar; expected a job (version: 1, contacts: [...]), a list of requests, or one request",
                mark
            )
        }
    }

    mutating func entry(_ entry: Node.Entry) throws {
        if entry.key == "contacts", case .mapping = entry.value.value {
            try readContactsFile(entry)
            return
        }
        guard isJob else {
            entries.append(entry)
            return
        }
        header.apply(entry)
        if job != nil && JobHeader.rowKeys.contains(entry.key) {
            // Rows went out with this key at its default (see the type's notes).
            header.diagnostics.append(
                Diagnostic(
                    code: ErrorCode.invalidStructure,
                    field: entry.key,
                    message: "found after contacts, when the first \(Self.heldRowLimit) rows had gone out without it; "
                        + "move it before contacts",
                    file: file,
                    mark: entry.keyMark
                )
            )
        }
        try throwIfStructural()
        if job == nil {
            try updatePlanner()
            try releaseIfSettled()
        }
    }

    mutating func beginContacts(keyMark: SourceMark, at mark: SourceMark) throws {
        isJob = true
        partialSummary.shape = .job
        for entry in entries { header.apply(entry) }
        entries = []
        header.contactsBegin(keyMark: keyMark)
        try throwIfStructural()
        try updatePlanner()
        try releaseIfSettled()
    }

    mutating func contact(_ node: Node, index rowIndex: Int) throws {
        guard let planner else {
            held.append(.read(node, index: rowIndex))
            try releaseIfHoldingTooMany()
            return
        }
        let row = planner.prepare(node, index: rowIndex)
        if let job {
            try hand(row, planner: planner, job: job)
            return
        }
        held.append(.prepared(row, generation: plannerGeneration))
        try releaseIfHoldingTooMany()
    }

    mutating func end(sha256Hex: String) throws {
        guard let root else { return }
        let hash = contactsSHA256Hex.map { JobIdentity.combined(sha256Hex, $0) } ?? sha256Hex
        let jobId = header.id ?? JobIdentity.derivedJobId(source: input.source, sha256Hex: hash)
        partialSummary.idIsDerived = header.id == nil
        switch root {
        case .scalar:
            break
        case .sequence:
            try release(jobId: jobId)
        case .mapping where isJob:
            partialSummary.pacing = header.pacing
            partialSummary.limits = header.limits
            partialSummary.limitKey = header.limitKey
            partialSummary.window = header.window
            partialSummary.warnings = header.warnings
            if job == nil {
                try requireVersion()
                if planner == nil || !defaultsChecked { try updatePlanner(final: true) }
                try release(jobId: jobId)
            }
            try throwIfStructural()
        case .mapping:
            try endSingleOrBroken(jobId: jobId)
        }
    }

    /// A map without `contacts`: one request when it holds `DestinationPhoneNumber`.
    private mutating func endSingleOrBroken(jobId: String) throws {
        let fields = entries.filter { !$0.key.hasPrefix("x-") }
        if fields.contains(where: { $0.key == "DestinationPhoneNumber" }) {
            partialSummary.shape = .singleRequest
            let planner = makePlanner(shape: .singleRequest, defaults: [], allowPrefixes: [])
            self.planner = planner
            let row = planner.prepare(Node(.mapping(fields), at: rootMark), index: 0)
            held = [.prepared(row, generation: plannerGeneration)]
            try release(jobId: jobId)
            return
        }
        // A job without contacts: report what else is wrong with it too.
        for entry in entries { header.apply(entry) }
        if !header.versionSeen, !fields.contains(where: { JobHeader.keys.contains($0.key) }) {
            throw fail(
                ErrorCode.invalidStructure,
                "",
                "found a map with neither contacts nor DestinationPhoneNumber; expected a job (version: 1, contacts: [...]) "
                    + "or one request",
                rootMark
            )
        }
        structural = header.diagnostics
        if !header.versionSeen { structural.append(missingVersion) }
        if structural.contains(where: { $0.field == "contacts" }) {
            // `contacts` is there but is not a list: its own diagnostic says so.
            throw JobFileError(structural)
        }
        throw fail("MissingRequiredField", "contacts", "missing; expected a list of requests", rootMark)
    }

    private mutating func throwIfStructural() throws {
        if !header.diagnostics.isEmpty {
            structural = header.diagnostics
            throw JobFileError(structural)
        }
    }

    private mutating func requireVersion() throws {
        guard !header.versionSeen else { return }
        header.diagnostics.append(missingVersion)
        try throwIfStructural()
    }

    private var missingVersion: Diagnostic {
        Diagnostic(
            code: ErrorCode.missingRequiredField,
            field: "version",
            message: "missing; expected version: 1",
            file: file,
            mark: rootMark
        )
    }

    /// Builds the row planner once `defaults` are known (seen, or certainly absent when `final`), and again
    /// when `allowPrefixes` change; checks the defaults once.
    private mutating func updatePlanner(final: Bool = false) throws {
        guard isJob, header.hasSeen("defaults") || final else { return }
        if !defaultsChecked {
            defaultsChecked = true
            if !header.defaults.isEmpty {
                var problems: [Diagnostic] = []
                let validator = RequestValidator(
                    file: file,
                    allowPrefixes: header.allowPrefixes + options.allowPrefixes
                )
                _ = validator.validate(
                    header.defaults,
                    at: rootMark,
                    rowPath: "defaults",
                    complete: false,
                    into: &problems
                )
                header.diagnostics += problems
                try throwIfStructural()
            }
        } else if planner != nil && plannerPrefixes == header.allowPrefixes {
            return
        }
        plannerPrefixes = header.allowPrefixes
        plannerGeneration += 1
        partialSummary.allowPrefixes = header.allowPrefixes
        planner = makePlanner(shape: .job, defaults: header.defaults, allowPrefixes: header.allowPrefixes)
    }

    /// Releases the held rows when there are `heldRowLimit` of them and the job id is known; keys that
    /// change rows and were not given take their defaults.
    private mutating func releaseIfHoldingTooMany() throws {
        guard held.count >= Self.heldRowLimit, isJob, let id = header.id, header.versionSeen else { return }
        try release(jobId: id)
    }

    /// Releases the held rows when nothing later can change them.
    private mutating func releaseIfSettled() throws {
        guard isJob, let id = header.id, JobHeader.rowKeys.allSatisfy({ header.hasSeen($0) }) else { return }
        try release(jobId: id)
    }

    /// Hands on every held row (planned now with the header as it stands) and every row after it.
    private mutating func release(jobId: String) throws {
        if isJob { try requireVersion() }
        try throwIfStructural()
        if planner == nil { try updatePlanner(final: true) }
        guard let planner else { return }
        let job = JobTokens(jobId: jobId)
        self.job = job
        partialSummary.jobId = jobId
        let rows = held
        held = []
        for row in rows {
            switch row {
            case .read(let node, let rowIndex):
                try hand(planner.prepare(node, index: rowIndex), planner: planner, job: job)
            case .prepared(var pending, let generation):
                if case .invalid(_, _, let node) = pending.outcome, generation != plannerGeneration {
                    // `allowPrefixes` came after the row: check it again with them.
                    pending = planner.prepare(node, index: pending.index)
                }
                try hand(pending, planner: planner, job: job)
            }
        }
    }

    private mutating func hand(_ row: consuming PendingRow, planner: RowPlanner, job: JobTokens) throws {
        let event = planner.finish(row, job: job, dedupeKey: header.dedupeKey, window: header.window, dedupe: &index)
        switch event {
        case .planned: plannedRows += 1
        case .rejected(let line, _): partialSummary.counts[line.status, default: 0] += 1
        }
        try emit(event)
    }

    private func makePlanner(shape: JobShape, defaults: [Node.Entry], allowPrefixes: [String]) -> RowPlanner {
        let source = rowSource?.name ?? input.source
        return RowPlanner(
            source: source,
            sourceIndex: rowSource?.index ?? sourceIndex,
            shape: shape,
            defaults: defaults.filter { !$0.value.isNull },
            validator: RequestValidator(file: source, allowPrefixes: allowPrefixes + options.allowPrefixes)
        )
    }

    /// Reads `contacts` given as a CSV file: each record after the header is a row, as if it were an item of
    /// the list, with marks that point into the CSV file. The file is read here, in one pass, streaming.
    private mutating func readContactsFile(_ entry: Node.Entry) throws {
        try beginContacts(keyMark: entry.keyMark, at: entry.value.mark)
        let contacts = CSVContacts(entry.value, header: &header)
        try throwIfStructural()
        guard let contacts else { return }
        let place = contacts.location(jobPath: input.path, jobSource: input.source, jobRawPath: input.rawPath)
        let descriptor: Int32
        do {
            descriptor = try InputSource.open(path: place.path, rawPath: place.rawPath, name: place.name)
        } catch let error as ReadError {
            header.report(
                ErrorCode.unreadableFile,
                "contacts.csv",
                "\(place.name): \(error.message)",
                contacts.pathMark
            )
            try throwIfStructural()
            return
        }
        let reader = CSVReader(
            origin: .descriptor(descriptor, owned: true),
            name: place.name,
            delimiter: contacts.delimiter,
            limits: options.readLimits
        )
        guard let first = try reader.next() else {
            throw ReadError(
                .emptyFile,
                "the CSV file is empty; expected a header row naming the columns, then one row per contact",
                file: place.name,
                mark: nil
            )
        }
        var problems: [Diagnostic] = []
        let columns = CSVColumnMap(
            header: first,
            contacts: contacts,
            file: place.name,
            jobFile: file,
            diagnostics: &problems
        )
        if !problems.isEmpty {
            structural = header.diagnostics + problems
            throw JobFileError(structural)
        }
        reader.header = first.cells.map(\.text)
        rowSource = (place.name, index.addSource(place.name))
        partialSummary.contactsSource = place.name
        if planner != nil {
            planner = makePlanner(shape: .job, defaults: header.defaults, allowPrefixes: plannerPrefixes)
        }
        var rowIndex = 0
        while let record = try reader.next() {
            try contact(columns.row(record), index: rowIndex)
            rowIndex += 1
        }
        contactsSHA256Hex = try reader.sha256Hex()
    }
}
