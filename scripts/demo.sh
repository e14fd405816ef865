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
# synfront's exit. Then the proxy: nginx in namespace sfdemo-be
# (198.18.2.2:8080 and [2001:2:2::2]:8080, listening with proxy_protocol),
# reached from the root namespace over veth sfdemo-be0 (198.18.2.1/24,
# 2001:2:2::1/64); synfront starts again with --consumer proxy --backends
# ... --proxy-protocol v2, and curl in sfdemo fetches http://198.18.0.2/
# and http://[2001:2::2]/ through it: the page comes from nginx, whose
# access log shows the clients' real addresses. Everything it made is
# removed on exit.
# Exit status 0 only when every client connected, both curls printed the
# backend's page and synfront exited cleanly both times.

set -uo pipefail

SF_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=scripts/lib.sh
. "$SF_ROOT/scripts/lib.sh"
cd "$SF_ROOT" || exit 1

NS=sfdemo
IFACE=sfdemo0
PREFIX=sfdemo
BE_NS=sfdemo-be
BE_VETH=sfdemo-be0
BE_PEER=sfdemo-be1
BE_LOCK=/run/sfit-backend-net.lock	# the proxy tests use the same net
NGINX_PID=
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
	if [ -n "$NGINX_PID" ] && kill -0 "$NGINX_PID" 2>/dev/null; then
		sf_stop_pid "$NGINX_PID" 5 || true
	fi
	sf_netns_delete "$NS"
	sf_netns_delete "$BE_NS"
	ip link del "$BE_VETH" 2>/dev/null || true
	sf_dpdk_cleanup "$PREFIX"
	[ -n "$TMP" ] && rm -rf "$TMP"
	exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# stop_synfront OUT: SIGTERM synfront (SF_PID) and show the final lines of
# its output OUT; its exit status in SF_RC.
stop_synfront()
{
	sf_log "stopping synfront (SIGTERM)"
	SF_RC=0
	sf_stop_pid "$SF_PID" 10 || SF_RC=$?
	SF_PID=
	grep -E '^(final: |synfront: (mbufs in use|exit))' "$1" | sed 's/^/  /'
}

# check_synfront_exit OUT WHAT: the demo fails unless synfront (named WHAT)
# exited 0 with no mbuf in use (its output OUT).
check_synfront_exit()
{
	if [ "$SF_RC" -ne 0 ] || ! grep -qx 'synfront: mbufs in use: 0' "$1"; then
		echo "demo: FAILED: $2 exit status $SF_RC"
		exit 1
	fi
}

# start_synfront OUT ARGS...: start synfront (background, SF_PID) with
# the demo's EAL options and app options ARGS, wait for 'synfront: ready',
# and move its tap into $NS.
start_synfront()
{
	local out=$1
	shift
	# shellcheck disable=SC2086  # SF_EAL_MEM is a list of options
	set -- "$BIN" -l 0,1 --file-prefix "$PREFIX" $SF_EAL_MEM --no-pci \
		--log-level lib.eal:notice --vdev="net_tap0,iface=$IFACE" -- \
		--vip 198.18.0.2,2001:2::2 --ports 80 \
		--entries-per-lcore 65536 --stats-period 0 "$@"
	sf_log "starting: $*"
	"$@" > "$out" 2>&1 < /dev/null &
	SF_PID=$!
	if ! sf_wait_line "$out" "synfront: ready" "$SF_PID" 60; then
		cat "$out"
		sf_die "synfront did not print 'synfront: ready'"
	fi
	grep '^synfront: ' "$out"
	sf_wait_iface "$IFACE" 10 || sf_die "tap interface $IFACE did not appear"
	[ -e "/var/run/netns/$NS" ] || sf_netns_create "$NS" ||
		sf_die "cannot create namespace $NS"
	sf_ns_attach "$IFACE" "$NS" 198.18.0.1/24 2001:2::1/64 ||
		sf_die "cannot move $IFACE into $NS"
	sf_log "namespace $NS: $IFACE is 198.18.0.1/24 and 2001:2::1/64"
}

# backend_up: nginx in $BE_NS on 198.18.2.2:8080 and [2001:2:2::2]:8080
# with proxy_protocol, its files in $TMP/nginx, reached from the root
# namespace over $BE_VETH.
backend_up()
{
	local d=$TMP/nginx i
	exec 9> "$BE_LOCK"
	flock -w 300 9 || sf_die "the backend net is busy ($BE_LOCK)"
	if ip -4 route show 198.18.2.0/24 | grep -q .; then
		sf_die "198.18.2.0/24 is already routed in the root namespace"
	fi
	sf_netns_create "$BE_NS" || sf_die "cannot create namespace $BE_NS"
	ip link add "$BE_VETH" type veth peer name "$BE_PEER" || return 1
	ip addr add 198.18.2.1/24 dev "$BE_VETH" || return 1
	ip -6 addr add 2001:2:2::1/64 dev "$BE_VETH" nodad || return 1
	ip link set "$BE_VETH" up || return 1
	sf_ns_attach "$BE_PEER" "$BE_NS" 198.18.2.2/24 2001:2:2::2/64 || return 1
	mkdir -p "$d/www" "$d/tmp"
	echo "hello from nginx behind synfront" > "$d/www/index.html"
	cat > "$d/nginx.conf" <<-EOF
	daemon off;
	master_process off;
	worker_processes 1;
	user root root;
	pid $d/nginx.pid;
	error_log $d/error.log warn;
	events { worker_connections 1024; }
	http {
	    client_body_temp_path $d/tmp;
	    proxy_temp_path $d/tmp;
	    fastcgi_temp_path $d/tmp;
	    uwsgi_temp_path $d/tmp;
	    scgi_temp_path $d/tmp;
	    log_format pp '\$proxy_protocol_addr:\$proxy_protocol_port via '
	                  '\$remote_addr "\$request" \$status \$body_bytes_sent';
	    access_log $d/access.log pp;
	    server {
	        listen 198.18.2.2:8080 proxy_protocol;
	        listen [2001:2:2::2]:8080 proxy_protocol;
	        root $d/www;
	    }
	}
	EOF
	ip netns exec "$BE_NS" nginx -p "$d" -c "$d/nginx.conf" \
		> "$d/nginx.out" 2>&1 < /dev/null &
	NGINX_PID=$!
	for ((i = 0; i < 50; i++)); do
		ip netns exec "$BE_NS" nc -z 198.18.2.2 8080 2>/dev/null && break
		kill -0 "$NGINX_PID" 2>/dev/null || break
		sleep 0.1
	done
	ip netns exec "$BE_NS" nc -z 198.18.2.2 8080 2>/dev/null || {
		cat "$d/nginx.out" "$d/error.log" 2>/dev/null
		return 1
	}
	sf_log "backend: nginx in $BE_NS on 198.18.2.2:8080 and" \
		"[2001:2:2::2]:8080 (proxy_protocol), $BE_VETH 198.18.2.1/24 in" \
		"the root namespace"
}

# proxy_demo: synfront with consumer=proxy in front of nginx; curl through
# it over IPv4 and IPv6. Exits the script with the demo's status.
proxy_demo()
{
	local out=$TMP/synfront-proxy.out url body fail=0
	echo
	sf_log "part 2: consumer=proxy, curl served through synfront by nginx"
	backend_up || sf_die "cannot start the backend"
	start_synfront "$out" --consumer proxy \
		--backends '198.18.2.2:8080,[2001:2:2::2]:8080' \
		--proxy-protocol v2
	for url in http://198.18.0.2/ 'http://[2001:2::2]/'; do
		echo
		sf_log "curl $url (in $NS)"
		body=$(ip netns exec "$NS" curl -sS --max-time 10 "$url") || fail=1
		echo "  $body"
		[ "$body" = "hello from nginx behind synfront" ] || fail=1
	done
	sleep 0.3	# nginx writes its log after the response
	echo
	sf_log "nginx access log: the client's address from PROXY v2, via the proxy's socket"
	sed 's/^/  /' "$TMP/nginx/access.log"
	echo
	sf_log "telemetry: /synfront/proxy"
	sf_telemetry "$PREFIX" /synfront/proxy | sed 's/^/  /'
	echo
	stop_synfront "$out"
	echo
	if [ "$fail" -ne 0 ]; then
		echo "demo: FAILED: curl through synfront did not print nginx's page"
		exit 1
	fi
	check_synfront_exit "$out" "synfront (proxy)"
	echo "demo: every client connected; curl was served through synfront" \
		"by nginx; synfront exited cleanly"
}

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
sf_netns_delete "$BE_NS"
ip link del "$BE_VETH" 2>/dev/null || true
sf_dpdk_cleanup "$PREFIX"

TMP=$(mktemp -d /tmp/sfdemo.XXXXXX)
EVENTS=$TMP/events.jsonl
OUT=$TMP/synfront.out

start_synfront "$OUT" --consumer log --log-file "$EVENTS"

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
stop_synfront "$OUT"

if [ "$CLIENT_RC" -ne 0 ]; then
	echo "demo: FAILED: not every client connected"
	exit 1
fi
check_synfront_exit "$OUT" synfront

proxy_demo
