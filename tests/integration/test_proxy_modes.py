#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""consumer=proxy: PROXY v1 with source-hash, no PROXY header with dead
backends among live ones, and every backend down (sfbackend.py: nginx in
the backend namespace on 8080 and 8081 with proxy_protocol, 8082 plain).

Run A (--proxy-protocol v1 --balance source-hash, backends
198.18.2.2:8080 and 198.18.2.2:8081): 40 GETs over IPv4 and 40 over IPv6;
every connection to a backend starts with a v1 header ("PROXY TCP4 ..." /
"PROXY TCP6 ...", captured on the backend's veth); nginx logs the client's
real address; all requests of one client address land on one backend.

Run B (no PROXY header, --connect-timeout-ms 300, backends
198.18.2.2:8090 (nothing listens: refused), 198.18.2.3:8080 (nobody
there: the connect times out) and [2001:2:2::2]:8082): 40 GETs all
succeed, from 8082, without a header; /synfront/proxy counts failures of
the two dead ones and no connection to them.
Then nginx stops (every backend down): a client's request gets a reset
(ECONNRESET), not a hang and not an empty close, within a few seconds;
so does curl (exit 7, 55 or 56 by when the RST lands; not 28 or 52). Each run ends with SIGTERM, exit 0 and no
mbuf in use.

usage: test_proxy_modes.py SYNFRONT_BINARY
"""

import errno
import shutil
import socket
import tempfile
import time

import sfbackend
import sfit
from sfbackend import BE4, BE6
from sfit import expect, log

N_GET = 40
DEAD4 = "198.18.2.3"


def gets(sf, fam, n):
    ok, fail, bodies, secs = sfbackend.get_many(sf.ns, fam, n, 4)
    log(f"figures: {n} GETs (IPv{fam}) in {secs:.2f} s, {len(fail)} failed, "
        f"bodies {dict((b.decode(errors='replace').strip(), c) for b, c in bodies.items())}")
    expect(ok == n, f"{n} GETs over IPv{fam} succeed", n,
           f"{ok}, failures: {fail[:3]}")
    return bodies


def run_a(binary, sfs, be):
    sf = sfit.Synfront(binary, "pxa", consumer="proxy", app_args=(
        sfbackend.proxy_args([sfbackend.addr(4, BE4, 8080),
                              sfbackend.addr(4, BE4, 8081)],
                             balance="source-hash", proxy_protocol="v1")))
    sfs.append(sf)
    sniff = sfbackend.HeaderSniffer(be)
    sf.start()
    for fam in (4, 6):
        bodies = gets(sf, fam, N_GET)
        expect(len(bodies) == 1, f"source-hash: every IPv{fam} request of "
               f"one client lands on one backend", "one page", len(bodies))
    time.sleep(0.5)
    sniff.stop()
    v = sniff.versions()
    log(f"figures: first bytes of {len(sniff.first)} backend connections: "
        f"{v}; e.g. {next(iter(sniff.first.values()), b'')!r}")
    expect(v["v1"] == 2 * N_GET and v["v2"] == 0 and v["none"] == 0,
           "every backend connection starts with a PROXY v1 header",
           f"v1 == {2 * N_GET}", v)
    addrs = {}
    for p in (8080, 8081):
        for r in be.access(p):
            addrs[r["pp_addr"]] = addrs.get(r["pp_addr"], 0) + 1
    log(f"figures: $proxy_protocol_addr in the access logs: {addrs}")
    expect(addrs == {sfit.CLIENT4: N_GET, sfit.CLIENT6: N_GET},
           "nginx logs the client's real address (PROXY v1)",
           {sfit.CLIENT4: N_GET, sfit.CLIENT6: N_GET}, addrs)
    sf.check_clean_exit()
    sfs.remove(sf)
    sf.cleanup()
    shutil.rmtree(sf.tmp, ignore_errors=True)


def reset_probe(sf):
    """One GET to the VIP with every backend down: (errno or 0, seconds,
    bytes received)."""
    s, err = sfit.connect_one(sf.ns, 4, sfit.VIP4, sfit.PORT, timeout=5)
    if s is None:
        return err, 0.0, 0
    s.settimeout(15)
    t0 = time.monotonic()
    got = 0
    try:
        s.sendall(b"GET / HTTP/1.0\r\nHost: sf\r\n\r\n")
        while True:
            b = s.recv(4096)
            if not b:
                return 0, time.monotonic() - t0, got
            got += len(b)
    except socket.timeout:
        return errno.ETIMEDOUT, time.monotonic() - t0, got
    except OSError as e:
        return e.errno, time.monotonic() - t0, got
    finally:
        s.close()


def run_b(binary, sfs, be):
    sf = sfit.Synfront(binary, "pxb", consumer="proxy", app_args=(
        sfbackend.proxy_args([sfbackend.addr(4, BE4, 8090),
                              sfbackend.addr(4, DEAD4, 8080),
                              sfbackend.addr(6, BE6, 8082)],
                             balance="round-robin", connect_timeout_ms=300)))
    sfs.append(sf)
    sniff = sfbackend.HeaderSniffer(be)
    sf.start()
    before = len(be.access(8082))
    bodies = gets(sf, 4, N_GET)
    expect(set(bodies) == {b"synfront backend 8082\n"}, "dead backends "
           "skipped: every answer from 8082", "8082 only",
           [b.strip() for b in bodies])
    time.sleep(0.5)
    sniff.stop()
    v = sniff.versions()
    rows = be.access(8082)[before:]
    log(f"figures: first bytes of backend connections {v}; 8082 access "
        f"lines {len(rows)}, $proxy_protocol_addr {set(r['pp_addr'] for r in rows)}")
    expect(v["none"] == N_GET and v["v1"] == 0 and v["v2"] == 0,
           "proxy_protocol off: no header", f"{N_GET} plain", v)
    t = sf.telemetry("/synfront/proxy")
    log(f"figures: /synfront/proxy {t}")
    bes = {v["address"]: v for v in t.values() if isinstance(v, dict)}
    dead = {a: (bes.get(a, {}).get("failures"), bes.get(a, {}).get(
        "connections")) for a in (f"{BE4}:8090", f"{DEAD4}:8080")}
    expect(all(f and f >= 1 and c == 0 for f, c in dead.values()),
           "/synfront/proxy: the refused and the silent backend count "
           "failures and no connection", "failures >= 1, connections 0",
           dead)

    be.stop_nginx()
    log("nginx stopped: every backend down")
    for _ in range(2):
        err, secs, got = reset_probe(sf)
        log(f"figures: request with every backend down: "
            f"{sfit.errname(err)} after {secs:.2f} s, {got} bytes")
        expect(err == errno.ECONNRESET, "every backend down: the client "
               "sees a reset, not a hang", "ECONNRESET",
               f"{sfit.errname(err)} after {secs:.2f} s")
    rc, out, cerr = sfbackend.curl(sf.ns, sfbackend.url(6), timeout=20)
    log(f"curl {sfbackend.url(6)} with every backend down: exit {rc} {cerr}")
    # The RST may reach curl's socket before curl sees the connect done
    # (7), before its request is sent (55) or after (56).
    expect(rc in (7, 55, 56), "curl with every backend down: a reset "
           "(exit 7, 55 or 56 by when it lands), not a timeout (28) or an "
           "empty reply (52)", "7, 55 or 56", f"{rc}: {cerr}")
    t = sf.telemetry("/synfront/proxy")
    log(f"figures: /synfront/proxy {t}")
    expect(t.get("no_backend") == 3 and t.get("closed") == N_GET,
           "/synfront/proxy: the 3 requests with every backend down "
           "reset for no backend; the others closed", "no_backend 3, "
           f"closed {N_GET}", f"no_backend {t.get('no_backend')}, closed "
           f"{t.get('closed')}")
    sf.check_clean_exit()


def test(args, sfs):
    tmp = tempfile.mkdtemp(prefix="sfit-pxm-")
    be = sfbackend.Backend(tmp, ports=(8080, 8081, 8082),
                           proxy_ports=(8080, 8081))
    try:
        be.start()
        run_a(args[0], sfs, be)
        run_b(args[0], sfs, be)
    finally:
        be.cleanup()
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sfit.main(test)
