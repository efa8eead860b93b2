#!/bin/sh
# make bench: the speed and memory figures of outdial, each beside its floor or its rival measured
# in the same run on the same machine. Usage: bench/run.sh PATH_TO_RELEASE_OUTDIAL
set -eu
bin=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
here=$(cd "$(dirname "$0")" && pwd)
out="$here/out"
mkdir -p "$out" "$here/bin"
ROWS=${BENCH_ROWS:-200000}
BIG_ROWS=${BENCH_BIG_ROWS:-1000000}
export LC_ALL=C

say() { printf '%s\n' "$*"; }
# seconds and peak RSS (MB) of a command: "SECONDS MB"
measure() { /usr/bin/time -f '%e %M %U %S' -o "$out/time.txt" "$@" >/dev/null 2>"$out/stderr.txt" || true; tail -1 "$out/time.txt" | awk '{printf "%s %.1f %s %s\n", $1, $2/1024, $3, $4}'; }
best_of() { # best_of N CMD... -> best "SECONDS MB"
    n=$1; shift; best=""
    for _ in $(seq "$n"); do
        r=$(measure "$@")
        if [ -z "$best" ] || awk -v a="${r%% *}" -v b="${best%% *}" 'BEGIN{exit !(a<b)}'; then best=$r; fi
    done
    printf '%s\n' "$best"
}

say "== reading and planning ($ROWS rows) =="
cc -O2 "$here/floor.c" -o "$here/bin/floor" $(pkg-config --cflags --libs yaml-0.1)
[ -f "$out/job-$ROWS.yaml" ] || python3 "$here/gen_job.py" "$ROWS" "$out/job-$ROWS.yaml"
[ -f "$out/job-$ROWS.json" ] || python3 "$here/gen_job.py" "$ROWS" "$out/job-$ROWS.json"
for fmt in yaml json; do
    f="$out/job-$ROWS.$fmt"
    floor=$(best_of 3 "$here/bin/floor" "$f")
    plan=$(best_of 3 "$bin" plan "$f" -o /dev/null)
    fs=${floor%% *}; ps=${plan%% *}; pm=$(echo "$plan" | cut -d' ' -f2)
    awk -v fmt=$fmt -v fs="$fs" -v ps="$ps" -v pm="$pm" -v rows="$ROWS" 'BEGIN{
        printf "%-4s  libyaml floor %.2fs   outdial plan %.2fs (%.0f rows/s, peak %.0f MB)   ratio %.2fx (target <= 2.5x on yaml, <= 3x on json)\n",
            fmt, fs, ps, rows/(ps>0?ps:0.001), pm, ps/(fs>0?fs:0.001) }'
done
if [ "${BENCH_SKIP_BIG:-0}" != 1 ]; then
    [ -f "$out/job-$BIG_ROWS.yaml" ] || python3 "$here/gen_job.py" "$BIG_ROWS" "$out/job-$BIG_ROWS.yaml"
    small=$(measure "$bin" plan "$out/job-$ROWS.yaml" -o /dev/null)
    big=$(measure "$bin" plan "$out/job-$BIG_ROWS.yaml" -o /dev/null)
    awk -v a="$(echo "$small" | cut -d' ' -f2)" -v b="$(echo "$big" | cut -d' ' -f2)" -v r1=$ROWS -v r2=$BIG_ROWS 'BEGIN{
        printf "memory: %d rows peak %.0f MB, %d rows peak %.0f MB (target <= 150 MB, flat)\n", r1, a, r2, b }'
fi

# CSV contacts: the same rows as the big YAML job, read from a CSV file that its job names; best of 3 each,
# alternating.
if [ "${BENCH_SKIP_BIG:-0}" != 1 ]; then
    say ""
    say "== CSV contacts: plan of $BIG_ROWS rows from a CSV file vs the same rows in YAML =="
    [ -f "$out/job-$BIG_ROWS.yaml" ] || python3 "$here/gen_job.py" "$BIG_ROWS" "$out/job-$BIG_ROWS.yaml"
    [ -f "$out/job-$BIG_ROWS-csv.csv" ] || python3 "$here/gen_job.py" "$BIG_ROWS" "$out/job-$BIG_ROWS-csv.yaml" --contacts csv
    yaml=""; csv=""
    for _ in 1 2 3; do
        r=$(measure "$bin" plan "$out/job-$BIG_ROWS.yaml" -o /dev/null)
        if [ -z "$yaml" ] || awk -v a="${r%% *}" -v b="${yaml%% *}" 'BEGIN{exit !(a<b)}'; then yaml=$r; fi
        r=$(measure "$bin" plan "$out/job-$BIG_ROWS-csv.yaml" -o /dev/null)
        if [ -z "$csv" ] || awk -v a="${r%% *}" -v b="${csv%% *}" 'BEGIN{exit !(a<b)}'; then csv=$r; fi
    done
    awk -v ys="${yaml%% *}" -v ym="$(echo "$yaml" | cut -d' ' -f2)" -v cs="${csv%% *}" -v cm="$(echo "$csv" | cut -d' ' -f2)" 'BEGIN{
        printf "csv %.2fs (peak %.0f MB), yaml %.2fs (peak %.0f MB): csv/yaml %.2fx (target: peak <= 150 MB, <= 1.5x)\n",
            cs, cm, ys, ym, cs/(ys>0?ys:0.001) }'
fi

# Calling windows: the same rows with the window on (each row's zone looked up from its number)
# and off, alternating, best of 3 each; then `plan --at`, which also decides each row's window and
# writes it on the line.
say ""
say "== calling windows: plan of $ROWS rows, window on vs window: off =="
[ -f "$out/job-$ROWS-window-off.yaml" ] || python3 "$here/gen_job.py" "$ROWS" "$out/job-$ROWS-window-off.yaml" --window off
for at in "" "--at 2026-12-02T17:00:00Z"; do
    on=""; off=""
    for _ in 1 2 3; do
        r=$(measure "$bin" plan "$out/job-$ROWS.yaml" -o /dev/null $at)
        if [ -z "$on" ] || awk -v a="${r%% *}" -v b="${on%% *}" 'BEGIN{exit !(a<b)}'; then on=$r; fi
        r=$(measure "$bin" plan "$out/job-$ROWS-window-off.yaml" -o /dev/null $at)
        if [ -z "$off" ] || awk -v a="${r%% *}" -v b="${off%% *}" 'BEGIN{exit !(a<b)}'; then off=$r; fi
    done
    awk -v on="${on%% *}" -v off="${off%% *}" -v at="${at:-(no --at)}" 'BEGIN{
        printf "plan %-28s window on %.2fs, window: off %.2fs: %+.1f%% (target within 10%%)\n", at, on, off, 100*(on-off)/off }'
done

. "$here/sim.sh"
run_outdial() { # run_outdial JOB STATE_DIR EXTRA... ; prints "SECONDS MB USER SYS"
    job=$1; state=$2; shift 2
    rm -rf "$state"
    AWS_ACCESS_KEY_ID=$SIM_KEY AWS_SECRET_ACCESS_KEY=$SIM_SECRET \
        measure "${run_bin:-$bin}" run "$job" --endpoint-url "$SIM_URL" --region us-east-1 --state-dir "$state" \
        --no-progress -o /dev/null --summary "$out/summary.json" --max-active-calls 0 --no-follow "$@"
}

SEND_ROWS=${BENCH_SEND_ROWS:-20000}
python3 "$here/gen_job.py" "$SEND_ROWS" "$out/send.yaml" --window off
sed -i "s/^id: bench/id: bench-send-$$/" "$out/send.yaml"

say ""
say "== simulator ceiling =="
if command -v wrk >/dev/null 2>&1; then
    r=$(sh "$here/sim_ceiling.sh" "$bin" 10s 64 2 2>&1 | sed -n 's/^Requests\/sec: *//p')
    say "simulator alone, driven by wrk (64 connections, sharing the 2 cores): ${r:-?} req/s"
fi
start_sim --call-seconds 1
r=$(run_outdial "$out/send.yaml" "$out/state-ceiling" --rate 0 --concurrency 128 --max-attempts 1)
awk -v r="$r" -v n=$SEND_ROWS 'BEGIN{split(r,a," "); printf "simulator ceiling (outdial, 128 in flight): >= %.0f req/s\n", n/a[1]}'

say ""
say "== unthrottled sending: outdial vs boto3 (64 in flight each) =="
r=$(run_outdial "$out/send.yaml" "$out/state-fast" --rate 0 --concurrency 64 --max-attempts 1)
ok=$(python3 -c "import json;s=json.load(open('$out/summary.json'));print(s.get('counts',{}).get('started',0))" 2>/dev/null || echo '?')
fsyncs=$(python3 -c "import json;s=json.load(open('$out/summary.json'));print(s.get('ledger',{}).get('commits','?'))" 2>/dev/null || echo '?')
BOTO_ROWS=${BENCH_BOTO_ROWS:-3000}
b=$(python3 "$here/boto3_send.py" "$SIM_URL" us-east-1 "$SIM_KEY" "$SIM_SECRET" "$BOTO_ROWS" 64)
stop_sim
python3 - "$r" "$SEND_ROWS" "$ok" "$b" "$fsyncs" <<'PY'
import json, sys
secs, mb, user, sys_ = (float(x) for x in sys.argv[1].split())
rows = int(sys.argv[2]); ok = sys.argv[3]; boto = json.loads(sys.argv[4]); fsyncs = sys.argv[5]
rps = rows / secs
cpu_per_k = (user + sys_) / rows * 1000
print(f"outdial: {rows} rows in {secs:.2f}s = {rps:.0f} req/s (started {ok}), CPU {cpu_per_k*1000:.0f} ms per 1,000 requests, peak {mb:.0f} MB")
print(f"boto3:   {boto['requests']} rows in {boto['seconds']:.2f}s = {boto['rps']:.0f} req/s (errors {boto['errors']})")
print(f"ratio:   {rps/boto['rps']:.1f}x boto3 (target >= 5x), ledger on")
try:
    print(f"ledger:  {fsyncs} commits for {rows} rows = {int(fsyncs)/rows*1000:.0f} commits per 1,000 requests (those with intents synced to disk)")
except ValueError:
    pass
PY

# The ledger against the per-job journal files it replaced: the same rows, the same simulator,
# alternating, best of 3 each. OLD_OUTDIAL is a release build of the last version with journal
# files (commit c680d24); without it this part is skipped.
OLD_OUTDIAL=${OLD_OUTDIAL:-}
if [ -n "$OLD_OUTDIAL" ] && [ -x "$OLD_OUTDIAL" ]; then
    say ""
    say "== ledger (SQLite) vs per-job journal files: run --rate 0 --concurrency 64 =="
    start_sim --call-seconds 1
    new_best=""; old_best=""
    for i in 1 2 3; do
        sed -i "s/^id: .*/id: bench-ledger-$$-$i/" "$out/send.yaml"
        r=$(run_outdial "$out/send.yaml" "$out/state-ledger" --rate 0 --concurrency 64 --max-attempts 1)
        if [ -z "$new_best" ] || awk -v a="${r%% *}" -v b="${new_best%% *}" 'BEGIN{exit !(a<b)}'; then new_best=$r; fi
        sed -i "s/^id: .*/id: bench-journal-$$-$i/" "$out/send.yaml"
        run_bin=$OLD_OUTDIAL
        r=$(run_outdial "$out/send.yaml" "$out/state-journal" --rate 0 --concurrency 64 --max-attempts 1)
        run_bin=$bin
        if [ -z "$old_best" ] || awk -v a="${r%% *}" -v b="${old_best%% *}" 'BEGIN{exit !(a<b)}'; then old_best=$r; fi
    done
    stop_sim
    awk -v n="$SEND_ROWS" -v a="${new_best%% *}" -v b="${old_best%% *}" 'BEGIN{
        printf "ledger %.0f req/s, journal files %.0f req/s: ledger at %.0f%% of the journal (target >= 90%%)\n", n/a, n/b, 100*b/a }'
fi

# The ledger's checks in a dry run: the same 200,000-row job with no ledger (nothing to check)
# and with a ledger holding 100,000 suppressed numbers and 200,000 recent attempts. The two are
# run by turns, five rounds, so that a slow spell of the machine falls on both: the figure is the
# median of the five rounds' ratios, with the best of each beside it.
say ""
say "== suppression and limit checks in a --dry-run ($ROWS rows) =="
rm -rf "$out/state-dry"
start_sim
AWS_ACCESS_KEY_ID=$SIM_KEY AWS_SECRET_ACCESS_KEY=$SIM_SECRET "$bin" run "$here/../jobs/single-call.json" \
    --endpoint-url "$SIM_URL" --region us-east-1 --state-dir "$out/state-dry" --no-progress -o /dev/null 2>/dev/null || true
stop_sim
python3 "$here/seed_ledger.py" "$out/state-dry/outdial.sqlite" "$out/job-$ROWS.yaml" 100000 200000
rounds=""
for _ in 1 2 3 4 5; do
    rm -rf "$out/state-plain"
    plain=$(measure "$bin" run "$out/job-$ROWS.yaml" --dry-run --state-dir "$out/state-plain" --no-progress -o /dev/null)
    checked=$(measure "$bin" run "$out/job-$ROWS.yaml" --dry-run --state-dir "$out/state-dry" --no-progress -o /dev/null)
    rounds="$rounds ${plain%% *}:${checked%% *}"
done
python3 - $rounds <<'PY'
import statistics, sys
pairs = [tuple(float(x) for x in r.split(":")) for r in sys.argv[1:]]
ratios = sorted(b / a for a, b in pairs)
best_plain, best_checked = min(a for a, _ in pairs), min(b for _, b in pairs)
print("rounds (without : with): " + "  ".join(f"{a:.2f}:{b:.2f}" for a, b in pairs))
print(f"dry run without a ledger {best_plain:.2f}s, with the checks {best_checked:.2f}s (best of 5 each); "
      f"median of the rounds' ratios +{100 * (statistics.median(ratios) - 1):.0f}% (target <= 20%)")
PY

say "== latency-bound: simulator at 200 ms, --concurrency 100 =="
LAT_ROWS=${BENCH_LAT_ROWS:-5000}
python3 "$here/gen_job.py" "$LAT_ROWS" "$out/lat.yaml" --window off
sed -i "s/^id: bench/id: bench-lat-$$/" "$out/lat.yaml"
start_sim --latency 200 --call-seconds 1
r=$(run_outdial "$out/lat.yaml" "$out/state-lat" --rate 0 --concurrency 100 --max-attempts 1)
stop_sim
awk -v r="$r" -v n=$LAT_ROWS 'BEGIN{split(r,a," "); rps=n/a[1]; printf "%d rows in %.2fs = %.0f req/s = %.1f%% of the 500 req/s Little'"'"'s law allows (target >= 95%%)\n", n, a[1], rps, rps/5}'

say ""
say "== rate fidelity: --rate 20 --burst 5 for 30 s =="
python3 "$here/gen_job.py" 600 "$out/rate.yaml" --window off
sed -i "s/^id: bench/id: bench-rate-$$/" "$out/rate.yaml"
rm -f "$out/rate-sim.ndjson"
start_sim --log "$out/rate-sim.ndjson" --call-seconds 1
r=$(run_outdial "$out/rate.yaml" "$out/state-rate" --rate 20 --burst 5 --concurrency 10)
stop_sim
python3 "$here/rate_check.py" "$out/rate-sim.ndjson" 20 5

say ""
# Live calls: a batch paced by its live calls (--max-active-calls 20) against a simulator whose
# instance allows 20 concurrent calls of 2 s (ringing as the simulator draws it). Utilisation is
# the average number of live calls over the run divided by 20 (from the simulator's ended lines:
# each contact's seconds, summed, over the run's length); and DescribeContact calls per contact.
LIVE_ROWS=${BENCH_LIVE_ROWS:-2000}
python3 "$here/gen_job.py" "$LIVE_ROWS" "$out/live.yaml" --window off
# With DescribeContact at its default budget (5/s, half of Connect's quota), then at 9/s.
for describe in 5 9; do
say "== live calls: $LIVE_ROWS rows, --max-active-calls 20, calls of 2 s, --describe-rate $describe =="
sed -i "s/^id: .*/id: bench-live-$$-$describe/" "$out/live.yaml"
rm -f "$out/live-sim.ndjson" "$out/live.ndjson"
start_sim --log "$out/live-sim.ndjson" --call-seconds 2 --max-active-calls 20 --outcomes answered=1
rm -rf "$out/state-live"
r=$(AWS_ACCESS_KEY_ID=$SIM_KEY AWS_SECRET_ACCESS_KEY=$SIM_SECRET measure "$bin" run "$out/live.yaml" \
    --endpoint-url "$SIM_URL" --region us-east-1 --state-dir "$out/state-live" --no-progress -o "$out/live.ndjson" \
    --rate 0 --concurrency 20 --max-active-calls 20 --follow --describe-rate $describe)
sleep 1
stop_sim
python3 - "$out/live-sim.ndjson" "${r%% *}" 20 <<'PY'
import json, sys
path, seconds, limit = sys.argv[1], float(sys.argv[2]), int(sys.argv[3])
ended, describes, busy = [], 0, 0
for line in open(path):
    try:
        d = json.loads(line)
    except ValueError:
        continue
    if d.get("event") == "ended":
        ended.append(d)
        busy += d.get("outcome") == "busy"
    elif d.get("operation") == "DescribeContact":
        describes += 1
live = sum(d.get("seconds", 0) for d in ended)
print(f"{len(ended)} calls in {seconds:.1f} s: average {live/seconds:.1f} live of {limit} = "
      f"{100*live/seconds/limit:.0f}% utilisation (target >= 90%), {busy} busy; "
      f"{describes/max(1,len(ended)):.2f} DescribeContact per contact (target <= 3)")
PY
done


# Many machines: 3 workers running one job on a PostgreSQL ledger, against 1 worker on SQLite and
# boto3 (bench/workers.sh; skipped without PostgreSQL).
say ""
sh "$here/workers.sh" "$bin" || say "many machines: the section failed (exit $?)"
