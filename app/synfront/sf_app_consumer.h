/* SPDX-License-Identifier: BSD-3-Clause */

#ifndef SF_APP_CONSUMER_H
#define SF_APP_CONSUMER_H

/**
 * @file
 * The built-in consumers run on the main lcore: `sink` counts and frees,
 * `log` writes one JSON line per event, `proxy` carries each connection to
 * a backend (lib/proxy), `none` leaves the rings to an external secondary
 * process (and only drains them at exit). Sink, log and proxy claim the
 * rings (sf_handoff_claim()): one consumer a ring.
 */

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include <rte_ring.h>

#include "sf_config.h"
#include "sf_handoff.h"
#include "sf_proxy.h"

/** Consumer state: the rings and what has been consumed. */
struct sf_app_consumer {
	enum sf_consumer mode;		/**< sink, log, proxy or none */
	FILE *log;			/**< consumer=log output */
	struct sf_proxy *proxy;		/**< consumer=proxy */
	unsigned int n_rings;		/**< one per worker */
	struct rte_ring **rings;	/**< by worker id */
	uint64_t by_type[SF_EV_TYPE_MAX];	/**< events consumed by type */
	uint64_t total;			/**< events consumed */
};

/**
 * consumer=proxy: create the proxy over the event rings and the workers'
 * command rings, with its telemetry (/synfront/proxy); rte_exit() naming
 * what failed.
 *
 * @param c          the consumer (mode, n_rings and rings set)
 * @param cfg        the configuration ([proxy])
 * @param cmd_rings  command ring of each worker
 */
void
sf_app_consumer_proxy(struct sf_app_consumer *c, const struct sf_config *cfg,
		      struct rte_ring *const *cmd_rings);

/**
 * At exit, once the workers are freed (they hold the proxy's SEND mbufs
 * until acknowledged): free the proxy, its sockets and mbufs.
 *
 * @param c  the consumer
 */
void
sf_app_consumer_free(struct sf_app_consumer *c);

/**
 * Claim the rings for the built-in consumer (modes sink, log, proxy; mode none
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
 * The consumer's part of the stats line: " | proxy ..." for
 * consumer=proxy (sf_proxy_print()), nothing for the others.
 *
 * @param c  the consumer
 * @param f  output stream
 */
void
sf_app_consumer_print_part(const struct sf_app_consumer *c, FILE *f);

/**
 * Print "consumer: ..." with the counts by type (and the proxy's part).
 *
 * @param c  the consumer
 * @param f  output stream
 */
void
sf_app_consumer_print(const struct sf_app_consumer *c, FILE *f);

#endif /* SF_APP_CONSUMER_H */
