#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""A key roll without a restart: SIGHUP re-reads [cookie] key_file.

One synfront on a net_tap port, its configuration file (mode 0600) naming
a key file (mode 0600) that holds key A. Cookies are computed here
independently (sfcookie.py: SipHash-2-4 and the cookie of DESIGN.md written
in Python), never taken from synfront's word:

1. At start: the log line and /synfront/keys show A's fingerprint, loads 1.
   A SYN's SYN-ACK carries A's cookie.
2. The file now holds B (one line); SIGHUP. The log line and telemetry show
   key B, previous_key A, loads 2.
3. The ACK of A's cookie (made before the roll) completes: ack_cookie_ok,
   an ESTABLISHED event (previous_key at work).
4. A new SYN-ACK carries B's cookie, not A's.
5. The file gets mode 0644; SIGHUP: refused with its log line, load_errors
   1, the fingerprints and loads unchanged.
6. /synfront/clock: the wall clock was re-read at least twice.

usage: test_key_roll.py SYNFRONT_BINARY
"""

import os
import shutil
import signal
import socket
import tempfile
import time

import sfcookie
import sfit
import sfraw
from sfit import expect, log

KEY_A = "3b9e0c51a7d24f68b0c3e5f719d2a486"
KEY_B = "c4f1a8e2093b5d7612ae48f0d3c9b157"
KEY_C = "00112233445566778899aabbccddeeff"
MSS_IDX_1460 = 6        # sf_cookie_mss_v4[6] = 1460: the SYN's MSS, our cap
OPT_NONE = 0x3f         # no timestamps in the SYN


def cookies_for(key, sport, isn, unix_s):
    """The cookies key would give this SYN in the window of unix_s and the
    one before (the SYN-ACK may straddle a window boundary)."""
    return sfcookie.cookies_v4_recent(
        key, socket.inet_aton(sfit.CLIENT4), socket.inet_aton(sfit.VIP4),
        sport, sfit.PORT, isn, unix_s, MSS_IDX_1460, OPT_NONE)


def syn(sf, port, sport):
    """One SYN (MSS 1460, no timestamps); returns (isn, cookie)."""
    return sfraw.syn_cookie(port, sport,
                            lambda isn: sfraw.syn4(sf.mac, sport, seq=isn),
                            f"SYN-ACK to port {sport}")


def hup_and_wait(sf, needle):
    """SIGHUP; wait for a new output line holding needle; return it."""
    n0 = len(sf.output_lines())
    sf.proc.send_signal(signal.SIGHUP)
    sfit.wait_until(lambda: any(needle in l
                                for l in sf.output_lines()[n0:]), 5)
    new = [l for l in sf.output_lines()[n0:] if needle in l]
    expect(new, f"log line with '{needle}' after SIGHUP", "one",
           new or sf.output_lines()[n0:])
    log(new[0])
    return new[0]


def check_keys(sf, what, fp, prev_fp, loads, errors):
    k = sf.telemetry("/synfront/keys")
    log(f"{what}: /synfront/keys {k}")
    want = {"source": "key_file", "key_fp": fp, "previous_key_fp": prev_fp,
            "loads": loads, "load_errors": errors}
    seen = {n: k.get(n) for n in want}
    expect(seen == want, f"{what}: /synfront/keys", want, seen)
    expect(k.get("loaded_unix", 0) > 1700000000, f"{what}: loaded_unix",
           "a wall-clock second", k.get("loaded_unix"))


def test(args, sfs):
    tmp = tempfile.mkdtemp(prefix="sfit-keyroll-")
    kf = os.path.join(tmp, "fleet.key")
    conf = os.path.join(tmp, "synfront.ini")
    fp_a, fp_b = sfcookie.key_fp(KEY_A), sfcookie.key_fp(KEY_B)
    log(f"fingerprints computed here: A {fp_a}, B {fp_b}")
    try:
        sfit.write_secret(kf, KEY_A + "\n")
        sfit.write_secret(conf, f"[cookie]\nkey_file = {kf}\n")
        sf = sfit.Synfront(args[0], "kroll", consumer="log",
                           app_args=["--config", conf])
        sfs.append(sf)
        t_start = time.monotonic()
        sf.start()
        port = sfraw.RawPort(sf.ns, sf.iface)

        line = f"synfront: keys loaded from {kf}: key {fp_a}, previous_key none"
        expect(line in sf.output_lines(), "start: keys line", line,
               [l for l in sf.output_lines() if "keys" in l])
        check_keys(sf, "start", fp_a, "", 1, 0)

        # 1. A's cookie, checked independently
        isn1, c1 = syn(sf, port, 41001)
        in_a = c1 in cookies_for(KEY_A, 41001, isn1, int(time.time()))
        log(f"SYN 1 (port 41001): cookie {c1:#010x}, A's: {in_a}")
        expect(in_a, "SYN-ACK before the roll carries A's cookie", True,
               in_a)

        # 2. roll to B (one line: A becomes previous_key)
        sfit.write_secret(kf, KEY_B + "\n")
        hup_and_wait(sf, f"keys loaded from {kf}: key {fp_b}, "
                         f"previous_key {fp_a}")
        check_keys(sf, "after roll", fp_b, fp_a, 2, 0)

        # 3. the handshake in flight completes through previous_key
        st0 = sf.stats()
        port.send(sfraw.syn4(sf.mac, 41001, seq=isn1 + 1, ack=c1 + 1,
                             flags=sfit.TCP_ACK, opts=b""))
        sfit.wait_until(lambda: any(e.get("type") == "established" and
                                    e.get("client_port") == 41001
                                    for e in sf.events()), 5)
        st = sf.stats()
        ok = st["ack_cookie_ok"] - st0["ack_cookie_ok"]
        bad = st["ack_cookie_bad"] - st0["ack_cookie_bad"]
        evs = [e for e in sf.events() if e.get("type") == "established"
               and e.get("client_port") == 41001]
        log(f"ACK of A's cookie after the roll: ack_cookie_ok +{ok} "
            f"ack_cookie_bad +{bad}, established events {len(evs)}")
        expect(ok == 1 and bad == 0 and len(evs) == 1,
               "A's cookie validates after the roll (previous_key)",
               "ok +1, bad +0, 1 event", f"ok +{ok}, bad +{bad}, "
               f"{len(evs)} events")

        # 4. new SYN-ACKs are B's
        isn2, c2 = syn(sf, port, 41002)
        now = int(time.time())
        in_b = c2 in cookies_for(KEY_B, 41002, isn2, now)
        in_a = c2 in cookies_for(KEY_A, 41002, isn2, now)
        log(f"SYN 2 (port 41002): cookie {c2:#010x}, B's: {in_b}, "
            f"A's: {in_a}")
        expect(in_b and not in_a, "SYN-ACK after the roll: B's cookie, "
               "not A's", "B yes, A no", f"B {in_b}, A {in_a}")

        # 5. a key file others may read: refused, keys kept
        sfit.write_secret(kf, KEY_C + "\n", 0o644)
        hup_and_wait(sf, f"synfront: key_file {kf} refused: readable by "
                         f"other users (mode 0644): chmod 600 {kf}; "
                         f"running keys kept")
        check_keys(sf, "after a refused file", fp_b, fp_a, 2, 1)

        # 6. the clock, re-read every second
        sfit.wait_until(lambda: time.monotonic() - t_start > 3.5, 5)
        c = sf.telemetry("/synfront/clock")
        log(f"/synfront/clock after {time.monotonic() - t_start:.1f} s: {c}")
        expect(c.get("rereads", 0) >= 2 and c.get("period_ms") == 1000,
               "/synfront/clock", "rereads >= 2, period_ms 1000",
               f"rereads {c.get('rereads')}, period_ms {c.get('period_ms')}")
        expect(abs(c.get("last_correction_ns", 1 << 40)) < 50000000,
               "last clock correction (no NTP step here)", "< 50 ms",
               c.get("last_correction_ns"))
        port.close()
        sf.check_clean_exit()
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sfit.main(test)
