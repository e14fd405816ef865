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
#include <string.h>

#include <rte_mbuf.h>
#include <rte_ring_elem.h>

#include "sf_net.h"

#ifdef __cplusplus
extern "C" {
#endif

/** What the event ring's name starts with, before the worker's id. */
#define SF_HANDOFF_NAME_PREFIX	"sf_handoff_"

/** Event ring name of worker w: "sf_handoff_<w>" (worker -> consumer). */
#define SF_HANDOFF_NAME_FMT	SF_HANDOFF_NAME_PREFIX "%u"

/** What a ring's name is followed by in its claim memzone's name. */
#define SF_HANDOFF_CLAIM_SUFFIX	"_claim"

/** Claim memzone of worker w's ring: "sf_handoff_<w>_claim". */
#define SF_HANDOFF_CLAIM_FMT	SF_HANDOFF_NAME_FMT SF_HANDOFF_CLAIM_SUFFIX

/** What the command ring's name starts with, before the worker's id. */
#define SF_CMD_NAME_PREFIX	"sf_cmd_"

/** Command ring name of worker w: "sf_cmd_<w>" (consumer -> worker). */
#define SF_CMD_NAME_FMT		SF_CMD_NAME_PREFIX "%u"

/**
 * A connection's handle, carried by every event: the worker that owns the
 * connection (its command ring is SF_CMD_NAME_FMT of that worker), the
 * entry's slot in that worker's shard, and the slot's generation. A slot
 * is reused by later connections with another generation, so a command
 * naming a connection that is gone never reaches a newer one: it is
 * counted (cmd_stale) and its mbuf freed.
 */
struct sf_handle {
	uint32_t slot;		/**< entry slot in the worker's shard */
	uint32_t gen;		/**< generation of the slot; never 0 when valid */
	uint16_t worker;	/**< worker id (ring names) */
	uint16_t pad;		/**< zero */
};

/**
 * Event types. Every connection gets exactly one ESTABLISHED first and
 * exactly one terminal event last (CLOSED, RST or TIMEOUT); its handle is
 * stale after the terminal event.
 */
enum sf_event_type {
	SF_EV_ESTABLISHED = 1,	/**< cookie ACK validated, entry inserted */
	SF_EV_DATA,		/**< in-order payload; mbuf holds it */
	SF_EV_FIN,		/**< client closed its side (no more DATA) */
	SF_EV_RST,		/**< terminal: the client reset the connection, or
				 *   the worker did (ev.flags SF_EV_F_LOCAL:
				 *   retransmission gave up, ABORT, overflow) */
	SF_EV_TIMEOUT,		/**< terminal: idle entry expired */
	SF_EV_ACKED,		/**< the client acknowledged data we sent:
				 *   ev.seq = bytes acknowledged since
				 *   ESTABLISHED (cumulative, mod 2^32); one
				 *   that finds the ring full is queued later
				 *   (with the count by then), never lost
				 *   before the connection's terminal event */
	SF_EV_CLOSED,		/**< terminal: both sides closed, every byte
				 *   we sent acknowledged */
	SF_EV_TYPE_MAX
};

/** sf_event.flags bits. */
#define SF_EV_F_SACK	0x01	/**< SACK-permitted negotiated */
#define SF_EV_F_TS	0x02	/**< timestamps negotiated */
#define SF_EV_F_REPLY	0x04	/**< the reply channel is on: the worker
				 *   waits for the consumer's CLOSE before its
				 *   FIN, and the client's window is the
				 *   consumer's credit */
#define SF_EV_F_LOCAL	0x08	/**< RST: sent by the worker, not received */

/**
 * One event: 104 bytes, copied into the ring.
 *
 * Ownership: a DATA event owns its mbuf (the whole received frame; the
 * payload is data_len bytes at data_off): the consumer frees it with
 * sf_event_release(), or hands it back in a SEND command (after trimming
 * it to what it sends). No other event carries an mbuf.
 */
struct sf_event {
	struct sf_flow flow;	/**< client/server 4/6-tuple */
	uint64_t tsc;		/**< rte_rdtsc() when the worker produced it */
	struct rte_mbuf *mbuf;	/**< DATA: the segment, NULL otherwise */
	struct sf_handle handle;	/**< the connection, for commands */
	uint32_t client_isn;	/**< client's ISN */
	uint32_t server_isn;	/**< our ISN (the cookie) */
	uint32_t seq;		/**< DATA: sequence number of the first byte;
				 *   ACKED: bytes acknowledged so far */
	uint32_t credit;	/**< ESTABLISHED with SF_EV_F_REPLY: receive
				 *   credit the consumer starts with (bytes) */
	uint32_t snd_buf;	/**< ESTABLISHED with SF_EV_F_REPLY: most bytes
				 *   the consumer may have sent and not seen
				 *   ACKED; a SEND beyond it aborts */
	uint16_t data_off;	/**< DATA: payload offset in the mbuf's data */
	uint16_t data_len;	/**< DATA: payload length */
	uint16_t mss;		/**< negotiated MSS */
	uint16_t lcore;		/**< producing lcore */
	uint8_t type;		/**< enum sf_event_type */
	uint8_t snd_wscale;	/**< client's window scale, SF_WSCALE_NONE if off */
	uint8_t rcv_wscale;	/**< our window scale, SF_WSCALE_NONE if off */
	uint8_t flags;		/**< SF_EV_F_* */
};

/** Command types (consumer -> worker). */
enum sf_cmd_type {
	SF_CMD_SEND = 1,	/**< queue mbuf's pkt_len bytes for the client */
	SF_CMD_CLOSE,		/**< FIN once every queued byte is sent */
	SF_CMD_ABORT,		/**< RST now; queued data is dropped */
	SF_CMD_CREDIT,		/**< the consumer drained `credit` more bytes:
				 *   the client's window grows by as much */
	SF_CMD_TYPE_MAX
};

/** sf_cmd.flags bits. */
#define SF_CMD_F_CLOSE	0x01	/**< SEND: CLOSE after this data */

/**
 * One command: 32 bytes, copied into the worker's command ring.
 *
 * Ownership: once sf_cmd_enqueue() returns 0 the worker owns a SEND's
 * mbuf (any number of segments; its data is the payload, pkt_len bytes):
 * it frees it when every byte is acknowledged, or when the connection
 * ends, or at once when the handle is stale. When the enqueue fails, the
 * mbuf is still the caller's.
 */
struct sf_cmd {
	struct sf_handle handle;	/**< the connection */
	uint8_t type;		/**< enum sf_cmd_type */
	uint8_t flags;		/**< SF_CMD_F_* */
	uint16_t pad;		/**< zero */
	uint32_t credit;	/**< CREDIT: bytes */
	struct rte_mbuf *mbuf;	/**< SEND: the payload */
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
 * mss, wscale, sack, ts, then the handle (worker, slot, gen) when its
 * gen is not 0, then per type: ESTABLISHED with SF_EV_F_REPLY reply
 * (true), credit and snd_buf; ACKED acked (ev.seq); RST with
 * SF_EV_F_LOCAL local (true); DATA seq, len and the payload's first
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
 * Claim the rings of workers 0 .. @p n - 1 (sf_handoff_claim() each), all
 * or none: when one fails, the claims taken before it are released.
 *
 * @param n       number of rings
 * @param owner   what this process is (not SF_HANDOFF_OWNER_NONE)
 * @param holder  on -EBUSY, receives who holds ring @p *failed; may be NULL
 * @param failed  on error, receives the worker id of the ring that could
 *   not be claimed; may be NULL
 * @return 0 (all claimed), or the error of sf_handoff_claim() for ring
 *   @p *failed (-EBUSY, -ENOENT, -EINVAL).
 */
int
sf_handoff_claim_all(unsigned int n, enum sf_handoff_owner owner,
		     struct sf_handoff_holder *holder, unsigned int *failed);

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
 * Create the command ring of worker @p worker_id: multi-producer (any
 * consumer thread or process), single consumer (the worker).
 *
 * @param worker_id  names the ring (SF_CMD_NAME_FMT)
 * @param size       entries, a power of two >= 2
 * @param socket_id  NUMA socket (SOCKET_ID_ANY allowed)
 * @return the ring, or NULL with rte_errno set (EINVAL, EEXIST, ENOMEM).
 */
struct rte_ring *
sf_cmd_create(unsigned int worker_id, unsigned int size, int socket_id);

/**
 * Find the command ring of worker @p worker_id (any process).
 *
 * @param worker_id  the worker (sf_handle.worker)
 * @return the ring, or NULL with rte_errno set (ENOENT).
 */
struct rte_ring *
sf_cmd_lookup(unsigned int worker_id);

/**
 * Free a command ring and the mbufs of the commands left in it.
 *
 * @param r  the ring, or NULL
 */
void
sf_cmd_free(struct rte_ring *r);

/**
 * Enqueue one command (any thread or process).
 *
 * @param r    the command ring of the connection's worker
 * @param cmd  the command, copied
 * @return 0 (a SEND's mbuf now belongs to the worker), or -ENOBUFS when
 *   the ring is full (nothing changed hands: retry later).
 */
static inline int
sf_cmd_enqueue(struct rte_ring *r, const struct sf_cmd *cmd)
{
	return rte_ring_mp_enqueue_elem(r, (void *)(uintptr_t)cmd,
					sizeof(*cmd));
}

/**
 * Dequeue up to @p n commands (the worker only).
 *
 * @param r    the ring
 * @param cmd  room for n commands
 * @param n    number of commands
 * @return number dequeued.
 */
static inline unsigned int
sf_cmd_dequeue_burst(struct rte_ring *r, struct sf_cmd *cmd, unsigned int n)
{
	return rte_ring_sc_dequeue_burst_elem(r, cmd, sizeof(*cmd), n, NULL);
}

/**
 * Fill a command.
 *
 * @param cmd     receives the command (zeroed first)
 * @param h       the connection
 * @param type    enum sf_cmd_type
 * @param m       SEND: the payload, else NULL
 * @param credit  CREDIT: bytes, else 0
 */
static inline void
sf_cmd_fill(struct sf_cmd *cmd, const struct sf_handle *h, uint8_t type,
	    struct rte_mbuf *m, uint32_t credit)
{
	memset(cmd, 0, sizeof(*cmd));
	cmd->handle = *h;
	cmd->type = type;
	cmd->mbuf = m;
	cmd->credit = credit;
}

/**
 * @param type  enum sf_cmd_type
 * @return its name ("send", ...), never NULL.
 */
const char *
sf_cmd_type_str(unsigned int type);

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
