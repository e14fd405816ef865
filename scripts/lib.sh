# SPDX-License-Identifier: BSD-3-Clause
#
# Shared shell functions for scripts/test.sh, scripts/demo.sh and the bash
# integration tests: package install, hugepages, network namespaces.
# Source it; it sets no shell options of its own.
#
# Addresses: only 198.18.0.0/15 and 2001:2::/48, inside namespaces this
# code creates and deletes.

SF_ROOT=${SF_ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}

# Packages the build, the tests and the demo use (libclang-rt-14-dev: the
# fuzzers' libFuzzer and sanitizer runtimes, only recommended by clang, and
# recommendations are not installed).
SF_PACKAGES=(
	meson ninja-build pkg-config gcc clang
	libclang-rt-14-dev
	dpdk dpdk-dev libdpdk-dev python3-pyelftools
	libbpf-dev libcmocka-dev libsodium-dev
	python3 python3-scapy
	iproute2 iputils-ping netcat-openbsd procps util-linux ethtool tcpreplay
	nginx curl iptables
)

# Packages the benchmarks add to SF_PACKAGES (bench/compare.sh installs
# them): gnuplot, bpftool (compare.sh's XDP cpumap program), netsniff-ng
# (trafgen: compare.sh -g trafgen, synflood/perf.sh), apache2-utils (ab:
# proxy/proxy_bench.py).
SF_BENCH_PACKAGES=(gnuplot-nox bpftool netsniff-ng apache2-utils)

# Hugepages wanted (2 MiB each) and the least free memory, in MiB, for
# which we use them rather than --no-huge.
SF_HUGEPAGES_WANT=${SF_HUGEPAGES_WANT:-512}
SF_HUGEPAGES_MIN_MB=${SF_HUGEPAGES_MIN_MB:-256}
SF_NOHUGE_MEM="--no-huge -m 512"

sf_log()
{
	printf '==> %s\n' "$*"
}

sf_warn()
{
	printf 'WARNING: %s\n' "$*" >&2
}

sf_die()
{
	printf 'ERROR: %s\n' "$*" >&2
	exit 1
}

sf_need_root()
{
	[ "$(id -u)" -eq 0 ] || sf_die "run as root (namespaces, hugepages, tap devices)"
}

# sf_pkg_installed PKG: true when dpkg has PKG installed.
sf_pkg_installed()
{
	dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'
}

# sf_install_packages [PKG...]: install what is missing (default: SF_PACKAGES).
# apt-get update runs at most once, and only when something is missing.
sf_install_packages()
{
	local pkgs=("$@") missing=() p
	[ ${#pkgs[@]} -gt 0 ] || pkgs=("${SF_PACKAGES[@]}")
	for p in "${pkgs[@]}"; do
		sf_pkg_installed "$p" || missing+=("$p")
	done
	if [ ${#missing[@]} -eq 0 ]; then
		return 0
	fi
	sf_log "installing: ${missing[*]}"
	export DEBIAN_FRONTEND=noninteractive
	if [ -z "${SF_APT_UPDATED:-}" ]; then
		apt-get update -q || return 1
		SF_APT_UPDATED=1
	fi
	apt-get install -y -q --no-install-recommends "${missing[@]}" || return 1
}

# sf_hugepages_free_mb: free hugepage memory in MiB (0 when none).
sf_hugepages_free_mb()
{
	awk '/^HugePages_Free:/ { free = $2 } /^Hugepagesize:/ { sz = $2 }
	     END { printf "%d\n", free * sz / 1024 }' /proc/meminfo
}

# sf_hugepages_mounted: true when a hugetlbfs is mounted on /dev/hugepages.
sf_hugepages_mounted()
{
	awk '$2 == "/dev/hugepages" && $3 == "hugetlbfs" { ok = 1 } END { exit !ok }' \
		/proc/mounts
}

# sf_hugepages_setup: reserve SF_HUGEPAGES_WANT hugepages (never lowers an
# existing reservation), mount hugetlbfs on /dev/hugepages, and export
#   SF_HUGEPAGES=1 SF_EAL_MEM=""                   when usable, else
#   SF_HUGEPAGES=0 SF_EAL_MEM="--no-huge -m 512"   (the fallback).
sf_hugepages_setup()
{
	local cur free free_pages want
	cur=$(cat /proc/sys/vm/nr_hugepages 2>/dev/null || echo 0)
	free_pages=$(awk '/^HugePages_Free:/ { print $2 }' /proc/meminfo)
	free_pages=${free_pages:-0}
	# Reserve SF_HUGEPAGES_WANT, or more when leftovers of other DPDK
	# processes hold some of the reserved ones (at most 2048 pages).
	want=$SF_HUGEPAGES_WANT
	if [ "$free_pages" -lt "$SF_HUGEPAGES_WANT" ] && [ "$cur" -ge "$SF_HUGEPAGES_WANT" ]; then
		want=$((cur + SF_HUGEPAGES_WANT - free_pages))
		[ "$want" -le 2048 ] || want=2048
	fi
	if [ "$cur" -lt "$want" ]; then
		echo "$want" > /proc/sys/vm/nr_hugepages 2>/dev/null || true
	fi
	if ! sf_hugepages_mounted; then
		mkdir -p /dev/hugepages 2>/dev/null || true
		mount -t hugetlbfs nodev /dev/hugepages 2>/dev/null || true
	fi
	free=$(sf_hugepages_free_mb)
	if sf_hugepages_mounted && [ "$free" -ge "$SF_HUGEPAGES_MIN_MB" ]; then
		SF_HUGEPAGES=1
		SF_EAL_MEM=""
		sf_log "hugepages: ${free} MiB free on /dev/hugepages"
	else
		SF_HUGEPAGES=0
		SF_EAL_MEM="$SF_NOHUGE_MEM"
		sf_warn "hugepages unavailable (${free} MiB free): using '$SF_EAL_MEM'"
	fi
	export SF_HUGEPAGES SF_EAL_MEM
}

# sf_dpdk_cleanup PREFIX: remove what an exited DPDK primary with
# --file-prefix PREFIX may leave behind (runtime dir, hugepage files).
sf_dpdk_cleanup()
{
	local prefix=$1
	[ -n "$prefix" ] || return 0
	rm -rf "/var/run/dpdk/$prefix" 2>/dev/null || true
	rm -f /dev/hugepages/"$prefix"map_* 2>/dev/null || true
}

# sf_netns_create NS: a fresh namespace with lo up (an old one is deleted).
sf_netns_create()
{
	local ns=$1
	ip netns del "$ns" 2>/dev/null || true
	ip netns add "$ns" || return 1
	ip -n "$ns" link set lo up
}

# sf_netns_delete NS: delete it if it exists.
sf_netns_delete()
{
	ip netns del "$1" 2>/dev/null || true
}

# sf_wait_iface IFACE [SECONDS]: wait until IFACE exists in this namespace.
sf_wait_iface()
{
	local iface=$1 secs=${2:-10} i
	for ((i = 0; i < secs * 10; i++)); do
		[ -e "/sys/class/net/$iface" ] && return 0
		sleep 0.1
	done
	return 1
}

# sf_ns_attach IFACE NS V4/LEN V6/LEN: move IFACE into NS, address it
# (IPv6 without DAD) and bring it up.
sf_ns_attach()
{
	local iface=$1 ns=$2 v4=$3 v6=$4
	ip link set "$iface" netns "$ns" || return 1
	ip -n "$ns" addr add "$v4" dev "$iface" || return 1
	ip -n "$ns" -6 addr add "$v6" dev "$iface" nodad || return 1
	ip -n "$ns" link set "$iface" up || return 1
}

# sf_wait_line FILE LINE PID [SECONDS]: wait until FILE has the exact line
# LINE; fail early when PID has exited.
sf_wait_line()
{
	local file=$1 line=$2 pid=$3 secs=${4:-30} i
	for ((i = 0; i < secs * 10; i++)); do
		grep -qxF -- "$line" "$file" 2>/dev/null && return 0
		kill -0 "$pid" 2>/dev/null || return 1
		sleep 0.1
	done
	return 1
}

# sf_telemetry PREFIX CMD...: print the JSON answers (one line each).
sf_telemetry()
{
	local prefix=$1
	shift
	printf '%s\n' "$@" | dpdk-telemetry.py -f "$prefix"
}

# sf_stop_pid PID [SECONDS]: SIGTERM, wait, then SIGKILL; prints nothing,
# returns the exit status (137 when it had to be killed).
sf_stop_pid()
{
	local pid=$1 secs=${2:-10} i rc=0
	kill -0 "$pid" 2>/dev/null || { wait "$pid" 2>/dev/null; return $?; }
	kill -TERM "$pid" 2>/dev/null || true
	for ((i = 0; i < secs * 10; i++)); do
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.1
	done
	if kill -0 "$pid" 2>/dev/null; then
		kill -KILL "$pid" 2>/dev/null || true
	fi
	wait "$pid" 2>/dev/null || rc=$?
	return $rc
}

# sf_it_stale_cleanup: remove what killed integration tests left behind
# (namespaces sfit-<tag>-<pid>, DPDK prefixes sfit_<tag>_<pid>) when that
# test process <pid> is gone.
sf_it_stale_cleanup()
{
	local ns prefix pid d
	for ns in $(ip netns list 2>/dev/null | awk '$1 ~ /^sfit-/ { print $1 }'); do
		pid=${ns##*-}
		kill -0 "$pid" 2>/dev/null || sf_netns_delete "$ns"
	done
	for d in /var/run/dpdk/sfit_*; do
		[ -d "$d" ] || continue
		prefix=${d##*/}
		pid=${prefix##*_}
		kill -0 "$pid" 2>/dev/null || sf_dpdk_cleanup "$prefix"
	done
}
