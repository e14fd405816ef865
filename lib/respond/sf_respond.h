/* SPDX-License-Identifier: BSD-3-Clause */

#ifndef SF_RESPOND_H
#define SF_RESPOND_H

/**
 * @file
 * The responder: the wire contract of DESIGN.md applied to a burst of
 * received mbufs. One responder per worker lcore; it owns nothing shared:
 * its shard, its ring, its stats block are the worker's.
 *
 * A burst is worked in phases so independent work overlaps: parse every
 * frame, look the TCP ones up in the shard in bulk, compute the burst's
 * cookies together (SYN-ACKs) and validate the burst's cookies together
 * (ACKs), then rewrite each frame in place into its reply.
 *
 * With a table of closed flows (sf_respond_conf.closed), a connection that
 * ends (last ACK, RST, idle expiry) is recorded there, and a handshake ACK
 * of a recorded flow and client ISN (a replay) gets the old connection's
 * TIME-WAIT ACK instead of a new connection (counted in replay_rx).
 */

#include <stdint.h>

#include <rte_ether.h>
#include <rte_mbuf.h>
#include <rte_mempool.h>
#include <rte_ring.h>

#include "sf_closed.h"
#include "sf_conn.h"
#include "sf_cookie.h"
#include "sf_stats.h"
#include "sf_tcp.h"

#ifdef __cplusplus
extern "C" {
#endif

/**
 * Frames worked together in one pass (the phases above); a longer burst
 * given to sf_respond_burst() is worked in passes of this size.
 */
#define SF_RESPOND_BURST_MAX	64
/** Ports a responder can answer on. */
#define SF_RESPOND_MAX_PORTS	8
/** Listening addresses. */
#define SF_RESPOND_MAX_VIPS	16
/** Listening TCP ports. */
#define SF_RESPOND_MAX_LPORTS	64

/** The time of a burst, computed once by the caller. */
struct sf_clock {
	uint64_t tsc;		/**< rte_rdtsc() */
	uint64_t unix_s;	/**< unix seconds (cookie counter) */
	uint32_t ms;		/**< millisecond clock (TSval) */
};

/** What a responder needs to know of one port. */
struct sf_respond_port {
	struct rte_ether_addr mac;	/**< our MAC on this port */
	/**
	 * Largest IP packet the port delivers in one mbuf, even behind a
	 * VLAN tag (sf_port_info.rx_ip_max): caps the MSS we advertise.
	 */
	uint16_t mtu;
	uint32_t tx_offload;		/**< SF_TX_* the port offers */
};

/** What the responder answers, and how: the wire contract's settings. */
struct sf_respond_policy {
	struct sf_vip vips[SF_RESPOND_MAX_VIPS];	/**< listening addresses */
	unsigned int n_vips;		/**< 1..SF_RESPOND_MAX_VIPS */
	uint16_t lports[SF_RESPOND_MAX_LPORTS];	/**< listening TCP ports, host order */
	unsigned int n_lports;		/**< 0..SF_RESPOND_MAX_LPORTS */
	uint16_t mss_max;		/**< our MSS ceiling (an IPv4 figure) */
	unsigned int opt_on;		/**< SYN-ACK options offered: SF_COOKIE_ON_* */
	struct sf_tcp_policy tcp;	/**< window, window scale, per-flow gap */
	uint8_t closed_port_rst;	/**< RST (1) or drop (0) TCP to a closed port */
	uint32_t rst_rate;		/**< RSTs per second, 0 = none */
	/** challenge ACKs per second per lcore, 0 = none; the budget of a
	 * second is drawn in [rate / 2, rate * 3 / 2) */
	uint32_t challenge_ack_rate;
	/** flow-limited replies (sf_tcp.h) per second per flow, 0 = no
	 * limit; sets tcp.chal_gap_tsc */
	uint32_t challenge_ack_per_flow;
	uint32_t idle_timeout_s;	/**< idle expiry, 0 = never */
};

/**
 * Where the responder sends the segments it originates (the reply
 * channel's data, retransmissions, FINs, window updates, RSTs of aborts):
 * @p m is a complete frame for port index @p port, owned by the callee
 * from then on.
 *
 * @param port  port index (sf_respond_conf.ports)
 * @param m     the frame
 * @param arg   sf_respond_conf.out_arg
 */
typedef void (*sf_respond_out_t)(uint16_t port, struct rte_mbuf *m,
				 void *arg);

/** Responder configuration. Pointers must outlive the responder. */
struct sf_respond_conf {
	struct sf_respond_policy policy;	/**< what to answer, and how */
	const struct sf_cookie_keys *keys;	/**< cookie keys */
	struct sf_respond_port ports[SF_RESPOND_MAX_PORTS];	/**< by port index */
	unsigned int n_ports;		/**< ports in use */
	struct sf_conn_shard *shard;	/**< this worker's shard */
	struct sf_closed *closed;	/**< its closed flows, NULL = none kept */
	struct rte_ring *ring;		/**< this worker's handoff ring */
	struct rte_mempool *pool;	/**< for ACKs of DATA segments */
	struct sf_stats *stats;		/**< this worker's counters */
	uint16_t lcore;			/**< stamped into events */
	uint64_t tsc_hz;		/**< rte_get_tsc_hz() */
	int socket_id;			/**< for the responder's own memory */
	/* The reply channel: with policy.tcp.reply only. */
	uint16_t worker;		/**< worker id, stamped into handles */
	struct rte_ring *cmd;		/**< its command ring (sf_cmd_create()) */
	uint32_t send_states;		/**< send states of its pool */
	uint32_t snd_buf;		/**< most unacknowledged bytes a connection */
	sf_respond_out_t out;		/**< where originated segments go */
	void *out_arg;			/**< passed to out */
};

/** Opaque responder. */
struct sf_responder;

/** Commands sf_respond_commands() applies per call at most, by default. */
#define SF_RESPOND_CMD_BURST	64
/** Timers sf_respond_timers() fires per call at most. */
#define SF_RESPOND_TIMER_BURST	64

/**
 * Create a responder.
 *
 * @param conf  its configuration (copied; the objects it points to are not)
 * With policy.tcp.reply the responder runs the reply channel: a pool of
 * send_states send states, a side array of each connection's L2 (peer
 * MAC, VLAN, port), a timer wheel; cmd and out are required then.
 *
 * @return the responder, or NULL with rte_errno set: EINVAL (a NULL
 *   pointer in @p conf, n_ports 0 or above SF_RESPOND_MAX_PORTS, tsc_hz 0,
 *   reply on without cmd, out or send_states,
 *   more VIPs or listening ports than the policy holds, a VIP of unknown
 *   family), ENOMEM.
 */
struct sf_responder *
sf_responder_create(const struct sf_respond_conf *conf);

/**
 * Free a responder (not its shard, ring, pool or stats).
 *
 * @param r  the responder, or NULL
 */
void
sf_responder_free(struct sf_responder *r);

/**
 * Answer a burst received on port index @p port.
 *
 * Every mbuf of @p pkts is consumed: turned into a reply (placed in @p tx),
 * handed over in a DATA event, or freed and counted. A DATA segment's
 * reply is a new mbuf from the pool. Never more than one reply per
 * received frame. Nothing allocated but that ACK, no syscall, no lock.
 *
 * @param r     the responder
 * @param port  index in sf_respond_conf.ports; an index >= n_ports frees
 *              the whole burst (counted in not_handled)
 * @param pkts  received mbufs (any n; worked SF_RESPOND_BURST_MAX at a time)
 * @param n     number of mbufs in @p pkts
 * @param now   the burst's time
 * @param tx    receives the replies, room for n
 * @return number of replies in tx (0..n).
 */
uint16_t
sf_respond_burst(struct sf_responder *r, uint16_t port,
		 struct rte_mbuf **pkts, uint16_t n,
		 const struct sf_clock *now, struct rte_mbuf **tx);

/**
 * Sweep the shard: scan at most @p budget slots (sf_conn_expire()). An
 * idle entry (none when the policy's idle_timeout_s is 0) is removed once
 * its TIMEOUT event is queued (counted in conn_timeout); an entry in state
 * SF_CONN_RESET, whatever its age, once its RST event is queued (with
 * SF_EV_F_LOCAL when we reset it: SF_CONN_F_LOCAL). An event
 * that does not fit the ring is counted in handoff_full and the entry
 * stays, to be retried on the next visit: the consumer learns of every
 * end. With a closed-flow table, the closed_active gauge is refreshed
 * (its records expire unseen), whatever @p budget, 0 included.
 *
 * @param r       the responder
 * @param now     the current time (now->tsc is compared with each entry's)
 * @param budget  shard slots to scan at most
 * @return entries removed.
 */
unsigned int
sf_respond_expire(struct sf_responder *r, const struct sf_clock *now,
		  unsigned int budget);

/**
 * The reply channel: apply up to @p max commands of the command ring, in
 * order. A command whose handle is stale (no entry in its slot, or
 * another generation) is counted (cmd_stale) and its mbuf freed; SEND
 * queues the mbuf and sends what the windows allow, CLOSE queues our FIN,
 * ABORT resets the client (RST event with SF_EV_F_LOCAL), CREDIT opens
 * the window (a window-update ACK when it was nearly closed). A SEND
 * beyond snd_buf, or with no send state left, aborts the connection
 * (snd_overflow, snd_pool_full). Segments go to sf_respond_conf.out.
 * Nothing when the reply channel is off.
 *
 * @param r    the responder
 * @param now  the current time
 * @param max  commands to apply at most
 * @return commands applied.
 */
unsigned int
sf_respond_commands(struct sf_responder *r, const struct sf_clock *now,
		    unsigned int max);

/**
 * The reply channel's timers: retransmissions (RFC 6298), zero-window
 * probes, and the give-up after [tcp] retries timeouts (RST to the
 * client, RST event with SF_EV_F_LOCAL, entry removed). At most
 * SF_RESPOND_TIMER_BURST timers a call.
 *
 * First, the ACKED events that did not fit the ring (acked_deferred;
 * one pending per connection, gauge acked_pending) are queued as far as
 * the ring takes them, each with the bytes acknowledged by then: a
 * consumer waiting for an ACKED event gets it even if no ACK follows.
 *
 * @param r    the responder
 * @param now  the current time
 * @return timers fired.
 */
unsigned int
sf_respond_timers(struct sf_responder *r, const struct sf_clock *now);

/**
 * Whether sf_respond_commands() or sf_respond_timers() has anything to
 * do at @p tsc: a command waits, or the timer wheel may have one due. A
 * poll loop asks this first and reads the clock only when it says so.
 *
 * @param r    the responder
 * @param tsc  the TSC now
 * @return 1 when there may be work, 0 when there is none.
 */
int
sf_respond_reply_due(const struct sf_responder *r, uint64_t tsc);

/**
 * @param r  the responder
 * @return send states in use (0 when the reply channel is off).
 */
unsigned int
sf_respond_send_states_used(const struct sf_responder *r);

#ifdef __cplusplus
}
#endif

#endif /* SF_RESPOND_H */
