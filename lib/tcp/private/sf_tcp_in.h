/* SPDX-License-Identifier: BSD-3-Clause */

#ifndef SF_TCP_IN_H
#define SF_TCP_IN_H

/*
 * Shared by the two halves of sf_tcp_input(): sf_tcp.c (the checks every
 * segment goes through, and the channel without replies) and
 * sf_tcp_chan.c (the reply channel: credit, our data's ACKs, the close
 * states).
 */

#include <string.h>

#include "sf_tcp.h"

/** One segment being decided: what every step reads. */
struct sf_tcp_in {
	struct sf_conn *c;		/**< the entry (updated) */
	struct sf_tcp_snd *snd;		/**< its send state, or NULL */
	const struct sf_pkt *seg;	/**< the segment */
	const struct sf_tcp_policy *pol;
	struct sf_tcp_action *act;	/**< the decision */
	uint64_t now_tsc;		/**< the segment's time */
	uint32_t now_ms;		/**< our TSval clock */
	unsigned int room;		/**< events the ring can take */
	uint32_t wnd;			/**< RCV.WND, bytes */
	int32_t off;			/**< SEG.SEQ - RCV.NXT */
	uint32_t len;			/**< SEG.LEN: payload, + 1 with FIN */
};

static inline void
sf_tcp_reply(struct sf_tcp_action *act, uint8_t kind, uint32_t seq,
	     uint8_t note)
{
	act->reply = kind;
	act->reply_seq = seq;
	act->note = note;
}

/*
 * Hands @p len (> 0) new bytes, @p skip bytes into the segment, over as a
 * DATA event and acknowledges them. Returns 0, taking nothing, when the
 * ring has no room: the segment (and its FIN if @p fin) is lost, for the
 * client to retransmit.
 */
static inline int
sf_tcp_take_data(struct sf_tcp_in *in, uint32_t skip, uint32_t len, int fin)
{
	struct sf_tcp_action *act = in->act;
	struct sf_conn *c = in->c;

	if (in->room == 0) {
		act->lost = (uint8_t)(1 + fin);	/* retransmitted */
		return 0;
	}
	in->room--;
	act->events = SF_TCP_EV_DATA;
	act->data_seq = c->rcv_nxt;
	act->data_skip = (uint16_t)skip;
	act->data_len = (uint16_t)len;
	c->rcv_nxt += len;
	sf_tcp_reply(act, SF_TCP_RE_ACK, c->snd_nxt, SF_TCP_N_NONE);
	return 1;
}

/*
 * The new bytes of a segment starting at or before RCV.NXT, at most @p max
 * of them, handed over with sf_tcp_take_data(); its FIN only when every
 * byte is taken and, with @p fin_in_max, the FIN's place is below @p max
 * too (RCV.WND: a FIN at the window's edge is outside; a credit counts
 * bytes only). *@p len receives the bytes taken. Returns 1 when the FIN
 * is to be taken, 0 when not, -1 when the ring had no room (nothing taken).
 */
static inline int
sf_tcp_take_text(struct sf_tcp_in *in, uint32_t max, int fin_in_max,
		 uint32_t *len)
{
	uint32_t trim = (uint32_t)-in->off;
	uint32_t n = in->seg->payload_len - trim;	/* new bytes */
	int fin = (in->seg->tcp_flags & SF_TCP_FIN) != 0;

	if (n > max || (fin_in_max && n == max)) {
		n = max;
		fin = 0;
	}
	*len = n;
	if (n > 0 && !sf_tcp_take_data(in, trim, n, fin))
		return -1;
	return fin;
}

/*
 * The reply channel, an acceptable segment whose window (and TS.Recent)
 * is taken; @p wnd0 is the client's window before it.
 */
void
sf_tcp_chan_input(struct sf_tcp_in *in, uint32_t wnd0);

#endif /* SF_TCP_IN_H */
