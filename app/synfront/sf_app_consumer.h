/* SPDX-License-Identifier: BSD-3-Clause */

#ifndef SF_APP_CONSUMER_H
#define SF_APP_CONSUMER_H

/**
 * @file
 * The built-in consumers run on the main lcore: `sink` counts and frees,
 * `log` writes one JSON line per event, `none` leaves the rings to an
 * external secondary process (and only drains them at exit). Sink and log
 * claim the rings (sf_handoff_claim()): one consumer a ring.
 */

#include <stdint.h>
#include <stdio.h>

#include <rte_ring.h>

#include "sf_config.h"
#include "sf_handoff.h"

/** Consumer state: the rings and what has been consumed. */
struct sf_app_consumer {
	enum sf_consumer mode;		/**< sink, log or none */
	FILE *log;			/**< consumer=log output */
	unsigned int n_rings;		/**< one per worker */
	struct rte_ring **rings;	/**< by worker id */
	uint64_t by_type[SF_EV_TYPE_MAX];	/**< events consumed by type */
	uint64_t total;			/**< events consumed */
};

/**
 * Claim the rings for the built-in consumer (modes sink and log; mode none
 * leaves them to another process), so that an sf-events attaching later
 * is refused. rte_exit() naming the ring and its holder when one is taken.
 *
 * @param c  the consumer
 */
void
sf_app_consumer_claim(const struct sf_app_consumer *c);

/**
 * At exit: release what sf_app_consumer_claim() took.
 *
 * @param c  the consumer
 */
void
sf_app_consumer_release(const struct sf_app_consumer *c);

/**
 * Consume what the rings hold (up to a burst per ring).
 *
 * @param c  the consumer
 * @return events consumed (0 for mode none).
 */
unsigned int
sf_app_consumer_poll(struct sf_app_consumer *c);

/**
 * At exit: consume everything left (mode none: release it).
 *
 * @param c  the consumer
 * @return events handled.
 */
unsigned int
sf_app_consumer_flush(struct sf_app_consumer *c);

/**
 * Print "consumer: ..." with the counts by type.
 *
 * @param c  the consumer
 * @param f  output stream
 */
void
sf_app_consumer_print(const struct sf_app_consumer *c, FILE *f);

#endif /* SF_APP_CONSUMER_H */
