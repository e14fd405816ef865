# SPDX-License-Identifier: BSD-3-Clause
"""The cookie contract of DESIGN.md in Python, written from the text (not
from the C code): SipHash-2-4, the IPv4 cookie, the key fingerprint. Tests
use it to check synfront's cookies independently.
"""

import struct
import sys

M64 = (1 << 64) - 1
FP_MSG = b"synfront-key-fp1"
MSS_V4 = (536, 1220, 1300, 1360, 1400, 1440, 1460, 8960)


def _rotl(x, b):
    return ((x << b) | (x >> (64 - b))) & M64


def siphash24(key16, msg):
    """SipHash-2-4 of msg under the 16-byte key, as an integer (the
    reference's little-endian u64)."""
    k0, k1 = struct.unpack("<QQ", key16)
    v = [k0 ^ 0x736f6d6570736575, k1 ^ 0x646f72616e646f6d,
         k0 ^ 0x6c7967656e657261, k1 ^ 0x7465646279746573]

    def rnd():
        v[0] = (v[0] + v[1]) & M64
        v[1] = _rotl(v[1], 13) ^ v[0]
        v[0] = _rotl(v[0], 32)
        v[2] = (v[2] + v[3]) & M64
        v[3] = _rotl(v[3], 16) ^ v[2]
        v[0] = (v[0] + v[3]) & M64
        v[3] = _rotl(v[3], 21) ^ v[0]
        v[2] = (v[2] + v[1]) & M64
        v[1] = _rotl(v[1], 17) ^ v[2]
        v[2] = _rotl(v[2], 32)

    n = len(msg)
    tail = msg[n - n % 8:] + bytes(7 - n % 8) + bytes([n & 0xff])
    for i in range(0, n - n % 8, 8):
        m, = struct.unpack_from("<Q", msg, i)
        v[3] ^= m
        rnd()
        rnd()
        v[0] ^= m
    m, = struct.unpack("<Q", tail)
    v[3] ^= m
    rnd()
    rnd()
    v[0] ^= m
    v[2] ^= 0xff
    for _ in range(4):
        rnd()
    return v[0] ^ v[1] ^ v[2] ^ v[3]


def key_bytes(hex32):
    return bytes.fromhex(hex32)


def key_fp(hex32):
    """Fingerprint of a key: the low 32 bits of SipHash-2-4 keyed with it
    over "synfront-key-fp1", as 8 lowercase hex digits."""
    return "%08x" % (siphash24(key_bytes(hex32), FP_MSG) & 0xFFFFFFFF)


def cookie_v4(hex32, saddr, daddr, sport, dport, isn, t_count, m, opt):
    """The IPv4 cookie: t (5 bits) | m (3 bits) | h (24 bits); addresses
    as 4 bytes, T the full counter unix_s // 64."""
    msg = (saddr + daddr + struct.pack(">HHII", sport, dport, isn,
                                       t_count & 0xFFFFFFFF)
           + bytes([m, opt]))
    h = siphash24(key_bytes(hex32), msg) & 0xFFFFFF
    return ((t_count & 31) << 27) | (m << 24) | h


def cookies_v4_recent(hex32, saddr, daddr, sport, dport, isn, unix_s, m,
                      opt):
    """The IPv4 cookies of this SYN in the 64 s window of unix_s and the
    one before (a SYN-ACK may straddle a window boundary), as a set."""
    t = unix_s // 64
    return {cookie_v4(hex32, saddr, daddr, sport, dport, isn, tt, m, opt)
            for tt in (t - 1, t)}


if __name__ == "__main__":
    # the reference vector of SipHash-2-4 (key 00..0f, message 00..0e);
    # the unit suite runs this (sfcookie_vector): exit 1 on a mismatch.
    k = bytes(range(16)).hex()
    got = siphash24(bytes(range(16)), bytes(range(15)))
    if got != 0xa129ca6149be45e5:
        sys.exit(f"sfcookie: SipHash-2-4 reference vector: expected "
                 f"0xa129ca6149be45e5, saw {got:#018x}")
    print("fp", k, key_fp(k))
    print("fp", "5f3a9c1e7b2d4086a1c3e5f70819b2d4",
          key_fp("5f3a9c1e7b2d4086a1c3e5f70819b2d4"))
