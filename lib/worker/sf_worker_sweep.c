/* SPDX-License-Identifier: BSD-3-Clause */

/*
 * Pacing of the expiry sweep: how many shard slots each call of the loop
 * scans so that the cursor goes round the whole shard once per sweep
 * period, whatever the shard's size and however irregularly the loop calls.
 *
 *   tsc_per_slot = max(1, period_tsc / slots)       (rounded down: a sweep
 *                                                    takes at most period)
 *   credit      += now - last                       (ticks not yet swept)
 *   n            = min(credit / tsc_per_slot, max_slots)
 *   credit      -= n * tsc_per_slot                 (the remainder carries)
 *   credit       = min(credit, period_tsc)          (a stalled loop owes at
 *                                                    most one sweep)
 *
 * Pure arithmetic on TSC values: no clock is read here.
 */

#include <rte_common.h>

#include "sf_worker.h"

uint64_t
sf_sweep_period_tsc(uint32_t idle_timeout_s, uint64_t tsc_hz)
{
	uint64_t s = idle_timeout_s != 0 ? idle_timeout_s :
		SF_WORKER_SWEEP_DEFAULT_S * SF_WORKER_SWEEP_FRACTION;

	/* timeout / fraction, in ticks, without losing a fraction's worth */
	return s * tsc_hz / SF_WORKER_SWEEP_FRACTION;
}

void
sf_sweep_pace_init(struct sf_sweep_pace *p, uint32_t slots,
		   uint64_t period_tsc, unsigned int max_slots,
		   uint64_t now_tsc)
{
	p->tsc_per_slot = slots != 0 ? period_tsc / slots : period_tsc;
	if (p->tsc_per_slot == 0)
		p->tsc_per_slot = 1;
	p->credit_max = RTE_MAX(period_tsc, p->tsc_per_slot);
	p->credit = 0;
	p->last_tsc = now_tsc;
	p->max_slots = max_slots;
}

unsigned int
sf_sweep_pace_next(struct sf_sweep_pace *p, uint64_t now_tsc)
{
	uint64_t n;

	/* A TSC that went backwards (never on one invariant TSC) adds none. */
	if (now_tsc > p->last_tsc)
		p->credit += now_tsc - p->last_tsc;
	p->last_tsc = now_tsc;
	n = RTE_MIN(p->credit / p->tsc_per_slot, (uint64_t)p->max_slots);
	p->credit -= n * p->tsc_per_slot;
	p->credit = RTE_MIN(p->credit, p->credit_max);
	return (unsigned int)n;
}
