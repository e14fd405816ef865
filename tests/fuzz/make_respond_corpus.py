#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""Seed corpus of fuzz_respond from the parse seeds (no scapy needed).

Each input is: ctl byte, rx-flags byte, 8 clock bytes, then chunks of
(length byte, frame bytes); see tests/fuzz/fuzz_respond.c. Frames longer
than 255 bytes are cut, which the harness handles like any input.

    /usr/bin/python3 tests/fuzz/make_respond_corpus.py
"""

import os
import struct

HERE = os.path.dirname(os.path.abspath(__file__))
SRC = os.path.join(HERE, "corpus", "parse")
DST = os.path.join(HERE, "corpus", "respond")

# ctl bits: PREINSERT 1, LAST_ACK 2, CONN_TS 4, RING_FULL 8, NO_TS 16,
# DROP 32, OFFLOAD 64, SMALL_MTU 128.
CTLS = [0x00, 0x01, 0x05, 0x03, 0x09, 0x10, 0x20, 0x40, 0x80]
CLOCK = struct.pack("<Q", 1700000000 * 1000)


def chunk(frame):
    frame = frame[:255]
    return bytes([len(frame)]) + frame


def main():
    os.makedirs(DST, exist_ok=True)
    names = sorted(n for n in os.listdir(SRC) if not n.startswith("."))
    frames = {}
    for n in names:
        with open(os.path.join(SRC, n), "rb") as f:
            frames[n] = f.read()
    count = 0
    for n in names:
        for ctl in CTLS:
            data = bytes([ctl, 0]) + CLOCK + chunk(frames[n])
            with open(os.path.join(DST, "%s-ctl%02x" % (n, ctl)), "wb") as f:
                f.write(data)
            count += 1
    # Bursts of up to 8 frames of different kinds, in name order.
    for i in range(0, len(names), 8):
        group = names[i:i + 8]
        for ctl in (0x00, 0x01):
            data = bytes([ctl, 0]) + CLOCK
            data += b"".join(chunk(frames[n]) for n in group)
            with open(os.path.join(DST, "burst%02d-ctl%02x" % (i // 8, ctl)),
                      "wb") as f:
                f.write(data)
            count += 1
    print("wrote %d inputs to %s" % (count, DST))


if __name__ == "__main__":
    main()
