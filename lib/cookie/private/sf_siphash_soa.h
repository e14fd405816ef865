/* SPDX-License-Identifier: BSD-3-Clause */

#ifndef SF_SIPHASH_SOA_H
#define SF_SIPHASH_SOA_H

/**
 * @file
 * SipHash-2-4 of many messages of the same length at once (private to
 * lib/cookie, its unit test and its benchmark).
 *
 * The messages are given as their 64-bit words, laid out structure of
 * arrays so that a vector load takes word j of consecutive messages:
 *
 *      w[j * stride + i] = word j of message i,   j = 0 .. nw - 1
 *
 *                  lane 0   lane 1   lane 2        lane n-1
 *      word 0    +--------+--------+--------+ ... +--------+
 *      word 1    |        |        |        |     |        |  stride
 *      ...       |        |        |        |     |        |  apart
 *      word nw-1 | tail   | tail   | tail   |     | tail   |
 *                +--------+--------+--------+ ... +--------+
 *
 * A message of len bytes has nw = len / 8 + 1 words: len / 8 full words
 * sf_siphash_le64() and the tail word sf_siphash_tail() (len << 56).
 *
 * Paths, chosen at compile time:
 *  - AVX-512F: 8 lanes per zmm, rotations by vprolq, up to 4 zmm in flight;
 *  - AVX2: 4 lanes per ymm, rotations by shifts (16 and 32 by shuffles);
 *  - otherwise one message after the other (scalar, as sf_siphash24()).
 */

#include <stddef.h>
#include <stdint.h>

#if defined(__AVX512F__) || defined(__AVX2__)
#include <immintrin.h>
#endif

#include "sf_siphash.h"

#ifdef __cplusplus
extern "C" {
#endif

#if defined(__AVX512F__)
#define SF_SIPHASH_SOA_ISA	"avx512"
#define SF_SIPHASH_SOA_VLANES	8	/**< lanes per vector */
#elif defined(__AVX2__)
#define SF_SIPHASH_SOA_ISA	"avx2"
#define SF_SIPHASH_SOA_VLANES	4
#else
#define SF_SIPHASH_SOA_ISA	"scalar"
#define SF_SIPHASH_SOA_VLANES	1
#endif

#define SF_SIPHASH_SOA_INLINE	static inline __attribute__((always_inline))

/**
 * Store message @p msg of @p len bytes as lane @p lane of the word array
 * @p w (nw = len / 8 + 1 words, @p stride apart).
 */
static inline void
sf_siphash_soa_put(uint64_t *w, size_t stride, unsigned int lane,
		   const void *msg, size_t len)
{
	const uint8_t *p = (const uint8_t *)msg;
	size_t j;

	for (j = 0; j < len / 8; j++)
		w[j * stride + lane] = sf_siphash_le64(p + 8 * j);
	w[j * stride + lane] = sf_siphash_tail(p + 8 * j, len);
}

/**
 * Scalar reference of sf_siphash24_soa(): one message after the other.
 */
static inline void
sf_siphash24_soa_scalar(const struct sf_siphash_key *key, const uint64_t *w,
			unsigned int nw, size_t stride, unsigned int n,
			uint64_t *out)
{
	struct sf_siphash_state s;
	unsigned int i, j;

	for (i = 0; i < n; i++) {
		sf_siphash_init(&s, key);
		for (j = 0; j < nw; j++)
			sf_siphash_word(&s, w[j * stride + i]);
		out[i] = sf_siphash_final(&s);
	}
}

#if defined(__AVX512F__)

#define SF_SIPROUND_512(v0, v1, v2, v3) do {				\
	(v0) = _mm512_add_epi64((v0), (v1));				\
	(v1) = _mm512_rol_epi64((v1), 13);				\
	(v1) = _mm512_xor_si512((v1), (v0));				\
	(v0) = _mm512_rol_epi64((v0), 32);				\
	(v2) = _mm512_add_epi64((v2), (v3));				\
	(v3) = _mm512_rol_epi64((v3), 16);				\
	(v3) = _mm512_xor_si512((v3), (v2));				\
	(v0) = _mm512_add_epi64((v0), (v3));				\
	(v3) = _mm512_rol_epi64((v3), 21);				\
	(v3) = _mm512_xor_si512((v3), (v0));				\
	(v2) = _mm512_add_epi64((v2), (v1));				\
	(v1) = _mm512_rol_epi64((v1), 17);				\
	(v1) = _mm512_xor_si512((v1), (v2));				\
	(v2) = _mm512_rol_epi64((v2), 32);				\
} while (0)

/*
 * g groups of 8 lanes (g constant after inlining) starting at lane 0 of
 * w / out; lanes outside mask k are neither read nor written.
 */
SF_SIPHASH_SOA_INLINE void
sf_siphash24_soa_512(const struct sf_siphash_key *key, const uint64_t *w,
		     unsigned int nw, size_t stride, unsigned int g,
		     __mmask8 k, uint64_t *out)
{
	__m512i v0[4], v1[4], v2[4], v3[4], m[4];
	unsigned int j, r, q;

	for (q = 0; q < g; q++) {
		v0[q] = _mm512_set1_epi64((long long)(key->k0 ^ SF_SIPHASH_C0));
		v1[q] = _mm512_set1_epi64((long long)(key->k1 ^ SF_SIPHASH_C1));
		v2[q] = _mm512_set1_epi64((long long)(key->k0 ^ SF_SIPHASH_C2));
		v3[q] = _mm512_set1_epi64((long long)(key->k1 ^ SF_SIPHASH_C3));
	}
	for (j = 0; j < nw; j++) {
		for (q = 0; q < g; q++) {
			m[q] = _mm512_maskz_loadu_epi64(k,
				&w[j * stride + 8 * q]);
			v3[q] = _mm512_xor_si512(v3[q], m[q]);
		}
		for (r = 0; r < 2; r++)
			for (q = 0; q < g; q++)
				SF_SIPROUND_512(v0[q], v1[q], v2[q], v3[q]);
		for (q = 0; q < g; q++)
			v0[q] = _mm512_xor_si512(v0[q], m[q]);
	}
	for (q = 0; q < g; q++)
		v2[q] = _mm512_xor_si512(v2[q],
					 _mm512_set1_epi64(SF_SIPHASH_FINAL));
	for (r = 0; r < 4; r++)
		for (q = 0; q < g; q++)
			SF_SIPROUND_512(v0[q], v1[q], v2[q], v3[q]);
	for (q = 0; q < g; q++) {
		/* 0x96: a ^ b ^ c */
		v0[q] = _mm512_ternarylogic_epi64(v0[q], v1[q], v2[q], 0x96);
		_mm512_mask_storeu_epi64(&out[8 * q], k,
					 _mm512_xor_si512(v0[q], v3[q]));
	}
}

#elif defined(__AVX2__)

static inline __m256i
sf_siphash_rotl256(__m256i x, int b)
{
	return _mm256_or_si256(_mm256_slli_epi64(x, b),
			       _mm256_srli_epi64(x, 64 - b));
}

/* Rotate each 64-bit lane left by 16: bytes move up by two. */
#define SF_SIPHASH_ROT16_256	_mm256_setr_epi8(			\
	6, 7, 0, 1, 2, 3, 4, 5, 14, 15, 8, 9, 10, 11, 12, 13,		\
	6, 7, 0, 1, 2, 3, 4, 5, 14, 15, 8, 9, 10, 11, 12, 13)
/* Rotate each 64-bit lane by 32: swap its two 32-bit halves. */
#define SF_SIPHASH_ROT32_256(x)	_mm256_shuffle_epi32((x), 0xb1)

#define SF_SIPROUND_256(v0, v1, v2, v3, rot16) do {			\
	(v0) = _mm256_add_epi64((v0), (v1));				\
	(v1) = sf_siphash_rotl256((v1), 13);				\
	(v1) = _mm256_xor_si256((v1), (v0));				\
	(v0) = SF_SIPHASH_ROT32_256(v0);				\
	(v2) = _mm256_add_epi64((v2), (v3));				\
	(v3) = _mm256_shuffle_epi8((v3), (rot16));			\
	(v3) = _mm256_xor_si256((v3), (v2));				\
	(v0) = _mm256_add_epi64((v0), (v3));				\
	(v3) = sf_siphash_rotl256((v3), 21);				\
	(v3) = _mm256_xor_si256((v3), (v0));				\
	(v2) = _mm256_add_epi64((v2), (v1));				\
	(v1) = sf_siphash_rotl256((v1), 17);				\
	(v1) = _mm256_xor_si256((v1), (v2));				\
	(v2) = SF_SIPHASH_ROT32_256(v2);				\
} while (0)

/*
 * g groups of 4 lanes (g, full constant after inlining) starting at lane 0
 * of w / out. Unless full, lanes whose mask element has its top bit clear
 * are neither read nor written (vpmaskmovq, slow to store on AMD: only for
 * the last lanes).
 */
SF_SIPHASH_SOA_INLINE void
sf_siphash24_soa_256(const struct sf_siphash_key *key, const uint64_t *w,
		     unsigned int nw, size_t stride, unsigned int g, int full,
		     __m256i k, uint64_t *out)
{
	const __m256i rot16 = SF_SIPHASH_ROT16_256;
	__m256i v0[2], v1[2], v2[2], v3[2], m[2];
	unsigned int j, r, q;

	for (q = 0; q < g; q++) {
		v0[q] = _mm256_set1_epi64x((long long)(key->k0 ^ SF_SIPHASH_C0));
		v1[q] = _mm256_set1_epi64x((long long)(key->k1 ^ SF_SIPHASH_C1));
		v2[q] = _mm256_set1_epi64x((long long)(key->k0 ^ SF_SIPHASH_C2));
		v3[q] = _mm256_set1_epi64x((long long)(key->k1 ^ SF_SIPHASH_C3));
	}
	for (j = 0; j < nw; j++) {
		for (q = 0; q < g; q++) {
			if (full)
				m[q] = _mm256_loadu_si256((const __m256i *)
					&w[j * stride + 4 * q]);
			else
				m[q] = _mm256_maskload_epi64((const long long *)
					&w[j * stride + 4 * q], k);
			v3[q] = _mm256_xor_si256(v3[q], m[q]);
		}
		for (r = 0; r < 2; r++)
			for (q = 0; q < g; q++)
				SF_SIPROUND_256(v0[q], v1[q], v2[q], v3[q],
						rot16);
		for (q = 0; q < g; q++)
			v0[q] = _mm256_xor_si256(v0[q], m[q]);
	}
	for (q = 0; q < g; q++)
		v2[q] = _mm256_xor_si256(v2[q],
			_mm256_set1_epi64x((long long)SF_SIPHASH_FINAL));
	for (r = 0; r < 4; r++)
		for (q = 0; q < g; q++)
			SF_SIPROUND_256(v0[q], v1[q], v2[q], v3[q], rot16);
	for (q = 0; q < g; q++) {
		v0[q] = _mm256_xor_si256(_mm256_xor_si256(v0[q], v1[q]),
					 _mm256_xor_si256(v2[q], v3[q]));
		if (full)
			_mm256_storeu_si256((__m256i *)&out[4 * q], v0[q]);
		else
			_mm256_maskstore_epi64((long long *)&out[4 * q], k,
					       v0[q]);
	}
}

#endif

/**
 * SipHash-2-4 of @p n messages of nw words each (see the layout above):
 * out[i] = sf_siphash24(key, message i, len). Reads lanes 0..n-1 only.
 *
 * @param key     128-bit key, shared by all lanes
 * @param w       message words, w[j * stride + i]
 * @param nw      words per message (len / 8 + 1)
 * @param stride  distance between word j and word j + 1 of a lane (>= n)
 * @param n       number of messages
 * @param out     n hashes
 */
SF_SIPHASH_SOA_INLINE void
sf_siphash24_soa(const struct sf_siphash_key *key, const uint64_t *w,
		 unsigned int nw, size_t stride, unsigned int n, uint64_t *out)
{
#if defined(__AVX512F__)
	unsigned int i = 0;

	for (; i + 32 <= n; i += 32)
		sf_siphash24_soa_512(key, w + i, nw, stride, 4, 0xff, out + i);
	if (i + 16 <= n) {
		sf_siphash24_soa_512(key, w + i, nw, stride, 2, 0xff, out + i);
		i += 16;
	}
	if (i + 8 <= n) {
		sf_siphash24_soa_512(key, w + i, nw, stride, 1, 0xff, out + i);
		i += 8;
	}
	if (i < n)
		sf_siphash24_soa_512(key, w + i, nw, stride, 1,
				     (__mmask8)((1u << (n - i)) - 1), out + i);
#elif defined(__AVX2__)
	const __m256i all = _mm256_set1_epi64x(-1);
	unsigned int i = 0;

	for (; i + 8 <= n; i += 8)
		sf_siphash24_soa_256(key, w + i, nw, stride, 2, 1, all,
				     out + i);
	if (i + 4 <= n) {
		sf_siphash24_soa_256(key, w + i, nw, stride, 1, 1, all,
				     out + i);
		i += 4;
	}
	if (i < n) {
		/* lane l is on when l < n - i */
		__m256i k = _mm256_cmpgt_epi64(
			_mm256_set1_epi64x((long long)(n - i)),
			_mm256_setr_epi64x(0, 1, 2, 3));

		sf_siphash24_soa_256(key, w + i, nw, stride, 1, 0, k,
				     out + i);
	}
#else
	sf_siphash24_soa_scalar(key, w, nw, stride, n, out);
#endif
}

#ifdef __cplusplus
}
#endif

#endif /* SF_SIPHASH_SOA_H */
