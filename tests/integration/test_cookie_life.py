#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""A SYN cookie's lifetime over the wire, with the test-only clock offset.

The cookie's time counter is T = unix_s / 64 and an ACK validates while
now's counter is T or T + 1: a cookie lives 64 to 128 s, depending on
where in its window it was made (DESIGN.md). All instances here share one
key ([cookie] key in a config file), as a fleet does.

1. Instance 0 (clock offset 0) answers a SYN from scapy (IPv4 and IPv6,
   MSS only, so the ACK carries no option state): cookie c, made in
   window T0 (checked against c's top 5 bits). An ACK (seq x+1, ack c+1)
   to the same instance validates (window T0 or T0 + 1).
2. The same ACK to a restarted instance whose clock is moved ahead with
   --test-clock-offset so that its now falls in the middle of window
   T0 + k (32 s of margin either side for the restart):
     k = 1: ack_cookie_ok, ESTABLISHED event (the cookie is 64..128 s old)
     k = 2: ack_cookie_bad, no event, an RST (128..192 s old)
     k = 32: the same 5-bit t as T0, 2048 s later: ack_cookie_bad (the
            hash covers the whole counter, not only t)
Each line prints the offset, the window, the cookie's age range and the
counters.

usage: test_cookie_life.py SYNFRONT_BINARY
"""

import os
import time

import sfit
import sfraw
from sfit import expect, log

KEY = "5f3a9c0e71d24b68a0c3e5f719b2d486"
WINDOW = 64
CASES = ((1, True), (2, False), (32, False))


def start(binary, sfs, tag, conf, offset):
    args = ["--config", conf]
    if offset:
        args += ["--test-clock-offset", str(offset)]
    sf = sfit.Synfront(binary, tag, consumer="log", app_args=args)
    sfs.append(sf)
    sf.start()
    if offset:
        want = "synfront: TEST ONLY: worker clock %d s ahead" % offset
        seen = [l for l in sf.output_lines() if l == want]
        expect(seen, f"{tag}: test-only clock line", repr(want),
               seen or "none")
    return sf, sfraw.RawPort(sf.ns, sf.iface)


def get_cookies(sf, port):
    """SYNs (v4, v6) -> {family: (sport, client isn, cookie)}."""
    out = {}
    for fam, sport in ((4, 40001), (6, 40002)):
        build = sfraw.syn4 if fam == 4 else sfraw.syn6
        isn, cookie = sfraw.syn_cookie(
            port, sport, lambda isn: build(sf.mac, sport, seq=isn),
            f"IPv{fam} SYN-ACK")
        out[fam] = (sport, isn, cookie)
    return out


def ack_frame(mac, fam, sport, isn, cookie):
    seg_args = dict(seq=isn + 1, ack=cookie + 1, flags=sfit.TCP_ACK,
                    opts=b"")
    if fam == 4:
        return sfraw.syn4(mac, sport, **seg_args)
    return sfraw.syn6(mac, sport, **seg_args)


def send_acks(sf, port, cookies, what, valid):
    """ACK every cookie once; check counters, events and replies."""
    st0 = sf.stats()
    t0 = time.monotonic()
    for fam, (sport, isn, c) in sorted(cookies.items()):
        port.send(ack_frame(sf.mac, fam, sport, isn, c))
    n = len(cookies)
    sfit.wait_until(lambda: sf.stats()["rx_pkts"] >= st0["rx_pkts"] + n, 3,
                    0.05)
    time.sleep(0.3)
    st = sf.stats()
    ok = st["ack_cookie_ok"] - st0["ack_cookie_ok"]
    bad = st["ack_cookie_bad"] - st0["ack_cookie_bad"]
    est = st["established"] - st0["established"]
    ports = {v[0] for v in cookies.values()}

    def events():
        return [e for e in sf.events() if e.get("type") == "established"
                and e.get("client_port") in ports]
    if valid:
        sfit.wait_until(lambda: len(events()) >= n, 3)
    evs = events()
    rsts = [s for s in map(sfit.parse_tcp_frame, port.since(t0))
            if s is not None and s.flags & sfit.TCP_RST and s.dport in ports]
    log(f"{what}: ack_cookie_ok +{ok} ack_cookie_bad +{bad} established "
        f"+{est} events {len(evs)} rst {len(rsts)}")
    want = n if valid else 0
    expect(ok == want and bad == n - want,
           f"{what}: cookie verdicts", f"ok +{want} bad +{n - want}",
           f"ok +{ok} bad +{bad}")
    expect(est == want and len(evs) == want,
           f"{what}: ESTABLISHED entries and events", want,
           f"{est} entries, {len(evs)} events")
    if not valid:
        expect(len(rsts) == n and all(r.seq == (c + 1) & 0xFFFFFFFF for
                                      (_, _, c), r in
                                      zip(sorted(cookies.values()),
                                          sorted(rsts, key=lambda r: r.dport))),
               f"{what}: RST with seq = SEG.ACK for each bad cookie", n,
               len(rsts))


def stop(sf, port):
    port.close()
    sf.check_clean_exit()
    sf.cleanup()


def test(args, sfs):
    tmp = sfs_tmp = os.path.join("/tmp", f"sfit-cookie-{os.getpid()}.ini")
    # a file holding a key must be readable by its owner only
    sfit.write_secret(tmp, f"[cookie]\nkey = {KEY}\n")
    try:
        sf, port = start(args[0], sfs, "ck0", tmp, 0)
        t_made = time.time()
        cookies = get_cookies(sf, port)
        t0_win = int(t_made) // WINDOW
        for fam, (_, _, c) in cookies.items():
            expect((c >> 27) in (t0_win % 32, (t0_win + 1) % 32),
                   f"IPv{fam} cookie's t bits", f"T0 mod 32 = {t0_win % 32}",
                   c >> 27)
        t0_win = t0_win + 1 if (c >> 27) != t0_win % 32 else t0_win
        log(f"cookies made at unix {t_made:.1f} s, window T0 = {t0_win} "
            f"(t = {t0_win % 32}, {t_made - t0_win * WINDOW:.1f} s into it)")
        send_acks(sf, port, cookies, "same instance, offset 0", True)
        stop(sf, port)
        for k, valid in CASES:
            now = time.time()
            offset = (t0_win + k) * WINDOW + WINDOW // 2 - int(now)
            sf, port = start(args[0], sfs, f"ck{k}", tmp, offset)
            log(f"k = {k}: offset {offset} s puts now in window T0 + {k}: "
                f"the cookie is {time.time() + offset - t_made:.0f} s old "
                f"({'valid' if valid else 'expired'}: a cookie validates in its "
                f"window and the next)")
            send_acks(sf, port, cookies, f"window T0 + {k}, offset {offset}",
                      valid)
            stop(sf, port)
            expect(time.time() - now < WINDOW // 2 - 4,
                   f"k = {k}: restart and check inside the margin",
                   f"< {WINDOW // 2 - 4} s", f"{time.time() - now:.1f} s")
    finally:
        os.unlink(sfs_tmp)


if __name__ == "__main__":
    sfit.main(test)
