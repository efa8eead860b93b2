import Foundation

/// One contact's life: what the request asked, what was drawn for it, and how far it has gone.
struct SimulatedContact: Sendable, Equatable {
    var id: String
    var instanceId: String
    var queueId: String?
    var token: String?
    var destination: String?
    var source: String?
    /// Whether the request turned answering machine detection on.
    var answeringMachineDetection: Bool
    /// The outcome drawn, or decided when it connected (abandoned), or busy past the quota.
    var outcome: ContactOutcome
    /// Whether it was refused a line by the active-calls quota (a fast busy at once).
    var overQuota = false
    var initiatedAt: Date
    /// When it connects (or connected), for the outcomes that connect.
    var connectsAt: Date?
    /// When it is due to end by itself; `nil` while that waits on an agent.
    var endsAt: Date?
    /// When it ended; `nil` while live.
    var endedAt: Date?
    var disconnectReason: String?
    var stoppedBy: String?
    /// The agent it holds (answered for a queue with agents).
    var agentId: String?

    var isLive: Bool { endedAt == nil }

    /// `ConnectedToSystemTimestamp` as seen at `now`: set once it connected, before it ended.
    func connectedAt(seenAt now: Date) -> Date? {
        guard let connectsAt, connectsAt <= now, connectsAt <= (endedAt ?? .distantFuture) else { return nil }
        return connectsAt
    }

    /// `AnsweringMachineDetectionStatus` as seen at `now`, when the request turned detection on:
    /// known once it connected, or once it ended by itself.
    func answeringMachineDetectionStatus(seenAt now: Date) -> String? {
        guard answeringMachineDetection else { return nil }
        if overQuota { return "AMD_NOT_APPLICABLE" }
        if connectedAt(seenAt: now) != nil || (endedAt != nil && stoppedBy == nil) {
            return outcome.answeringMachineDetectionStatus
        }
        return nil
    }
}
