#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
#
# Before/after: sf-bench-pipeline of two commits, built alike (release,
# -Dcpu=native) in throwaway worktrees, run alternately so that a noisy
# neighbour hurts both alike. Each invocation prints medians of -r runs;
# the table gives, per line, the median of the invocations' medians and the
# ratio after/before.
#
#   bench/ab_pipeline.sh BEFORE AFTER [invocations] [-- bench options]
#   bench/ab_pipeline.sh f45c96d HEAD 4 -- -l 1 -o reflect,syn,synsw,ack
#
# Needs hugepages (scripts/lib.sh's sf_hugepages_setup does it).
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
before=${1:?usage: $0 BEFORE AFTER [invocations] [-- bench options]}
after=${2:?usage: $0 BEFORE AFTER [invocations] [-- bench options]}
shift 2
inv=4
if [ $# -gt 0 ] && [ "$1" != "--" ]; then
	inv=$1
	shift
fi
[ "${1:-}" = "--" ] && shift
opts=("$@")
[ ${#opts[@]} -gt 0 ] || opts=(-l 1 -r 5 -o reflect,syn,synsw,ack)

work=$(mktemp -d /tmp/sf-ab.XXXXXX)
trap 'git -C "$top" worktree remove --force "$work/a" >/dev/null 2>&1 || true;
      git -C "$top" worktree remove --force "$work/b" >/dev/null 2>&1 || true;
      rm -rf "$work"' EXIT

build()	# build REV DIR
{
	git -C "$top" worktree add --detach "$2" "$1" >/dev/null 2>&1
	meson setup "$2/build" "$2" --buildtype=release -Dcpu=native \
		-Dtests=false >/dev/null
	ninja -C "$2/build" bench/pipeline/sf-bench-pipeline >/dev/null
}

echo "building $before and $after"
build "$before" "$work/a"
build "$after" "$work/b"

for i in $(seq 1 "$inv"); do
	for side in a b; do
		"$work/$side/build/bench/pipeline/sf-bench-pipeline" "${opts[@]}" \
			2>/dev/null | awk -v s="$side" -v i="$i" -F: \
			'/Mpps/ { name = $1; gsub(/ +$/, "", name);
				  split($2, f, " "); print s, i, name, f[1] }' \
			>> "$work/results"
	done
	echo "invocation $i of $inv done"
done

python3 - "$work/results" "$before" "$after" <<'PY'
import statistics, sys
rows = {}
for line in open(sys.argv[1]):
    side, inv, rest = line.split(" ", 2)
    name, mpps = rest.rsplit(" ", 1)
    rows.setdefault(name, {"a": [], "b": []})[side].append(float(mpps))
print(f"\n| line | {sys.argv[2]} (Mpps) | {sys.argv[3]} (Mpps) | ratio |")
print("|---|---|---|---|")
for name, v in rows.items():
    a, b = statistics.median(v["a"]), statistics.median(v["b"])
    each = lambda xs: ", ".join(f"{x:.2f}" for x in xs)
    print(f"| {name} | {a:.2f} ({each(v['a'])}) | {b:.2f} ({each(v['b'])}) | {b / a:.2f} |")
PY
