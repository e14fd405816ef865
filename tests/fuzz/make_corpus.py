#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""Write the seed corpus of fuzz_parse: tests/fuzz/corpus/parse/*.bin.

Run with the system python that has scapy:  /usr/bin/python3 tests/fuzz/make_corpus.py
The output is committed; the script is deterministic (fixed fields).
Addresses: 198.18.0.0/15 and 2001:2::/48 only.
"""

import os
import sys

from scapy.all import (ARP, Dot1Q, Ether, ICMP, ICMPv6EchoRequest,
                       ICMPv6ND_NS, ICMPv6NDOptSrcLLAddr, IP, IPv6,
                       IPv6ExtHdrFragment, Padding, Raw, TCP, UDP)

CLI_MAC = '02:00:00:00:00:02'
SRV_MAC = '02:00:00:00:00:01'
C4, S4 = '198.18.0.1', '198.18.0.2'
C6, S6 = '2001:2::1', '2001:2::2'

LINUX = [('MSS', 1460), ('SAckOK', b''), ('Timestamp', (1000, 0)),
         ('NOP', None), ('WScale', 7)]
WINDOWS = [('MSS', 1460), ('NOP', None), ('WScale', 8), ('NOP', None),
           ('NOP', None), ('SAckOK', b'')]
MACOS = [('MSS', 1460), ('NOP', None), ('WScale', 6), ('NOP', None),
         ('NOP', None), ('Timestamp', (5, 0)), ('SAckOK', b''),
         ('EOL', None)]
TS_ONLY = [('NOP', None), ('NOP', None), ('Timestamp', (2000, 1000))]
SACK = [('NOP', None), ('NOP', None), ('Timestamp', (2001, 1001)),
        ('NOP', None), ('NOP', None), ('SAck', (5000, 6000, 7000, 8000))]
UNKNOWN = [(30, b'\x01\x02\x03\x04'), ('MSS', 1200), ('EOL', None)]


def eth(vlan=False):
    e = Ether(dst=SRV_MAC, src=CLI_MAC)
    return e / Dot1Q(vlan=0x123, prio=1) if vlan else e


def ip4(**kw):
    kw.setdefault('flags', 'DF')
    return IP(src=C4, dst=S4, id=1, ttl=64, **kw)


def ip6(**kw):
    return IPv6(src=C6, dst=S6, hlim=64, **kw)


def tcp(flags, opts=(), seq=4321, ack=0, dport=80):
    return TCP(sport=40000, dport=dport, seq=seq, ack=ack, flags=flags,
               window=64240, options=list(opts))


SEEDS = {
    'syn4_linux': eth() / ip4() / tcp('S', LINUX),
    'syn4_noopt': eth() / ip4() / tcp('S'),
    'syn4_mss': eth() / ip4() / tcp('S', [('MSS', 536)]),
    'syn4_windows': eth() / ip4() / tcp('S', WINDOWS),
    'syn4_macos': eth() / ip4() / tcp('S', MACOS),
    'syn4_unknown_opt': eth() / ip4() / tcp('S', UNKNOWN),
    'syn4_ipopts': eth() / ip4(options=[b'\x01\x01\x01\x00']) / tcp('S', LINUX),
    'syn4_padded': (eth() / ip4() / tcp('S') / Padding(load=b'\0' * 6)),
    'syn6_linux': eth() / ip6() / tcp('S', LINUX, dport=443),
    'syn6_windows': eth() / ip6() / tcp('S', WINDOWS, dport=443),
    'syn4_vlan': eth(True) / ip4() / tcp('S', LINUX),
    'syn6_vlan': eth(True) / ip6() / tcp('S', LINUX),
    'synack4': eth() / ip4() / tcp('SA', LINUX, ack=1),
    'ack4_ts': eth() / ip4() / tcp('A', TS_ONLY, seq=4322, ack=0xc00c1e5),
    'ack4_bare': eth() / ip4() / tcp('A', seq=4322, ack=0xc00c1e5),
    'ack6_ts': eth() / ip6() / tcp('A', TS_ONLY, seq=4322, ack=0xc00c1e5),
    'ack4_vlan': eth(True) / ip4() / tcp('A', TS_ONLY, seq=4322, ack=7),
    'ack4_sack': eth() / ip4() / tcp('A', SACK, seq=4322, ack=7),
    'data4': (eth() / ip4() / tcp('PA', TS_ONLY, seq=4322, ack=7)
              / Raw(b'GET / HTTP/1.1\r\nHost: x\r\n\r\n')),
    'data6': (eth() / ip6() / tcp('PA', TS_ONLY, seq=4322, ack=7)
              / Raw(b'GET / HTTP/1.1\r\nHost: x\r\n\r\n')),
    'fin4': eth() / ip4() / tcp('FA', TS_ONLY, seq=4400, ack=7),
    'fin6': eth() / ip6() / tcp('FA', seq=4400, ack=7),
    'rst4': eth() / ip4() / tcp('R', seq=4400),
    'rst6': eth() / ip6() / tcp('RA', seq=4400, ack=7),
    'arp_request': (Ether(dst='ff:ff:ff:ff:ff:ff', src=CLI_MAC)
                    / ARP(op=1, hwsrc=CLI_MAC, psrc=C4, pdst=S4)),
    'arp_request_vlan': (Ether(dst='ff:ff:ff:ff:ff:ff', src=CLI_MAC)
                         / Dot1Q(vlan=0x123)
                         / ARP(op=1, hwsrc=CLI_MAC, psrc=C4, pdst=S4)),
    'arp_reply': (Ether(dst=SRV_MAC, src=CLI_MAC)
                  / ARP(op=2, hwsrc=CLI_MAC, psrc=C4, hwdst=SRV_MAC, pdst=S4)),
    'icmp4_echo': eth() / ip4(flags=0) / ICMP(type=8, id=0x1234, seq=1) / Raw(bytes(range(56))),
    'icmp4_echo_vlan': eth(True) / ip4() / ICMP(type=8, id=1, seq=2),
    'icmp6_echo': eth() / ip6() / ICMPv6EchoRequest(id=0x1234, seq=1, data=bytes(range(56))),
    'ns6': (Ether(dst='33:33:ff:00:00:02', src=CLI_MAC)
            / IPv6(src=C6, dst='ff02::1:ff00:2', hlim=255)
            / ICMPv6ND_NS(tgt=S6) / ICMPv6NDOptSrcLLAddr(lladdr=CLI_MAC)),
    'ns6_unicast': (eth() / IPv6(src=C6, dst=S6, hlim=255)
                    / ICMPv6ND_NS(tgt=S6)),
    'ns6_dad': (Ether(dst='33:33:ff:00:00:02', src=CLI_MAC)
                / IPv6(src='::', dst='ff02::1:ff00:2', hlim=255)
                / ICMPv6ND_NS(tgt=S6)),
    'udp4': eth() / ip4() / UDP(sport=5353, dport=53) / Raw(b'\0' * 12),
    'frag4': eth() / IP(src=C4, dst=S4, flags='MF', id=9) / tcp('S', LINUX),
    'frag6': eth() / ip6() / IPv6ExtHdrFragment(id=9, m=1) / tcp('S', LINUX),
}


def main():
    out = os.path.join(os.path.dirname(os.path.abspath(__file__)),
                       'corpus', 'parse')
    os.makedirs(out, exist_ok=True)
    for name, pkt in sorted(SEEDS.items()):
        with open(os.path.join(out, name + '.bin'), 'wb') as f:
            f.write(bytes(pkt))
    print('%d seeds in %s' % (len(SEEDS), out), file=sys.stderr)


if __name__ == '__main__':
    main()
