#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""A client sends data: the DATA event carries it (and it is acknowledged);
the client closes: the FIN is handled (fin event, synfront's own FIN
reaches the client as EOF) and conn_active returns to 0.

usage: test_data_fin.py SYNFRONT_BINARY
"""

import socket

import sfit
from sfit import expect, log

PAYLOAD = {4: b"hello synfront over IPv4\n", 6: b"GET / HTTP/1.0\r\n\r\n"}


def test(args, sfs):
    sf = sfit.Synfront(args[0], "dat")
    sfs.append(sf)
    sf.start()
    sniffer = sfit.Sniffer(sf.ns, sf.iface)

    for fam, addr in ((4, sfit.VIP4), (6, sfit.VIP6)):
        what = f"IPv{fam} client"
        s, err = sfit.connect_one(sf.ns, fam, addr, sfit.PORT)
        expect(s is not None, f"{what}: connect", "connected",
               "connected" if s is not None else sfit.errname(err))
        port = s.getsockname()[1]
        key = (fam, port)
        s.sendall(PAYLOAD[fam])

        def ev_of(kind):
            return [e for e in sf.events() if e.get("type") == kind and
                    (e.get("family"), e.get("client_port")) == key]
        data = sfit.wait_until(lambda: ev_of("data"), 10)
        expect(len(data) == 1, f"{what}: DATA events", 1, len(data))
        d = data[0]
        expect(d.get("data") == PAYLOAD[fam].decode(),
               f"{what}: DATA event payload", repr(PAYLOAD[fam].decode()),
               repr(d.get("data")))
        expect(d.get("len") == len(PAYLOAD[fam]), f"{what}: DATA event len",
               len(PAYLOAD[fam]), d.get("len"))
        est = ev_of("established")
        expect(est and d.get("seq") == (est[0]["client_isn"] + 1) % 2**32,
               f"{what}: DATA seq is client_isn + 1",
               (est[0]["client_isn"] + 1) % 2**32 if est else "an ESTABLISHED event",
               d.get("seq"))
        # The data is acknowledged: the server's last ACK covers it.
        want_ack = (d.get("seq", 0) + len(PAYLOAD[fam])) % 2**32
        acks = sfit.wait_until(lambda: sniffer.find(
            lambda g: g.family == fam and g.dport == port and
            g.flags & sfit.TCP_ACK and g.ack == want_ack), 5)
        expect(acks, f"{what}: data acknowledged on the wire",
               f"an ACK with ack={want_ack}",
               f"{len(acks)} such ACK(s)" if acks else "none")

        s.shutdown(socket.SHUT_WR)
        s.settimeout(5)
        try:
            rest = s.recv(100)
        except OSError as e:
            rest = f"error {e}"
        expect(rest == b"", f"{what}: synfront closes its side after our FIN",
               "EOF", repr(rest))
        s.close()
        fins = sfit.wait_until(lambda: ev_of("fin"), 10)
        expect(len(fins) == 1, f"{what}: FIN events", 1, len(fins))
        active = sf.wait_stat("conn_active", lambda v: v == 0)
        expect(active == 0, f"{what}: conn_active after the close", 0, active)

    st = sf.stats()
    for name, want in (("data_rx", 2), ("fin_rx", 2), ("established", 2)):
        expect(st.get(name) == want, f"telemetry {name}", want, st.get(name))
    sniffer.stop()
    sf.check_clean_exit()


if __name__ == "__main__":
    sfit.main(test)
