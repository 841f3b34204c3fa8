#!/usr/bin/env bash
# CI's fuzzing step: build every fuzz target, seed its corpus from
# fuzz/corpus/<target>/seeds/, run each for N seconds (first argument, default 60), and fail
# when any target finds a crash, a failed assertion, a timeout or an OOM.
#
#   bash fuzz/ci.sh        # 60 s per target
#   bash fuzz/ci.sh 10     # a quick check
#
# Uses the nightly toolchain with AddressSanitizer when there is one; on a
# machine with only stable it builds with `-s none` (libFuzzer's coverage
# instrumentation works on stable; only the sanitizer needs nightly). The
# crate forbids unsafe code, so the sanitizer matters only for dependencies.
set -euo pipefail
cd "$(dirname "$0")"
export CARGO_TERM_COLOR=never

seconds="${1:-60}"
case "$seconds" in
'' | *[!0-9]*)
	echo "usage: $0 [SECONDS_PER_TARGET]" >&2
	exit 2
	;;
esac

if ! command -v cargo-fuzz >/dev/null 2>&1; then
	echo "== cargo install cargo-fuzz --locked"
	cargo install cargo-fuzz --locked
fi

# FUZZ_TOOLCHAIN=stable forces the stable path (to test it where nightly exists).
if [ "${FUZZ_TOOLCHAIN:-}" != stable ] && rustup run nightly rustc --version >/dev/null 2>&1; then
	toolchain=(+nightly)
	sanitizer=(-s address)
else
	echo "== no nightly toolchain: building on stable without a sanitizer"
	toolchain=()
	sanitizer=(-s none)
fi

echo "== cargo${toolchain:+ ${toolchain[*]}} fuzz build ${sanitizer[*]}"
cargo "${toolchain[@]}" fuzz build "${sanitizer[@]}"

# One `[libfuzzer]` option per line, `name = value`, as OSS-Fuzz reads them.
options() {
	local file="fuzz_targets/$1.options"
	[ -f "$file" ] || return 0
	sed -n 's/^[[:space:]]*\([a-z_]*\)[[:space:]]*=[[:space:]]*\([^[:space:]]*\).*$/-\1=\2/p' "$file"
}

targets=$(cargo "${toolchain[@]}" fuzz list)
passed=0
failed=()
mkdir -p artifacts
for target in $targets; do
	# libFuzzer reads corpus/<target>/ recursively, so the committed seeds
	# under corpus/<target>/seeds/ come in; it writes new inputs beside them.
	mkdir -p "corpus/$target"
	mapfile -t extra < <(options "$target")
	log="artifacts/$target.log"
	echo "== $target: ${seconds}s ${extra[*]} (log: fuzz/$log)"
	if cargo "${toolchain[@]}" fuzz run "${sanitizer[@]}" "$target" "corpus/$target" -- \
		-max_total_time="$seconds" -timeout=10 -print_final_stats=1 "${extra[@]}" >"$log" 2>&1; then
		passed=$((passed + 1))
		grep -E '^#[0-9]+[[:space:]]+DONE|^stat::(number_of_executed_units|peak_rss_mb)' "$log" || tail -n 5 "$log"
	else
		failed+=("$target")
		grep -A 4 'panicked at' "$log" | cut -c 1-2000 || true
		grep -E '^(==[0-9]+== *ERROR|SUMMARY|artifact_prefix|Test unit written)' "$log" || tail -n 30 "$log"
	fi
done

if [ "${#failed[@]}" -gt 0 ]; then
	echo "fuzzing found failures in: ${failed[*]} (inputs under fuzz/artifacts/)" >&2
	echo "save each as a file under tests/fuzz-regressions/ (see fuzz/README.md)" >&2
fi
# One line in the form test runners close with: targets, not inputs.
echo "fuzz: $passed passed, ${#failed[@]} failed"
[ "${#failed[@]}" -eq 0 ]
