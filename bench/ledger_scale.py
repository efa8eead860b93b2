#!/usr/bin/env python3
"""The ledger at scale: ledger_scale.py PATH_TO_OUTDIAL [ATTEMPTS]

Creates a ledger (`outdial ledger migrate`), fills it with ATTEMPTS attempts (default 1,000,000:
200 jobs, 200,000 destinations with 5 attempts each, spread over 400 days), prints its size on
disk, then times `outdial ledger history NUMBER --json` (the whole process, best of 5) and the
history query alone inside SQLite (best of 20), against the budget of 50 ms for the query.
Then the time and peak memory of `ledger jobs`, `ledger export` of every attempt, `suppress
import` of a file of as many numbers, and `ledger prune` of the older half.
"""
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time

HISTORY_QUERY = """
SELECT j.job, s.path, a.row_index, a.line, a.instance_id, a.status, a.contact_id, a.error_code,
    a.intent_at, a.settled_at, a.attempts
FROM attempts a JOIN jobs j ON j.id = a.job_id JOIN sources s ON s.id = a.source_id
WHERE a.destination = ?
ORDER BY a.intent_at DESC, a.id DESC
"""


def destination(i):
    return "+1555%07d" % i


def fill(path, attempts):
    jobs = 200
    destinations = max(1, attempts // 5)
    now = int(time.time() * 1000)
    span = 400 * 86_400_000
    db = sqlite3.connect(path)
    db.execute("PRAGMA synchronous = OFF")
    db.executemany(
        "INSERT INTO jobs (id, job, first_run_at, last_run_at) VALUES (?, ?, ?, ?)",
        [(j + 1, "bench-%03d" % j, now - span, now) for j in range(jobs)],
    )
    db.executemany("INSERT INTO sources (id, path) VALUES (?, ?)", [(j + 1, "jobs/bench-%03d.yaml" % j) for j in range(jobs)])

    def rows():
        for n in range(attempts):
            job = n % jobs + 1
            row = n // jobs
            status = (1, 1, 1, 2, 3)[(n // jobs) % 5]
            intent = now - span + (n * span) // attempts
            yield (
                job, "token-%d-%d" % (job, row), job, row, row + 10, destination((n * 7919) % destinations),
                "12345678-1234-1234-1234-123456789012", status,
                "contact-%d" % n if status == 1 else None, "ThrottlingException" if status == 2 else None,
                1, intent, intent + 400,
            )

    db.executemany(
        "INSERT INTO attempts (job_id, client_token, source_id, row_index, line, destination, instance_id, status,"
        " contact_id, error_code, attempts, intent_at, settled_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        rows(),
    )
    db.commit()
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    outdial = os.path.abspath(sys.argv[1])
    attempts = int(sys.argv[2]) if len(sys.argv) > 2 else 1_000_000
    state = tempfile.mkdtemp(prefix="outdial-ledger-bench-")
    try:
        subprocess.run([outdial, "ledger", "migrate", "--state-dir", state], check=True, stdout=subprocess.DEVNULL)
        store = os.path.join(state, "outdial.sqlite")
        started = time.monotonic()
        fill(store, attempts)
        print("filled %d attempts in %.1f s" % (attempts, time.monotonic() - started))
        size = sum(os.path.getsize(os.path.join(state, f)) for f in os.listdir(state))
        print("size on disk: %.1f MB (%d bytes per attempt)" % (size / 1e6, size // attempts))

        number = destination(4242)
        best = None
        for _ in range(5):
            started = time.monotonic()
            out = subprocess.run(
                [outdial, "ledger", "history", number, "--json", "--state-dir", state],
                check=True, capture_output=True, text=True,
            ).stdout
            elapsed = time.monotonic() - started
            best = elapsed if best is None else min(best, elapsed)
        lines = len(out.splitlines())
        print("outdial ledger history (whole process, best of 5): %.1f ms, %d attempts" % (best * 1000, lines))

        db = sqlite3.connect(store)
        plan = " / ".join(row[-1] for row in db.execute("EXPLAIN QUERY PLAN " + HISTORY_QUERY, (number,)))
        best = None
        for _ in range(20):
            started = time.perf_counter()
            db.execute(HISTORY_QUERY, (number,)).fetchall()
            elapsed = time.perf_counter() - started
            best = elapsed if best is None else min(best, elapsed)
        db.close()
        verdict = "within" if best < 0.050 else "OVER"
        print("history query alone (best of 20): %.2f ms (%s the 50 ms budget); plan: %s" % (best * 1000, verdict, plan))

        def measure(label, *arguments):
            """Seconds and peak resident memory of one outdial command."""
            times = os.path.join(state, "time.txt")
            subprocess.run(
                ["/usr/bin/time", "-f", "%e %M", "-o", times, outdial, *arguments, "--state-dir", state],
                check=True, stdout=subprocess.DEVNULL,
            )
            with open(times) as f:
                seconds, kilobytes = f.read().split()[-2:]
            print("%s: %s s, peak %.0f MB" % (label, seconds, int(kilobytes) / 1024))

        measure("outdial ledger jobs", "ledger", "jobs", "--json")
        measure("outdial ledger export (every attempt)", "ledger", "export", "--since", "1000d", "-o", os.devnull)
        numbers = os.path.join(state, "numbers.txt")
        with open(numbers, "w") as f:
            for i in range(attempts):
                f.write("+1666%07d\n" % i)
        measure("outdial suppress import (%d numbers)" % attempts, "suppress", "import", numbers)
        measure("outdial ledger prune (the older half)", "ledger", "prune", "--older-than", "200d")
    finally:
        shutil.rmtree(state, ignore_errors=True)


if __name__ == "__main__":
    main()
