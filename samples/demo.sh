#!/bin/sh
# make demo: validate and plan a sample job, then run it against the built-in simulator.
# Usage: samples/demo.sh PATH_TO_OUTDIAL
set -eu
bin=${1:-.build/debug/outdial}
job=jobs/reminders.yaml
state=$(mktemp -d "${TMPDIR:-/tmp}/outdial-demo.XXXXXX")
trap 'rm -rf "$state"' EXIT

step() { printf '\n\033[1m$ %s\033[0m\n' "$*"; }

step outdial validate $job
"$bin" validate "$job" || true

step outdial plan $job "| head -3"
"$bin" plan "$job" | head -3 || true

step outdial run $job --simulate --rate 5 --no-progress -o results.ndjson
"$bin" run "$job" --simulate --rate 5 --no-progress --state-dir "$state" -o "$state/results.ndjson" || true

step "jq -c '{row, destination, status, contactId, reason, error: .error.code}' results.ndjson"
if command -v jq >/dev/null 2>&1; then
    jq -c '{row, destination, status, contactId, reason, error: .error.code} | with_entries(select(.value != null))' "$state/results.ndjson"
else
    cat "$state/results.ndjson"
fi

step "the same command again: the journal skips every row already started"
"$bin" run "$job" --simulate --rate 5 --no-progress --state-dir "$state" -o "$state/again.ndjson" || true
if command -v jq >/dev/null 2>&1; then
    jq -c '{row, status, reason} | with_entries(select(.value != null))' "$state/again.ndjson"
else
    cat "$state/again.ndjson"
fi
