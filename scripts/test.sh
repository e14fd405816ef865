#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
#
# The whole test run, as CI does it (.ci/run): on a fresh Debian 12 machine
# as root, installs what is missing, prepares hugepages (else --no-huge),
# builds, runs the unit and integration suites, the unit suite and the
# suite 'robust' (malformed frames, SYN flood with clients) again under
# ASan+UBSan, and every fuzzer for a bounded time (scripts/fuzz.sh).
#
#   bash scripts/test.sh
#
# Environment:
#   CI=true           warnings are errors, generic CPU target
#   SF_FUZZ_SECONDS   per fuzzer (default 60); 0 skips the fuzzers
#   SF_SKIP_ASAN=1    skip the sanitizer build
#   SF_SKIP_INTEGRATION=1  skip the integration suite
#
# Last line: "N passed, N failed" (meson tests + fuzzers). Exit status 0
# only when nothing failed.

set -uo pipefail

SF_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=scripts/lib.sh
. "$SF_ROOT/scripts/lib.sh"
cd "$SF_ROOT" || exit 1

FUZZ_SECONDS=${SF_FUZZ_SECONDS:-60}
JOBS=${SF_JOBS:-2}
PASSED=0
FAILED=0
SKIPPED=0
FAILURES=()
T0=$(date +%s)

fail_step()
{
	FAILED=$((FAILED + 1))
	FAILURES+=("$1")
	printf 'FAILED: %s\n' "$1"
}

# count_meson BUILDDIR LABEL: add the results of the last `meson test` run
# (meson-logs/testlog.json) to the totals.
count_meson()
{
	local dir=$1 label=$2 line
	local json="$dir/meson-logs/testlog.json"
	if [ ! -s "$json" ]; then
		fail_step "$label: no test results ($json)"
		return
	fi
	while IFS=' ' read -r result name; do
		case $result in
		OK|EXPECTEDFAIL) PASSED=$((PASSED + 1)) ;;
		SKIP) SKIPPED=$((SKIPPED + 1)); printf 'skipped: %s %s\n' "$label" "$name" ;;
		*) FAILED=$((FAILED + 1)); FAILURES+=("$label $name ($result)") ;;
		esac
	done < <(python3 -c '
import json, sys
for line in open(sys.argv[1]):
    t = json.loads(line)
    print(t.get("result", "?"), t.get("name", "?"))
' "$json")
}

# setup_build DIR [meson options...]: configure (or reconfigure) DIR.
setup_build()
{
	local dir=$1 log rc=0
	shift
	log=$(mktemp /tmp/sf-meson-setup.XXXXXX)
	if [ -f "$dir/build.ninja" ]; then
		meson setup --reconfigure "$dir" "$@" > "$log" 2>&1 || rc=$?
	else
		rm -rf "$dir"
		meson setup "$dir" "$@" > "$log" 2>&1 || rc=$?
	fi
	[ $rc -eq 0 ] || cat "$log"
	rm -f "$log"
	return $rc
}

# meson_suite DIR SUITE LABEL [meson test options...]
meson_suite()
{
	local dir=$1 suite=$2 label=$3
	shift 3
	rm -f "$dir/meson-logs/testlog.json"
	sf_log "$label: meson test --suite $suite"
	meson test -C "$dir" --suite "$suite" --no-rebuild "$@"
	count_meson "$dir" "$label"
}

# robust_asan: suite 'robust' (malformed frames, the SYN flood with real
# clients) against build-asan's synfront. ASan and UBSan write their
# reports to files under build-asan/sanitizer-logs (the tests' own output
# of synfront is removed with their temporary directories); any file there
# is a failure, printed. Leak detection stays on: synfront frees what it
# allocates before it exits.
robust_asan()
{
	local logs=build-asan/sanitizer-logs f
	rm -rf "$logs"
	mkdir -p "$logs"
	sf_it_stale_cleanup
	UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1:log_path=$PWD/$logs/ubsan \
	ASAN_OPTIONS=${SF_ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}:log_path=$PWD/$logs/asan \
		meson_suite build-asan robust "robust-asan" -v \
		--num-processes 1 --timeout-multiplier 2
	for f in "$logs"/*; do
		[ -f "$f" ] || continue
		head -60 "$f"
		fail_step "robust-asan: sanitizer report $f"
	done
	[ -n "$(ls -A "$logs")" ] || sf_log "robust-asan: no ASan/UBSan report"
}

sf_need_root
sf_log "installing packages (if missing)"
sf_install_packages || sf_die "package installation failed"
sf_hugepages_setup

# CI: warnings are errors. The regular build is portable (-Dcpu=generic:
# scalar SipHash, SSE4.2); the sanitizer and fuzz builds are native, so the
# SIMD SipHash paths this CPU has (AVX2 / AVX-512) run under ASan+UBSan too.
COMMON_OPTS=()
GENERIC_OPTS=()
if [ "${CI:-}" = "true" ]; then
	COMMON_OPTS+=(-Dwerror=true)
	GENERIC_OPTS+=(-Dcpu=generic)
fi

# --- 1. regular build: unit + integration suites
sf_log "build: build-test ${COMMON_OPTS[*]} ${GENERIC_OPTS[*]}"
if setup_build build-test "${COMMON_OPTS[@]}" "${GENERIC_OPTS[@]}" && ninja -C build-test -j"$JOBS"; then
	export CMOCKA_MESSAGE_OUTPUT=stdout
	meson_suite build-test unit "unit" -v --num-processes "$JOBS" \
		--timeout-multiplier 2
	if [ "${SF_SKIP_INTEGRATION:-0}" != 1 ]; then
		sf_it_stale_cleanup
		meson_suite build-test integration "integration" -v \
			--num-processes 1 --timeout-multiplier 2
	fi
else
	fail_step "build of build-test"
fi

# --- 2. ASan + UBSan build: unit suite
if [ "${SF_SKIP_ASAN:-0}" != 1 ]; then
	sf_log "build: build-asan (address,undefined)"
	if setup_build build-asan "${COMMON_OPTS[@]}" -Dcpu=native -Dbuildtype=debug \
		-Db_sanitize=address,undefined -Db_lundef=false &&
		ninja -C build-asan -j"$JOBS"; then
		UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
		ASAN_OPTIONS=${SF_ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1} \
		CMOCKA_MESSAGE_OUTPUT=stdout \
			meson_suite build-asan unit "unit-asan" -v \
			--num-processes "$JOBS" --timeout-multiplier 3
		if [ "${SF_SKIP_INTEGRATION:-0}" != 1 ]; then
			robust_asan
		fi
	else
		fail_step "build of build-asan"
	fi
fi

# --- 3. fuzzers, each for FUZZ_SECONDS on a scratch copy of its corpus
# (scripts/fuzz.sh: any crash input becomes a unit-test fixture)
if [ "$FUZZ_SECONDS" -gt 0 ] && [ -f tests/fuzz/meson.build ]; then
	sf_log "fuzz: scripts/fuzz.sh $FUZZ_SECONDS (build-fuzz: clang, libFuzzer)"
	flog=$(mktemp /tmp/sf-fuzz.XXXXXX)
	SF_FUZZ_MESON_OPTS="${COMMON_OPTS[*]}" SF_JOBS=$JOBS \
		bash scripts/fuzz.sh "$FUZZ_SECONDS" 2>&1 | tee "$flog"
	n_ok=$(grep -c '^ok: fuzz ' "$flog")
	PASSED=$((PASSED + n_ok))
	while IFS= read -r line; do
		fail_step "${line#FAILED: }"
	done < <(grep '^FAILED: fuzz ' "$flog")
	[ "$n_ok" -gt 0 ] || grep -q '^FAILED: fuzz ' "$flog" ||
		fail_step "fuzz: scripts/fuzz.sh ran no fuzzer"
	rm -f "$flog"
elif [ "$FUZZ_SECONDS" -gt 0 ]; then
	sf_log "fuzz: tests/fuzz/meson.build absent, no fuzzer to run"
fi

T1=$(date +%s)
echo
sf_log "done in $((T1 - T0)) s; skipped: $SKIPPED"
for f in "${FAILURES[@]}"; do
	printf 'failed: %s\n' "$f"
done
printf '%d passed, %d failed\n' "$PASSED" "$FAILED"
[ "$FAILED" -eq 0 ]
