#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""Two workers on two queue pairs (--lcores 0@0,1@1,2@1; net_tap with one
queue per worker, the kernel spreads flows over them): 200 connections
complete and land on both shards (/synfront/lcores shows established > 0
on each worker lcore); then SIGTERM under open connections exits cleanly.

usage: test_two_workers.py SYNFRONT_BINARY
"""

import sfit
from sfit import expect, log

N4, N6 = 150, 50


def test(args, sfs):
    sf = sfit.Synfront(args[0], "two", lcores=("--lcores", "0@0,1@1,2@1"),
                       workers=2)
    sfs.append(sf)
    sf.start()
    workers = [l for l in sf.output_lines() if l.startswith("synfront: worker ")]
    expect(len(workers) == 2, "worker lines at startup", 2,
           f"{len(workers)}: {workers}")
    sniffer = sfit.Sniffer(sf.ns, sf.iface)

    socks4, fail4 = sfit.connect_many(sf.ns, 4, sfit.VIP4, sfit.PORT, N4)
    socks6, fail6 = sfit.connect_many(sf.ns, 6, sfit.VIP6, sfit.PORT, N6)
    expect(len(socks4) == N4 and len(socks6) == N6,
           "clients connected (IPv4, IPv6)", (N4, N6),
           f"({len(socks4)}, {len(socks6)}), failures: {(fail4 + fail6)[:5]}")
    total = N4 + N6
    est = sf.wait_stat("established", lambda v: v >= total)
    expect(est == total, "telemetry established (summed)", total, est)

    lc = sf.telemetry("/synfront/lcores")
    per = {k: v.get("established") for k, v in lc.items()}
    log(f"/synfront/lcores established: {per}")
    expect(sorted(per) == ["1", "2"], "worker lcores in /synfront/lcores",
           ["1", "2"], sorted(per))
    expect(all((v or 0) > 0 for v in per.values()),
           "established on each worker lcore", "> 0 on lcores 1 and 2", per)
    expect(sum(per.values()) == total, "per-lcore established sum", total,
           sum(per.values()))

    clients = {(4, p) for p in socks4} | {(6, p) for p in socks6}
    sfit.wait_until(lambda: sum(e.get("type") == "established"
                                for e in sf.events()) >= total, 10)
    evs = sf.events()
    sfit.check_handshakes(sniffer, evs, clients, "two workers")
    lcores = {e.get("lcore") for e in evs if e.get("type") == "established"}
    expect(lcores == {1, 2}, "lcores in the ESTABLISHED events", {1, 2}, lcores)

    # Some data in flight, then SIGTERM with every connection still open.
    for s in list(socks4.values())[:50]:
        s.sendall(b"x" * 100)
    sf.wait_stat("data_rx", lambda v: v >= 50)
    sniffer.stop()
    sf.check_clean_exit()
    sfit.close_all(list(socks4.values()) + list(socks6.values()))


if __name__ == "__main__":
    sfit.main(test)
