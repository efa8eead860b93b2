import OutdialCore
import Testing

@testable import OutdialClient

struct RetryPolicyTests {
    @Test func classification() {
        #expect(RetryPolicy.isRetryable(.failed(.throttled)))
        #expect(RetryPolicy.isRetryable(.failed(RowError(code: "ThrottlingException", message: "", http: 400))))
        #expect(RetryPolicy.isRetryable(.failed(RowError(code: "LimitExceededException", message: "", http: 400))))
        #expect(RetryPolicy.isRetryable(.failed(.serverError)))
        #expect(RetryPolicy.isRetryable(.failed(RowError(code: "ServiceUnavailable", message: "", http: 503))))
        #expect(RetryPolicy.isRetryable(.notSent(.refused)))
        #expect(RetryPolicy.isRetryable(.unknown(.timeout)))
        #expect(!RetryPolicy.isRetryable(.failed(.invalidNumber)))
        #expect(!RetryPolicy.isRetryable(.fatal(.denied)))
        #expect(!RetryPolicy.isRetryable(.started(contactId: "c", milliseconds: 1)))
    }

    @Test func cappedExponentialBackoffWithFullJitter() {
        let policy = RetryPolicy()
        #expect(policy.backoff(attempt: 1, random: 0.999_999) < .milliseconds(100))
        #expect(policy.backoff(attempt: 1, random: 0.5) == .milliseconds(50))
        #expect(policy.backoff(attempt: 2, random: 0.5) == .milliseconds(100))
        #expect(policy.backoff(attempt: 3, random: 0.5) == .milliseconds(200))
        #expect(policy.backoff(attempt: 12, random: 1) == .seconds(5))
        #expect(policy.backoff(attempt: 3, random: 0) == .zero)
    }

    @Test func unknownOutcomesWaitAShortFixedDelay() {
        let policy = RetryPolicy()
        #expect(policy.delay(after: .unknown(.timeout), attempt: 2, random: 0.9) == .milliseconds(200))
        #expect(policy.delay(after: .failed(.throttled), attempt: 2, random: 0.5) == .milliseconds(100))
    }
}
