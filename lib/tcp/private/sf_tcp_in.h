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
 * The reply channel, an acceptable segment whose window (and TS.Recent)
 * is taken; @p wnd0 is the client's window before it.
 */
void
sf_tcp_chan_input(struct sf_tcp_in *in, uint32_t wnd0);

#endif /* SF_TCP_IN_H */
