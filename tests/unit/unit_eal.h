/* SPDX-License-Identifier: BSD-3-Clause */

#ifndef SF_UNIT_EAL_H
#define SF_UNIT_EAL_H

/**
 * @file
 * EAL for unit tests that need rte_hash, rte_ring or mempools: no hugepages,
 * no PCI, no telemetry, an own --file-prefix so tests run in parallel.
 */

#include <stdio.h>

#include <rte_eal.h>
#include <rte_mbuf.h>
#include <rte_mempool.h>

/**
 * Initialise EAL once for this test program.
 *
 * @param prefix  unique --file-prefix, e.g. "sf_test_conn"
 * @return 0, or -1 (EAL failed: the test must fail).
 */
static inline int
sf_unit_eal_init(const char *prefix)
{
	char file_prefix[64];
	char *argv[] = {
		(char *)(uintptr_t)"sf_unit", (char *)(uintptr_t)"--no-huge",
		(char *)(uintptr_t)"-m", (char *)(uintptr_t)"256",
		(char *)(uintptr_t)"--no-pci", (char *)(uintptr_t)"--no-telemetry",
		(char *)(uintptr_t)"--log-level=lib.eal:error",
		(char *)(uintptr_t)"-l", (char *)(uintptr_t)"0",
		file_prefix,
	};

	snprintf(file_prefix, sizeof(file_prefix), "--file-prefix=%s", prefix);
	if (rte_eal_init((int)(sizeof(argv) / sizeof(argv[0])), argv) < 0) {
		fprintf(stderr, "rte_eal_init failed for %s\n", prefix);
		return -1;
	}
	return 0;
}

/**
 * A test's mbuf pool: @p n mbufs of the default size, no per-lcore cache
 * (so that sf_unit_pool_full() counts exactly).
 *
 * @return the pool, or NULL (rte_errno set).
 */
static inline struct rte_mempool *
sf_unit_pool(const char *name, unsigned int n)
{
	return rte_pktmbuf_pool_create(name, n, 0, 0,
				       RTE_MBUF_DEFAULT_BUF_SIZE,
				       SOCKET_ID_ANY);
}

/**
 * Every mbuf back in the pool: nothing leaked, nothing freed twice.
 *
 * @param pool  the test's pool (no per-lcore cache, so the count is exact)
 * @param n     its size
 * @return 0, or -1 after saying how many are missing.
 */
static inline int
sf_unit_pool_full(const struct rte_mempool *pool, unsigned int n)
{
	unsigned int avail = rte_mempool_avail_count(pool);

	if (avail != n) {
		fprintf(stderr, "mbuf accounting: %u of %u in the pool\n",
			avail, n);
		return -1;
	}
	return 0;
}

#endif /* SF_UNIT_EAL_H */
