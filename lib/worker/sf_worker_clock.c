/* SPDX-License-Identifier: BSD-3-Clause */

/*
 * The workers' clock: a base (TSC and wall time read together) and the
 * TSC since. The main lcore re-reads the base every second
 * (sf_clock_base_rebase()) and publishes it through the board.
 */

#include <time.h>

#include <rte_cycles.h>
#include <rte_time.h>

#include "sf_worker.h"

#define SF_NS_PER_S	UINT64_C(1000000000)
#define SF_NS_PER_MS	UINT64_C(1000000)

/* Reads tried for a TSC pair this close around clock_gettime(). */
#define SF_CLOCK_READ_TRIES	4
#define SF_CLOCK_READ_GAP_US	50

int
sf_clock_base_init(struct sf_clock_base *base)
{
	const uint64_t hz = rte_get_tsc_hz();
	const uint64_t max_gap = hz / 1000000 * SF_CLOCK_READ_GAP_US;
	uint64_t t0, t1 = 0, best = UINT64_MAX;
	struct timespec ts, best_ts = { 0, 0 };
	unsigned int i;

	/*
	 * The wall clock between two TSC reads, tsc0 their midpoint: a
	 * pair stretched by preemption or an interrupt is read again (the
	 * narrowest of a few is kept), so a re-read base is not off by
	 * however long the thread was away.
	 */
	for (i = 0; i < SF_CLOCK_READ_TRIES && best > max_gap; i++) {
		t0 = rte_rdtsc();
		if (clock_gettime(CLOCK_REALTIME, &ts) != 0)
			return -1;
		t1 = rte_rdtsc();
		if (t1 - t0 < best) {
			best = t1 - t0;
			best_ts = ts;
			base->tsc0 = t0 + best / 2;
		}
	}
	base->tsc_hz = hz;
	base->unix_ns0 = rte_timespec_to_ns(&best_ts);
	return 0;
}

void
sf_clock_base_shift(struct sf_clock_base *base, uint32_t offset_s)
{
	base->unix_ns0 += (uint64_t)offset_s * SF_NS_PER_S;
}

uint64_t
sf_clock_base_ns(const struct sf_clock_base *base, uint64_t tsc)
{
	uint64_t dt, ns = base->unix_ns0;

	if (tsc > base->tsc0 && base->tsc_hz != 0) {
		dt = tsc - base->tsc0;
		/* Split so dt * 1e9 cannot overflow. */
		ns += dt / base->tsc_hz * SF_NS_PER_S +
			dt % base->tsc_hz * SF_NS_PER_S / base->tsc_hz;
	}
	return ns;
}

int64_t
sf_clock_base_rebase(struct sf_clock_base *base, uint64_t tsc,
		     uint64_t real_ns)
{
	uint64_t extrapolated = sf_clock_base_ns(base, tsc);

	base->tsc0 = tsc;
	base->unix_ns0 = real_ns;
	return real_ns >= extrapolated ? (int64_t)(real_ns - extrapolated) :
		-(int64_t)(extrapolated - real_ns);
}

void
sf_worker_clock(const struct sf_clock_base *base, uint64_t tsc,
		struct sf_clock *now)
{
	uint64_t ns = sf_clock_base_ns(base, tsc);

	now->tsc = tsc;
	now->unix_s = ns / SF_NS_PER_S;
	now->ms = (uint32_t)(ns / SF_NS_PER_MS);
}
