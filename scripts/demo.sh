#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
#
# synfront demo: answer real Linux TCP clients from a network namespace.
#
#   sudo bash scripts/demo.sh
#
# Installs what is missing, builds (build-demo), prepares hugepages (else
# --no-huge), starts synfront on a DPDK net_tap port (interface sfdemo0,
# 1 worker, consumer log), moves sfdemo0 into namespace sfdemo as
# 198.18.0.1/24 and 2001:2::1/64, then: kernel TCP clients connect to
# 198.18.0.2:80 and [2001:2::2]:80 and send a line, ping both VIPs, and the
# demo shows the telemetry counters, the handed-over handshakes and
# synfront's exit. Everything it made is removed on exit.
# Exit status 0 only when every client connected and synfront exited cleanly.

set -uo pipefail

SF_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=scripts/lib.sh
. "$SF_ROOT/scripts/lib.sh"
cd "$SF_ROOT" || exit 1

NS=sfdemo
IFACE=sfdemo0
PREFIX=sfdemo
CLIENTS=${SF_DEMO_CLIENTS:-5}	# per address family
BUILD=build-demo
BIN=$BUILD/app/synfront/synfront
SF_PID=
TMP=

cleanup()
{
	local rc=$?
	if [ -n "$SF_PID" ] && kill -0 "$SF_PID" 2>/dev/null; then
		sf_stop_pid "$SF_PID" 5 || true
	fi
	sf_netns_delete "$NS"
	sf_dpdk_cleanup "$PREFIX"
	[ -n "$TMP" ] && rm -rf "$TMP"
	exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT TERM

sf_need_root
sf_install_packages || sf_die "package installation failed"

sf_log "building $BUILD"
if [ ! -f "$BUILD/build.ninja" ]; then
	meson setup "$BUILD" -Dtests=false > /dev/null || sf_die "meson setup failed"
fi
ninja -C "$BUILD" -j2 app/synfront/synfront > /dev/null || sf_die "build failed"
sf_hugepages_setup

# Leftovers of an interrupted run.
sf_netns_delete "$NS"
if ip link show "$IFACE" > /dev/null 2>&1; then
	sf_die "interface $IFACE exists: is another demo running?"
fi
sf_dpdk_cleanup "$PREFIX"

TMP=$(mktemp -d /tmp/sfdemo.XXXXXX)
EVENTS=$TMP/events.jsonl
OUT=$TMP/synfront.out

# shellcheck disable=SC2086  # SF_EAL_MEM is a list of options
set -- "$BIN" -l 0,1 --file-prefix "$PREFIX" $SF_EAL_MEM --no-pci \
	--log-level lib.eal:notice --vdev="net_tap0,iface=$IFACE" -- \
	--vip 198.18.0.2,2001:2::2 --ports 80 --consumer log \
	--log-file "$EVENTS" --entries-per-lcore 65536 --stats-period 0
sf_log "starting: $*"
"$@" > "$OUT" 2>&1 < /dev/null &
SF_PID=$!
if ! sf_wait_line "$OUT" "synfront: ready" "$SF_PID" 60; then
	cat "$OUT"
	sf_die "synfront did not print 'synfront: ready'"
fi
grep '^synfront: ' "$OUT"

sf_wait_iface "$IFACE" 10 || sf_die "tap interface $IFACE did not appear"
sf_netns_create "$NS" || sf_die "cannot create namespace $NS"
sf_ns_attach "$IFACE" "$NS" 198.18.0.1/24 2001:2::1/64 ||
	sf_die "cannot move $IFACE into $NS"
sf_log "namespace $NS: $IFACE is 198.18.0.1/24 and 2001:2::1/64"

echo
sf_log "clients: $CLIENTS kernel TCP connections per address family"
CLIENT_RC=0
ip netns exec "$NS" /usr/bin/python3 - "$CLIENTS" <<'EOF' || CLIENT_RC=$?
import socket, sys
n = int(sys.argv[1])
bad = 0
for fam, addr in ((socket.AF_INET, "198.18.0.2"), (socket.AF_INET6, "2001:2::2")):
    ok, errs = 0, []
    for i in range(n):
        s = socket.socket(fam, socket.SOCK_STREAM)
        s.settimeout(3)
        try:
            s.connect((addr, 80))
            s.sendall(b"hello from client %d\n" % i)
            ok += 1
        except OSError as e:
            errs.append(str(e))
        finally:
            s.close()
    name = addr if fam == socket.AF_INET else "[%s]" % addr
    print("  %-14s port 80: %d/%d connected%s" % (name, ok, n,
          "" if not errs else ", errors: " + "; ".join(sorted(set(errs)))))
    bad += n - ok
sys.exit(min(bad, 100))
EOF
ip netns exec "$NS" nc -z -w 3 198.18.0.2 80 && echo "  nc -z 198.18.0.2 80: open" ||
	{ echo "  nc -z 198.18.0.2 80: FAILED"; CLIENT_RC=1; }
ip netns exec "$NS" nc -z -w 3 198.18.0.2 81 && echo "  nc -z 198.18.0.2 81: open (unexpected)" ||
	echo "  nc -z 198.18.0.2 81: refused (not listening)"

echo
sf_log "ping"
for a in 198.18.0.2 2001:2::2; do
	ip netns exec "$NS" ping -c 3 -i 0.2 -W 2 "$a" | grep -E 'transmitted' | sed "s/^/  $a: /"
done
ip -n "$NS" neigh show dev "$IFACE" | sed 's/^/  neigh: /'

sleep 0.5	# let the consumer write the last events
echo
sf_log "telemetry: /synfront/stats (non-zero counters)"
sf_telemetry "$PREFIX" /synfront/stats | python3 -c '
import json, sys
for line in sys.stdin:
    st = json.loads(line).get("/synfront/stats", {})
    items = [(k, v) for k, v in st.items() if v]
    for i in range(0, len(items), 3):
        print("  " + "".join("%-16s %-8s" % kv for kv in items[i:i + 3]))
'

echo
sf_log "handed-over handshakes (consumer log, ESTABLISHED events)"
grep '"type":"established"' "$EVENTS" | sed 's/^/  /'
python3 - "$EVENTS" <<'EOF'
import collections, json, sys
c = collections.Counter(json.loads(l)["type"] for l in open(sys.argv[1]) if l.strip())
print("  events: " + ", ".join("%s %d" % kv for kv in sorted(c.items())))
EOF

echo
sf_log "stopping synfront (SIGTERM)"
SF_RC=0
sf_stop_pid "$SF_PID" 10 || SF_RC=$?
SF_PID=
grep -E '^(final: |synfront: (mbufs in use|exit))' "$OUT" | sed 's/^/  /'

echo
if [ "$CLIENT_RC" -ne 0 ]; then
	echo "demo: FAILED: not every client connected"
	exit 1
fi
if [ "$SF_RC" -ne 0 ] || ! grep -qx 'synfront: mbufs in use: 0' "$OUT"; then
	echo "demo: FAILED: synfront exit status $SF_RC"
	exit 1
fi
echo "demo: every client connected; synfront exited cleanly"
