import Foundation
import OutdialBase
import OutdialCore
import Synchronization

@testable import OutdialLedger

/// A fresh, owner-only state directory under the system's temporary directory, removed with `remove()`.
struct TemporaryState {
    let directory: StateDirectory

    init() throws {
        let path = NSTemporaryDirectory() + "outdial-ledger-\(UUID().uuidString)"
        try FileManager.default.createDirectory(
            atPath: path,
            withIntermediateDirectories: true,
            attributes: [.posixPermissions: 0o700]
        )
        directory = StateDirectory(path: path)
    }

    var ledgerPath: String { directory.path + "/" + Ledger.fileName }

    func remove() {
        try? FileManager.default.removeItem(atPath: directory.path)
    }
}

/// A wall clock tests move by hand.
final class TestWallClock: Sendable {
    private let now: Mutex<Date>

    init(_ start: Date = Date(timeIntervalSince1970: 1_800_000_000)) {
        now = Mutex(start)
    }

    var date: Date { now.withLock { $0 } }

    func advance(by seconds: TimeInterval) {
        now.withLock { $0 = $0.addingTimeInterval(seconds) }
    }

    var read: @Sendable () -> Date { { self.date } }
}

enum LedgerFixtures {
    static func row(
        _ index: Int,
        job: String = "job-a",
        source: String = "a.yaml",
        destination: String? = nil,
        clientToken: String? = nil
    ) -> PlannedRow {
        PlannedRow(
            ref: RowRef(job: job, source: source, row: index, line: index + 10),
            destination: destination ?? "+1555010\(String(format: "%04d", index))",
            clientToken: clientToken ?? "token-\(job)-\(index)",
            body: Array("{}".utf8),
            instanceId: "instance-1"
        )
    }
}
