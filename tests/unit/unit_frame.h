/* SPDX-License-Identifier: BSD-3-Clause */

#ifndef SF_UNIT_FRAME_H
#define SF_UNIT_FRAME_H

/**
 * @file
 * The checksum helpers of the test frame builder (tests/frame/fr_frame.h)
 * under the short names test_respond's reply checks use. They only
 * forward: the tests have one RFC 1071 implementation, fr_frame's.
 * (Once those checks call fr_sum16()/fr_fold() directly, this header can
 * go.)
 */

#include <stddef.h>
#include <stdint.h>

#include "fr_frame.h"

/**
 * Ones' complement sum of the 16-bit big-endian words of [p, p + len).
 *
 * @param p    first byte
 * @param len  bytes
 * @param s    sum so far
 * @return fr_sum16(p, len, s).
 */
static inline uint32_t
sum16(const uint8_t *p, size_t len, uint32_t s)
{
	return fr_sum16(p, len, s);
}

/**
 * Fold a sum16() result to the 16-bit checksum field value (inverted: a
 * region that verifies gives 0).
 *
 * @param s  a sum
 * @return ~fr_fold(s).
 */
static inline uint16_t
fold(uint32_t s)
{
	return (uint16_t)~fr_fold(s);
}

#endif /* SF_UNIT_FRAME_H */
