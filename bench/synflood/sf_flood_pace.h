/* SPDX-License-Identifier: BSD-3-Clause */

#ifndef SF_FLOOD_PACE_H
#define SF_FLOOD_PACE_H

/**
 * @file
 * Rate pacing on the TSC without a division per burst: a deadline in
 * cycles, kept in Q16 fixed point, moves on by cycles-per-SYN for each SYN
 * sent; a burst goes when the clock has passed it. Bursts are sized to
 * about 20 us of traffic, so low rates are sent smoothly. When sending
 * falls behind by more than one burst (the PMD is full), the lost time is
 * not made up later: the offered rate is what was really sent.
 */

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Pacing state. */
struct sf_flood_pace {
	uint64_t cpp_q16;	/**< TSC cycles per SYN << 16, 0: flat out */
	uint64_t next_q16;	/**< deadline of the next SYN, cycles << 16 */
	uint16_t burst;		/**< SYNs per burst */
};

/** Seconds of traffic in one paced burst. */
#define SF_FLOOD_PACE_BURST_S	20e-6

/**
 * Set up pacing.
 *
 * @param p          the state
 * @param rate       SYNs per second, 0: flat out
 * @param hz         TSC frequency
 * @param burst_max  largest burst
 */
static inline void
sf_flood_pace_init(struct sf_flood_pace *p, double rate, uint64_t hz,
		   uint16_t burst_max)
{
	double b = rate * SF_FLOOD_PACE_BURST_S;

	p->next_q16 = 0;
	if (rate <= 0) {
		p->cpp_q16 = 0;
		p->burst = burst_max;
		return;
	}
	p->cpp_q16 = (uint64_t)((double)hz * 65536.0 / rate);
	if (p->cpp_q16 == 0)
		p->cpp_q16 = 1;
	p->burst = b < 1 ? 1 : b > burst_max ? burst_max : (uint16_t)b;
}

/**
 * SYNs that may go now.
 *
 * @param p  the state
 * @param t  TSC cycles since the start
 * @return 0 or the burst size.
 */
static inline uint16_t
sf_flood_pace_budget(struct sf_flood_pace *p, uint64_t t)
{
	uint64_t tq = t << 16, lag = (uint64_t)p->burst * p->cpp_q16;

	if (p->cpp_q16 == 0)
		return p->burst;
	if (tq < p->next_q16)
		return 0;
	if (tq - p->next_q16 > lag)
		p->next_q16 = tq - lag;
	return p->burst;
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
