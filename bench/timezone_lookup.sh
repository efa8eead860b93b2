#!/bin/sh
# Times PrefixTimeZones.zones(for:) in an optimised build: 200,000 lookups (target: well under 50 ms).
# Usage: bench/timezone_lookup.sh   (from anywhere; needs swiftc on PATH)
set -eu
here=$(cd "$(dirname "$0")" && pwd)
src="$here/../Sources/OutdialCore/Window"
mkdir -p "$here/bin"
start=$(date +%s.%N)
swiftc -O -parse-as-library -module-name TimeZoneBench -o "$here/bin/timezone_lookup" \
    "$src/PrefixTimeZones.swift" "$src/PrefixTimeZones+Data.swift" "$here/timezone_lookup.swift" 2>&1
echo "compiled in $(echo "$(date +%s.%N) - $start" | bc) s"
"$here/bin/timezone_lookup"
