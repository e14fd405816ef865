#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""The CVE-2016-5696 side channel, measured on the wire: the challenge ACKs
an attacker gets on its own connection (one spoofed SYN a round), alone and
while 100 in-window RSTs a round are sent on a victim connection. With the
per-flow limit (challenge_ack_per_flow = 2) both counts are the same; with
it off (0), the victim's flood spends the per-lcore budget and the attacker
sees the difference: the channel the limit closes.

Four rounds, 1.2 s apart, challenge_ack_rate = 4 (a budget drawn each
second in [2, 6)): bounded in count (at most 404 frames a phase) and time.

usage: test_side_channel.py SYNFRONT_BINARY
"""

import json
import socket
import struct
import time

import sfit
from sfit import expect, log

ROUNDS = 4
FLOOD = 100
GAP_S = 1.2


def csum(b):
    if len(b) % 2:
        b += b"\0"
    s = sum(struct.unpack(f"!{len(b) // 2}H", b))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return ~s & 0xFFFF


def frame(src_mac, dst_mac, sport, seq, flags):
    """Ethernet + IPv4 + TCP (no options) from the client to the VIP."""
    src = socket.inet_aton(sfit.CLIENT4)
    dst = socket.inet_aton(sfit.VIP4)
    tcp = struct.pack("!HHIIBBHHH", sport, sfit.PORT, seq, 0, 5 << 4, flags,
                      29200, 0, 0)
    tcp = tcp[:16] + struct.pack("!H", csum(src + dst + struct.pack(
        "!BBH", 0, 6, len(tcp)) + tcp)) + tcp[18:]
    ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(tcp), 0, 0, 64, 6,
                     0, src, dst)
    ip = ip[:10] + struct.pack("!H", csum(ip)) + ip[12:]
    return dst_mac + src_mac + b"\x08\x00" + ip + tcp


def mac_bytes(mac):
    return bytes(int(x, 16) for x in mac.split(":"))


def iface_mac(sf):
    out = sf.ns.ip("-j", "link", "show", sf.iface).stdout
    return json.loads(out)[0]["address"]


def measure(args, sfs, tag, per_flow):
    """(attacker's challenge ACKs alone, with the victim flooded, stats)."""
    sf = sfit.Synfront(args[0], tag, app_args=(
        "--challenge-ack-rate", "4", "--challenge-ack-per-flow",
        str(per_flow)))
    sfs.append(sf)
    sf.start()
    sniffer = sfit.Sniffer(sf.ns, sf.iface)
    att, err = sfit.connect_one(sf.ns, 4, sfit.VIP4, sfit.PORT)
    expect(att is not None, f"{tag}: attacker connects", "connected",
           sfit.errname(err))
    vic, err = sfit.connect_one(sf.ns, 4, sfit.VIP4, sfit.PORT)
    expect(vic is not None, f"{tag}: victim connects", "connected",
           sfit.errname(err))
    aport, vport = att.getsockname()[1], vic.getsockname()[1]
    def established():
        return {e["client_port"]: e for e in sf.events()
                if e.get("type") == "established"}
    sfit.wait_until(lambda: {aport, vport} <= set(established()), 5)
    ests = established()
    expect(aport in ests and vport in ests, f"{tag}: ESTABLISHED events",
           "both", sorted(ests))
    vic_rcv_nxt = (ests[vport]["client_isn"] + 1) % 2**32

    src_mac, dst_mac = mac_bytes(iface_mac(sf)), mac_bytes(sf.mac)
    with sf.ns.enter():
        raw = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
    raw.bind((sf.iface, 0))
    syn = frame(src_mac, dst_mac, aport, 999, sfit.TCP_SYN)

    def challenges_since(mark):
        return [s for s in sniffer.segments[mark:]
                if not s.outgoing and s.sport == sfit.PORT
                and s.dport == aport and s.flags == sfit.TCP_ACK]

    seen = []
    for flood in (0, 1):
        time.sleep(GAP_S)
        mark = len(sniffer.segments)
        for r in range(ROUNDS):
            for i in range(FLOOD if flood else 0):
                raw.send(frame(src_mac, dst_mac, vport,
                               (vic_rcv_nxt + 1 + i) % 2**32, sfit.TCP_RST))
            raw.send(syn)
            time.sleep(GAP_S)
        seen.append(len(challenges_since(mark)))
    raw.close()
    st = sf.stats()
    sniffer.stop()
    sfit.close_all([att, vic])
    left = sf.wait_stat("conn_active", lambda v: v == 0, 5)
    expect(left == 0, f"{tag}: both connections closed by their FINs",
           0, left)
    sf.check_clean_exit()
    return seen[0], seen[1], st


def test(args, sfs):
    quiet, flooded, st = measure(args, sfs, "scl", 2)
    log(f"challenge_ack_per_flow 2: attacker's challenge ACKs in {ROUNDS} "
        f"rounds: {quiet} alone, {flooded} with {ROUNDS * FLOOD} in-window "
        f"RSTs on a victim flow; challenge_flow_limited "
        f"{st.get('challenge_flow_limited')}, challenge_ratelimited "
        f"{st.get('challenge_ratelimited')}")
    expect(quiet == ROUNDS, "attacker's challenge ACKs, alone", ROUNDS, quiet)
    expect(flooded == quiet, "attacker's challenge ACKs, victim flooded "
           "(per-flow limit on)", quiet, flooded)
    expect(st.get("challenge_flow_limited", 0) >= ROUNDS * (FLOOD - 1),
           "challenge_flow_limited (victim's RSTs withheld)",
           f">= {ROUNDS * (FLOOD - 1)}", st.get("challenge_flow_limited"))

    quiet0, flooded0, st0 = measure(args, sfs, "scn", 0)
    log(f"challenge_ack_per_flow 0: attacker's challenge ACKs: {quiet0} "
        f"alone, {flooded0} with the victim flooded; challenge_ratelimited "
        f"{st0.get('challenge_ratelimited')}")
    expect(flooded0 < quiet0, "without the per-flow limit the victim's "
           "flood shows on the attacker's flow (the channel)",
           f"< {quiet0}", flooded0)


if __name__ == "__main__":
    sfit.main(test)
