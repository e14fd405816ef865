#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""A fleet of two synfront instances behind a Linux router doing ECMP.

    client ns                router ns                       synfront
    cl (198.18.1.1) -- veth -- rt (198.18.1.254)  --tap A--  instance A
                               198.18.0.2/32 ECMP --tap B--  instance B

Both instances have the same VIPs and the same cookie key, each from its
own key file (mode 0600, `--key-file`). The router holds both taps and a
multipath route to each VIP whose next hop is the VIP itself, onlink, on
each tap (each instance answers ARP / ND for its VIPs);
fib_multipath_hash_policy = 1 spreads flows by their ports. Checks, each
printing its figures:

1. 200 kernel clients connect over IPv4 (and 50 over IPv6 when the
   router builds the IPv6 multipath route): all connect, both instances
   get some (per-instance ESTABLISHED counts and events, disjoint).
2. Cross-instance: a raw SYN routed to A, its ACK routed to B: B counts
   ack_cookie_ok and reports the connection; A never sees the ACK.
3. Key roll: SIGHUP with a new key file on both while 8 raw handshakes
   wait for their ACK and 100 kernel clients connect: the ACKs, each sent
   to the other instance, complete through previous_key;
   the clients all connect; new SYN-ACKs are made with the new key
   (recomputed here, sfcookie.py); the clients' SYN-ACKs (their ISNs in
   the events) are some of the old key, the others of the new one;
   /synfront/keys shows the new fingerprints on both, equal and equal to
   the ones computed here.
4. B stopped (SIGTERM, clean exit) while 4 raw handshakes it answered
   wait for their ACK: its tap goes, and the kernel drops the whole
   multipath route; the test installs a single path over A, as a router
   withdrawing the path would; the 4 ACKs complete at A, and 50 new
   clients all connect, at A.

Raw segments come from 198.18.1.9, whose MAC (sfraw.FAKE_MAC) nobody
owns: the client kernel ignores the SYN-ACKs instead of resetting them.

usage: test_fleet.py SYNFRONT_BINARY
"""

import contextlib
import os
import signal
import socket
import threading
import time

import sfcookie
import sfit
import sfraw
from sfit import PORT, VIP4, VIP6, expect, log

KEY1 = "3c9e5d1f0a7b4c2d8e6f1a3b5c7d9e0f"
KEY2 = "a1b2c3d4e5f60718293a4b5c6d7e8f90"
CL4, RT4, RAW4 = "198.18.1.1", "198.18.1.254", "198.18.1.9"
CL6, RT6 = "2001:2:1::1", "2001:2:1::fe"
N_CLIENTS, N_CLIENTS6, N_ROLL, N_FAILOVER = 200, 50, 100, 50
MSS_OPT = b"\x02\x04\x05\xb4"    # MSS 1460 only: no timestamps, opt 0x3f
OPT_NONE = 0x3F


# ---------------------------------------------------------------- topology

class Topology:
    """Router and client namespaces joined by a veth pair; deleted by
    delete() (the taps go with their synfront)."""

    def __init__(self):
        pid = os.getpid()
        self.rt = sfit.NetNS(f"sfit-fleet-rt-{pid}")
        self.cl = sfit.NetNS(f"sfit-fleet-cl-{pid}")
        try:
            self._setup(pid)
        except BaseException:
            self.delete()
            raise

    def _setup(self, pid):
        self.vr, self.vc = f"sffr{pid % 100000}", f"sffc{pid % 100000}"
        sfit.run(["ip", "link", "add", self.vr, "netns", self.rt.name, "type",
                  "veth", "peer", "name", self.vc, "netns", self.cl.name])
        for key, val in (("net.ipv4.ip_forward", 1),
                         ("net.ipv4.fib_multipath_hash_policy", 1),
                         ("net.ipv6.fib_multipath_hash_policy", 1),
                         ("net.ipv6.conf.all.forwarding", 1),
                         ("net.ipv4.conf.all.rp_filter", 0),
                         ("net.ipv4.conf.default.rp_filter", 0),
                         # The taps' link-local addresses usable at once:
                         # no ND (so no IPv6 forwarding) during DAD.
                         ("net.ipv6.conf.all.accept_dad", 0),
                         ("net.ipv6.conf.default.accept_dad", 0)):
            self.rt.sysctl(key, val)
        sfit.addr_up(self.vr, RT4, RT6, self.rt)
        sfit.addr_up(self.vc, CL4, CL6, self.cl)
        self.cl.ip("route", "add", f"{VIP4}/32", "via", RT4)
        self.cl.ip("-6", "route", "add", f"{VIP6}/128", "via", RT6)
        # The raw client: the router sends its replies to a MAC nobody has.
        self.rt.ip("neigh", "replace", RAW4, "lladdr", sfraw.FAKE_MAC, "dev",
                   self.vr, "nud", "permanent")
        self.rt_mac = self._mac(self.rt, self.vr)

    @staticmethod
    def _mac(ns, dev):
        out = ns.ip("-br", "link", "show", dev).stdout.split()
        return out[2]

    def route(self, devs, family=4):
        """The route to the VIP of family over devs: ECMP over several,
        a single path over one. Returns the `ip` result (check=False)."""
        vip, plen = (VIP4, 32) if family == 4 else (VIP6, 128)
        args = ["-6"] if family == 6 else []
        args += ["route", "replace", f"{vip}/{plen}"]
        if len(devs) == 1:
            args += ["via", vip, "dev", devs[0], "onlink"]
        else:
            for d in devs:
                args += ["nexthop", "via", vip, "dev", d, "onlink"]
        return self.rt.ip(*args, check=False)

    def show_route(self, family=4):
        args = ["-6"] if family == 6 else []
        vip = VIP4 if family == 4 else VIP6
        return self.rt.ip(*args, "route", "show", vip,
                          check=False).stdout.strip()

    def delete(self):
        self.cl.delete()
        self.rt.delete()


# ------------------------------------------------------------------- keys

def start_instances(binary, sfs, topo):
    """Instances A and B, their taps in the router namespace; each reads
    its own 0600 key file, holding KEY1."""
    pid = os.getpid()
    insts = []
    for i, tag in enumerate(("fla", "flb")):
        path = os.path.join("/tmp", f"sfit-fleet-{tag}-{pid}.key")
        sfit.write_secret(path, KEY1 + "\n")
        sf = sfit.Synfront(binary, tag, consumer="log",
                           app_args=["--key-file", path],
                           mac="02:53:46:%02x:%02x:%02x" %
                           (0xA0 + i, (pid >> 8) & 0xFF, pid & 0xFF))
        sf.secret = path
        sfs.append(sf)
        sf.start(ns=topo.rt)
        insts.append(sf)
    return insts


def check_keys(insts, key, prev, loads, what):
    """/synfront/keys on every instance: the fingerprints computed here."""
    fp, pfp = sfcookie.key_fp(key), sfcookie.key_fp(prev) if prev else ""
    seen = []
    for sf in insts:
        sfit.wait_until(lambda: sf.telemetry("/synfront/keys").get("loads")
                        == loads, 10, 0.2)
        k = sf.telemetry("/synfront/keys")
        log(f"{what}: {sf.tag} /synfront/keys {k}")
        seen.append((k.get("key_fp"), k.get("previous_key_fp")))
        expect(k.get("source") == "key_file" and k.get("key_file") ==
               sf.secret and k.get("loads") == loads and
               k.get("load_errors") == 0,
               f"{what}: {sf.tag} key source, file, loads, errors",
               f"key_file {sf.secret} {loads} 0",
               f"{k.get('source')} {k.get('key_file')} {k.get('loads')} "
               f"{k.get('load_errors')}")
        line = (f"synfront: keys loaded from {sf.secret}: key {fp}, "
                f"previous_key {pfp or 'none'}")
        expect(line in sf.output_lines(), f"{what}: {sf.tag} prints",
               repr(line), "printed" if line in sf.output_lines() else
               "absent")
    expect(all(s == (fp, pfp) for s in seen),
           f"{what}: fingerprints (key, previous_key) on A and B",
           f"both ({fp}, {pfp!r}) as computed here", seen)


# ---------------------------------------------------------------- clients

def established_ports(sf, family=4):
    return {e["client_port"] for e in sf.events()
            if e.get("type") == "established" and e.get("family") == family}


def clients(topo, insts, family, n, what, timeout=30, batch=25, pace=0):
    """n kernel clients from the client namespace, batch at a time, pace
    seconds apart; returns (the number each instance established, the
    clients' ports). All must connect; every one is at exactly one
    instance."""
    vip = VIP4 if family == 4 else VIP6
    before = [sf.stats() for sf in insts]
    t0 = time.monotonic()
    ok, failed = {}, []
    for i in range(0, n, batch):
        o, f = sfit.connect_many(topo.cl, family, vip, PORT,
                                 min(batch, n - i), timeout=timeout,
                                 batch=batch)
        ok.update(o)
        failed += f
        time.sleep(pace)
    log(f"{what}: {len(ok)} of {n} connected in "
        f"{time.monotonic() - t0:.1f} s")
    try:
        expect(not failed and len(ok) == n, f"{what}: clients connected",
               n, f"{len(ok)}, failures {failed[:3]}")
        sfit.wait_until(lambda: sum(len(established_ports(sf, family) &
                                        set(ok)) for sf in insts) >= n, 10)
        ports = [established_ports(sf, family) & set(ok) for sf in insts]
        now = [sf.stats() for sf in insts]
        delta = [a["established"] - b["established"] for a, b in
                 zip(now, before)]
        syns = [a["syn_rx"] - b["syn_rx"] for a, b in zip(now, before)]
        log(f"{what}: per instance " + ", ".join(
            f"{sf.tag} established +{d} ({len(p)} events), syn_rx +{y}"
            for sf, p, d, y in zip(insts, ports, delta, syns)) +
            " (syn_rx: retransmitted SYNs too)")
        both = set.intersection(*ports) if len(ports) > 1 else set()
        expect(sum(len(p) for p in ports) == n and not both,
               f"{what}: each client's ESTABLISHED event at one instance",
               n, f"{sum(len(p) for p in ports)} events, "
               f"{len(both)} at both")
        expect(sum(delta) == n, f"{what}: established counters summed", n,
               sum(delta))
    except BaseException:
        sfit.close_all(ok.values())
        raise
    sfit.close_all(ok.values())
    closed(insts, before, what)
    return delta, set(ok)


def closed(insts, before, what):
    """Wait until the clients' connections are closed on every instance
    (conn_active back to before), so that no segment of theirs is still
    on its way when the next check moves a route."""
    def active():
        return [sf.stats()["conn_active"] for sf in insts if sf.running()]
    want = [b["conn_active"] for sf, b in zip(insts, before) if sf.running()]
    left = sfit.wait_until(lambda: active() == want, 10)
    log(f"{what}: clients closed, conn_active {active()} (before {want})")
    expect(left, f"{what}: clients' connections closed", want, active())


# ------------------------------------------------------------- raw segments

def raw_syn(port, rt_mac, sport):
    """A SYN from RAW4:sport; returns (isn, cookie) of its SYN-ACK."""
    return sfraw.syn_cookie(
        port, sport, lambda isn: sfraw.ip4(rt_mac, sfraw.tcp(
            RAW4, VIP4, sport, PORT, seq=isn, opts=MSS_OPT), src=RAW4),
        f"SYN-ACK to port {sport}", timeout=5)


def raw_ack(port, rt_mac, sport, isn, c):
    port.send(sfraw.ip4(rt_mac, sfraw.tcp(RAW4, VIP4, sport, PORT,
                                          seq=isn + 1, ack=c + 1,
                                          flags=sfit.TCP_ACK), src=RAW4))


def made_with(key, sport, isn, c, client=RAW4, opt=OPT_NONE):
    """True when cookie c (of the SYN client:sport, ISN isn) was made with
    key in the window of now or the one before (sfcookie.py)."""
    return c in sfcookie.cookies_v4_recent(
        key, socket.inet_aton(client), socket.inet_aton(VIP4), sport, PORT,
        isn, int(time.time()), (c >> 24) & 7, opt)


def event_opt(e):
    """The cookie's opt byte of an ESTABLISHED event's handshake
    (DESIGN.md): wscale (15: none) | SACK << 4 with timestamps, else
    0x3f."""
    if not e.get("ts"):
        return OPT_NONE
    ws = e.get("wscale_client")
    return (15 if ws is None else ws) | (0x10 if e.get("sack") else 0)


def syns_via(topo, port, sf, sports, key, what):
    """SYNs routed to sf alone; every cookie made with key (checked here).
    Returns {sport: (isn, cookie)}."""
    expect(topo.route([sf.iface]).returncode == 0,
           f"{what}: route to {VIP4} over {sf.tag} alone", "replaced",
           topo.show_route())
    st0 = sf.stats()["synack_tx"]
    out = {sp: raw_syn(port, topo.rt_mac, sp) for sp in sports}
    good = [sp for sp, (isn, c) in out.items() if made_with(key, sp, isn, c)]
    expect(len(good) == len(out) and sf.stats()["synack_tx"] - st0 ==
           len(out), f"{what}: SYN-ACKs from {sf.tag} with cookies of key "
           f"{sfcookie.key_fp(key)} (recomputed here)", len(out),
           f"{len(good)} valid, {sf.tag} synack_tx "
           f"+{sf.stats()['synack_tx'] - st0}")
    return out


def acks_via(topo, port, sf, hs, what):
    """The ACKs of hs routed to sf alone: each completes there."""
    topo.route([sf.iface])
    st0 = sf.stats()
    for sp, (isn, c) in hs.items():
        raw_ack(port, topo.rt_mac, sp, isn, c)
    sfit.wait_until(lambda: len(established_ports(sf) & set(hs)) == len(hs),
                    5)
    st = sf.stats()
    ok = st["ack_cookie_ok"] - st0["ack_cookie_ok"]
    bad = st["ack_cookie_bad"] - st0["ack_cookie_bad"]
    evs = len(established_ports(sf) & set(hs))
    log(f"{what}: {sf.tag} ack_cookie_ok +{ok} ack_cookie_bad +{bad} "
        f"established +{st['established'] - st0['established']} events {evs}")
    expect(ok == len(hs) and bad == 0 and evs == len(hs),
           f"{what}: ACKs completed at {sf.tag}", f"{len(hs)} ok, 0 bad",
           f"{ok} ok, {bad} bad, {evs} events")


# ------------------------------------------------------------------ phases

def phase_clients(topo, insts):
    """200 IPv4 clients (and IPv6 where the router spreads it) over ECMP."""
    devs = [sf.iface for sf in insts]
    expect(topo.route(devs).returncode == 0, "IPv4 ECMP route installed",
           "nexthops over both taps", topo.show_route().replace("\n", " | "))
    delta, _ = clients(topo, insts, 4, N_CLIENTS, "IPv4 ECMP")
    expect(all(d > 0 for d in delta), "IPv4: both instances got clients",
           "> 0 each", delta)
    r6 = topo.route(devs, 6)
    if r6.returncode != 0 or "nexthop" not in topo.show_route(6):
        log(f"IPv6: the router did not build an ECMP route over the VIP as "
            f"onlink gateway ({r6.stdout.strip() or topo.show_route(6)}): "
            f"IPv4 only")
        return
    log(f"IPv6 ECMP route: {topo.show_route(6).replace(chr(10), ' | ')}")
    delta, _ = clients(topo, insts, 6, N_CLIENTS6, "IPv6 ECMP")
    expect(all(d > 0 for d in delta), "IPv6: both instances got clients",
           "> 0 each", delta)


def phase_cross(topo, port, insts, key):
    """A SYN answered by A, its ACK delivered to B."""
    a, b = insts
    hs = syns_via(topo, port, a, [41001], key, "cross-instance")
    st_a = a.stats()
    acks_via(topo, port, b, hs, "cross-instance (SYN-ACK by A)")
    st = a.stats()
    seen = {k: st[k] - st_a[k] for k in ("ack_cookie_ok", "ack_cookie_bad",
                                         "established")}
    expect(not any(seen.values()), "cross-instance: the ACK not at A",
           "no cookie checked at A", seen)
    topo.route([sf.iface for sf in insts])


def roll_split(insts, ports):
    """The clients' SYN-ACK cookies (server_isn of their ESTABLISHED
    events) by key: the roll happened while they connected."""
    split = {"old": 0, "new": 0, "neither": 0}
    for sf in insts:
        for e in sf.events():
            if (e.get("type") != "established" or e.get("family") != 4 or
                    e.get("client_port") not in ports):
                continue
            args = (e["client_port"], e["client_isn"], e["server_isn"],
                    CL4, event_opt(e))
            split["old" if made_with(KEY1, *args) else
                  "new" if made_with(KEY2, *args) else "neither"] += 1
    log(f"clients during the roll: SYN-ACK cookies by key: {split}")
    expect(split["old"] > 0 and split["new"] > 0 and not split["neither"]
           and sum(split.values()) == len(ports),
           "clients during the roll: cookies of the old key, then the new",
           f"both > 0, none of neither key, {len(ports)} in all", split)


def phase_roll(topo, port, insts):
    """SIGHUP with a new key file on both, handshakes in flight."""
    a, b = insts
    check_keys(insts, KEY1, None, 1, "at start")
    inflight = {}
    for sf, sports in ((a, range(42001, 42005)), (b, range(42011, 42015))):
        inflight[sf.tag] = syns_via(topo, port, sf, sports, KEY1,
                                    f"before the roll, {sf.tag}")
    topo.route([sf.iface for sf in insts])
    res = {}

    def roll_clients():
        try:
            res["d"], res["ports"] = clients(
                topo, insts, 4, N_ROLL, "clients during the roll", batch=5,
                pace=0.1)
        except sfit.TestFailure as e:
            res["err"] = str(e)
    bg = threading.Thread(target=roll_clients, daemon=True)
    bg.start()
    time.sleep(0.8)    # after 8 of the clients' 20 batches 0.1 s apart
    for sf in insts:
        sfit.write_secret(sf.secret, KEY2 + "\n")
        sf.proc.send_signal(signal.SIGHUP)
    log(f"SIGHUP sent to A and B: key file now {sfcookie.key_fp(KEY2)}")
    bg.join(90)
    expect(not bg.is_alive() and "d" in res,
           "clients during the roll: all connected", N_ROLL,
           res.get("d", res.get("err", "not finished within 90 s")))
    roll_split(insts, res["ports"])
    check_keys(insts, KEY2, KEY1, 2, "after SIGHUP")
    # In flight across the roll, and each ACK to the other instance.
    acks_via(topo, port, b, inflight[a.tag], "after the roll, A's cookies")
    acks_via(topo, port, a, inflight[b.tag], "after the roll, B's cookies")
    for sf, sports in ((a, range(42021, 42023)), (b, range(42031, 42033))):
        what = f"after the roll, {sf.tag}"
        hs = syns_via(topo, port, sf, sports, KEY2, what)
        old = [sp for sp, (isn, c) in hs.items()
               if made_with(KEY1, sp, isn, c)]
        expect(not old, f"{what}: cookies not of the old key", "none",
               f"{len(old)} of {len(hs)}")
        acks_via(topo, port, sf, hs, f"{what}: new cookies")
    topo.route([sf.iface for sf in insts])


def phase_failover(topo, port, insts, key):
    """B stops with handshakes in flight; the path is withdrawn; the
    handshakes complete at A, and new clients connect through A."""
    a, b = insts
    hs = syns_via(topo, port, b, range(43001, 43005), key, "before B stops")
    topo.route([sf.iface for sf in insts])
    log("stopping B (SIGTERM) in the middle of the run")
    b.check_clean_exit()
    gone = sfit.wait_until(lambda: topo.rt.ip("link", "show", b.iface,
                                              check=False).returncode != 0,
                           10)
    expect(gone, f"B's tap {b.iface} gone", "gone", "gone" if gone else
           "still there")
    left = topo.show_route()
    expect(b.iface not in left, f"route to {VIP4} after B's tap went",
           f"no next hop over {b.iface}", left or "(none)")
    expect(topo.route([a.iface]).returncode == 0,
           f"single path to {VIP4} over A", "installed", topo.show_route())
    acks_via(topo, port, a, hs, "after B stopped, B's cookies")
    delta, _ = clients(topo, [a], 4, N_FAILOVER, "after B stopped")
    expect(delta == [N_FAILOVER], "after B stopped: every client at A",
           N_FAILOVER, delta)


def test(args, sfs):
    t_start = time.monotonic()
    topo = Topology()
    port = None
    insts = []
    try:
        insts = start_instances(args[0], sfs, topo)
        port = sfraw.RawPort(topo.cl, topo.vc)
        phase_clients(topo, insts)
        phase_cross(topo, port, insts, KEY1)
        phase_roll(topo, port, insts)
        phase_failover(topo, port, insts, KEY2)
        insts[0].check_clean_exit()
    finally:
        if port is not None:
            port.close()
        for sf in insts:
            for f in (sf.secret, sf.secret + ".new"):
                with contextlib.suppress(OSError):
                    os.unlink(f)
        topo.delete()
    log(f"fleet test: {time.monotonic() - t_start:.1f} s")


if __name__ == "__main__":
    sfit.main(test)
