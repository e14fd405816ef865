/* SPDX-License-Identifier: BSD-3-Clause */

#ifndef SF_RANDOM_H
#define SF_RANDOM_H

/**
 * @file
 * Secret random words, for the keys of the multilinear hashes (the
 * connection shard's signatures, the closed-flow fingerprints) that an
 * attacker must not predict.
 */

#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/random.h>
#include <sys/types.h>

#include <rte_random.h>

#ifdef __cplusplus
extern "C" {
#endif

/**
 * Fill @p len bytes from the kernel (getrandom(): a fresh key, not a
 * stream from a 64-bit seed). rte_rand() (64 bits of seed) is only the
 * fallback should getrandom() fail. A syscall: never on the hot path.
 *
 * @param buf  len bytes
 * @param len  number of bytes
 */
static inline void
sf_random_fill(void *buf, size_t len)
{
	uint8_t *p = buf;
	uint64_t r;
	size_t k;

	if (getrandom(buf, len, 0) == (ssize_t)len)
		return;
	for (; len > 0; p += k, len -= k) {
		r = rte_rand();
		k = len < sizeof(r) ? len : sizeof(r);
		memcpy(p, &r, k);
	}
}

#ifdef __cplusplus
}
#endif

#endif /* SF_RANDOM_H */
