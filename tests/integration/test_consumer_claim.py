#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""One consumer a ring (sf_handoff_claim). sf-events is refused, exit 2 and
one line naming the holder, while synfront's built-in consumer (log) drains
the ring; with --consumer none a first sf-events attaches and a second is
refused; once the first has exited a new one attaches and gets events; one
killed with SIGKILL leaves a claim that the next one takes over. Needs
hugepages (a DPDK secondary cannot attach to a --no-huge primary): skipped
(exit 77) only when they are unavailable.

usage: test_consumer_claim.py SYNFRONT_BINARY SF_EVENTS_BINARY
"""

import os
import signal
import subprocess

import sfit
from sfit import expect, log


class Events:
    """One sf-events process on synfront's rings."""

    def __init__(self, binary, sf, name, extra):
        self.name = name
        self.err_path = os.path.join(sf.tmp, f"{name}.err")
        self.out_path = os.path.join(sf.tmp, f"{name}.out")
        cmd = [binary, "--proc-type=secondary", "--file-prefix", sf.prefix,
               "-l", "1", "--no-pci", "--log-level", "lib.eal:notice", "--",
               "--workers", "1"] + extra
        log(f"{name}: " + " ".join(cmd))
        with open(self.out_path, "w") as out, open(self.err_path, "w") as err:
            self.proc = subprocess.Popen(cmd, stdout=out, stderr=err,
                                         stdin=subprocess.DEVNULL)

    def err(self):
        with open(self.err_path, errors="replace") as f:
            return f.read()

    def wait_attached(self):
        sfit.wait_until(lambda: "attached" in self.err() or
                        self.proc.poll() is not None, 30)
        expect(self.proc.poll() is None and "attached" in self.err(),
               f"{self.name} attached", "'sf-events: attached', running",
               f"exit {self.proc.poll()}: {self.err().strip()[-300:]}")

    def wait(self, timeout=30):
        try:
            return self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
            return f"still running after {timeout} s"

    def kill(self):
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()


def refusal(ev):
    """The one line of a refused sf-events; its exit status checked."""
    rc = ev.wait()
    lines = [l for l in ev.err().splitlines() if "is drained by pid" in l]
    log(f"{ev.name}: exit {rc}, {lines[0] if lines else 'no refusal line'}")
    expect(rc == 2, f"{ev.name} exit status", 2,
           f"{rc}: {ev.err().strip()[-300:]}")
    expect(len(lines) == 1, f"{ev.name} refusal line", "one", len(lines))
    return lines[0]


def builtin_refuses(args, sfs):
    sf = sfit.Synfront(args[0], "clm", consumer="log")
    sfs.append(sf)
    sf.start()
    line = refusal(Events(args[1], sf, "events-vs-log", ["--timeout", "5"]))
    want = (f"sf-events: ring sf_handoff_0 is drained by pid {sf.proc.pid} "
            f"(synfront's built-in consumer); start synfront with "
            f"--consumer none")
    expect(line == want, "refusal while consumer=log", want, line)
    sf.check_clean_exit()


def one_external(args, sfs):
    sf = sfit.Synfront(args[0], "cln", consumer="none")
    sfs.append(sf)
    sf.start()
    procs = []
    try:
        first = Events(args[1], sf, "first", ["--timeout", "60"])
        procs.append(first)
        first.wait_attached()
        second = Events(args[1], sf, "second", ["--timeout", "5"])
        procs.append(second)
        line = refusal(second)
        want = (f"sf-events: ring sf_handoff_0 is drained by pid "
                f"{first.proc.pid} (an external consumer such as sf-events)")
        expect(line == want, "second sf-events refused", want, line)

        first.proc.send_signal(signal.SIGINT)
        rc = first.wait()
        log(f"first: exit {rc} after SIGINT (1: no events, as expected)")
        expect(rc in (0, 1), "first sf-events exit after SIGINT", "0 or 1",
               rc)

        third = Events(args[1], sf, "third", ["--count", "2",
                                              "--timeout", "60"])
        procs.append(third)
        third.wait_attached()
        socks, fail = sfit.connect_many(sf.ns, 4, sfit.VIP4, sfit.PORT, 2)
        expect(len(socks) == 2, "clients connected", 2,
               f"{len(socks)}, failures {fail[:5]}")
        rc = third.wait()
        n = len(open(third.out_path).read().splitlines())
        log(f"third: exit {rc}, {n} event lines")
        expect(rc == 0 and n == 2, "third sf-events after the first exited",
               "exit 0, 2 events", f"exit {rc}, {n} events")
        sfit.close_all(socks.values())

        fourth = Events(args[1], sf, "fourth", ["--timeout", "60"])
        procs.append(fourth)
        fourth.wait_attached()
        fourth.kill()
        log(f"fourth: pid {fourth.proc.pid} killed with SIGKILL, claim left")
        fifth = Events(args[1], sf, "fifth", ["--timeout", "60"])
        procs.append(fifth)
        fifth.wait_attached()
        log("fifth: took over the dead pid's claim")
        fifth.proc.send_signal(signal.SIGINT)
        fifth.wait()
    finally:
        for p in procs:
            p.kill()
    sf.check_clean_exit()


def test(args, sfs):
    if "--no-huge" in sfit.eal_mem():
        raise sfit.Skip("hugepages unavailable: a DPDK secondary process "
                        "cannot attach to a --no-huge primary")
    expect(os.access(args[1], os.X_OK), "sf-events binary", "executable",
           args[1])
    builtin_refuses(args, sfs)
    one_external(args, sfs)


if __name__ == "__main__":
    sfit.main(test, binary_args=2)
