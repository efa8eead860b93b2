import Foundation

/// A log-normal distribution fitted to a median and a 99th percentile, drawn with Box-Muller.
struct LogNormal: Sendable {
    /// The 99th percentile of a standard normal distribution.
    private static let z99 = 2.326_347_874_040_841

    let mu: Double
    let sigma: Double

    /// The distribution whose median is `p50` and 99th percentile `p99` (both above 0).
    init(p50: Double, p99: Double) {
        self.mu = log(p50)
        self.sigma = log(p99 / p50) / Self.z99
    }

    /// One draw, capped at `limit`.
    func sample(_ random: inout SplitMix64, limit: Double) -> Double {
        let u1 = max(random.unit(), .leastNonzeroMagnitude)
        let u2 = random.unit()
        let normal = (-2 * log(u1)).squareRoot() * cos(2 * .pi * u2)
        return min(exp(mu + sigma * normal), limit)
    }
}
