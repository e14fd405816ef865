#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
#
# bench/compare.sh: SYN-flood absorption, synfront against the Linux
# kernel's own answers, on one machine, in one run (see bench/README.md).
#
#   gen ns: generator on CPU 0 --veth--> target end, its packet work on CPU 1
#
# Targets: synfront over net_af_xdp (afxdp: whole queue, --xdp whole;
# afxdp_steer: the default, with the XDP steering program) and over
# net_af_packet (worker lcore on CPU 1), the kernel with a listening socket and tcp_syncookies=2, and the
# kernel with iptables SYNPROXY in front of that listener (the kernel
# targets' stack work moved to CPU 1 by an XDP cpumap redirect,
# bench/compare/xdp_cpumap.c). Offered loads are swept, each point repeated;
# the medians go to bench/results/<date>-<host>/ (README.md table, CSVs,
# plot.png, pipeline.txt).
#
# usage: bench/compare.sh [-l LOADS] [-r REPS] [-t SECS] [-T TARGETS]
#                         [-g trafgen|synflood|auto] [-b BUILD] [-o OUTDIR] [-q]
#   -l  offered loads in Mpps, "max" = flat out (default "0.1 0.25 0.5 1 max")
#   -r  repetitions of each point (default 3); -t seconds measured (default 2)
#   -T  targets (default "afxdp afpacket kernel synproxy"; also afxdp_steer)
#   -g  generator (default auto: sf-synflood when it builds, else trafgen)
#   -q  quick: one repetition, loads "0.1 max", 1 s
# Root only. Addresses: 198.18.0.0/15 only, in the namespaces and veth pair
# this script creates and removes; every flood is bounded in time and count.

set -u -o pipefail

SF_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=../scripts/lib.sh
. "$SF_ROOT/scripts/lib.sh"

LOADS="0.1 0.25 0.5 1 max"
REPS=3
SECS=2
WARM=1
TARGETS="afxdp afpacket kernel synproxy"
GEN=auto
BUILD=$SF_ROOT/build-compare
OUT=
LEGIT=40                # legitimate handshakes tried per point
GEN_LEGIT=0.001         # sf-synflood: fraction of flows that complete
MAX_PPS=3000000         # count bound of a flat-out flood, per second
PY=/usr/bin/python3

while getopts "l:r:t:T:g:b:o:qh" opt; do
	case $opt in
	l) LOADS=$OPTARG ;;
	r) REPS=$OPTARG ;;
	t) SECS=$OPTARG ;;
	T) TARGETS=$OPTARG ;;
	g) GEN=$OPTARG ;;
	b) BUILD=$OPTARG ;;
	o) OUT=$OPTARG ;;
	q) LOADS="0.1 max"; REPS=1; SECS=1 ;;
	h) sed -n '4,/^$/s/^# \{0,1\}//p' "$0"; exit 0 ;;
	*) sed -n '4,/^$/s/^# \{0,1\}//p' "$0" >&2; exit 2 ;;
	esac
done

TAG=$$
NS_GEN=sfcmp-g-$TAG
NS_TGT=sfcmp-t-$TAG
IF_GEN=sfcg$TAG
IF_TGT=sfct$TAG
GEN_IP=198.18.0.1
TGT_IP=198.18.0.2
FLOOD_NET=198.19        # flood sources: 198.19.0.0/16, not on any host
PREFIX=sfcmp$TAG
BPFFS=/sys/fs/bpf/sfcmp$TAG
XDP_OBJ=$BUILD/compare/xdp_cpumap.o
SYNFRONT=$BUILD/app/synfront/synfront
PIPELINE=$BUILD/bench/pipeline/sf-bench-pipeline
SYNFLOOD=$BUILD/bench/synflood/sf-synflood
SF_PID=
LISTEN_PID=
WORK=                   # made by cmp_main (mktemp), removed on exit

# --- helpers -----------------------------------------------------------

cmp_nsx() { ip netns exec "$@"; }

# cmp_ifstat NS|- IF COUNTER: a counter of IF's statistics.
cmp_ifstat()
{
	local ns=$1 dev=$2 c=$3
	if [ "$ns" = - ]; then
		cat "/sys/class/net/$dev/statistics/$c"
	else
		cmp_nsx "$ns" cat "/sys/class/net/$dev/statistics/$c"
	fi
}

# cmp_cpu_ticks CPU: "busy total kernel" jiffies of CPU from /proc/stat
# (busy: user nice system irq softirq; total adds idle iowait steal;
# kernel: system irq softirq, where a kernel target's packet work is
# accounted: the cpumap thread and softirqs).
cmp_cpu_ticks()
{
	awk -v c="cpu$1" '$1 == c { b = $2 + $3 + $4 + $7 + $8;
		print b, b + $5 + $6 + $9, $4 + $7 + $8 }' /proc/stat
}

# cmp_sf_busy: "busy_tsc synack_tx tsc_hz" of synfront's worker lcore 1.
cmp_sf_busy()
{
	sf_telemetry "$PREFIX" /synfront/lcores 2>/dev/null | "$PY" -c '
import json, sys
for line in sys.stdin:
    line = line.strip()
    if not line.startswith("{"):
        continue
    d = json.loads(line).get("/synfront/lcores", {}).get("1")
    if d:
        print(d.get("busy_tsc", 0), d["synack_tx"], d.get("tsc_hz", 0))
        break
else:
    print("0 0 0")'
}

cmp_cleanup()
{
	[ -n "$SF_PID" ] && sf_stop_pid "$SF_PID" 10 >/dev/null 2>&1
	[ -n "$LISTEN_PID" ] && sf_stop_pid "$LISTEN_PID" 2 >/dev/null 2>&1
	SF_PID= LISTEN_PID=
	sf_netns_delete "$NS_GEN"
	sf_netns_delete "$NS_TGT"
	ip link del "$IF_TGT" 2>/dev/null
	rm -rf "$BPFFS"
	sf_dpdk_cleanup "$PREFIX"
}

cmp_exit()
{
	cmp_cleanup
	rm -rf "$WORK"
}

# --- build ---------------------------------------------------------------

cmp_build()
{
	local t=(app/synfront/synfront bench/pipeline/sf-bench-pipeline)
	if [ ! -f "$BUILD/build.ninja" ]; then
		meson setup "$BUILD" "$SF_ROOT" --buildtype=release \
			-Dtests=false >"$WORK/meson.log" 2>&1 ||
			{ cat "$WORK/meson.log"; sf_die "meson setup failed"; }
	fi
	[ -f "$SF_ROOT/bench/synflood/meson.build" ] && [ "$GEN" != trafgen ] &&
		t+=(bench/synflood/sf-synflood)
	ninja -j2 -C "$BUILD" "${t[@]}" >"$WORK/ninja.log" 2>&1 ||
		{ tail -20 "$WORK/ninja.log"; sf_die "build failed"; }
	mkdir -p "$BUILD/compare"
	clang -O2 -g -Wall -Werror -target bpf -I/usr/include/x86_64-linux-gnu \
		-c "$SF_ROOT/bench/compare/xdp_cpumap.c" -o "$XDP_OBJ" ||
		sf_die "clang -target bpf failed on bench/compare/xdp_cpumap.c"
}

# --- topology ------------------------------------------------------------

# cmp_xdp_cpumap NS IF CPU NAME: attach xdp_cpumap to IF (in NS), sending
# every frame's stack work to CPU.
cmp_xdp_cpumap()
{
	local ns=$1 dev=$2 cpu=$3 pin=$BPFFS/$4
	mkdir -p "${pin}_maps"
	bpftool prog load "$XDP_OBJ" "$pin" type xdp pinmaps "${pin}_maps" ||
		return 1
	# struct bpf_cpumap_val: qsize 2048, no second program.
	bpftool map update pinned "${pin}_maps/cpu_map" key "$cpu" 0 0 0 \
		value 0 8 0 0 0 0 0 0 || return 1
	bpftool map update pinned "${pin}_maps/cpu_sel" key 0 0 0 0 \
		value "$cpu" 0 0 0 || return 1
	nsenter --net="/var/run/netns/$ns" \
		bpftool net attach xdpdrv pinned "$pin" dev "$dev"
}

# cmp_topo_up kernel|dpdk: the generator's namespace and veth end (CPU 0
# gets its receive work back through xdp_cpumap); the target end in its
# own namespace with an address (kernel) or in the root namespace, bare,
# for a DPDK PMD (dpdk).
cmp_topo_up()
{
	local kind=$1
	cmp_cleanup
	grep -q '^[^ ]* /sys/fs/bpf bpf ' /proc/mounts ||
		mount -t bpf bpf /sys/fs/bpf || return 1
	mkdir -p "$BPFFS"
	sf_netns_create "$NS_GEN" || return 1
	ip link add "$IF_TGT" type veth peer name "$IF_GEN" || return 1
	ip link set "$IF_GEN" netns "$NS_GEN"
	cmp_nsx "$NS_GEN" ethtool -K "$IF_GEN" tx off gro off >/dev/null
	ip -n "$NS_GEN" addr add "$GEN_IP/24" dev "$IF_GEN"
	ip -n "$NS_GEN" link set "$IF_GEN" up
	if [ "$kind" = kernel ]; then
		sf_netns_create "$NS_TGT" || return 1
		ip link set "$IF_TGT" netns "$NS_TGT"
		ip -n "$NS_TGT" addr add "$TGT_IP/24" dev "$IF_TGT"
		# Full checksums: the frames cross the generator's XDP program,
		# which drops a veth's CHECKSUM_PARTIAL state.
		cmp_nsx "$NS_TGT" ethtool -K "$IF_TGT" tx off >/dev/null
		ip -n "$NS_TGT" link set "$IF_TGT" up
		# Replies to the flood's sources go back to the generator.
		ip -n "$NS_TGT" route add "$FLOOD_NET.0.0/16" via "$GEN_IP"
		ip -n "$NS_TGT" neigh replace "$GEN_IP" lladdr \
			"$(cmp_nsx "$NS_GEN" cat "/sys/class/net/$IF_GEN/address")" \
			dev "$IF_TGT" nud permanent
		cmp_xdp_cpumap "$NS_TGT" "$IF_TGT" 1 tgt ||
			sf_die "XDP cpumap on $IF_TGT failed"
	else
		echo 1 >"/proc/sys/net/ipv6/conf/$IF_TGT/disable_ipv6"
		ethtool -K "$IF_TGT" gro off >/dev/null
		ip link set "$IF_TGT" up
	fi
	# trafgen leaves the generator's end to the kernel: its receive work
	# goes back to CPU 0. sf-synflood puts its own AF_XDP socket there.
	if [ "$GEN" = trafgen ]; then
		cmp_xdp_cpumap "$NS_GEN" "$IF_GEN" 0 gen ||
			sf_die "XDP cpumap on $IF_GEN failed"
	fi
	TGT_MAC=$( [ "$kind" = kernel ] &&
		cmp_nsx "$NS_TGT" cat "/sys/class/net/$IF_TGT/address" ||
		cat "/sys/class/net/$IF_TGT/address")
	GEN_MAC=$(cmp_nsx "$NS_GEN" cat "/sys/class/net/$IF_GEN/address")
	ip -n "$NS_GEN" neigh replace "$TGT_IP" lladdr "$TGT_MAC" \
		dev "$IF_GEN" nud permanent
}

# --- targets -------------------------------------------------------------

# A listener that accepts and closes (pinned to CPU 1), port 80.
cmp_listener_start()
{
	local i
	taskset -c 1 ip netns exec "$NS_TGT" "$PY" -c '
import socket
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("'"$TGT_IP"'", 80))
s.listen(4096)
while True:
    c, _ = s.accept()
    c.close()' &
	LISTEN_PID=$!
	for ((i = 0; i < 50; i++)); do
		ip netns exec "$NS_TGT" ss -Hltn "sport = :80" | grep -q . &&
			return 0
		sleep 0.1
	done
	sf_die "the listener in $NS_TGT did not start"
}

# cmp_target_up TARGET: topology and target ready to be flooded.
cmp_target_up()
{
	case $1 in
	kernel | synproxy)
		cmp_topo_up kernel || return 1
		cmp_nsx "$NS_TGT" sysctl -qw net.ipv4.tcp_syncookies=2
		cmp_nsx "$NS_TGT" sysctl -qw net.ipv4.tcp_max_syn_backlog=4096
		if [ "$1" = synproxy ]; then
			cmp_synproxy || return 1
		fi
		cmp_listener_start
		;;
	afxdp | afxdp_steer | afpacket)
		cmp_topo_up dpdk || return 1
		cmp_synfront_start "$1" || return 1
		;;
	esac
}

cmp_synproxy()
{
	local ipt=(ip netns exec "$NS_TGT" iptables)
	cmp_nsx "$NS_TGT" sysctl -qw net.netfilter.nf_conntrack_tcp_loose=0 ||
		{ modprobe nf_conntrack 2>/dev/null;
		  cmp_nsx "$NS_TGT" sysctl -qw net.netfilter.nf_conntrack_tcp_loose=0; }
	"${ipt[@]}" -t raw -A PREROUTING -i "$IF_TGT" -p tcp --dport 80 \
		--syn -j CT --notrack &&
	"${ipt[@]}" -A INPUT -i "$IF_TGT" -p tcp --dport 80 -m conntrack \
		--ctstate INVALID,UNTRACKED -j SYNPROXY --sack-perm \
		--timestamp --wscale 7 --mss 1460 &&
	"${ipt[@]}" -A INPUT -i "$IF_TGT" -m conntrack --ctstate INVALID -j DROP
}

cmp_synfront_start()
{
	local vdev xdp=() log=$WORK/synfront-$1.log
	if [ "$1" = afxdp ]; then
		vdev="net_af_xdp0,iface=$IF_TGT,start_queue=0,queue_count=1"
		xdp=(--xdp whole)
	elif [ "$1" = afxdp_steer ]; then
		vdev="net_af_xdp0,iface=$IF_TGT,start_queue=0,queue_count=1"
	else
		vdev="net_af_packet0,iface=$IF_TGT"
	fi
	"$SYNFRONT" -l 0,1 --main-lcore 0 --no-pci $SF_EAL_MEM \
		--file-prefix "$PREFIX" --vdev="$vdev" -- \
		--config "$SF_ROOT/config/af_xdp.ini" --ports 80 \
		--stats-period 0 "${xdp[@]}" >"$log" 2>&1 &
	SF_PID=$!
	if ! sf_wait_line "$log" "synfront: ready" "$SF_PID" 30; then
		cat "$log" >&2
		SF_PID=
		return 1
	fi
}

# --- generator -----------------------------------------------------------

# cmp_trafgen_cfg: SYNs with MSS 1460 from random 198.19.x.y, random ports
# and ISNs, to TGT_IP:80.
cmp_trafgen_cfg()
{
	cat <<EOF
{
  0x${TGT_MAC//:/, 0x},
  0x${GEN_MAC//:/, 0x},
  c16(0x0800),
  0x45, 0, c16(44), drnd(2), 0x40, 0, 64, 6, csumip(14, 33),
  ${FLOOD_NET//./, }, drnd(2),
  ${TGT_IP//./, },
  drnd(2), c16(80), drnd(4), c32(0),
  0x60, 0x02, c16(64240), csumtcp(14, 34), c16(0),
  2, 4, c16(1460)
}
EOF
}

# cmp_gen_start MPPS|max SECONDS: the flood, on CPU 0, bounded by count
# and time; prints nothing. Returns once the generator sends.
cmp_gen_start()
{
	if [ "$GEN" = synflood ]; then
		cmp_synflood_start "$@"
	else
		cmp_trafgen_start "$@"
	fi
}

# cmp_synflood_start MPPS|max SECONDS: sf-synflood on the generator's end
# (net_af_xdp, lcore 0 = CPU 0), option mix, GEN_LEGIT of the flows
# completing their handshake.
cmp_synflood_start()
{
	local load=$1 secs=$2 rate n
	if [ "$load" = max ]; then
		rate=max n=$((MAX_PPS * secs))
	else
		rate=$(awk -v l="$load" 'BEGIN { printf "%d", l * 1e6 }')
		n=$((rate * secs))
	fi
	sf_dpdk_cleanup "${PREFIX}g"
	# A fresh log: the old one's "ready" must not be taken for this one's.
	rm -f "$WORK/gen.log"
	timeout -s INT $((secs + 15)) nsenter --net="/var/run/netns/$NS_GEN" \
		"$SYNFLOOD" -l 0 --no-pci $SF_EAL_MEM --file-prefix "${PREFIX}g" \
		--log-level lib.eal:notice \
		--vdev="net_af_xdp1,iface=$IF_GEN,start_queue=0,queue_count=1" -- \
		--dst "$TGT_IP" --dst-port 80 --dst-mac "$TGT_MAC" \
		--src "$FLOOD_NET.0.0/16" --opts mix --rate "$rate" \
		--duration "$secs" --count "$n" --legit "$GEN_LEGIT" \
		--drain 0.3 --quiet >"$WORK/gen.log" 2>&1 &
	GEN_PID=$!
	sf_wait_line "$WORK/gen.log" "sf-synflood: ready" "$GEN_PID" 15 || {
		tail -5 "$WORK/gen.log" >&2
		sf_die "sf-synflood did not start"
	}
}

# cmp_trafgen_start MPPS|max SECONDS: trafgen (MSS-only SYNs).
cmp_trafgen_start()
{
	local load=$1 secs=$2 n rate=()
	if [ "$load" = max ]; then
		n=$((MAX_PPS * secs))
	else
		n=$(awk -v l="$load" -v s="$secs" 'BEGIN { printf "%d", l * 1e6 * s }')
		rate=(-b "$(awk -v l="$load" 'BEGIN { printf "%d", l * 1e6 }')pps")
	fi
	cmp_trafgen_cfg >"$WORK/syn.cfg"
	timeout -s INT $((secs + 2)) taskset -c 0 \
		ip netns exec "$NS_GEN" trafgen -o "$IF_GEN" -i "$WORK/syn.cfg" \
		-P 1 -Q -C -n "$n" "${rate[@]}" >"$WORK/gen.log" 2>&1 &
	GEN_PID=$!
}

# cmp_gen_stop: wait for the generator (bounded); prints sf-synflood's
# "handshakes legit_syns" ("" "" for trafgen).
cmp_gen_stop()
{
	if [ "$GEN" != synflood ]; then
		sf_stop_pid "$GEN_PID" 3 >/dev/null 2>&1
		echo ","
		return
	fi
	sf_stop_pid "$GEN_PID" 10 >/dev/null 2>&1
	sf_dpdk_cleanup "${PREFIX}g"
	"$PY" -c '
import json, sys
row = {}
for line in open(sys.argv[1]):
    if line.startswith("{"):
        row = json.loads(line)
print("%d,%d" % (row.get("handshakes", 0),
                 round(row.get("syn_tx", 0) * float(sys.argv[2]))))' \
		"$WORK/gen.log" "$GEN_LEGIT"
	grep '^{' "$WORK/gen.log" >>"$OUT/gen.jsonl"
}

# cmp_legit SECONDS: up to LEGIT handshakes from GEN_IP, one every
# SECONDS/LEGIT, for SECONDS; prints "completed tried" (completed:
# connect() returned within 0.5 s).
cmp_legit()
{
	taskset -c 0 ip netns exec "$NS_GEN" "$PY" -c '
import socket, sys, time
n, secs = int(sys.argv[1]), float(sys.argv[2])
ok = tried = 0
end = time.monotonic() + secs
while tried < n and time.monotonic() < end:
    s = socket.socket()
    s.settimeout(0.5)
    tried += 1
    try:
        s.connect(("'"$TGT_IP"'", 80))
        ok += 1
    except OSError:
        pass
    s.close()
    time.sleep(max(0.0, min(secs / n, end - time.monotonic())))
print(ok, tried)' "$LEGIT" "$1"
}

# --- one point -----------------------------------------------------------

# cmp_sample TGT_NS: one line "wall;gen tx;gen rx;target rx;CPU 1 ticks;
# CPU 0 ticks;synfront busy" (cmp_cpu_ticks, cmp_sf_busy: "0 0 0" without
# synfront), the counters a point's rates are differences of.
cmp_sample()
{
	local w tx rx trx c1 c0 sf="0 0 0"
	w=$(date +%s.%N)
	tx=$(cmp_ifstat "$NS_GEN" "$IF_GEN" tx_packets)
	rx=$(cmp_ifstat "$NS_GEN" "$IF_GEN" rx_packets)
	trx=$(cmp_ifstat "$1" "$IF_TGT" rx_packets)
	c1=$(cmp_cpu_ticks 1) c0=$(cmp_cpu_ticks 0)
	[ -n "$SF_PID" ] && sf=$(cmp_sf_busy)
	echo "$w;$tx;$rx;$trx;$c1;$c0;$sf"
}

# cmp_point TARGET LOAD REP: one measurement; appends a row to raw.csv.
cmp_point()
{
	local target=$1 load=$2 rep=$3 tx0 rx0 tx1 rx1 c1a c1b c0a c0b
	local trx0 trx1 sf0 sf1 legit gen w0 w1
	local tgt_ns=$NS_TGT
	[ -n "$SF_PID" ] && tgt_ns=-
	cmp_gen_start "$load" $((WARM + SECS + 1))
	sleep "$WARM"
	IFS=';' read -r w0 tx0 rx0 trx0 c1a c0a sf0 <<<"$(cmp_sample "$tgt_ns")"
	if [ "$GEN" = trafgen ]; then
		legit=$(cmp_legit "$SECS")
	else
		# sf-synflood's socket takes every frame of its end: its own
		# legitimate flows stand in for the connect() calls.
		sleep "$SECS"
		legit="0 0"
	fi
	IFS=';' read -r w1 tx1 rx1 trx1 c1b c0b sf1 <<<"$(cmp_sample "$tgt_ns")"
	gen=$(cmp_gen_stop)
	# Rates over the wall-clock window; CPU times in USER_HZ (100) ticks.
	awk -v t="$target" -v l="$load" -v r="$rep" -v tx="$((tx1 - tx0))" \
	    -v rx="$((rx1 - rx0))" -v trx="$((trx1 - trx0))" \
	    -v c1a="$c1a" -v c1b="$c1b" -v c0a="$c0a" -v c0b="$c0b" \
	    -v sfa="$sf0" -v sfb="$sf1" -v legit="$legit" -v gen="$gen" \
	    -v w0="$w0" -v w1="$w1" '
	BEGIN {
		split(c1a, a); split(c1b, b); split(c0a, p); split(c0b, q)
		split(sfa, s); split(sfb, u); split(legit, g)
		secs = w1 - w0
		if (secs <= 0) secs = 1
		busy1 = (b[1] - a[1]) / 100; busy0 = (q[1] - p[1]) / 100
		# Less the SYN-ACK and FIN of each legitimate flow.
		ans = rx - g[1] * 2
		if (ans < 0) ans = 0
		cpu = ans > 0 ? busy1 / (ans / 1e6) : 0
		kern1 = (b[3] - a[3]) / 100
		kcpu = ans > 0 ? kern1 / (ans / 1e6) : 0
		sfcpu = ""
		if (u[3] > 0 && u[2] > s[2])
			sfcpu = sprintf("%.3f", (u[1] - s[1]) / u[3] / ((u[2] - s[2]) / 1e6))
		printf "%s,%s,%d,%.2f,%.4f,%.4f,%.4f,%.4f,%.2f,%.2f,%.3f,%s,%d,%d,%s,%.2f,%.3f\n",
			t, l, r, secs, tx / secs / 1e6, trx / secs / 1e6,
			ans / secs / 1e6, (tx > 0 ? ans / tx : 0),
			busy1 / secs * 100, busy0 / secs * 100, cpu, sfcpu,
			g[1], g[2], gen, kern1 / secs * 100, kcpu
	}' | tee -a "$OUT/raw.csv"
	sleep 0.5
}

# --- main ----------------------------------------------------------------

cmp_main()
{
	local t l r host start
	start=$(date +%s)
	LOAD0=$(cut -d' ' -f1-3 /proc/loadavg)
	IDLE0=$(cmp_idle_now)
	sf_need_root
	# The build's packages and the benchmark's (nothing when installed).
	sf_install_packages "${SF_PACKAGES[@]}" "${SF_BENCH_PACKAGES[@]}" ||
		sf_die "cannot install the packages of scripts/lib.sh"
	host=$(hostname -s)
	OUT=${OUT:-$SF_ROOT/bench/results/$(date +%Y%m%d)-$host}
	mkdir -p "$OUT"
	WORK=$(mktemp -d /tmp/sfcmp.XXXXXX)
	trap cmp_exit EXIT
	trap 'exit 130' INT TERM
	sf_log "build ($BUILD)"
	cmp_build
	sf_hugepages_setup >/dev/null
	[ "$GEN" = auto ] && { [ -x "$SYNFLOOD" ] && GEN=synflood || GEN=trafgen; }
	sf_log "generator: $GEN; loads: $LOADS; $REPS x ${SECS} s; targets: $TARGETS"
	echo "target,load,rep,secs,offered_mpps,target_rx_mpps,answered_mpps,ratio,cpu1_pct,cpu0_pct,cpu1_s_per_m,sf_busy_s_per_m,legit_ok,legit_tried,gen_handshakes,gen_legit,cpu1_kernel_pct,cpu1_kernel_s_per_m" \
		>"$OUT/raw.csv"
	for t in $TARGETS; do
		sf_log "target $t"
		cmp_target_up "$t" || sf_die "target $t did not start"
		for l in $LOADS; do
			for ((r = 1; r <= REPS; r++)); do
				cmp_point "$t" "$l" "$r"
			done
		done
		cmp_cleanup
		# synfront's log ends with its counters over the whole sweep.
		[ -f "$WORK/synfront-$t.log" ] && cp "$WORK/synfront-$t.log" "$OUT/"
	done
	sf_log "pipeline (I/O-free, lcore 1)"
	"$PIPELINE" -l 1 -r 3 -n 1000000 -o reflect,syn,synsw,ack \
		>"$OUT/pipeline.txt" 2>&1 || sf_warn "sf-bench-pipeline failed"
	cmp_env >"$OUT/env.txt"
	echo "elapsed_s=$(($(date +%s) - start))" >>"$OUT/env.txt"
	"$PY" "$SF_ROOT/bench/compare/report.py" "$OUT" ||
		sf_die "report failed"
	sf_log "results: $OUT"
}

# cmp_idle_now: "CPU 0 x % busy, CPU 1 y % busy" over one second, before
# the run: what other work on the machine takes from the targets.
cmp_idle_now()
{
	local a0 a1 b0 b1
	a0=$(cmp_cpu_ticks 0) a1=$(cmp_cpu_ticks 1)
	sleep 1
	b0=$(cmp_cpu_ticks 0) b1=$(cmp_cpu_ticks 1)
	awk -v a0="$a0" -v a1="$a1" -v b0="$b0" -v b1="$b1" 'BEGIN {
		split(a0, p); split(b0, q); split(a1, r); split(b1, s)
		printf "CPU 0 %.0f %%, CPU 1 %.0f %%\n",
			100 * (q[1] - p[1]) / (q[2] - p[2] + 1e-9),
			100 * (s[1] - r[1]) / (s[2] - r[2] + 1e-9) }'
}

# cmp_env: machine, kernel, DPDK and synfront versions, generator.
cmp_env()
{
	echo "date=$(date -u +%Y-%m-%dT%H:%MZ)"
	echo "host=$(hostname -s)"
	echo "cpu=$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)"
	echo "cpus=$(nproc)"
	echo "kernel=$(uname -r)"
	echo "dpdk=$(pkg-config --modversion libdpdk 2>/dev/null)"
	echo "synfront=$(git -C "$SF_ROOT" describe --always --dirty 2>/dev/null)"
	echo "generator=$GEN"
	echo "trafgen=$(trafgen -v 2>/dev/null | head -1)"
	echo "loads=$LOADS"
	echo "reps=$REPS"
	echo "secs=$SECS"
	echo "hugepages=$SF_HUGEPAGES"
	echo "loadavg=$LOAD0"
	echo "busy_before=$IDLE0"
}

cmp_main
