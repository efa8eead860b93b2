// The speed of PrefixTimeZones.zones(for:): 200,000 lookups of varied numbers, best of 5.
// bench/timezone_lookup.sh compiles this file with the lookup's two sources, optimised.

#if canImport(Glibc)
    import Glibc
#endif

@main
enum TimeZoneLookupBench {
    static func nanoseconds() -> UInt64 {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return UInt64(now.tv_sec) * 1_000_000_000 + UInt64(now.tv_nsec)
    }

    static func main() {
        let prefixes = [
            "+1212", "+1310", "+1808", "+1907", "+1800", "+1555", "+4420", "+4479", "+612", "+4930", "+3314", "+8190",
        ]
        let numbers = (0 ..< 200_000).map { i in prefixes[i % prefixes.count] + String(5_550_000 + i % 10_000) }

        var start = nanoseconds()
        _ = PrefixTimeZones.zones(for: numbers[0])  // parses the table
        let firstUse = nanoseconds() - start
        var best = UInt64.max
        var found = 0
        for _ in 0 ..< 5 {
            found = 0
            start = nanoseconds()
            for number in numbers { found &+= PrefixTimeZones.zones(for: number).count }
            best = min(best, nanoseconds() - start)
        }
        print("first use (parsing the table): \(firstUse / 1000) µs")
        print(
            "zones(for:): \(numbers.count) lookups in \(Double(best) / 1e6) ms, "
                + "\(best / UInt64(numbers.count)) ns each (best of 5; \(found) zones found)"
        )
    }
}
