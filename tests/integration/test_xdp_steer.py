#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""The shared NIC: synfront on net_af_xdp, where XDP steering is the
default (the program built into synfront, no option given), on one end
(A) of a veth pair; A also carries a
kernel address, 198.18.0.3/24, with a kernel TCP listener on port 2222.
The client namespace (B, 198.18.0.1/24 and 2001:2::1/64, as in test_pmds)
connects to both:

- N clients to the VIP are answered by synfront (its 'established'
  events and counter prove it), the kernel listener sees none of them;
- N clients to 198.18.0.3:2222 are answered by the kernel (its listener
  accepts them all), synfront sees none of them;
- ping to the VIP (synfront) and to 198.18.0.3 (the kernel) both work;
- /synfront/xdp counts both: tcp and redirected (the VIP's handshakes),
  not_vip (the kernel's), no malformed frame;
- after SIGTERM, no XDP program remains on A (ip link);
- a crashed run (SIGKILL) leaves its program on A; the next start, with
  --xdp whole, removes it ("removed a leftover"), takes whole queues:
  ping to the VIP still works, ping to 198.18.0.3 gets nothing (the
  kernel sees no frame), /synfront/xdp is empty; after SIGTERM no program
  remains.

Exit 77 (skipped) without ethtool or AF_XDP sockets; the PMD's own
"cannot create the XSK socket" is a skip too (as in test_pmds).

usage: test_xdp_steer.py SYNFRONT_BINARY
"""

import re
import shutil
import socket

import sfit
from sfit import expect, log
from test_pmds import VethSynfront, af_xdp_unavailable

N = 5
KERNEL4 = "198.18.0.3"
KERNEL_PORT = 2222


class SteerSynfront(VethSynfront):
    """VethSynfront on net_af_xdp (no xdp_prog=: the default), A with a
    kernel address; with reuse, the veth pair and namespace of an earlier
    instance (which left its program on A)."""

    def __init__(self, binary, app_args=(), reuse=None):
        super().__init__(binary, "af_xdp", tag="xst", app_args=app_args)
        self.reuse = reuse

    def setup_veth(self):
        if self.reuse is not None:
            self.ns = self.reuse.ns
            return
        super().setup_veth()
        sfit.run(["ip", "addr", "add", f"{KERNEL4}/24", "dev", self.veth_a])


def xdp_attached(dev):
    out = sfit.run(["ip", "link", "show", "dev", dev]).stdout
    return " xdp" in out or "prog/xdp" in out


def start(sf):
    why = sf.try_start()
    if why is not None:
        raise sfit.Skip(f"af_xdp: {why}")


def ping(sf, addr):
    """ping -c 3 addr from the client namespace: the replies received."""
    p = sf.ns.exec("ping", "-4", "-c", "3", "-i", "0.2", "-W", "1", addr,
                   check=False)
    got = [l for l in p.stdout.splitlines() if "received" in l]
    log(f"ping {addr}: {got[0] if got else p.stdout[-200:]}")
    m = re.search(r"(\d+) received", got[0]) if got else None
    return int(m.group(1)) if m else 0


def crash_then_whole(binary, first, sfs):
    """SIGKILL a steered run (its program stays on A), then start with
    --xdp whole on the same veth: the leftover is removed, the queues are
    taken whole (the kernel address gets nothing)."""
    sf = SteerSynfront(binary, reuse=first)
    sfs.append(sf)
    start(sf)
    sfit.kill(sf.proc)
    left = xdp_attached(sf.veth_a)
    log(f"after SIGKILL: XDP program on {sf.veth_a}: "
        f"{'attached' if left else 'none'}")
    expect(left, f"XDP program on {sf.veth_a} after SIGKILL", "attached",
           "none")

    sf = SteerSynfront(binary, app_args=("--xdp", "whole"), reuse=first)
    sfs.append(sf)
    start(sf)
    lines = [l for l in sf.output_lines()
             if "removed a leftover" in l or "whole queues" in l]
    for l in lines:
        log(l)
    expect(len(lines) == 2, "start lines 'removed a leftover XDP steering "
           "program' and 'whole queues to synfront'", 2, len(lines))
    got = ping(sf, sfit.VIP4)
    expect(got == 3, f"xdp whole: ping -c 3 {sfit.VIP4} (synfront)", 3, got)
    got = ping(sf, KERNEL4)
    expect(got == 0, f"xdp whole: ping -c 3 {KERNEL4} (the kernel gets no "
           "frame of the queue)", 0, got)
    x = sf.telemetry("/synfront/xdp")
    expect(x == {}, "xdp whole: /synfront/xdp", "{}", x)
    rc, _out = sf.stop()
    expect(rc == 0, "xdp whole: exit status after SIGTERM", 0, rc)
    left = xdp_attached(sf.veth_a)
    expect(not left, f"xdp whole: XDP program on {sf.veth_a} after exit",
           "none", "attached" if left else "none")


def test(args, sfs):
    if shutil.which("ethtool") is None:
        raise sfit.Skip("ethtool not installed")
    reason = af_xdp_unavailable()
    if reason is not None:
        raise sfit.Skip(f"af_xdp: {reason}")
    sf = SteerSynfront(args[0])
    sfs.append(sf)
    start(sf)
    line = [l for l in sf.output_lines() if "XDP steering on" in l]
    log(line[0] if line else "(no steering line)")
    expect(line, "start line 'port 0: XDP steering on ...'", 1, len(line))
    on = xdp_attached(sf.veth_a)
    expect(on, f"XDP program on {sf.veth_a}", "attached",
           "attached" if on else "none")

    lst = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    lst.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    lst.bind((KERNEL4, KERNEL_PORT))
    lst.listen(64)
    lst.settimeout(5)
    try:
        for addr in (sfit.VIP4, KERNEL4):
            got = ping(sf, addr)
            expect(got == 3, f"ping -c 3 {addr}", 3, got)

        socks, fail = sfit.connect_many(sf.ns, 4, sfit.VIP4, sfit.PORT, N)
        log(f"to the VIP {sfit.VIP4}:{sfit.PORT}: {len(socks)} connected")
        expect(not fail and len(socks) == N,
               f"clients to {sfit.VIP4}:{sfit.PORT}", N,
               f"{len(socks)}, failures: {fail[:3]}")
        sfit.wait_until(lambda: sum(e.get("type") == "established"
                                    for e in sf.events()) >= N, 10)
        est = sum(e.get("type") == "established" for e in sf.events())
        log(f"synfront established events: {est}")
        expect(est == N, "synfront's established events", N, est)

        ks, kfail = sfit.connect_many(sf.ns, 4, KERNEL4, KERNEL_PORT, N)
        accepted = 0
        for _ in range(len(ks)):
            c, _peer = lst.accept()
            c.close()
            accepted += 1
        log(f"to the kernel {KERNEL4}:{KERNEL_PORT}: {len(ks)} connected, "
            f"{accepted} accepted by the kernel listener")
        expect(not kfail and accepted == N,
               f"clients accepted by the kernel on {KERNEL4}", N,
               f"{accepted}, failures: {kfail[:3]}")
        est = sum(e.get("type") == "established" for e in sf.events())
        expect(est == N, "synfront's established events after the "
               "kernel's clients", N, est)
        x = (sf.telemetry("/synfront/xdp") or {}).get("port0", {})
        log(f"/synfront/xdp port0: {x}")
        expect(x.get("iface") == sf.veth_a and
               x.get("tcp", 0) >= 2 * N and x.get("not_vip", 0) >= 2 * N
               and x.get("redirected", 0) >= 2 * N and
               x.get("malformed", 1) == 0,
               "/synfront/xdp port0: iface, tcp, not_vip, redirected "
               "(each frame of the VIP's and the kernel's handshakes), "
               "malformed", f"{sf.veth_a}, >= {2 * N} x3, 0",
               f"{x.get('iface')}, {x.get('tcp')}, {x.get('not_vip')}, "
               f"{x.get('redirected')}, {x.get('malformed')}")
        for s in list(socks.values()) + list(ks.values()):
            s.close()
    finally:
        lst.close()

    rc, _out = sf.stop()
    expect(rc == 0, "synfront exit status after SIGTERM", 0, rc)
    left = xdp_attached(sf.veth_a)
    log(f"after exit: XDP program on {sf.veth_a}: "
        f"{'attached' if left else 'none'}")
    expect(not left, f"XDP program on {sf.veth_a} after exit", "none",
           "attached" if left else "none")
    crash_then_whole(args[0], sf, sfs)


if __name__ == "__main__":
    sfit.main(test)
