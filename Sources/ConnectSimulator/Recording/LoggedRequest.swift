/// A request's line of the request log, whatever the operation.
protocol LoggedRequest: Sendable {
    /// Marks the request refused with this status and error type.
    mutating func refuse(status: Int, errorType: String)
    /// Appends the line to `log`.
    func append(to log: RequestLog)
}

extension RequestRecord: LoggedRequest {
    mutating func refuse(status: Int, errorType: String) {
        self.status = status
        self.errorType = errorType
    }

    func append(to log: RequestLog) {
        log.append(self)
    }
}

extension OperationRecord: LoggedRequest {
    mutating func refuse(status: Int, errorType: String) {
        self.status = status
        self.errorType = errorType
    }

    func append(to log: RequestLog) {
        log.append(self)
    }
}
