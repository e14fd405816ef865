#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""The reply channel end to end: synfront --consumer none --reply on, and
sf-events --echo in a secondary process sending every connection's data
back through the command ring. Kernel clients over IPv4 and IPv6 send
lines and a 1 MB blob and read them back identical (sha256), with 1 %
random loss each way on the client's side (iptables' statistic match in
the client namespace: this kernel has no netem), then close: the client's
FIN, sf-events' CLOSE, our FIN, and a CLOSED event per connection. Needs
hugepages (a DPDK secondary cannot attach to a --no-huge primary):
skipped (exit 77) only when they are unavailable.

usage: test_echo.py SYNFRONT_BINARY SF_EVENTS_BINARY
"""

import hashlib
import os
import socket
import threading
import time

import sfit
from sfit import expect, log

LINES = 50
BLOB = 1 << 20
N_CONC = 8		# concurrent connections of the second phase
CONC_BLOB = 128 << 10
IO_TIMEOUT = 90


def recv_exact(s, n):
    buf = bytearray()
    while len(buf) < n:
        chunk = s.recv(min(65536, n - len(buf)))
        if not chunk:
            break
        buf += chunk
    return bytes(buf)


def echo_session(ns, family, addr):
    """Lines, then the blob written while a thread reads it back, then a
    clean close. Returns (client port, seconds of the blob, problems)."""
    s, err = sfit.connect_one(ns, family, addr, sfit.PORT, timeout=10)
    if s is None:
        return None, 0, [f"IPv{family}: connect: {sfit.errname(err)}"]
    s.settimeout(IO_TIMEOUT)
    port = s.getsockname()[1]
    bad = []
    for i in range(LINES):
        line = f"line {i} of IPv{family} client {port}\n".encode()
        s.sendall(line)
        got = recv_exact(s, len(line))
        if got != line:
            bad.append(f"IPv{family} line {i}: sent {line!r}, got {got!r}")
            break
    blob = os.urandom(BLOB)
    back = {}

    def reader():
        back["data"] = recv_exact(s, BLOB)
    t = threading.Thread(target=reader)
    t0 = time.monotonic()
    t.start()
    s.sendall(blob)
    t.join(IO_TIMEOUT)
    secs = time.monotonic() - t0
    data = back.get("data", b"")
    want = hashlib.sha256(blob).hexdigest()
    got = hashlib.sha256(data).hexdigest()
    log(f"IPv{family} client {port}: {len(data)} of {BLOB} bytes back in "
        f"{secs:.2f} s, sha256 {got[:16]}..., sent {want[:16]}...")
    if got != want:
        bad.append(f"IPv{family} blob: {len(data)} bytes back, sha256 "
                   f"{got[:16]} != {want[:16]}")
    s.shutdown(socket.SHUT_WR)
    rest = s.recv(1)
    if rest != b"":
        bad.append(f"IPv{family}: expected EOF after our FIN, saw {rest!r}")
    s.close()
    return port, secs, bad


def concurrent(ns):
    """N_CONC connections at once (IPv4 and IPv6 alternating), each
    echoing CONC_BLOB bytes. Returns (client ports by family, problems)."""
    results = [None] * N_CONC

    def one(i):
        family = 4 if i % 2 == 0 else 6
        addr = sfit.VIP4 if family == 4 else sfit.VIP6
        s, err = sfit.connect_one(ns, family, addr, sfit.PORT, timeout=10)
        if s is None:
            results[i] = (family, None, f"connect: {sfit.errname(err)}")
            return
        s.settimeout(IO_TIMEOUT)
        port = s.getsockname()[1]
        blob = os.urandom(CONC_BLOB)
        back = {}
        t = threading.Thread(target=lambda: back.update(
            data=recv_exact(s, CONC_BLOB)))
        t.start()
        s.sendall(blob)
        t.join(IO_TIMEOUT)
        s.shutdown(socket.SHUT_WR)
        eof = s.recv(1)
        s.close()
        ok = back.get("data") == blob and eof == b""
        results[i] = (family, port, None if ok else
                      f"{len(back.get('data', b''))} bytes back, "
                      f"identical {back.get('data') == blob}, eof {eof!r}")
    threads = [threading.Thread(target=one, args=(i,)) for i in range(N_CONC)]
    t0 = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join(IO_TIMEOUT + 10)
    log(f"{N_CONC} concurrent echoes of {CONC_BLOB} bytes in "
        f"{time.monotonic() - t0:.2f} s")
    ports = [(r[0], r[1]) for r in results if r and r[1] is not None]
    bad = [f"IPv{r[0]} client {r[1]}: {r[2]}" for r in results
           if r is None or r[2] is not None]
    return ports, bad


def start_echo(sf_events, sf):
    """sf-events --echo on sf: (Popen, stdout path, stderr path)."""
    return sfit.start_sf_events(sf_events, sf, ["--timeout", "200", "--echo"],
                                "sf-events --echo attached")


def test(args, sfs):
    if "--no-huge" in sfit.eal_mem():
        raise sfit.Skip("hugepages unavailable: a DPDK secondary process "
                        "cannot attach to a --no-huge primary")
    sf = sfit.Synfront(args[0], "echo", consumer="none",
                       app_args=["--reply", "on"])
    sfs.append(sf)
    sf.start()
    loss = sfit.Loss(sf.ns, sf.iface)
    proc, out_path, err_path = start_echo(args[1], sf)
    ports, bad = {}, []
    try:
        for family, addr in ((4, sfit.VIP4), (6, sfit.VIP6)):
            port, secs, problems = echo_session(sf.ns, family, addr)
            bad += problems
            if port is not None:
                ports[(family, port)] = port
        conc, problems = concurrent(sf.ns)
        bad += problems
        for family, port in conc:
            ports[(family, port)] = port
        closed = lambda: {e.get("client_port") for e in sfit.read_events(out_path)
                          if e.get("type") == "closed"}
        sfit.wait_until(lambda: set(ports.values()) <= closed(), 20)
    finally:
        sfit.stop(proc)
    expect(not bad, f"echoed lines and 1 MB blobs, then {N_CONC} concurrent "
           f"echoes, IPv4 and IPv6", "all identical", bad)
    evs = sfit.read_events(out_path)
    got = {(e.get("family"), e.get("client_port")): e.get("type")
           for e in evs if e.get("type") in ("closed", "rst", "timeout")}
    for family, port in ports:
        expect(got.get((family, port)) == "closed",
               f"IPv{family} client {port}: terminal event", "closed",
               got.get((family, port)))
    st = sf.stats()
    n_drop = sum(loss.drops().values())
    log(f"loss rules dropped {n_drop} segments; synfront data_tx "
        f"{st.get('data_tx')}, bytes_tx {st.get('bytes_tx')}, retransmits "
        f"{st.get('retransmits')}, fast_retransmits "
        f"{st.get('fast_retransmits')}, rto_expired {st.get('rto_expired')}, "
        f"acked_events {st.get('acked_events')}, closed_events "
        f"{st.get('closed_events')}, cmd_rx {st.get('cmd_rx')}, cmd_stale "
        f"{st.get('cmd_stale')}, window_updates {st.get('window_updates')}")
    expect(st.get("bytes_tx", 0) >= 2 * BLOB, "synfront bytes_tx",
           f">= {2 * BLOB}", st.get("bytes_tx"))
    expect(st.get("closed_events") == len(ports), "telemetry closed_events",
           len(ports), st.get("closed_events"))
    expect(n_drop > 0, "segments dropped by the 1 % loss rules", "> 0",
           n_drop)
    expect(st.get("retransmits", 0) + st.get("fast_retransmits", 0) > 0,
           "our segments lost to the loss rules resent",
           "retransmits + fast_retransmits > 0",
           st.get("retransmits", 0) + st.get("fast_retransmits", 0))
    sf.check_clean_exit()


if __name__ == "__main__":
    sfit.main(test, binary_args=2)
