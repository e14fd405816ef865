/* SPDX-License-Identifier: BSD-3-Clause */

#ifndef SF_PROXY_PRIV_H
#define SF_PROXY_PRIV_H

/**
 * @file
 * Private to lib/proxy: the proxy object and a connection's state.
 * sf_proxy.c owns the table (handle -> connection), the epoll set, the
 * rings and the timers; sf_proxy_conn.c is one connection's state machine;
 * sf_proxy_telemetry.c shows the counters.
 *
 * A connection's life:
 *
 *     ESTABLISHED -> CONNECTING --connect ok--> OPEN --terminal--> (free)
 *                       |  refused / timeout: next backend
 *                       +-- none left --> DEAD (ABORT sent) --terminal-->
 *     OPEN --backend error--> DEAD (ABORT sent) --terminal--> (free)
 *
 * Only a terminal event (CLOSED, RST, TIMEOUT) frees an entry: the worker
 * sends one for every connection, so the handle is never reused while the
 * proxy holds it.
 */

#include <stdint.h>
#include <sys/queue.h>

#include <rte_hash.h>
#include <rte_mbuf.h>
#include <rte_mempool.h>
#include <rte_ring.h>

#include "sf_handoff.h"
#include "sf_proxy.h"

/** Connection states. */
enum sf_pc_state {
	SF_PC_FREE = 0,		/**< unused entry */
	SF_PC_CONNECTING,	/**< connect() to backend `backend` under way */
	SF_PC_OPEN,		/**< bytes flow */
	SF_PC_DEAD,		/**< socket gone, ABORT sent: awaits terminal */
};

/* sf_proxy_conn.flags */
#define SF_PC_F_CLI_FIN		0x0001	/**< client's FIN event seen */
#define SF_PC_F_SHUT_WR		0x0002	/**< backend shut down for writing */
#define SF_PC_F_BE_EOF		0x0004	/**< backend's EOF read */
#define SF_PC_F_CLOSE_OWED	0x0008	/**< CLOSE to send after the SENDs */
#define SF_PC_F_ABORT_OWED	0x0010	/**< ABORT to send */
#define SF_PC_F_READ_OWED	0x0020	/**< read again next round (no mbuf) */
#define SF_PC_F_OWED		0x0040	/**< on the owed list */
#define SF_PC_F_HUP		0x0080	/**< EPOLLHUP seen */
#define SF_PC_F_LISTED		0x0100	/**< on the connecting list */

/** One connection: client (handle) <-> backend socket. */
struct sf_proxy_conn {
	struct sf_handle h;		/**< the client side */
	int fd;				/**< backend socket, -1 none */
	uint16_t state;			/**< enum sf_pc_state */
	uint16_t flags;			/**< SF_PC_F_* */
	uint32_t backend;		/**< index of the backend */
	uint32_t tried;			/**< backends that failed (bits) */
	uint32_t hash;			/**< source hash of the client */
	uint32_t ep_mask;		/**< events asked of epoll; 0: fd not in
					 *   the epoll set */
	uint32_t sent;			/**< bytes given in SENDs */
	uint32_t acked;			/**< bytes ACKED (event) */
	uint32_t snd_buf;		/**< sent - acked stays below */
	uint32_t credit_owed;		/**< CREDIT bytes not yet sent */
	struct rte_mbuf *wq_head;	/**< client bytes not yet written: DATA
					 *   mbufs trimmed to the payload,
					 *   linked by next */
	struct rte_mbuf *wq_tail;
	struct rte_mbuf *pending_send;	/**< read, not yet enqueued */
	uint64_t deadline;		/**< CONNECTING: TSC limit */
	TAILQ_ENTRY(sf_proxy_conn) cq;	/**< connecting list, by deadline */
	TAILQ_ENTRY(sf_proxy_conn) oq;	/**< owed list */
	uint8_t hdr_len;		/**< PROXY header length */
	uint8_t hdr_off;		/**< bytes of it written */
	uint8_t hdr[SF_PROXY_PP_MAX];	/**< PROXY header */
};

TAILQ_HEAD(sf_pc_list, sf_proxy_conn);

/** The proxy. */
struct sf_proxy {
	struct sf_proxy_backends backends;
	enum sf_proxy_pp pp;
	uint64_t timeout_tsc;		/**< connect_timeout_ms in TSC */
	unsigned int n_rings;
	struct rte_ring *const *ev_rings;
	struct rte_ring *const *cmd_rings;
	struct rte_mempool *pool;	/**< SEND payloads */
	struct rte_hash *table;		/**< handle -> connection */
	struct sf_proxy_conn *conns;	/**< n_slots entries, indexed by the
					 *   table's key positions */
	unsigned int n_slots;		/**< the table's entries */
	unsigned int max_conns;		/**< connections at once */
	int epfd;
	struct sf_pc_list connecting;	/**< by deadline (FIFO) */
	struct sf_pc_list owed;		/**< commands or reads to retry */
	uint64_t cnt[SF_PROXY_CNT_MAX];	/**< enum sf_proxy_counter */
	struct sf_proxy_hist latency;	/**< ESTABLISHED to dequeue */
};

/** Increment proxy counter @p c. */
#define SF_PROXY_INC(p, c)	((p)->cnt[SF_PROXY_CNT_##c]++)

/**
 * Take an entry for handle @p h (table lookup key).
 * @return the entry (state FREE, zeroed but h and fd -1), or NULL (full).
 */
struct sf_proxy_conn *
sf_proxy_table_take(struct sf_proxy *p, const struct sf_handle *h);

/** @return the entry of handle @p h, or NULL. */
struct sf_proxy_conn *
sf_proxy_table_find(struct sf_proxy *p, const struct sf_handle *h);

/**
 * Give entry @p c back (off the owed list, out of the table). Call
 * sf_pc_drop() first: it takes @p c off the connecting list.
 */
void
sf_proxy_table_put(struct sf_proxy *p, struct sf_proxy_conn *c);

/** A new connection from its ESTABLISHED event. */
void
sf_pc_established(struct sf_proxy *p, const struct sf_event *ev,
		  uint64_t now);

/** Any other event of connection @p c; takes the event's mbuf. */
void
sf_pc_event(struct sf_proxy *p, struct sf_proxy_conn *c, struct sf_event *ev);

/** Socket readiness @p events (EPOLL*) of connection @p c. */
void
sf_pc_io(struct sf_proxy *p, struct sf_proxy_conn *c, uint32_t events,
	 uint64_t now);

/**
 * CONNECTING past its deadline, or refused: mark the backend down (one
 * failure more), connect to the next, ABORT when none is left.
 */
void
sf_pc_connect_failed(struct sf_proxy *p, struct sf_proxy_conn *c,
		     uint64_t now);

/**
 * Retry what connection @p c owes (commands, a read).
 * @return true when nothing is owed any more.
 */
bool
sf_pc_retry(struct sf_proxy *p, struct sf_proxy_conn *c);

/** Close the socket and free every mbuf of @p c (at release or exit). */
void
sf_pc_drop(struct sf_proxy *p, struct sf_proxy_conn *c, bool reset);

#endif /* SF_PROXY_PRIV_H */
