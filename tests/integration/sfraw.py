# SPDX-License-Identifier: BSD-3-Clause
"""Raw frames for the integration tests (/usr/bin/python3, scapy).

RawPort sends hand-made Ethernet frames on the namespace side of
synfront's tap (an AF_PACKET socket bound inside the namespace) and keeps
every frame synfront sends back. tcp() builds a TCP header byte by byte
(options and checksum as given, so malformed ones too); scapy builds the
layers around it.

The frames' source MAC is FAKE_MAC, owned by nobody: the namespace's
kernel ignores synfront's answers ("other host") instead of resetting
them, and the capture still sees them.
"""

import random
import socket
import struct
import time

from scapy.layers.inet import IP
from scapy.layers.inet6 import IPv6
from scapy.layers.l2 import Dot1Q, Ether
from scapy.packet import Raw

import sfit

FAKE_MAC = "02:00:00:5e:00:aa"


def tcp(src, dst, sport, dport, seq=1000, ack=0, flags=0x02, opts=b"",
        payload=b"", doff=None, csum=None, window=65535):
    """TCP header + payload; doff (words) and csum override the computed
    ones. src/dst are address strings (v4 or v6) for the pseudo-header."""
    if doff is None:
        doff = (20 + len(opts) + 3) // 4
    opts = opts + b"\0" * (-len(opts) % 4)
    hdr = struct.pack("!HHIIBBHHH", sport, dport, seq & 0xFFFFFFFF,
                      ack & 0xFFFFFFFF, doff << 4, flags, window, 0, 0)
    seg = hdr + opts + payload
    if csum is None:
        if ":" in src:
            ph = (socket.inet_pton(socket.AF_INET6, src) +
                  socket.inet_pton(socket.AF_INET6, dst) +
                  struct.pack("!IxxxB", len(seg), 6))
        else:
            ph = (socket.inet_pton(socket.AF_INET, src) +
                  socket.inet_pton(socket.AF_INET, dst) +
                  struct.pack("!xBH", 6, len(seg)))
        csum = sfit.inet_csum(ph + seg)
    return seg[:16] + struct.pack("!H", csum) + seg[18:]


def ip4(dst_mac, payload, proto=6, vlan=None, src=None, src_mac=FAKE_MAC,
        **ipkw):
    """Ethernet from src_mac (+ one 802.1Q tag) / IPv4 from CLIENT4 (or
    src) to VIP4 / payload; ipkw overrides IPv4 fields (ihl, len, flags,
    frag, chksum...)."""
    eth = Ether(dst=dst_mac, src=src_mac)
    if vlan is not None:
        eth = eth / Dot1Q(vlan=vlan)
    return bytes(eth / IP(src=src or sfit.CLIENT4, dst=sfit.VIP4,
                          proto=proto, **ipkw) / Raw(payload))


def ip6(dst_mac, payload, nh=6, src=None, ext=None, **ipkw):
    """Ethernet / IPv6 from CLIENT6 to VIP6 [/ ext headers] / payload."""
    l3 = IPv6(src=src or sfit.CLIENT6, dst=sfit.VIP6, nh=nh, **ipkw)
    if ext is not None:
        l3 = l3 / ext
    return bytes(Ether(dst=dst_mac, src=FAKE_MAC) / l3 / Raw(payload))


def syn4(dst_mac, sport, seq=1000, flags=0x02, opts=b"\x02\x04\x05\xb4",
         vlan=None, ip=None, **kw):
    """A SYN (or other flags) from CLIENT4 to VIP4:PORT, as bytes."""
    seg = tcp(sfit.CLIENT4, sfit.VIP4, sport, sfit.PORT, seq=seq,
              flags=flags, opts=opts, **kw)
    return ip4(dst_mac, seg, vlan=vlan, **(ip or {}))


def syn6(dst_mac, sport, seq=1000, flags=0x02, opts=b"\x02\x04\x05\xa0",
         **kw):
    """A SYN (or other flags) from CLIENT6 to VIP6:PORT, as bytes."""
    seg = tcp(sfit.CLIENT6, sfit.VIP6, sport, sfit.PORT, seq=seq,
              flags=flags, opts=opts, **kw)
    return ip6(dst_mac, seg)


def sender(ns, iface):
    """An AF_PACKET socket of namespace ns bound to iface, to send whole
    Ethernet frames on (the caller closes it)."""
    with ns.enter():
        s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
        s.bind((iface, 0))
    return s


class RawPort(sfit.Capture):
    """Send frames into the tap from the namespace; keep the frames that
    come out of it (from synfront) with their arrival time."""

    def __init__(self, ns, iface):
        self.iface = iface
        self.frames = []
        super().__init__(ns, iface)

    def on_frame(self, frame, outgoing):
        if not outgoing:
            self.frames.append((time.monotonic(), frame))

    def send(self, frame):
        """Send one frame; returns the bytes sent (OSError propagates)."""
        return self.sock.send(frame)

    def since(self, t0):
        """Frames received from synfront at or after monotonic time t0."""
        return [f for (t, f) in list(self.frames) if t >= t0]

    def close(self):
        self.stop()


def synack_for(frames, sport):
    """The first SYN-ACK among frames to client port sport, else None."""
    for f in frames:
        s = sfit.parse_tcp_frame(f)
        if (s is not None and s.dport == sport and
                s.flags & (sfit.TCP_SYN | sfit.TCP_ACK) ==
                sfit.TCP_SYN | sfit.TCP_ACK):
            return s
    return None


def syn_cookie(port, sport, frame, what, timeout=3):
    """Send frame(isn), a SYN from client port sport with a random ISN, on
    port (a RawPort); expect its SYN-ACK acknowledging the ISN within
    timeout s (the check named what). Returns (isn, cookie)."""
    isn = random.getrandbits(32)
    t0 = time.monotonic()
    port.send(frame(isn))
    sa = sfit.wait_until(lambda: synack_for(port.since(t0), sport), timeout,
                         0.02)
    sfit.expect(sa is not None and sa.ack == (isn + 1) & 0xFFFFFFFF,
                f"{what} acknowledging ISN {isn}", "one",
                sa if sa is not None else "none")
    return isn, sa.seq
