#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
#
# sf-synflood's own figures (medians of RUNS runs of SECS seconds):
#  1. flat out on net_null (no-rx=1: the PMD frees what it is given, so
#     this is the generator's cost alone), one core, per option set and
#     family;
#  2. on a veth path, generator on CPU 0: trafgen (netsniff-ng) against
#     sf-synflood over net_af_packet and net_af_xdp, the same SYN (no
#     options), counted where they arrive: the far veth end's rx_packets
#     over the middle of the run. Nothing listens there (no address, IPv6
#     off): the kernel drops the SYNs at the IP layer, on CPU 0 too (veth
#     delivers on the sender's CPU).
#
#   bench/synflood/perf.sh [RUNS [SECS]]     (root; BUILD=build dir;
#                                             defaults 5 runs of 4 s)
#
# Traffic: 198.18.0.0/15 sources to 198.18.0.2, inside a namespace this
# script creates and removes; every run is bounded in time.
set -eu

top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/scripts/lib.sh"
build=${BUILD:-"$top/build"}
runs=${1:-5}
secs=${2:-4}
bin="$build/bench/synflood/sf-synflood"
ns="sfperf-$$"
va="sfpA$$"
vb="sfpB$$"
tmp=$(mktemp -d)

cleanup()
{
	ip link del "$va" 2>/dev/null || true
	sf_netns_delete "$ns"
	rm -rf "$tmp"
	sf_dpdk_cleanup "sfperf_$$"
}
trap cleanup EXIT

sf_need_root
sf_install_packages netsniff-ng || sf_die "cannot install netsniff-ng (trafgen)"
[ -x "$bin" ] || ninja -C "$build" bench/synflood/sf-synflood >/dev/null
sf_hugepages_setup >/dev/null
eal_mem=${SF_EAL_MEM:-}

# median of the numbers on stdin
median()
{
	sort -g | awk '{ v[NR] = $1 } END { if (NR == 0) print 0;
		else if (NR % 2) print v[(NR + 1) / 2];
		else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# mpps: the number on stdin in millions, 2 decimals
mpps()
{
	awk '{ printf "%.2f", $1 / 1e6 }'
}

# json_field FIELD: the field's value from the JSON line on stdin
json_field()
{
	python3 -c 'import json, sys
for l in sys.stdin:
    if l.startswith("{"):
        print(json.loads(l)[sys.argv[1]])' "$1"
}

echo "== sf-synflood flat out on net_null, one core (lcore 0): median of $runs runs of $secs s"
echo "   wall: SYNs / elapsed s; cpu: SYNs / CPU s of the sending thread (its cost alone, even when the core is shared)"
echo "$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), load $(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-8s %-6s %10s %10s   %s\n' opts family "wall Mpps" "cpu Mpps" "runs (cpu Mpps)"
for case in "none 4" "mss 4" "linux 4" "mix 4" "linux 6" "mix 6"; do
	set -- $case
	dst=198.18.0.2
	[ "$2" = 6 ] && dst=2001:2::2
	wall=""
	cpu=""
	for _ in $(seq "$runs"); do
		# shellcheck disable=SC2086
		"$bin" -l 0 --no-pci $eal_mem --file-prefix "sfperf_$$" \
			--log-level lib.eal:notice --vdev net_null0,no-rx=1 -- \
			--opts "$1" --dst "$dst" --duration "$secs" --quiet \
			>"$tmp/null" 2>/dev/null || true
		wall="$wall $(json_field offered_pps <"$tmp/null" | mpps)"
		cpu="$cpu $(json_field syn_per_cpu_s <"$tmp/null" | mpps)"
	done
	printf '%-8s %-6s %10s %10s   %s\n' "$1" "IPv$2" \
		"$(echo $wall | tr ' ' '\n' | median)" \
		"$(echo $cpu | tr ' ' '\n' | median)" "$cpu"
done

# The veth path: B (generator) in $ns, A in the root namespace.
sf_netns_create "$ns"
ip link add "$va" type veth peer name "$vb"
ip link set "$vb" netns "$ns"
echo 1 > "/proc/sys/net/ipv6/conf/$va/disable_ipv6"
ip link set "$va" up
ip netns exec "$ns" sh -c "echo 1 > /proc/sys/net/ipv6/conf/$vb/disable_ipv6"
ip -n "$ns" link set "$vb" up
mac_a=$(cat "/sys/class/net/$va/address")
rxa() { cat "/sys/class/net/$va/statistics/rx_packets"; }

# arrived_pps CMD...: run CMD (bounded by itself) and count what reaches
# A in [1.5 s, SECS - 0.5 s] of it (after the start-up of either).
arrived_pps()
{
	local a b win
	win=$(awk -v s="$secs" 'BEGIN { print s - 2 }')
	"$@" >"$tmp/out" 2>&1 &
	local pid=$!
	sleep 1.5
	a=$(rxa)
	sleep "$win"
	b=$(rxa)
	wait "$pid" || true
	awk -v a="$a" -v b="$b" -v w="$win" 'BEGIN { printf "%.3f", (b - a) / w / 1e6 }'
}

cat > "$tmp/syn.trafgen" <<CFG
{
  eth(da=$mac_a),
  ipv4(sa=198.18.0.1, sa[2:2]=drnd(), da=198.18.0.2, ttl=64, df),
  tcp(sp=drnd(1024, 65535), dp=80, seq=drnd(), syn, win=64240)
}
CFG

gen_trafgen()
{
	ip netns exec "$ns" timeout -s INT "$secs" taskset -c 0 \
		trafgen -o "$vb" -i "$tmp/syn.trafgen" --cpus 1 -q
}

gen_sfl()
{
	# shellcheck disable=SC2086
	ip netns exec "$ns" "$bin" -l 0 --no-pci $eal_mem \
		--file-prefix "sfperf_$$" --log-level lib.eal:notice \
		--vdev "$1" -- --dst-mac "$mac_a" --opts none --drain 0 \
		--duration "$secs" --quiet
}

echo
echo "== the veth path, generator on CPU 0, SYNs without options, median of $runs runs of $secs s"
echo "   arrived: Mpps counted at the far veth end in the middle of the run;"
echo "   offered: what the generator says it sent, over its whole run;"
echo "   user: share of the generator thread's CPU time spent in user space (the rest: the kernel's veth path in its syscalls)"
printf '%-26s %8s %8s %6s   %s\n' generator arrived offered user "runs (arrived)"
for g in trafgen af_packet af_xdp; do
	arr=""
	off=""
	usr=""
	for _ in $(seq "$runs"); do
		case $g in
		trafgen) v=$(arrived_pps gen_trafgen) ;;
		af_packet) v=$(arrived_pps gen_sfl "net_af_packet0,iface=$vb") ;;
		af_xdp) v=$(arrived_pps gen_sfl "net_af_xdp0,iface=$vb,start_queue=0,queue_count=1") ;;
		esac
		arr="$arr $v"
		# trafgen prints no count when timeout(1) stops it from a script
		if [ "$g" != trafgen ]; then
			off="$off $(json_field offered_pps <"$tmp/out" | awk '{ printf "%.3f", $1 / 1e6 }')"
			usr="$usr $(python3 -c 'import json, sys
for l in open(sys.argv[1]):
    if l.startswith("{"):
        j = json.loads(l)
        print("%.2f" % (j["cpu_user_seconds"] / max(j["cpu_seconds"], 1e-9)))' "$tmp/out")"
		fi
	done
	name=$g
	[ "$g" = trafgen ] || name="sf-synflood net_$g"
	printf '%-26s %8s %8s %6s   %s\n' "$name" \
		"$(echo $arr | tr ' ' '\n' | median)" \
		"$( [ -n "$off" ] && echo $off | tr ' ' '\n' | median || echo -)" \
		"$( [ -n "$usr" ] && echo $usr | tr ' ' '\n' | median || echo -)" "$arr"
done
