import Foundation
import Hummingbird

/// The operation a request's method and path name, as Connect's rest-json routes them.
enum SimulatorRoute: Sendable, Equatable {
    /// `PUT /contact/outbound-voice`
    case startOutboundVoiceContact
    /// `GET /contacts/{InstanceId}/{ContactId}`
    case describeContact(instanceId: String, contactId: String)
    /// `POST /contact/stop`
    case stopContact
    /// `POST /metrics/current/{InstanceId}`
    case getCurrentMetricData(instanceId: String)

    /// The route of `method` and `path` (percent-encoded); `nil` for an unknown operation.
    init?(method: HTTPRequest.Method, path: String) {
        let parts = path.split(separator: "/", omittingEmptySubsequences: false).map {
            String($0).removingPercentEncoding ?? String($0)
        }
        switch (method, parts.count) {
        case (.put, 3) where parts[1] == "contact" && parts[2] == "outbound-voice":
            self = .startOutboundVoiceContact
        case (.get, 4) where parts[1] == "contacts" && !parts[2].isEmpty && !parts[3].isEmpty:
            self = .describeContact(instanceId: parts[2], contactId: parts[3])
        case (.post, 3) where parts[1] == "contact" && parts[2] == "stop":
            self = .stopContact
        case (.post, 4) where parts[1] == "metrics" && parts[2] == "current" && !parts[3].isEmpty:
            self = .getCurrentMetricData(instanceId: parts[3])
        default:
            return nil
        }
    }

    /// The operation's API name.
    var operation: SimulatorConfiguration.Operation {
        switch self {
        case .startOutboundVoiceContact: .startOutboundVoiceContact
        case .describeContact: .describeContact
        case .stopContact: .stopContact
        case .getCurrentMetricData: .getCurrentMetricData
        }
    }
}
