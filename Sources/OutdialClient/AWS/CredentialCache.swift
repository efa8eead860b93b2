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
    private var refresh: Task<AWSCredentials, any Error>?

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
        if let refresh {
            return try await refresh.value
        }
        let provider = self.provider
        let task = Task { try await provider.credentials() }
        refresh = task
        defer { refresh = nil }
        do {
            let fresh = try await task.value
            current = fresh
            return fresh
        } catch {
            // A failed refresh keeps using credentials that have not yet expired.
            if let current, let expiration = current.expiration, expiration > now() {
                return current
            }
            throw error
        }
    }

    private func isExpiring(_ credentials: AWSCredentials) -> Bool {
        guard let expiration = credentials.expiration else { return false }
        return expiration.timeIntervalSince(now()) <= refreshMargin
    }
}
