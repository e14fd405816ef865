/* SPDX-License-Identifier: BSD-3-Clause */

#ifndef SF_ECHO_H
#define SF_ECHO_H

/**
 * @file
 * sf-events --echo: the smallest consumer of the reply channel, as logic
 * the tests drive without a running synfront.
 *
 *     ESTABLISHED  -> the connection is tracked (the ACKED count so far)
 *     DATA         -> SEND of the event's mbuf, trimmed to the payload
 *     FIN          -> CLOSE (after the SENDs before it)
 *     ACKED        -> CREDIT of the bytes newly acknowledged: so the bytes
 *                     sent and not acknowledged never exceed the initial
 *                     credit (which should not exceed snd_buf)
 *                     until the client's FIN: after it the client sends
 *                     nothing, and a CREDIT could only race our FIN's
 *                     acknowledgement to a connection gone (cmd_stale)
 *     CLOSED, RST, TIMEOUT -> forgotten; its commands still waiting are
 *                     dropped (mbufs freed, counted in purged)
 *
 * Commands wait in one bounded FIFO for every worker, in order, until
 * their command ring takes them. An event makes at most one command, and
 * the caller dequeues at most sf_echo_room() events: a full FIFO holds
 * events back in the worker's ring (counted in fifo_full, the worker's
 * window closes), it never loses a command. Commands whose connection
 * ended meanwhile reach the worker as stale handles (counted and freed
 * there).
 */

#include <stdint.h>
#include <stdio.h>

#include <rte_ring.h>

#include "sf_handoff.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Workers (command rings) an echo can serve. */
#define SF_ECHO_MAX_WORKERS	128

/** What an echo did (sf_echo_stats()). */
struct sf_echo_stats {
	uint64_t sent;		/**< commands the command rings took */
	uint64_t fifo_full;	/**< calls of sf_echo_room() that found no room */
	uint64_t untracked;	/**< connections beyond the table: no credit back */
	uint64_t unknown;	/**< ACKED or terminal events of no tracked connection */
	uint64_t purged;	/**< waiting commands dropped: their connection ended */
	uint64_t bad;		/**< DATA shorter than its payload, or of a worker
				 *   without a command ring: mbuf freed */
	unsigned int waiting;	/**< commands in the FIFO now */
	unsigned int conns;	/**< connections tracked now */
};

struct sf_echo;

/**
 * Create an echo.
 *
 * @param conns  connections tracked at once, a power of two >= 2
 * @param fifo   commands that may wait, a power of two >= 2
 * @param log    one JSON line per command goes there, NULL: none
 * @return the echo, or NULL (a size not a power of two, no memory).
 */
struct sf_echo *
sf_echo_create(unsigned int conns, unsigned int fifo, FILE *log);

/**
 * Give worker @p worker's command ring.
 *
 * @param e       the echo
 * @param worker  worker id (< SF_ECHO_MAX_WORKERS)
 * @param cmd     its ring (sf_cmd_lookup())
 * @return 0, or -1 (worker out of range).
 */
int
sf_echo_attach(struct sf_echo *e, unsigned int worker, struct rte_ring *cmd);

/**
 * Enqueue what waits (as far as the rings take it), then say how many
 * events the caller may take now (each makes at most one command).
 *
 * @param e  the echo
 * @return free places of the FIFO (0: counted in fifo_full).
 */
unsigned int
sf_echo_room(struct sf_echo *e);

/**
 * Answer one event. A DATA event's mbuf becomes the SEND's (ev->mbuf is
 * set to NULL); the caller still releases the event (sf_event_release()).
 * Call it only while sf_echo_room() said there was room.
 *
 * @param e   the echo
 * @param ev  the event
 */
void
sf_echo_event(struct sf_echo *e, struct sf_event *ev);

/**
 * Enqueue what waits, in order, as far as the rings take it.
 *
 * @param e  the echo
 * @return commands still waiting.
 */
unsigned int
sf_echo_flush(struct sf_echo *e);

/**
 * @param e   the echo
 * @param st  receives its counters
 */
void
sf_echo_stats(const struct sf_echo *e, struct sf_echo_stats *st);

/**
 * Free an echo and the mbufs of the commands still waiting.
 *
 * @param e  the echo, or NULL
 */
void
sf_echo_free(struct sf_echo *e);

#ifdef __cplusplus
}
#endif

#endif /* SF_ECHO_H */
