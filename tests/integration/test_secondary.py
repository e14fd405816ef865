#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""The example secondary process sf-events attaches to a primary running
with --consumer none and receives its ESTABLISHED events. Needs hugepages
(DPDK secondaries cannot attach to a --no-huge primary): skipped (exit 77)
only when they are unavailable.

usage: test_secondary.py SYNFRONT_BINARY SF_EVENTS_BINARY
"""

import json
import os
import subprocess

import sfit
from sfit import expect, log

N = 8


def test(args, sfs):
    if "--no-huge" in sfit.eal_mem():
        raise sfit.Skip("hugepages unavailable: a DPDK secondary process "
                        "cannot attach to a --no-huge primary")
    sf_events = args[1]
    expect(os.access(sf_events, os.X_OK), "sf-events binary", "executable",
           sf_events)
    sf = sfit.Synfront(args[0], "sec", consumer="none")
    sfs.append(sf)
    sf.start()

    out_path = os.path.join(sf.tmp, "sf-events.out")
    err_path = os.path.join(sf.tmp, "sf-events.err")
    cmd = [sf_events, "--proc-type=secondary", "--file-prefix", sf.prefix,
           "-l", "1", "--no-pci", "--log-level", "lib.eal:notice", "--",
           "--workers", "1", "--count", str(N), "--timeout", "60"]
    log("starting: " + " ".join(cmd))
    with open(out_path, "w") as out, open(err_path, "w") as err:
        proc = subprocess.Popen(cmd, stdout=out, stderr=err,
                                stdin=subprocess.DEVNULL)
    try:
        attached = sfit.wait_until(
            lambda: "attached" in open(err_path).read() or
            proc.poll() is not None, 30)
        expect(proc.poll() is None and attached, "sf-events attached",
               "'sf-events: attached' and running",
               "running" if proc.poll() is None else
               f"exit {proc.poll()}: {open(err_path).read().strip()[-300:]}")
        socks, fail = sfit.connect_many(sf.ns, 4, sfit.VIP4, sfit.PORT, N)
        expect(len(socks) == N, "clients connected", N,
               f"{len(socks)}, failures {fail[:5]}")
        try:
            rc = proc.wait(30)
        except subprocess.TimeoutExpired:
            rc = "still running after 30 s"
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    lines = open(out_path).read().splitlines()
    expect(rc == 0, "sf-events exit status", 0,
           rc if rc == 0 else
           f"{rc}: {open(err_path).read().strip()[-300:]}")
    evs = []
    for l in lines:
        try:
            evs.append(json.loads(l))
        except ValueError:
            raise sfit.TestFailure(f"sf-events output: expected JSON lines, "
                                   f"saw {l!r}")
    got = {e.get("client_port") for e in evs if e.get("type") == "established"}
    expect(got == set(socks), "ESTABLISHED events received by sf-events "
           "for our clients", sorted(socks), sorted(got))
    st = sf.stats()
    expect(st.get("handoff_enq") == N, "telemetry handoff_enq", N,
           st.get("handoff_enq"))
    sfit.close_all(socks.values())
    sf.check_clean_exit()


if __name__ == "__main__":
    sfit.main(test, binary_args=2)
