/* SPDX-License-Identifier: BSD-3-Clause */

#ifndef SF_TCP_SND_H
#define SF_TCP_SND_H

/**
 * @file
 * The send path of the reply channel, as pure functions: sequence space,
 * congestion window, retransmission timer, persist timer. No mbufs, no
 * clock reads, no rings: the caller keeps the bytes (a queue whose head is
 * SND.UNA), builds the segments these functions describe and reads the
 * clock.
 *
 * Sequence space of one send state (all mod 2^32):
 *
 *      una           nxt                max          end   end+1
 *       |  in flight  |  sent, to resend |  unsent    | FIN |
 *       +-------------+------------------+------------+-----+
 *       acked <-|      (after a timeout nxt goes back to una)
 *
 *   una  SND.UNA: oldest unacknowledged sequence number; the caller's
 *        queue starts with the byte at una
 *   nxt  next sequence number to transmit (Linux's send head)
 *   max  SND.MAX: highest sequence number sent + 1; sf_conn.snd_nxt
 *        mirrors it (what our ACKs carry)
 *   end  sequence number after the last queued byte; with a FIN queued,
 *        the FIN takes end
 *
 * Congestion control is RFC 5681 Reno: initial window 10 segments (RFC
 * 6928), slow start while cwnd < ssthresh, congestion avoidance after;
 * limited transmit (RFC 3042): the first and second duplicate ACKs each
 * let one new segment go beyond cwnd. Loss recovery on the third
 * duplicate ACK, ssthresh = max(FlightSize / 2, 2 * MSS):
 *  - without SACK (RFC 6582 NewReno): cwnd = ssthresh + 3 * MSS, inflated
 *    by one MSS per further duplicate, a partial ACK retransmits the next
 *    hole, a full ACK deflates cwnd to ssthresh;
 *  - with SACK (RFC 6675, conservative): a scoreboard of the SACKed
 *    ranges above una (sf_tcp_snd.sb); a duplicate is an ACK that SACKs
 *    new data, whatever its window; recovery also starts when more than
 *    2 MSS or 3 ranges are SACKed above una, or when the last segment
 *    sent is SACKed and nothing new waits (early retransmit, RFC 5827);
 *    cwnd = ssthresh, and while pipe (bytes in flight: not SACKed, not
 *    taken as lost, or resent) leaves a segment of cwnd, the holes below
 *    the highest SACKed byte are resent from HighRxt up, then new data.
 * A tail loss probe (RFC 8985 7) runs when SACK is on and an RTT sample
 * exists: PTO = max(2 * SRTT, 10 ms) (+ 40 ms for a delayed ACK when one
 * segment is in flight), at most the RTO; when it fires, one new segment
 * (or the last one again) goes out, its SACK starts the recovery, and
 * the RTO timer takes over. A timeout sets cwnd to one MSS, forgets the
 * SACKed ranges (RFC 2018 8) and goes back to una (go-back-N).
 *
 * The retransmission timeout follows RFC 6298, in TSC ticks: samples from
 * the ACK's TSecr (RFC 7323 4: timestamp flows, for ACKs of new data) or
 * else from one timed segment at a time, never a retransmitted one
 * (Karn); first sample R: SRTT = R, RTTVAR = R / 2; later R':
 * RTTVAR = 3/4 RTTVAR + 1/4 |SRTT - R'|, SRTT = 7/8 SRTT + 1/8 R';
 * RTO = SRTT + max(G, 4 * RTTVAR) within [rto_min, rto_max], G = one
 * TSval tick (sf_tcp_policy.tsc_per_ms); 1 s before any sample. Each
 * expiry doubles the timeout (backoff, up to rto_max) until a new sample;
 * after sf_tcp_policy.retries expiries without progress the caller gives
 * up (RST). A zero window with data waiting arms the persist timer
 * instead: one-byte probes beyond the window with the same backoff, given
 * up after as many unanswered probes.
 *
 * One timer per send state (sf_tcp_snd.timer): RTO (or the tail loss
 * probe before it) while anything sent is unacknowledged, persist while
 * the client's window is closed and nothing is in flight, none
 * otherwise.
 */

#include <stdint.h>

#include "sf_conn.h"
#include "sf_net.h"

#ifdef __cplusplus
extern "C" {
#endif

struct sf_tcp_policy;

/** Initial congestion window, in segments (RFC 6928). */
#define SF_TCP_IW_SEGS		10

/** Duplicate ACKs that trigger a fast retransmit (RFC 5681 3.2). */
#define SF_TCP_DUPACK_THRESH	3

/** Bytes the TCP timestamp option takes in each segment (10 + 2 NOP). */
#define SF_TCP_TS_OPT_LEN	12

/** RFC 6298 defaults, in milliseconds (sf_tcp_policy_clock()). */
#define SF_TCP_RTO_INIT_MS	1000	/**< before any RTT sample */
#define SF_TCP_RTO_MIN_MS	200	/**< lower bound (as Linux) */
#define SF_TCP_RTO_MAX_MS	60000	/**< upper bound */
#define SF_TCP_PTO_MIN_MS	10	/**< least tail loss probe timeout */
#define SF_TCP_PTO_DELACK_MS	40	/**< added with one segment in flight */

/** SACKed ranges a send state remembers (the highest are forgotten). */
#define SF_TCP_SB_MAX		8

/** sf_tcp_snd.flags bits. */
#define SF_TCP_SND_F_FIN	0x01	/**< CLOSE: a FIN follows the queued data */
#define SF_TCP_SND_F_FIN_SENT	0x02	/**< the FIN (at end) was sent */
#define SF_TCP_SND_F_TIMING	0x04	/**< a segment is timed (rtt_seq, rtt_tsc) */
#define SF_TCP_SND_F_RECOVERY	0x08	/**< fast recovery until recover is acked */
#define SF_TCP_SND_F_REXMIT	0x10	/**< next segment: resend the one at una */
#define SF_TCP_SND_F_PROBE	0x20	/**< next segment: a zero-window probe */
#define SF_TCP_SND_F_TLP	0x40	/**< next segment: a tail loss probe */
#define SF_TCP_SND_F_TLP_SENT	0x80	/**< a tail loss probe is out (one until
					 *   new data is acknowledged) */

/** The timer a send state runs (sf_tcp_snd.timer). */
enum sf_tcp_timer {
	SF_TCP_TIMER_NONE = 0,	/**< none */
	SF_TCP_TIMER_RTO,	/**< retransmission timeout */
	SF_TCP_TIMER_PERSIST,	/**< zero-window probe */
	SF_TCP_TIMER_TLP,	/**< tail loss probe (RTO after it) */
};

/** A SACKed range of a send state: bytes [start, end) above una. */
struct sf_tcp_sb {
	uint32_t start;
	uint32_t end;
};

/** The send state of one connection (a per-lcore pool's element). */
struct sf_tcp_snd {
	uint64_t srtt;		/**< SRTT, TSC ticks; 0: no sample yet */
	uint64_t rttvar;	/**< RTTVAR, TSC ticks */
	uint64_t rto;		/**< RTO before backoff, TSC ticks */
	uint64_t deadline;	/**< TSC when the timer fires (timer != NONE) */
	uint64_t rtt_tsc;	/**< TSC when the timed segment was sent */
	uint32_t una;		/**< SND.UNA */
	uint32_t nxt;		/**< next sequence number to transmit */
	uint32_t max;		/**< SND.MAX: highest sent + 1 */
	uint32_t end;		/**< after the last queued byte (FIN's seq) */
	uint32_t cwnd;		/**< congestion window, bytes */
	uint32_t ssthresh;	/**< slow start threshold, bytes */
	uint32_t recover;	/**< NewReno recovery point (SND.MAX at entry) */
	uint32_t rtt_seq;	/**< an ACK at or after it times the segment */
	uint32_t high_rxt;	/**< RFC 6675 HighRxt: recovery resent the
				 *   holes below it */
	uint8_t backoff;	/**< timer doublings since the last RTT sample
				 *   (RTO) or window opening (persist) */
	uint8_t tries;		/**< expiries in a row without progress */
	uint8_t dupacks;	/**< duplicate ACKs in a row */
	uint8_t flags;		/**< SF_TCP_SND_F_* */
	uint8_t timer;		/**< enum sf_tcp_timer */
	uint8_t nsb;		/**< ranges in sb */
	struct sf_tcp_sb sb[SF_TCP_SB_MAX]; /**< SACKed above una: ascending,
					     *   disjoint, not adjacent */
};

/**
 * Bytes SACKed above una: the sum of the scoreboard's ranges (at most
 * SF_TCP_SB_MAX).
 *
 * @param s  a send state
 * @return its SACKed bytes.
 */
static inline uint32_t
sf_tcp_snd_sacked(const struct sf_tcp_snd *s)
{
	uint32_t n = 0;
	unsigned int i;

	for (i = 0; i < s->nsb; i++)
		n += s->sb[i].end - s->sb[i].start;
	return n;
}

/** sf_tcp_seg.flags bits. */
#define SF_TCP_SEG_REXMIT	0x01	/**< resends bytes sent before */
#define SF_TCP_SEG_FAST		0x02	/**< a fast retransmit (dup ACKs, partial ACK) */
#define SF_TCP_SEG_PROBE	0x04	/**< a zero-window probe */
#define SF_TCP_SEG_TLP		0x08	/**< a tail loss probe */

/** A segment to send, as sf_tcp_snd_next() describes it. */
struct sf_tcp_seg {
	uint32_t seq;		/**< sequence number of its first byte (or FIN) */
	uint32_t off;		/**< offset of its first payload byte in the
				 *   caller's queue (seq - una) */
	uint16_t len;		/**< payload bytes */
	uint8_t fin;		/**< carries our FIN (after the payload) */
	uint8_t flags;		/**< SF_TCP_SEG_* */
};

/** What an ACK did to a send state (sf_tcp_snd_ack()). */
struct sf_tcp_snd_res {
	uint32_t acked;		/**< payload bytes newly acknowledged: free
				 *   them from the head of the queue */
	uint8_t fin_acked;	/**< our FIN is acknowledged */
	uint8_t output;		/**< call sf_tcp_snd_next() (window opened,
				 *   data acked, a retransmission due) */
	uint8_t done;		/**< nothing left: every byte acknowledged, no
				 *   FIN waiting; the state may go back to its
				 *   pool (sf_conn.snd_nxt keeps the sequence) */
	uint8_t fast;		/**< this ACK started a fast retransmit */
};

/** What a timer expiry calls for (sf_tcp_snd_timer()). */
enum sf_tcp_fire {
	SF_TCP_FIRE_NONE = 0,	/**< not due, or no timer */
	SF_TCP_FIRE_RETRANSMIT,	/**< RTO: call sf_tcp_snd_next() to resend */
	SF_TCP_FIRE_PROBE,	/**< persist: call sf_tcp_snd_next() for the probe */
	SF_TCP_FIRE_TLP,	/**< tail loss probe: call sf_tcp_snd_next() */
	SF_TCP_FIRE_GIVE_UP,	/**< retries exhausted: RST the client, RST
				 *   event with SF_EV_F_LOCAL, remove */
};

/**
 * Set the policy's clock-derived fields from the TSC rate: RTO initial,
 * minimum and maximum (SF_TCP_RTO_*_MS) and tsc_per_ms.
 *
 * @param pol     the policy
 * @param tsc_hz  TSC ticks per second (rte_get_tsc_hz())
 */
void
sf_tcp_policy_clock(struct sf_tcp_policy *pol, uint64_t tsc_hz);

/**
 * Start a send state for an entry (its first SEND or CLOSE): una = nxt =
 * max = end = c->snd_nxt, cwnd = SF_TCP_IW_SEGS segments, ssthresh
 * unbounded, RTO = pol->rto_init_tsc, no timer.
 *
 * @param s    the state (from the pool)
 * @param c    the entry
 * @param pol  the TCP policy
 */
void
sf_tcp_snd_init(struct sf_tcp_snd *s, const struct sf_conn *c,
		const struct sf_tcp_policy *pol);

/**
 * Queue @p n more bytes after end (a SEND).
 *
 * @param s  the state
 * @param n  bytes
 * @return 0, or -EPIPE when a FIN is queued already (nothing changed).
 */
int
sf_tcp_snd_queue(struct sf_tcp_snd *s, uint32_t n);

/**
 * Bytes queued and not yet acknowledged (end - una, the caller's queue).
 *
 * @param s  the state
 * @return bytes.
 */
static inline uint32_t
sf_tcp_snd_queued(const struct sf_tcp_snd *s)
{
	return s->end - s->una;
}

/**
 * Whether our FIN is acknowledged: it was sent and una passed it.
 *
 * @param s  the state
 * @return 1 when acknowledged, 0 otherwise.
 */
static inline int
sf_tcp_snd_fin_acked(const struct sf_tcp_snd *s)
{
	return (s->flags & SF_TCP_SND_F_FIN_SENT) && s->una == s->end + 1;
}

/**
 * The consumer's CLOSE: a FIN after the queued data, and the entry's next
 * state (ESTABLISHED -> FIN_WAIT_1, CLOSE_WAIT -> LAST_ACK).
 *
 * @param c  the entry (reply channel on)
 * @param s  its send state (sf_tcp_snd_init() first if it had none)
 * @return 0, or -EALREADY (a FIN queued already: nothing changed), or
 *   -EINVAL (not ESTABLISHED nor CLOSE_WAIT).
 */
int
sf_tcp_close(struct sf_conn *c, struct sf_tcp_snd *s);

/**
 * Payload bytes a segment of the connection may carry: its MSS less the
 * timestamp option when timestamps are on.
 *
 * @param c  the entry
 * @return bytes (at least 1).
 */
uint16_t
sf_tcp_snd_mss(const struct sf_conn *c);

/**
 * The next segment to send, if any, and its bookkeeping: nxt and max
 * advance (c->snd_nxt = max), the RTO (or tail loss probe) timer starts
 * if not running, a new segment is timed when none is (no timestamps).
 * In order: a pending retransmission of the first hole (fast
 * retransmit, partial ACK); a pending zero-window probe (one byte at
 * nxt, nxt unchanged); a pending tail loss probe; in SACK recovery, the
 * next hole or new data while pipe leaves room in cwnd; else the bytes
 * at nxt within min(client window, cwnd (+ limited transmit)) from una,
 * at most min(sf_tcp_snd_mss(), @p seg_max), and the FIN when they
 * reach end. A
 * segment shorter than a full one that the window (not the data) cuts is
 * only sent when nothing is in flight (sender silly window avoidance);
 * a closed window with data waiting and nothing in flight arms the
 * persist timer. Call it until it returns 0.
 *
 * A segment that could not be sent (no mbuf) is simply lost: the RTO
 * timer resends it.
 *
 * @param s        the state
 * @param c        the entry (snd_wnd, mss, flags; snd_nxt updated)
 * @param pol      the TCP policy
 * @param seg_max  most payload bytes the caller's frame can hold
 * @param now_tsc  now
 * @param seg      receives the segment
 * @return 1 when @p seg is to be sent, 0 when nothing is.
 */
int
sf_tcp_snd_next(struct sf_tcp_snd *s, struct sf_conn *c,
		const struct sf_tcp_policy *pol, uint32_t seg_max,
		uint64_t now_tsc, struct sf_tcp_seg *seg);

/** An acceptable ACK, as sf_tcp_snd_ack() reads it. */
struct sf_tcp_snd_ack {
	uint32_t ack;		/**< SEG.ACK, within [una - 2^30, max] */
	uint32_t tsecr;		/**< TSecr (with ts) */
	uint8_t ts;		/**< tsecr is valid (timestamp flow) */
	uint8_t dup;		/**< may count as a duplicate (RFC 5681 2: no
				 *   payload, no SYN/FIN, window unchanged) */
	uint8_t sack_n;		/**< SACK blocks in sack (0 without SACK) */
	const struct sf_sack_blk *sack; /**< the segment's SACK blocks */
};

/**
 * Process the ACK field of an acceptable segment (after the client's
 * window in @p c is updated): the SACK scoreboard (with SF_CONN_F_SACK),
 * SND.UNA, an RTT sample, cwnd growth, duplicate ACKs and loss recovery,
 * partial/full ACKs, the timers (RTO or tail loss probe restarted on
 * progress, stopped when all is acked; persist stopped when the window
 * opens).
 *
 * @param s        the state
 * @param c        the entry (snd_wnd, mss, flags)
 * @param pol      the TCP policy
 * @param a        the ACK
 * @param now_tsc  now
 * @param now_ms   our TSval clock now (for TSecr samples)
 * @param r        receives what it did
 */
void
sf_tcp_snd_ack(struct sf_tcp_snd *s, const struct sf_conn *c,
	       const struct sf_tcp_policy *pol, const struct sf_tcp_snd_ack *a,
	       uint64_t now_tsc, uint32_t now_ms, struct sf_tcp_snd_res *r);

/**
 * Fire the timer if it is due. Tail loss probe: a probe is pending, the
 * RTO timer runs. RTO: give up after pol->retries expiries without
 * progress; else ssthresh = max(FlightSize / 2, 2 * MSS) (first
 * expiry), cwnd = one MSS, nxt = una, SACKed ranges forgotten, timing
 * cancelled (Karn), backoff doubled, timer re-armed. Persist: give up
 * after pol->retries probes without any ACK; else a probe is pending,
 * backoff doubled, re-armed.
 *
 * @param s        the state
 * @param c        the entry
 * @param pol      the TCP policy
 * @param now_tsc  now
 * @return enum sf_tcp_fire.
 */
int
sf_tcp_snd_timer(struct sf_tcp_snd *s, const struct sf_conn *c,
		 const struct sf_tcp_policy *pol, uint64_t now_tsc);

/**
 * When the timer is next due.
 *
 * @param s  the state
 * @return its deadline (TSC), or UINT64_MAX when no timer runs.
 */
static inline uint64_t
sf_tcp_snd_due(const struct sf_tcp_snd *s)
{
	return s->timer != SF_TCP_TIMER_NONE ? s->deadline : UINT64_MAX;
}

#ifdef __cplusplus
}
#endif

#endif /* SF_TCP_SND_H */
