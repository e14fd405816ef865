/* SPDX-License-Identifier: BSD-3-Clause */

#ifndef SF_WORKER_H
#define SF_WORKER_H

/**
 * @file
 * The per-lcore poll loop: rx_burst(32) on its queue of every port ->
 * sf_respond_burst() -> buffered tx_burst, drained on a TSC deadline;
 * unsent mbufs freed and counted (tx_dropped). Prefetching the frames is
 * the responder's (it parses them). Idle expiry runs between bursts with a
 * small budget. The loop ends when *quit becomes true.
 */

#include <stdbool.h>
#include <stdint.h>

#include "sf_respond.h"

#ifdef __cplusplus
extern "C" {
#endif

#define SF_WORKER_BURST		32	/**< rx_burst size */
#define SF_WORKER_DRAIN_US	100	/**< TX buffer drain deadline */
#define SF_WORKER_EXPIRE_BUDGET	64	/**< shard slots scanned per pass */
#define SF_WORKER_EXPIRE_US	1000	/**< expiry pass period */

/**
 * The clock base of the workers: wall time = unix_ns0 + (tsc - tsc0) /
 * tsc_hz, so a burst's time costs no syscall.
 */
struct sf_clock_base {
	uint64_t tsc_hz;		/**< rte_get_tsc_hz() */
	uint64_t tsc0;			/**< TSC at unix_ns0 */
	uint64_t unix_ns0;		/**< wall clock at start, ns */
};

/** One worker lcore's state. Allocated per lcore, cache aligned. */
struct sf_worker {
	unsigned int worker_id;		/**< 0..n_workers-1 */
	unsigned int lcore_id;		/**< EAL lcore */
	uint16_t queue_id;		/**< its RX/TX queue on every port */
	uint16_t n_ports;		/**< ports polled */
	uint16_t port_ids[SF_RESPOND_MAX_PORTS];	/**< ethdev port ids */
	struct sf_responder *resp;	/**< its responder */
	struct sf_stats *stats;		/**< its counters */
	volatile bool *quit;		/**< set by the signal handler */
	struct sf_clock_base clock;	/**< its burst clock */
} __rte_cache_aligned;

/**
 * The loop; an lcore_function_t for rte_eal_remote_launch().
 *
 * @param arg  struct sf_worker *
 * @return 0.
 */
int
sf_worker_main(void *arg);

/**
 * Read the clock base now: rte_rdtsc() against CLOCK_REALTIME.
 *
 * @param base  receives tsc_hz, tsc0 and unix_ns0
 * @return 0, or -1 with errno set by clock_gettime().
 */
int
sf_clock_base_init(struct sf_clock_base *base);

/**
 * Compute a burst clock from a TSC reading (no syscall):
 * wall time = unix_ns0 + (tsc - tsc0) / tsc_hz; a reading before tsc0 (or
 * tsc_hz 0) gives the start time.
 *
 * @param base the clock base (tsc_hz, tsc0, unix_ns0)
 * @param tsc  an rte_rdtsc() reading
 * @param now  receives tsc, unix seconds and the millisecond clock
 */
void
sf_worker_clock(const struct sf_clock_base *base, uint64_t tsc,
		struct sf_clock *now);

#ifdef __cplusplus
}
#endif

#endif /* SF_WORKER_H */
