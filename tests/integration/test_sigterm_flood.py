#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""Fault: SIGTERM in the middle of a flood. With --consumer none, N
clients connected and their lines left in the ring as DATA events
(holding mbufs), a pcap of N_FLOOD spoofed SYNs (flood_pcap.py) is
replayed with tcpreplay --topspeed; once synfront has answered SIGNAL_AT
of them, it gets SIGTERM.

Checks: the flood was not yet worked through at the signal (syn_rx <
N_FLOOD + N); synfront exits 0, prints its final line and 'synfront: mbufs
in use: 0'. The replay is then stopped (its tap is gone).

usage: test_sigterm_flood.py SYNFRONT_BINARY
"""

import sfflood
import sfit
from sfit import expect, log

N = 20
N_FLOOD = 300000
SIGNAL_AT = 20000
SEED = 99


def test(args, sfs):
    sf, pcap = sfflood.start(args[0], "term", sfs, "syn", N_FLOOD, SEED,
                             consumer="none")
    socks, fail = sfit.connect_many(sf.ns, 4, sfit.VIP4, sfit.PORT, N)
    expect(len(socks) == N, "clients connected before the flood", N,
           f"{len(socks)}, failures {fail[:5]}")
    for s in socks.values():
        s.sendall(b"left in the ring\n")
    data = sf.wait_stat("data_rx", lambda v: v >= N)
    expect(data == N, "DATA events left in the ring (data_rx)", N, data)

    replay = sfflood.Replay(sf, pcap, N_FLOOD + 10000)
    try:
        seen = sf.wait_stat("syn_rx", lambda v: v >= N + SIGNAL_AT)
        running = replay.running()
        log(f"figures: SIGTERM at syn_rx {seen} of {N_FLOOD + N}, replay "
            f"{'still running' if running else 'finished'}")
        expect(seen is not None and N + SIGNAL_AT <= seen < N + N_FLOOD,
               "SIGTERM in the middle of the flood (syn_rx at the signal)",
               f"{N + SIGNAL_AT}..{N + N_FLOOD - 1}", seen)
        sf.check_clean_exit()
    finally:
        replay.kill()
    sfit.close_all(socks.values())


if __name__ == "__main__":
    sfit.main(test)
