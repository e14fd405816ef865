/* SPDX-License-Identifier: BSD-3-Clause */

/*
 * The timer wheel (sf_timer.h): doubly linked lists of ids per bucket.
 * sf_timer_expire() walks the buckets from now_tick up to the current
 * tick (at most one turn); in each, due timers fire and the others (due
 * in a later turn) stay.
 */

#include <string.h>

#include <rte_debug.h>

#include "sf_timer.h"

#define SF_TIMER_MASK	(SF_TIMER_SLOTS - 1)

_Static_assert((SF_TIMER_SLOTS & SF_TIMER_MASK) == 0,
	       "SF_TIMER_SLOTS is a power of two");

void
sf_timer_init(struct sf_timer_wheel *w, struct sf_timer_node *node,
	      uint32_t n, uint64_t tick_tsc, uint64_t now_tsc)
{
	memset(w->head, 0, sizeof(w->head));
	w->node = node;
	w->n = n;
	w->armed = 0;
	w->tick_tsc = tick_tsc != 0 ? tick_tsc : 1;
	w->now_tick = now_tsc / w->tick_tsc;
	w->next_tsc = 0;
}

static void
sf_timer_unlink(struct sf_timer_wheel *w, uint32_t id)
{
	struct sf_timer_node *t = &w->node[id - 1];

	if (t->prev != 0)
		w->node[t->prev - 1].next = t->next;
	else
		w->head[t->bucket] = t->next;
	if (t->next != 0)
		w->node[t->next - 1].prev = t->prev;
	t->armed = 0;
	t->next = 0;
	t->prev = 0;
	w->armed--;
}

static void
sf_timer_link(struct sf_timer_wheel *w, uint32_t id)
{
	struct sf_timer_node *t = &w->node[id - 1];
	uint64_t tick = t->due < w->now_tick ? w->now_tick : t->due;
	uint16_t b = (uint16_t)(tick & SF_TIMER_MASK);

	/* due before the tick the next sf_timer_expire() waits for: look */
	if (tick * w->tick_tsc < w->next_tsc)
		w->next_tsc = 0;
	t->bucket = b;
	t->prev = 0;
	t->next = w->head[b];
	if (t->next != 0)
		w->node[t->next - 1].prev = id;
	w->head[b] = id;
	t->armed = 1;
	w->armed++;
}

void
sf_timer_arm(struct sf_timer_wheel *w, uint32_t id, uint64_t due_tsc)
{
	struct sf_timer_node *t = &w->node[id - 1];

	RTE_ASSERT(id - 1 < w->n);	/* id in 1..n */
	if (t->armed)
		sf_timer_unlink(w, id);
	/* rounded up: never fires before its time */
	t->due = (due_tsc + w->tick_tsc - 1) / w->tick_tsc;
	sf_timer_link(w, id);
}

void
sf_timer_cancel(struct sf_timer_wheel *w, uint32_t id)
{
	RTE_ASSERT(id - 1 < w->n);	/* id in 1..n */
	if (w->node[id - 1].armed)
		sf_timer_unlink(w, id);
}

/* Fire the due timers of bucket @p b, at most *left; @return fired. */
static unsigned int
sf_timer_bucket(struct sf_timer_wheel *w, uint16_t b, uint64_t tick,
		unsigned int left, sf_timer_cb cb, void *arg)
{
	uint32_t id = w->head[b];
	unsigned int fired = 0;

	while (id != 0 && fired < left) {
		uint32_t next = w->node[id - 1].next;

		if (w->node[id - 1].due <= tick) {
			sf_timer_unlink(w, id);
			fired++;
			cb(id, arg);
			/* the callback may have cancelled the next one */
			next = w->head[b];
			while (next != 0 && w->node[next - 1].due > tick)
				next = w->node[next - 1].next;
		}
		id = next;
	}
	return fired;
}

unsigned int
sf_timer_expire(struct sf_timer_wheel *w, uint64_t now_tsc, unsigned int max,
		sf_timer_cb cb, void *arg)
{
	unsigned int fired = 0, k;
	uint64_t now;

	/*
	 * The poll loop calls this far more often than once a tick: while
	 * the tick has not changed since a call that finished its buckets,
	 * nothing new is due (one compare, no division).
	 */
	if (now_tsc < w->next_tsc)
		return 0;
	now = now_tsc / w->tick_tsc;
	if (w->armed == 0) {
		w->now_tick = now > w->now_tick ? now : w->now_tick;
		w->next_tsc = (w->now_tick + 1) * w->tick_tsc;
		return 0;
	}
	/* more than a turn behind: one turn visits every bucket */
	if (now - w->now_tick >= SF_TIMER_SLOTS && now > w->now_tick)
		w->now_tick = now - (SF_TIMER_SLOTS - 1);
	while (w->now_tick <= now) {
		k = sf_timer_bucket(w, (uint16_t)(w->now_tick & SF_TIMER_MASK),
				    now, max - fired, cb, arg);
		fired += k;
		if (fired >= max)
			return fired;	/* the rest at the next call */
		w->now_tick++;
	}
	/* every bucket up to now done: the next call is due next tick */
	w->next_tsc = w->now_tick * w->tick_tsc;
	return fired;
}
