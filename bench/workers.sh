#!/bin/sh
# make bench, many machines: one job run by 3 workers together on a PostgreSQL ledger, against one
# worker on the SQLite ledger and boto3, all three against the same simulator.
#
#   bench/workers.sh PATH_TO_RELEASE_OUTDIAL
#
# Starts a throw-away PostgreSQL cluster (initdb + pg_ctl from /usr/lib/postgresql/*/bin, as the
# postgres user when run as root) on a free loopback port, password authentication (SCRAM), fsync on;
# stops and removes it at the end. Without PostgreSQL it says so and measures nothing.
# BENCH_WORKER_ROWS (default 3000) rows.
set -eu
bin=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
here=$(cd "$(dirname "$0")" && pwd)
out="$here/out"
mkdir -p "$out"
ROWS=${BENCH_WORKER_ROWS:-3000}
WORKERS=3
export LC_ALL=C
. "$here/sim.sh"

say() { printf '%s\n' "$*"; }
say "== many machines: $WORKERS workers on PostgreSQL vs 1 worker on SQLite vs boto3 =="

pgbin=""
for dir in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -t/ -k5 -n -r); do
    if [ -x "$dir/initdb" ] && [ -x "$dir/pg_ctl" ] && [ -x "$dir/psql" ]; then pgbin=$dir; break; fi
done
if [ -z "$pgbin" ]; then
    say "skipped: no PostgreSQL (no initdb, pg_ctl, psql under /usr/lib/postgresql/*/bin; make test-deps installs it)"
    exit 0
fi
if [ "$(id -u)" = 0 ] && ! id postgres >/dev/null 2>&1; then
    say "skipped: no PostgreSQL user (running as root, and initdb runs only as the postgres user)"
    exit 0
fi

# The cluster's commands, as postgres when root (initdb refuses root).
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

pg=$(mktemp -d /tmp/outdial-bench-pg.XXXXXX)
SIM_PID=""
pg_started=0
pids=""
cleanup() {
    # Workers still running stop (no new rows; those in flight end) while the store is up.
    for pid in $pids; do kill -TERM "$pid" 2>/dev/null || true; done
    for pid in $pids; do wait "$pid" 2>/dev/null || true; done
    [ -n "$SIM_PID" ] && stop_sim
    [ "$pg_started" = 1 ] && as_pg "$pgbin/pg_ctl" -D "$pg/data" -m fast -w stop >/dev/null 2>&1 || true
    rm -rf "$pg"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

PGPASSWORD="pw-$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')"
export PGPASSWORD
printf '%s' "$PGPASSWORD" >"$pg/password"
[ "$(id -u)" = 0 ] && chown -R postgres: "$pg"
as_pg "$pgbin/initdb" -D "$pg/data" -U outdial --pwfile="$pg/password" --auth=scram-sha-256 \
    --encoding=UTF8 --no-locale >"$pg/initdb.log" 2>&1 || { cat "$pg/initdb.log" >&2; exit 1; }
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
pg_started=1
as_pg "$pgbin/pg_ctl" -D "$pg/data" -l "$pg/log" -w -t 60 \
    -o "-p $port -k $pg -c listen_addresses=127.0.0.1 -c fsync=on -c max_connections=200" start \
    >"$pg/pg_ctl.log" 2>&1 || { cat "$pg/pg_ctl.log" "$pg/log" >&2; exit 1; }
sql() { # sql DATABASE STATEMENT: the rows, cells separated by |
    "$pgbin/psql" -X -q -A -t -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$port" -U outdial -d "$1" -c "$2"
}
db=outdial_bench
sql postgres "CREATE DATABASE $db" >/dev/null
url="postgres://outdial@127.0.0.1:$port/$db?sslmode=disable"

job="$out/workers.yaml"
python3 "$here/gen_job.py" "$ROWS" "$job" --window off
start_sim --call-seconds 1
export AWS_ACCESS_KEY_ID="$SIM_KEY" AWS_SECRET_ACCESS_KEY="$SIM_SECRET"
now() { date +%s.%N; }

# run_workers N STATE_OPTION STATE: N workers of a fresh job at once; the wall time from the start
# of the first to the end of the last in $out/workers.seconds, their exit codes in workers-I.rc.
run_workers() {
    n=$1; shift
    sed -i "s/^id: .*/id: bench-workers-$$-$n/" "$job"
    pids=""
    started=$(now)
    for i in $(seq "$n"); do
        rm -f "$out/workers-$i.ndjson"
        "$bin" run "$job" "$@" --worker --endpoint-url "$SIM_URL" --region us-east-1 --rate 0 --no-follow \
            --max-active-calls 0 --concurrency 64 --max-attempts 1 --no-progress -o "$out/workers-$i.ndjson" \
            2>"$out/workers-$i.err" &
        pids="$pids $!"
    done
    i=0
    for pid in $pids; do
        i=$((i + 1)); rc=0
        wait "$pid" || rc=$?
        echo "$rc" >"$out/workers-$i.rc"
    done
    pids=""
    echo "$(now) $started" | awk '{printf "%.3f\n", $1 - $2}' >"$out/workers.seconds"
}

# check N STATE_OPTION STATE: the N workers' results together hold each row once, and so does
# `ledger results`; "ok (...)" or what is wrong.
check() {
    n=$1; shift
    rm -f "$out/workers-all.ndjson"
    "$bin" ledger results "bench-workers-$$-$n" "$@" -o "$out/workers-all.ndjson" 2>"$out/workers-all.err" || true
    python3 "$here/workers_check.py" "$ROWS" "$out/workers-all.ndjson" "$out" "$n"
}

commits() { sql "$db" "SELECT xact_commit FROM pg_stat_database WHERE datname = '$db'"; }

before=$(commits)
run_workers "$WORKERS" --state "$url"
pg_seconds=$(cat "$out/workers.seconds")
# A backend reports its counts when its session ends; the workers' sessions end as they exit.
sleep 1
after=$(commits)
pg_check=$(check "$WORKERS" --state "$url")

rm -rf "$out/state-workers"
run_workers 1 --state-dir "$out/state-workers"
sqlite_seconds=$(cat "$out/workers.seconds")
sqlite_check=$(check 1 --state-dir "$out/state-workers")

boto=$(python3 "$here/boto3_send.py" "$SIM_URL" us-east-1 "$SIM_KEY" "$SIM_SECRET" "$ROWS" 64)
stop_sim
SIM_PID=""

version=$("$pgbin/postgres" --version | sed -n 's/^postgres (PostgreSQL) \([0-9.]*\).*/\1/p')
python3 - "$ROWS" "$WORKERS" "$pg_seconds" "$sqlite_seconds" "$boto" "$before" "$after" "$version" \
    "$pg_check" "$sqlite_check" <<'PY'
import json, sys
rows, workers = int(sys.argv[1]), int(sys.argv[2])
pg, sqlite = float(sys.argv[3]), float(sys.argv[4])
boto = json.loads(sys.argv[5])
commits = int(sys.argv[7]) - int(sys.argv[6])
print(f"{workers} workers, PostgreSQL {sys.argv[8]} (fsync on): {rows} rows in {pg:.2f}s = {rows/pg:.0f} rows/s together")
print(f"  check: {sys.argv[9]}")
print(f"1 worker, SQLite: {rows} rows in {sqlite:.2f}s = {rows/sqlite:.0f} rows/s")
print(f"  check: {sys.argv[10]}")
print(f"boto3, 64 threads: {boto['requests']} rows in {boto['seconds']:.2f}s = {boto['rps']:.0f} rows/s (errors {boto['errors']})")
print(f"ratio: {workers} workers {rows/pg/boto['rps']:.1f}x boto3 (target >= 1x: the store is not the bottleneck); "
      f"1 worker on SQLite {rows/sqlite/boto['rps']:.1f}x")
print(f"PostgreSQL during the {workers} workers: {commits} commits in {pg:.2f}s = {commits/pg:.0f} commits/s "
      f"({commits/rows*1000:.0f} per 1,000 rows)")
PY
