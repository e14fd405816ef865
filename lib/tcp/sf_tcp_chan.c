/* SPDX-License-Identifier: BSD-3-Clause */

/*
 * sf_tcp_input() with the reply channel (SF_TCP_CONN_F_REPLY), once the
 * segment passed every check of sf_tcp.c and its window is taken:
 *
 *   ACK   against the send state (sf_tcp_snd_ack()): bytes acknowledged,
 *         output, our FIN acknowledged (FIN_WAIT_1 -> FIN_WAIT_2,
 *         CLOSING and LAST_ACK -> CLOSED)
 *   text  while the client may send (ESTABLISHED, FIN_WAIT_1/2): new
 *         bytes within the credit (DATA, credit consumed), then its FIN
 *         (FIN event; CLOSE_WAIT, CLOSING, or CLOSED from FIN_WAIT_2)
 *
 * The events of one segment come in the order DATA, FIN, CLOSED; each is
 * acknowledged only once its event fits the ring.
 */

#include <rte_common.h>

#include "sf_tcp.h"
#include "sf_tcp_in.h"

/* Both sides closed: CLOSED event (room was checked), entry removed. */
static void
sf_tcp_chan_closed(struct sf_tcp_in *in)
{
	in->room--;
	in->act->events |= SF_TCP_EV_CLOSED;
	in->act->remove = 1;
	in->act->note = SF_TCP_N_CLOSED;
}

/*
 * The ACK of the segment against our send state. When it acknowledges our
 * FIN in CLOSING or LAST_ACK, the CLOSED event must fit: if not, the FIN
 * is taken as unacknowledged (its retransmission's ACK tries again).
 */
static void
sf_tcp_chan_ack(struct sf_tcp_in *in, uint32_t wnd0)
{
	const struct sf_pkt *seg = in->seg;
	struct sf_tcp_snd *s = in->snd;
	struct sf_conn *c = in->c;
	struct sf_tcp_action *act = in->act;
	struct sf_tcp_snd_ack a = {
		.ack = seg->ack,
		.tsecr = seg->opts.tsecr,
		.ts = (c->flags & SF_CONN_F_TS) && seg->opts.ts_ok,
		.dup = seg->payload_len == 0 && c->snd_wnd == wnd0 &&
			!(seg->tcp_flags & (SF_TCP_FIN | SF_TCP_SYN)),
		.sack_n = seg->opts.sack_n,
		.sack = seg->opts.sack,
	};
	struct sf_tcp_snd_res r;
	int closes = c->state == SF_CONN_CLOSING ||
		c->state == SF_CONN_LAST_ACK;

	if (closes && in->room == 0 && (s->flags & SF_TCP_SND_F_FIN_SENT) &&
	    a.ack == s->end + 1) {
		a.ack = s->end;
		act->lost++;
	}
	sf_tcp_snd_ack(s, c, in->pol, &a, in->now_tsc, in->now_ms, &r);
	act->acked = r.acked;
	act->output = r.output;
	act->snd_done = r.done;
	act->fast = r.fast;
	if (!r.fin_acked)
		return;
	if (c->state == SF_CONN_FIN_WAIT_1)
		c->state = SF_CONN_FIN_WAIT_2;
	else if (closes)
		sf_tcp_chan_closed(in);
}

/*
 * The client's FIN, in order after its data: FIN event and our ACK;
 * ESTABLISHED -> CLOSE_WAIT (our FIN waits for the consumer's CLOSE),
 * FIN_WAIT_1 -> CLOSING, FIN_WAIT_2 -> closed (FIN and CLOSED events).
 */
static void
sf_tcp_chan_fin(struct sf_tcp_in *in)
{
	struct sf_conn *c = in->c;
	unsigned int need = c->state == SF_CONN_FIN_WAIT_2 ? 2 : 1;

	if (in->room < need) {
		in->act->lost++;	/* ACK the data alone, if any */
		return;
	}
	in->room--;
	in->act->events |= SF_TCP_EV_FIN;
	c->rcv_nxt += 1;
	sf_tcp_reply(in->act, SF_TCP_RE_ACK, c->snd_nxt, SF_TCP_N_NONE);
	if (c->state == SF_CONN_ESTABLISHED)
		c->state = SF_CONN_CLOSE_WAIT;
	else if (c->state == SF_CONN_FIN_WAIT_1)
		c->state = SF_CONN_CLOSING;
	else
		sf_tcp_chan_closed(in);
}

/*
 * Payload and/or FIN starting at or before RCV.NXT, the client still
 * open: new bytes up to the credit edge (RCV.NXT + credit) are handed
 * over and consume credit; beyond it they are not taken (nor the FIN),
 * and a segment of which nothing is taken is answered with our window.
 */
static void
sf_tcp_chan_text(struct sf_tcp_in *in)
{
	struct sf_tcp_action *act = in->act;
	struct sf_conn *c = in->c;
	uint32_t len;
	int fin;

	/* beyond RCV.NXT + credit: not taken; a FIN at its edge is */
	fin = sf_tcp_take_text(in, c->credit, 0, &len);
	if (fin < 0)
		return;
	c->credit -= len;
	if (fin)
		sf_tcp_chan_fin(in);
	else if (len == 0)	/* beyond the credit: our window again */
		sf_tcp_reply(act, SF_TCP_RE_ACK, c->snd_nxt,
			     SF_TCP_N_OUT_OF_WINDOW);
}

void
sf_tcp_chan_input(struct sf_tcp_in *in, uint32_t wnd0)
{
	const struct sf_pkt *seg = in->seg;
	struct sf_tcp_action *act = in->act;
	struct sf_conn *c = in->c;
	int text = seg->payload_len != 0 || (seg->tcp_flags & SF_TCP_FIN);

	if (in->snd != NULL)
		sf_tcp_chan_ack(in, wnd0);
	if (act->remove)
		return;
	if (!text) {
		act->note = SF_TCP_N_ACK;
	} else if (c->state == SF_CONN_CLOSE_WAIT ||
		   c->state == SF_CONN_CLOSING ||
		   c->state == SF_CONN_LAST_ACK) {
		/* The client's FIN is in: data after it is impossible, a FIN
		 * beyond it gets a duplicate ACK. */
		if (seg->payload_len != 0)
			act->note = SF_TCP_N_UNEXPECTED;
		else
			sf_tcp_reply(act, SF_TCP_RE_ACK, c->snd_nxt,
				     SF_TCP_N_OUT_OF_WINDOW);
	} else if (in->off > 0) {	/* a hole before it: duplicate ACK */
		sf_tcp_reply(act, SF_TCP_RE_ACK, c->snd_nxt,
			     SF_TCP_N_OUT_OF_WINDOW);
	} else {
		sf_tcp_chan_text(in);
	}
}
