#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""The example secondary process sf-events attaches to a primary running
with --consumer none and receives its ESTABLISHED events. Needs hugepages
(DPDK secondaries cannot attach to a --no-huge primary): skipped (exit 77)
only when they are unavailable.

usage: test_secondary.py SYNFRONT_BINARY SF_EVENTS_BINARY
"""

import os
import subprocess

import sfit
from sfit import expect

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

    proc, out_path, err_path = sfit.start_sf_events(
        sf_events, sf, ["--count", str(N), "--timeout", "60"])
    try:
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
    expect(rc == 0, "sf-events exit status", 0,
           rc if rc == 0 else
           f"{rc}: {open(err_path).read().strip()[-300:]}")
    evs = sfit.read_events(out_path)
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
