#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""Spoofed SYN flood with 200 real clients: every client connects, and
afterwards conn_active counts only the real connections.

A pcap of N_FLOOD spoofed SYNs (flood_pcap.py: random sources in
198.18.0.0/15 without the clients' 198.18.0.0/24, and in
2001:2:0:ff::/64) is replayed once with tcpreplay --topspeed; it stops by
itself at the end of the file. Once the flood reaches synfront, 200 kernel
clients in the namespace connect (sfit.connect_many, 30 s deadline: the
kernel's SYN retransmits cover a queue behind the flood).

Checks: all 200 connected; every SYN answered (synack_tx == syn_rx); the
flood mostly read (syn_rx >= 90 % of N_FLOOD); established ==
ack_cookie_ok == 200 and no bad cookie; conn_active == 200 once the link
is quiet (the flood left no entry); after 50 clients close, conn_active ==
150 (the clients still open); after all close, 0; SIGTERM then exits 0
with no mbuf in use. Printed: syn_rx, synack_tx, established, conn_active.

Another test run (an ASan+UBSan build of synfront) runs this file too:
it takes the binary as argv[1] and asserts no rate.

usage: test_syn_flood_clients.py SYNFRONT_BINARY
"""

import sfflood
import sfit
from sfit import expect, log

N_FLOOD = 200000
N_CLIENTS = 200
N_CLOSE_FIRST = 50
CONNECT_TIMEOUT = 30
REPLAY_TIMEOUT = 60
SEED = 20261127


def test(args, sfs):
    sf, pcap = sfflood.start(args[0], "sfc", sfs, "syn", N_FLOOD, SEED,
                             consumer="sink")
    before = sf.stats()

    replay = sfflood.Replay(sf, pcap, N_FLOOD + 10000)
    try:
        seen = sf.wait_stat("syn_rx", lambda v: v >= before["syn_rx"] + 1000)
        log(f"flood under way: syn_rx {seen}, replay "
            f"{'running' if replay.running() else 'already finished'}")
        socks, failed = sfit.connect_many(sf.ns, 4, sfit.VIP4, sfit.PORT,
                                          N_CLIENTS, timeout=CONNECT_TIMEOUT)
        flood_on = replay.running()
        rep = replay.wait(REPLAY_TIMEOUT)
    finally:
        replay.kill()
    log(f"clients done {'during' if flood_on else 'after'} the replay "
        f"({rep.get('sent', '?')} frames in {rep.get('seconds', '?')} s)")
    expect(len(socks) == N_CLIENTS and not failed, f"clients connected "
           f"during the flood ({CONNECT_TIMEOUT} s deadline)", N_CLIENTS,
           f"{len(socks)}, failures: {failed[:5]}")

    # Generous: an ASan build of synfront drains the queue slowly.
    st, _ = sfflood.settle(sf, ("rx_pkts", "synack_tx", "established"),
                           timeout=120)
    d = sfflood.delta(before, st)
    log(f"figures: syn_rx {d['syn_rx']}, synack_tx {d['synack_tx']}, "
        f"established {d['established']}, conn_active {d['conn_active']}, "
        f"ack_cookie_ok {d['ack_cookie_ok']}, ack_cookie_bad "
        f"{d['ack_cookie_bad']}")
    sfflood.expect_answered(d, N_FLOOD)
    expect(d["established"] == N_CLIENTS and
           d["ack_cookie_ok"] == N_CLIENTS, "established and ack_cookie_ok "
           "== clients", N_CLIENTS,
           f"{d['established']}, {d['ack_cookie_ok']}")
    expect(d["ack_cookie_bad"] == 0, "ack_cookie_bad", 0, d["ack_cookie_bad"])
    expect(d["conn_active"] == N_CLIENTS, "conn_active after the flood: "
           "the real connections only", N_CLIENTS, d["conn_active"])

    ports = sorted(socks)
    sfit.close_all(socks[p] for p in ports[:N_CLOSE_FIRST])
    left = N_CLIENTS - N_CLOSE_FIRST
    active = sf.wait_stat("conn_active", lambda v: v == left, timeout=15)
    expect(active == left, f"conn_active after {N_CLOSE_FIRST} clients "
           f"closed (== clients still open)", left, active)
    sfit.close_all(socks[p] for p in ports[N_CLOSE_FIRST:])
    active = sf.wait_stat("conn_active", lambda v: v == 0, timeout=15)
    expect(active == 0, "conn_active after every client closed", 0, active)
    sf.check_clean_exit()


if __name__ == "__main__":
    sfit.main(test)
