#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""Write a pcap of N spoofed SYNs (or ACKs) for the flood tests
(/usr/bin/python3).

Destinations: VIP4:PORT (about 80 %) and [VIP6]:PORT (about 20 %).
Sources: random addresses in 198.18.0.0/15 without 198.18.0.0/24 (the
client subnet of the integration tests: their own flows are never hit)
and in 2001:2:0:ff::/64; random source ports and ISNs; option mixes as
clients send them: none, MSS alone, Linux (MSS, SACK-permitted, TS, WS).
ACKs (kind "ack", for the ACK flood): flag ACK alone, random sequence and
acknowledgment numbers, no options or timestamps with random values; such
an ACK validates as a cookie with probability 2^-24 at best.
The source MAC is a fixed one nobody owns, so the SYN-ACKs synfront
reflects to it are "other host" frames that the namespace's kernel drops
before IP: no RST comes back.

One template frame per (family, option mix) is built with scapy; every
packet is the template with its source address, source port, ISN, TS
value and checksums patched in with struct (incremental one's complement
sums), and the file is written directly in the pcap format: 200000
packets take a few seconds where building them one by one with scapy and
wrpcap would take minutes.

usage: flood_pcap.py OUT.pcap DST_MAC [N] [SEED] [syn|ack]
"""

import random
import socket
import struct
import sys

from scapy.layers.inet import IP, TCP
from scapy.layers.inet6 import IPv6
from scapy.layers.l2 import Ether

VIP4 = "198.18.0.2"
VIP6 = "2001:2::2"
PORT = 80
SRC_MAC = "02:53:46:ff:00:01"

# 198.18.0.0/15 is 131072 addresses; offsets below 256 are 198.18.0.0/24.
NET4 = struct.unpack("!I", socket.inet_aton("198.18.0.0"))[0]
NET4_SKIP, NET4_SIZE = 256, 1 << 17
NET6 = socket.inet_pton(socket.AF_INET6, "2001:2:0:ff::")[:8]

SHARE6 = 0.2
# (name, weight, scapy TCP options)
MIXES = (
    ("none", 0.2, []),
    ("mss", 0.3, [("MSS", 1460)]),
    ("linux", 0.5, [("MSS", 1460), ("SAckOK", b""), ("Timestamp", (0, 0)),
                    ("NOP", None), ("WScale", 7)]),
)
# The ACK flood's mixes: what a client's third segment carries.
ACK_MIXES = (
    ("none", 0.5, []),
    ("ts", 0.5, [("NOP", None), ("NOP", None), ("Timestamp", (0, 0))]),
)
KINDS = {"syn": ("S", MIXES), "ack": ("A", ACK_MIXES)}

ETH_LEN = 14
PCAP_GLOBAL = struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, 1)


def _fold(s):
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return s


def _sum16(b):
    if len(b) % 2:
        b += b"\0"
    return sum(struct.unpack(f"!{len(b) // 2}H", b))


class Template:
    """One frame and where its variable fields are. The checksums are kept
    as the one's complement sums of everything but those fields (which
    are zero in the template)."""

    def __init__(self, family, opts, dst_mac, flags="S"):
        tcp = TCP(sport=0, dport=PORT, flags=flags, seq=0, ack=0,
                  window=64240, options=opts)
        if family == 4:
            ip = IP(src="0.0.0.0", dst=VIP4, ttl=64, id=0, flags="DF")
            l3 = 20
        else:
            ip = IPv6(src="::", dst=VIP6, hlim=64)
            l3 = 40
        frame = bytearray(bytes(Ether(dst=dst_mac, src=SRC_MAC) / ip / tcp))
        self.family = family
        self.t = ETH_LEN + l3
        t = self.t
        # TS value offset (kind 8, len 10) in the options, if any; its
        # echo (TS ecr) follows it.
        self.ts = None
        o, end = t + 20, t + (frame[t + 12] >> 4) * 4
        while o < end:
            kind = frame[o]
            if kind == 0:
                break
            if kind == 1:
                o += 1
                continue
            if kind == 8:
                self.ts = o + 2
            o += frame[o + 1]
        if self.ts is not None:
            frame[self.ts:self.ts + 8] = bytes(8)
        # Zero both checksums; sums of the constant parts.
        frame[t + 16:t + 18] = b"\0\0"
        tcp_len = len(frame) - t
        if family == 4:
            frame[ETH_LEN + 10:ETH_LEN + 12] = b"\0\0"
            self.ip_sum = _sum16(bytes(frame[ETH_LEN:t]))
            pseudo = (_sum16(bytes(frame[ETH_LEN + 16:ETH_LEN + 20])) + 6
                      + tcp_len)
        else:
            self.ip_sum = None
            pseudo = (_sum16(bytes(frame[ETH_LEN + 24:ETH_LEN + 40])) + 6
                      + tcp_len)
        self.tcp_sum = pseudo + _sum16(bytes(frame[t:]))
        self.frame = frame


def generate(path, dst_mac, n=200000, seed=1, kind="syn"):
    """Write n SYNs (kind "syn") or ACKs (kind "ack") to path; returns
    {"v4": k, "v6": k, mix name: k}."""
    rnd = random.Random(seed)
    flags, mixes = KINDS[kind]
    ack_kind = kind == "ack"
    tmpl = {(fam, name): Template(fam, opts, dst_mac, flags)
            for fam in (4, 6) for name, _, opts in mixes}
    names = [m[0] for m in mixes]
    weights = [m[1] for m in mixes]
    counts = {"v4": 0, "v6": 0}
    counts.update({name: 0 for name in names})
    pack_into = struct.pack_into
    unpack = struct.unpack
    rec = struct.Struct("<IIII")
    getrandbits = rnd.getrandbits
    with open(path, "wb") as f:
        f.write(PCAP_GLOBAL)
        chunk = []
        for i in range(n):
            fam = 6 if rnd.random() < SHARE6 else 4
            name = rnd.choices(names, weights)[0]
            tp = tmpl[(fam, name)]
            fr = bytearray(tp.frame)
            t = tp.t
            sport = 1024 + getrandbits(16) % 64512
            isn = getrandbits(32)
            s = tp.tcp_sum + sport + (isn >> 16) + (isn & 0xFFFF)
            if fam == 4:
                src = NET4 + NET4_SKIP + getrandbits(17) % (NET4_SIZE - NET4_SKIP)
                pack_into("!I", fr, ETH_LEN + 12, src)
                ipc = ~_fold(tp.ip_sum + (src >> 16) + (src & 0xFFFF)) & 0xFFFF
                pack_into("!H", fr, ETH_LEN + 10, ipc)
                s += (src >> 16) + (src & 0xFFFF)
                counts["v4"] += 1
            else:
                iid = getrandbits(64)
                fr[ETH_LEN + 8:ETH_LEN + 24] = NET6 + iid.to_bytes(8, "big")
                s += sum(unpack("!4H", NET6)) + sum(
                    (iid >> sh) & 0xFFFF for sh in (0, 16, 32, 48))
                counts["v6"] += 1
            pack_into("!H", fr, t, sport)
            pack_into("!I", fr, t + 4, isn)
            if ack_kind:
                ack = getrandbits(32)
                pack_into("!I", fr, t + 8, ack)
                s += (ack >> 16) + (ack & 0xFFFF)
            if tp.ts is not None:
                tsval = getrandbits(32)
                pack_into("!I", fr, tp.ts, tsval)
                s += (tsval >> 16) + (tsval & 0xFFFF)
                if ack_kind:
                    tsecr = getrandbits(32)
                    pack_into("!I", fr, tp.ts + 4, tsecr)
                    s += (tsecr >> 16) + (tsecr & 0xFFFF)
            pack_into("!H", fr, t + 16, ~_fold(s) & 0xFFFF)
            counts[name] += 1
            ln = len(fr)
            chunk.append(rec.pack(i // 1000000, i % 1000000, ln, ln))
            chunk.append(bytes(fr))
            if len(chunk) >= 8192:
                f.write(b"".join(chunk))
                chunk = []
        f.write(b"".join(chunk))
    return counts


def verify(path, k=200, kind="syn"):
    """Re-read the first k packets with scapy and check both checksums and
    the address ranges; returns a list of problems (empty when fine)."""
    from scapy.utils import rdpcap
    import ipaddress
    probs = []
    net4 = ipaddress.ip_network("198.18.0.0/15")
    skip4 = ipaddress.ip_network("198.18.0.0/24")
    net6 = ipaddress.ip_network("2001:2:0:ff::/64")
    for i, p in enumerate(rdpcap(path, count=k)):
        ip = p[IP] if IP in p else p[IPv6]
        src = ipaddress.ip_address(ip.src)
        if IP in p:
            if src not in net4 or src in skip4:
                probs.append(f"packet {i}: IPv4 source {src}")
            want = ip.chksum
            del ip.chksum
            if IP(bytes(ip)).chksum != want:
                probs.append(f"packet {i}: IPv4 header checksum")
        elif src not in net6:
            probs.append(f"packet {i}: IPv6 source {src}")
        tcp = p[TCP]
        want = tcp.chksum
        c = p.copy()
        del c[TCP].chksum
        if Ether(bytes(c))[TCP].chksum != want:
            probs.append(f"packet {i}: TCP checksum {want:#x}")
        if tcp.flags != KINDS[kind][0] or tcp.dport != PORT:
            probs.append(f"packet {i}: flags {tcp.flags} dport {tcp.dport}")
    return probs


if __name__ == "__main__":
    if len(sys.argv) < 3:
        print(__doc__.strip().splitlines()[-1])
        sys.exit(2)
    n = int(sys.argv[3]) if len(sys.argv) > 3 else 200000
    seed = int(sys.argv[4]) if len(sys.argv) > 4 else 1
    kind = sys.argv[5] if len(sys.argv) > 5 else "syn"
    print(generate(sys.argv[1], sys.argv[2], n, seed, kind))
    probs = verify(sys.argv[1], kind=kind)
    print("verify:", probs[:5] or "ok", f"({len(probs)} problems)")
    sys.exit(1 if probs else 0)
