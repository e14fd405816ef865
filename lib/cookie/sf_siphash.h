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

/** SipHash state: the four 64-bit words v0..v3. */
struct sf_siphash_state {
	uint64_t v0, v1, v2, v3;
};

/** Start a hash under @p key. */
static inline void
sf_siphash_init(struct sf_siphash_state *s, const struct sf_siphash_key *key)
{
	s->v0 = key->k0 ^ SF_SIPHASH_C0;
	s->v1 = key->k1 ^ SF_SIPHASH_C1;
	s->v2 = key->k0 ^ SF_SIPHASH_C2;
	s->v3 = key->k1 ^ SF_SIPHASH_C3;
}

/** Absorb one 64-bit message word (two SipRounds: the "2" of 2-4). */
static inline void
sf_siphash_word(struct sf_siphash_state *s, uint64_t m)
{
	s->v3 ^= m;
	SF_SIPROUND(s->v0, s->v1, s->v2, s->v3);
	SF_SIPROUND(s->v0, s->v1, s->v2, s->v3);
	s->v0 ^= m;
}

/** Finalise (four SipRounds: the "4" of 2-4). @return the hash. */
static inline uint64_t
sf_siphash_final(struct sf_siphash_state *s)
{
	s->v2 ^= SF_SIPHASH_FINAL;
	SF_SIPROUND(s->v0, s->v1, s->v2, s->v3);
	SF_SIPROUND(s->v0, s->v1, s->v2, s->v3);
	SF_SIPROUND(s->v0, s->v1, s->v2, s->v3);
	SF_SIPROUND(s->v0, s->v1, s->v2, s->v3);
	return s->v0 ^ s->v1 ^ s->v2 ^ s->v3;
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
	struct sf_siphash_state s;

	sf_siphash_init(&s, key);
	for (; p != end; p += 8)
		sf_siphash_word(&s, sf_siphash_le64(p));
	sf_siphash_word(&s, sf_siphash_tail(p, len));
	return sf_siphash_final(&s);
}

#ifdef __cplusplus
}
#endif

#endif /* SF_SIPHASH_H */
