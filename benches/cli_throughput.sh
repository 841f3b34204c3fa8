#!/usr/bin/env bash
# End-to-end throughput of the CLI: `classify` on a mixed file of LINES lines
# (default 1 000 000): the 50 lines of examples/requests.txt (every documented
# route, routes of the wider graph, one reject of each kind) repeated in order.
# Output goes to /dev/null; prints lines per second of wall time. The file is
# built before timing starts.
#
#   bash benches/cli_throughput.sh            # 1 000 000 lines
#   bash benches/cli_throughput.sh 5000000
set -euo pipefail
cd "$(dirname "$0")/.."
lines="${1:-1000000}"

cargo build --release --quiet
binary=target/release/graph-checkout-route
file=$(mktemp)
trap 'rm -f "$file"' EXIT
awk -v n="$lines" '{ line[NR] = $0 } END { for (i = 0; i < n; i++) print line[i % NR + 1] }' \
	examples/requests.txt >"$file"

best=""
for run in 1 2 3; do
	start=$(date +%s%N)
	"$binary" classify "$file" >/dev/null
	end=$(date +%s%N)
	ns=$((end - start))
	echo "run $run: $lines lines in $((ns / 1000000)) ms"
	if [ -z "$best" ] || [ "$ns" -lt "$best" ]; then best=$ns; fi
done
echo "best: $((lines * 1000000000 / best)) lines/s ($(stat -c %s "$file") bytes, $lines lines)"
