#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""Fault: the connection table is full. synfront runs with
--entries-per-lcore 64 (the smallest); 64 clients fill the shard, EXTRA
more complete their handshake on their side (the final ACK carries a
valid cookie) but find no room.

Checks: conn_active == 64 and conn_full >= EXTRA (each extra client's
final ACK, and its retransmissions, counted); established == 64; the 64
existing connections keep working: each sends a line, gets it
acknowledged (send queue empty, SIOCOUTQ) and its DATA event with that
line is in the consumer's log; SIGTERM then exits 0 with no mbuf in use.

usage: test_fault_table_full.py SYNFRONT_BINARY
"""

import socket
import struct

import sfit
from sfit import expect, log

ENTRIES = 64
EXTRA = 20



def abort(socks):
    """Close with RST (SO_LINGER 0): nothing left to retransmit."""
    for s in socks:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                     struct.pack("ii", 1, 0))
        s.close()


def data_lines(events):
    """{client_port: text handed over} from the DATA events (the log
    consumer writes the payload as a JSON string)."""
    got = {}
    for e in events:
        if e.get("type") == "data":
            got[e["client_port"]] = (got.get(e["client_port"], "") +
                                     str(e.get("data")))
    return got


def test(args, sfs):
    sf = sfit.Synfront(args[0], "tbl", consumer="log",
                       app_args=("--entries-per-lcore", str(ENTRIES)))
    sfs.append(sf)
    sf.start()
    socks, fail = sfit.connect_many(sf.ns, 4, sfit.VIP4, sfit.PORT, ENTRIES)
    expect(len(socks) == ENTRIES, "clients filling the table", ENTRIES,
           f"{len(socks)}, failures {fail[:5]}")
    active = sf.wait_stat("conn_active", lambda v: v == ENTRIES)
    expect(active == ENTRIES, "conn_active with the table full", ENTRIES,
           active)
    extra, fail = sfit.connect_many(sf.ns, 4, sfit.VIP4, sfit.PORT, EXTRA)
    expect(len(extra) == EXTRA, "extra clients connected (their side)",
           EXTRA, f"{len(extra)}, failures {fail[:5]}")
    full = sf.wait_stat("conn_full", lambda v: v >= EXTRA)
    st = sf.stats()
    log(f"figures: conn_full {st['conn_full']}, conn_active "
        f"{st['conn_active']}, established {st['established']}, "
        f"ack_cookie_ok {st['ack_cookie_ok']}")
    expect(full >= EXTRA, "conn_full", f">= {EXTRA}", full)
    expect(st["conn_active"] == ENTRIES and st["established"] == ENTRIES,
           "conn_active and established stay at the table's size",
           ENTRIES, f"{st['conn_active']}, {st['established']}")

    want = {}
    for port, s in socks.items():
        want[port] = f"still working {port}\n"
        s.sendall(want[port].encode())
    done = sfit.wait_until(lambda: all(sfit.outq(s) == 0
                                       for s in socks.values()), 10, 0.1)
    left = [p for p, s in socks.items() if sfit.outq(s) != 0]
    expect(done, "lines of the existing connections acknowledged",
           ENTRIES, ENTRIES - len(left))
    sfit.wait_until(lambda: set(data_lines(sf.events())) >= set(socks), 5)
    got = data_lines(sf.events())
    wrong = [p for p in socks if got.get(p) != want[p]]
    expect(not wrong, "DATA events carrying each existing connection's "
           "line", ENTRIES, f"{ENTRIES - len(wrong)}" +
           (f"; e.g. port {wrong[0]}: {got.get(wrong[0])!r}" if wrong
            else ""))
    abort(extra.values())
    sfit.close_all(socks.values())
    sf.check_clean_exit()


if __name__ == "__main__":
    sfit.main(test)
