import Crypto

/// Plans single rows of one job: merge with the defaults, validate, dedupe, give the ClientToken,
/// encode the body. A class, so that planning a row does not copy the job's settings.
final class RowPlanner {
    let jobId: String
    let source: String
    let sourceIndex: Int
    let shape: JobShape
    let defaults: [Node.Entry]
    /// nil when `dedupe: off`.
    let dedupeKey: DedupeKey?
    let validator: RequestValidator
    /// The ClientToken hasher, already fed with the job id.
    private let tokenSeed: SHA256

    init(
        jobId: String,
        source: String,
        sourceIndex: Int,
        shape: JobShape,
        defaults: [Node.Entry],
        dedupeKey: DedupeKey?,
        validator: RequestValidator
    ) {
        self.jobId = jobId
        self.source = source
        self.sourceIndex = sourceIndex
        self.shape = shape
        self.defaults = defaults
        self.dedupeKey = dedupeKey
        self.validator = validator
        self.tokenSeed = JobIdentity.tokenSeed(jobId: jobId)
    }

    /// How row `index` is named in field paths.
    func rowPath(_ index: Int) -> String? {
        switch shape {
        case .job: return "contacts[\(index)]"
        case .requestList: return "[\(index)]"
        case .singleRequest: return nil
        }
    }

    func plan(_ node: Node, index: Int, dedupe: inout DedupeIndex) -> PlanEvent {
        let ref = RowRef(job: jobId, source: source, row: index, line: node.mark.line)
        var diagnostics: [Diagnostic] = []
        guard case .mapping(let rowEntries) = node.value else {
            diagnostics.append(
                Diagnostic(
                    code: "InvalidType",
                    field: "",
                    message: "found \(node.kindDescription); expected a map of request fields",
                    file: validator.file,
                    mark: node.mark,
                    rowPath: rowPath(index)
                )
            )
            var w = JSONWriter()
            NodeJSON.write(node, to: &w)
            return Self.invalid(ref: ref, destination: "", clientToken: "", request: w.bytes, diagnostics: diagnostics)
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
        guard diagnostics.isEmpty, var validated else {
            let path = rowPath(index)
            for i in diagnostics.indices { diagnostics[i].rowPath = path }
            return Self.invalid(
                ref: ref,
                destination: Self.destinationText(entries),
                clientToken: entries.last(where: { $0.key == "ClientToken" })?.value.scalarText ?? "",
                request: NodeJSON.object(entries),
                diagnostics: diagnostics
            )
        }
        let token: String
        if let dedupeKey {
            let keyText = dedupeKey.text(for: validated.request)
            if let first = dedupe.insert(KeyDigest(of: keyText), sourceIndex: sourceIndex, row: index) {
                var line = ResultLine(
                    ref: ref,
                    destination: validated.request.destinationPhoneNumber,
                    clientToken: validated.request.clientToken
                        ?? JobIdentity.clientToken(seed: tokenSeed, keyText: keyText),
                    status: .duplicate
                )
                line.duplicateOf = first
                return .rejected(line, [])
            }
            token = validated.request.clientToken ?? JobIdentity.clientToken(seed: tokenSeed, keyText: keyText)
        } else {
            token =
                validated.request.clientToken
                ?? JobIdentity.clientToken(seed: tokenSeed, keyText: Array("row \(index)".utf8))
        }
        if let clash = dedupe.claimClientToken(of: validated, ref: ref, rowPath: rowPath(index)) {
            return .rejected(clash.line, clash.diagnostics)
        }
        validated.request.clientToken = token
        return .planned(
            PlannedRow(
                ref: ref,
                destination: validated.request.destinationPhoneNumber,
                clientToken: token,
                body: validated.request.jsonBody(),
                instanceId: validated.request.instanceId,
                regionFromARN: validated.regionFromARN
            )
        )
    }

    static func invalid(
        ref: RowRef,
        destination: String,
        clientToken: String,
        request: [UInt8],
        diagnostics: [Diagnostic]
    ) -> PlanEvent {
        var line = ResultLine(ref: ref, destination: destination, clientToken: clientToken, status: .invalid)
        if let first = diagnostics.first {
            var message = first.summary
            if diagnostics.count > 1 {
                message += " (and \(diagnostics.count - 1) more problem\(diagnostics.count == 2 ? "" : "s"))"
            }
            line.error = RowError(code: first.code, message: message, at: first.location)
        }
        line.request = request
        return .rejected(line, diagnostics)
    }

    /// The destination as far as it can be told: normalised when valid, else as written.
    static func destinationText(_ entries: [Node.Entry]) -> String {
        guard let text = entries.last(where: { $0.key == "DestinationPhoneNumber" })?.value.scalarText else {
            return ""
        }
        return PhoneNumber.normalise(text) ?? text
    }
}
