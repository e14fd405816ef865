/* SPDX-License-Identifier: BSD-3-Clause */

#ifndef SF_TIMER_H
#define SF_TIMER_H

/**
 * @file
 * A timer wheel for one lcore, driven by its poll loop: no allocation
 * after creation, no lock, O(1) arm and cancel.
 *
 * Timers are numbered 1..n (0: none) and their nodes live in an array the
 * wheel owns. The wheel has SF_TIMER_SLOTS buckets of one tick each; a
 * timer due further away than one turn is put in the bucket of its due
 * tick modulo the turn and put back when that bucket comes up early.
 *
 *     now_tick  ->  bucket[now_tick % SLOTS] -> id -> id -> ...
 *     a timer fires at the first sf_timer_expire() whose tick is >= its
 *     due tick (never before its due time, within one tick after).
 */

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Buckets of the wheel (a power of two). */
#define SF_TIMER_SLOTS	4096

/** One timer's node (private to the wheel; in the header for its size). */
struct sf_timer_node {
	uint64_t due;		/**< due tick, valid when armed */
	uint32_t next;		/**< next id in its bucket, 0: last */
	uint32_t prev;		/**< previous id, 0: first */
	uint16_t bucket;	/**< its bucket when armed */
	uint8_t armed;		/**< in a bucket */
	uint8_t pad[5];
};

/** A wheel of n timers. */
struct sf_timer_wheel {
	uint64_t tick_tsc;	/**< TSC ticks per wheel tick (>= 1) */
	uint64_t now_tick;	/**< buckets before this one are done */
	uint64_t next_tsc;	/**< TSC at which a tick after now_tick
				 *   begins: before it, nothing can fire
				 *   that a call at now_tick did not */
	uint32_t n;		/**< timers 1..n */
	uint32_t armed;		/**< timers armed */
	uint32_t head[SF_TIMER_SLOTS];	/**< first id per bucket, 0: empty */
	struct sf_timer_node *node;	/**< node[id - 1] */
};

/**
 * Start a wheel (node array of n entries given by the caller, zeroed).
 *
 * @param w         the wheel
 * @param node      n nodes, zeroed
 * @param n         number of timers
 * @param tick_tsc  TSC ticks per tick (0 is taken as 1)
 * @param now_tsc   the TSC now
 */
void
sf_timer_init(struct sf_timer_wheel *w, struct sf_timer_node *node,
	      uint32_t n, uint64_t tick_tsc, uint64_t now_tsc);

/**
 * Arm (or re-arm) timer @p id to fire at @p due_tsc (a time in the past
 * fires at the next sf_timer_expire()).
 *
 * @param w        the wheel
 * @param id       1..n
 * @param due_tsc  when
 */
void
sf_timer_arm(struct sf_timer_wheel *w, uint32_t id, uint64_t due_tsc);

/**
 * Cancel timer @p id (nothing when it is not armed).
 *
 * @param w   the wheel
 * @param id  1..n
 */
void
sf_timer_cancel(struct sf_timer_wheel *w, uint32_t id);

/**
 * @param w   the wheel
 * @param id  1..n
 * @return whether timer @p id is armed.
 */
static inline int
sf_timer_armed(const struct sf_timer_wheel *w, uint32_t id)
{
	return w->node[id - 1].armed;
}

/**
 * Called for each timer that fires, after it is disarmed (it may re-arm
 * itself or any other timer).
 *
 * @param id   the timer
 * @param arg  the caller's argument
 */
typedef void (*sf_timer_cb)(uint32_t id, void *arg);

/**
 * Fire every timer due at @p now_tsc, at most @p max of them (the rest
 * at the next call).
 *
 * @param w        the wheel
 * @param now_tsc  the TSC now
 * @param max      most timers to fire
 * @param cb       called for each
 * @param arg      passed to @p cb
 * @return number fired.
 */
unsigned int
sf_timer_expire(struct sf_timer_wheel *w, uint64_t now_tsc, unsigned int max,
		sf_timer_cb cb, void *arg);

#ifdef __cplusplus
}
#endif

#endif /* SF_TIMER_H */
