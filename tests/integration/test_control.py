#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""Control plane with real Linux tools: a connection to a non-listening
port is refused (ECONNREFUSED, RST on the wire), ping to both VIPs works,
ARP and ND resolve to the DPDK port's MAC.

usage: test_control.py SYNFRONT_BINARY
"""

import errno
import json
import os

import sfit
from sfit import expect, log


def test(args, sfs):
    sf = sfit.Synfront(args[0], "ctl")
    sfs.append(sf)
    sf.start()
    sniffer = sfit.Sniffer(sf.ns, sf.iface)

    for fam, addr in ((4, sfit.VIP4), (6, sfit.VIP6)):
        what = f"IPv{fam} connect to closed port {sfit.CLOSED_PORT}"
        s, err = sfit.connect_one(sf.ns, fam, addr, sfit.CLOSED_PORT)
        if s is not None:
            s.close()
        expect(s is None and err == errno.ECONNREFUSED, what,
               "ECONNREFUSED", "connected" if s is not None
               else sfit.errname(err))
        rsts = sfit.wait_until(lambda: sniffer.find(
            lambda g: g.family == fam and g.sport == sfit.CLOSED_PORT
            and g.flags & sfit.TCP_RST), 3)
        expect(rsts, f"{what}: RST from {addr}:{sfit.CLOSED_PORT} on the wire",
               "at least one", len(rsts))

    for fam, addr in ((4, sfit.VIP4), (6, sfit.VIP6)):
        p = sf.ns.exec("ping", f"-{fam}", "-c", "3", "-i", "0.2", "-W", "2",
                       addr, check=False)
        summary = [l for l in p.stdout.splitlines() if "received" in l]
        expect(p.returncode == 0 and summary and " 3 received" in summary[0],
               f"ping -{fam} -c 3 {addr}", "3 received",
               summary[0] if summary else p.stdout.strip()[-200:])

    neigh = json.loads(sf.ns.ip("-j", "neigh", "show", "dev", sf.iface).stdout
                       or "[]")
    for addr in (sfit.VIP4, sfit.VIP6):
        ent = [n for n in neigh if n.get("dst") == addr]
        seen = (f"{ent[0].get('lladdr')} {ent[0].get('state')}" if ent
                else "no entry")
        ok = (ent and (ent[0].get("lladdr") or "").lower() == sf.mac and
              set(ent[0].get("state", [])) & {"REACHABLE", "STALE", "DELAY"})
        expect(ok, f"neighbour entry for {addr}",
               f"{sf.mac} REACHABLE/STALE", seen)

    st = sf.stats()
    for name, least in (("arp_reply", 1), ("nd_reply", 1), ("icmp_reply", 6),
                        ("rst_tx", 2), ("not_listening", 2)):
        expect((st.get(name) or 0) >= least, f"telemetry {name}",
               f">= {least}", st.get(name))
    expect(st.get("established") == 0, "telemetry established (no client "
           "connected)", 0, st.get("established"))
    sniffer.stop()
    sf.check_clean_exit()


if __name__ == "__main__":
    sfit.main(test)
