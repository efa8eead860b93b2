import OutdialCore
import Testing

@testable import OutdialClient

struct RetryPolicyTests {
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
        #expect(policy.delay(after: .timeout, attempt: 2, random: 0.9) == .milliseconds(200))
        #expect(policy.delay(after: .throttled, attempt: 2, random: 0.5) == .milliseconds(100))
        #expect(policy.delay(after: .refused, attempt: 1, random: 0.25) == .milliseconds(25))
    }

    @Test func retryabilityIsTheOutcomesOwnClassification() {
        #expect(AttemptOutcome.throttled.isRetryable && AttemptOutcome.throttled.isThrottling)
        #expect(AttemptOutcome.serverError.isRetryable && !AttemptOutcome.serverError.isThrottling)
        #expect(AttemptOutcome.refused.isRetryable)
        #expect(AttemptOutcome.timeout.isRetryable && AttemptOutcome.timeout.isUncertain)
        #expect(!AttemptOutcome.invalidNumber.isRetryable)
        #expect(!AttemptOutcome.denied.isRetryable)
        #expect(!AttemptOutcome.notSent(.refused, .permanent).isRetryable)
        #expect(!AttemptOutcome.started(contactId: "c", milliseconds: 1).isRetryable)
    }
}
