#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""SIGTERM after load: with 300 connections open, their ESTABLISHED and
DATA events (holding mbufs) still in the rings (--consumer none: nobody
drains them) and a SYN burst just sent, synfront exits 0, prints its final
line and 'synfront: mbufs in use: 0'.

usage: test_shutdown.py SYNFRONT_BINARY
"""

import socket

import sfit
from sfit import expect, log

N4, N6 = 200, 100


def test(args, sfs):
    sf = sfit.Synfront(args[0], "end", consumer="none")
    sfs.append(sf)
    sf.start()
    socks4, fail4 = sfit.connect_many(sf.ns, 4, sfit.VIP4, sfit.PORT, N4)
    socks6, fail6 = sfit.connect_many(sf.ns, 6, sfit.VIP6, sfit.PORT, N6)
    expect(len(socks4) == N4 and len(socks6) == N6,
           "clients connected (IPv4, IPv6)", (N4, N6),
           f"({len(socks4)}, {len(socks6)}), failures: {(fail4 + fail6)[:5]}")
    for s in list(socks4.values()) + list(socks6.values()):
        s.sendall(b"payload " * 8)
    data = sf.wait_stat("data_rx", lambda v: v >= N4 + N6)
    expect(data == N4 + N6, "telemetry data_rx", N4 + N6, data)
    enq = sf.stats().get("handoff_enq")
    expect(enq == 2 * (N4 + N6), "events left in the rings (handoff_enq)",
           2 * (N4 + N6), enq)
    # A burst of connection attempts still in flight when the signal comes.
    burst = []
    with sf.ns.enter():
        for _ in range(50):
            s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            s.setblocking(False)
            s.connect_ex((sfit.VIP4, sfit.PORT))
            burst.append(s)
    sf.check_clean_exit()
    sfit.close_all(list(socks4.values()) + list(socks6.values()) + burst)


if __name__ == "__main__":
    sfit.main(test)
