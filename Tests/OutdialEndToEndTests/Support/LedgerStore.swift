import Foundation

/// Puts attempts into a state directory's ledger the way runs record them, with Python's sqlite3
/// module (the end-to-end tests link no SQLite of their own). The store must exist
/// (`outdial ledger migrate`).
enum LedgerStore {
    /// One attempt: `(job, row, destination, status, intent ms, settled ms or nil)`; status is
    /// 0 in flight, 1 started, 2 failed, 3 uncertain.
    struct Attempt {
        var job: String
        var row: Int
        var destination: String
        var status: Int
        var intentAt: Int
        var settledAt: Int?

        /// `settledAfter`: milliseconds from the intent to the outcome; nil while in flight.
        init(_ job: String, _ row: Int, _ destination: String, status: Int, at intentAt: Int, settledAfter: Int?) {
            self.job = job
            self.row = row
            self.destination = destination
            self.status = status
            self.intentAt = intentAt
            self.settledAt = settledAfter.map { intentAt + $0 }
        }
    }

    static func insert(_ attempts: [Attempt], stateDirectory: String) async throws {
        let rows = attempts.map { attempt in
            "(\"\(attempt.job)\", \(attempt.row), \"\(attempt.destination)\", \(attempt.status), "
                + "\(attempt.intentAt), \(attempt.settledAt.map(String.init) ?? "None"))"
        }
        let script = """
            import sqlite3, sys
            db = sqlite3.connect(sys.argv[1])
            for job, row, destination, status, intent, settled in [\(rows.joined(separator: ", "))]:
                db.execute("INSERT INTO jobs (job, first_run_at, last_run_at) VALUES (?, ?, ?) "
                           "ON CONFLICT (job) DO UPDATE SET last_run_at = max(last_run_at, excluded.last_run_at)",
                           (job, intent, intent))
                db.execute("INSERT INTO sources (path) VALUES (?) ON CONFLICT (path) DO NOTHING", (job + ".yaml",))
                job_id = db.execute("SELECT id FROM jobs WHERE job = ?", (job,)).fetchone()[0]
                source_id = db.execute("SELECT id FROM sources WHERE path = ?", (job + ".yaml",)).fetchone()[0]
                db.execute("INSERT INTO attempts (job_id, client_token, source_id, row_index, line, destination, "
                           "instance_id, status, contact_id, error_code, attempts, intent_at, settled_at) "
                           "VALUES (?, ?, ?, ?, ?, ?, 'instance-1', ?, ?, ?, ?, ?, ?)",
                           (job_id, "%s-%d" % (job, row), source_id, row, row + 10, destination, status,
                            "contact-%s-%d" % (job, row) if status == 1 else None,
                            "ThrottlingException" if status == 2 else None,
                            1 if settled is not None else None, intent, settled))
            db.commit()
            """
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script, stateDirectory + "/outdial.sqlite"]
        let errors = Pipe()
        process.standardError = errors
        try process.run()
        let message = await Outdial.onThread { errors.fileHandleForReading.readDataToEndOfFile() }
        await Outdial.onThread { process.waitUntilExit() }
        if process.terminationStatus != 0 {
            throw LedgerStoreError(message: String(decoding: message, as: UTF8.self))
        }
    }
}

struct LedgerStoreError: Error {
    var message: String
}
