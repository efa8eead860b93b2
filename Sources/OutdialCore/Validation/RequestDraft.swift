/// What one validation has taken from a request's fields so far: the request being built, the
/// required parts kept apart until every rule has passed, and which fields were given.
struct RequestDraft {
    var request = ConnectRequest(destinationPhoneNumber: "", contactFlowId: "", instanceId: "")
    var destination: String?
    var contactFlowId: String?
    var instanceId: String?
    /// The region of an `InstanceId` ARN.
    var region: String?
    /// `AnswerMachineDetectionConfig.EnableAnswerMachineDetection`, for the TrafficType rule.
    var amdEnableNode: Node?
    /// Where `ClientToken` was written.
    var clientTokenMark: SourceMark?
    /// The row's `timezone` option, never sent.
    var timeZone: String?
    var present = FieldSet()
}

extension RequestDraft {
    /// The request, once every rule passed: nil while a required part is missing. The request is
    /// moved out, not copied: the draft is left with an empty one.
    mutating func takeValidated() -> ValidatedRequest? {
        guard let destination, let contactFlowId, let instanceId else { return nil }
        var request = ConnectRequest(destinationPhoneNumber: "", contactFlowId: "", instanceId: "")
        swap(&request, &self.request)
        request.destinationPhoneNumber = destination
        request.contactFlowId = contactFlowId
        request.instanceId = instanceId
        return ValidatedRequest(
            request: request,
            regionFromARN: region,
            clientTokenMark: clientTokenMark,
            timeZone: timeZone
        )
    }
}
