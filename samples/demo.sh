#!/bin/sh
# make demo: validate and plan a sample job, run it against the built-in simulator, then show the
# ledger at work: a suppressed number, a second job skipping numbers the first called, history.
# Usage: samples/demo.sh PATH_TO_OUTDIAL
set -eu
bin=${1:-.build/debug/outdial}
job=jobs/reminders.yaml
state=$(mktemp -d "${TMPDIR:-/tmp}/outdial-demo.XXXXXX")
trap 'rm -rf "$state"' EXIT
export OUTDIAL_STATE_DIR="$state/state"

step() { printf '\n\033[1m$ %s\033[0m\n' "$*"; }
show() { # show FILE JQ-FIELDS
    if command -v jq >/dev/null 2>&1; then
        jq -c "$2 | with_entries(select(.value != null))" "$1"
    else
        cat "$1"
    fi
}

step outdial validate $job
"$bin" validate "$job" || true

step outdial plan $job "| head -3"
"$bin" plan "$job" | head -3 || true

step outdial suppress add +15551230004 --reason '"asked not to be called (2026-11-20)"'
"$bin" suppress add +15551230004 --reason "asked not to be called (2026-11-20)" || true

step outdial run $job --simulate --rate 5 --no-progress -o results.ndjson
"$bin" run "$job" --simulate --rate 5 --no-progress -o "$state/results.ndjson" || true

step "jq -c '{row, destination, status, contactId, reason, error: .error.code}' results.ndjson"
show "$state/results.ndjson" '{row, destination, status, contactId, reason, error: .error.code}'

step "the same command again: the ledger skips every row already started"
"$bin" run "$job" --simulate --rate 5 --no-progress -o "$state/again.ndjson" || true
show "$state/again.ndjson" '{row, status, reason}'

step "another team's job with two of the same numbers: outdial run jobs/follow-ups.yaml --simulate"
"$bin" run jobs/follow-ups.yaml --simulate --rate 5 --no-progress -o "$state/follow-ups.ndjson" || true
show "$state/follow-ups.ndjson" '{destination, status, reason, nextAllowedAt}'

step outdial ledger history +15551230003
"$bin" ledger history +15551230003 || true
