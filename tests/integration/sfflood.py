# SPDX-License-Identifier: BSD-3-Clause
"""Floods for the integration tests (/usr/bin/python3): a pcap written by
flood_pcap.py for the port's MAC, replayed once with tcpreplay from inside
the test's namespace (bounded by the file: it stops by itself), and the
counters around it.

The tap's kernel queue toward the PMD is made deep enough for the whole
file, so a replay faster than the PMD reads is queued, not dropped.
"""

import json
import os
import re
import shutil
import subprocess
import time

import flood_pcap
import sfit
from sfit import expect, log


def need_tcpreplay():
    """The tcpreplay binary, or Skip (scripts/lib.sh installs it)."""
    path = shutil.which("tcpreplay")
    if path is None:
        raise sfit.Skip("tcpreplay not installed (apt-get install tcpreplay; "
                        "scripts/lib.sh's package list has it)")
    return path


def tap_counters(ns, iface):
    """{"rx": {...}, "tx": {...}} of the interface (ip -s link, JSON)."""
    p = ns.ip("-j", "-s", "link", "show", "dev", iface, check=False)
    try:
        st = json.loads(p.stdout)[0]["stats64"]
        return {"rx": st["rx"], "tx": st["tx"]}
    except (ValueError, KeyError, IndexError):
        return {"rx": {}, "tx": {}}


def parse_replay(out):
    """tcpreplay's summary -> dict (missing fields absent)."""
    r = {}
    m = re.search(r"Actual: (\d+) packets .* sent in ([\d.]+) seconds", out)
    if m:
        r["sent"], r["seconds"] = int(m.group(1)), float(m.group(2))
    m = re.search(r"Rated: .*?([\d.]+) pps", out)
    if m:
        r["pps"] = float(m.group(1))
    for key, pat in (("ok", r"Successful packets:\s+(\d+)"),
                     ("failed", r"Failed packets:\s+(\d+)"),
                     ("enobufs", r"Retried packets \(ENOBUFS\):\s+(\d+)"),
                     ("eagain", r"Retried packets \(EAGAIN\):\s+(\d+)")):
        m = re.search(pat, out)
        if m:
            r[key] = int(m.group(1))
    return r


def write_pcap(sf, kind, n, seed):
    """Write n frames of kind ("syn" or "ack") for sf's port MAC (known
    before start: the test sets it) into sf.tmp; returns the path."""
    path = os.path.join(sf.tmp, f"{kind}-flood.pcap")
    t0 = time.monotonic()
    mix = flood_pcap.generate(path, sf.mac, n, seed, kind)
    probs = flood_pcap.verify(path, 1000, kind)
    expect(not probs, f"flood pcap: {n} {kind.upper()}s to {sf.mac} "
           f"written in {time.monotonic() - t0:.1f} s, first 1000 re-read "
           f"with scapy", "valid checksums, flags and sources",
           f"{mix}" + (f"; problems: {probs[:5]}" if probs else ""))
    return path


def start(binary, tag, sfs, kind, n, seed, **sfkw):
    """Start a synfront (sfit.Synfront(binary, tag, **sfkw), appended to
    sfs) with a pcap of n frames of kind for its port. The pcap is written
    before the start (the MAC is chosen by the test) and again if the port
    came up with another MAC. Skip without tcpreplay. Returns (sf, pcap)."""
    need_tcpreplay()
    sf = sfit.Synfront(binary, tag, **sfkw)
    sfs.append(sf)
    want_mac = sf.mac
    pcap = write_pcap(sf, kind, n, seed)
    sf.start()
    if sf.mac != want_mac:
        pcap = write_pcap(sf, kind, n, seed)
    return sf, pcap


class Replay:
    """One tcpreplay --topspeed (or --pps pps) of a pcap onto sf's tap,
    from inside its namespace, in the background."""

    def __init__(self, sf, pcap, qlen, pps=None):
        sf.ns.ip("link", "set", "dev", sf.iface, "txqueuelen", str(qlen))
        self.out_path = os.path.join(sf.tmp, "tcpreplay.out")
        cmd = ["ip", "netns", "exec", sf.ns.name, need_tcpreplay(), "-i",
               sf.iface] + (["--pps", str(pps)] if pps else
                            ["--topspeed"]) + [pcap]
        log(f"replaying: {' '.join(cmd)}")
        with open(self.out_path, "w") as f:
            self.t_start = time.monotonic()
            self.proc = subprocess.Popen(cmd, stdout=f,
                                         stderr=subprocess.STDOUT,
                                         stdin=subprocess.DEVNULL)
        self.t_end = None

    def running(self):
        return self.proc.poll() is None

    def kill(self):
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()

    def wait(self, timeout):
        """Wait for the end of the file; returns the parsed summary."""
        try:
            self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            self.kill()
            raise sfit.TestFailure(f"tcpreplay: expected the end of the "
                                   f"file within {timeout} s, saw it still "
                                   f"running")
        self.t_end = time.monotonic()
        with open(self.out_path, errors="replace") as f:
            out = f.read()
        rep = parse_replay(out)
        log(f"tcpreplay: exit {self.proc.returncode}, {rep}")
        expect(self.proc.returncode == 0, "tcpreplay exit status", 0,
               self.proc.returncode if self.proc.returncode == 0 else
               f"{self.proc.returncode}: {out.strip()[-300:]}")
        return rep


def settle(sf, names, timeout=20, interval=0.3):
    """Poll /synfront/stats until the counters in names stop moving (two
    equal samples). Returns (stats, time of the first sample that showed
    the final values): every frame counted was worked by then."""
    prev = [None, None]

    def same():
        st = sf.stats()
        key = tuple(st.get(n) for n in names)
        if key != prev[0]:
            prev[0], prev[1] = key, time.monotonic()
            return None
        return st
    st = sfit.wait_until(same, timeout, interval)
    if st is None:
        raise sfit.TestFailure(f"counters {names}: expected them to settle "
                               f"within {timeout} s, saw them still moving")
    return st, prev[1]


def delta(before, after):
    """Counter differences after - before (conn_active: its value)."""
    return {k: v - before.get(k, 0) if k != "conn_active" else v
            for k, v in after.items() if isinstance(v, int)}


def expect_answered(d, n_flood):
    """In the counter deltas d: the flood mostly read (syn_rx at least
    90 % of n_flood) and every SYN answered (synack_tx == syn_rx)."""
    floor = int(n_flood * 0.9)
    expect(d["syn_rx"] >= floor, f"syn_rx (at least 90 % of {n_flood})",
           f">= {floor}", d["syn_rx"])
    expect(d["synack_tx"] == d["syn_rx"], "every SYN answered: synack_tx "
           "== syn_rx", d["syn_rx"], d["synack_tx"])
