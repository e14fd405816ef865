/* SPDX-License-Identifier: BSD-3-Clause */

/*
 * The send path of the reply channel (see sf_tcp_snd.h): what to send
 * next, what an ACK acknowledges, what a timer expiry calls for. Every
 * sequence comparison is mod 2^32 (sf_seq_lt()).
 */

#include <errno.h>
#include <string.h>

#include <rte_common.h>

#include "sf_tcp.h"
#include "sf_tcp_snd.h"

/** cwnd never grows beyond this (bytes): no window can use more. */
#define SF_TCP_CWND_MAX		(UINT32_C(1) << 30)

/** Backoff doublings counted at most (rto_max caps the timeout anyway). */
#define SF_TCP_BACKOFF_MAX	30

static inline int
sf_seq_lt(uint32_t a, uint32_t b)
{
	return (int32_t)(a - b) < 0;
}

static inline int
sf_seq_gt(uint32_t a, uint32_t b)
{
	return (int32_t)(a - b) > 0;
}

void
sf_tcp_policy_clock(struct sf_tcp_policy *pol, uint64_t tsc_hz)
{
	pol->tsc_per_ms = RTE_MAX(tsc_hz / 1000, UINT64_C(1));
	pol->rto_init_tsc = tsc_hz * SF_TCP_RTO_INIT_MS / 1000;
	pol->rto_min_tsc = tsc_hz * SF_TCP_RTO_MIN_MS / 1000;
	pol->rto_max_tsc = tsc_hz * SF_TCP_RTO_MAX_MS / 1000;
}

uint16_t
sf_tcp_snd_mss(const struct sf_conn *c)
{
	uint16_t opt = (c->flags & SF_CONN_F_TS) ? SF_TCP_TS_OPT_LEN : 0;

	return c->mss > opt ? (uint16_t)(c->mss - opt) : 1;
}

void
sf_tcp_snd_init(struct sf_tcp_snd *s, const struct sf_conn *c,
		const struct sf_tcp_policy *pol)
{
	uint32_t mss = sf_tcp_snd_mss(c);

	memset(s, 0, sizeof(*s));
	s->una = c->snd_nxt;
	s->nxt = c->snd_nxt;
	s->max = c->snd_nxt;
	s->end = c->snd_nxt;
	s->recover = c->snd_nxt;
	/* RFC 6928: min(10 * MSS, max(2 * MSS, 14600)). */
	s->cwnd = RTE_MIN(SF_TCP_IW_SEGS * mss, RTE_MAX(2 * mss, 14600u));
	s->ssthresh = UINT32_MAX;
	s->rto = pol->rto_init_tsc;
}

int
sf_tcp_snd_queue(struct sf_tcp_snd *s, uint32_t n)
{
	if (s->flags & SF_TCP_SND_F_FIN)
		return -EPIPE;
	s->end += n;
	return 0;
}

int
sf_tcp_close(struct sf_conn *c, struct sf_tcp_snd *s)
{
	if (s->flags & SF_TCP_SND_F_FIN)
		return -EALREADY;
	if (c->state == SF_CONN_ESTABLISHED)
		c->state = SF_CONN_FIN_WAIT_1;
	else if (c->state == SF_CONN_CLOSE_WAIT)
		c->state = SF_CONN_LAST_ACK;
	else
		return -EINVAL;
	s->flags |= SF_TCP_SND_F_FIN;
	return 0;
}

/* The timeout with backoff: rto << backoff, at most rto_max. */
static uint64_t
sf_tcp_snd_rto(const struct sf_tcp_snd *s, const struct sf_tcp_policy *pol)
{
	uint64_t t = s->rto;
	unsigned int b;

	for (b = 0; b < s->backoff && t < pol->rto_max_tsc; b++)
		t <<= 1;
	return RTE_MIN(t, pol->rto_max_tsc);
}

static void
sf_tcp_snd_arm(struct sf_tcp_snd *s, const struct sf_tcp_policy *pol,
	       uint8_t timer, uint64_t now_tsc)
{
	s->timer = timer;
	s->deadline = now_tsc + sf_tcp_snd_rto(s, pol);
}

static inline int
sf_tcp_snd_sack_on(const struct sf_conn *c)
{
	return (c->flags & SF_CONN_F_SACK) != 0;
}

/*
 * The timer while data is in flight (RFC 8985 7.2): a tail loss probe
 * at PTO = max(2 * SRTT, 10 ms) (+ a delayed ACK with one segment out),
 * at most the RTO, when SACK is on, an RTT sample exists, no recovery,
 * no probe out and no backoff; else the RTO.
 */
static void
sf_tcp_snd_arm_rto(struct sf_tcp_snd *s, const struct sf_conn *c,
		   const struct sf_tcp_policy *pol, uint64_t now_tsc)
{
	uint64_t rto = sf_tcp_snd_rto(s, pol), pto;

	if (!sf_tcp_snd_sack_on(c) || s->srtt == 0 || s->backoff != 0 ||
	    (s->flags & (SF_TCP_SND_F_RECOVERY | SF_TCP_SND_F_TLP_SENT))) {
		s->timer = SF_TCP_TIMER_RTO;
		s->deadline = now_tsc + rto;
		return;
	}
	pto = RTE_MAX(2 * s->srtt, SF_TCP_PTO_MIN_MS * pol->tsc_per_ms);
	if (s->max - s->una <= sf_tcp_snd_mss(c))
		pto += SF_TCP_PTO_DELACK_MS * pol->tsc_per_ms;
	s->timer = SF_TCP_TIMER_TLP;
	s->deadline = now_tsc + RTE_MIN(pto, rto);
}

/*
 * A segment went out: SND.MAX, the entry's SND.NXT, the RTO timer (a
 * tail loss probe moves with each segment, RFC 8985 7.2).
 */
static int
sf_tcp_snd_sent(struct sf_tcp_snd *s, struct sf_conn *c,
		const struct sf_tcp_policy *pol, uint64_t now_tsc,
		uint32_t seg_end)
{
	if (sf_seq_gt(seg_end, s->max))
		s->max = seg_end;
	c->snd_nxt = s->max;
	if (s->timer != SF_TCP_TIMER_RTO)
		sf_tcp_snd_arm_rto(s, c, pol, now_tsc);
	return 1;
}

/* ------------------------------------------------------------------ */
/* The SACK scoreboard                                                 */

/* Forget what @p una passed. */
static void
sf_tcp_sb_trim(struct sf_tcp_snd *s, uint32_t una)
{
	unsigned int i, k = 0;

	for (i = 0; i < s->nsb; i++) {
		struct sf_tcp_sb b = s->sb[i];

		if (!sf_seq_gt(b.end, una))
			continue;
		if (sf_seq_lt(b.start, una))
			b.start = una;
		s->sb[k++] = b;
	}
	s->nsb = (uint8_t)k;
}

/*
 * Add [start, end) clipped to [una, max) (a D-SACK below una, a block
 * beyond what we sent: nothing), merging what overlaps or touches; with
 * no room, the highest range is forgotten (its bytes count as in flight).
 */
static void
sf_tcp_sb_add(struct sf_tcp_snd *s, uint32_t una, uint32_t start,
	      uint32_t end)
{
	struct sf_tcp_sb out[SF_TCP_SB_MAX + 1];
	unsigned int i, k = 0, in = 0;

	if (sf_seq_lt(start, una))
		start = una;
	if (sf_seq_gt(end, s->max))
		end = s->max;
	if (!sf_seq_lt(start, end))
		return;
	for (i = 0; i < s->nsb; i++) {
		const struct sf_tcp_sb *b = &s->sb[i];

		if (sf_seq_lt(b->end, start)) {
			out[k++] = *b;		/* below */
		} else if (sf_seq_gt(b->start, end)) {
			if (!in) {
				out[k].start = start;
				out[k++].end = end;
				in = 1;
			}
			out[k++] = *b;		/* above */
		} else {			/* overlaps or touches */
			if (sf_seq_lt(b->start, start))
				start = b->start;
			if (sf_seq_gt(b->end, end))
				end = b->end;
		}
	}
	if (!in) {
		out[k].start = start;
		out[k++].end = end;
	}
	s->nsb = (uint8_t)RTE_MIN(k, (unsigned int)SF_TCP_SB_MAX);
	memcpy(s->sb, out, s->nsb * sizeof(out[0]));
}

/*
 * The scoreboard after an ACK with its SACK blocks: what the ACK passes
 * is forgotten, the blocks added. @return bytes newly SACKed (RFC 6675
 * 2: what makes a duplicate ACK).
 */
static uint32_t
sf_tcp_sb_update(struct sf_tcp_snd *s, const struct sf_tcp_snd_ack *a)
{
	uint32_t before, after;
	unsigned int i;

	if (s->nsb > 0 && sf_seq_gt(a->ack, s->una))
		sf_tcp_sb_trim(s, a->ack);
	if (a->sack_n == 0)
		return 0;
	before = sf_tcp_snd_sacked(s);
	for (i = 0; i < a->sack_n; i++)
		sf_tcp_sb_add(s, a->ack, a->sack[i].start, a->sack[i].end);
	after = sf_tcp_snd_sacked(s);
	return after > before ? after - before : 0;
}

/* The highest SACKed sequence + 1, or una. */
static inline uint32_t
sf_tcp_sb_high(const struct sf_tcp_snd *s)
{
	return s->nsb > 0 ? s->sb[s->nsb - 1].end : s->una;
}

/*
 * The first byte at or after @p seq not SACKed, and in *room the bytes
 * from it to the next SACKed range (or to max above them all).
 */
static uint32_t
sf_tcp_sb_hole(const struct sf_tcp_snd *s, uint32_t seq, uint32_t *room)
{
	unsigned int i;

	for (i = 0; i < s->nsb; i++) {
		if (sf_seq_lt(seq, s->sb[i].start)) {
			*room = s->sb[i].start - seq;
			return seq;
		}
		if (sf_seq_lt(seq, s->sb[i].end))
			seq = s->sb[i].end;
	}
	*room = sf_seq_lt(seq, s->max) ? s->max - seq : 0;
	return seq;
}

/* Where recovery resends from: max(HighRxt, una). */
static inline uint32_t
sf_tcp_snd_rxt_from(const struct sf_tcp_snd *s)
{
	return sf_seq_gt(s->high_rxt, s->una) ? s->high_rxt : s->una;
}

/*
 * RFC 6675 SetPipe, with every hole below the highest SACKed byte taken
 * as lost: the bytes out (max - una) less the SACKed ones, less the
 * holes not resent yet (from HighRxt to the highest SACKed byte).
 */
static uint32_t
sf_tcp_snd_pipe(const struct sf_tcp_snd *s)
{
	uint32_t high = sf_tcp_sb_high(s);
	uint32_t pipe = s->max - s->una - sf_tcp_snd_sacked(s);
	uint32_t seq = sf_tcp_snd_rxt_from(s), room;

	for (;;) {
		seq = sf_tcp_sb_hole(s, seq, &room);
		if (!sf_seq_lt(seq, high))
			return pipe;
		room = RTE_MIN(room, high - seq);
		pipe -= RTE_MIN(room, pipe);
		seq += room;
	}
}

/* ------------------------------------------------------------------ */
/* Segments                                                            */

/*
 * Resend the first hole from max(HighRxt, una) (fast retransmit,
 * partial ACK, SACK recovery): nxt does not move back, HighRxt moves
 * past it, the timed segment is abandoned (Karn).
 */
static int
sf_tcp_snd_rexmit(struct sf_tcp_snd *s, struct sf_conn *c,
		  const struct sf_tcp_policy *pol, uint32_t mss,
		  uint64_t now_tsc, struct sf_tcp_seg *seg)
{
	uint32_t room, seq = sf_tcp_sb_hole(s, sf_tcp_snd_rxt_from(s), &room);
	uint32_t data = sf_seq_lt(seq, s->end) ? s->end - seq : 0;
	uint32_t len = RTE_MIN(RTE_MIN(data, mss), room);
	int fin = (s->flags & SF_TCP_SND_F_FIN_SENT) &&
		seq + len == s->end && room > len;

	s->flags &= ~(SF_TCP_SND_F_REXMIT | SF_TCP_SND_F_TIMING);
	if (len == 0 && !fin)
		return 0;
	seg->seq = seq;
	seg->off = seq - s->una;
	seg->len = (uint16_t)len;
	seg->fin = (uint8_t)fin;
	seg->flags = SF_TCP_SEG_REXMIT | SF_TCP_SEG_FAST;
	s->high_rxt = seq + len + fin;
	if (sf_seq_lt(s->nxt, s->high_rxt))
		s->nxt = s->high_rxt;
	return sf_tcp_snd_sent(s, c, pol, now_tsc, s->high_rxt);
}

/*
 * A zero-window probe: the byte at nxt, beyond the window. nxt stays (an
 * ACK that takes the byte moves una past it); the persist timer runs on.
 */
static int
sf_tcp_snd_probe(struct sf_tcp_snd *s, struct sf_conn *c,
		 struct sf_tcp_seg *seg)
{
	s->flags &= ~SF_TCP_SND_F_PROBE;
	if (!sf_seq_lt(s->nxt, s->end))
		return 0;
	seg->seq = s->nxt;
	seg->off = s->nxt - s->una;
	seg->len = 1;
	seg->flags = SF_TCP_SEG_PROBE;
	if (sf_seq_lt(s->nxt, s->max))
		seg->flags |= SF_TCP_SEG_REXMIT;
	else
		s->max = s->nxt + 1;
	c->snd_nxt = s->max;
	return 1;
}

/*
 * New bytes (or old ones again after a timeout) at nxt within the
 * client's window from una and @p cong bytes the congestion window
 * allows beyond nxt, and the FIN when they reach end. A FIN alone needs
 * no window.
 */
static int
sf_tcp_snd_new(struct sf_tcp_snd *s, struct sf_conn *c,
	       const struct sf_tcp_policy *pol, uint32_t mss, uint32_t cong,
	       uint64_t now_tsc, struct sf_tcp_seg *seg)
{
	uint32_t flight = s->nxt - s->una;
	uint32_t rwnd = c->snd_wnd > flight ? c->snd_wnd - flight : 0;
	uint32_t avail = sf_seq_lt(s->nxt, s->end) ? s->end - s->nxt : 0;
	uint32_t len = RTE_MIN(RTE_MIN(avail, mss), RTE_MIN(rwnd, cong));
	int fin = (s->flags & SF_TCP_SND_F_FIN) && !sf_seq_gt(s->nxt, s->end);

	if (len < avail && len < mss) {
		/* Cut by a window: wait for ACKs (no silly window)... */
		if (flight != 0)
			return 0;
		/* ...or, with nothing in flight, probe a closed one. */
		if (len == 0) {
			if (s->timer == SF_TCP_TIMER_NONE)
				sf_tcp_snd_arm(s, pol, SF_TCP_TIMER_PERSIST,
					       now_tsc);
			return 0;
		}
	}
	fin = fin && s->nxt + len == s->end;
	if (len == 0 && !fin)
		return 0;
	seg->seq = s->nxt;
	seg->off = s->nxt - s->una;
	seg->len = (uint16_t)len;
	seg->fin = (uint8_t)fin;
	seg->flags = sf_seq_lt(s->nxt, s->max) ? SF_TCP_SEG_REXMIT : 0;
	if (len > 0 && !(c->flags & SF_CONN_F_TS) && seg->flags == 0 &&
	    !(s->flags & SF_TCP_SND_F_TIMING)) {
		s->flags |= SF_TCP_SND_F_TIMING;
		s->rtt_seq = s->nxt + len;
		s->rtt_tsc = now_tsc;
	}
	s->nxt += len + fin;
	if (fin)
		s->flags |= SF_TCP_SND_F_FIN_SENT;
	return sf_tcp_snd_sent(s, c, pol, now_tsc, s->nxt);
}

/*
 * The tail loss probe (RFC 8985 7.3): a new segment when the client's
 * window takes one (cwnd aside), else the last segment sent again.
 */
static int
sf_tcp_snd_tlp(struct sf_tcp_snd *s, struct sf_conn *c,
	       const struct sf_tcp_policy *pol, uint32_t mss,
	       uint64_t now_tsc, struct sf_tcp_seg *seg)
{
	uint32_t dend = sf_seq_lt(s->max, s->end) ? s->max : s->end;
	uint32_t len;

	s->flags &= ~SF_TCP_SND_F_TLP;
	s->flags |= SF_TCP_SND_F_TLP_SENT;
	if (s->nxt == s->max &&
	    sf_tcp_snd_new(s, c, pol, mss, mss, now_tsc, seg)) {
		seg->flags |= SF_TCP_SEG_TLP;
		return 1;
	}
	len = RTE_MIN(mss, sf_seq_gt(dend, s->una) ? dend - s->una : 0);
	seg->seq = dend - len;
	seg->off = seg->seq - s->una;
	seg->len = (uint16_t)len;
	seg->fin = (s->flags & SF_TCP_SND_F_FIN_SENT) && dend == s->end;
	if (len == 0 && !seg->fin)
		return 0;
	seg->flags = SF_TCP_SEG_REXMIT | SF_TCP_SEG_TLP;
	s->flags &= ~SF_TCP_SND_F_TIMING;
	return 1;
}

/*
 * In SACK recovery (RFC 6675 5 (C)): while cwnd - pipe >= one segment,
 * the next hole below the highest SACKed byte, else new data.
 */
static int
sf_tcp_snd_recovery(struct sf_tcp_snd *s, struct sf_conn *c,
		    const struct sf_tcp_policy *pol, uint32_t mss,
		    uint64_t now_tsc, struct sf_tcp_seg *seg)
{
	uint32_t pipe = sf_tcp_snd_pipe(s), room, seq;

	if (pipe + mss > s->cwnd)
		return 0;
	seq = sf_tcp_sb_hole(s, sf_tcp_snd_rxt_from(s), &room);
	if (sf_seq_lt(seq, sf_tcp_sb_high(s)))
		return sf_tcp_snd_rexmit(s, c, pol, mss, now_tsc, seg);
	return sf_tcp_snd_new(s, c, pol, mss, s->cwnd - pipe, now_tsc, seg);
}

/*
 * The congestion window's room beyond nxt: cwnd less the flight, plus
 * one segment per duplicate ACK before recovery (limited transmit, RFC
 * 3042: new data only).
 */
static inline uint32_t
sf_tcp_snd_cong_room(const struct sf_tcp_snd *s, uint32_t mss)
{
	uint32_t wnd = s->cwnd, flight = s->nxt - s->una;

	if (s->dupacks > 0 && s->dupacks < SF_TCP_DUPACK_THRESH &&
	    s->nxt == s->max)
		wnd += s->dupacks * mss;
	return wnd > flight ? wnd - flight : 0;
}

int
sf_tcp_snd_next(struct sf_tcp_snd *s, struct sf_conn *c,
		const struct sf_tcp_policy *pol, uint32_t seg_max,
		uint64_t now_tsc, struct sf_tcp_seg *seg)
{
	uint32_t mss = RTE_MIN((uint32_t)sf_tcp_snd_mss(c), seg_max);

	memset(seg, 0, sizeof(*seg));
	if (mss == 0)
		return 0;
	if (s->flags & SF_TCP_SND_F_REXMIT)
		return sf_tcp_snd_rexmit(s, c, pol, mss, now_tsc, seg);
	if (s->flags & SF_TCP_SND_F_PROBE)
		return sf_tcp_snd_probe(s, c, seg);
	if (s->flags & SF_TCP_SND_F_TLP)
		return sf_tcp_snd_tlp(s, c, pol, mss, now_tsc, seg);
	if ((s->flags & SF_TCP_SND_F_RECOVERY) && sf_tcp_snd_sack_on(c))
		return sf_tcp_snd_recovery(s, c, pol, mss, now_tsc, seg);
	return sf_tcp_snd_new(s, c, pol, mss, sf_tcp_snd_cong_room(s, mss),
			      now_tsc, seg);
}

/*
 * RFC 6298 2.2 and 2.3 on one sample r (TSC ticks), then RTO within
 * [rto_min, rto_max]; the backoff ends with a new sample.
 */
static void
sf_tcp_snd_rtt(struct sf_tcp_snd *s, const struct sf_tcp_policy *pol,
	       uint64_t r)
{
	uint64_t d;

	r = RTE_MAX(r, UINT64_C(1));
	if (s->srtt == 0) {
		s->srtt = r;
		s->rttvar = r / 2;
	} else {
		d = s->srtt > r ? s->srtt - r : r - s->srtt;
		s->rttvar = (3 * s->rttvar + d) / 4;
		s->srtt = (7 * s->srtt + r) / 8;
	}
	s->rto = s->srtt + RTE_MAX(pol->tsc_per_ms, 4 * s->rttvar);
	s->rto = RTE_MAX(s->rto, pol->rto_min_tsc);
	s->rto = RTE_MIN(s->rto, pol->rto_max_tsc);
	s->backoff = 0;
}

/*
 * Enter loss recovery (RFC 5681 3.2, RFC 6675 5 (4)): ssthresh = half
 * the flight, the first hole resent now; without SACK cwnd = ssthresh
 * + 3 MSS (NewReno, inflated by each further duplicate), with SACK cwnd
 * = ssthresh and pipe decides.
 */
static void
sf_tcp_snd_enter(struct sf_tcp_snd *s, const struct sf_conn *c,
		 struct sf_tcp_snd_res *r)
{
	uint32_t mss = sf_tcp_snd_mss(c);

	s->ssthresh = RTE_MAX((s->max - s->una) / 2, 2 * mss);
	s->recover = s->max;
	s->high_rxt = s->una;
	s->cwnd = s->ssthresh;
	if (!sf_tcp_snd_sack_on(c))
		s->cwnd += SF_TCP_DUPACK_THRESH * mss;
	s->flags |= SF_TCP_SND_F_RECOVERY | SF_TCP_SND_F_REXMIT;
	s->flags &= ~(SF_TCP_SND_F_TIMING | SF_TCP_SND_F_TLP);
	r->fast = 1;
	r->output = 1;
}

/*
 * Whether the SACKs say una is lost (RFC 6675 4 IsLost: more than
 * (DupThresh - 1) MSS or DupThresh ranges SACKed above it), or the last
 * segment sent is SACKed with nothing new to send (RFC 5827 early
 * retransmit, RFC 8985's tail).
 */
static int
sf_tcp_snd_sack_lost(const struct sf_tcp_snd *s, const struct sf_conn *c)
{
	uint32_t mss = sf_tcp_snd_mss(c);

	if (s->nsb == 0)
		return 0;
	if (sf_tcp_snd_sacked(s) > (SF_TCP_DUPACK_THRESH - 1) * mss ||
	    s->nsb >= SF_TCP_DUPACK_THRESH)
		return 1;
	return sf_tcp_sb_high(s) == s->max && !sf_seq_lt(s->nxt, s->end);
}

/*
 * A duplicate ACK (RFC 5681 2 and 3.2, RFC 6675 2: with SACK, one that
 * SACKs new data, @p newly bytes): the third starts recovery unless it
 * is about data sent before the last recovery or timeout; in NewReno
 * recovery each one inflates cwnd by one MSS; before, the first two may
 * send new data (limited transmit). Not while probing a closed window:
 * those ACKs answer the probes.
 */
static void
sf_tcp_snd_dup(struct sf_tcp_snd *s, const struct sf_conn *c,
	       const struct sf_tcp_snd_ack *a, uint32_t newly,
	       struct sf_tcp_snd_res *r)
{
	uint32_t mss = sf_tcp_snd_mss(c);

	if (!(a->dup || newly > 0) || s->una == s->max ||
	    s->timer == SF_TCP_TIMER_PERSIST)
		return;
	if (s->dupacks < UINT8_MAX)
		s->dupacks++;
	if (s->flags & SF_TCP_SND_F_RECOVERY) {
		if (!sf_tcp_snd_sack_on(c))
			s->cwnd = RTE_MIN(s->cwnd + mss, SF_TCP_CWND_MAX);
		r->output = 1;
		return;
	}
	if (sf_seq_lt(s->una, s->recover))
		return;
	if (s->dupacks >= SF_TCP_DUPACK_THRESH)
		sf_tcp_snd_enter(s, c, r);
	else if (s->nxt == s->max && sf_seq_lt(s->nxt, s->end))
		r->output = 1;		/* limited transmit */
}

/*
 * cwnd on an ACK of @p acked new bytes: partial and full ACKs in
 * recovery (RFC 6582 3.2 steps 3 and 4; with SACK, RFC 6675: cwnd
 * stays, pipe decides), else slow start (RFC 5681 3.1: + min(acked,
 * MSS)) or congestion avoidance (+ MSS * MSS / cwnd).
 */
static void
sf_tcp_snd_cong(struct sf_tcp_snd *s, const struct sf_conn *c, uint32_t ack,
		uint32_t acked)
{
	uint32_t mss = sf_tcp_snd_mss(c);

	if (s->flags & SF_TCP_SND_F_RECOVERY) {
		if (!sf_seq_lt(ack, s->recover)) {
			/* Full ACK: min(ssthresh, max(FlightSize, MSS) + MSS). */
			s->cwnd = RTE_MIN(s->ssthresh,
					  RTE_MAX(s->max - ack, mss) + mss);
			s->flags &= ~SF_TCP_SND_F_RECOVERY;
			s->dupacks = 0;
			return;
		}
		if (sf_tcp_snd_sack_on(c) && s->nsb > 0)
			return;
		/* NewReno partial: resend at una, deflate by what went. */
		s->flags |= SF_TCP_SND_F_REXMIT;
		s->high_rxt = ack;
		s->cwnd = s->cwnd > acked ? s->cwnd - acked : 0;
		if (acked >= mss)
			s->cwnd += mss;
		s->cwnd = RTE_MAX(s->cwnd, mss);
		return;
	}
	s->dupacks = 0;
	if (s->cwnd < s->ssthresh)
		s->cwnd += RTE_MIN(acked, mss);
	else
		s->cwnd += RTE_MAX(mss * mss / s->cwnd, 1u);
	s->cwnd = RTE_MIN(s->cwnd, SF_TCP_CWND_MAX);
}

/*
 * An ACK of new data: an RTT sample (TSecr, or the timed segment), cwnd,
 * SND.UNA, and the RTO timer restarted (RFC 6298 5.3) or stopped when
 * everything is acknowledged (5.2).
 */
static void
sf_tcp_snd_advance(struct sf_tcp_snd *s, const struct sf_conn *c,
		   const struct sf_tcp_policy *pol,
		   const struct sf_tcp_snd_ack *a, uint64_t now_tsc,
		   uint32_t now_ms, struct sf_tcp_snd_res *r)
{
	uint32_t data_end = sf_seq_gt(a->ack, s->end) ? s->end : a->ack;

	r->acked = sf_seq_gt(data_end, s->una) ? data_end - s->una : 0;
	if (a->ts && a->tsecr != 0 && (int32_t)(now_ms - a->tsecr) >= 0) {
		sf_tcp_snd_rtt(s, pol, (uint64_t)(now_ms - a->tsecr) *
			       pol->tsc_per_ms);
	} else if ((s->flags & SF_TCP_SND_F_TIMING) &&
		   !sf_seq_lt(a->ack, s->rtt_seq)) {
		s->flags &= ~SF_TCP_SND_F_TIMING;
		sf_tcp_snd_rtt(s, pol, now_tsc - s->rtt_tsc);
	}
	s->tries = 0;
	s->flags &= ~SF_TCP_SND_F_TLP_SENT;
	sf_tcp_snd_cong(s, c, a->ack, a->ack - s->una);
	s->una = a->ack;
	if (sf_seq_lt(s->nxt, s->una))
		s->nxt = s->una;
	if (s->una == s->max) {
		if (s->timer == SF_TCP_TIMER_RTO ||
		    s->timer == SF_TCP_TIMER_TLP)
			s->timer = SF_TCP_TIMER_NONE;
	} else if (s->timer != SF_TCP_TIMER_PERSIST) {
		sf_tcp_snd_arm_rto(s, c, pol, now_tsc);
	}
}

void
sf_tcp_snd_ack(struct sf_tcp_snd *s, const struct sf_conn *c,
	       const struct sf_tcp_policy *pol, const struct sf_tcp_snd_ack *a,
	       uint64_t now_tsc, uint32_t now_ms, struct sf_tcp_snd_res *r)
{
	int unsent, moved = a->ack != s->una;
	uint32_t newly = 0;

	memset(r, 0, sizeof(*r));
	if (sf_seq_gt(a->ack, s->max) || sf_seq_lt(a->ack, s->una))
		return;		/* beyond what we sent, or old */
	if (sf_tcp_snd_sack_on(c))
		newly = sf_tcp_sb_update(s, a);
	if (!moved)
		sf_tcp_snd_dup(s, c, a, newly, r);
	else
		sf_tcp_snd_advance(s, c, pol, a, now_tsc, now_ms, r);
	if (sf_tcp_snd_sack_on(c) && !(s->flags & SF_TCP_SND_F_RECOVERY) &&
	    !sf_seq_lt(s->una, s->recover) && s->una != s->max &&
	    s->timer != SF_TCP_TIMER_PERSIST && sf_tcp_snd_sack_lost(s, c))
		sf_tcp_snd_enter(s, c, r);
	if (s->timer == SF_TCP_TIMER_PERSIST) {
		s->tries = 0;		/* the client answers */
		if (c->snd_wnd != 0) {
			s->timer = SF_TCP_TIMER_NONE;
			s->backoff = 0;
		}
	}
	r->fin_acked = sf_tcp_snd_fin_acked(s);
	r->done = r->fin_acked ||
		(s->una == s->end && !(s->flags & SF_TCP_SND_F_FIN));
	unsent = sf_seq_lt(s->nxt, s->end) ||
		((s->flags & SF_TCP_SND_F_FIN) && !sf_seq_gt(s->nxt, s->end));
	/*
	 * Something to send, no closed window to wait for, and something
	 * changed: bytes acknowledged, a window update (not a duplicate), a
	 * retransmission due, cwnd inflated, SACK recovery (holes to resend).
	 */
	if (!r->done && (unsent || (s->flags & (SF_TCP_SND_F_REXMIT |
						SF_TCP_SND_F_RECOVERY))) &&
	    s->timer != SF_TCP_TIMER_PERSIST &&
	    (moved || !a->dup || r->fast || r->output))
		r->output = 1;
}

int
sf_tcp_snd_timer(struct sf_tcp_snd *s, const struct sf_conn *c,
		 const struct sf_tcp_policy *pol, uint64_t now_tsc)
{
	uint32_t mss = sf_tcp_snd_mss(c);

	if (s->timer == SF_TCP_TIMER_NONE ||
	    (int64_t)(now_tsc - s->deadline) < 0)
		return SF_TCP_FIRE_NONE;
	if (s->timer == SF_TCP_TIMER_TLP) {
		s->flags |= SF_TCP_SND_F_TLP;
		sf_tcp_snd_arm(s, pol, SF_TCP_TIMER_RTO, now_tsc);
		return SF_TCP_FIRE_TLP;
	}
	if (s->tries >= pol->retries) {
		s->timer = SF_TCP_TIMER_NONE;
		return SF_TCP_FIRE_GIVE_UP;
	}
	s->tries++;
	if (s->backoff < SF_TCP_BACKOFF_MAX)
		s->backoff++;
	if (s->timer == SF_TCP_TIMER_PERSIST) {
		s->flags |= SF_TCP_SND_F_PROBE;
		sf_tcp_snd_arm(s, pol, SF_TCP_TIMER_PERSIST, now_tsc);
		return SF_TCP_FIRE_PROBE;
	}
	/* RFC 5681 (4) on the first timeout, then cwnd = LW = 1 MSS. */
	if (s->tries == 1)
		s->ssthresh = RTE_MAX((s->max - s->una) / 2, 2 * mss);
	s->cwnd = mss;
	s->nxt = s->una;
	s->recover = s->max;
	s->dupacks = 0;
	s->nsb = 0;		/* RFC 2018 8: SACKs are advisory */
	s->flags &= ~(SF_TCP_SND_F_TIMING | SF_TCP_SND_F_RECOVERY |
		      SF_TCP_SND_F_REXMIT | SF_TCP_SND_F_TLP |
		      SF_TCP_SND_F_TLP_SENT);
	sf_tcp_snd_arm(s, pol, SF_TCP_TIMER_RTO, now_tsc);
	return SF_TCP_FIRE_RETRANSMIT;
}
