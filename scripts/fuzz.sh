#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
#
# Run the libFuzzer harnesses for as long as asked, each on a scratch copy
# of its seed corpus (the corpus in git never grows). Every input that
# crashes, hangs or leaks is copied into tests/unit/fixtures/fuzz_<name>/,
# where the unit test test_fuzz_replay_<name> replays it from then on:
# commit it with the fix.
#
#   scripts/fuzz.sh [SECONDS] [FUZZER...]
#
#   SECONDS   per fuzzer (default 60)
#   FUZZER    parse, respond, config (or fuzz_parse, ...); default all
#
# Builds build-fuzz (clang, -Dfuzz=true) when needed. Prints "ok: fuzz
# NAME" or "FAILED: fuzz NAME ..." per fuzzer; exit status 0 only when no
# fuzzer found anything.
#
# Environment: SF_JOBS (ninja jobs, default 2), SF_FUZZ_BUILD (build
# directory, default build-fuzz), SF_FUZZ_MESON_OPTS (extra meson options).

set -uo pipefail

SF_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=scripts/lib.sh
. "$SF_ROOT/scripts/lib.sh"
cd "$SF_ROOT" || exit 1

SECONDS_EACH=${1:-60}
[ $# -gt 0 ] && shift
BUILD=${SF_FUZZ_BUILD:-build-fuzz}
JOBS=${SF_JOBS:-2}
FIXTURES=tests/unit/fixtures

case $SECONDS_EACH in
''|*[!0-9]*) sf_die "usage: scripts/fuzz.sh [SECONDS] [FUZZER...] ('$SECONDS_EACH' is not a number of seconds)" ;;
esac

# build-fuzz: configured once, rebuilt every time (ninja is quick when
# nothing changed).
build_fuzz()
{
	local opts=(-Dcpu=native -Dfuzz=true -Dtests=false -Db_lundef=false) log
	# shellcheck disable=SC2206
	opts+=(${SF_FUZZ_MESON_OPTS:-})
	if [ ! -f "$BUILD/build.ninja" ]; then
		rm -rf "$BUILD"
		log=$(mktemp /tmp/sf-fuzz-setup.XXXXXX)
		CC=clang meson setup "$BUILD" "${opts[@]}" > "$log" 2>&1 ||
			{ cat "$log"; rm -f "$log"; return 1; }
		rm -f "$log"
	fi
	ninja -C "$BUILD" -j"$JOBS" > /dev/null || ninja -C "$BUILD" -j1
}

# keep_findings NAME ARTIFACT_DIR: copy every finding into the fixtures,
# named by kind and content hash (the same crash twice is one file).
# Prints how many were new.
keep_findings()
{
	local name=$1 dir=$2 f kind sum dest new=0
	mkdir -p "$FIXTURES/$name"
	for f in "$dir"/*; do
		[ -f "$f" ] || continue
		kind=$(basename "$f")
		kind=${kind%%-*}
		sum=$(sha1sum "$f" | cut -c1-16)
		dest="$FIXTURES/$name/$kind-$sum"
		if [ ! -e "$dest" ]; then
			cp "$f" "$dest"
			new=$((new + 1))
		fi
		printf '  finding: %s\n' "$dest" >&2
	done
	echo "$new"
}

# run_one EXE: one fuzzer for SECONDS_EACH on a scratch corpus.
run_one()
{
	local exe=$1 name scratch art flog rc=0 n
	name=$(basename "$exe")
	scratch=$(mktemp -d "/tmp/sf-corpus-${name}.XXXXXX")
	art=$(mktemp -d "/tmp/sf-artifacts-${name}.XXXXXX")
	flog="$BUILD/$name.log"
	[ -d "tests/fuzz/corpus/${name#fuzz_}" ] &&
		cp -r "tests/fuzz/corpus/${name#fuzz_}"/. "$scratch"/
	sf_log "fuzz: $name for ${SECONDS_EACH}s (corpus $(find "$scratch" -type f | wc -l) files)"
	UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
		"$exe" -max_total_time="$SECONDS_EACH" -timeout=10 \
		-rss_limit_mb=2048 -print_final_stats=1 \
		-artifact_prefix="$art/" "$scratch" > "$flog" 2>&1 || rc=$?
	grep -E '^stat::number_of_executed_units' "$flog" | sed 's/^/  /'
	n=$(keep_findings "$name" "$art" | tail -1)
	if [ "$rc" -eq 0 ] && [ -z "$(ls -A "$art")" ]; then
		printf 'ok: fuzz %s\n' "$name"
	else
		tail -30 "$flog"
		printf 'FAILED: fuzz %s (exit %d, %s new fixture(s) in %s/%s, log %s)\n' \
			"$name" "$rc" "$n" "$FIXTURES" "$name" "$flog"
		rc=1
	fi
	rm -rf "$scratch" "$art"
	return $rc
}

build_fuzz || sf_die "build of $BUILD failed"
fuzzers=()
if [ $# -eq 0 ]; then
	while IFS= read -r exe; do
		fuzzers+=("$exe")
	done < <(find "$BUILD/tests/fuzz" -maxdepth 1 -type f -name 'fuzz_*' -executable | sort)
else
	for f in "$@"; do
		exe="$BUILD/tests/fuzz/fuzz_${f#fuzz_}"
		[ -x "$exe" ] || sf_die "no fuzzer $f (looked for $exe)"
		fuzzers+=("$exe")
	done
fi
[ ${#fuzzers[@]} -gt 0 ] || sf_die "no fuzzer built in $BUILD/tests/fuzz"

failed=0
for exe in "${fuzzers[@]}"; do
	run_one "$exe" || failed=$((failed + 1))
done
printf '%d passed, %d failed\n' $((${#fuzzers[@]} - failed)) "$failed"
[ "$failed" -eq 0 ]
