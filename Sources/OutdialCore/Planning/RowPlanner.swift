import Crypto

/// A row merged with the defaults and validated, not yet deduplicated nor given its ClientToken: the
/// compact form a row waits in while its job's id (or dedupe key) is not known yet. No node tree is
/// kept for a valid row; an invalid one keeps its node, to be checked again if `allowPrefixes` comes late.
struct PendingRow {
    enum Outcome {
        case valid(ValidatedRequest)
        /// The `invalid` line (its `ref.job` filled in later), the problems, and the row as read.
        case invalid(ResultLine, [Diagnostic], Node)
    }

    var index: Int
    var line: Int
    var outcome: Outcome
}

/// A job's id and the ClientToken hasher already fed with it.
struct JobTokens {
    let jobId: String
    /// The ClientToken hasher, already fed with the job id.
    let seed: SHA256

    init(jobId: String) {
        self.jobId = jobId
        seed = JobIdentity.tokenSeed(jobId: jobId)
    }
}

/// Plans single rows of one job in two steps: `prepare` merges a row with the defaults and validates
/// it; `finish` dedupes it, gives it its ClientToken and encodes the body. A class, so that planning a
/// row does not copy the job's settings.
final class RowPlanner {
    let source: String
    let sourceIndex: Int
    let shape: JobShape
    let defaults: [Node.Entry]
    let validator: RequestValidator
    /// The defaults checked once, when they can be (see `DefaultsDraft`).
    private let defaultsDraft: DefaultsDraft?

    init(source: String, sourceIndex: Int, shape: JobShape, defaults: [Node.Entry], validator: RequestValidator) {
        self.source = source
        self.sourceIndex = sourceIndex
        self.shape = shape
        self.defaults = defaults
        self.validator = validator
        defaultsDraft = DefaultsDraft(defaults, validator: validator)
    }

    /// How row `index` is named in field paths.
    func rowPath(_ index: Int) -> String? {
        switch shape {
        case .job: return "contacts[\(index)]"
        case .requestList: return "[\(index)]"
        case .singleRequest: return nil
        }
    }

    /// Merges and validates row `index`.
    func prepare(_ node: Node, index: Int) -> PendingRow {
        let ref = RowRef(job: "", source: source, row: index, line: node.mark.line)
        var diagnostics: [Diagnostic] = []
        guard case .mapping(let rowEntries) = node.value else {
            diagnostics.append(
                Diagnostic(
                    code: ErrorCode.invalidType,
                    field: "",
                    message: "found \(node.kindDescription); expected a map of request fields",
                    file: validator.file,
                    mark: node.mark,
                    rowPath: rowPath(index)
                )
            )
            var w = JSONWriter()
            NodeJSON.write(node, to: &w)
            let line = Self.invalidLine(ref: ref, destination: "", clientToken: "", request: w.bytes, diagnostics)
            return PendingRow(index: index, line: ref.line, outcome: .invalid(line, diagnostics, node))
        }
        // Most rows: only their own fields are checked, on the defaults' draft.
        if let defaultsDraft, let validated = validator.validate(rowEntries, over: defaultsDraft, at: node.mark) {
            return PendingRow(index: index, line: ref.line, outcome: .valid(validated))
        }
        let entries = RowMerger.merge(defaults: defaults, row: rowEntries)
        // Keys repeated in the row are looked for in the row itself: merging would hide them.
        // The row's path is only named when there is something to report.
        let validated = validator.validate(
            entries,
            at: node.mark,
            rowPath: nil,
            duplicatesIn: rowEntries,
            into: &diagnostics
        )
        guard diagnostics.isEmpty, let validated else {
            let path = rowPath(index)
            for i in diagnostics.indices { diagnostics[i].rowPath = path }
            let line = Self.invalidLine(
                ref: ref,
                destination: Self.destinationText(entries),
                clientToken: entries.last(where: { $0.key == "ClientToken" })?.value.scalarText ?? "",
                request: NodeJSON.object(entries),
                diagnostics
            )
            return PendingRow(index: index, line: ref.line, outcome: .invalid(line, diagnostics, node))
        }
        return PendingRow(index: index, line: ref.line, outcome: .valid(validated))
    }

    /// Dedupes a prepared row against `dedupe`, gives it its ClientToken under `job` and its calling
    /// window under `window`.
    /// - Parameter dedupeKey: nil when dedupe is off.
    func finish(
        _ row: consuming PendingRow,
        job: JobTokens,
        dedupeKey: DedupeKey?,
        window: WindowSetting,
        attempt: Int = 1,
        dedupe: inout DedupeIndex
    ) -> PlanEvent {
        let (index, lineNumber) = (row.index, row.line)
        let ref = RowRef(job: job.jobId, source: source, row: index, line: lineNumber)
        // The row is used up: its request is moved out, not copied.
        let outcome = (consume row).outcome
        switch consume outcome {
        case .invalid(var line, let diagnostics, _):
            line.ref = ref
            return .rejected(line, diagnostics)
        case .valid(var validated):
            let token: String
            if let dedupeKey {
                var keyText = dedupeKey.text(for: validated.request)
                // A deliberate new attempt gets a token of its own (and is not a duplicate of the first).
                if attempt > 1 { keyText += Array("\u{1}attempt \(attempt)".utf8) }
                if let first = dedupe.insert(KeyDigest(of: keyText), sourceIndex: sourceIndex, row: index) {
                    var line = ResultLine(
                        ref: ref,
                        destination: validated.request.destinationPhoneNumber,
                        clientToken: validated.request.clientToken
                            ?? JobIdentity.clientToken(seed: job.seed, keyText: keyText),
                        status: .duplicate
                    )
                    line.duplicateOf = first
                    return .rejected(line, [])
                }
                token = validated.request.clientToken ?? JobIdentity.clientToken(seed: job.seed, keyText: keyText)
            } else {
                token =
                    validated.request.clientToken
                    ?? JobIdentity.clientToken(
                        seed: job.seed,
                        keyText: Array("row \(index)\(attempt > 1 ? " attempt \(attempt)" : "")".utf8)
                    )
            }
            // Only a row with its own ClientToken is claimed (and named): most rows skip building their path.
            if validated.request.clientToken != nil,
                let clash = dedupe.claimClientToken(of: validated, ref: ref, rowPath: rowPath(index))
            {
                return .rejected(clash.line, clash.diagnostics)
            }
            validated.request.clientToken = token
            let planned = PlannedRow(
                ref: ref,
                destination: validated.request.destinationPhoneNumber,
                clientToken: token,
                body: validated.request.jsonBody(),
                instanceId: validated.request.instanceId,
                regionFromARN: validated.regionFromARN,
                timezone: validated.timeZone,
                window: window.rowWindow(
                    destination: validated.request.destinationPhoneNumber,
                    rowTimeZone: validated.timeZone
                ),
                queueId: validated.request.queueId
            )
            return .planned(planned)
        }
    }

    static func invalidLine(
        ref: RowRef,
        destination: String,
        clientToken: String,
        request: [UInt8],
        _ diagnostics: [Diagnostic]
    ) -> ResultLine {
        var line = ResultLine(ref: ref, destination: destination, clientToken: clientToken, status: .invalid)
        if let first = diagnostics.first {
            var message = first.summary
            if diagnostics.count > 1 {
                message += " (and \(diagnostics.count - 1) more problem\(diagnostics.count == 2 ? "" : "s"))"
            }
            line.error = RowError(code: first.code, message: message, at: first.location)
        }
        line.request = request
        return line
    }

    /// The destination as far as it can be told: normalised when valid, else as written.
    static func destinationText(_ entries: [Node.Entry]) -> String {
        guard let text = entries.last(where: { $0.key == "DestinationPhoneNumber" })?.value.scalarText else {
            return ""
        }
        return PhoneNumber.normalise(text) ?? text
    }
}
