#!/usr/bin/env python3
"""Checks a run of workers for `make bench` (bench/workers.sh): together, their results hold each
row of the job once, and `ledger results` holds every row once.

workers_check.py ROWS ALL_RESULTS DIR N
ALL_RESULTS is what `ledger results` wrote, ALL_RESULTS with .err instead of .ndjson its standard error.
DIR holds workers-I.ndjson (the results of worker I, 1 to N), workers-I.rc (its exit code) and
workers-I.err (its standard error). Prints one line: "ok (...)" or "WRONG: ..." and what is wrong.
"""
import collections
import json
import os
import sys

rows, whole, out, n = int(sys.argv[1]), sys.argv[2], sys.argv[3], int(sys.argv[4])
problems = []


def lines(path):
    """The JSON lines of a results file (none when it was not written)."""
    try:
        with open(path) as f:
            return [json.loads(line) for line in f if line.strip()]
    except FileNotFoundError:
        return []
    except (OSError, ValueError) as e:
        problems.append(f"{os.path.basename(path)}: {e}")
        return []


def key(line):
    return (line.get("source"), line.get("row"))


for i in range(1, n + 1):
    with open(f"{out}/workers-{i}.rc") as f:
        rc = f.read().strip()
    if rc != "0":
        with open(f"{out}/workers-{i}.err") as f:
            err = [l.strip() for l in f if l.strip()]
        first = next((l for l in err if "rror" in l), err[0] if err else "")
        problems.append(f"worker {i} exit {rc}" + (f" ({first})" if first else ""))
each = [lines(f"{out}/workers-{i}.ndjson") for i in range(1, n + 1)]
seen = collections.Counter(key(d) for part in each for d in part)
total = sum(len(part) for part in each)
twice = sum(1 for c in seen.values() if c > 1)
if total != rows:
    problems.append(f"the workers wrote {total} lines, not {rows}")
if twice:
    problems.append(f"{twice} rows written by more than one worker")
if len(seen) != rows:
    problems.append(f"{rows - len(seen)} rows in no worker's results")
all_lines = lines(whole)
if not os.path.exists(whole):
    with open(os.path.splitext(whole)[0] + ".err") as f:
        err = [l.strip() for l in f if l.strip()]
    problems.append("ledger results wrote nothing" + (f" ({err[0]})" if err else ""))
if len(all_lines) != rows:
    problems.append(f"ledger results has {len(all_lines)} lines, not {rows}")
if len({key(d) for d in all_lines}) != len(all_lines):
    problems.append("ledger results has a row twice")
statuses = collections.Counter(d.get("status") for d in all_lines)
split = " + ".join(str(len(part)) for part in each)
kinds = ", ".join(f"{k} {v}" for k, v in sorted(statuses.items())) or "none"
if problems:
    print("WRONG: " + "; ".join(problems) + f" (lines {split}; ledger results: {kinds})")
else:
    print(f"ok: {split} lines from {n} worker{'s' if n > 1 else ''}, no row twice; "
          f"ledger results {len(all_lines)} lines ({kinds})")
