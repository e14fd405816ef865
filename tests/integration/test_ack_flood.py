#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""ACK flood: N_FLOOD ACKs with random sequence and acknowledgment numbers
(flood_pcap.py kind "ack": random sources in 198.18.0.0/15 without
198.18.0.0/24 and in 2001:2:0:ff::/64, half with timestamps of random
values), replayed once with tcpreplay --topspeed.

A random ACK passes the cookie check with probability 2^-24 at best
(DESIGN.md), so over N_FLOOD = 150000 none is accepted in practice.

Checks: established == ack_cookie_ok == 0 (printed); every flood ACK read
is counted as ack_cookie_bad (N_FLOOD less the frames the tap dropped
before the PMD, of any kind, <= ack_cookie_bad <= N_FLOOD); each of them gets a RST or is rate-limited
(rst_tx + rst_ratelimited == ack_cookie_bad); the RSTs keep to --rst-rate:
rst_tx <= RST_RATE * elapsed + burst, where elapsed runs from before the
replay to the first stats sample that showed the final counts (an upper
bound of the time the flood was worked) and burst is the bucket's depth
(RST_RATE / 10 + 1, lib/respond); the bucket starts full, so rst_tx >=
burst. No frame is malformed; SIGTERM then exits 0 with no mbuf in use.
The RSTs go to the pcap's source MAC, which no interface owns: the
namespace's kernel drops them.

usage: test_ack_flood.py SYNFRONT_BINARY
"""

import sfflood
import sfit
from sfit import expect, log

N_FLOOD = 150000
RST_RATE = 1000
RST_BURST = RST_RATE // 10 + 1
REPLAY_TIMEOUT = 60
SEED = 7


def test(args, sfs):
    sf, pcap = sfflood.start(args[0], "ackf", sfs, "ack", N_FLOOD, SEED,
                             consumer="sink",
                             app_args=("--rst-rate", str(RST_RATE)))
    before = sf.stats()
    tap0 = sfflood.tap_counters(sf.ns, sf.iface)

    replay = sfflood.Replay(sf, pcap, N_FLOOD + 10000)
    try:
        rep = replay.wait(REPLAY_TIMEOUT)
    finally:
        replay.kill()
    st, t_last = sfflood.settle(sf, ("rx_pkts", "ack_cookie_bad", "rst_tx"))
    elapsed = t_last - replay.t_start
    d = sfflood.delta(before, st)
    tap1 = sfflood.tap_counters(sf.ns, sf.iface)
    tap_drop = tap1["tx"].get("dropped", 0) - tap0["tx"].get("dropped", 0)

    bound = RST_RATE * elapsed + RST_BURST
    log(f"figures: {rep.get('sent', '?')} ACKs replayed in "
        f"{rep.get('seconds', '?')} s, tap dropped {tap_drop}; "
        f"established {d['established']}, ack_cookie_ok "
        f"{d['ack_cookie_ok']}, ack_cookie_bad {d['ack_cookie_bad']}, "
        f"rst_tx {d['rst_tx']}, rst_ratelimited {d['rst_ratelimited']}, "
        f"tx_dropped {d['tx_dropped']}, elapsed {elapsed:.2f} s, "
        f"RST bound {RST_RATE} * {elapsed:.2f} + {RST_BURST} = {bound:.0f}")
    expect(d["established"] == 0 and d["ack_cookie_ok"] == 0,
           "random ACKs accepted (established, ack_cookie_ok)", "0, 0",
           f"{d['established']}, {d['ack_cookie_ok']}")
    expect(N_FLOOD - tap_drop <= d["ack_cookie_bad"] <= N_FLOOD,
           "every flood ACK read counted as ack_cookie_bad",
           f"{N_FLOOD - tap_drop}..{N_FLOOD}", d["ack_cookie_bad"])
    expect(d["rst_tx"] + d["rst_ratelimited"] == d["ack_cookie_bad"],
           "rst_tx + rst_ratelimited == ack_cookie_bad", d["ack_cookie_bad"],
           d["rst_tx"] + d["rst_ratelimited"])
    expect(d["rst_tx"] <= bound, f"rst_tx within --rst-rate {RST_RATE} "
           f"over {elapsed:.2f} s", f"<= {bound:.0f}", d["rst_tx"])
    expect(d["rst_tx"] >= RST_BURST, "rst_tx at least the bucket's depth "
           "(it starts full)", f">= {RST_BURST}", d["rst_tx"])
    expect(d["malformed"] == 0, "malformed", 0, d["malformed"])
    expect(d["conn_active"] == 0, "conn_active", 0, d["conn_active"])
    sf.check_clean_exit()


if __name__ == "__main__":
    sfit.main(test)
