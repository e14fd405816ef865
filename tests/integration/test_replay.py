#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""Replays after close (issue 7 item 3), over the wire with scapy.

Per family, a hand-made client (raw frames from an address the namespace's
kernel does not own, so it never answers synfront itself):
- handshake whose third segment carries data: one ESTABLISHED and one DATA
  event;
- close: FIN exchange (IPv4) or RST at RCV.NXT (IPv6); conn_active 0;
- replay of the third segment with its data, and without data: each is
  answered as TIME-WAIT would (ACK <SEQ=SND.NXT><ACK=RCV.NXT> of the old
  connection, echoing the segment's TSval), replay_rx moves, no second
  ESTABLISHED or DATA event;
- a later data segment of the old connection: no event either;
- a new connection on the same 4-tuple with a new ISN completes.

usage: test_replay.py SYNFRONT_BINARY
"""

import re
import time

from scapy.layers.inet import IP, TCP
from scapy.layers.inet6 import IPv6
from scapy.layers.l2 import Ether

import sfit
import sfraw
from sfit import expect, log

# Client addresses no interface of the namespace holds (198.18.0.0/15 and
# 2001:2::/48 only).
RAW_CLIENT = {4: "198.18.0.77", 6: "2001:2::77"}
VIP = {4: sfit.VIP4, 6: sfit.VIP6}
SPORT = {4: 40004, 6: 40006}
ISN = {4: 0x10000000, 6: 0xfffffff0}	# the IPv6 one wraps past 2^32
PAYLOAD = b"replayed data must not be handed over twice\n"
TSVAL = 5000
M32 = 2**32


class RawClient:
    """Frames from RAW_CLIENT[fam]:SPORT[fam] to the VIP, sent on the
    namespace's tap with an AF_PACKET socket; answers read from a Sniffer."""

    def __init__(self, sf, sniffer, fam, src_mac):
        self.sf, self.sniffer, self.fam = sf, sniffer, fam
        self.src_mac = src_mac
        self.sock = sfraw.sender(sf.ns, sf.iface)

    def frame(self, flags, seq, ack, tsval, tsecr, data=b""):
        l3 = (IP(src=RAW_CLIENT[4], dst=VIP[4]) if self.fam == 4 else
              IPv6(src=RAW_CLIENT[6], dst=VIP[6]))
        opts = [("MSS", 1400), ("SAckOK", b""), ("Timestamp", (tsval, tsecr)),
                ("WScale", 7)] if flags == "S" else \
            [("NOP", None), ("NOP", None), ("Timestamp", (tsval, tsecr))]
        tcp = TCP(sport=SPORT[self.fam], dport=sfit.PORT, flags=flags,
                  seq=seq % M32, ack=ack % M32, window=65535, options=opts)
        return bytes(Ether(src=self.src_mac, dst=self.sf.mac) / l3 / tcp /
                     data)

    def send(self, frame):
        self.sock.send(frame)

    def answers(self, pred, since, timeout=3):
        """Segments synfront sent to this client after index since."""
        def found():
            return [s for s in self.sniffer.segments[since:]
                    if s.family == self.fam and s.dport == SPORT[self.fam]
                    and pred(s)]
        return sfit.wait_until(found, timeout) or []

    def exchange(self, frame, pred, what, want):
        """Send one frame; expect one answer matching pred; return it."""
        mark = len(self.sniffer.segments)
        self.send(frame)
        got = self.answers(pred, mark)
        expect(got, what, want, "none" if not got else f"{got[0]}")
        return got[0]

    def close(self):
        self.sock.close()


def iface_mac(ns, iface):
    out = ns.ip("-o", "link", "show", "dev", iface).stdout
    m = re.search(r"link/ether ([0-9a-f:]{17})", out)
    if m is None:
        raise sfit.TestFailure(f"{iface}: expected a MAC, saw {out!r}")
    return m.group(1)


def events_of(sf, fam, kind):
    return [e for e in sf.events() if e.get("type") == kind and
            (e.get("family"), e.get("client_port")) == (fam, SPORT[fam])]


def handshake(c, fam, isn, what):
    """SYN -> SYN-ACK; return (cookie, its TSval)."""
    sa = c.exchange(c.frame("S", isn, 0, TSVAL, 0),
                    lambda s: s.flags & sfit.TCP_SYN and s.flags & sfit.TCP_ACK
                    and s.ack == (isn + 1) % M32,
                    f"{what}: SYN-ACK", f"ack={(isn + 1) % M32}")
    return sa.seq, sa.opts.get("ts", (0, 0))[0]


def replayed(sf, c, fam, what, third, want_seq, want_ack, tsval):
    """Send a replayed third segment; expect the TIME-WAIT ACK."""
    before = sf.stats().get("replay_rx", 0)
    ans = c.exchange(third,
                     lambda s: s.flags == sfit.TCP_ACK and s.seq == want_seq
                     and s.ack == want_ack,
                     f"{what}: TIME-WAIT ACK",
                     f"ACK seq={want_seq} ack={want_ack}")
    expect(ans.opts.get("ts", (None, None))[1] == tsval,
           f"{what}: the ACK echoes the segment's TSval", tsval,
           ans.opts.get("ts"))
    after = sf.wait_stat("replay_rx", lambda v: v == before + 1, 5)
    log(f"{what}: answered {ans}; replay_rx {before} -> {after}")
    expect(after == before + 1, f"{what}: replay_rx", before + 1, after)


def one_family(sf, sniffer, mac, fam):
    what = f"IPv{fam}"
    c = RawClient(sf, sniffer, fam, mac)
    isn = ISN[fam]
    cookie, ts_syn = handshake(c, fam, isn, what)
    third = c.frame("PA", isn + 1, cookie + 1, TSVAL + 1, ts_syn, PAYLOAD)
    rcv = isn + 1 + len(PAYLOAD)
    c.exchange(third, lambda s: s.flags & sfit.TCP_ACK and s.ack == rcv % M32,
               f"{what}: third segment with data acknowledged",
               f"ack={rcv % M32}")
    data = sfit.wait_until(lambda: events_of(sf, fam, "data"), 5) or []
    expect(len(data) == 1, f"{what}: DATA events", 1, len(data))

    # Close: FIN exchange (IPv4), RST at RCV.NXT (IPv6).
    if fam == 4:
        c.exchange(c.frame("FA", rcv, cookie + 1, TSVAL + 2, ts_syn),
                   lambda s: s.flags & sfit.TCP_FIN and
                   s.ack == (rcv + 1) % M32,
                   f"{what}: our FIN answered with synfront's FIN",
                   f"FIN ack={(rcv + 1) % M32}")
        c.send(c.frame("A", rcv + 1, cookie + 2, TSVAL + 3, ts_syn))
        snd, rcv = cookie + 2, rcv + 1
    else:
        c.send(c.frame("R", rcv, cookie + 1, TSVAL + 2, ts_syn))
        snd = cookie + 1
    active = sf.wait_stat("conn_active", lambda v: v == 0)
    expect(active == 0, f"{what}: conn_active after the close", 0, active)

    # Replays of the third segment, with and without its data.
    replayed(sf, c, fam, f"{what} replayed third segment with data", third,
             snd % M32, rcv % M32, TSVAL + 1)
    bare = c.frame("A", isn + 1, cookie + 1, TSVAL + 9, ts_syn)
    replayed(sf, c, fam, f"{what} replayed third segment without data",
             bare, snd % M32, rcv % M32, TSVAL + 9)
    # A later data segment of the old connection: its cookie check fails.
    c.send(c.frame("PA", isn + 1 + len(PAYLOAD), cookie + 1, TSVAL + 10,
                   ts_syn, b"more\n"))
    time.sleep(0.5)
    est = events_of(sf, fam, "established")
    data = events_of(sf, fam, "data")
    log(f"{what}: after the replays {len(est)} ESTABLISHED, {len(data)} DATA "
        f"event(s)")
    expect(len(est) == 1, f"{what}: ESTABLISHED events after the replays",
           1, len(est))
    expect(len(data) == 1, f"{what}: DATA events after the replays", 1,
           len(data))

    # A new connection on the same 4-tuple with a new ISN completes.
    isn2 = (isn + 0x01000000) % M32
    cookie2, ts2 = handshake(c, fam, isn2, f"{what} new connection")
    c.send(c.frame("A", isn2 + 1, cookie2 + 1, TSVAL + 20, ts2))
    new = sfit.wait_until(lambda: [e for e in events_of(sf, fam, "established")
                                   if e.get("client_isn") == isn2], 5) or []
    expect(len(new) == 1, f"{what}: new connection (ISN {isn2}) ESTABLISHED",
           1, len(new))
    c.send(c.frame("R", isn2 + 1, cookie2 + 1, TSVAL + 21, ts2))
    active = sf.wait_stat("conn_active", lambda v: v == 0)
    expect(active == 0, f"{what}: conn_active after its RST", 0, active)
    c.close()


def test(args, sfs):
    sf = sfit.Synfront(args[0], "rpl")
    sfs.append(sf)
    sf.start()
    mac = iface_mac(sf.ns, sf.iface)
    sniffer = sfit.Sniffer(sf.ns, sf.iface)
    for fam in (4, 6):
        one_family(sf, sniffer, mac, fam)
    st = sf.stats()
    log("telemetry: " + ", ".join(f"{k}={st.get(k)}" for k in (
        "replay_rx", "closed_full", "closed_active", "established",
        "data_rx", "ack_cookie_ok", "ack_cookie_bad", "closed", "rst_rx")))
    for name, want in (("replay_rx", 4), ("closed_full", 0),
                       ("established", 4), ("data_rx", 2)):
        expect(st.get(name) == want, f"telemetry {name}", want, st.get(name))
    expect(st.get("closed_active", 0) >= 2, "telemetry closed_active",
           ">= 2", st.get("closed_active"))
    sniffer.stop()
    sf.check_clean_exit()


if __name__ == "__main__":
    sfit.main(test)
