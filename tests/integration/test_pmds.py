#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""synfront on PMDs other than net_tap: net_af_packet and net_af_xdp, each
on one end of a veth pair whose other end is the client host (a network
namespace with 198.18.0.1/24 and 2001:2::1/64).

For each PMD: 20 IPv4 and 10 IPv6 real Linux TCP clients connect, the
established counter is 30, every ESTABLISHED event carries the ISNs seen
on the wire, one client's data arrives as a DATA event, all close (a FIN
event each, conn_active back to 0), ping works over IPv4 and IPv6, and
SIGTERM exits cleanly.

Setup of the veth pair (sfapA/sfapB<pid>, sfxA/sfxB<pid>):
- A stays in the root namespace, up, without addresses, and with IPv6
  disabled, so the kernel neither sends on it (router solicitations, MLD)
  nor answers anything arriving on it; only synfront uses it.
- GRO is off on A (ethtool -K A gro off): a packet socket sees frames
  after GRO, so merged segments of up to 64 KB would reach net_af_packet,
  truncated to its 2 KB frames and dropped as malformed (data stalls; the
  README says the same of a real interface). AF_XDP takes frames before
  GRO; the rule is the same for both here.
- B is the client's interface, in the namespace. Its TX checksum offload
  is turned off (ethtool -K B tx off). A veth leaves locally generated
  TCP segments CHECKSUM_PARTIAL: the frame carries only the pseudo-header
  sum, to be completed "by the hardware", which on a veth never happens.
  The kernel on the peer accepts such frames (the skb says so), but
  AF_PACKET and AF_XDP hand the raw bytes to synfront, which verifies TCP
  checksums in software ("rx-csum sw") and drops them as bad: no SYN-ACK.
  With tx off, the client's kernel computes full checksums. (ICMP, ARP and
  ND are unaffected: their checksums are always complete.)
- net_af_xdp: the PMD attaches synfront's steering program (the default,
  xdp = auto) natively to A (veth has native XDP; the XSK socket runs in
  copy mode as veth has no zero-copy): the VIPs' frames reach synfront,
  the rest goes to A's kernel.
  The peer B needs nothing for this direction: frames the socket sends go
  out A through the normal transmit path (copy mode), not XDP_REDIRECT.

Known DPDK 22.11 net_af_xdp behaviour: the PMD fills the XSK fill ring
with 2048 mbufs of synfront's pool (ETH_AF_XDP_DFLT_NUM_DESCS) when the
queue is set up and does not return them when the port is closed; mbufs of
the last TX burst, not yet reaped from the completion ring, are not
returned either. So after a clean exit synfront reports 2048 + (a few)
mbufs in use with net_af_xdp; the test checks that bound (and 0 for
net_af_packet).

Exit 77 (skipped) when ethtool is missing (scripts/test.sh installs it).
When AF_XDP sockets cannot be created here (old kernel, no BPF), the
net_af_xdp part prints "skip: af_xdp: <reason>" and the test still
passes on net_af_packet.

usage: test_pmds.py SYNFRONT_BINARY
"""

import os
import re
import shutil
import socket
import subprocess

import sfit
from sfit import expect, log

N4, N6 = 20, 10
PAYLOAD = b"GET / HTTP/1.0\r\nHost: synfront\r\n\r\n"
# net_af_xdp: mbufs its fill ring keeps after close (ETH_AF_XDP_DFLT_NUM_DESCS)
# plus the last TX flush not yet reaped from the completion ring (at most
# SF_WORKER_TX_BUF = 64 mbufs).
AF_XDP_FILL = 2048
AF_XDP_TX_UNREAPED_MAX = 64


class VethSynfront(sfit.Synfront):
    """synfront on one end (A) of a veth pair; the other end (B) is the
    client's interface in the namespace. pmd: "af_packet" or "af_xdp";
    tag: the --file-prefix's tag (default by pmd); kw: sfit.Synfront's
    (consumer, app_args)."""

    def __init__(self, binary, pmd, tag=None, **kw):
        tag = tag or {"af_packet": "afp", "af_xdp": "afx"}[pmd]
        super().__init__(binary, tag, **kw)
        pid = os.getpid()
        base = {"af_packet": "sfap", "af_xdp": "sfx"}[pmd]
        self.pmd = pmd
        self.veth_a = f"{base}A{pid}"
        self.veth_b = f"{base}B{pid}"
        # The client side is B: the sniffer and the neighbour checks use
        # self.iface.
        self.iface = self.veth_b
        if pmd == "af_packet":
            vdev = f"--vdev=net_af_packet0,iface={self.veth_a}"
        else:
            vdev = (f"--vdev=net_af_xdp0,iface={self.veth_a},"
                    f"start_queue=0,queue_count=1")
        self.cmd = [vdev if a.startswith("--vdev=") else a for a in self.cmd]
        self.veth_created = False

    def setup_veth(self):
        """The veth pair and the client namespace, before synfront starts
        (the PMDs attach to an existing interface)."""
        self.ns = sfit.NetNS(f"sfit-{self.tag}-{os.getpid()}")
        sfit.run(["ip", "link", "del", self.veth_a], check=False)
        sfit.run(["ip", "link", "add", self.veth_a, "type", "veth",
                  "peer", "name", self.veth_b])
        self.veth_created = True
        sfit.run(["ip", "link", "set", self.veth_b, "netns", self.ns.name])
        with open(f"/proc/sys/net/ipv6/conf/{self.veth_a}/disable_ipv6",
                  "w") as f:
            f.write("1")
        sfit.run(["ethtool", "-K", self.veth_a, "gro", "off"])
        sfit.run(["ip", "link", "set", self.veth_a, "up"])
        self.ns.ip("addr", "add", f"{sfit.CLIENT4}/24", "dev", self.veth_b)
        self.ns.ip("-6", "addr", "add", f"{sfit.CLIENT6}/64", "dev",
                   self.veth_b, "nodad")
        # Full TCP checksums from the client (see the module docstring).
        self.ns.exec("ethtool", "-K", self.veth_b, "tx", "off")
        self.ns.ip("link", "set", self.veth_b, "up")

    def start(self, ready_timeout=60):
        self.setup_veth()
        log(f"starting: {' '.join(self.cmd)}")
        self._out = open(self.out_path, "w")
        self.proc = subprocess.Popen(
            self.cmd, stdout=self._out, stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL)
        sfit.wait_until(lambda: "synfront: ready" in self.output_lines()
                        or self.proc.poll() is not None, ready_timeout)
        if self.proc.poll() is not None:
            raise StartFailure(f"synfront startup on net_{self.pmd}: "
                               f"expected 'synfront: ready', saw exit "
                               f"{self.proc.returncode}", self.output())
        if "synfront: ready" not in self.output_lines():
            raise sfit.TestFailure(f"synfront startup on net_{self.pmd}: "
                                   f"expected 'synfront: ready' within "
                                   f"{ready_timeout} s, saw none")
        m = re.search(r"^synfront: port 0 \((\S+)\) .*mac ([0-9A-Fa-f:]{17})",
                      self.output(), re.M)
        expect(m and m.group(1) == f"net_{self.pmd}",
               f"net_{self.pmd}: port 0 driver", f"net_{self.pmd}",
               m.group(1) if m else "no 'synfront: port 0' line")
        self.mac = m.group(2).lower()
        log(f"ready: port 0 on {self.veth_a} mac {self.mac}, {self.veth_b} "
            f"in {self.ns.name} as {sfit.CLIENT4}/24 {sfit.CLIENT6}/64")

    def try_start(self, failure=None):
        """start(); where net_af_xdp fails to start for a reason failure
        (output -> reason or None; default xsk_failure) finds, returns
        that reason (to skip on) instead of raising. None once started."""
        try:
            self.start()
        except StartFailure as e:
            why = (failure or xsk_failure)(e.output)
            if self.pmd != "af_xdp" or why is None:
                raise
            return why
        return None

    def cleanup(self):
        super().cleanup()
        # Deleting the namespace deletes B and with it the pair; A is
        # deleted here when B never got there.
        if self.veth_created:
            sfit.run(["ip", "link", "del", self.veth_a], check=False)


class StartFailure(sfit.TestFailure):
    def __init__(self, msg, output):
        super().__init__(msg)
        self.output = output


def check_exit(sf):
    """SIGTERM: exit 0, a final line, and the mbufs in use: 0 (af_packet),
    the PMD's fill ring and unreaped TX at most (af_xdp)."""
    rc, out = sf.stop()
    lines = out.splitlines()
    final = [l for l in lines if l.startswith("final: ")]
    log(final[-1] if final else "(no final line)")
    expect(rc == 0, f"net_{sf.pmd}: synfront exit status after SIGTERM", 0,
           rc)
    expect(final, f"net_{sf.pmd}: a 'final: ' line at exit", "one",
           len(final))
    mb = [re.match(r"synfront: mbufs in use: (\d+)$", l) for l in lines]
    mb = [int(m.group(1)) for m in mb if m]
    n = mb[-1] if mb else None
    if sf.pmd == "af_xdp":
        hi = AF_XDP_FILL + AF_XDP_TX_UNREAPED_MAX
        expect(n is not None and AF_XDP_FILL <= n <= hi,
               f"net_af_xdp: mbufs in use at exit (the PMD keeps its "
               f"{AF_XDP_FILL}-mbuf fill ring and unreaped TX after close)",
               f"{AF_XDP_FILL}..{hi}", n if n is not None else "no such line")
    else:
        expect(n == 0, f"net_{sf.pmd}: mbufs in use at exit", 0,
               n if n is not None else "no such line")
    expect("synfront: exit 0" in lines, f"net_{sf.pmd}: last line",
           "'synfront: exit 0'", repr(lines[-1]) if lines else "no output")


def exercise(sf):
    """Clients, data, close, ping, clean exit on a started VethSynfront."""
    what = f"net_{sf.pmd}"
    sniffer = sfit.Sniffer(sf.ns, sf.veth_b)
    try:
        for fam, addr in ((4, sfit.VIP4), (6, sfit.VIP6)):
            p = sf.ns.exec("ping", f"-{fam}", "-c", "3", "-i", "0.2", "-W",
                           "2", addr, check=False)
            summary = [l for l in p.stdout.splitlines() if "received" in l]
            expect(p.returncode == 0 and summary and
                   " 3 received" in summary[0],
                   f"{what}: ping -{fam} -c 3 {addr}", "3 received",
                   summary[0] if summary else p.stdout.strip()[-200:])

        socks4, fail4 = sfit.connect_many(sf.ns, 4, sfit.VIP4, sfit.PORT, N4)
        expect(not fail4 and len(socks4) == N4, f"{what}: IPv4 clients "
               f"connected to {sfit.VIP4}:{sfit.PORT}", N4,
               f"{len(socks4)}, failures: {fail4[:5]}")
        socks6, fail6 = sfit.connect_many(sf.ns, 6, sfit.VIP6, sfit.PORT, N6)
        expect(not fail6 and len(socks6) == N6, f"{what}: IPv6 clients "
               f"connected to [{sfit.VIP6}]:{sfit.PORT}", N6,
               f"{len(socks6)}, failures: {fail6[:5]}")
        socks = list(socks4.values()) + list(socks6.values())

        total = N4 + N6
        est = sf.wait_stat("established", lambda v: v >= total)
        expect(est == total, f"{what}: telemetry established", total, est)
        active = sf.stats().get("conn_active")
        expect(active == total, f"{what}: telemetry conn_active with all "
               f"clients open", total, active)
        clients = {(4, p) for p in socks4} | {(6, p) for p in socks6}
        sfit.wait_until(lambda: sum(e.get("type") == "established"
                                    for e in sf.events()) >= total, 10)
        sfit.check_handshakes(sniffer, sf.events(), clients,
                              f"{what}: IPv4+IPv6 clients")

        # One IPv6 client sends data.
        port = next(iter(socks6))
        socks6[port].sendall(PAYLOAD)
        data = sfit.wait_until(lambda: [
            e for e in sf.events() if e.get("type") == "data" and
            (e.get("family"), e.get("client_port")) == (6, port)], 10)
        expect(len(data) == 1 and data[0].get("data") == PAYLOAD.decode(),
               f"{what}: DATA event of client [{sfit.CLIENT6}]:{port}",
               f"one with {PAYLOAD.decode()!r}",
               [d.get("data") for d in data] if data else "none")

        sfit.close_all(socks)
        active = sf.wait_stat("conn_active", lambda v: v == 0, timeout=15)
        expect(active == 0, f"{what}: conn_active after every client "
               f"closed", 0, active)
        sfit.wait_until(lambda: sum(e.get("type") == "fin"
                                    for e in sf.events()) >= total, 5)
        fins = {(e.get("family"), e.get("client_port")) for e in sf.events()
                if e.get("type") == "fin"}
        missing = clients - fins
        expect(not missing, f"{what}: a FIN event for every closed client",
               total, f"{len(clients) - len(missing)}" +
               (f"; missing e.g. {sorted(missing)[:5]}" if missing else ""))
        st = sf.stats()
        for name, want in (("established", total), ("data_rx", 1),
                           ("fin_rx", total)):
            expect(st.get(name) == want, f"{what}: telemetry {name}", want,
                   st.get(name))
        log(f"{what} stats: " + ", ".join(f"{k}={v}" for k, v in st.items()
                                          if v))
    finally:
        sniffer.stop()
    check_exit(sf)


def xsk_failure(output):
    """The net_af_xdp PMD's own "cannot create the XSK socket" line in a
    failed start's output (a reason to skip), or None."""
    m = re.search(r"(Failed to (?:create xsk socket|configure xdp "
                  r"socket|create umem)[^\n]*)", output)
    return m.group(1).strip() if m else None


def af_xdp_unavailable():
    """A reason AF_XDP sockets cannot work here, or None."""
    try:
        s = socket.socket(44, socket.SOCK_RAW, 0)   # AF_XDP
    except OSError as e:
        return f"socket(AF_XDP): {e.strerror}"
    s.close()
    return None


def test(args, sfs):
    if shutil.which("ethtool") is None:
        raise sfit.Skip("ethtool not installed (needed to turn off TX "
                        "checksum offload on the client's veth)")

    sf = VethSynfront(args[0], "af_packet")
    sfs.append(sf)
    sf.start()
    exercise(sf)

    reason = af_xdp_unavailable()
    if reason is not None:
        log(f"skip: af_xdp: {reason}")
        return
    sf = VethSynfront(args[0], "af_xdp")
    sfs.append(sf)
    # Only the PMD's own "cannot create the XSK socket" is a skip;
    # anything else is a failure.
    why = sf.try_start()
    if why is not None:
        log(f"skip: af_xdp: {why}")
        return
    exercise(sf)


if __name__ == "__main__":
    sfit.main(test)
