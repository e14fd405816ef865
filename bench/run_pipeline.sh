#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
#
# Build sf-bench-pipeline if needed (release build in $BUILD, default
# build/) and run it. Arguments go to the benchmark, e.g.
#   bench/run_pipeline.sh                  # default: 4 M packets, 5 runs
#   bench/run_pipeline.sh -l 1 -b          # on lcore 1, with the breakdown
#   bench/run_pipeline.sh -l 1 --no-huge -- -n 1000000
#                                          # EAL options before "--"
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
build=${BUILD:-"$top/build"}

if [ ! -f "$build/build.ninja" ]; then
	meson setup "$build" "$top" --buildtype=release >/dev/null
fi
ninja -C "$build" bench/pipeline/sf-bench-pipeline >/dev/null
exec "$build/bench/pipeline/sf-bench-pipeline" "$@"
