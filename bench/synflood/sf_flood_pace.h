/* SPDX-License-Identifier: BSD-3-Clause */

#ifndef SF_FLOOD_PACE_H
#define SF_FLOOD_PACE_H

/**
 * @file
 * Rate pacing on the TSC: a deadline in cycles, kept in Q16 fixed point,
 * moves on by cycles-per-SYN for each SYN sent; each round sends the SYNs
 * whose deadline has passed, at most a burst (one division per round,
 * none per packet). When sending falls behind by more than
 * SF_FLOOD_PACE_LAG_S (the lcore was descheduled, the PMD was full), the
 * older debt is forgotten: the offered rate is what was really sent, and
 * a catch-up burst never exceeds that much traffic.
 */

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Pacing state. */
struct sf_flood_pace {
	uint64_t cpp_q16;	/**< TSC cycles per SYN << 16, 0: flat out */
	uint64_t next_q16;	/**< deadline of the next SYN, cycles << 16 */
	uint64_t lag_q16;	/**< largest debt kept, cycles << 16 */
	uint16_t burst;		/**< most SYNs per round */
};

/** Seconds of sending debt kept when behind. */
#define SF_FLOOD_PACE_LAG_S	2e-3

/**
 * Set up pacing.
 *
 * @param p          the state
 * @param rate       SYNs per second, 0: flat out
 * @param hz         TSC frequency
 * @param burst_max  most SYNs per round
 */
static inline void
sf_flood_pace_init(struct sf_flood_pace *p, double rate, uint64_t hz,
		   uint16_t burst_max)
{
	p->next_q16 = 0;
	p->burst = burst_max;
	p->cpp_q16 = 0;
	p->lag_q16 = 0;
	if (rate <= 0)
		return;
	p->cpp_q16 = (uint64_t)((double)hz * 65536.0 / rate);
	if (p->cpp_q16 == 0)
		p->cpp_q16 = 1;
	p->lag_q16 = (uint64_t)((double)hz * 65536.0 * SF_FLOOD_PACE_LAG_S);
}

/**
 * SYNs that may go now: those whose deadline has passed, at most a burst.
 *
 * @param p  the state
 * @param t  TSC cycles since the start
 * @return 0 .. burst.
 */
static inline uint16_t
sf_flood_pace_budget(struct sf_flood_pace *p, uint64_t t)
{
	uint64_t tq = t << 16, due;

	if (p->cpp_q16 == 0)
		return p->burst;
	if (tq < p->next_q16)
		return 0;
	if (tq - p->next_q16 > p->lag_q16)
		p->next_q16 = tq - p->lag_q16;
	due = (tq - p->next_q16) / p->cpp_q16 + 1;
	return due < p->burst ? (uint16_t)due : p->burst;
}

/**
 * Account for SYNs sent.
 *
 * @param p  the state
 * @param n  SYNs the PMD took
 */
static inline void
sf_flood_pace_sent(struct sf_flood_pace *p, uint32_t n)
{
	p->next_q16 += (uint64_t)n * p->cpp_q16;
}

#ifdef __cplusplus
}
#endif

#endif /* SF_FLOOD_PACE_H */
