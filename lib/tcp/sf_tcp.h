/* SPDX-License-Identifier: BSD-3-Clause */

#ifndef SF_TCP_H
#define SF_TCP_H

/**
 * @file
 * The established-flow state machine, as pure functions: no mbufs, no
 * rings, no clock reads. The responder parses a segment, finds its entry,
 * asks sf_tcp_input() what to do, does it (events, reply, removal) and
 * only then commits the entry's new state.
 *
 *     ESTABLISHED --client FIN / FIN event, our FIN|ACK--> LAST_ACK
 *     LAST_ACK    --ACK of our FIN--> removed
 *     any         --RST at RCV.NXT / RST event--> removed
 *     any         --RST at RCV.NXT, ring full--> RESET
 *     RESET       --any segment, ring has room / RST event--> removed
 *
 * What is decided per segment follows RFC 9293 3.10.7.4, RFC 5961
 * (sections 3 to 5: RST, SYN and ACK acceptability, answered with a
 * challenge ACK) and RFC 7323 (3.2: a timestamp flow drops segments
 * without TSopt; 4.3: TS.Recent; 5: PAWS). We never send data, so
 * SND.UNA = SND.NXT, and we keep no reassembly queue: data after a hole is
 * answered with a duplicate ACK; data beyond RCV.NXT + RCV.WND is trimmed
 * to the window.
 *
 * Replies an off-path sender can call for (challenge ACKs, ACKs of
 * segments outside the window, of PAWS rejects, of keepalives and old pure
 * ACKs) are limited per flow: at most one per sf_tcp_policy.chal_gap_tsc
 * (Linux's tcp_invalid_ratelimit), so what a sender sees on its own flow
 * does not depend on any other flow. The entry keeps that time in units
 * of 2^SF_CONN_CHAL_SHIFT ticks: a reply goes once chal_gap_tsc has
 * passed, never later, and never more than two units (about 40 us) early. Only acceptable segments refresh the
 * entry's idle time (sf_conn.last_tsc).
 */

#include <stdint.h>

#include "sf_conn.h"
#include "sf_cookie.h"
#include "sf_net.h"
#include "sf_tcp_snd.h"

#ifdef __cplusplus
extern "C" {
#endif

/**
 * sf_conn.flags bit of this module: window scaling negotiated (snd_wscale
 * and rcv_wscale are meaningful).
 */
#define SF_TCP_CONN_F_WS	0x80

/**
 * sf_conn.flags bit of this module: the reply channel is on (set by
 * sf_tcp_accept() from sf_tcp_policy.reply). The client's window is the
 * consumer's credit, its FIN is only ACKed (CLOSE_WAIT) and ours waits
 * for the consumer's CLOSE (sf_tcp_close()); the close states follow
 * RFC 9293:
 *
 *     ESTABLISHED --client FIN / FIN event, ACK--> CLOSE_WAIT
 *     ESTABLISHED --CLOSE--> FIN_WAIT_1
 *     CLOSE_WAIT  --CLOSE--> LAST_ACK
 *     FIN_WAIT_1  --ACK of our FIN--> FIN_WAIT_2
 *     FIN_WAIT_1  --client FIN / FIN event, ACK--> CLOSING
 *     FIN_WAIT_2  --client FIN / FIN, CLOSED events, ACK--> removed
 *     CLOSING     --ACK of our FIN / CLOSED event--> removed
 *     LAST_ACK    --ACK of our FIN / CLOSED event--> removed
 *
 * (TIME_WAIT is not kept: a client that retransmits its FIN after we
 * removed the entry gets the RST of a closed port.) An ACK of our FIN
 * that would close while the ring has no room is taken as an ACK of the
 * data only: the FIN is retransmitted and its next ACK tries again.
 */
#define SF_TCP_CONN_F_REPLY	0x40

/** What the TCP module needs of the configuration. */
struct sf_tcp_policy {
	/** least TSC ticks between two flow-limited replies of a flow, 0: none */
	uint64_t chal_gap_tsc;
	uint64_t rto_init_tsc;	/**< RTO before any RTT sample (RFC 6298: 1 s) */
	uint64_t rto_min_tsc;	/**< least RTO */
	uint64_t rto_max_tsc;	/**< greatest RTO, also of backoff */
	uint64_t tsc_per_ms;	/**< TSC ticks per TSval tick (TSecr samples, G) */
	uint32_t credit;	/**< reply channel: initial receive credit, bytes */
	uint16_t window;	/**< our advertised window field (unscaled) */
	uint8_t wscale;		/**< our window scale when the client offered one */
	uint8_t reply;		/**< reply channel on (SF_TCP_CONN_F_REPLY) */
	uint8_t retries;	/**< timer expiries without progress before
				 *   giving up (RTO and persist) */
};

/** The reply a segment calls for (sf_tcp_action.reply). */
enum sf_tcp_reply_kind {
	SF_TCP_RE_NONE = 0,	/**< none: the segment is freed */
	SF_TCP_RE_ACK,		/**< <SEQ=reply_seq><ACK=RCV.NXT><CTL=ACK> */
	SF_TCP_RE_FIN_ACK,	/**< the same with FIN: our side of the close */
	SF_TCP_RE_CHALLENGE,	/**< an ACK, limited per lcore too (RFC 5961 7) */
};

/** sf_tcp_action.events bits, queued in this order. */
#define SF_TCP_EV_DATA	0x1	/**< DATA: the segment's new bytes */
#define SF_TCP_EV_FIN	0x2	/**< FIN: the client closed its side */
#define SF_TCP_EV_RST	0x4	/**< RST: the client reset the connection */
#define SF_TCP_EV_CLOSED	0x8	/**< CLOSED: both sides closed (reply channel) */

/** What a segment is counted as (one counter each, besides the events). */
enum sf_tcp_note {
	SF_TCP_N_NONE = 0,	/**< counted by its events only */
	SF_TCP_N_RST,		/**< acceptable RST (rst_rx) */
	SF_TCP_N_OUT_OF_WINDOW,	/**< sequence or ACK not acceptable */
	SF_TCP_N_UNEXPECTED,	/**< impossible from a peer (no ACK bit, data after FIN) */
	SF_TCP_N_KEEPALIVE,	/**< keepalive probe (SEG.SEQ = RCV.NXT - 1) */
	SF_TCP_N_CLOSED,	/**< last ACK of the close: entry removed */
	SF_TCP_N_ACK,		/**< pure ACK, nothing to do */
	SF_TCP_N_DUP_DATA,	/**< data already received */
	SF_TCP_N_PAWS,		/**< TSval older than TS.Recent (paws_rejected) */
	SF_TCP_N_TS_MISSING,	/**< no TSopt on a timestamp flow (ts_missing) */
	SF_TCP_N_AFTER_RST,	/**< segment of a RESET entry: dropped (after_rst) */
	SF_TCP_N_MAX
};

/** The decision for one segment of an established flow. */
struct sf_tcp_action {
	uint32_t reply_seq;	/**< our reply's sequence number */
	uint32_t data_seq;	/**< with SF_TCP_EV_DATA: sequence number of its first byte */
	uint16_t data_skip;	/**< with SF_TCP_EV_DATA: payload bytes already received */
	uint16_t data_len;	/**< with SF_TCP_EV_DATA: new bytes handed over */
	uint8_t reply;		/**< enum sf_tcp_reply_kind */
	uint8_t events;		/**< SF_TCP_EV_* to queue (all fit the room given) */
	uint8_t lost;		/**< events called for that did not fit (handoff_full) */
	uint8_t note;		/**< enum sf_tcp_note */
	uint8_t remove;		/**< remove the entry once the events are queued */
	uint8_t flow_limited;	/**< a reply withheld by the flow's limit */
	uint8_t output;		/**< send state: call sf_tcp_snd_next() */
	uint8_t snd_done;	/**< send state: nothing left in it; return it
				 *   to the pool (sf_conn.snd_id = 0) */
	uint8_t fast;		/**< send state: a fast retransmit started */
	uint32_t acked;		/**< send state: payload bytes newly
				 *   acknowledged (free them; ACKED event) */
};

/**
 * Initialise a shard entry from the handshake's final ACK, whose cookie
 * validated.
 *
 * @param c       the new entry
 * @param ack     the parsed ACK
 * @param mss_idx the cookie's MSS index (sf_cookie_check())
 * @param opt     the cookie's opt byte (from the ACK's TSecr)
 * @param pol     our TCP policy
 * @param now_tsc the segment's time
 */
void
sf_tcp_accept(struct sf_conn *c, const struct sf_pkt *ack, uint8_t mss_idx,
	      uint8_t opt, const struct sf_tcp_policy *pol, uint64_t now_tsc);

/**
 * Decide what a segment of an established flow calls for, and the entry's
 * next state.
 *
 * A pure function: @p c is updated as the segment says (RCV.NXT, SND.NXT,
 * state, the client's window, TS.Recent, credit, last_tsc for an
 * acceptable segment, chal_t for a flow-limited reply), so is @p snd (its
 * ACK processing, sf_tcp_snd_ack()), and @p act says what to do; nothing
 * else is touched. The caller does it and keeps the new
 * @p c only when it could: work on a copy of the entry to be able to
 * abandon it (an mbuf for the ACK of new data could not be allocated).
 *
 * With the reply channel (SF_TCP_CONN_F_REPLY): RCV.WND is the credit
 * (DATA consumes it; a segment at RCV.NXT is acceptable even at zero
 * window, so its ACK is processed and it is answered), the close states
 * above, and with @p snd the ACK against SND.UNA..SND.MAX: act->acked,
 * act->output, act->snd_done, act->fast.
 *
 * @param c        the entry: in, its state; out, the state after the segment
 * @param snd      the entry's send state, or NULL when it has none
 * @param seg      the parsed segment (a flow in the shard)
 * @param pol      our TCP policy
 * @param ev_room  events the consumer ring can still take (only 0 to 3
 *                 matter; pass 0 when sf_tcp_may_queue() is false)
 * @param now_tsc  the segment's time (idle expiry, per-flow reply limit,
 *                 timers)
 * @param now_ms   our TSval clock (RTT samples from TSecr)
 * @param act      receives the decision
 */
void
sf_tcp_input(struct sf_conn *c, struct sf_tcp_snd *snd,
	     const struct sf_pkt *seg, const struct sf_tcp_policy *pol,
	     unsigned int ev_room, uint64_t now_tsc, uint32_t now_ms,
	     struct sf_tcp_action *act);

/**
 * Whether a segment may need events (so its caller must find the ring's
 * room): payload, FIN or RST, or any segment of a RESET entry (its RST
 * event is retried), or with the reply channel any segment while our FIN
 * is out (its ACK may close: CLOSED event).
 *
 * @param c    the segment's entry
 * @param seg  the parsed segment
 * @return nonzero when it may.
 */
static inline int
sf_tcp_may_queue(const struct sf_conn *c, const struct sf_pkt *seg)
{
	return seg->payload_len != 0 ||
		(seg->tcp_flags & (SF_TCP_FIN | SF_TCP_RST)) != 0 ||
		c->state == SF_CONN_RESET ||
		((c->flags & SF_TCP_CONN_F_REPLY) &&
		 (c->state == SF_CONN_FIN_WAIT_1 ||
		  c->state == SF_CONN_CLOSING ||
		  c->state == SF_CONN_LAST_ACK));
}

/**
 * The segment our reply carries: flags, sequence and acknowledgement
 * numbers, our window and, on a timestamp connection, TSval and TSecr.
 * The window is pol->window, or with the reply channel
 * min(credit, pol->window << rcv_wscale) >> rcv_wscale (rounded down: the
 * right edge may seem to recede by less than one scale unit, RFC 7323
 * 2.4; segments up to rcv_nxt + credit are still taken).
 *
 * @param c       the entry (after the segment)
 * @param pol     our TCP policy
 * @param seq     our sequence number
 * @param flags   SF_TCP_* (ACK, FIN|ACK)
 * @param now_ms  our TSval clock
 * @param tr      receives the reply
 */
void
sf_tcp_reply_fill(const struct sf_conn *c, const struct sf_tcp_policy *pol,
		  uint32_t seq, uint8_t flags, uint32_t now_ms,
		  struct sf_tcp_reply *tr);

/**
 * Our advertised window field: pol->window, or with the reply channel
 * min(credit, pol->window << rcv_wscale) >> rcv_wscale.
 *
 * @param c    the entry
 * @param pol  our TCP policy
 * @return the window field.
 */
uint16_t
sf_tcp_rcv_window(const struct sf_conn *c, const struct sf_tcp_policy *pol);

/**
 * The consumer gave @p n bytes of receive credit back (CREDIT): the
 * window's right edge moves right by @p n.
 *
 * @param c    the entry (reply channel on)
 * @param pol  the TCP policy
 * @param n    bytes
 * @return 1 when a window-update ACK should go now: the advertised window
 *   opened from below one MSS to at least one, or grew by at least half
 *   the initial credit; else 0.
 */
int
sf_tcp_credit(struct sf_conn *c, const struct sf_tcp_policy *pol,
	      uint32_t n);

#ifdef __cplusplus
}
#endif

#endif /* SF_TCP_H */
