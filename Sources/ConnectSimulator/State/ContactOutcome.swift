/// How a simulated contact ended, and what Connect's DescribeContact shows for it.
///
/// | outcome | connected | `DisconnectReason` | `AnsweringMachineDetectionStatus` (AMD on) |
/// | --- | --- | --- | --- |
/// | answered | yes | `CUSTOMER_DISCONNECT` | `HUMAN_ANSWERED` |
/// | voicemail | yes | `CONTACT_FLOW_DISCONNECT` | `VOICEMAIL_BEEP` |
/// | no-answer | no | `TELECOM_TIMEOUT` | `AMD_UNANSWERED` |
/// | busy | no | `TELECOM_BUSY` | `SIT_TONE_BUSY` (`AMD_NOT_APPLICABLE` past the active-calls quota) |
/// | abandoned | yes | `CUSTOMER_DISCONNECT` | `HUMAN_ANSWERED` |
public enum ContactOutcome: String, Sendable, Hashable, CaseIterable {
    /// Someone answered; the call lasts `callSeconds` once connected.
    case answered
    /// It rang until the request's `RingTimeoutInSeconds` (60 by default) with nobody answering.
    case noAnswer = "no-answer"
    /// The line was busy (or the instance was past its active-calls quota: a fast busy).
    case busy
    /// An answering machine took it; the flow plays to it for `callSeconds`.
    case voicemail
    /// Answered for a queue with no agent free: the callee waited `abandonSeconds` and hung up.
    case abandoned

    /// The outcomes `--outcomes` draws from, in the order of the draw.
    public static let drawable: [ContactOutcome] = [.answered, .noAnswer, .busy, .voicemail]

    /// Whether the call reached the callee's end (Connect sets `ConnectedToSystemTimestamp`).
    var connects: Bool {
        switch self {
        case .answered, .voicemail, .abandoned: true
        case .noAnswer, .busy: false
        }
    }

    /// The `DisconnectReason` Connect gives a contact that ended this way by itself.
    public var disconnectReason: String {
        switch self {
        case .answered, .abandoned: "CUSTOMER_DISCONNECT"
        case .voicemail: "CONTACT_FLOW_DISCONNECT"
        case .noAnswer: "TELECOM_TIMEOUT"
        case .busy: "TELECOM_BUSY"
        }
    }

    /// The `AnsweringMachineDetectionStatus` of a campaign call with answering machine detection on.
    public var answeringMachineDetectionStatus: String {
        switch self {
        case .answered, .abandoned: "HUMAN_ANSWERED"
        case .voicemail: "VOICEMAIL_BEEP"
        case .noAnswer: "AMD_UNANSWERED"
        case .busy: "SIT_TONE_BUSY"
        }
    }
}
