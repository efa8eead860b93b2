import OutdialCore

/// The lines the executor (and a run that stops before sending) writes for planned rows.
extension ResultLine {
    /// The line of a row an earlier run settled (`skipped: already-started` with its contactId,
    /// or `uncertain` unless `redialUncertain`), or `nil` when the row is to be sent.
    static func resumed(
        _ row: PlannedRow,
        _ entry: JournalState.Entry?,
        redialUncertain: Bool
    ) -> ResultLine? {
        switch entry {
        case .started(let contactId):
            var line = sending(row, status: .skipped)
            line.reason = .alreadyStarted
            line.contactId = contactId
            return line
        case .uncertain where !redialUncertain:
            var line = sending(row, status: .uncertain)
            line.error = RowError(
                code: ErrorCode.outcomeUnknown,
                message: "an earlier run sent this request and never learned its outcome; "
                    + "not sent again (--redial-uncertain sends it)",
                retryable: false
            )
            line.request = row.body
            return line
        case .uncertain, .failed, nil:
            return nil
        }
    }

    /// A line with the row's identity and `status`.
    static func sending(_ row: PlannedRow, status: RowStatus) -> ResultLine {
        var line = ResultLine(ref: row.ref, destination: row.destination, clientToken: row.clientToken, status: status)
        line.timezone = row.window?.label
        if row.attempt > 1 { line.attempt = row.attempt }
        return line
    }

    /// `skipped` with `reason` and the request.
    static func skipped(_ row: PlannedRow, _ reason: SkipReason) -> ResultLine {
        var line = sending(row, status: .skipped)
        line.reason = reason
        line.request = row.body
        return line
    }

    /// `skipped` with `reason`, the error and the window's next opening, and the request.
    static func skipped(_ row: PlannedRow, _ reason: SkipReason, error: RowError?, opensAt: String?) -> ResultLine {
        var line = skipped(row, reason)
        line.error = error
        line.opensAt = opensAt
        return line
    }

    /// `failed` with the error (its `retryable` set), attempts and the request.
    static func failed(_ row: PlannedRow, _ error: RowError, retryable: Bool, attempts: Int) -> ResultLine {
        var line = sending(row, status: .failed)
        var error = error
        error.retryable = retryable
        line.error = error
        line.attempts = attempts
        line.request = row.body
        return line
    }
}

extension ResultLine {
    /// The `skipped` line of a row the records refused.
    static func refused(_ row: PlannedRow, _ refusal: Refusal) -> ResultLine {
        var line = ResultLine.skipped(row, refusal.reason)
        line.error = refusal.error
        line.nextAllowedAt = refusal.nextAllowedAt
        return line
    }

    /// The lines of the rows `refusals` refuses, in the rows' order.
    /// - Parameter refusals: empty, or one refusal or nil per row of `rows`.
    static func refused(_ rows: [PlannedRow], _ refusals: [Refusal?]) -> some Sequence<ResultLine> {
        refusals.indices.lazy.compactMap { index in refusals[index].map { refused(rows[index], $0) } }
    }
}

extension [Refusal?] {
    /// Whether the row at `index` is refused; `self` is empty (no row refused) or one per row.
    func refuses(_ index: Int) -> Bool {
        !isEmpty && self[index] != nil
    }
}
