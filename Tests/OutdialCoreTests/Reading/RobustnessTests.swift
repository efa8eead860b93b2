import Foundation
import Testing

@testable import OutdialCore

struct RobustnessTests {
    /// Parses `bytes`; returns true when it is refused with a `ReadError`. Anything else thrown is a failure.
    private static func refused(_ bytes: [UInt8], format: DocumentFormat) -> Bool {
        do {
            _ = try DocumentReader.parse(bytes: bytes, name: "t", format: format)
            return false
        } catch is ReadError {
            return true
        } catch {
            Issue.record("unexpected error \(error)")
            return true
        }
    }

    @Test(arguments: [("job.yaml", DocumentFormat.yaml), ("edge-cases.json", .json), ("compact.json", .json)])
    func everyTruncationIsReadOrRefused(name: String, format: DocumentFormat) throws {
        let bytes = Array(try Data(contentsOf: try fixture(name)))
        #expect(!Self.refused(bytes, format: format))
        var refusals = 0
        for length in 0 ..< bytes.count where Self.refused(Array(bytes[0 ..< length]), format: format) {
            refusals += 1
        }
        #expect(refusals > bytes.count / 4)
    }

    @Test func truncatedStreamingReadsAreRefused() throws {
        let bytes = Array(try Data(contentsOf: try fixture("job.yaml")))
        var refusals = 0
        for length in stride(from: 0, to: bytes.count, by: 7) where readError(bytes: Array(bytes[0 ..< length])) != nil
        {
            refusals += 1
        }
        #expect(refusals > 0)
    }

    @Test func randomBytesAreReadOrRefused() {
        var generator = SplitMix64(seed: 0x0DD1A1)
        let pieces = [
            "{", "}", "[", "]", ":", ",", "-", " ", "\n", "\t", "\"", "'", "&a", "*a", "<<", "!", "?", "#", "|", ">",
            "\\u", "\\uD83D", "---", "a", "1",
        ]
        var refusals = 0
        for round in 0 ..< 400 {
            var bytes: [UInt8] = []
            let length = Int(generator.next() % 120)
            for _ in 0 ..< length {
                if round % 2 == 0 {
                    bytes.append(UInt8(truncatingIfNeeded: generator.next()))
                } else {
                    bytes += Array(pieces[Int(generator.next() % UInt64(pieces.count))].utf8)
                }
            }
            let format: DocumentFormat = round % 4 < 2 ? .yaml : .json
            if Self.refused(bytes, format: format) { refusals += 1 }
        }
        #expect(refusals > 100)
    }
}

/// A small seeded generator, so that the random inputs are the same on every run.
struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
