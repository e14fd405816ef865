#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""consumer=proxy during a spoofed SYN flood: every client request still
succeeds.

synfront --consumer proxy with one backend, nginx on 198.18.2.2:8080
(sfbackend.py). A pcap of N_FLOOD spoofed SYNs (flood_pcap.py: sources
outside the clients' 198.18.0.0/24) is replayed once with tcpreplay at
FLOOD_PPS from the client namespace (sfflood.py): 10 s of flood that
synfront reads as it comes (at --topspeed the replay would only fill the
tap's queue, and the clients' SYNs would wait behind all of it). While it
runs, HTTP GETs from kernel clients in the namespace, 4 at a time, IPv4
and IPv6 alternately in rounds of 8, 50 ms apart (at most MAX_GETS); then
8 more once it is over.

Checks: at least 5 rounds begun while the flood ran; every GET answered
200 with the backend's page; the flood was read (syn_rx grew by at least
90 % of N_FLOOD); every SYN answered (synack_tx == syn_rx); established ==
the number of requests (the flood made no connection); nginx logged every
request; SIGTERM: exit 0, no mbuf in use. Printed: requests during the
flood and their rate, tcpreplay's rate, syn_rx, synack_tx, established.

usage: test_proxy_flood.py SYNFRONT_BINARY
"""

import time

import sfbackend
import sfflood
import sfit
from sfbackend import BE4
from sfit import expect, log

N_FLOOD = 150000
FLOOD_PPS = 15000       # below what synfront reads from the tap here
SEED = 20261128
ROUND = 8
MAX_GETS = 3000
PAUSE = 0.05            # between rounds: they span the whole flood
REPLAY_TIMEOUT = 90


def rounds(sf, replay):
    """GETs in rounds while the replay runs, at most MAX_GETS. Returns
    (requests, failures, seconds, rounds)."""
    done, fails, n_rounds = 0, [], 0
    t0 = time.monotonic()
    while done < MAX_GETS and replay.running():
        n_rounds += 1
        fam = 4 if n_rounds % 2 else 6
        ok, fail, bodies, _ = sfbackend.get_many(sf.ns, fam, ROUND, 4)
        bad = [b for b in bodies if b != b"synfront backend 8080\n"]
        done += ROUND
        fails += fail + [f"body {b[:30]!r}" for b in bad]
        time.sleep(PAUSE)
    return done, fails, time.monotonic() - t0, n_rounds


def test(args, sfs):
    sf, pcap = sfflood.start(args[0], "pxf", sfs, "syn", N_FLOOD, SEED,
                             consumer="proxy", app_args=(
                                 sfbackend.proxy_args(
                                     [sfbackend.addr(4, BE4, 8080)])))
    be = sfbackend.Backend(sf.tmp, ports=(8080,))
    try:
        be.start()
        before = sf.stats()
        replay = sfflood.Replay(sf, pcap, N_FLOOD + 10000, pps=FLOOD_PPS)
        try:
            seen = sf.wait_stat("syn_rx",
                                lambda v: v >= before["syn_rx"] + 1000)
            log(f"flood under way: syn_rx {seen}")
            n, fails, secs, during = rounds(sf, replay)
            mid = sf.stats()["syn_rx"] - before["syn_rx"]
            rep = replay.wait(REPLAY_TIMEOUT)
        finally:
            replay.kill()
        log(f"figures: {n} GETs in {secs:.2f} s ({n / secs if secs else 0:.0f}"
            f"/s) in {during} rounds of {ROUND} begun while the flood ran "
            f"(syn_rx +{mid} by the last); tcpreplay "
            f"{rep.get('sent', '?')} frames in {rep.get('seconds', '?')} s "
            f"({rep.get('pps', '?')} pps)")
        expect(during >= 5, "requests made while the flood ran",
               ">= 5 rounds", during)
        expect(not fails, "every request during the flood succeeds",
               "no failure", f"{len(fails)} of {n}: {fails[:3]}")
        ok, fail, _, _ = sfbackend.get_many(sf.ns, 4, ROUND, 4)
        expect(ok == ROUND, f"{ROUND} GETs after the flood succeed", ROUND,
               f"{ok}: {fail[:3]}")
        n += ROUND

        st, _ = sfflood.settle(sf, ("rx_pkts", "synack_tx", "established"),
                               timeout=60)
        d = sfflood.delta(before, st)
        log(f"figures: syn_rx {d['syn_rx']}, synack_tx {d['synack_tx']}, "
            f"established {d['established']}, conn_active "
            f"{d['conn_active']}")
        sfflood.expect_answered(d, N_FLOOD)
        expect(d["established"] == n, "established == requests (the flood "
               "made no connection)", n, d["established"])
        time.sleep(0.5)
        logged = len(be.access(8080))
        expect(logged == n, "nginx logged every request", n, logged)
        sf.check_clean_exit()
    finally:
        be.cleanup()


if __name__ == "__main__":
    sfit.main(test)
