import Foundation

/// How a followed call ended (live-calls.md, "Outcomes"), in short.
public enum CallOutcome: String, Sendable, Hashable, CaseIterable {
    case answered
    case noAnswer = "no-answer"
    case busy
    case voicemail
    case invalidNumber = "invalid-number"
    case failed
    case unknown
    /// The call was still live when the run ended (deadline, interrupt, `--no-follow`).
    case live

    /// Outcomes a new attempt may change (`replay --outcome`): their lines carry the request.
    public var mayBeTriedAgain: Bool { [.noAnswer, .busy, .voicemail, .failed].contains(self) }
}

/// What `DescribeContact` said of a call: the result line's `call: {connectedAt, endedAt, seconds,
/// disconnectReason, amd}`.
public struct CallRecord: Sendable, Hashable {
    /// `InitiationTimestamp`.
    public var initiatedAt: Date?
    /// `ConnectedToSystemTimestamp`: the person (or a machine) answered.
    public var connectedAt: Date?
    /// `DisconnectTimestamp`: nil while the call is live.
    public var endedAt: Date?
    /// `DisconnectReason`.
    public var disconnectReason: String?
    /// `AnsweringMachineDetectionStatus`.
    public var amd: String?

    public init(
        initiatedAt: Date? = nil,
        connectedAt: Date? = nil,
        endedAt: Date? = nil,
        disconnectReason: String? = nil,
        amd: String? = nil
    ) {
        self.initiatedAt = initiatedAt
        self.connectedAt = connectedAt
        self.endedAt = endedAt
        self.disconnectReason = disconnectReason
        self.amd = amd
    }

    /// The call has ended.
    public var hasEnded: Bool { endedAt != nil }

    /// How long it lasted: from the answer (else the start) to the end, in seconds.
    public var seconds: Double? {
        guard let endedAt, let from = connectedAt ?? initiatedAt else { return nil }
        return max(0, endedAt.timeIntervalSince(from))
    }

    /// The outcome of an ended call (`live` while it is not), by the table in the README
    /// ("Outcomes"): the answering-machine status first, then the disconnect reason, then whether
    /// it was connected.
    public var outcome: CallOutcome {
        guard hasEnded else { return .live }
        if let amd, let outcome = Self.amdOutcomes[amd] { return outcome }
        if let reason = disconnectReason, let outcome = Self.reasonOutcomes[reason] { return outcome }
        if connectedAt != nil { return .answered }
        return disconnectReason == nil ? .unknown : .noAnswer
    }

    /// `AnsweringMachineDetectionStatus` values that decide the outcome.
    static let amdOutcomes: [String: CallOutcome] = [
        "HUMAN_ANSWERED": .answered,
        "VOICEMAIL_BEEP": .voicemail,
        "VOICEMAIL_NO_BEEP": .voicemail,
        "AMD_UNANSWERED": .noAnswer,
        "SIT_TONE_BUSY": .busy,
        "SIT_TONE_INVALID_NUMBER": .invalidNumber,
        "SIT_TONE_DETECTED": .failed,
        "FAX_MACHINE_DETECTED": .failed,
    ]

    /// `DisconnectReason` values that decide the outcome (the others fall back to whether the call
    /// was connected).
    static let reasonOutcomes: [String: CallOutcome] = [
        "TELECOM_BUSY": .busy,
        "TELECOM_UNANSWERED": .noAnswer,
        "TELECOM_TIMEOUT": .noAnswer,
        "TELECOM_ORIGINATOR_CANCEL": .noAnswer,
        "TELECOM_NUMBER_INVALID": .invalidNumber,
        "OUTBOUND_DESTINATION_ENDPOINT_ERROR": .invalidNumber,
        "OUTBOUND_RESOURCE_ERROR": .failed,
        "OUTBOUND_ATTEMPT_FAILED": .failed,
        "TELECOM_PROBLEM": .failed,
        "TELECOM_POTENTIAL_BLOCKING": .failed,
    ]
}
