#!/usr/bin/env bash
# End-to-end throughput of `classify`, for each input format, on one thread
# and on two, side by side in one run. Each format's file is its example
# repeated in order to LINES lines (default 1 000 000):
#   lines     examples/requests.txt (every documented route, routes of the
#             wider graph, one reject of each kind)
#   combined  examples/access.log   (nginx's combined log: checkouts,
#             other traffic, hostile requests, lines that are not requests)
#   json      examples/access.json  (the same as an Envoy JSON log)
# Output (one JSON object per line) goes to /dev/null; each figure is the
# best of three runs, in lines per second of wall time; the files are built
# before timing starts. The binary is looked for where cargo puts it, so
# CARGO_TARGET_DIR is honoured.
#
#   bash benches/cli_throughput.sh            # 1 000 000 lines a format
#   bash benches/cli_throughput.sh 5000000
set -euo pipefail
cd "$(dirname "$0")/.."
lines="${1:-1000000}"

cargo build --release --quiet
target_dir="${CARGO_TARGET_DIR:-target}"
binary="$target_dir/release/graph-checkout-route"
[ -x "$binary" ] || { echo "no binary at $binary" >&2; exit 1; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
repeat() {
	awk -v n="$lines" '{ line[NR] = $0 } END { for (i = 0; i < n; i++) print line[i % NR + 1] }' "$1" >"$2"
}
repeat examples/requests.txt "$work/lines"
repeat examples/access.log "$work/combined"
repeat examples/access.json "$work/json"

# Best of three, in nanoseconds.
best_ns() {
	local best="" start end ns
	for _ in 1 2 3; do
		start=$(date +%s%N)
		"$binary" classify "$@" >/dev/null
		end=$(date +%s%N)
		ns=$((end - start))
		if [ -z "$best" ] || [ "$ns" -lt "$best" ]; then best=$ns; fi
	done
	echo "$best"
}

printf '%-9s %14s %14s %8s  %s\n' format "jobs 1 (l/s)" "jobs 2 (l/s)" ratio bytes
for format in lines combined json; do
	file="$work/$format"
	one=$(best_ns --input "$format" --jobs 1 "$file")
	two=$(best_ns --input "$format" --jobs 2 "$file")
	printf '%-9s %14d %14d %8s  %d\n' "$format" \
		$((lines * 1000000000 / one)) $((lines * 1000000000 / two)) \
		"$(awk -v a="$one" -v b="$two" 'BEGIN { printf "%.2f", a / b }')" \
		"$(stat -c %s "$file")"
done
