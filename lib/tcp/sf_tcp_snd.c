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

/* A segment went out: SND.MAX, the entry's SND.NXT, the RTO timer. */
static int
sf_tcp_snd_sent(struct sf_tcp_snd *s, struct sf_conn *c,
		const struct sf_tcp_policy *pol, uint64_t now_tsc,
		uint32_t seg_end)
{
	if (sf_seq_gt(seg_end, s->max))
		s->max = seg_end;
	c->snd_nxt = s->max;
	if (s->timer != SF_TCP_TIMER_RTO)
		sf_tcp_snd_arm(s, pol, SF_TCP_TIMER_RTO, now_tsc);
	return 1;
}

/*
 * Resend the segment at una (fast retransmit, NewReno partial ACK): nxt
 * does not move, the timed segment is abandoned (Karn).
 */
static int
sf_tcp_snd_rexmit(struct sf_tcp_snd *s, struct sf_conn *c,
		  const struct sf_tcp_policy *pol, uint32_t mss,
		  uint64_t now_tsc, struct sf_tcp_seg *seg)
{
	uint32_t data = sf_seq_lt(s->una, s->end) ? s->end - s->una : 0;
	uint32_t len = RTE_MIN(data, mss);
	int fin = (s->flags & SF_TCP_SND_F_FIN_SENT) &&
		s->una + len == s->end;

	s->flags &= ~(SF_TCP_SND_F_REXMIT | SF_TCP_SND_F_TIMING);
	if (len == 0 && !fin)
		return 0;
	seg->seq = s->una;
	seg->len = (uint16_t)len;
	seg->fin = (uint8_t)fin;
	seg->flags = SF_TCP_SEG_REXMIT | SF_TCP_SEG_FAST;
	if (sf_seq_lt(s->nxt, s->una + len + fin))
		s->nxt = s->una + len + fin;
	return sf_tcp_snd_sent(s, c, pol, now_tsc, s->una + len + fin);
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
 * New bytes (or old ones again after a timeout) at nxt within
 * min(snd_wnd, cwnd) from una, and the FIN when they reach end. A FIN
 * alone needs no window.
 */
static int
sf_tcp_snd_new(struct sf_tcp_snd *s, struct sf_conn *c,
	       const struct sf_tcp_policy *pol, uint32_t mss,
	       uint64_t now_tsc, struct sf_tcp_seg *seg)
{
	uint32_t flight = s->nxt - s->una;
	uint32_t wnd = RTE_MIN(c->snd_wnd, s->cwnd);
	uint32_t avail = sf_seq_lt(s->nxt, s->end) ? s->end - s->nxt : 0;
	uint32_t len = RTE_MIN(avail, mss);
	int fin = (s->flags & SF_TCP_SND_F_FIN) && !sf_seq_gt(s->nxt, s->end);

	len = RTE_MIN(len, wnd > flight ? wnd - flight : 0);
	if (len < avail && len < mss) {
		/* Cut by the window: wait for ACKs (no silly window)... */
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
	return sf_tcp_snd_new(s, c, pol, mss, now_tsc, seg);
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
 * A duplicate ACK (RFC 5681 2 and 3.2, RFC 6582 3.2): the third starts a
 * fast retransmit unless it is about data sent before the last recovery
 * or timeout; in recovery each one inflates cwnd by one MSS. Not while
 * probing a closed window: those ACKs answer the probes.
 */
static void
sf_tcp_snd_dup(struct sf_tcp_snd *s, const struct sf_conn *c,
	       const struct sf_tcp_snd_ack *a, struct sf_tcp_snd_res *r)
{
	uint32_t mss = sf_tcp_snd_mss(c);

	if (!a->dup || s->una == s->max || s->timer == SF_TCP_TIMER_PERSIST)
		return;
	if (s->dupacks < UINT8_MAX)
		s->dupacks++;
	if (s->flags & SF_TCP_SND_F_RECOVERY) {
		s->cwnd = RTE_MIN(s->cwnd + mss, SF_TCP_CWND_MAX);
		r->output = 1;
		return;
	}
	if (s->dupacks != SF_TCP_DUPACK_THRESH || sf_seq_lt(s->una, s->recover))
		return;
	s->ssthresh = RTE_MAX((s->max - s->una) / 2, 2 * mss);
	s->recover = s->max;
	s->cwnd = s->ssthresh + SF_TCP_DUPACK_THRESH * mss;
	s->flags |= SF_TCP_SND_F_RECOVERY | SF_TCP_SND_F_REXMIT;
	s->flags &= ~SF_TCP_SND_F_TIMING;
	r->fast = 1;
}

/*
 * cwnd on an ACK of @p acked new bytes: NewReno's partial and full ACKs
 * in recovery (RFC 6582 3.2 steps 3 and 4), else slow start (RFC 5681
 * 3.1: + min(acked, MSS)) or congestion avoidance (+ MSS * MSS / cwnd).
 */
static void
sf_tcp_snd_cong(struct sf_tcp_snd *s, const struct sf_conn *c, uint32_t ack,
		uint32_t acked)
{
	uint32_t mss = sf_tcp_snd_mss(c);

	if (s->flags & SF_TCP_SND_F_RECOVERY) {
		if (!sf_seq_lt(ack, s->recover)) {	/* full ACK */
			s->cwnd = RTE_MIN(s->ssthresh, (s->max - ack) + mss);
			s->cwnd = RTE_MAX(s->cwnd, mss);
			s->flags &= ~SF_TCP_SND_F_RECOVERY;
			s->dupacks = 0;
			return;
		}
		/* Partial: resend the next hole, deflate by what went. */
		s->flags |= SF_TCP_SND_F_REXMIT;
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
	sf_tcp_snd_cong(s, c, a->ack, a->ack - s->una);
	s->una = a->ack;
	if (sf_seq_lt(s->nxt, s->una))
		s->nxt = s->una;
	if (s->una == s->max) {
		if (s->timer == SF_TCP_TIMER_RTO)
			s->timer = SF_TCP_TIMER_NONE;
	} else if (s->timer != SF_TCP_TIMER_PERSIST) {
		sf_tcp_snd_arm(s, pol, SF_TCP_TIMER_RTO, now_tsc);
	}
}

void
sf_tcp_snd_ack(struct sf_tcp_snd *s, const struct sf_conn *c,
	       const struct sf_tcp_policy *pol, const struct sf_tcp_snd_ack *a,
	       uint64_t now_tsc, uint32_t now_ms, struct sf_tcp_snd_res *r)
{
	int unsent;

	memset(r, 0, sizeof(*r));
	if (sf_seq_gt(a->ack, s->max) || sf_seq_lt(a->ack, s->una))
		return;		/* beyond what we sent, or old */
	if (a->ack == s->una)
		sf_tcp_snd_dup(s, c, a, r);
	else
		sf_tcp_snd_advance(s, c, pol, a, now_tsc, now_ms, r);
	if (s->timer == SF_TCP_TIMER_PERSIST) {
		s->tries = 0;		/* the client answers */
		if (c->snd_wnd != 0) {
			s->timer = SF_TCP_TIMER_NONE;
			s->backoff = 0;
		}
	}
	r->fin_acked = (s->flags & SF_TCP_SND_F_FIN_SENT) &&
		s->una == s->end + 1;
	r->done = r->fin_acked ||
		(s->una == s->end && !(s->flags & SF_TCP_SND_F_FIN));
	unsent = sf_seq_lt(s->nxt, s->end) ||
		((s->flags & SF_TCP_SND_F_FIN) && !sf_seq_gt(s->nxt, s->end));
	/* Something to send, and no closed window to wait for. */
	if (!r->done && (unsent || (s->flags & SF_TCP_SND_F_REXMIT)) &&
	    s->timer != SF_TCP_TIMER_PERSIST)
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
	s->flags &= ~(SF_TCP_SND_F_TIMING | SF_TCP_SND_F_RECOVERY |
		      SF_TCP_SND_F_REXMIT);
	sf_tcp_snd_arm(s, pol, SF_TCP_TIMER_RTO, now_tsc);
	return SF_TCP_FIRE_RETRANSMIT;
}
