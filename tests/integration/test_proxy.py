#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""consumer=proxy end to end: curl and kernel clients in the client
namespace, synfront on its tap, the proxy's kernel sockets in the root
namespace, nginx in the backend namespace (sfbackend.py).

synfront: --consumer proxy, two backends 198.18.2.2:8080 and
[2001:2:2::2]:8081 (both nginx listens with proxy_protocol),
round-robin, PROXY protocol v2.

Checks, each printing its figures:
  - curl over IPv4 and over IPv6 prints the backend's page;
  - 1000 sequential GETs (a new connection each) all answer 200 with a
    backend's page (requests per second printed);
  - 100 concurrent GETs (IPv6) all answer 200;
  - both backends got requests (access-log lines per port), and every
    connection to a backend began with a PROXY v2 header (captured on the
    backend's veth), and nginx logged the client's real address
    ($proxy_protocol_addr = 198.18.0.1 or 2001:2::1) for every request;
  - a 10 MB download (GET /big.bin) and a 10 MB upload (PUT, stored by
    nginx) arrive with the same sha256;
  - the same with 1 % random loss each way on the client's link (iptables
    statistic DROP in the client namespace; drops printed);
  - /synfront/proxy counts every connection (per backend), all closed
    both ways, none reset, no backend failure (handoff latency printed);
  - SIGTERM: exit 0, no mbuf in use.

usage: test_proxy.py SYNFRONT_BINARY
"""

import os
import time

import sfbackend
import sfit
from sfbackend import BE4, BE6
from sfit import expect, log

PORTS = (8080, 8081)
N_SEQ = 1000
N_CONC = 100


def page_check(bodies, what):
    want = {f"synfront backend {p}\n".encode() for p in PORTS}
    bad = {b[:40]: n for b, n in bodies.items() if b not in want}
    expect(not bad, f"{what}: every body is a backend's page", "all",
           f"{sum(bodies.values())} bodies, {len(bad)} kinds wrong: "
           f"{list(bad.items())[:3]}")


def curl_pages(sf):
    for fam in (4, 6):
        rc, out, err = sfbackend.curl(sf.ns, sfbackend.url(fam), timeout=30)
        log(f"curl {sfbackend.url(fam)}: exit {rc}, {out.strip()!r} {err}")
        expect(rc == 0 and out.startswith("synfront backend "),
               f"curl over IPv{fam} prints the backend's page",
               "'synfront backend <port>'", f"exit {rc}: {out.strip()!r}")


def requests(sf):
    ok, fail, bodies, secs = sfbackend.get_many(sf.ns, 4, N_SEQ, 1)
    log(f"figures: {N_SEQ} sequential GETs (IPv4) in {secs:.2f} s, "
        f"{ok / secs:.0f} requests/s, {len(fail)} failed")
    expect(ok == N_SEQ, f"{N_SEQ} sequential requests succeed", N_SEQ,
           f"{ok}, failures: {fail[:3]}")
    page_check(bodies, "sequential")
    ok, fail, bodies, secs = sfbackend.get_many(sf.ns, 6, N_CONC, N_CONC)
    log(f"figures: {N_CONC} concurrent GETs (IPv6) in {secs:.2f} s, "
        f"{len(fail)} failed")
    expect(ok == N_CONC, f"{N_CONC} concurrent requests succeed", N_CONC,
           f"{ok}, failures: {fail[:3]}")
    page_check(bodies, "concurrent")


def backends_seen(be, sniff):
    rows = {p: be.access(p) for p in PORTS}
    n = {p: len(r) for p, r in rows.items()}
    total = sum(n.values())
    log(f"figures: access-log lines per backend {n}")
    expect(all(v >= total // 4 for v in n.values()), "round-robin: both "
           "backends get requests (each at least a quarter)", "both",
           n)
    clients = {sfit.CLIENT4, sfit.CLIENT6}
    addrs = {}
    for r in (x for p in PORTS for x in rows[p]):
        addrs[r["pp_addr"]] = addrs.get(r["pp_addr"], 0) + 1
    log(f"figures: $proxy_protocol_addr in the access logs: {addrs}")
    expect(set(addrs) <= clients and addrs, "nginx logs the client's real "
           "address (PROXY v2) for every request", f"only {sorted(clients)}",
           addrs)
    v = sniff.versions()
    log(f"figures: first bytes of {len(sniff.first)} backend connections: "
        f"{v}")
    expect(v["v2"] >= total and v["v1"] == 0 and v["none"] == 0,
           "every backend connection starts with a PROXY v2 header",
           f"v2 >= {total} requests, no other", v)


def find_upload(be, name):
    for p in PORTS:
        path = be.upload_path(p, name)
        if os.path.exists(path):
            return path
    return None


SND_COUNTERS = ("data_tx", "retransmits", "fast_retransmits", "rto_expired",
                "tail_loss_probes", "loss_recoveries")


def snd_counters(sf):
    """The send path's counters (those this build has)."""
    st = sf.telemetry("/synfront/stats")
    return {k: st[k] for k in SND_COUNTERS if k in st}


def transfer(sf, be, tag):
    """10 MB down and up through the proxy; sha256 compared."""
    down = os.path.join(sf.tmp, f"down-{tag}.bin")
    c0 = snd_counters(sf)
    rc, out, err, secs, got = sfbackend.download(sf.ns, down, 150)
    log(f"figures: {tag} download: exit {rc}, status {out}, "
        f"{os.path.getsize(down) if got else 0} bytes in {secs:.2f} s "
        f"({os.path.getsize(down) * 8 / secs / 1e6 if got else 0:.0f} "
        f"Mbit/s) {err}")
    c1 = snd_counters(sf)
    log(f"figures: {tag} download, send path: "
        f"{ {k: c1[k] - c0.get(k, 0) for k in c1} }")
    expect(rc == 0 and got == be.big_sha256, f"{tag}: 10 MB download "
           f"arrives with the same sha256", be.big_sha256[:16],
           f"exit {rc}, {got[:16] if got else None}")

    name = f"up-{tag}.bin"
    rc, out, err, secs, want = sfbackend.upload(sf.ns, sf.tmp, name, 150)
    path = find_upload(be, name)
    got = sfbackend.sha256_file(path) if path else None
    log(f"figures: {tag} upload (IPv6): exit {rc}, status {out}, "
        f"{sfbackend.BIG_SIZE} bytes in {secs:.2f} s "
        f"({sfbackend.BIG_SIZE * 8 / secs / 1e6:.0f} Mbit/s) {err}")
    expect(rc == 0 and out == "201" and got == want, f"{tag}: 10 MB upload "
           f"arrives with the same sha256", f"201, {want[:16]}",
           f"exit {rc}, status {out}, {got[:16] if got else 'no file'}")


def telemetry(sf, n):
    """/synfront/proxy after n connections, all closed both ways."""
    t = sf.telemetry("/synfront/proxy")
    log(f"figures: /synfront/proxy {t}")
    bes = [v for v in t.values() if isinstance(v, dict)]
    conns = {b.get("address"): b.get("connections") for b in bes}
    expect(t.get("established") == n and sum(conns.values()) == n,
           "/synfront/proxy: every connection counted, per backend",
           f"{n} in all", f"established {t.get('established')}, {conns}")
    bad = {k: t.get(k) for k in ("no_backend", "backend_reset",
                                 "client_reset", "socket_fail", "active")
           if t.get(k) != 0}
    bad.update({f"{b.get('address')} failures": b.get("failures")
                for b in bes if b.get("failures") != 0})
    expect(t.get("closed") == n and not bad, "/synfront/proxy: all closed "
           "both ways, no reset, failure or active connection left",
           f"closed {n}, others 0", f"closed {t.get('closed')}, {bad}")
    log(f"figures: handoff latency median {t.get('handoff_median_ns')} ns, "
        f"p99 {t.get('handoff_p99_ns')} ns over "
        f"{t.get('handoff_samples')} connections")


def test(args, sfs):
    sf = sfit.Synfront(args[0], "prx", consumer="proxy", app_args=(
        sfbackend.proxy_args([sfbackend.addr(4, BE4, PORTS[0]),
                              sfbackend.addr(6, BE6, PORTS[1])],
                             balance="round-robin", proxy_protocol="v2")))
    sfs.append(sf)
    be = sfbackend.Backend(sf.tmp, ports=PORTS, proxy_ports=PORTS)
    try:
        be.start()
        sniff = sfbackend.HeaderSniffer(be)
        sf.start()
        curl_pages(sf)
        requests(sf)
        time.sleep(0.5)         # nginx writes its log after the response
        backends_seen(be, sniff)
        sniff.stop()
        transfer(sf, be, "clean")
        loss = sfit.Loss(sf.ns, sf.iface, 0.01)
        transfer(sf, be, "loss")
        log(f"figures: dropped by the 1 % loss rules: {loss.drops()}")
        loss.remove()
        # 2 curls, the sequential and concurrent GETs, 2 x (down + up)
        telemetry(sf, 2 + N_SEQ + N_CONC + 4)
        sf.check_clean_exit()
    finally:
        be.cleanup()


if __name__ == "__main__":
    sfit.main(test)
