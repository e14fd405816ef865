#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""Layer 2 over the wire (net_tap), with frames written on an AF_PACKET
socket in the test's namespace:

- frames not addressed to the port's MAC (a SYN and a bad-cookie ACK to
  another MAC, SYNs to broadcast and to a multicast group, an echo request
  to broadcast) get no reply and count in not_our_mac; a SYN to our MAC is
  answered;
- LLDP is not_handled, not malformed; a QinQ (802.1ad) frame is malformed
  (bad_ethertype);
- mss_max 9000 on a port whose frames stop at 1518 bytes: the start line
  says "rx frame max 1518, mss cap 1460", warns that mss_max is lowered,
  and the SYN-ACK's MSS is 1460.

usage: test_l2.py SYNFRONT_BINARY
"""

import json
import random
import struct
import time

import sfit
import sfraw
from sfit import expect, log

OTHER_MAC = "02:00:5e:00:53:99"
BCAST = "ff:ff:ff:ff:ff:ff"
MCAST4 = "01:00:5e:00:00:01"
LLDP_MAC = "01:80:c2:00:00:0e"


def mac_bytes(mac):
    return bytes(int(x, 16) for x in mac.split(":"))


def echo4():
    """An ICMP echo request (its checksum computed)."""
    msg = struct.pack("!BBHHH", 8, 0, 0, 0x4242, 1) + b"synfront"
    return msg[:2] + struct.pack("!H", sfit.inet_csum(msg)) + msg[4:]


def frame(dst, src, etype, payload):
    return mac_bytes(dst) + mac_bytes(src) + struct.pack("!H", etype) + payload


def syn_mss(sport):
    """A SYN (MSS 8960) from CLIENT4:sport to VIP4:PORT: its TCP bytes."""
    return sfraw.tcp(sfit.CLIENT4, sfit.VIP4, sport, sfit.PORT,
                     seq=random.getrandbits(32), flags=sfit.TCP_SYN,
                     opts=struct.pack("!BBH", 2, 4, 8960))


def test(args, sfs):
    sf = sfit.Synfront(args[0], "l2", app_args=("--mss-max", "9000"))
    sfs.append(sf)
    sf.start()

    out = sf.output()
    port_line = [l for l in out.splitlines() if l.startswith("synfront: port 0")]
    log(port_line[0] if port_line else "(no port line)")
    expect(port_line and "rx frame max 1518, mss cap 1460" in port_line[0],
           "start line of net_tap with mss_max 9000",
           "'rx frame max 1518, mss cap 1460'",
           port_line[0] if port_line else "none")
    warn = [l for l in out.splitlines() if "mss_max 9000 lowered to 1460" in l]
    expect(len(warn) == 1, "warning that mss_max is lowered", "one line",
           warn[0] if warn else "none")

    link = json.loads(sf.ns.ip("-j", "link", "show", "dev", sf.iface).stdout)
    cli_mac = link[0]["address"]
    raw = sfraw.sender(sf.ns, sf.iface)
    sniffer = sfit.Sniffer(sf.ns, sf.iface)
    try:
        before = sf.stats()
        drops0 = sf.telemetry("/synfront/drops")
        stray = [
            ("SYN to another MAC", OTHER_MAC, 6, syn_mss(40001)),
            ("SYN to broadcast", BCAST, 6, syn_mss(40002)),
            ("SYN to an IPv4 multicast MAC", MCAST4, 6, syn_mss(40003)),
            ("bad-cookie ACK to another MAC", OTHER_MAC, 6,
             sfraw.tcp(sfit.CLIENT4, sfit.VIP4, 40004, sfit.PORT, seq=1,
                       ack=12345, flags=sfit.TCP_ACK)),
            ("echo request to broadcast", BCAST, 1, echo4()),
        ]
        for what, dst, proto, payload in stray:
            raw.send(sfraw.ip4(dst, payload, proto=proto, src_mac=cli_mac))
        raw.send(sfraw.ip4(sf.mac, syn_mss(40005), src_mac=cli_mac))
        # LLDP (a chassis-id TLV and the end TLV), then QinQ around IPv4.
        raw.send(frame(LLDP_MAC, cli_mac, 0x88CC,
                       bytes([0x02, 0x07, 0x04]) + mac_bytes(cli_mac) +
                       b"\0\0" + bytes(32)))
        qinq_ip = sfraw.ip4(sf.mac, syn_mss(40006))[14:]    # IPv4 + TCP
        raw.send(frame(sf.mac, cli_mac, 0x88A8, struct.pack("!HH", 5, 0x8100) +
                       struct.pack("!HH", 6, 0x0800) + qinq_ip))

        sf.wait_stat("synack_tx", lambda v: v >= before.get("synack_tx", 0) + 1, 5)
        time.sleep(0.5)
        after = sf.stats()
        drops = sf.telemetry("/synfront/drops")
    finally:
        raw.close()
        sniffer.stop()

    def delta(name, d1=after, d0=before):
        return (d1.get(name) or 0) - (d0.get(name) or 0)

    log(f"figures: not_our_mac +{delta('not_our_mac')}, synack_tx "
        f"+{delta('synack_tx')}, rst_tx +{delta('rst_tx')}, icmp_reply "
        f"+{delta('icmp_reply')}, malformed +{delta('malformed')}, "
        f"bad_ethertype +{delta('bad_ethertype', drops, drops0)}")
    expect(delta("not_our_mac") == len(stray), "not_our_mac", len(stray),
           delta("not_our_mac"))
    expect(delta("rst_tx") == 0, "RSTs sent", 0, delta("rst_tx"))
    expect(delta("icmp_reply") == 0, "echo replies sent", 0,
           delta("icmp_reply"))
    expect(delta("synack_tx") == 1, "SYN-ACKs sent (only to our MAC)", 1,
           delta("synack_tx"))
    replies = sniffer.find(lambda g: g.sport == sfit.PORT and
                           40001 <= g.dport <= 40006)
    ports = sorted({g.dport for g in replies})
    expect(ports == [40005], "client ports answered on the wire", [40005],
           ports)
    mss = [g.opts.get("mss") for g in replies if g.dport == 40005]
    expect(mss and mss[0] == 1460, "SYN-ACK MSS with mss_max 9000 on net_tap",
           1460, mss)
    expect(delta("bad_ethertype", drops, drops0) == 1,
           "QinQ frame: bad_ethertype", 1, delta("bad_ethertype", drops, drops0))
    expect(delta("malformed") == 1, "malformed (the QinQ frame, not LLDP)", 1,
           delta("malformed"))
    expect(delta("not_handled") >= 1, "not_handled (LLDP among them)", ">= 1",
           delta("not_handled"))
    sf.check_clean_exit()


if __name__ == "__main__":
    sfit.main(test)
