import AWSSigV4
import Foundation

/// Keeps the credentials of a provider and refreshes them before they expire, once for all
/// concurrent callers: the first caller that finds them missing or expiring starts one refresh,
/// the others await that same refresh.
public actor CredentialCache: CredentialProvider {
    private let provider: any CredentialProvider
    private let refreshMargin: TimeInterval
    private let now: @Sendable () -> Date
    private var current: AWSCredentials?
    private var refresh: Task<(credentials: AWSCredentials, refreshed: Bool), any Error>?
    /// When a refresh last failed while the old credentials were still valid; the next attempt
    /// waits `retryAfterFailure`, so a failing source is not asked once per request.
    private var failedAt: Date?
    private let retryAfterFailure: TimeInterval = 30

    /// - Parameters:
    ///   - provider: where credentials come from.
    ///   - refreshMargin: how long before expiry to refresh (5 minutes).
    ///   - now: the clock (tests move it).
    public init(
        provider: any CredentialProvider,
        refreshMargin: TimeInterval = 300,
        now: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.provider = provider
        self.refreshMargin = refreshMargin
        self.now = now
    }

    public func credentials() async throws -> AWSCredentials {
        if let current, !isExpiring(current) {
            return current
        }
        if let current, let failedAt, now().timeIntervalSince(failedAt) < retryAfterFailure, !isExpired(current) {
            return current
        }
        if let refresh {
            return try await refresh.value.credentials
        }
        let provider = self.provider
        let previous = current
        let now = self.now
        let task = Task { () async throws -> (credentials: AWSCredentials, refreshed: Bool) in
            do {
                return (try await provider.credentials(), true)
            } catch {
                // A failed refresh keeps using credentials that have not yet expired, for every waiter.
                if let previous, let expiration = previous.expiration, expiration > now() {
                    return (previous, false)
                }
                throw error
            }
        }
        refresh = task
        defer { refresh = nil }
        let result = try await task.value
        current = result.credentials
        failedAt = result.refreshed ? nil : now()
        return result.credentials
    }

    private func isExpired(_ credentials: AWSCredentials) -> Bool {
        guard let expiration = credentials.expiration else { return false }
        return expiration <= now()
    }

    private func isExpiring(_ credentials: AWSCredentials) -> Bool {
        guard let expiration = credentials.expiration else { return false }
        return expiration.timeIntervalSince(now()) <= refreshMargin
    }
}
