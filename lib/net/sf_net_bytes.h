/* SPDX-License-Identifier: BSD-3-Clause */

#ifndef SF_NET_BYTES_H
#define SF_NET_BYTES_H

/**
 * @file
 * Private to lib/net: loads and stores of header fields at any alignment,
 * and the checksum fold shared by the parser and the builders.
 * ld / st convert between network and host order; ldr / str move raw
 * (memory order) words, as checksums and address copies want them.
 */

#include <stdint.h>
#include <string.h>

#include <rte_byteorder.h>

/** Big-endian 16-bit field at p, in host order. */
static inline uint16_t
sf_ld16(const uint8_t *p)
{
	uint16_t v;

	memcpy(&v, p, sizeof(v));
	return rte_be_to_cpu_16(v);
}

/** Big-endian 32-bit field at p, in host order. */
static inline uint32_t
sf_ld32(const uint8_t *p)
{
	uint32_t v;

	memcpy(&v, p, sizeof(v));
	return rte_be_to_cpu_32(v);
}

/** Big-endian 64-bit field at p, in host order. */
static inline uint64_t
sf_ld64(const uint8_t *p)
{
	uint64_t v;

	memcpy(&v, p, sizeof(v));
	return rte_be_to_cpu_64(v);
}

/** Raw 32-bit word at p (memory order). */
static inline uint32_t
sf_ldr32(const uint8_t *p)
{
	uint32_t v;

	memcpy(&v, p, sizeof(v));
	return v;
}

/** Raw 64-bit word at p (memory order). */
static inline uint64_t
sf_ldr64(const uint8_t *p)
{
	uint64_t v;

	memcpy(&v, p, sizeof(v));
	return v;
}

/** Store a host-order value as a big-endian 16-bit field. */
static inline void
sf_st16(uint8_t *p, uint16_t host)
{
	uint16_t v = rte_cpu_to_be_16(host);

	memcpy(p, &v, sizeof(v));
}

/** Store a host-order value as a big-endian 32-bit field. */
static inline void
sf_st32(uint8_t *p, uint32_t host)
{
	uint32_t v = rte_cpu_to_be_32(host);

	memcpy(p, &v, sizeof(v));
}

/** Store a raw 64-bit word (memory order). */
static inline void
sf_str64(void *p, uint64_t v)
{
	memcpy(p, &v, sizeof(v));
}

/**
 * End-around-carry fold of a 64-bit ones' complement sum to 16 bits (not
 * inverted). Adding a value to itself rotated by half its width leaves,
 * in the upper half, the sum of both halves with the carry of the lower
 * half added back in. A sum that verifies folds to 0xffff.
 */
static inline uint16_t
sf_csum_fold(uint64_t s)
{
	uint32_t t;

	t = (uint32_t)((s + (s >> 32 | s << 32)) >> 32);
	return (uint16_t)((t + (t >> 16 | t << 16)) >> 16);
}

#endif /* SF_NET_BYTES_H */
