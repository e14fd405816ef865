#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""SYN flood: synfront keeps accepting real connections while it answers a
bounded flood of spoofed SYNs.

A pcap of N = 200000 SYNs (flood_pcap.py: sources random in 198.18.0.0/15
without 198.18.0.0/24 and in 2001:2:0:ff::/64, about 20 % IPv6, option
mixes none / MSS / Linux) is replayed once with tcpreplay --topspeed from
inside the test's namespace onto the tap; the replay stops by itself at
the end of the file. While it runs, 100 IPv4 and 20 IPv6 kernel clients
in the same namespace connect (5 s each: the kernel's own SYN retransmits
at 1 s and 3 s fit) and send a line; they close once the tap's queue has
drained (a close under the flood would race the clients' own
retransmissions of segments delayed in that queue: late copies arriving
after the flow closed are ACKs for no entry, counted as bad cookies).

The tap's kernel queue is made deep enough for the whole file, so that a
replay faster than the PMD reads is queued, not dropped.

Checks: every client connected and its line arrived; syn_rx >= 90 % of N
(else the tap's drop counters say where the rest went); every SYN
answered (synack_tx == syn_rx); no bad cookie; established == clients;
no malformed frame; no RST received (the flood's SYN-ACKs are reflected
to a source MAC nobody owns, so the namespace's kernel drops them as
"other host" frames instead of answering RST); conn_active back to 0;
SIGTERM then exits cleanly with no mbuf in use.

Skipped (77) when tcpreplay is not installed (scripts/lib.sh installs it).

usage: test_flood.py SYNFRONT_BINARY
"""

import errno
import os
import select
import shutil
import socket
import subprocess
import time

import flood_pcap
import sfit
from sfflood import parse_replay, tap_counters
from sfit import expect, log

N_FLOOD = 200000
N4, N6 = 100, 20
CONNECT_TIMEOUT = 5
REPLAY_TIMEOUT = 60
SEED = 20240601
# The tap's kernel queue toward the PMD (tun's tx ring, txqueuelen; 1000
# by default): deep enough for the whole file, so that a replay faster
# than the PMD reads (net_tap: one read() per frame, on a CPU shared with
# tcpreplay) is queued rather than dropped. About 80 MB of skbs at most.
TAP_QLEN = N_FLOOD + 10000


class Sampler(sfit.Loop):
    """Polls /synfront/stats on a thread: (time, syn_rx) every 0.1 s."""

    def __init__(self, sf):
        self.sf = sf
        self.samples = []
        super().__init__()

    def step(self):
        try:
            v = self.sf.stats().get("syn_rx")
        except sfit.TestFailure:
            v = None
        if v is not None:
            self.samples.append((time.monotonic(), v))
        time.sleep(0.1)

    def stop(self, timeout=5):
        super().stop(timeout)

    def busy_span(self):
        """(first, last) sample times at which syn_rx had changed."""
        first = last = None
        for (t0, v0), (t1, v1) in zip(self.samples, self.samples[1:]):
            if v1 != v0:
                if first is None:
                    first = t0
                last = t1
        return first, last


def connect_clients(ns, specs, timeout):
    """Open one non-blocking connection per (family, addr) in specs, all at
    once, each with its own timeout. Returns ({(family, port): (socket,
    time connected)}, [failure strings])."""
    pend, ok, failed = {}, {}, []
    poller = select.poll()
    with ns.enter():
        for family, addr in specs:
            af = socket.AF_INET if family == 4 else socket.AF_INET6
            s = socket.socket(af, socket.SOCK_STREAM)
            s.setblocking(False)
            rc = s.connect_ex((addr, sfit.PORT))
            if rc not in (0, errno.EINPROGRESS):
                failed.append(f"connect {addr}: {os.strerror(rc)}")
                s.close()
                continue
            pend[s.fileno()] = (family, s)
            poller.register(s.fileno(), select.POLLOUT)
    deadline = time.monotonic() + timeout
    while pend:
        remain = deadline - time.monotonic()
        if remain <= 0:
            break
        for fd, _ in poller.poll(remain * 1000):
            family, s = pend.pop(fd)
            poller.unregister(fd)
            err = s.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR)
            if err:
                failed.append(f"IPv{family} port {s.getsockname()[1]}: "
                              f"{os.strerror(err)}")
                s.close()
            else:
                s.setblocking(True)
                s.settimeout(timeout)
                ok[(family, s.getsockname()[1])] = (s, time.monotonic())
    for family, s in pend.values():
        failed.append(f"IPv{family} port {s.getsockname()[1]}: no connection "
                      f"within {timeout} s")
        s.close()
    return ok, failed


def test(args, sfs):
    tcpreplay = shutil.which("tcpreplay")
    if tcpreplay is None:
        raise sfit.Skip("tcpreplay not installed (apt-get install tcpreplay; "
                        "scripts/lib.sh's package list has it)")
    sf = sfit.Synfront(args[0], "flood")
    sfs.append(sf)
    pcap = os.path.join(sf.tmp, "flood.pcap")

    # The flood file, for the port's MAC (chosen by the test: known now).
    t0 = time.monotonic()
    mix = flood_pcap.generate(pcap, sf.mac, N_FLOOD, SEED)
    gen_s = time.monotonic() - t0
    probs = flood_pcap.verify(pcap, 2000)
    expect(not probs, f"flood pcap: {N_FLOOD} SYNs to {sf.mac} written in "
           f"{gen_s:.1f} s, first 2000 re-read with scapy",
           "valid checksums and sources", f"{mix}" +
           (f"; problems: {probs[:5]}" if probs else ""))
    want_mac = sf.mac

    sf.start()
    if sf.mac != want_mac:
        log(f"port MAC {sf.mac}, not {want_mac}: writing the pcap again")
        flood_pcap.generate(pcap, sf.mac, N_FLOOD, SEED)
    sf.ns.ip("link", "set", "dev", sf.iface, "txqueuelen", str(TAP_QLEN))
    before = sf.stats()
    tap0 = tap_counters(sf.ns, sf.iface)
    sampler = Sampler(sf)

    # The flood, in the background, from inside the namespace.
    replay_out = os.path.join(sf.tmp, "tcpreplay.out")
    cmd = ["ip", "netns", "exec", sf.ns.name, tcpreplay, "-i", sf.iface,
           "--topspeed", pcap]
    log(f"replaying: {' '.join(cmd)}")
    with open(replay_out, "w") as rf:
        t_start = time.monotonic()
        replay = subprocess.Popen(cmd, stdout=rf, stderr=subprocess.STDOUT,
                                  stdin=subprocess.DEVNULL)
    try:
        # Clients once the flood reaches synfront (ordering, not timing).
        seen = sf.wait_stat("syn_rx", lambda v: v >= before["syn_rx"] + 1000,
                            timeout=10)
        flood_on = replay.poll() is None
        log(f"flood under way: syn_rx {seen}, replay "
            f"{'running' if flood_on else 'already finished'}")
        specs = [(4, sfit.VIP4)] * N4 + [(6, sfit.VIP6)] * N6
        t_cli = time.monotonic()
        conns, failed = connect_clients(sf.ns, specs, CONNECT_TIMEOUT)
        # One line each, still during the flood.
        send_fail = []
        for (fam, port), (s, _) in sorted(conns.items()):
            try:
                s.sendall(f"hello from IPv{fam} port {port}\n".encode())
            except OSError as e:
                send_fail.append(f"IPv{fam} port {port}: {e}")
        t_sent = time.monotonic()
        try:
            replay.wait(REPLAY_TIMEOUT)
        except subprocess.TimeoutExpired:
            replay.kill()
            replay.wait()
            raise sfit.TestFailure(f"tcpreplay: expected the end of the "
                                   f"file within {REPLAY_TIMEOUT} s, saw "
                                   f"it still running")
        t_end = time.monotonic()
    finally:
        if replay.poll() is None:
            replay.kill()
            replay.wait()
    with open(replay_out, errors="replace") as f:
        rout = f.read()
    rep = parse_replay(rout)
    log(f"tcpreplay: exit {replay.returncode}, {rep}")
    expect(replay.returncode == 0, "tcpreplay exit status", 0,
           replay.returncode if replay.returncode == 0 else
           f"{replay.returncode}: {rout.strip()[-300:]}")

    n4 = sum(1 for k in conns if k[0] == 4)
    n6 = sum(1 for k in conns if k[0] == 6)
    during = sum(1 for _, t in conns.values() if t <= t_end)
    log(f"clients: started {t_cli - t_start:.2f} s into the replay, "
        f"{during} of {len(conns)} connected and "
        f"{'all' if t_sent <= t_end else 'not all'} lines sent before it "
        f"ended ({t_end - t_start:.2f} s)")
    expect(n4 == N4 and n6 == N6 and not failed, f"clients connected during "
           f"the flood (IPv4 to {sfit.VIP4}:{sfit.PORT}, IPv6 to "
           f"[{sfit.VIP6}]:{sfit.PORT}, {CONNECT_TIMEOUT} s each)",
           f"{N4} + {N6}", f"{n4} + {n6}, failures: {failed[:5]}")
    expect(not send_fail, "one line sent by every client", "no error",
           f"{len(send_fail)} errors {send_fail[:3]}")

    # The tap's queue drains after the replay: wait until the counters
    # stop moving before closing. Segments queued behind the flood may
    # have been retransmitted by the clients (RTO); closing on a quiet
    # link keeps such late copies from arriving after a flow was closed
    # (they would be ACKs for no entry: ack_cookie_bad and a RST).
    prev = [None]

    def settled():
        st = sf.stats()
        key = (st.get("rx_pkts"), st.get("synack_tx"))
        same = key == prev[0]
        prev[0] = key
        return st if same else None
    sfit.wait_until(settled, 15, 0.3)
    sampler.stop()

    clients = set(conns)
    total = len(clients)
    sfit.wait_until(lambda: sum(e.get("type") == "data"
                                for e in sf.events()) >= total, 5)
    data = {(e.get("family"), e.get("client_port")) for e in sf.events()
            if e.get("type") == "data"}
    missing = clients - data
    expect(not missing, "a DATA event (the client's line) for every client",
           total, f"{total - len(missing)}" +
           (f"; missing e.g. {sorted(missing)[:5]}" if missing else ""))

    sfit.close_all(s for s, _ in conns.values())
    active = sf.wait_stat("conn_active", lambda v: v == 0, timeout=15)
    expect(active == 0, "conn_active after every client closed", 0, active)

    st = sf.stats()
    d = {k: v - before.get(k, 0) if k != "conn_active" else v
         for k, v in st.items() if isinstance(v, int)}
    tap1 = tap_counters(sf.ns, sf.iface)
    tap_tx_drop = (tap1["tx"].get("dropped", 0) -
                   tap0["tx"].get("dropped", 0))
    tap_rx_drop = (tap1["rx"].get("dropped", 0) -
                   tap0["rx"].get("dropped", 0))
    tap_tx = tap1["tx"].get("packets", 0) - tap0["tx"].get("packets", 0)
    secs = rep.get("seconds") or (t_end - t_start)
    _, busy_end = sampler.busy_span()
    busy = (busy_end - t_start) if busy_end else secs
    log(f"flood: {rep.get('sent', '?')} SYNs replayed in {secs:.2f} s "
        f"({rep.get('pps', 0):.0f} pps by tcpreplay); synfront: syn_rx "
        f"{d['syn_rx']} = {d['syn_rx'] / secs:.0f} SYN/s over the replay, "
        f"{d['syn_rx'] / busy:.0f} SYN/s over the {busy:.2f} s until the "
        f"tap queue was drained; synack_tx {d['synack_tx']}")
    tap_rx = tap1["rx"].get("packets", 0) - tap0["rx"].get("packets", 0)
    log(f"tap {sf.iface}: kernel tx {tap_tx} packets, tx dropped "
        f"{tap_tx_drop} (not read by the PMD); rx {tap_rx} packets (the "
        f"SYN-ACKs), rx dropped {tap_rx_drop}; "
        f"synfront rx_pkts {d['rx_pkts']}, tx_pkts {d['tx_pkts']}, "
        f"tx_dropped {d.get('tx_dropped')}")

    floor = int(N_FLOOD * 0.9)
    expect(d["syn_rx"] >= floor, f"syn_rx of the flood (at least 90 % of "
           f"{N_FLOOD})", f">= {floor}",
           f"{d['syn_rx']} (rx_pkts {d['rx_pkts']}, tap tx dropped "
           f"{tap_tx_drop}, tcpreplay failed {rep.get('failed')})")
    expect(d["synack_tx"] == d["syn_rx"], "every SYN answered: synack_tx "
           "== syn_rx", d["syn_rx"], d["synack_tx"])
    expect(d["ack_cookie_bad"] == 0, "ack_cookie_bad", 0, d["ack_cookie_bad"])
    expect(d["ack_cookie_ok"] == total, "ack_cookie_ok (the clients' final "
           "ACKs)", total, d["ack_cookie_ok"])
    expect(d["established"] == total, "established == clients", total,
           d["established"])
    expect(d["malformed"] == 0, "malformed", 0, d["malformed"])
    # The flood's SYN-ACKs go back to the pcap's source MAC, which no
    # interface has: the namespace's kernel drops them at L2 (not for this
    # host) and never answers RST. Any RST would be a client's.
    expect(d["rst_rx"] == 0 and d["rst_ignored"] == 0, "RSTs received "
           "(rst_rx, rst_ignored): none, the flood's SYN-ACKs reach no stack",
           "0, 0", f"{d['rst_rx']}, {d['rst_ignored']}")
    stats_lines = [l for l in sf.output_lines() if l.startswith("stats: ")]
    log("last periodic line: " + (stats_lines[-1] if stats_lines else "none"))
    log("telemetry (non-zero): " + ", ".join(f"{k}={v}" for k, v in d.items()
                                              if v))
    sf.check_clean_exit()


if __name__ == "__main__":
    sfit.main(test)
