extension DedupeIndex {
    /// Claims the row's own `ClientToken` for its request (see `ClientTokenIndex`); the planner
    /// asks this once a row is valid and new by its dedupe key.
    /// - Parameters:
    ///   - validated: the row's request; rows without their own token are not looked at.
    ///   - ref: where the row is.
    ///   - rowPath: how the row is named in field paths, or nil.
    /// - Returns: nil when the row may go on (no own token, or a new one); otherwise the row's
    ///   `duplicate` line when the same request had the token before, or its `invalid` line and
    ///   diagnostic naming the other row when a different request did.
    public mutating func claimClientToken(
        of validated: ValidatedRequest,
        ref: RowRef,
        rowPath: String?
    ) -> (line: ResultLine, diagnostics: [Diagnostic])? {
        guard let token = validated.request.clientToken else { return nil }
        let body = validated.request.jsonBody()
        let origin = ClientTokenIndex.Origin(
            source: ref.source,
            row: ref.row,
            line: ref.line,
            rowPath: rowPath,
            body: KeyDigest(of: body)
        )
        let destination = validated.request.destinationPhoneNumber
        switch tokens.claim(token, by: origin) {
        case .new:
            return nil
        case .sameRequest(let first):
            var line = ResultLine(ref: ref, destination: destination, clientToken: token, status: .duplicate)
            line.duplicateOf = (first.source, first.row)
            return (line, [])
        case .otherRequest(let first):
            let firstName = first.rowPath ?? "the request"
            let diagnostic = Diagnostic(
                code: ErrorCode.duplicateClientToken,
                field: RequestField.clientToken.rawValue,
                message: "\(quoted(token)) is also the token of \(firstName) (\(first.source):\(first.line)); "
                    + "a ClientToken must be unique per request",
                file: ref.source,
                mark: validated.clientTokenMark ?? SourceMark(line: ref.line, column: 1),
                rowPath: rowPath
            )
            var line = ResultLine(ref: ref, destination: destination, clientToken: token, status: .invalid)
            line.error = RowError(code: diagnostic.code, message: diagnostic.summary, at: diagnostic.location)
            line.request = body
            return (line, [diagnostic])
        }
    }
}
