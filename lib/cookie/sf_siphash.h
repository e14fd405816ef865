/* SPDX-License-Identifier: BSD-3-Clause */

#ifndef SF_SIPHASH_H
#define SF_SIPHASH_H

/**
 * @file
 * SipHash-2-4 (Aumasson & Bernstein), small inline implementation.
 * Output read as the reference implementation does (little-endian u64).
 */

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/** A 128-bit SipHash key: k0 = key bytes 0..7, k1 = bytes 8..15, little-endian. */
struct sf_siphash_key {
	uint64_t k0;
	uint64_t k1;
};

/* TODO(cookie): static inline sf_siphash24() and sf_siphash24_x4(). */

#ifdef __cplusplus
}
#endif

#endif /* SF_SIPHASH_H */
