#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""sf-synflood against synfront over a veth pair, counts checked against
synfront's telemetry.

synfront runs on one end (A, root namespace) of a veth pair, as in
test_pmds.py (net_af_packet, then net_af_xdp when AF_XDP works here), its
worker on lcore 1 (its main lcore 0 mostly sleeps); sf-synflood runs in
the client namespace on the other end (B) with net_af_packet on lcore 0,
and sends COUNT SYNs at RATE per second from 198.19.0.0/16 (away from the
VIP 198.18.0.2 and the client address 198.18.0.1) with the option set
"mix", a fraction LEGIT of them legitimate flows that answer their SYN-ACK
with the ACK.

Checked, with the drops of the path (the veth ends' rx/tx_dropped, both
ports' imissed/oerrors, synfront's tx_dropped) as the only allowed gap:
- sf-synflood sent COUNT SYNs; synfront's syn_rx is that many (on
  net_af_packet, up to UNSEEN_MAX of them may be lost unseen in the packet
  ring, which DPDK 22.11's PMD does not count); synfront answered every SYN
  it received;
- synfront's synack_tx is sf-synflood's SYN-ACKs validated (ack = ISN + 1),
  and no reply was unmatched; the answer ratio is at least 0.99;
- synfront's established is sf-synflood's handshakes completed, about
  LEGIT of the SYN-ACKs.

usage: test_synflood.py SYNFRONT_BINARY SF_SYNFLOOD_BINARY
"""

import json
import os
import shutil
import subprocess

import sfit
from sfit import expect, log
from test_pmds import VethSynfront, af_xdp_unavailable

RATE = 20000
COUNT = 40000          # 2 s at RATE
LEGIT = 0.1
SRC = "198.19.0.0/16"
UNSEEN_MAX = 0.03      # of COUNT, net_af_packet only (see check())


def sysfs_drops(ns, dev):
    """rx_dropped + tx_dropped of a veth end (in ns, or the root one)."""
    total = 0
    for k in ("rx_dropped", "tx_dropped"):
        path = f"/sys/class/net/{dev}/statistics/{k}"
        if ns is None:
            with open(path) as f:
                total += int(f.read())
        else:
            total += int(ns.exec("cat", path).stdout)
    return total


def port_drops(sf):
    """synfront's port 0: imissed + ierrors + rx_nombuf + oerrors."""
    st = sf.telemetry("/ethdev/stats,0")
    return sum(st.get(k, 0) for k in ("imissed", "ierrors", "rx_nombuf",
                                       "oerrors"))


def run_flood(binary, sf):
    """sf-synflood in the client namespace; returns its JSON summary."""
    prefix = f"sfit_sfg_{os.getpid()}"
    cmd = (["ip", "netns", "exec", sf.ns.name, binary, "-l", "0"] +
           sfit.eal_mem() +
           ["--file-prefix", prefix, "--no-pci", "--log-level",
            "lib.eal:notice", f"--vdev=net_af_packet1,iface={sf.veth_b}",
            "--", "--dst", sfit.VIP4, "--dst-port", str(sfit.PORT),
            "--dst-mac", sf.mac, "--src", SRC, "--opts", "mix",
            "--rate", str(RATE), "--count", str(COUNT), "--duration", "10",
            "--legit", str(LEGIT), "--drain", "1", "--seed", "9"])
    log(f"starting: {' '.join(cmd)}")
    try:
        p = subprocess.run(cmd, stdout=subprocess.PIPE,
                           stderr=subprocess.STDOUT, text=True, timeout=60)
    finally:
        shutil.rmtree(f"/var/run/dpdk/{prefix}", ignore_errors=True)
    for line in p.stdout.splitlines():
        if not line.startswith("{"):
            log("  " + line)
    expect(p.returncode == 0, "sf-synflood exit status", 0, p.returncode)
    js = [l for l in p.stdout.splitlines() if l.startswith("{")]
    expect(len(js) == 1, "sf-synflood: one JSON summary line", 1, len(js))
    return json.loads(js[0])


def check(sf, flood_bin):
    what = f"synfront on net_{sf.pmd}"
    d0 = sysfs_drops(None, sf.veth_a) + sysfs_drops(sf.ns, sf.veth_b)
    g = run_flood(flood_bin, sf)
    st = sf.stats()
    drops = (sysfs_drops(None, sf.veth_a) + sysfs_drops(sf.ns, sf.veth_b) -
             d0 + port_drops(sf) + st.get("tx_dropped", 0) +
             g["port_imissed"] + g["port_oerrors"] + g["ack_drop"])
    log(f"{what}: sf-synflood syn_tx={g['syn_tx']} synack_ok="
        f"{g['synack_ok']} handshakes={g['handshakes']} unmatched="
        f"{g['unmatched']} rst={g['rst']} other={g['other']} ratio="
        f"{g['answer_ratio']:.4f}; synfront syn_rx={st.get('syn_rx')} "
        f"synack_tx={st.get('synack_tx')} established="
        f"{st.get('established')}; path drops={drops}")
    expect(g["syn_tx"] == COUNT, f"{what}: SYNs sf-synflood sent", COUNT,
           g["syn_tx"])
    syn_rx = st.get("syn_rx", 0)
    # DPDK 22.11's net_af_packet reports no drop of its packet ring
    # (PACKET_STATISTICS is not read): frames the kernel could not put in
    # a full ring are lost unseen. On that PMD a small unseen gap is
    # allowed (and printed); net_af_xdp reports its drops.
    unseen_max = int(UNSEEN_MAX * COUNT) if sf.pmd == "af_packet" else 0
    unseen = max(0, g["syn_tx"] - syn_rx - drops)
    log(f"figures: {what}: SYNs lost unseen {unseen} (allowed {unseen_max})")
    expect(syn_rx <= g["syn_tx"] and unseen <= unseen_max,
           f"{what}: syn_rx == SYNs sent, within the path's drops "
           f"({drops}) and {unseen_max} unseen", g["syn_tx"], syn_rx)
    synack = st.get("synack_tx", 0)
    expect(synack == syn_rx, f"{what}: every SYN received answered "
           f"(synack_tx == syn_rx)", syn_rx, synack)
    expect(g["synack_ok"] <= synack and
           synack - g["synack_ok"] <= drops + unseen_max,
           f"{what}: synack_tx == sf-synflood's SYN-ACKs validated, within "
           f"the path's drops ({drops}) and {unseen_max} unseen", synack,
           g["synack_ok"])
    expect(g["unmatched"] == 0, f"{what}: replies that match no SYN sent",
           0, g["unmatched"])
    ratio = g["synack_ok"] / max(1, syn_rx)
    expect(ratio >= 0.99, f"{what}: SYN-ACKs validated per SYN synfront "
           f"received (sf-synflood's own ratio {g['answer_ratio']:.4f})",
           ">= 0.99", f"{ratio:.4f}")
    est = sf.wait_stat("established", lambda v: v >= g["handshakes"],
                       timeout=3)
    expect(est <= g["handshakes"] and
           g["handshakes"] - est <= drops + unseen_max,
           f"{what}: established == handshakes completed, within the "
           f"path's drops ({drops})", g["handshakes"], est)
    lo, hi = 0.7 * LEGIT * g["synack_ok"], 1.3 * LEGIT * g["synack_ok"]
    expect(lo <= g["handshakes"] <= hi, f"{what}: handshakes, about "
           f"{LEGIT} of the SYN-ACKs validated", f"{lo:.0f}..{hi:.0f}",
           g["handshakes"])


def test(args, sfs):
    if shutil.which("ethtool") is None:
        raise sfit.Skip("ethtool not installed")
    synfront_bin, flood_bin = args[0], args[1]
    if not os.access(flood_bin, os.X_OK):
        raise sfit.TestFailure(f"sf-synflood binary: expected an "
                               f"executable at {flood_bin}, saw none")
    pmds = ["af_packet"]
    reason = af_xdp_unavailable()
    if reason is None:
        pmds.append("af_xdp")
    else:
        log(f"skip: af_xdp: {reason}")
    for pmd in pmds:
        sf = VethSynfront(synfront_bin, pmd, tag=f"sfg{pmd[3]}",
                          consumer="sink")
        sfs.append(sf)
        why = sf.try_start()
        if why is not None:
            log(f"skip: af_xdp: {why}")
            continue
        check(sf, flood_bin)
        rc, _ = sf.stop()
        expect(rc == 0, f"synfront on net_{pmd}: exit status after SIGTERM",
               0, rc)
        sf.cleanup()


if __name__ == "__main__":
    sfit.main(test, binary_args=2)
