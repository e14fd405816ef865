/* SPDX-License-Identifier: BSD-3-Clause */

/*
 * The established-flow state machine (see sf_tcp.h). A segment is checked
 * in RFC 9293 3.10.7.4's order:
 *
 *   RST    RFC 5961 3.2: at RCV.NXT resets, in the window challenges,
 *          elsewhere is dropped
 *   SYN    RFC 5961 4: challenge ACK
 *   ACK    no ACK bit: dropped; SEG.ACK outside [ISS + 1, SND.NXT]
 *          (RFC 5961 5.2): challenge ACK
 *   then   the client's window, TS.Recent (RFC 7323 4.3), and the text:
 *          pure ACK, keepalive, future data, duplicate data, new data and
 *          FIN, each handed over before it is acknowledged
 *
 * off = SEG.SEQ - RCV.NXT (signed): 0 is in order, < 0 starts with bytes
 * already received (trim of them), > 0 leaves a hole.
 */

#include <string.h>

#include <rte_common.h>

#include "sf_tcp.h"

static inline void
sf_tcp_act_init(struct sf_tcp_action *act)
{
	memset(act, 0, sizeof(*act));
}

static inline void
sf_tcp_reply(struct sf_tcp_action *act, uint8_t kind, uint32_t seq,
	     uint8_t note)
{
	act->reply = kind;
	act->reply_seq = seq;
	act->note = note;
}

/* Our receive window in bytes (the field we send, scaled). */
static inline uint32_t
sf_tcp_rcv_wnd(const struct sf_conn *c, const struct sf_tcp_policy *pol)
{
	return (uint32_t)pol->window <<
		((c->flags & SF_TCP_CONN_F_WS) ? c->rcv_wscale : 0);
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
	c->snd_wnd = (uint32_t)ack->window << c->snd_wscale;
}

/* RFC 5961 section 3.2: an RST on an established flow. */
static void
sf_tcp_rst(struct sf_conn *c, const struct sf_tcp_policy *pol, int32_t off,
	   unsigned int ev_room, struct sf_tcp_action *act)
{
	if (off == 0) {
		if (ev_room > 0)
			act->events = SF_TCP_EV_RST;
		else
			act->lost = 1;
		act->note = SF_TCP_N_RST;
		act->remove = 1;
	} else if (off > 0 && (uint32_t)off < sf_tcp_rcv_wnd(c, pol)) {
		sf_tcp_reply(act, SF_TCP_RE_CHALLENGE, c->snd_nxt,
			     SF_TCP_N_NONE);
	} else {
		act->note = SF_TCP_N_OUT_OF_WINDOW;
	}
}

/*
 * A segment without payload or FIN: not answered, except a keepalive
 * probe (SEG.SEQ = RCV.NXT - 1, unacceptable by RFC 9293 3.10.7.4, so
 * ACKed, which keeps the client's keepalive happy); in LAST_ACK, the ACK
 * of our FIN closes.
 */
static void
sf_tcp_pure_ack(const struct sf_conn *c, const struct sf_pkt *seg,
		int32_t off, struct sf_tcp_action *act)
{
	if (off < 0 && c->state == SF_CONN_ESTABLISHED) {
		sf_tcp_reply(act, SF_TCP_RE_ACK, c->snd_nxt,
			     SF_TCP_N_KEEPALIVE);
	} else if (c->state == SF_CONN_LAST_ACK && seg->ack == c->snd_nxt) {
		act->note = SF_TCP_N_CLOSED;
		act->remove = 1;
	} else {
		act->note = SF_TCP_N_ACK;
	}
}

/*
 * LAST_ACK: our FIN is out and the client's FIN took RCV.NXT - 1. A
 * retransmitted FIN means our FIN|ACK was lost; new data after a FIN is
 * impossible from a peer; anything else is old.
 */
static void
sf_tcp_last_ack(const struct sf_conn *c, const struct sf_pkt *seg,
		uint32_t trim, struct sf_tcp_action *act)
{
	uint32_t len = seg->payload_len;

	if ((seg->tcp_flags & SF_TCP_FIN) && seg->seq + len == c->rcv_nxt - 1)
		sf_tcp_reply(act, SF_TCP_RE_FIN_ACK, c->snd_nxt - 1,
			     SF_TCP_N_NONE);
	else if (len > trim)
		act->note = SF_TCP_N_UNEXPECTED;
	else
		sf_tcp_reply(act, SF_TCP_RE_ACK, c->snd_nxt,
			     SF_TCP_N_DUP_DATA);
}

/*
 * ESTABLISHED, payload and/or FIN starting at or before RCV.NXT: new bytes
 * are handed over (DATA), then the FIN (FIN event, our FIN|ACK, LAST_ACK);
 * each is acknowledged only once its event fits the ring.
 */
static void
sf_tcp_text(struct sf_conn *c, const struct sf_pkt *seg, uint32_t trim,
	    unsigned int ev_room, struct sf_tcp_action *act)
{
	uint32_t len = seg->payload_len;
	int fin = (seg->tcp_flags & SF_TCP_FIN) != 0;

	if (len < trim || (len == trim && !fin)) {
		sf_tcp_reply(act, SF_TCP_RE_ACK, c->snd_nxt,
			     SF_TCP_N_DUP_DATA);
		return;
	}
	if (len > trim) {
		if (ev_room == 0) {
			act->lost = 1;	/* the client retransmits */
			return;
		}
		ev_room--;
		act->events = SF_TCP_EV_DATA;
		act->data_seq = c->rcv_nxt;
		act->data_skip = (uint16_t)trim;
		act->data_len = (uint16_t)(len - trim);
		c->rcv_nxt += len - trim;
		sf_tcp_reply(act, SF_TCP_RE_ACK, c->snd_nxt, SF_TCP_N_NONE);
	}
	if (!fin)
		return;
	if (ev_room == 0) {
		act->lost++;	/* ACK the data alone, if any */
		return;
	}
	act->events |= SF_TCP_EV_FIN;
	c->rcv_nxt += 1;
	c->state = SF_CONN_LAST_ACK;
	sf_tcp_reply(act, SF_TCP_RE_FIN_ACK, c->snd_nxt, SF_TCP_N_NONE);
	c->snd_nxt += 1;
}

void
sf_tcp_input(struct sf_conn *c, const struct sf_pkt *seg,
	     const struct sf_tcp_policy *pol, unsigned int ev_room,
	     uint64_t now_tsc, struct sf_tcp_action *act)
{
	uint8_t fl = seg->tcp_flags;
	int32_t off = (int32_t)(seg->seq - c->rcv_nxt);

	sf_tcp_act_init(act);
	c->last_tsc = now_tsc;
	if (fl & SF_TCP_RST) {
		sf_tcp_rst(c, pol, off, ev_room, act);
		return;
	}
	if (fl & SF_TCP_SYN) {
		sf_tcp_reply(act, SF_TCP_RE_CHALLENGE, c->snd_nxt,
			     SF_TCP_N_NONE);
		return;
	}
	if (!(fl & SF_TCP_ACK)) {
		act->note = SF_TCP_N_UNEXPECTED;
		return;
	}
	/* We send no data: an acceptable SEG.ACK is in [ISS + 1, SND.NXT]. */
	if (unlikely(seg->ack - (c->server_isn + 1) >
		     c->snd_nxt - (c->server_isn + 1))) {
		sf_tcp_reply(act, SF_TCP_RE_CHALLENGE, c->snd_nxt,
			     SF_TCP_N_OUT_OF_WINDOW);
		return;
	}
	c->snd_wnd = (uint32_t)seg->window <<
		((c->flags & SF_TCP_CONN_F_WS) ? c->snd_wscale : 0);
	if (off <= 0 && (c->flags & SF_CONN_F_TS) && seg->opts.ts_ok &&
	    (int32_t)(seg->opts.tsval - c->ts_recent) >= 0)
		c->ts_recent = seg->opts.tsval;

	if (seg->payload_len == 0 && !(fl & SF_TCP_FIN))
		sf_tcp_pure_ack(c, seg, off, act);
	else if (off > 0)	/* a hole before it: duplicate ACK */
		sf_tcp_reply(act, SF_TCP_RE_ACK, c->snd_nxt,
			     SF_TCP_N_OUT_OF_WINDOW);
	else if (c->state == SF_CONN_LAST_ACK)
		sf_tcp_last_ack(c, seg, c->rcv_nxt - seg->seq, act);
	else
		sf_tcp_text(c, seg, c->rcv_nxt - seg->seq, ev_room, act);
}

void
sf_tcp_reply_fill(const struct sf_conn *c, const struct sf_tcp_policy *pol,
		  uint32_t seq, uint8_t flags, uint32_t now_ms,
		  struct sf_tcp_reply *tr)
{
	memset(tr, 0, sizeof(*tr));
	tr->seq = seq;
	tr->ack = c->rcv_nxt;
	tr->window = pol->window;
	tr->flags = flags;
	tr->wscale = SF_WSCALE_NONE;
	if (c->flags & SF_CONN_F_TS) {
		tr->ts_ok = 1;
		tr->tsval = now_ms;
		tr->tsecr = c->ts_recent;
	}
}
