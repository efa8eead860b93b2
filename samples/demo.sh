#!/bin/sh
# make demo: validate and plan a sample job, run it against the built-in simulator, then show the
# ledger at work: a suppressed number, a second job skipping numbers the first called, history.
# The jobs call from 08:00 to 21:00 in each number's own time zone (the default calling window):
# rows whose window is closed right now are `skipped: outside-window`; every step works at any hour.
# Usage: samples/demo.sh PATH_TO_OUTDIAL
set -eu
bin=${1:-.build/debug/outdial}
job=jobs/reminders.yaml
state=$(mktemp -d "${TMPDIR:-/tmp}/outdial-demo.XXXXXX")
trap 'rm -rf "$state"' EXIT
export OUTDIAL_STATE_DIR="$state/state"

step() { printf '\n\033[1m$ %s\033[0m\n' "$*"; }
show() { # show FILE JQ-FIELDS
    [ -f "$1" ] || return 0
    if command -v jq >/dev/null 2>&1; then
        jq -c "$2 | with_entries(select(.value != null))" "$1"
    else
        cat "$1"
    fi
}
first_destination() { # first_destination FILE TEXT: the destination of the first line holding TEXT
    grep -F "$2" "$1" 2>/dev/null | head -n 1 | sed -n 's/.*"destination":"\([^"]*\)".*/\1/p'
}

step outdial validate $job
"$bin" validate "$job" || true

step outdial plan $job "| head -3"
"$bin" plan "$job" | head -3 || true

step outdial suppress add +18085550164 --reason '"asked not to be called (2026-11-20)"'
"$bin" suppress add +18085550164 --reason "asked not to be called (2026-11-20)" || true

step outdial run $job --simulate --rate 5 --no-progress -o results.ndjson
"$bin" run "$job" --simulate --rate 5 --no-progress -o "$state/results.ndjson" || true

step "jq -c '{row, destination, status, outcome, seconds: .call.seconds, reason, opensAt, error: .error.code}' results.ndjson"
show "$state/results.ndjson" '{row, destination, status, outcome, seconds: .call.seconds, reason, opensAt, error: .error.code}'

step "the same command again: the ledger skips every row already started"
"$bin" run "$job" --simulate --rate 5 --no-progress -o "$state/again.ndjson" || true
show "$state/again.ndjson" '{row, status, reason, opensAt}'

step "another team's job with three of the same numbers: outdial run jobs/follow-ups.yaml --simulate"
"$bin" run jobs/follow-ups.yaml --simulate --rate 5 --no-progress -o "$state/follow-ups.ndjson" || true
show "$state/follow-ups.ndjson" '{destination, status, reason, nextAllowedAt, opensAt}'

# A number both jobs wanted: one the limits skipped, else one the first job called.
number=$(first_destination "$state/follow-ups.ndjson" '"reason":"limit"')
[ -n "$number" ] || number=$(first_destination "$state/results.ndjson" '"status":"started"')
[ -n "$number" ] || number=+12025550142
step outdial ledger history "$number"
"$bin" ledger history "$number" || true
