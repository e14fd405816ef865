#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""Malformed and unwanted frames over the wire, one table.

Each row is a frame (or a few) that scapy and tcp() build and an AF_PACKET
socket sends on the namespace side of synfront's tap, every reason of the
parser (lib/net/sf_net.h enum sf_net_reason) and the drops of the
responder: runts, truncation at several offsets, bad version, IHL, length,
data offset, option lists with zero, overrunning or wrong lengths,
fragments, bad IP/TCP/ICMP checksums, bad sources, port 0, SYN+FIN,
SYN+RST, IPv6 extension headers, one VLAN tag (served) and two (not),
frames to another MAC, to broadcast and multicast, a non-IP ethertype.

Per row: the capture is watched for WAIT_S after the frames were taken
(rx_pkts moved): a reply only where the row says so; the counters of the
row (/synfront/stats names, and /synfront/drops reasons as drop.NAME) move
by exactly the given amount, `malformed` moves only where the row says;
then a good SYN is answered with a SYN-ACK. One line per row with the
deltas.

Rows marked `fix` depend on a fix of issue 7 made on another branch
(frames to another MAC dropped as not_our_mac; non-IP ethertypes counted
not_handled, not malformed): on a branch without it they fail, and the
failure names the fix.

usage: test_malformed.py SYNFRONT_BINARY
"""

import time

from scapy.layers.inet import ICMP
from scapy.layers.inet6 import (ICMPv6ND_NS, IPv6ExtHdrDestOpt,
                                IPv6ExtHdrFragment, IPv6ExtHdrHopByHop,
                                IPv6ExtHdrRouting)
from scapy.layers.l2 import ARP, Ether
from scapy.packet import Raw

import sfit
import sfraw
from sfit import expect, log
from sfraw import ip4, ip6, syn4, syn6, tcp

WAIT_S = 0.4		# capture watched this long after the frames were taken
OTHER_MAC = "02:00:00:5e:00:bb"
C4, V4, C6, V6 = sfit.CLIENT4, sfit.VIP4, sfit.CLIENT6, sfit.VIP6


def t4(**kw):
    """A TCP SYN segment CLIENT4 -> VIP4:80 (fields as tcp())."""
    a = dict(sport=4000, dport=sfit.PORT, opts=b"\x02\x04\x05\xb4")
    a.update(kw)
    return tcp(C4, V4, **a)


def t6(**kw):
    a = dict(sport=4000, dport=sfit.PORT, opts=b"\x02\x04\x05\xa0")
    a.update(kw)
    return tcp(C6, V6, **a)


def cut(frame, n):
    return frame[:n]


def qinq(mac, tpid=0x8100):
    """A SYN under two tags: the outer one's TPID given."""
    f = syn4(mac, 4000)
    tags = (tpid.to_bytes(2, "big") + b"\x00\x05" +
            b"\x81\x00\x00\x06")
    return f[:12] + tags + f[12:]


def lldp(mac):
    return bytes(Ether(dst=mac, src=sfraw.FAKE_MAC, type=0x88CC) /
                 Raw(b"\x02\x07\x04" + b"\0" * 40))


def ns_bad_hlim(mac):
    """Neighbour solicitation for VIP6 with hop limit 64 (must be 255)."""
    return bytes(Ether(dst=mac, src=sfraw.FAKE_MAC) /
                 sfraw.IPv6(src=C6, dst=V6, hlim=64) /
                 ICMPv6ND_NS(tgt=V6))


def bad_arp(mac):
    return bytes(Ether(dst=mac, src=sfraw.FAKE_MAC) /
                 ARP(op=1, hwlen=8, psrc=C4, pdst=V4))


def echo_bad_csum(mac):
    return bytes(Ether(dst=mac, src=sfraw.FAKE_MAC) /
                 sfraw.IP(src=C4, dst=V4) / ICMP(type=8, chksum=0x1234) /
                 Raw(b"x" * 8))


M = {"malformed": 1}	# shorthand: one malformed frame


def rows(mac):
    """(name, frames, counters {name: delta}, reply expected, fix)."""
    good4 = syn4(mac, 4000)
    good6 = syn6(mac, 4000)
    r = [
        # --- runts and truncation at several offsets
        # (the kernel sends no frame shorter than 14 bytes into a tap)
        ("runt: Ethernet header alone (14 bytes, IPv4 type)",
         [cut(good4, 14)], dict(M, **{"drop.trunc_ip": 1}), False, None),
        ("runt: 802.1Q tag cut (16 bytes)", [cut(syn4(mac, 4000, vlan=5), 16)],
         dict(M, **{"drop.trunc_eth": 1}), False, None),
        ("IPv4 header cut at 19 bytes", [cut(good4, 14 + 19)],
         dict(M, **{"drop.trunc_ip": 1}), False, None),
        ("IPv6 header cut at 39 bytes", [cut(good6, 14 + 39)],
         dict(M, **{"drop.trunc_ip": 1}), False, None),
        ("IPv4 frame cut inside TCP (offset 44)", [cut(good4, 14 + 30)],
         dict(M, **{"drop.bad_ip_len": 1}), False, None),
        ("IPv4 frame cut inside TCP options (offset 56)", [cut(good4, 56)],
         dict(M, **{"drop.bad_ip_len": 1}), False, None),
        ("IPv6 frame cut inside TCP (offset 70)", [cut(good6, 70)],
         dict(M, **{"drop.bad_ip_len": 1}), False, None),
        ("IPv4 total length 1000 > frame", [ip4(mac, t4(), len=1000)],
         dict(M, **{"drop.bad_ip_len": 1}), False, None),
        ("TCP header 12 bytes (IP lengths agree)",
         [ip4(mac, t4()[:12])],
         dict(M, **{"drop.trunc_tcp": 1}), False, None),
        # --- IP header fields
        ("IPv4 ethertype, version 6", [ip4(mac, t4(), version=6)],
         dict(M, **{"drop.bad_ip_version": 1}), False, None),
        ("IPv4 IHL 4", [ip4(mac, t4(), ihl=4)],
         dict(M, **{"drop.bad_ihl": 1}), False, None),
        ("IPv4 IHL 15 > total length", [ip4(mac, t4(), ihl=15)],
         dict(M, **{"drop.bad_ihl": 1}), False, None),
        ("IPv4 header checksum wrong", [ip4(mac, t4(), chksum=0x1234)],
         dict(M, **{"drop.bad_ip_csum": 1}), False, None),
        ("IPv4 MF fragment", [ip4(mac, t4(), flags="MF")],
         dict(M, **{"drop.ip_fragment": 1}), False, None),
        ("IPv4 fragment offset 8", [ip4(mac, t4(), frag=1)],
         dict(M, **{"drop.ip_fragment": 1}), False, None),
        ("IPv6 fragment header",
         [ip6(mac, t6(), nh=44, ext=IPv6ExtHdrFragment(nh=6, m=1))],
         dict(M, **{"drop.ip_fragment": 1}), False, None),
        ("IPv4 multicast source", [ip4(mac, tcp("224.0.0.1", V4, 4000, sfit.PORT),
                                     src="224.0.0.1")],
         dict(M, **{"drop.bad_ip_addr": 1}), False, None),
        ("IPv6 multicast source",
         [ip6(mac, tcp("ff02::1", V6, 4000, sfit.PORT), src="ff02::1")],
         dict(M, **{"drop.bad_ip_addr": 1}), False, None),
        # --- IPv6 extension headers: well-formed, not served
        ("IPv6 hop-by-hop header",
         [ip6(mac, t6(), nh=0, ext=IPv6ExtHdrHopByHop(nh=6))],
         {"not_handled": 1, "drop.ip6_exthdr": 1}, False, None),
        ("IPv6 destination options header",
         [ip6(mac, t6(), nh=60, ext=IPv6ExtHdrDestOpt(nh=6))],
         {"not_handled": 1, "drop.ip6_exthdr": 1}, False, None),
        ("IPv6 routing header",
         [ip6(mac, t6(), nh=43, ext=IPv6ExtHdrRouting(nh=6))],
         {"not_handled": 1, "drop.ip6_exthdr": 1}, False, None),
        # --- TCP header
        ("TCP data offset 4", [ip4(mac, t4(doff=4))],
         dict(M, **{"drop.bad_doff": 1}), False, None),
        ("TCP data offset 15 > segment", [ip4(mac, t4(doff=15))],
         dict(M, **{"drop.bad_doff": 1}), False, None),
        ("TCP source port 0", [ip4(mac, t4(sport=0))],
         dict(M, **{"drop.bad_tcp_port": 1}), False, None),
        ("TCP option length 0", [ip4(mac, t4(opts=b"\x1e\x00\x00\x00"))],
         dict(M, **{"drop.bad_tcp_opt": 1}), False, None),
        ("TCP option length 1", [ip4(mac, t4(opts=b"\x1e\x01\x00\x00"))],
         dict(M, **{"drop.bad_tcp_opt": 1}), False, None),
        ("TCP option overruns the header (TS len 10 in 4)",
         [ip4(mac, t4(opts=b"\x01\x01\x08\x0a"))],
         dict(M, **{"drop.bad_tcp_opt": 1}), False, None),
        ("TCP MSS option length 3", [ip4(mac, t4(opts=b"\x02\x03\x05\x01"))],
         dict(M, **{"drop.bad_tcp_opt": 1}), False, None),
        ("TCP window scale length 4",
         [ip4(mac, t4(opts=b"\x03\x04\x00\x07"))],
         dict(M, **{"drop.bad_tcp_opt": 1}), False, None),
        ("TCP timestamps length 8 (IPv6)",
         [ip6(mac, t6(opts=b"\x08\x08" + b"\0" * 6))],
         dict(M, **{"drop.bad_tcp_opt": 1}), False, None),
        ("TCP checksum wrong (IPv4)", [ip4(mac, t4(csum=0x1234))],
         dict(M, **{"drop.bad_l4_csum": 1}), False, None),
        ("TCP checksum wrong (IPv6)", [ip6(mac, t6(csum=0x1234))],
         dict(M, **{"drop.bad_l4_csum": 1}), False, None),
        # --- flags: well-formed, never answered without an entry
        ("SYN+FIN", [ip4(mac, t4(flags=0x03))],
         {"unexpected": 1, "syn_rx": 0}, False, None),
        ("SYN+RST", [ip4(mac, t4(flags=0x06))],
         {"rst_ignored": 1, "rst_tx": 0}, False, None),
        ("SYN+FIN+RST+PSH+URG (christmas tree)",
         [ip4(mac, t4(flags=0x2F))], {"rst_ignored": 1}, False, None),
        # --- other protocols' malformed frames
        ("ICMP echo, checksum wrong", [echo_bad_csum(mac)],
         dict(M, **{"drop.bad_l4_csum": 1, "icmp_reply": 0}), False, None),
        ("ARP with hardware length 8", [bad_arp(mac)],
         dict(M, **{"drop.bad_arp": 1, "arp_reply": 0}), False, None),
        ("neighbour solicitation, hop limit 64", [ns_bad_hlim(mac)],
         dict(M, **{"drop.bad_nd": 1, "nd_reply": 0}), False, None),
        # --- VLAN: one tag is served, a second is not
        ("SYN with one 802.1Q tag (served)", [syn4(mac, 4000, vlan=5)],
         {"syn_rx": 1, "synack_tx": 1, "malformed": 0}, True, None),
        ("SYN under two 802.1Q tags", [qinq(mac)],
         dict(M, **{"drop.bad_ethertype": 1}), False, None),
        ("SYN under 802.1ad + 802.1Q tags", [qinq(mac, 0x88A8)],
         dict(M, **{"drop.bad_ethertype": 1}), False, None),
        # --- frames not addressed to us (issue 7, fix 7)
        ("SYN to another unicast MAC", [syn4(OTHER_MAC, 4000)],
         {"not_our_mac": 1, "syn_rx": 0}, False, "7: not_our_mac"),
        ("SYN to the broadcast MAC", [syn4("ff:ff:ff:ff:ff:ff", 4000)],
         {"not_our_mac": 1, "syn_rx": 0}, False, "7: not_our_mac"),
        ("SYN to a multicast MAC", [syn4("01:00:5e:00:00:01", 4000)],
         {"not_our_mac": 1, "syn_rx": 0}, False, "7: not_our_mac"),
        ("IPv6 SYN to a multicast MAC", [syn6("33:33:00:00:00:01", 4000)],
         {"not_our_mac": 1, "syn_rx": 0}, False, "7: not_our_mac"),
        # --- non-IP ethertype (issue 7, fix 11)
        ("LLDP frame (ethertype 0x88cc)", [lldp(mac)],
         {"not_handled": 1, "malformed": 0}, False,
         "11: non-IP ethertypes not_handled"),
    ]
    return r


def snapshot(sf):
    st = dict(sf.stats())
    for k, v in sf.telemetry("/synfront/drops").items():
        st["drop." + k] = v
    return st


def run_row(sf, port, sport, row):
    """Send a row's frames, watch, check; returns (line, failures)."""
    name, frames, want, reply, fix = row
    before = snapshot(sf)
    t0 = time.monotonic()
    for f in frames:
        try:
            port.send(f)
        except OSError as e:
            return f"FAIL {name}: not sent ({e})", [f"send: {e}"]
    sfit.wait_until(lambda: sf.stats()["rx_pkts"] >=
                    before["rx_pkts"] + len(frames), 3, 0.05)
    time.sleep(WAIT_S)
    after = snapshot(sf)
    got = port.since(t0)
    fails = []
    want = dict(want)
    want.setdefault("malformed", 0)
    want.setdefault("rx_pkts", len(frames))
    deltas = {}
    for k, d in want.items():
        if k not in after:
            fails.append(f"counter {k} absent from telemetry")
            continue
        deltas[k] = after[k] - before.get(k, 0)
        if deltas[k] != d * (len(frames) if k != "rx_pkts" else 1):
            fails.append(f"{k} moved by {deltas[k]}, expected "
                         f"{d * (len(frames) if k != 'rx_pkts' else 1)}")
    if reply and not got:
        fails.append("no reply, expected one")
    if not reply and got:
        s = sfit.parse_tcp_frame(got[0])
        fails.append(f"{len(got)} replies, expected none (first: "
                     f"{s if s is not None else got[0][:20].hex()})")
    # then a good SYN is still answered
    t1 = time.monotonic()
    port.send(syn4(sf.mac, sport))
    sfit.wait_until(lambda: sfraw.synack_for(port.since(t1), sport), 2,
                    0.02)
    if sfraw.synack_for(port.since(t1), sport) is None:
        fails.append(f"good SYN from port {sport} after the row: no "
                     f"SYN-ACK within 2 s")
    shown = " ".join(f"{k}+{v}" for k, v in sorted(deltas.items()))
    line = (f"{'FAIL' if fails else 'ok  '} {name}: replies {len(got)}; "
            f"{shown}" + (f"  [needs fix {fix}]" if fails and fix else ""))
    return line, fails


def test(args, sfs):
    sf = sfit.Synfront(args[0], "malf", consumer="sink")
    sfs.append(sf)
    sf.start()
    # Quiet the namespace's own IPv6 (router solicitations, MLD reports):
    # every frame in the tap is then one of ours.
    sf.ns.sysctl(f"net.ipv6.conf.{sf.iface}.disable_ipv6", 1)
    time.sleep(1)
    port = sfraw.RawPort(sf.ns, sf.iface)
    try:
        failed = []
        table = rows(sf.mac)
        log(f"{len(table)} rows; each watched {WAIT_S} s, then a good SYN")
        for i, row in enumerate(table):
            line, fails = run_row(sf, port, 5000 + i, row)
            log(line)
            for f in fails:
                log(f"       {f}")
            if fails:
                failed.append((row[0], row[4], fails))
        st = sf.stats()
        log(f"totals: rx_pkts {st['rx_pkts']} malformed {st['malformed']} "
            f"syn_rx {st['syn_rx']} synack_tx {st['synack_tx']}")
        for name, fix, _ in failed:
            if fix:
                log(f"row '{name}' needs fix {fix} of issue 7")
    finally:
        port.close()
    # The exit first (under ASan its leak check runs there), then the rows.
    sf.check_clean_exit()
    expect(not failed, f"{len(table)} rows as the contract says",
           "all", f"{len(table) - len(failed)} of {len(table)}; "
           f"failed: {[n for n, _, _ in failed]}")


if __name__ == "__main__":
    sfit.main(test)
