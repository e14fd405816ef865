/* SPDX-License-Identifier: BSD-3-Clause */

#ifndef SF_SIPHASH_H
#define SF_SIPHASH_H

/**
 * @file
 * SipHash-2-4 (Aumasson & Bernstein), small inline implementation.
 * Output read as the reference implementation does (little-endian u64).
 *
 * Message words are loaded with memcpy (any alignment) and read
 * little-endian, as the reference does; the last block carries the
 * remaining 0..7 bytes and (len mod 256) in its top byte:
 *
 *      byte  7      6 ... 0
 *          +------+---------------------------+
 *          | len  | tail bytes, zero padded   |
 *          +------+---------------------------+
 */

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#ifdef __cplusplus
extern "C" {
#endif

/** A 128-bit SipHash key: k0 = key bytes 0..7, k1 = bytes 8..15, little-endian. */
struct sf_siphash_key {
	uint64_t k0;
	uint64_t k1;
};

/* "somepseudorandomlygeneratedbytes", the initial state constants. */
#define SF_SIPHASH_C0	UINT64_C(0x736f6d6570736575)
#define SF_SIPHASH_C1	UINT64_C(0x646f72616e646f6d)
#define SF_SIPHASH_C2	UINT64_C(0x6c7967656e657261)
#define SF_SIPHASH_C3	UINT64_C(0x7465646279746573)
#define SF_SIPHASH_FINAL	UINT64_C(0xff)	/**< XORed into v2 before finalisation */

static inline uint64_t
sf_siphash_rotl(uint64_t x, unsigned int b)
{
	return (x << b) | (x >> (64 - b));
}

/* One SipRound on the state v[0..3]. */
#define SF_SIPROUND(v0, v1, v2, v3) do {				\
	(v0) += (v1); (v1) = sf_siphash_rotl((v1), 13); (v1) ^= (v0);	\
	(v0) = sf_siphash_rotl((v0), 32);				\
	(v2) += (v3); (v3) = sf_siphash_rotl((v3), 16); (v3) ^= (v2);	\
	(v0) += (v3); (v3) = sf_siphash_rotl((v3), 21); (v3) ^= (v0);	\
	(v2) += (v1); (v1) = sf_siphash_rotl((v1), 17); (v1) ^= (v2);	\
	(v2) = sf_siphash_rotl((v2), 32);				\
} while (0)

/* Little-endian 64-bit load from any alignment. */
static inline uint64_t
sf_siphash_le64(const uint8_t *p)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	uint64_t w;

	memcpy(&w, p, sizeof(w));
	return w;
#else
	return (uint64_t)p[0] | (uint64_t)p[1] << 8 | (uint64_t)p[2] << 16 |
		(uint64_t)p[3] << 24 | (uint64_t)p[4] << 32 |
		(uint64_t)p[5] << 40 | (uint64_t)p[6] << 48 |
		(uint64_t)p[7] << 56;
#endif
}

/* Last block: the 0..7 tail bytes at p, little-endian, with len << 56. */
static inline uint64_t
sf_siphash_tail(const uint8_t *p, size_t len)
{
	uint64_t b = (uint64_t)len << 56;
	size_t r = len & 7;

	while (r-- > 0)
		b |= (uint64_t)p[r] << (8 * r);
	return b;
}

/**
 * SipHash-2-4 of one message.
 *
 * @param key  128-bit key
 * @param msg  message bytes (any alignment)
 * @param len  message length
 * @return the 64-bit hash (the reference's 8 output bytes read little-endian).
 */
static inline uint64_t
sf_siphash24(const struct sf_siphash_key *key, const void *msg, size_t len)
{
	const uint8_t *p = (const uint8_t *)msg;
	const uint8_t *end = p + (len & ~(size_t)7);
	uint64_t v0 = key->k0 ^ SF_SIPHASH_C0;
	uint64_t v1 = key->k1 ^ SF_SIPHASH_C1;
	uint64_t v2 = key->k0 ^ SF_SIPHASH_C2;
	uint64_t v3 = key->k1 ^ SF_SIPHASH_C3;
	uint64_t m;

	for (; p != end; p += 8) {
		m = sf_siphash_le64(p);
		v3 ^= m;
		SF_SIPROUND(v0, v1, v2, v3);
		SF_SIPROUND(v0, v1, v2, v3);
		v0 ^= m;
	}
	m = sf_siphash_tail(p, len);
	v3 ^= m;
	SF_SIPROUND(v0, v1, v2, v3);
	SF_SIPROUND(v0, v1, v2, v3);
	v0 ^= m;

	v2 ^= SF_SIPHASH_FINAL;
	SF_SIPROUND(v0, v1, v2, v3);
	SF_SIPROUND(v0, v1, v2, v3);
	SF_SIPROUND(v0, v1, v2, v3);
	SF_SIPROUND(v0, v1, v2, v3);
	return v0 ^ v1 ^ v2 ^ v3;
}

/**
 * SipHash-2-4 of four messages of the same length, computed in lockstep
 * so that the CPU overlaps the four dependency chains. out[i] equals
 * sf_siphash24(key, msg[i], len).
 *
 * @param key  128-bit key, shared by the four lanes
 * @param msg  four message pointers (any alignment; may be equal)
 * @param len  length of every message
 * @param out  the four hashes
 */
static inline void
sf_siphash24_x4(const struct sf_siphash_key *key, const uint8_t *const msg[4],
		size_t len, uint64_t out[4])
{
	const size_t full = len & ~(size_t)7;
	uint64_t a0, a1, a2, a3;	/* lane 0 */
	uint64_t b0, b1, b2, b3;	/* lane 1 */
	uint64_t c0, c1, c2, c3;	/* lane 2 */
	uint64_t d0, d1, d2, d3;	/* lane 3 */
	uint64_t ma, mb, mc, md;
	size_t off;
	int i;

	a0 = b0 = c0 = d0 = key->k0 ^ SF_SIPHASH_C0;
	a1 = b1 = c1 = d1 = key->k1 ^ SF_SIPHASH_C1;
	a2 = b2 = c2 = d2 = key->k0 ^ SF_SIPHASH_C2;
	a3 = b3 = c3 = d3 = key->k1 ^ SF_SIPHASH_C3;

	/* Compression: full blocks, then the tail block (off == full). */
	for (off = 0; off <= full; off += 8) {
		if (off < full) {
			ma = sf_siphash_le64(msg[0] + off);
			mb = sf_siphash_le64(msg[1] + off);
			mc = sf_siphash_le64(msg[2] + off);
			md = sf_siphash_le64(msg[3] + off);
		} else {
			ma = sf_siphash_tail(msg[0] + off, len);
			mb = sf_siphash_tail(msg[1] + off, len);
			mc = sf_siphash_tail(msg[2] + off, len);
			md = sf_siphash_tail(msg[3] + off, len);
		}
		a3 ^= ma;
		b3 ^= mb;
		c3 ^= mc;
		d3 ^= md;
		for (i = 0; i < 2; i++) {
			SF_SIPROUND(a0, a1, a2, a3);
			SF_SIPROUND(b0, b1, b2, b3);
			SF_SIPROUND(c0, c1, c2, c3);
			SF_SIPROUND(d0, d1, d2, d3);
		}
		a0 ^= ma;
		b0 ^= mb;
		c0 ^= mc;
		d0 ^= md;
	}

	/* Finalisation. */
	a2 ^= SF_SIPHASH_FINAL;
	b2 ^= SF_SIPHASH_FINAL;
	c2 ^= SF_SIPHASH_FINAL;
	d2 ^= SF_SIPHASH_FINAL;
	for (i = 0; i < 4; i++) {
		SF_SIPROUND(a0, a1, a2, a3);
		SF_SIPROUND(b0, b1, b2, b3);
		SF_SIPROUND(c0, c1, c2, c3);
		SF_SIPROUND(d0, d1, d2, d3);
	}
	out[0] = a0 ^ a1 ^ a2 ^ a3;
	out[1] = b0 ^ b1 ^ b2 ^ b3;
	out[2] = c0 ^ c1 ^ c2 ^ c3;
	out[3] = d0 ^ d1 ^ d2 ^ d3;
}

#ifdef __cplusplus
}
#endif

#endif /* SF_SIPHASH_H */
