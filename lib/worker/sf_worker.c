/* SPDX-License-Identifier: BSD-3-Clause */

/*
 * The poll loop, after DPDK's examples/l3fwd and skeleton/basicfwd.c:
 *
 *   while (!quit)
 *       every DRAIN_US:  flush every port's TX buffer
 *       every EXPIRE_US: idle expiry, EXPIRE_BUDGET shard slots
 *       for each port:   rx_burst -> sf_respond_burst -> TX buffer
 *                        (flushed as soon as it holds a burst)
 *
 * The clock of a burst is derived from the TSC only (no syscalls).
 */

#include <string.h>
#include <time.h>

#include <rte_common.h>
#include <rte_cycles.h>
#include <rte_ethdev.h>
#include <rte_mbuf.h>

#include "sf_worker.h"

#define SF_NS_PER_S	UINT64_C(1000000000)
#define SF_NS_PER_MS	UINT64_C(1000000)
#define SF_US_PER_S	UINT64_C(1000000)

/** Replies waiting for tx_burst on one port: flushed at SF_WORKER_BURST. */
#define SF_WORKER_TX_BUF	(2 * SF_WORKER_BURST)
_Static_assert(SF_WORKER_BURST <= SF_RESPOND_BURST_MAX,
	       "one rx burst must be one responder burst");

struct sf_worker_txbuf {
	uint16_t n;
	struct rte_mbuf *m[SF_WORKER_TX_BUF];
};

int
sf_clock_base_init(struct sf_clock_base *base)
{
	struct timespec ts;

	if (clock_gettime(CLOCK_REALTIME, &ts) != 0)
		return -1;
	base->tsc0 = rte_rdtsc();
	base->tsc_hz = rte_get_tsc_hz();
	base->unix_ns0 = (uint64_t)ts.tv_sec * SF_NS_PER_S +
		(uint64_t)ts.tv_nsec;
	return 0;
}

void
sf_worker_clock(const struct sf_clock_base *base, uint64_t tsc,
		struct sf_clock *now)
{
	uint64_t dt, ns = base->unix_ns0;

	if (tsc > base->tsc0 && base->tsc_hz != 0) {
		dt = tsc - base->tsc0;
		/* Split so dt * 1e9 cannot overflow. */
		ns += dt / base->tsc_hz * SF_NS_PER_S +
			dt % base->tsc_hz * SF_NS_PER_S / base->tsc_hz;
	}
	now->tsc = tsc;
	now->unix_s = ns / SF_NS_PER_S;
	now->ms = (uint32_t)(ns / SF_NS_PER_MS);
}

static void
sf_worker_flush(struct sf_worker *w, uint16_t port_id,
		struct sf_worker_txbuf *b)
{
	uint16_t sent;

	if (b->n == 0)
		return;
	sent = rte_eth_tx_burst(port_id, w->queue_id, b->m, b->n);
	SF_STAT_ADD(w->stats, tx_pkts, sent);
	if (unlikely(sent < b->n)) {
		SF_STAT_ADD(w->stats, tx_dropped, b->n - sent);
		rte_pktmbuf_free_bulk(&b->m[sent], b->n - sent);
	}
	b->n = 0;
}

int
sf_worker_main(void *arg)
{
	struct sf_worker *w = arg;
	struct sf_worker_txbuf txb[SF_RESPOND_MAX_PORTS];
	struct rte_mbuf *rx[SF_WORKER_BURST];
	uint64_t drain_tsc, expire_tsc, prev_drain, prev_expire, tsc;
	struct sf_clock now;
	uint16_t i, n, k;

	memset(txb, 0, sizeof(txb));
	drain_tsc = (w->clock.tsc_hz + SF_US_PER_S - 1) / SF_US_PER_S *
		SF_WORKER_DRAIN_US;
	expire_tsc = (w->clock.tsc_hz + SF_US_PER_S - 1) / SF_US_PER_S *
		SF_WORKER_EXPIRE_US;
	prev_drain = prev_expire = rte_rdtsc();

	while (!*w->quit) {
		tsc = rte_rdtsc();

		if (unlikely(tsc - prev_drain > drain_tsc)) {
			for (i = 0; i < w->n_ports; i++)
				sf_worker_flush(w, w->port_ids[i], &txb[i]);
			prev_drain = tsc;
		}
		if (unlikely(tsc - prev_expire > expire_tsc)) {
			sf_worker_clock(&w->clock, tsc, &now);
			sf_respond_expire(w->resp, &now,
					  SF_WORKER_EXPIRE_BUDGET);
			prev_expire = tsc;
		}

		for (i = 0; i < w->n_ports; i++) {
			struct sf_worker_txbuf *b = &txb[i];

			n = rte_eth_rx_burst(w->port_ids[i], w->queue_id, rx,
					     SF_WORKER_BURST);
			if (n == 0)
				continue;
			sf_worker_clock(&w->clock, rte_rdtsc(), &now);
			/* b->n < SF_WORKER_BURST: room for n replies. */
			k = sf_respond_burst(w->resp, i, rx, n, &now,
					     &b->m[b->n]);
			b->n += k;
			if (b->n >= SF_WORKER_BURST)
				sf_worker_flush(w, w->port_ids[i], b);
		}
	}

	for (i = 0; i < w->n_ports; i++)
		sf_worker_flush(w, w->port_ids[i], &txb[i]);
	return 0;
}
