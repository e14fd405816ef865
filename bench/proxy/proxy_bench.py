#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""End-to-end benchmark of consumer=proxy (/usr/bin/python3, as root):
kernel clients in a namespace against synfront's proxy, next to the same
load sent straight to the backend (the kernel alone), in the same run.

  client ns --tap--> synfront (DPDK net_tap, --consumer proxy)
                       proxy: kernel socket in the root ns --veth--> nginx
  client ns --veth (198.18.3.0/24)--------------------------------> nginx

Both paths start in the same client namespace and end at the same nginx
(sfbackend.py, one worker); the direct path is one veth hop, the proxied
one is the tap, synfront's worker, the handoff rings, the proxy's epoll
loop and a veth hop. Lines, each the median of --runs runs, the runs of
the two paths interleaved (proxy, direct, proxy, direct, ...):

  conn/req   ab -n N -c C: a new connection per request (requests/s)
  keepalive  ab -k -n N -c C: one connection per client (requests/s)
  bulk       curl GET of a --bulk-mb MB file (Mbit/s)
  upload     curl PUT of the same file, stored by nginx (Mbit/s)

and the handoff latency (TSC at ESTABLISHED to the proxy's dequeue) median
and p99 from /synfront/proxy over every connection of the run. Output: a
table on stdout and in --out (default bench/results/proxy-<date>.txt).

usage: proxy_bench.py [--synfront BIN] [--runs 5] [--requests 5000]
                      [--concurrency 16] [--bulk-mb 100] [--out FILE]
                      [--lines conn/req,keepalive,bulk,upload]
"""

import argparse
import datetime
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

TOP = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
sys.path.insert(0, os.path.join(TOP, "tests", "integration"))

import sfbackend  # noqa: E402
import sfit  # noqa: E402

DIRECT_CLIENT = "198.18.3.1"
DIRECT_BE = "198.18.3.2"
PORT = 8080


def sh(ns, *cmd, timeout=300):
    p = subprocess.run(["ip", "netns", "exec", ns.name] + list(cmd),
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                       text=True, timeout=timeout)
    return p.returncode, p.stdout


def ab(ns, url, n, c, keepalive):
    """requests/s of one ab run; raises on any failed request."""
    cmd = ["ab", "-q", "-n", str(n), "-c", str(c), "-s", "10"]
    if keepalive:
        cmd.append("-k")
    rc, out = sh(ns, *(cmd + [url]))
    rps = re.search(r"Requests per second:\s+([\d.]+)", out)
    done = re.search(r"Complete requests:\s+(\d+)", out)
    failed = re.search(r"Failed requests:\s+(\d+)", out)
    non2xx = re.search(r"Non-2xx responses:\s+(\d+)", out)
    if (rc != 0 or not rps or not done or int(done.group(1)) != n or
            (failed and int(failed.group(1))) or non2xx):
        raise sfit.TestFailure(f"ab {url}: expected {n} requests without "
                               f"failure, saw exit {rc}: {out[-600:]}")
    return float(rps.group(1))


def bulk(ns, url, size):
    """Mbit/s of one curl download."""
    rc, out = sh(ns, "curl", "-sS", "-o", "/dev/null", "-w",
                 "%{size_download} %{speed_download}", url)
    p = out.split()
    if rc != 0 or len(p) != 2 or int(p[0]) != size:
        raise sfit.TestFailure(f"curl {url}: expected {size} bytes, saw "
                               f"exit {rc}: {out[-300:]}")
    return float(p[1]) * 8 / 1e6


def upload(ns, url, path, size):
    """Mbit/s of one curl PUT (nginx stores the body)."""
    rc, out = sh(ns, "curl", "-sS", "-o", "/dev/null", "-w",
                 "%{http_code} %{size_upload} %{speed_upload}", "-T", path,
                 url)
    p = out.split()
    if rc != 0 or len(p) != 3 or p[0] not in ("201", "204") or \
            int(p[1]) != size:
        raise sfit.TestFailure(f"curl -T {url}: expected {size} bytes "
                               f"stored, saw exit {rc}: {out[-300:]}")
    return float(p[2]) * 8 / 1e6


def add_direct(sf, be):
    """A veth from the client namespace straight to the backend's."""
    pid = os.getpid() % 100000
    a, b = f"sfbd{pid}", f"sfbdn{pid}"
    sfit.run(["ip", "link", "add", a, "type", "veth", "peer", "name", b])
    sfit.run(["ip", "link", "set", a, "netns", sf.ns.name])
    sfit.run(["ip", "link", "set", b, "netns", be.ns.name])
    sf.ns.ip("addr", "add", f"{DIRECT_CLIENT}/24", "dev", a)
    sf.ns.ip("link", "set", a, "up")
    be.ns.ip("addr", "add", f"{DIRECT_BE}/24", "dev", b)
    be.ns.ip("link", "set", b, "up")


def latency(sf):
    """(median ns, p99 ns, samples) of the handoff, from /synfront/proxy
    (the keys lib/proxy/sf_proxy_telemetry.c writes), and the whole dict."""
    t = sf.telemetry("/synfront/proxy")
    return (t.get("handoff_median_ns"), t.get("handoff_p99_ns"),
            t.get("handoff_samples")), t


def machine():
    cpu = ""
    try:
        with open("/proc/cpuinfo") as f:
            cpu = next((l.split(":", 1)[1].strip() for l in f
                        if l.startswith("model name")), "")
    except OSError:
        pass
    rev = subprocess.run(["git", "-C", TOP, "describe", "--always",
                          "--dirty"], stdout=subprocess.PIPE,
                         stderr=subprocess.DEVNULL, text=True).stdout.strip()
    return (f"{os.cpu_count()} CPUs ({cpu}), Linux {platform.release()}, "
            f"synfront {rev or '?'}")


def run(a, sf, be):
    size = a.bulk_mb << 20
    urls = {"proxy": f"http://{sfit.VIP4}:{sfit.PORT}/",
            "direct": f"http://{DIRECT_BE}:{PORT}/"}
    lines = (("conn/req", "req/s",
              lambda u: ab(sf.ns, u, a.requests, a.concurrency, False)),
             ("keepalive", "req/s",
              lambda u: ab(sf.ns, u, a.requests * 5, a.concurrency, True)),
             ("bulk", "Mbit/s", lambda u: bulk(sf.ns, u + "big.bin", size)),
             ("upload", "Mbit/s", lambda u: upload(
                 sf.ns, u + "upload/up.bin",
                 os.path.join(be.dir, "big.bin"), size)))
    lines = tuple(l for l in lines if l[0] in a.lines)
    res = {(l[0], p): [] for l in lines for p in urls}
    for r in range(a.runs):
        for name, _, fn in lines:
            for path, u in urls.items():
                v = fn(u)
                res[(name, path)].append(v)
                print(f"  run {r + 1}: {name:9s} {path:6s} {v:10.1f}",
                      flush=True)
    return lines, res


def report(a, lines, res, lat, tel):
    now = datetime.datetime.now(datetime.timezone.utc)
    out = [f"# consumer=proxy end to end, {now:%Y-%m-%d %H:%M} UTC",
           f"# {machine()}",
           f"# {a.runs} runs, medians; conn/req and keepalive: ab -n "
           f"{a.requests} (keepalive {a.requests * 5}) -c {a.concurrency}; "
           f"bulk/upload: curl GET/PUT of {a.bulk_mb} MB; nginx 1 process",
           f"{'line':10s} {'unit':7s} {'proxy':>10s} {'direct':>10s} "
           f"{'ratio':>7s}   runs (proxy | direct)"]
    for name, unit, _ in lines:
        p = statistics.median(res[(name, "proxy")])
        d = statistics.median(res[(name, "direct")])
        runs = (" ".join(f"{v:.0f}" for v in res[(name, "proxy")]) + " | " +
                " ".join(f"{v:.0f}" for v in res[(name, "direct")]))
        out.append(f"{name:10s} {unit:7s} {p:10.1f} {d:10.1f} "
                   f"{p / d if d else 0:7.3f}   {runs}")
    p50, p99, n = lat
    out.append(f"handoff latency (ESTABLISHED TSC -> proxy dequeue): "
               f"median {p50} ns, p99 {p99} ns over {n} connections")
    out.append(f"# /synfront/proxy at the end: {tel}")
    text = "\n".join(out) + "\n"
    print(text)
    if a.out != "-":
        os.makedirs(os.path.dirname(os.path.abspath(a.out)), exist_ok=True)
        with open(a.out, "w") as f:
            f.write(text)
        print(f"written: {a.out}")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--synfront", default=os.path.join(
        TOP, "build", "app", "synfront", "synfront"))
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--requests", type=int, default=5000)
    ap.add_argument("--concurrency", type=int, default=16)
    ap.add_argument("--bulk-mb", type=int, default=100)
    ap.add_argument("--lines", type=lambda s: s.split(","),
                    default=["conn/req", "keepalive", "bulk", "upload"],
                    help="comma-separated lines to run (default all)")
    ap.add_argument("--out", default=os.path.join(
        TOP, "bench", "results",
        f"proxy-{datetime.date.today():%Y%m%d}.txt"))
    a = ap.parse_args()
    if os.geteuid() != 0:
        sys.exit("proxy_bench: run as root (namespaces, tap devices)")
    for tool, pkg, where in (("ab", "apache2-utils", "SF_BENCH_PACKAGES"),
                             ("curl", "curl", "SF_PACKAGES")):
        if shutil.which(tool) is None:
            sys.exit(f"proxy_bench: {tool} missing (package {pkg}, in "
                     f"scripts/lib.sh's {where})")
    tmp = tempfile.mkdtemp(prefix="sfbench-proxy-")
    sf = sfit.Synfront(a.synfront, "bpx", consumer="proxy", app_args=(
        sfbackend.proxy_args([sfbackend.addr(4, sfbackend.BE4, PORT)]) +
        ["--stats-period", "0"]))
    be = sfbackend.Backend(tmp, ports=(PORT,), extra4=(DIRECT_BE,),
                           big_size=a.bulk_mb << 20)
    try:
        sf.start()
        be.start(before_nginx=lambda b: add_direct(sf, b))
        lines, res = run(a, sf, be)
        lat, tel = latency(sf)
        report(a, lines, res, lat, tel)
        rc, _ = sf.stop()
        if rc != 0:
            print(f"proxy_bench: synfront exit status {rc}")
    except sfit.Skip as e:
        sys.exit(f"proxy_bench: {e}")
    except sfit.TestFailure as e:
        print(f"proxy_bench: FAILED: {e}")
        sf.dump_for_failure()
        sys.exit(1)
    finally:
        be.cleanup()
        sf.cleanup()
        shutil.rmtree(tmp, ignore_errors=True)
        shutil.rmtree(sf.tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
