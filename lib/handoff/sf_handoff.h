/* SPDX-License-Identifier: BSD-3-Clause */

#ifndef SF_HANDOFF_H
#define SF_HANDOFF_H

/**
 * @file
 * Handoff: connection events from a worker to a consumer.
 *
 * Each worker owns one named rte_ring of struct sf_event elements
 * (rte_ring_elem, single producer, single consumer). A consumer on another
 * lcore, or a DPDK secondary process, finds it by name with
 * sf_handoff_lookup(). A DATA event owns its mbuf: the consumer frees it
 * (sf_event_release()).
 *
 * One consumer at a time: a consumer claims a ring before draining it
 * (sf_handoff_claim()) and releases it at exit (sf_handoff_release()); a
 * second one is refused, a crashed one's claim is taken over.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <rte_mbuf.h>
#include <rte_ring_elem.h>

#include "sf_net.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Ring name of worker w: "sf_handoff_<w>". */
#define SF_HANDOFF_NAME_FMT	"sf_handoff_%u"

/** Claim memzone of worker w's ring: "sf_handoff_<w>_claim". */
#define SF_HANDOFF_CLAIM_FMT	SF_HANDOFF_NAME_FMT "_claim"

/** Event types. */
enum sf_event_type {
	SF_EV_ESTABLISHED = 1,	/**< cookie ACK validated, entry inserted */
	SF_EV_DATA,		/**< in-order payload; mbuf holds it */
	SF_EV_FIN,		/**< client closed (passive close started) */
	SF_EV_RST,		/**< client reset the connection */
	SF_EV_TIMEOUT,		/**< idle entry expired */
	SF_EV_TYPE_MAX
};

/** sf_event.flags bits. */
#define SF_EV_F_SACK	0x01	/**< SACK-permitted negotiated */
#define SF_EV_F_TS	0x02	/**< timestamps negotiated */

/** One event: 80 bytes, copied into the ring. */
struct sf_event {
	struct sf_flow flow;	/**< client/server 4/6-tuple */
	uint64_t tsc;		/**< rte_rdtsc() when the worker produced it */
	struct rte_mbuf *mbuf;	/**< DATA: the segment, NULL otherwise */
	uint32_t client_isn;	/**< client's ISN */
	uint32_t server_isn;	/**< our ISN (the cookie) */
	uint32_t seq;		/**< DATA: sequence number of the first byte */
	uint16_t data_off;	/**< DATA: payload offset in the mbuf's data */
	uint16_t data_len;	/**< DATA: payload length */
	uint16_t mss;		/**< negotiated MSS */
	uint16_t lcore;		/**< producing lcore */
	uint8_t type;		/**< enum sf_event_type */
	uint8_t snd_wscale;	/**< client's window scale, SF_WSCALE_NONE if off */
	uint8_t rcv_wscale;	/**< our window scale, SF_WSCALE_NONE if off */
	uint8_t flags;		/**< SF_EV_F_* */
};

/**
 * Create the ring of worker @p worker_id.
 *
 * @param worker_id  names the ring (SF_HANDOFF_NAME_FMT)
 * @param size       entries, a power of two >= 2
 * @param socket_id  NUMA socket (SOCKET_ID_ANY allowed)
 * @return the ring, or NULL with rte_errno set: EINVAL (size), or the
 *   error of rte_ring_create_elem() (EEXIST, ENOMEM, ENOSPC, ...).
 */
struct rte_ring *
sf_handoff_create(unsigned int worker_id, unsigned int size, int socket_id);

/**
 * Free a ring made by sf_handoff_create() and its claim (not the events
 * left in it: sf_handoff_drain() first).
 *
 * @param r  the ring, or NULL
 */
void
sf_handoff_free(struct rte_ring *r);

/**
 * Find the ring of worker @p worker_id (any process).
 *
 * @param worker_id  as given to sf_handoff_create()
 * @return the ring, or NULL with rte_errno set (ENOENT).
 */
struct rte_ring *
sf_handoff_lookup(unsigned int worker_id);

/**
 * Enqueue up to @p n events (all or nothing is not required).
 *
 * @param r   the ring (single producer: its worker only)
 * @param ev  n events, copied
 * @param n   number of events
 * @return number enqueued.
 */
static inline unsigned int
sf_handoff_enqueue_burst(struct rte_ring *r, const struct sf_event *ev,
			 unsigned int n)
{
	return rte_ring_sp_enqueue_burst_elem(r, ev, sizeof(*ev), n, NULL);
}

/**
 * Enqueue one event.
 *
 * @param r   the ring (single producer: its worker only)
 * @param ev  the event, copied
 * @return 0, or -ENOBUFS when the ring is full.
 */
static inline int
sf_handoff_enqueue(struct rte_ring *r, const struct sf_event *ev)
{
	return rte_ring_sp_enqueue_elem(r, (void *)(uintptr_t)ev, sizeof(*ev));
}

/**
 * Dequeue up to @p n events.
 *
 * @param r   the ring (single consumer)
 * @param ev  room for n events
 * @param n   number of events
 * @return number dequeued.
 */
static inline unsigned int
sf_handoff_dequeue_burst(struct rte_ring *r, struct sf_event *ev,
			 unsigned int n)
{
	return rte_ring_sc_dequeue_burst_elem(r, ev, sizeof(*ev), n, NULL);
}

/**
 * Release what an event owns (the DATA mbuf), and clear it.
 *
 * @param ev  a dequeued event
 */
static inline void
sf_event_release(struct sf_event *ev)
{
	if (ev->mbuf != NULL) {
		rte_pktmbuf_free(ev->mbuf);
		ev->mbuf = NULL;
	}
}

/**
 * @param type  enum sf_event_type
 * @return its name ("established", ...), never NULL.
 */
const char *
sf_event_type_str(unsigned int type);

/**
 * Format an event as one JSON object (no newline): type, lcore, tsc,
 * family, client and server address and port, client_isn, server_isn,
 * mss, wscale, sack, ts, and for DATA seq, len and the payload's first
 * bytes as a printable string (at most 64 bytes, within the mbuf; "" when
 * there is no mbuf; '"', '\\' backslashed, other non-printable bytes
 * as \u00xx). wscale_* are null when off; addresses are null for an
 * unknown family.
 *
 * @return the length of the whole object (as snprintf: buf holds at most
 *   len - 1 of it, always NUL-terminated when len > 0), or -1 on an
 *   encoding error.
 */
int
sf_event_format_json(const struct sf_event *ev, char *buf, size_t len);

/** Who drains a ring, as recorded in its claim. */
enum sf_handoff_owner {
	SF_HANDOFF_OWNER_NONE = 0,	/**< nobody: the claim is free */
	SF_HANDOFF_OWNER_BUILTIN,	/**< synfront's built-in consumer */
	SF_HANDOFF_OWNER_EXTERNAL,	/**< a secondary process (sf-events) */
};

/** The holder of a claim. */
struct sf_handoff_holder {
	uint32_t pid;		/**< its process */
	uint32_t owner;		/**< enum sf_handoff_owner */
};

/**
 * Claim worker @p worker_id's ring for this process, before draining it.
 *
 * @param worker_id  as given to sf_handoff_create()
 * @param owner      what this process is (not SF_HANDOFF_OWNER_NONE)
 * @param holder     on -EBUSY, receives who holds it; may be NULL
 * @return 0 (claimed, or held by this process with this owner already, or
 *   taken over from a dead process), -EBUSY (a live process holds it),
 *   -ENOENT (no such ring's claim: the ring was never created),
 *   -EINVAL (owner NONE).
 */
int
sf_handoff_claim(unsigned int worker_id, enum sf_handoff_owner owner,
		 struct sf_handoff_holder *holder);

/**
 * Release a claim taken by sf_handoff_claim().
 *
 * @param worker_id  as given to sf_handoff_claim()
 * @param owner      as given to sf_handoff_claim()
 * @return 0, -EPERM (not held by this process as @p owner), -ENOENT.
 */
int
sf_handoff_release(unsigned int worker_id, enum sf_handoff_owner owner);

/**
 * Whether a process lives, for sf_handoff_claim_word().
 *
 * @param pid  the process
 * @param arg  the caller's argument
 * @return false only when the process is known to be gone.
 */
typedef bool (*sf_handoff_alive_t)(uint32_t pid, void *arg);

/**
 * The claim logic on one shared 64-bit word (owner << 32 | pid, 0 = free),
 * under sf_handoff_claim(): compare-and-swap from 0, or from a word whose
 * holder @p alive says is dead.
 *
 * @param word    the shared word
 * @param me      this process (pid != 0, owner != NONE)
 * @param alive   liveness test of a holder's pid
 * @param arg     passed to @p alive
 * @param holder  on -EBUSY, receives who holds it; may be NULL
 * @return 0, -EBUSY or -EINVAL, as sf_handoff_claim().
 */
int
sf_handoff_claim_word(uint64_t *word, const struct sf_handoff_holder *me,
		      sf_handoff_alive_t alive, void *arg,
		      struct sf_handoff_holder *holder);

/**
 * Release a claim word if @p me holds it.
 *
 * @param word  the shared word
 * @param me    this process, as claimed
 * @return 0, or -EPERM (not held by @p me: left alone).
 */
int
sf_handoff_unclaim_word(uint64_t *word, const struct sf_handoff_holder *me);

/**
 * The default liveness test: kill(pid, 0) does not fail with ESRCH.
 *
 * @param pid  the process
 * @param arg  unused
 * @return false only when no such process exists.
 */
bool
sf_handoff_pid_alive(uint32_t pid, void *arg);

/**
 * @param owner  enum sf_handoff_owner
 * @return what it is, for messages ("synfront's built-in consumer", ...),
 *   never NULL.
 */
const char *
sf_handoff_owner_str(unsigned int owner);

/**
 * Free every event left in a ring (their mbufs).
 *
 * @param r  the ring
 * @return number of events drained.
 */
unsigned int
sf_handoff_drain(struct rte_ring *r);

#ifdef __cplusplus
}
#endif

#endif /* SF_HANDOFF_H */
