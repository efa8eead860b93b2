import Testing

@testable import OutdialBase

/// Work run at the lowest priority gives back what it returns or throws, runs at nice 19, and
/// leaves the caller's own priority as it was.
struct LowPriorityThreadTests {
    struct Refused: Error, Equatable {
        let code: Int
    }

    @Test func theWorkRunsAtTheLowestPriorityAndTheCallerKeepsItsOwn() {
        let before = getpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0)
        let (inside, sum) = LowPriorityThread.run {
            (getpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0), (1 ... 1_000).reduce(0, +))
        }
        #expect(inside == 19)
        #expect(sum == 500_500)
        #expect(getpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0) == before)
    }

    @Test func anErrorOfTheWorkReachesTheCaller() {
        #expect(throws: Refused(code: 3)) {
            try LowPriorityThread.run { () throws(Refused) -> Int in throw Refused(code: 3) }
        }
    }

    @Test func theWorkMayUseWhatTheCallerLendsIt() {
        var seen: [Int] = []
        LowPriorityThread.run {
            for value in 0 ..< 100 { seen.append(value) }
        }
        #expect(seen == Array(0 ..< 100))
    }
}
