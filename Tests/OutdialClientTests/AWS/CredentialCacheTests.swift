import AWSSigV4
import Foundation
import OutdialClient
import Testing

/// Counts calls and hands out numbered credentials that expire at a set time.
private actor CountingProvider: CredentialProvider {
    private(set) var calls = 0
    private let expiration: @Sendable () -> Date?

    init(expiration: @escaping @Sendable () -> Date?) {
        self.expiration = expiration
    }

    func credentials() async throws -> AWSCredentials {
        calls += 1
        let number = calls
        await Task.yield()
        return AWSCredentials(accessKeyId: "AKID\(number)", secretAccessKey: "secret", expiration: expiration())
    }
}

/// A clock tests move by hand.
private final class ManualClock: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Date

    init(_ start: Date) {
        value = start
    }

    var now: Date { lock.withLock { value } }

    func advance(by seconds: TimeInterval) {
        lock.withLock { value += seconds }
    }
}

/// Gives credentials once, then fails.
private actor FailingAfterFirstProvider: CredentialProvider {
    private(set) var calls = 0
    private let expiration: Date

    init(expiration: Date) {
        self.expiration = expiration
    }

    func credentials() async throws -> AWSCredentials {
        calls += 1
        guard calls == 1 else {
            throw AWSConfigurationError.instanceMetadataFailed("EC2 instance metadata at http://x: HTTP 500")
        }
        return AWSCredentials(accessKeyId: "AKID1", secretAccessKey: "secret", expiration: expiration)
    }
}

struct CredentialCacheTests {
    private func fetchConcurrently(_ cache: CredentialCache, _ count: Int) async throws -> Set<String> {
        try await withThrowingTaskGroup(of: String.self) { group in
            for _ in 0 ..< count {
                group.addTask { try await cache.credentials().accessKeyId }
            }
            var keys = Set<String>()
            for try await key in group { keys.insert(key) }
            return keys
        }
    }

    @Test func twentyConcurrentWaitersShareOneFetch() async throws {
        let provider = CountingProvider(expiration: { nil })
        let cache = CredentialCache(provider: provider)
        #expect(try await fetchConcurrently(cache, 20) == ["AKID1"])
        #expect(await provider.calls == 1)
        _ = try await cache.credentials()
        #expect(await provider.calls == 1)
    }

    @Test func refreshesOnceFiveMinutesBeforeExpiry() async throws {
        let start = Date(timeIntervalSince1970: 1_800_000_000)
        let clock = ManualClock(start)
        let provider = CountingProvider(expiration: { clock.now + 3600 })
        let cache = CredentialCache(provider: provider, now: { clock.now })
        #expect(try await fetchConcurrently(cache, 20) == ["AKID1"])

        clock.advance(by: 3600 - 301)  // 5 minutes and 1 second left: still good
        #expect(try await fetchConcurrently(cache, 20) == ["AKID1"])
        #expect(await provider.calls == 1)

        clock.advance(by: 2)  // under 5 minutes left: one refresh for all 20
        #expect(try await fetchConcurrently(cache, 20) == ["AKID2"])
        #expect(await provider.calls == 2)
    }

    @Test func failedRefreshKeepsUnexpiredCredentialsThenFails() async throws {
        let start = Date(timeIntervalSince1970: 1_800_000_000)
        let clock = ManualClock(start)
        let provider = FailingAfterFirstProvider(expiration: start + 600)
        let cache = CredentialCache(provider: provider, now: { clock.now })
        #expect(try await fetchConcurrently(cache, 20) == ["AKID1"])  // 10 minutes left
        clock.advance(by: 400)  // 200 s left: refresh fails, the old ones still work
        #expect(try await fetchConcurrently(cache, 20) == ["AKID1"])
        #expect(await provider.calls == 2)  // one failed refresh for all 20
        clock.advance(by: 20)  // within 30 s of the failure: no new attempt
        #expect(try await cache.credentials().accessKeyId == "AKID1")
        #expect(await provider.calls == 2)
        clock.advance(by: 300)  // expired: the refresh error reaches the caller
        await #expect(
            throws: AWSConfigurationError.instanceMetadataFailed("EC2 instance metadata at http://x: HTTP 500")
        ) {
            try await cache.credentials()
        }
    }
}
