#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""Real Linux TCP clients: 200 over IPv4 and 50 over IPv6 complete; the
established counter equals the number of clients; every ESTABLISHED event
carries the ISNs seen on the wire; closing them all is handled (FIN events)
and conn_active returns to 0; SIGTERM then exits cleanly.

usage: test_clients.py SYNFRONT_BINARY
"""

import sfit
from sfit import expect, log

N4, N6 = 200, 50


def test(args, sfs):
    sf = sfit.Synfront(args[0], "cli")
    sfs.append(sf)
    sf.start()
    sniffer = sfit.Sniffer(sf.ns, sf.iface)

    socks4, fail4 = sfit.connect_many(sf.ns, 4, sfit.VIP4, sfit.PORT, N4)
    expect(not fail4 and len(socks4) == N4, f"IPv4 clients connected to "
           f"{sfit.VIP4}:{sfit.PORT}", N4,
           f"{len(socks4)}, failures: {fail4[:5]}")
    socks6, fail6 = sfit.connect_many(sf.ns, 6, sfit.VIP6, sfit.PORT, N6)
    expect(not fail6 and len(socks6) == N6, f"IPv6 clients connected to "
           f"[{sfit.VIP6}]:{sfit.PORT}", N6,
           f"{len(socks6)}, failures: {fail6[:5]}")

    total = N4 + N6
    est = sf.wait_stat("established", lambda v: v >= total)
    expect(est == total, "telemetry /synfront/stats established", total, est)
    active = sf.stats().get("conn_active")
    expect(active == total, "telemetry conn_active with all clients open",
           total, active)

    clients = {(4, p) for p in socks4} | {(6, p) for p in socks6}
    sfit.wait_until(lambda: sum(e.get("type") == "established"
                                for e in sf.events()) >= total, 10)
    sfit.check_handshakes(sniffer, sf.events(), clients, "IPv4+IPv6 clients")

    # Close everything: FIN events and conn_active back to 0.
    sfit.close_all(list(socks4.values()) + list(socks6.values()))
    active = sf.wait_stat("conn_active", lambda v: v == 0, timeout=15)
    expect(active == 0, "conn_active after every client closed", 0, active)
    sfit.wait_until(lambda: sum(e.get("type") == "fin"
                                for e in sf.events()) >= total, 5)
    fins = {(e.get("family"), e.get("client_port")) for e in sf.events()
            if e.get("type") == "fin"}
    missing = clients - fins
    expect(not missing, "a FIN event for every closed client", total,
           f"{len(clients) - len(missing)}" +
           (f"; missing e.g. {sorted(missing)[:5]}" if missing else ""))
    st = sf.stats()
    log("stats: " + ", ".join(f"{k}={v}" for k, v in st.items() if v))
    sniffer.stop()
    sf.check_clean_exit()


if __name__ == "__main__":
    sfit.main(test)
