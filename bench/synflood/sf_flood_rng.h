/* SPDX-License-Identifier: BSD-3-Clause */

#ifndef SF_FLOOD_RNG_H
#define SF_FLOOD_RNG_H

/**
 * @file
 * The generator's random numbers and its keyed flow hash.
 *
 * sf_flood_rng() is splitmix64 (Steele, Lea, Flood, "Fast splittable
 * pseudorandom number generators", 2014): one 64-bit state, two
 * multiplications per 64 bits, good enough to spread addresses, ports and
 * ISNs, and far cheaper than rte_rand() per packet.
 *
 * sf_flood_hash() derives a SYN's ISN from its 4-tuple and a secret key,
 * so that a SYN-ACK is validated without any table: it answers a SYN we
 * sent iff its ack == (uint32_t)hash + 1. The high 32 bits decide whether
 * the flow is a legitimate one (it answers the SYN-ACK with an ACK). It is
 * the murmur3 64-bit finaliser over key-mixed words: not cryptographic,
 * only unpredictable enough that a target cannot pass for us by chance.
 */

#include <stdint.h>
#include <string.h>

#ifdef __cplusplus
extern "C" {
#endif

/** The keyed hash's secret. */
struct sf_flood_key {
	uint64_t k0;	/**< first key word */
	uint64_t k1;	/**< second key word */
};

/**
 * Next 64 random bits.
 *
 * @param state  the generator's state (any value is a valid seed)
 * @return 64 random bits.
 */
static inline uint64_t
sf_flood_rng(uint64_t *state)
{
	uint64_t z = (*state += UINT64_C(0x9e3779b97f4a7c15));

	z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
	z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
	return z ^ (z >> 31);
}

/* murmur3's fmix64: every input bit flips each output bit with p ~ 1/2. */
static inline uint64_t
sf_flood_fmix(uint64_t h)
{
	h ^= h >> 33;
	h *= UINT64_C(0xff51afd7ed558ccd);
	h ^= h >> 33;
	h *= UINT64_C(0xc4ceb9fe1a85ec53);
	return h ^ (h >> 33);
}

static inline uint64_t
sf_flood_rotl(uint64_t x, unsigned int r)
{
	return (x << r) | (x >> (64 - r));
}

/**
 * Keyed hash of a flow as the generator sends it.
 *
 *     h = fmix(k0 ^ src[0..7] ^ rotl(dst[0..7], 17))
 *     h = fmix(h ^ k1 ^ src[8..15] ^ rotl(dst[8..15], 29) ^ sport << 16 ^ dport)
 *
 * Addresses are 16 bytes, network order, IPv4 in the first 4 bytes and the
 * rest zero (as in struct sf_flow); ports in network order.
 *
 * @param k      the key
 * @param src    our (source) address
 * @param dst    the target's address
 * @param sport  our port, network order
 * @param dport  the target's port, network order
 * @return the hash: ISN in the low 32 bits, legitimacy draw in the high.
 */
static inline uint64_t
sf_flood_hash(const struct sf_flood_key *k, const uint8_t *src,
	      const uint8_t *dst, uint16_t sport, uint16_t dport)
{
	uint64_t s0, s1, d0, d1;

	memcpy(&s0, src, 8);
	memcpy(&s1, src + 8, 8);
	memcpy(&d0, dst, 8);
	memcpy(&d1, dst + 8, 8);
	uint64_t h = sf_flood_fmix(k->k0 ^ s0 ^ sf_flood_rotl(d0, 17));

	return sf_flood_fmix(h ^ k->k1 ^ s1 ^ sf_flood_rotl(d1, 29) ^
			     ((uint64_t)sport << 16) ^ dport);
}

#ifdef __cplusplus
}
#endif

#endif /* SF_FLOOD_RNG_H */
