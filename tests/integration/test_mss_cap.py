#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""The MSS is capped at what one mbuf receives, on net_af_xdp at MTU 3500.

A veth pair at MTU 3500, synfront on one end with net_af_xdp, --mtu 3500
and --mss-max 9000: its 2 KB mbufs keep XDP's 256 bytes of headroom, so a
frame of 1792 bytes at most arrives in one mbuf. The start line must say
"rx frame max 1792, mss cap 1734" with a warning that mss_max is lowered,
the SYN-ACKs must carry MSS 1734 (IPv4) and 1714 (IPv6), and full-sized
segments from a client at MTU 3500 must arrive: 20000 bytes sent by each
client are all acknowledged and handed over. (Advertising the MTU's 3460
would have the client send 3514-byte frames that are never received.)

Skipped (77) where AF_XDP sockets or ethtool are not available, or the
veth refuses the MTU with XDP attached.

usage: test_mss_cap.py SYNFRONT_BINARY
"""

import re
import shutil

import sfit
import test_pmds
from sfit import expect, log

MTU = 3500
FRAME_MAX = 1792        # 2176-byte data room - 128 headroom - 256 XDP headroom
MSS4 = FRAME_MAX - 18 - 20 - 20
MSS6 = FRAME_MAX - 18 - 40 - 20
NBYTES = 20000


class JumboVeth(test_pmds.VethSynfront):
    """VethSynfront (net_af_xdp) with both veth ends at MTU, no TSO/GSO on
    the client's end (segments of the MSS, not super-packets)."""

    def setup_veth(self):
        super().setup_veth()
        sfit.run(["ip", "link", "set", self.veth_a, "mtu", str(MTU)])
        self.ns.ip("link", "set", self.veth_b, "mtu", str(MTU))
        self.ns.exec("ethtool", "-K", self.veth_b, "tso", "off", "gso",
                     "off")


def mtu_failure(output):
    """A failed start's reason to skip: the PMD's XSK socket failure, or
    the veth refusing the MTU with XDP attached; None otherwise."""
    m = re.search(r"cannot set the MTU[^\n]*", output)
    return test_pmds.xsk_failure(output) or (m.group(0).strip() if m else None)


def test(args, sfs):
    if shutil.which("ethtool") is None:
        raise sfit.Skip("ethtool not installed")
    reason = test_pmds.af_xdp_unavailable()
    if reason is not None:
        raise sfit.Skip(f"af_xdp: {reason}")
    sf = JumboVeth(args[0], "af_xdp")
    sf.cmd += ["--mtu", str(MTU), "--mss-max", "9000"]
    sfs.append(sf)
    why = sf.try_start(mtu_failure)
    if why is not None:
        raise sfit.Skip(f"af_xdp at MTU {MTU}: {why}")

    lines = sf.output_lines()
    port = [l for l in lines if l.startswith("synfront: port 0")]
    log(port[0] if port else "(no port line)")
    want = f"rx frame max {FRAME_MAX}, mss cap {MSS4}"
    expect(port and f"mtu {MTU}" in port[0] and want in port[0],
           f"start line at MTU {MTU}", repr(want),
           port[0] if port else "none")
    warn = [l for l in lines if f"mss_max 9000 lowered to {MSS4}" in l]
    expect(len(warn) == 1, "warning that mss_max is lowered", "one line",
           warn[0] if warn else "none")

    sniffer = sfit.Sniffer(sf.ns, sf.veth_b)
    socks = []
    try:
        for fam, addr, mss in ((4, sfit.VIP4, MSS4), (6, sfit.VIP6, MSS6)):
            s, err = sfit.connect_one(sf.ns, fam, addr, sfit.PORT)
            expect(s is not None, f"IPv{fam} client connects", "connected",
                   sfit.errname(err))
            socks.append(s)
            cport = s.getsockname()[1]
            synacks = sfit.wait_until(lambda: sniffer.find(
                lambda g: g.family == fam and g.dport == cport and
                g.flags & sfit.TCP_SYN and g.flags & sfit.TCP_ACK), 3)
            seen = [g.opts.get("mss") for g in synacks]
            expect(seen and seen[0] == mss, f"IPv{fam} SYN-ACK MSS", mss,
                   seen)
            s.sendall(b"m" * NBYTES)
            sfit.wait_until(lambda: sfit.outq(s) == 0, 10)
            left = sfit.outq(s)
            sizes = sorted({g.plen for g in sniffer.find(
                lambda g: g.family == fam and g.sport == cport and
                g.plen > 0)})
            log(f"IPv{fam}: payload sizes sent by the client {sizes}, "
                f"unacknowledged after 10 s: {left}")
            expect(left == 0, f"IPv{fam}: {NBYTES} bytes acknowledged", 0,
                   f"{left} unacknowledged")
            expect(sizes and max(sizes) <= mss, f"IPv{fam}: largest segment",
                   f"<= {mss}", max(sizes) if sizes else "none")
        got = sfit.wait_until(lambda: sum(
            (e.get("len") or 0) for e in sf.events()
            if e.get("type") == "data") >= 2 * NBYTES, 10)
        total = sum((e.get("len") or 0) for e in sf.events()
                    if e.get("type") == "data")
        expect(got and total == 2 * NBYTES, "bytes in DATA events",
               2 * NBYTES, total)
    finally:
        sfit.close_all(socks)
        sniffer.stop()
    test_pmds.check_exit(sf)


if __name__ == "__main__":
    sfit.main(test)
