#!/usr/bin/env python3
"""Fills an outdial ledger for the dry-run benchmark: seed_ledger.py LEDGER JOB SUPPRESSED ATTEMPTS

The ledger must exist (made by a run). Suppresses SUPPRESSED numbers and records ATTEMPTS recent
started attempts of another job, both drawn from the numbers gen_job.py writes (its destination),
so a quarter of the job's rows are suppressed and a quarter are over the default limit; the rest
of the numbers lie outside the job.
"""
import sqlite3
import sys
import time

from gen_job import destination

ledger, _job, suppressed, attempts = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
now = int(time.time() * 1000)
db = sqlite3.connect(ledger)
db.execute("INSERT OR IGNORE INTO jobs (job, first_run_at, last_run_at) VALUES ('bench-seed', ?, ?)", (now, now))
job_id = db.execute("SELECT id FROM jobs WHERE job = 'bench-seed'").fetchone()[0]
db.execute("INSERT OR IGNORE INTO sources (path) VALUES ('seed.yaml')")
source_id = db.execute("SELECT id FROM sources WHERE path = 'seed.yaml'").fetchone()[0]
db.executemany(
    "INSERT OR REPLACE INTO suppressions (number, reason, until_at, added_at) VALUES (?, 'bench', NULL, ?)",
    ((destination(4 * i), now) for i in range(suppressed)),
)
db.executemany(
    "INSERT INTO attempts (job_id, client_token, source_id, row_index, line, destination, instance_id, status,"
    " contact_id, intent_at, settled_at) VALUES (?, ?, ?, ?, ?, ?, '12345678-1234-1234-1234-123456789012', 1, ?, ?, ?)",
    (
        (job_id, "seed-%d" % i, source_id, i, i + 1, destination(4 * i + 1), "c-%d" % i, now - 3_600_000, now - 3_600_000)
        for i in range(attempts)
    ),
)
db.commit()
db.close()
