# The simulator of the benchmarks, sourced by bench/run.sh and bench/workers.sh; needs $bin (the
# outdial binary) and $out (a directory for its output).

# Start a simulator in the background; sets SIM_URL SIM_KEY SIM_SECRET SIM_PID.
start_sim() {
    rm -f "$out/sim.line"
    "$bin" simulate --port 0 "$@" >"$out/sim.line" 2>"$out/sim.err" &
    SIM_PID=$!
    for _ in $(seq 100); do
        grep -q 'listening on' "$out/sim.line" 2>/dev/null && break
        sleep 0.1
    done
    line=$(head -1 "$out/sim.line")
    SIM_URL=$(echo "$line" | sed -n 's/.*listening on \([^ ]*\).*/\1/p')
    SIM_KEY=$(echo "$line" | sed -n 's/.*access-key=\([^ ]*\).*/\1/p')
    SIM_SECRET=$(echo "$line" | sed -n 's/.*secret-key=\([^ ]*\).*/\1/p')
}
stop_sim() { kill "$SIM_PID" 2>/dev/null || true; wait "$SIM_PID" 2>/dev/null || true; }
