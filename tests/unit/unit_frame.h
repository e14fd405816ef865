/* SPDX-License-Identifier: BSD-3-Clause */

#ifndef SF_UNIT_FRAME_H
#define SF_UNIT_FRAME_H

/**
 * @file
 * Byte helpers for tests that build frames by hand, independently of
 * lib/net (so a bug there cannot hide in the fixtures): big-endian stores
 * and an RFC 1071 checksum written the plain way.
 */

#include <stddef.h>
#include <stdint.h>

/** Ones' complement sum of 16-bit big-endian words of [p, p + len), on top of s. */
static inline uint32_t
sum16(const uint8_t *p, size_t len, uint32_t s)
{
	size_t i;

	for (i = 0; i + 1 < len; i += 2)
		s += (uint32_t)p[i] << 8 | p[i + 1];
	if (len & 1)
		s += (uint32_t)p[len - 1] << 8;
	return s;
}

/** Fold a sum16() result to the 16-bit checksum field value. */
static inline uint16_t
fold(uint32_t s)
{
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return (uint16_t)~s;
}

/** Store v big-endian at p. */
static inline void
put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

/** Store v big-endian at p. */
static inline void
put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

#endif /* SF_UNIT_FRAME_H */
