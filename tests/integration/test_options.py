#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""TCP options as negotiated with real Linux clients:
- timestamps, SACK and window scaling off in the client's namespace: the
  ESTABLISHED event shows ts false, sack false, wscale_client null (and
  wscale_server null: without timestamps the cookie carries no options);
- defaults on: ts true, sack true, wscale_client a number;
- small MTU on the client side (1280, then 576 for IPv4): the event's MSS
  is within [smallest table entry, client's MSS from its SYN].

usage: test_options.py SYNFRONT_BINARY
"""

import sfit
from sfit import expect, log

SYSCTLS = ("net.ipv4.tcp_timestamps", "net.ipv4.tcp_sack",
           "net.ipv4.tcp_window_scaling")


def one_client(sf, sniffer, family, what):
    """Connect one client, return (event, its captured SYN)."""
    addr = sfit.VIP4 if family == 4 else sfit.VIP6
    s, err = sfit.connect_one(sf.ns, family, addr, sfit.PORT)
    expect(s is not None, f"{what}: connect to {addr}:{sfit.PORT}",
           "connected",
           "connected" if s is not None else sfit.errname(err))
    port = s.getsockname()[1]
    key = (family, port)

    def event():
        for e in sf.events():
            if (e.get("type") == "established" and
                    (e.get("family"), e.get("client_port")) == key):
                return e
        return None
    ev = sfit.wait_until(event, 10)
    expect(ev is not None, f"{what}: ESTABLISHED event for client port "
           f"{port}", "one", "one" if ev else "none")
    sfit.wait_until(lambda: sniffer.handshakes().get(key, {}).get("syn"), 5)
    syn = sniffer.handshakes().get(key, {}).get("syn")
    expect(syn is not None, f"{what}: client's SYN captured", "one",
           "one" if syn is not None else "none")
    s.close()
    log(f"{what}: SYN options {syn.opts}; event mss={ev.get('mss')} "
        f"wscale_client={ev.get('wscale_client')} "
        f"wscale_server={ev.get('wscale_server')} sack={ev.get('sack')} "
        f"ts={ev.get('ts')}")
    return ev, syn


def test(args, sfs):
    sf = sfit.Synfront(args[0], "opt")
    sfs.append(sf)
    sf.start()
    sniffer = sfit.Sniffer(sf.ns, sf.iface)

    # Defaults: Linux offers all three options.
    for fam in (4, 6):
        ev, syn = one_client(sf, sniffer, fam, f"IPv{fam} default client")
        expect(ev.get("ts") is True, f"IPv{fam} default client: ts", True,
               ev.get("ts"))
        expect(ev.get("sack") is True, f"IPv{fam} default client: sack",
               True, ev.get("sack"))
        expect(ev.get("wscale_client") == syn.opts.get("wscale"),
               f"IPv{fam} default client: wscale_client equals the SYN's",
               syn.opts.get("wscale"), ev.get("wscale_client"))

    # Options off inside the namespace.
    for k in SYSCTLS:
        sf.ns.sysctl(k, 0)
    for fam in (4, 6):
        what = f"IPv{fam} client without ts/sack/wscale"
        ev, syn = one_client(sf, sniffer, fam, what)
        expect(not ({"ts", "sack_perm", "wscale"} & set(syn.opts)),
               f"{what}: its SYN carries none of them", "none",
               sorted(syn.opts))
        expect(ev.get("ts") is False, f"{what}: ts", False, ev.get("ts"))
        expect(ev.get("sack") is False, f"{what}: sack", False, ev.get("sack"))
        expect("wscale_client" in ev and ev["wscale_client"] is None,
               f"{what}: wscale_client", "null", ev.get("wscale_client", "absent"))
        expect("wscale_server" in ev and ev["wscale_server"] is None,
               f"{what}: wscale_server", "null", ev.get("wscale_server", "absent"))
    for k in SYSCTLS:
        sf.ns.sysctl(k, 1)

    # Small MTUs: 1280 for both families, then 576 for IPv4 (576 removes
    # IPv6 from the interface, so it comes last).
    for mtu, fams in ((1280, (4, 6)), (576, (4,))):
        sf.ns.ip("link", "set", "dev", sf.iface, "mtu", str(mtu))
        for fam in fams:
            what = f"IPv{fam} client with MTU {mtu}"
            ev, syn = one_client(sf, sniffer, fam, what)
            cmss = syn.opts.get("mss")
            lo = sfit.MSS_MIN[fam]
            expect(cmss is not None and cmss <= mtu - (40 if fam == 4 else 60),
                   f"{what}: the SYN's MSS fits the MTU",
                   f"<= {mtu - (40 if fam == 4 else 60)}", cmss)
            mss = ev.get("mss")
            expect(isinstance(mss, int) and lo <= mss <= cmss,
                   f"{what}: event mss within [{lo}, client MSS {cmss}]",
                   f"{lo}..{cmss}", mss)
    sniffer.stop()
    sf.check_clean_exit()


if __name__ == "__main__":
    sfit.main(test)
