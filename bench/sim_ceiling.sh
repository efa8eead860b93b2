#!/bin/sh
# Measures how many requests per second `outdial simulate` answers on loopback.
#
#   bench/sim_ceiling.sh [OUTDIAL] [DURATION] [CONNECTIONS] [THREADS]
#
# Starts the simulator (default: .build/release/outdial, else .build/debug/outdial) on a free
# port, signs one request with botocore, and drives it with wrk (apt-get install -y wrk) for
# DURATION (default 10s) over CONNECTIONS keep-alive connections (default 64) from THREADS
# threads (default 2). Every request starts a new contact (no ClientToken): the full path of
# signature check, JSON validation, contact bookkeeping and answer. Prints wrk's summary; the
# "Requests/sec" line is the ceiling. Build with `swift build -c release` for real numbers.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
outdial=${1:-}
if [ -z "$outdial" ]; then
  if [ -x "$here/../.build/release/outdial" ]; then outdial="$here/../.build/release/outdial"; else outdial="$here/../.build/debug/outdial"; fi
fi
duration=${2:-10s}
connections=${3:-64}
threads=${4:-2}
command -v wrk >/dev/null || { echo "wrk is not installed (apt-get install -y wrk)" >&2; exit 2; }

work=$(mktemp -d)
trap 'kill "$pid" 2>/dev/null || true; rm -rf "$work"' EXIT INT TERM
"$outdial" simulate --port 0 --call-seconds 1 >"$work/start" 2>"$work/log" &
pid=$!
# The start line is the signal that the port is bound.
while ! grep -q "listening on" "$work/start" 2>/dev/null; do
  kill -0 "$pid" 2>/dev/null || { cat "$work/log" >&2; exit 1; }
  sleep 0.1
done
line=$(cat "$work/start")
echo "$line"
url=$(echo "$line" | sed -E 's/.*listening on ([^ ]+).*/\1/')
region=$(echo "$line" | sed -E 's/.*region=([^ ]+).*/\1/')
ak=$(echo "$line" | sed -E 's/.*access-key=([^ ]+).*/\1/')
sk=$(echo "$line" | sed -E 's/.*secret-key=([^ ]+).*/\1/')
python3 "$here/sim_request.py" "$url" "$region" "$ak" "$sk" >"$work/request.lua"
wrk --latency -t"$threads" -c"$connections" -d"$duration" -s "$work/request.lua" "$url"
