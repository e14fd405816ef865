#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""The reply channel on PMDs other than net_tap: net_af_packet and
net_af_xdp, each on one end of a veth pair whose other end is the client
host (the set-up of test_pmds.py: GRO off on synfront's veth, full TCP
checksums from the client's, whose TSO goes with them; GSO off there too
here, so that the client only ever sends frames of its MTU).

For each PMD:
  - echo: synfront --consumer none --reply on, and sf-events --echo (a
    secondary process): a kernel client over IPv4 and one over IPv6 send
    lines and a 1 MB blob and read them back identical (sha256), close
    (the client's FIN, sf-events' CLOSE, our FIN): a CLOSED event each;
    then the same once more with 1 % random loss each way on the client's
    side (retransmissions on this PMD); clean exit;
  - proxy: synfront --consumer proxy to nginx (sfbackend.py): curl over
    IPv4 and IPv6 prints the page, a 10 MB download (IPv4) and a 10 MB
    upload (IPv6) arrive with the same sha256, /synfront/proxy counts
    them all closed, no reset; clean exit.
And net_af_packet over a veth with GRO on: synfront's start-up warning
(GRO merges break its data path; README "On a real NIC").
Figures printed: seconds and Mbit/s per transfer, data_tx, bytes_tx,
retransmits, segments the loss rules dropped.

net_af_xdp is skipped (a "skip: af_xdp: <reason>" line, the test still
passes on net_af_packet) where AF_XDP sockets cannot be created; the whole
test is skipped (77) without ethtool, hugepages (a DPDK secondary cannot
attach to a --no-huge primary) or, for the proxy part, nginx.

usage: test_echo_pmds.py SYNFRONT_BINARY SF_EVENTS_BINARY
"""

import os
import shutil

import sfbackend
import sfit
import test_echo
import test_pmds
from sfbackend import BE4, BE6
from sfit import expect, log

BE_PORT = 8080


def veth_start(sf):
    """Start a VethSynfront; TSO/GSO off on the client's veth. Returns
    False where net_af_xdp cannot create its socket here (skip)."""
    why = sf.try_start()
    if why is not None:
        log(f"skip: af_xdp: {why}")
        return False
    sf.ns.exec("ethtool", "-K", sf.veth_b, "tso", "off", "gso", "off")
    return True


def echo_round(sf, proc, out_path, what):
    """An IPv4 and an IPv6 echo session, then their CLOSED events.
    Returns the client ports."""
    ports, bad = [], []
    for family, addr in ((4, sfit.VIP4), (6, sfit.VIP6)):
        port, secs, problems = test_echo.echo_session(sf.ns, family, addr)
        bad += problems
        if port is not None:
            ports.append((family, port))
            log(f"figures: {what} IPv{family}: {test_echo.LINES} lines, "
                f"then {test_echo.BLOB} bytes each way in {secs:.2f} s "
                f"({2 * test_echo.BLOB * 8 / secs / 1e6:.0f} Mbit/s)")
    expect(not bad and len(ports) == 2, f"{what}: lines and the 1 MB blob "
           f"echoed identical (sha256), IPv4 and IPv6", "all identical",
           bad or "identical")

    def terminal():
        return {(e.get("family"), e.get("client_port")): e.get("type")
                for e in sfit.read_events(out_path)
                if e.get("type") in ("closed", "rst", "timeout")}
    sfit.wait_until(lambda: all(k in terminal() for k in ports), 20)
    got = terminal()
    for family, port in ports:
        expect(got.get((family, port)) == "closed", f"{what}: IPv{family} "
               f"client {port}: terminal event", "closed",
               got.get((family, port)))
    if proc.poll() is not None:
        raise sfit.TestFailure(f"{what}: sf-events --echo: expected it "
                               f"running, saw exit {proc.poll()}")
    return ports


def gro_lines(sf):
    return [l for l in sf.output_lines()
            if l.startswith("synfront: warning: port 0 (net_af_packet")]


class GroOn(test_pmds.VethSynfront):
    """net_af_packet on a veth whose GRO is on."""

    def setup_veth(self):
        super().setup_veth()
        sfit.run(["ethtool", "-K", self.veth_a, "gro", "on"])


def gro_warning(binary, sfs):
    """GRO on under net_af_packet: a start-up warning naming the fix."""
    sf = GroOn(binary, "af_packet", tag="gafp")
    sfs.append(sf)
    sf.start()
    want = (f"synfront: warning: port 0 (net_af_packet on {sf.veth_a}): "
            f"GRO on: ")
    got = gro_lines(sf)
    expect(len(got) == 1 and got[0].startswith(want) and
           got[0].endswith(f"run ethtool -K {sf.veth_a} gro off lro off"),
           "net_af_packet with GRO on: the start-up warning", want + "...",
           got)
    test_pmds.check_exit(sf)
    sf.cleanup()


def echo(binaries, sfs, pmd):
    sf = test_pmds.VethSynfront(binaries[0], pmd, tag=f"e{pmd[3:6]}",
                                consumer="none", app_args=["--reply", "on"])
    sfs.append(sf)
    if not veth_start(sf):
        return False
    what = f"net_{pmd} echo"
    expect(not gro_lines(sf), f"{what}: no GRO warning (GRO off)", "none",
           gro_lines(sf))
    proc, out_path, err_path = test_echo.start_echo(binaries[1], sf)
    try:
        n = len(echo_round(sf, proc, out_path, what))
        loss = sfit.Loss(sf.ns, sf.veth_b)
        n += len(echo_round(sf, proc, out_path, what + " (1 % loss)"))
    finally:
        sfit.stop(proc)
    st = sf.stats()
    dropped = sum(loss.drops().values())
    log(f"figures: {what}: loss rules dropped {dropped} segments; data_tx "
        f"{st.get('data_tx')}, bytes_tx {st.get('bytes_tx')}, retransmits "
        f"{st.get('retransmits')}, fast_retransmits "
        f"{st.get('fast_retransmits')}, rto_expired {st.get('rto_expired')}"
        f", acked_events {st.get('acked_events')}, cmd_rx "
        f"{st.get('cmd_rx')}, reply_fail {st.get('reply_fail')}, "
        f"tx_dropped {st.get('tx_dropped')}")
    log(f"{what} stats: " + ", ".join(f"{k}={v}" for k, v in st.items()
                                      if v))
    expect(st.get("bytes_tx", 0) >= 2 * test_echo.BLOB, f"{what}: "
           f"synfront bytes_tx", f">= {2 * test_echo.BLOB}",
           st.get("bytes_tx"))
    expect(st.get("closed_events") == n, f"{what}: telemetry "
           f"closed_events", n, st.get("closed_events"))
    for name in ("reply_fail", "snd_alloc_fail", "cmd_stale", "cmd_bad",
                 "aborts"):
        expect(st.get(name, 0) == 0, f"{what}: telemetry {name}", 0,
               st.get(name))
    expect(dropped > 0 and st.get("retransmits", 0) +
           st.get("fast_retransmits", 0) > 0, f"{what}: segments lost to "
           f"the loss rules, ours resent", "both > 0",
           f"dropped {dropped}, resent {st.get('retransmits', 0)} + "
           f"{st.get('fast_retransmits', 0)}")
    test_pmds.check_exit(sf)
    sf.cleanup()
    return True


def proxy_transfers(sf, be, what):
    for fam in (4, 6):
        rc, out, err = sfbackend.curl(sf.ns, sfbackend.url(fam), timeout=30)
        expect(rc == 0 and out == f"synfront backend {BE_PORT}\n",
               f"{what}: curl over IPv{fam} prints the backend's page",
               f"'synfront backend {BE_PORT}'", f"exit {rc}: {out!r} {err}")
    down = os.path.join(sf.tmp, f"down-{sf.pmd}.bin")
    rc, out, err, secs, got = sfbackend.download(sf.ns, down, 120)
    log(f"figures: {what}: 10 MB download (IPv4) in {secs:.2f} s "
        f"({sfbackend.BIG_SIZE * 8 / secs / 1e6:.0f} Mbit/s)")
    expect(rc == 0 and out == "200" and got == be.big_sha256,
           f"{what}: 10 MB download arrives with the same sha256",
           f"200, {be.big_sha256[:16]}",
           f"exit {rc}, status {out}, {got[:16] if got else None} {err}")
    rc, out, err, secs, want = sfbackend.upload(sf.ns, sf.tmp,
                                                f"up-{sf.pmd}.bin", 120)
    path = be.upload_path(BE_PORT, f"up-{sf.pmd}.bin")
    got = sfbackend.sha256_file(path) if os.path.exists(path) else None
    log(f"figures: {what}: 10 MB upload (IPv6) in {secs:.2f} s "
        f"({sfbackend.BIG_SIZE * 8 / secs / 1e6:.0f} Mbit/s)")
    expect(rc == 0 and out == "201" and got == want, f"{what}: 10 MB "
           f"upload arrives with the same sha256", f"201, {want[:16]}",
           f"exit {rc}, status {out}, {got[:16] if got else None} {err}")


def proxy(binary, sfs, pmd):
    sf = test_pmds.VethSynfront(binary, pmd, tag=f"p{pmd[3:6]}",
                                consumer="proxy", app_args=(
                                    sfbackend.proxy_args(
                                        [sfbackend.addr(4, BE4, BE_PORT)])))
    sfs.append(sf)
    be = sfbackend.Backend(sf.tmp, ports=(BE_PORT,))
    what = f"net_{pmd} proxy"
    try:
        be.start()
        if not veth_start(sf):
            return
        proxy_transfers(sf, be, what)
        t = sf.telemetry("/synfront/proxy")
        bad = {k: t.get(k) for k in ("no_backend", "backend_reset",
                                     "client_reset", "socket_fail",
                                     "active") if t.get(k) != 0}
        expect(t.get("established") == 4 and t.get("closed") == 4 and
               not bad, f"{what}: /synfront/proxy: 4 connections, all "
               f"closed both ways, none reset", "4, 4, none",
               f"established {t.get('established')}, closed "
               f"{t.get('closed')}, {bad}")
        st = sf.stats()
        log(f"figures: {what}: data_tx {st.get('data_tx')}, bytes_tx "
            f"{st.get('bytes_tx')}, data_rx {st.get('data_rx')}, "
            f"retransmits {st.get('retransmits')}, window_updates "
            f"{st.get('window_updates')}")
        test_pmds.check_exit(sf)
    finally:
        be.cleanup()
        sf.cleanup()


def test(args, sfs):
    if shutil.which("ethtool") is None:
        raise sfit.Skip("ethtool not installed (needed to turn off TX "
                        "checksum offload on the client's veth)")
    if "--no-huge" in sfit.eal_mem():
        raise sfit.Skip("hugepages unavailable: a DPDK secondary process "
                        "cannot attach to a --no-huge primary")
    pmds = ["af_packet"]
    reason = test_pmds.af_xdp_unavailable()
    if reason is None:
        pmds.append("af_xdp")
    else:
        log(f"skip: af_xdp: {reason}")
    try:
        sfbackend.need_nginx()
        nginx = True
    except sfit.Skip as e:
        log(f"skip: proxy: {e}")
        nginx = False
    gro_warning(args[0], sfs)
    for pmd in pmds:
        if echo(args, sfs, pmd) and nginx:
            proxy(args[0], sfs, pmd)


if __name__ == "__main__":
    sfit.main(test, binary_args=2)
