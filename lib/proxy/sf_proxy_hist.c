/* SPDX-License-Identifier: BSD-3-Clause */

/*
 * A small log2 histogram (SF_PROXY_HIST_SUB linear steps per power of
 * two) for the handoff latency: bucket of v, for v >= 4, with m the index
 * of v's highest set bit:
 *
 *     bucket = (m - 1) * 4 + (the two bits below bit m)
 *
 * and values 0..3 have a bucket each.
 */

#include <string.h>

#include <rte_common.h>

#include "sf_proxy.h"

#define SUB_BITS	2	/* log2(SF_PROXY_HIST_SUB) */

static unsigned int
bucket_of(uint64_t v)
{
	unsigned int m;

	if (v < SF_PROXY_HIST_SUB)
		return (unsigned int)v;
	m = 63u - (unsigned int)__builtin_clzll(v);
	return (m - 1) * SF_PROXY_HIST_SUB +
		(unsigned int)((v >> (m - SUB_BITS)) & (SF_PROXY_HIST_SUB - 1));
}

/* The largest value of bucket @p k. */
static uint64_t
bucket_max(unsigned int k)
{
	unsigned int m, sub;
	uint64_t lo;

	if (k < SF_PROXY_HIST_SUB)
		return k;
	m = k / SF_PROXY_HIST_SUB + 1;
	sub = k % SF_PROXY_HIST_SUB;
	lo = (uint64_t)(SF_PROXY_HIST_SUB + sub) << (m - SUB_BITS);
	return lo + ((uint64_t)1 << (m - SUB_BITS)) - 1;
}

void
sf_proxy_hist_add(struct sf_proxy_hist *h, uint64_t cycles)
{
	h->b[bucket_of(cycles)]++;
	h->n++;
}

uint64_t
sf_proxy_hist_quantile(const struct sf_proxy_hist *h, unsigned int permille)
{
	uint64_t want, sum = 0;
	unsigned int k;

	if (h->n == 0)
		return 0;
	permille = RTE_MIN(permille, 1000u);
	want = (h->n * permille + 999) / 1000;
	if (want == 0)
		want = 1;
	for (k = 0; k < SF_PROXY_HIST_BUCKETS; k++) {
		sum += h->b[k];
		if (sum >= want)
			return bucket_max(k);
	}
	return bucket_max(SF_PROXY_HIST_BUCKETS - 1);
}
