/* SPDX-License-Identifier: BSD-3-Clause */

/*
 * The established-flow state machine (see sf_tcp.h). A segment is checked
 * in this order (RFC 9293 3.10.7.4, with RFC 7323 5.3's PAWS before the
 * sequence number as Linux does):
 *
 *   RESET  the entry's RST event is still to be queued: retry it, drop
 *   RST    RFC 5961 3.2: at RCV.NXT resets, in the window challenges,
 *          elsewhere is dropped (no PAWS for an RST, RFC 7323 5.3 R1)
 *   SYN    RFC 5961 4: challenge ACK (whatever its timestamp)
 *   TSopt  missing on a timestamp flow: dropped (RFC 7323 3.2)
 *   PAWS   TSval < TS.Recent: ACK, dropped (RFC 7323 5.3 R1)
 *   ACK    no ACK bit: dropped; SEG.ACK outside [ISS + 1, SND.NXT]
 *          (SND.UNA - 2^30 once that much was sent; RFC 5961 5.2):
 *          challenge ACK
 *   SEQ    not acceptable (RFC 9293's four cases): ACK, dropped; a
 *          retransmitted FIN in LAST_ACK gets our FIN again
 *   then   the segment is acceptable: idle time, the client's window
 *          (SND.WL1/WL2), TS.Recent (RFC 7323 4.3), and the text: pure
 *          ACK, future data, new data (trimmed to the window) and FIN,
 *          each handed over before it is acknowledged (with the reply
 *          channel: sf_tcp_chan.c)
 *
 * off = SEG.SEQ - RCV.NXT (signed): 0 is in order, < 0 starts with bytes
 * already received (trim of them), > 0 leaves a hole.
 *
 *   ....old....|RCV.NXT ....... window ....... |RCV.NXT+RCV.WND ...beyond
 *     off < 0  |off = 0            0 < off < RCV.WND    off >= RCV.WND
 */

#include <string.h>

#include <rte_common.h>

#include "sf_tcp.h"
#include "sf_tcp_in.h"

/** Oldest SEG.ACK taken once more than this was sent (RFC 5961 5.2). */
#define SF_TCP_ACK_SPAN		(UINT32_C(1) << 30)

/* Our window scale when the client took one, else 0. */
static inline uint8_t
sf_tcp_rcv_ws(const struct sf_conn *c)
{
	return (c->flags & SF_TCP_CONN_F_WS) ? c->rcv_wscale : 0;
}

/*
 * RCV.WND in bytes: the window field we send, scaled, or with the reply
 * channel the consumer's credit (at least what we advertise).
 */
static inline uint32_t
sf_tcp_rcv_wnd(const struct sf_conn *c, const struct sf_tcp_policy *pol)
{
	if (c->flags & SF_TCP_CONN_F_REPLY)
		return c->credit;
	return (uint32_t)pol->window << sf_tcp_rcv_ws(c);
}

/* States in which the client may still send (its FIN not received). */
static inline int
sf_tcp_rcv_open(const struct sf_conn *c)
{
	return c->state == SF_CONN_ESTABLISHED ||
		c->state == SF_CONN_FIN_WAIT_1 ||
		c->state == SF_CONN_FIN_WAIT_2;
}

void
sf_tcp_accept(struct sf_conn *c, const struct sf_pkt *ack, uint8_t mss_idx,
	      uint8_t opt, const struct sf_tcp_policy *pol, uint64_t now_tsc)
{
	struct sf_cookie_opts o;

	sf_cookie_opt_decode(opt, &o);
	c->client_isn = ack->seq - 1;
	c->server_isn = ack->ack - 1;
	c->rcv_nxt = ack->seq;
	c->snd_nxt = ack->ack;
	c->mss = sf_cookie_mss_value(ack->flow.family, mss_idx);
	c->last_tsc = now_tsc;
	/* the first may go */
	c->chal_t = (uint32_t)((now_tsc - pol->chal_gap_tsc) >>
			       SF_CONN_CHAL_SHIFT);
	c->state = SF_CONN_ESTABLISHED;
	c->flags = 0;
	c->snd_wscale = 0;
	c->rcv_wscale = 0;
	c->ts_recent = 0;
	if (o.ts) {
		c->flags |= SF_CONN_F_TS;
		c->ts_recent = ack->opts.tsval;
	}
	if (o.sack)
		c->flags |= SF_CONN_F_SACK;
	if (o.wscale != SF_WSCALE_NONE) {
		c->flags |= SF_TCP_CONN_F_WS;
		c->snd_wscale = o.wscale;
		c->rcv_wscale = pol->wscale;
	}
	c->credit = 0;
	if (pol->reply) {
		/* No more than our window field can ever say. */
		c->flags |= SF_TCP_CONN_F_REPLY;
		c->credit = (uint32_t)RTE_MIN((uint64_t)pol->credit,
					      (uint64_t)UINT16_MAX <<
					      sf_tcp_rcv_ws(c));
	}
	c->snd_wnd = (uint32_t)ack->window << c->snd_wscale;
	c->snd_wl1 = ack->seq;
	c->snd_wl2 = ack->ack;
}

/*
 * A reply an off-path sender can call for: at most one per
 * pol->chal_gap_tsc per flow, at SND.NXT (RFC 5961 section 7; Linux's
 * tcp_oow_rate_limited()). Otherwise nothing is sent and act->flow_limited
 * says so.
 */
static void
sf_tcp_reply_limited(struct sf_tcp_in *in, uint8_t kind, uint8_t note)
{
	struct sf_conn *c = in->c;

	in->act->note = note;
	uint32_t now_t = (uint32_t)(in->now_tsc >> SF_CONN_CHAL_SHIFT);
	uint32_t gap_t = (uint32_t)(in->pol->chal_gap_tsc >> SF_CONN_CHAL_SHIFT);

	if (in->pol->chal_gap_tsc != 0 && now_t - c->chal_t < gap_t) {
		in->act->flow_limited = 1;
		return;
	}
	c->chal_t = now_t;
	sf_tcp_reply(in->act, kind, c->snd_nxt, note);
}

/* RFC 5961 section 3.2: an RST on an established flow. */
static void
sf_tcp_rst(struct sf_tcp_in *in)
{
	struct sf_tcp_action *act = in->act;

	if (in->off == 0) {
		in->c->last_tsc = in->now_tsc;
		act->note = SF_TCP_N_RST;
		if (in->room > 0) {
			act->events = SF_TCP_EV_RST;
			act->remove = 1;
		} else {
			/* Kept until its event is queued (sf_tcp.h: RESET). */
			act->lost = 1;
			in->c->state = SF_CONN_RESET;
		}
	} else if (in->off > 0 && (uint32_t)in->off < in->wnd) {
		sf_tcp_reply_limited(in, SF_TCP_RE_CHALLENGE, SF_TCP_N_NONE);
	} else {
		act->note = SF_TCP_N_OUT_OF_WINDOW;
	}
}

/*
 * A RESET entry: the client is gone, any segment is dropped; it gives the
 * RST event another chance, and the entry goes once it is queued.
 */
static void
sf_tcp_reset_retry(struct sf_tcp_in *in)
{
	in->act->note = SF_TCP_N_AFTER_RST;
	if (in->room > 0) {
		in->act->events = SF_TCP_EV_RST;
		in->act->remove = 1;
	} else {
		in->act->lost = 1;
	}
}

/*
 * RFC 9293 3.10.7.4's acceptability test, RCV.WND > 0, as Linux's
 * tcp_sequence() reads it: the segment starts before RCV.NXT + RCV.WND
 * and, unless it starts in the window, ends after RCV.NXT (so one that
 * spans the whole window is taken, and trimmed). RCV.WND = 0 (the reply
 * channel, no credit left): a segment at RCV.NXT is taken, for its ACK and to be answered
 * with our window (RFC 9293: "special allowance should be made to accept
 * valid ACKs"); its text is trimmed away.
 */
static inline int
sf_tcp_seq_ok(const struct sf_tcp_in *in)
{
	if (in->wnd == 0 && (in->c->flags & SF_TCP_CONN_F_REPLY))
		return in->off == 0;
	if (in->off >= 0)
		return (uint32_t)in->off < in->wnd;
	return (int64_t)in->off + in->len > 0;
}

/*
 * A segment that is not acceptable: ACKed and dropped (RFC 9293
 * 3.10.7.4). Old data is a retransmission (its ACK was lost) and a FIN
 * again in LAST_ACK (without the reply channel: there our FIN is
 * retransmitted by its timer) means our FIN|ACK was lost: both answered
 * at once. A
 * keepalive probe (SEG.SEQ = RCV.NXT - 1, no data), other old pure ACKs
 * and anything beyond the window get a flow-limited ACK; a keepalive with
 * an acceptable ACK shows the client alive (idle time refreshed).
 */
static void
sf_tcp_unacceptable(struct sf_tcp_in *in)
{
	const struct sf_pkt *seg = in->seg;
	struct sf_conn *c = in->c;

	if (in->off >= 0) {
		sf_tcp_reply_limited(in, SF_TCP_RE_ACK,
				     SF_TCP_N_OUT_OF_WINDOW);
	} else if (c->state == SF_CONN_LAST_ACK &&
		   !(c->flags & SF_TCP_CONN_F_REPLY) &&
		   (seg->tcp_flags & SF_TCP_FIN) &&
		   seg->seq + seg->payload_len == c->rcv_nxt - 1) {
		sf_tcp_reply(in->act, SF_TCP_RE_FIN_ACK, c->snd_nxt - 1,
			     SF_TCP_N_NONE);
	} else if (in->len != 0) {
		sf_tcp_reply(in->act, SF_TCP_RE_ACK, c->snd_nxt,
			     SF_TCP_N_DUP_DATA);
	} else if (in->off == -1 && sf_tcp_rcv_open(c)) {
		c->last_tsc = in->now_tsc;
		sf_tcp_reply_limited(in, SF_TCP_RE_ACK, SF_TCP_N_KEEPALIVE);
	} else {
		sf_tcp_reply_limited(in, SF_TCP_RE_ACK,
				     SF_TCP_N_OUT_OF_WINDOW);
	}
}

/*
 * LAST_ACK, an acceptable segment: our FIN is out and the client's FIN
 * took RCV.NXT - 1. The ACK of our FIN closes (RFC 9293: delete the TCB,
 * whatever the text); new data after a FIN is impossible from a peer; a
 * FIN after RCV.NXT is answered with a duplicate ACK.
 */
static void
sf_tcp_last_ack(struct sf_tcp_in *in)
{
	const struct sf_pkt *seg = in->seg;
	struct sf_tcp_action *act = in->act;

	if (seg->ack == in->c->snd_nxt) {
		act->note = SF_TCP_N_CLOSED;
		act->remove = 1;
	} else if (seg->payload_len != 0) {
		act->note = SF_TCP_N_UNEXPECTED;
	} else if (seg->tcp_flags & SF_TCP_FIN) {
		sf_tcp_reply(act, SF_TCP_RE_ACK, in->c->snd_nxt,
			     SF_TCP_N_OUT_OF_WINDOW);
	} else {
		act->note = SF_TCP_N_ACK;
	}
}

/*
 * ESTABLISHED, an acceptable segment with payload and/or FIN starting at
 * or before RCV.NXT: new bytes, trimmed to the window, are handed over
 * (DATA), then the FIN if it is in the window (FIN event, our FIN|ACK,
 * LAST_ACK); each is acknowledged only once its event fits the ring.
 */
static void
sf_tcp_text(struct sf_tcp_in *in)
{
	struct sf_tcp_action *act = in->act;
	struct sf_conn *c = in->c;
	uint32_t len;

	/* RCV.NXT + RCV.WND and on: not taken, a FIN there neither */
	if (sf_tcp_take_text(in, in->wnd, 1, &len) <= 0)
		return;
	if (in->room == 0) {
		act->lost++;	/* ACK the data alone, if any */
		return;
	}
	act->events |= SF_TCP_EV_FIN;
	c->rcv_nxt += 1;
	c->state = SF_CONN_LAST_ACK;
	sf_tcp_reply(act, SF_TCP_RE_FIN_ACK, c->snd_nxt, SF_TCP_N_NONE);
	c->snd_nxt += 1;
}

/*
 * An acceptable segment with an acceptable ACK: the client is alive, its
 * window is taken in RFC 9293's order (SND.WL1 < SEG.SEQ, or = and
 * SND.WL2 <= SEG.ACK), and its TSval when the segment covers RCV.NXT
 * (RFC 7323 4.3: SEG.SEQ <= Last.ACK.sent; PAWS has passed, so TSval >=
 * TS.Recent).
 */
static void
sf_tcp_accepted(struct sf_tcp_in *in)
{
	const struct sf_pkt *seg = in->seg;
	struct sf_conn *c = in->c;
	int32_t d1 = (int32_t)(seg->seq - c->snd_wl1);

	c->last_tsc = in->now_tsc;
	if (d1 > 0 || (d1 == 0 && (int32_t)(seg->ack - c->snd_wl2) >= 0)) {
		c->snd_wnd = (uint32_t)seg->window <<
			((c->flags & SF_TCP_CONN_F_WS) ? c->snd_wscale : 0);
		c->snd_wl1 = seg->seq;
		c->snd_wl2 = seg->ack;
	}
	if (in->off <= 0 && (c->flags & SF_CONN_F_TS))
		c->ts_recent = seg->opts.tsval;
}

/* RFC 7323 5.3 R1: a TSval older than TS.Recent (2^31 apart is older). */
static inline int
sf_tcp_paws_fails(const struct sf_conn *c, const struct sf_pkt *seg)
{
	return (c->flags & SF_CONN_F_TS) &&
		(int32_t)(seg->opts.tsval - c->ts_recent) < 0;
}

/*
 * RFC 5961 5.2: SEG.ACK is acceptable in [SND.UNA - MAX.SND.WND, SND.NXT],
 * here from ISS + 1 (nothing older exists) until more than
 * SF_TCP_ACK_SPAN was sent, then from SND.UNA - SF_TCP_ACK_SPAN; SND.NXT
 * is the entry's snd_nxt (SND.MAX of a send state).
 */
static inline int
sf_tcp_ack_ok(const struct sf_tcp_in *in)
{
	const struct sf_conn *c = in->c;
	uint32_t low = c->server_isn + 1;

	if (c->snd_nxt - low > SF_TCP_ACK_SPAN)
		low = (in->snd != NULL ? in->snd->una : c->snd_nxt) -
			SF_TCP_ACK_SPAN;
	return in->seg->ack - low <= c->snd_nxt - low;
}

/*
 * The checks before the text; @return 0 when the segment is decided
 * (dropped or answered), 1 when it is acceptable.
 */
static int
sf_tcp_check(struct sf_tcp_in *in)
{
	const struct sf_pkt *seg = in->seg;
	const struct sf_conn *c = in->c;
	uint8_t fl = seg->tcp_flags;

	if (fl & SF_TCP_RST) {
		sf_tcp_rst(in);
		return 0;
	}
	/*
	 * A SYN is challenged whatever its timestamp (as Linux): a client
	 * that restarted with this 4-tuple answers the challenge ACK with
	 * the RST that frees the entry (RFC 5961 4.2).
	 */
	if (fl & SF_TCP_SYN) {
		sf_tcp_reply_limited(in, SF_TCP_RE_CHALLENGE, SF_TCP_N_NONE);
		return 0;
	}
	if ((c->flags & SF_CONN_F_TS) && !seg->opts.ts_ok) {
		in->act->note = SF_TCP_N_TS_MISSING;
		return 0;
	}
	if (sf_tcp_paws_fails(c, seg)) {
		sf_tcp_reply_limited(in, SF_TCP_RE_ACK, SF_TCP_N_PAWS);
		return 0;
	}
	if (!(fl & SF_TCP_ACK)) {
		in->act->note = SF_TCP_N_UNEXPECTED;
		return 0;
	}
	if (unlikely(!sf_tcp_ack_ok(in))) {
		sf_tcp_reply_limited(in, SF_TCP_RE_CHALLENGE,
				     SF_TCP_N_OUT_OF_WINDOW);
		return 0;
	}
	if (!sf_tcp_seq_ok(in)) {
		sf_tcp_unacceptable(in);
		return 0;
	}
	return 1;
}

void
sf_tcp_input(struct sf_conn *c, struct sf_tcp_snd *snd,
	     const struct sf_pkt *seg, const struct sf_tcp_policy *pol,
	     unsigned int ev_room, uint64_t now_tsc, uint32_t now_ms,
	     struct sf_tcp_action *act)
{
	struct sf_tcp_in in = {
		.c = c, .snd = snd, .seg = seg, .pol = pol, .act = act,
		.now_tsc = now_tsc, .now_ms = now_ms, .room = ev_room,
		.wnd = sf_tcp_rcv_wnd(c, pol),
		.off = (int32_t)(seg->seq - c->rcv_nxt),
		.len = seg->payload_len +
			((seg->tcp_flags & SF_TCP_FIN) ? 1 : 0),
	};

	uint32_t wnd0 = c->snd_wnd;

	memset(act, 0, sizeof(*act));
	if (unlikely(c->state == SF_CONN_RESET)) {
		sf_tcp_reset_retry(&in);
		return;
	}
	if (!sf_tcp_check(&in))
		return;
	sf_tcp_accepted(&in);
	if (c->flags & SF_TCP_CONN_F_REPLY)
		sf_tcp_chan_input(&in, wnd0);
	else if (c->state == SF_CONN_LAST_ACK)
		sf_tcp_last_ack(&in);
	else if (seg->payload_len == 0 && !(seg->tcp_flags & SF_TCP_FIN))
		act->note = SF_TCP_N_ACK;
	else if (in.off > 0)	/* a hole before it: duplicate ACK */
		sf_tcp_reply(act, SF_TCP_RE_ACK, c->snd_nxt,
			     SF_TCP_N_OUT_OF_WINDOW);
	else
		sf_tcp_text(&in);
}

void
sf_tcp_reply_fill(const struct sf_conn *c, const struct sf_tcp_policy *pol,
		  uint32_t seq, uint8_t flags, uint32_t now_ms,
		  struct sf_tcp_reply *tr)
{
	memset(tr, 0, sizeof(*tr));
	tr->seq = seq;
	tr->ack = c->rcv_nxt;
	tr->window = sf_tcp_rcv_window(c, pol);
	tr->flags = flags;
	tr->wscale = SF_WSCALE_NONE;
	if (c->flags & SF_CONN_F_TS) {
		tr->ts_ok = 1;
		tr->tsval = now_ms;
		tr->tsecr = c->ts_recent;
	}
}

uint16_t
sf_tcp_rcv_window(const struct sf_conn *c, const struct sf_tcp_policy *pol)
{
	uint8_t ws = sf_tcp_rcv_ws(c);

	if (!(c->flags & SF_TCP_CONN_F_REPLY))
		return pol->window;
	return (uint16_t)(RTE_MIN((uint64_t)c->credit,
				  (uint64_t)pol->window << ws) >> ws);
}

int
sf_tcp_credit(struct sf_conn *c, const struct sf_tcp_policy *pol,
	      uint32_t n)
{
	uint8_t ws = sf_tcp_rcv_ws(c);
	uint32_t before = (uint32_t)sf_tcp_rcv_window(c, pol) << ws;
	uint32_t after;

	c->credit = c->credit + n < c->credit ? UINT32_MAX : c->credit + n;
	after = (uint32_t)sf_tcp_rcv_window(c, pol) << ws;
	if (before < c->mss && after >= c->mss)
		return 1;
	return pol->credit / 2 != 0 && after - before >= pol->credit / 2;
}
