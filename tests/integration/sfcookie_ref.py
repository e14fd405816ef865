# SPDX-License-Identifier: BSD-3-Clause
"""The SYN cookie contract of DESIGN.md, recomputed outside synfront
(/usr/bin/python3): SipHash-2-4 from libsodium (the oracle of
tests/unit/test_cookie.c) through ctypes, the message and the bit layout
written out here. A test checks synfront's SYN-ACKs against it, so a
wrong key or a wrong layout cannot pass by agreeing with itself.

    cookie = t << 27 | m << 24 | h        t = T mod 32, T = unix_s / 64
    h = SipHash-2-4(K, saddr daddr sport dport isn T m opt) & 0xffffff
"""

import ctypes
import ctypes.util
import socket
import struct

T_SHIFT = 6
T_MOD = 32
FP_MSG = b"synfront-key-fp1"
OPT_NONE = 0x3F

_sodium = None


def _lib():
    global _sodium
    if _sodium is None:
        name = ctypes.util.find_library("sodium")
        if name is None:
            raise OSError("libsodium not found (package libsodium23)")
        _sodium = ctypes.CDLL(name)
        if _sodium.sodium_init() < 0:
            raise OSError("sodium_init failed")
    return _sodium


def siphash24(key, msg):
    """SipHash-2-4 of msg under the 16-byte key, as an integer (the 8
    output bytes read little-endian, as the reference does)."""
    if len(key) != 16:
        raise ValueError("a SipHash key has 16 bytes")
    out = ctypes.create_string_buffer(8)
    _lib().crypto_shorthash_siphash24(out, msg, ctypes.c_ulonglong(len(msg)),
                                      key)
    return struct.unpack("<Q", out.raw)[0]


def key_bytes(hex32):
    """A key as written in a key file or [cookie] key: 32 hex digits."""
    return bytes.fromhex(hex32)


def key_fp(hex32):
    """The fingerprint of the interface (/synfront/keys): SipHash-2-4 keyed
    with the key over "synfront-key-fp1", low 32 bits, 8 hex digits."""
    return "%08x" % (siphash24(key_bytes(hex32), FP_MSG) & 0xFFFFFFFF)


def _msg(saddr, daddr, sport, dport, isn, T, m, opt):
    af = socket.AF_INET6 if ":" in saddr else socket.AF_INET
    return (socket.inet_pton(af, saddr) + socket.inet_pton(af, daddr) +
            struct.pack("!HHIIBB", sport, dport, isn & 0xFFFFFFFF,
                        T & 0xFFFFFFFF, m, opt))


def cookie(hex32, saddr, daddr, sport, dport, isn, T, m, opt=OPT_NONE):
    """The cookie made in window T (saddr/sport: the client's)."""
    h = siphash24(key_bytes(hex32),
                  _msg(saddr, daddr, sport, dport, isn, T, m, opt))
    return ((T % T_MOD) << 27) | (m << 24) | (h & 0xFFFFFF)


def made_with(hex32, c, saddr, daddr, sport, dport, isn, now,
              opt=OPT_NONE):
    """True when cookie c was made under key hex32 for this flow, in the
    window of unix time now or the one before (the windows a cookie
    validates in)."""
    m = (c >> 24) & 7
    for T in (int(now) >> T_SHIFT, (int(now) >> T_SHIFT) - 1):
        if cookie(hex32, saddr, daddr, sport, dport, isn, T, m, opt) == c:
            return True
    return False
