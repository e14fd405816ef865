#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""Fault: the consumer's ring is full. synfront runs with --consumer none
and --ring-size 64 (63 events); the secondary sf-events drains it, then is
paused with SIGSTOP. N clients connect (their ESTABLISHED events overflow
the ring) and each sends a line.

Checks: handoff_full counted (>= N - 63: handshakes and data that found
the ring full); no client's line acknowledged while the consumer is
paused (nothing acknowledged is ever lost); after SIGCONT every client's
line is acknowledged (send queue empty, SIOCOUTQ) as the clients
retransmit; sf-events printed one ESTABLISHED and a DATA event with the
line for every client; established == N (each connection inserted
once); SIGTERM then exits 0 with no mbuf in use.

Needs hugepages (a DPDK secondary cannot attach to a --no-huge primary):
skipped (77) without them.

usage: test_fault_ring_full.py SYNFRONT_BINARY SF_EVENTS_BINARY
"""

import os
import signal

import sfit
from sfit import expect, log

N = 100
RING = 64
RESUME_TIMEOUT = 40



def test(args, sfs):
    if "--no-huge" in sfit.eal_mem():
        raise sfit.Skip("hugepages unavailable: a DPDK secondary process "
                        "cannot attach to a --no-huge primary")
    sf = sfit.Synfront(args[0], "ring", consumer="none",
                       app_args=("--ring-size", str(RING)))
    sfs.append(sf)
    sf.start()
    proc, out_path, _ = sfit.start_sf_events(args[1], sf,
                                               ["--timeout", "80"])
    try:
        os.kill(proc.pid, signal.SIGSTOP)
        log("sf-events paused (SIGSTOP)")
        socks, fail = sfit.connect_many(sf.ns, 4, sfit.VIP4, sfit.PORT, N)
        expect(len(socks) == N, "clients connected (their side)", N,
               f"{len(socks)}, failures {fail[:5]}")
        for port, s in socks.items():
            s.sendall(f"line of {port}\n".encode())
        full = sf.wait_stat("handoff_full", lambda v: v >= N)
        expect(full >= N - (RING - 1), "handoff_full while the consumer is "
               "paused", f">= {N - (RING - 1)}", full)
        acked = [p for p, s in socks.items() if sfit.outq(s) == 0]
        st = sf.stats()
        log(f"paused: handoff_enq {st['handoff_enq']}, handoff_full "
            f"{st['handoff_full']}, established {st['established']}, "
            f"data_rx {st['data_rx']}")
        expect(not acked, "lines acknowledged while the ring is full", 0,
               len(acked))

        os.kill(proc.pid, signal.SIGCONT)
        log("sf-events resumed (SIGCONT)")
        done = sfit.wait_until(lambda: all(sfit.outq(s) == 0
                                                for s in socks.values()),
                               RESUME_TIMEOUT, 0.2)
        left = [p for p, s in socks.items() if sfit.outq(s) != 0]
        expect(done, f"every line acknowledged after SIGCONT (the clients "
               f"retransmit; {RESUME_TIMEOUT} s at most)", N,
               N - len(left))
    finally:
        if proc.poll() is None:
            os.kill(proc.pid, signal.SIGCONT)
        sfit.stop(proc)
    evs = sfit.read_events(out_path)
    est = {e["client_port"] for e in evs if e.get("type") == "established"}
    data = {e["client_port"] for e in evs if e.get("type") == "data"}
    st = sf.stats()
    log(f"figures: handoff_full {st['handoff_full']}, handoff_enq "
        f"{st['handoff_enq']}, established {st['established']}, data_rx "
        f"{st['data_rx']}; sf-events: {len(est)} ESTABLISHED, {len(data)} "
        f"DATA of {N} clients")
    expect(est >= set(socks), "ESTABLISHED events for every client", N,
           len(est & set(socks)))
    expect(data >= set(socks), "DATA events for every client", N,
           len(data & set(socks)))
    expect(st["established"] == N, "established (each connection inserted "
           "once)", N, st["established"])
    sfit.close_all(socks.values())
    sf.check_clean_exit()


if __name__ == "__main__":
    sfit.main(test, binary_args=2)
