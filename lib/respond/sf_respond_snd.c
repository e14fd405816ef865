/* SPDX-License-Identifier: BSD-3-Clause */

/*
 * The reply channel, worker side: the consumer's commands, the segments
 * we originate, their timers. The sequence logic is the TCP module's
 * (sf_tcp_snd.h); this file holds the bytes and the mbufs.
 *
 *   command ring --> sf_respond_commands --> SEND  -> send state: queue
 *                                            CLOSE -> FIN queued
 *                                            ABORT -> RST, RST event
 *                                            CREDIT-> window (update ACK)
 *   output: sf_tcp_snd_next() describes a segment -> a fresh mbuf: the
 *           headers sf_build_tcp_seg() writes, lengths and sums counting
 *           the payload, for a parsed packet synthesized from the entry's
 *           flow and L2 (side array by slot, once per output call), then
 *           the payload copied from the send queue (its sum added without
 *           checksum offload) -> sf_respond_conf.out
 *   ACKs:   sf_tcp_input() in sf_resp_established -> sf_resp_snd_after:
 *           acknowledged mbufs freed, one ACKED event per connection per
 *           burst, more output, the state back to the pool when done
 *   ACKED:  pending by slot (a bitmap) until queued: one that does not
 *           fit the ring stays pending and sf_respond_timers retries it
 *           (sf_resp_acked_retry), with the count acknowledged by then
 *   timers: one per send state in a wheel driven by sf_respond_timers
 *
 * Send states come from a per-lcore pool (snd_id = index + 1), taken by
 * the first SEND or CLOSE, returned when everything is acknowledged and
 * no FIN waits. Every segment is a single-segment mbuf: any PMD sends it.
 */

#include <errno.h>
#include <string.h>

#include <rte_byteorder.h>
#include <rte_common.h>
#include <rte_errno.h>
#include <rte_ip.h>
#include <rte_malloc.h>
#include <rte_mbuf.h>
#include <rte_ring.h>

#include "sf_respond_priv.h"
#include "sf_sndq.h"
#include "sf_timer.h"

/** ACKED events a burst lists at most (more wait for the retry scan). */
#define SF_RESP_ACKED_MAX	SF_RESPOND_BURST_MAX
/** 64-bit words of the pending bitmap one retry call scans at most. */
#define SF_RESP_ACKED_SCAN	64
/** Segments one output call sends at most (the windows bound it first). */
#define SF_RESP_OUT_MAX		256
/** Commands dequeued at a time. */
#define SF_RESP_CMD_DEQ		32

/** A connection's L2, by slot: what a segment we originate needs. */
struct sf_conn_l2 {
	struct rte_ether_addr mac;	/**< the client's (next hop's) MAC */
	uint16_t vlan_tci;		/**< host order, valid when l2_len 18 */
	uint8_t l2_len;			/**< 14, or 18 with an 802.1Q tag */
	uint8_t port;			/**< port index it came in on */
};

/** One send state of the pool. */
struct sf_resp_sstate {
	struct sf_tcp_snd tcp;		/**< sequence, windows, timer */
	struct sf_sndq q;		/**< the bytes from SND.UNA */
	uint32_t slot;			/**< its connection's slot */
};

struct sf_resp_snd {
	struct sf_conn_l2 *l2;		/**< by slot */
	uint32_t nslots;
	struct sf_resp_sstate *st;	/**< n states */
	uint32_t *free;			/**< free snd_ids, a stack */
	uint32_t nfree;
	uint32_t n;
	uint16_t seg_room;		/**< frame bytes an mbuf of the pool holds */
	uint64_t *apend;		/**< ACKED pending: bit by slot */
	uint32_t nwords;		/**< words of apend */
	uint32_t napend;		/**< bits set in apend */
	uint32_t acur;			/**< next word the retry scans */
	uint32_t nacked;		/**< slots in acked */
	uint32_t acked[SF_RESP_ACKED_MAX];	/**< this burst's, pending */
	struct sf_timer_node *tnode;	/**< n timers: timer id = snd_id */
	struct sf_timer_wheel wheel;
};

/* ------------------------------------------------------------------ */
/* Set-up                                                              */

int
sf_resp_snd_create(struct sf_responder *r)
{
	const struct sf_respond_conf *conf = &r->conf;
	struct sf_resp_snd *s;
	uint32_t i;

	s = rte_zmalloc_socket("sf_resp_snd", sizeof(*s), RTE_CACHE_LINE_SIZE,
			       conf->socket_id);
	if (s == NULL)
		goto nomem;
	r->snd = s;
	s->n = conf->send_states;
	s->nslots = sf_conn_slots(conf->shard);
	s->l2 = rte_zmalloc_socket("sf_conn_l2",
				   (size_t)s->nslots * sizeof(*s->l2),
				   RTE_CACHE_LINE_SIZE, conf->socket_id);
	s->st = rte_zmalloc_socket("sf_snd_states", (size_t)s->n * sizeof(*s->st),
				   RTE_CACHE_LINE_SIZE, conf->socket_id);
	s->free = rte_malloc_socket("sf_snd_free", (size_t)s->n * sizeof(uint32_t),
				    0, conf->socket_id);
	s->tnode = rte_zmalloc_socket("sf_snd_timers",
				      (size_t)s->n * sizeof(*s->tnode),
				      RTE_CACHE_LINE_SIZE, conf->socket_id);
	s->nwords = (s->nslots + 63) / 64;
	s->apend = rte_zmalloc_socket("sf_acked_pending",
				      (size_t)s->nwords * sizeof(uint64_t),
				      RTE_CACHE_LINE_SIZE, conf->socket_id);
	if (s->l2 == NULL || s->st == NULL || s->free == NULL ||
	    s->tnode == NULL || s->apend == NULL)
		goto nomem;
	for (i = 0; i < s->n; i++)	/* snd_id 1 on top */
		s->free[i] = s->n - i;
	s->nfree = s->n;
	s->seg_room = (uint16_t)RTE_MIN((uint32_t)UINT16_MAX,
		(uint32_t)rte_pktmbuf_data_room_size(conf->pool) -
		RTE_PKTMBUF_HEADROOM);
	/*
	 * One millisecond ticks (the RTO is at least 200 of them), from TSC
	 * 0: the first sf_respond_timers() catches up to its clock.
	 */
	sf_timer_init(&s->wheel, s->tnode, s->n, conf->tsc_hz / 1000, 0);
	return 0;
nomem:
	sf_resp_snd_free(r);
	rte_errno = ENOMEM;
	return -1;
}

void
sf_resp_snd_free(struct sf_responder *r)
{
	struct sf_resp_snd *s = r->snd;
	uint32_t i;

	if (s == NULL)
		return;
	for (i = 0; s->st != NULL && i < s->n; i++)
		sf_sndq_free(&s->st[i].q);
	rte_free(s->l2);
	rte_free(s->st);
	rte_free(s->free);
	rte_free(s->tnode);
	rte_free(s->apend);
	rte_free(s);
	r->snd = NULL;
}

void
sf_resp_snd_l2(struct sf_responder *r, uint32_t slot, const struct sf_pkt *pkt)
{
	struct sf_conn_l2 *l2;

	if (slot >= r->snd->nslots)
		return;
	l2 = &r->snd->l2[slot];
	l2->mac = pkt->src_mac;
	l2->l2_len = pkt->l2_len;
	l2->vlan_tci = pkt->vlan_tci;
	l2->port = (uint8_t)r->port;
}

unsigned int
sf_respond_send_states_used(const struct sf_responder *r)
{
	return r->snd == NULL ? 0 : r->snd->n - r->snd->nfree;
}

/* ------------------------------------------------------------------ */
/* The pool                                                            */

static inline struct sf_resp_sstate *
sf_resp_state(struct sf_responder *r, uint32_t snd_id)
{
	return &r->snd->st[snd_id - 1];
}

struct sf_tcp_snd *
sf_resp_snd_of(struct sf_responder *r, const struct sf_conn *c)
{
	if (r->snd == NULL || c->snd_id == 0)
		return NULL;
	return &sf_resp_state(r, c->snd_id)->tcp;
}

/* A state for @p c (its own, or a fresh one). @return NULL: pool empty. */
static struct sf_resp_sstate *
sf_resp_state_get(struct sf_responder *r, struct sf_conn *c, uint32_t slot)
{
	struct sf_resp_snd *s = r->snd;
	struct sf_resp_sstate *st;
	uint32_t id;

	if (c->snd_id != 0)
		return sf_resp_state(r, c->snd_id);
	if (s->nfree == 0) {
		SF_STAT_INC(r->st, snd_pool_full);
		return NULL;
	}
	id = s->free[--s->nfree];
	st = sf_resp_state(r, id);	/* q empty: zeroed, or sf_sndq_free() */
	st->slot = slot;
	sf_tcp_snd_init(&st->tcp, c, &r->pol->tcp);
	c->snd_id = id;
	r->st->cnt[SF_CNT_snd_active] = s->n - s->nfree;
	return st;
}

void
sf_resp_snd_release(struct sf_responder *r, uint32_t snd_id)
{
	struct sf_resp_snd *s = r->snd;

	if (s == NULL || snd_id == 0 || snd_id > s->n)
		return;
	sf_sndq_free(&sf_resp_state(r, snd_id)->q);
	sf_timer_cancel(&s->wheel, snd_id);
	s->free[s->nfree++] = snd_id;
	r->st->cnt[SF_CNT_snd_active] = s->n - s->nfree;
}

/* The state's timer, as the TCP module says it runs. */
static inline void
sf_resp_arm(struct sf_responder *r, uint32_t snd_id)
{
	uint64_t due = sf_tcp_snd_due(&sf_resp_state(r, snd_id)->tcp);

	if (due == UINT64_MAX)
		sf_timer_cancel(&r->snd->wheel, snd_id);
	else
		sf_timer_arm(&r->snd->wheel, snd_id, due);
}

/* ------------------------------------------------------------------ */
/* Segments we originate                                               */

/*
 * The parsed packet a segment to the client of @p slot answers: the
 * entry's flow and L2, and in @p port the port index it goes out on.
 * @return @p pkt, or NULL when @p slot has no flow (@p pkt zeroed).
 */
static const struct sf_pkt *
sf_resp_pkt_of(const struct sf_responder *r, uint32_t slot,
	       struct sf_pkt *pkt, uint8_t *port)
{
	const struct sf_flow *flow = sf_conn_slot_key(r->conf.shard, slot);
	const struct sf_conn_l2 *l2 = &r->snd->l2[slot];

	memset(pkt, 0, sizeof(*pkt));
	*port = l2->port;
	if (unlikely(flow == NULL))
		return NULL;
	pkt->kind = SF_PKT_TCP;
	pkt->l2_len = l2->l2_len;
	pkt->vlan_tci = l2->vlan_tci;
	pkt->src_mac = l2->mac;
	pkt->dst_mac = r->conf.ports[l2->port].mac;
	pkt->flow = *flow;
	return pkt;
}

/*
 * Copy @p len bytes of send queue @p q from offset @p off into @p m after
 * the @p hdr bytes of headers sf_build_tcp_seg() wrote; with @p sw_csum
 * (no TCP checksum offload) add their sum into the TCP checksum at @p l4,
 * which covered the headers only (the payload starts at an even offset).
 */
static inline void
sf_resp_payload(struct rte_mbuf *m, struct sf_sndq *q, uint32_t off,
		uint16_t len, uint16_t l4, uint16_t hdr, bool sw_csum)
{
	uint8_t *p = rte_pktmbuf_mtod_offset(m, uint8_t *, hdr);
	struct rte_tcp_hdr *th;
	uint32_t sum;

	sf_sndq_copy(q, off, len, p);
	if (!sw_csum)
		return;
	th = rte_pktmbuf_mtod_offset(m, struct rte_tcp_hdr *, l4);
	sum = (uint32_t)(uint16_t)~th->cksum + rte_raw_cksum(p, len);
	sum = (sum & 0xffff) + (sum >> 16);
	th->cksum = (uint16_t)~sum;
}

/*
 * Build and send one segment to the client @p pkt describes
 * (sf_resp_pkt_of(); NULL: no flow) on @p port: @p tr's header, then
 * @p len bytes of send queue @p q from offset @p off (@p q is not read,
 * and may be NULL, when @p len is 0). @return true when handed to the
 * output.
 */
static bool
sf_resp_seg_send(struct sf_responder *r, const struct sf_pkt *pkt,
		 uint8_t port, const struct sf_tcp_reply *tr,
		 struct sf_sndq *q, uint32_t off, uint16_t len)
{
	const struct sf_respond_port *pc = &r->conf.ports[port];
	unsigned int fi;
	struct rte_mbuf *m;
	uint32_t ol;
	uint16_t hdr;

	m = rte_pktmbuf_alloc(r->conf.pool);
	if (unlikely(m == NULL || pkt == NULL)) {
		SF_STAT_INC(r->st, snd_alloc_fail);
		rte_pktmbuf_free(m);
		return false;
	}
	fi = sf_resp_fam(pkt->flow.family);
	/* lengths and sums count the payload; 0: it does not fit */
	hdr = sf_build_tcp_seg(rte_pktmbuf_mtod(m, uint8_t *), r->snd->seg_room,
			       pkt, &pc->mac, tr, len, pc->tx_offload, &ol);
	if (unlikely(hdr == 0)) {
		SF_STAT_INC(r->st, reply_fail);
		rte_pktmbuf_free(m);
		return false;
	}
	if (len > 0)
		sf_resp_payload(m, q, off, len,
				pkt->l2_len + sf_resp_l3_len[fi], hdr,
				!(ol & SF_TX_TCP_CSUM));
	m->data_len = (uint16_t)(hdr + len);
	m->pkt_len = m->data_len;
	sf_resp_tx_ol_set(m, r->ls.tx_ol[port][fi], fi, pkt->l2_len, hdr);
	r->conf.out(port, m, r->conf.out_arg);
	return true;
}

/* Most payload a segment of @p c can carry in one of our mbufs. */
static inline uint32_t
sf_resp_seg_max(const struct sf_responder *r, const struct sf_conn *c)
{
	/* Ethernet + VLAN, IPv6, TCP with timestamps: the largest headers */
	uint32_t hdr = 18 + 40 + 20 + ((c->flags & SF_CONN_F_TS) ?
				       SF_TCP_TS_OPT_LEN : 0);

	return r->snd->seg_room > hdr ? r->snd->seg_room - hdr : 0;
}

/* Count a segment sent by the output. */
static inline void
sf_resp_seg_count(struct sf_responder *r, const struct sf_tcp_seg *seg)
{
	SF_STAT_INC(r->st, data_tx);
	SF_STAT_ADD(r->st, bytes_tx, seg->len);
	if (seg->flags & SF_TCP_SEG_FAST)
		SF_STAT_INC(r->st, fast_retransmits);
	else if (seg->flags & SF_TCP_SEG_REXMIT)
		SF_STAT_INC(r->st, retransmits);
	if (seg->flags & SF_TCP_SEG_PROBE)
		SF_STAT_INC(r->st, zero_window_probes);
	if (seg->flags & SF_TCP_SEG_TLP)
		SF_STAT_INC(r->st, tail_loss_probes);
	if (seg->fin && !(seg->flags & SF_TCP_SEG_REXMIT))
		SF_STAT_INC(r->st, closed_tx);
}

/* Send what the windows allow of @p c's send state, then its timer. */
static void
sf_resp_output(struct sf_responder *r, struct sf_conn *c, uint32_t slot)
{
	const struct sf_pkt *pp = NULL;
	struct sf_resp_sstate *st;
	struct sf_tcp_reply tr;
	struct sf_tcp_seg seg;
	uint32_t seg_max = sf_resp_seg_max(r, c);
	struct sf_pkt pkt;
	unsigned int k;
	uint8_t port = 0;

	if (c->snd_id == 0)
		return;
	st = sf_resp_state(r, c->snd_id);
	for (k = 0; k < SF_RESP_OUT_MAX; k++) {
		if (!sf_tcp_snd_next(&st->tcp, c, &r->pol->tcp, seg_max,
				     r->now->tsc, &seg))
			break;
		if (k == 0)	/* the same for every segment of the call */
			pp = sf_resp_pkt_of(r, slot, &pkt, &port);
		sf_tcp_reply_fill(c, &r->pol->tcp, seg.seq,
				  SF_TCP_ACK | (seg.len > 0 ? SF_TCP_PSH : 0) |
				  (seg.fin ? SF_TCP_FIN : 0), r->now->ms, &tr);
		/* a lost segment is resent by the RTO timer */
		if (sf_resp_seg_send(r, pp, port, &tr, &st->q, seg.off,
				     seg.len))
			sf_resp_seg_count(r, &seg);
	}
	sf_resp_arm(r, c->snd_id);
}

/* A pure ACK of @p c now (window update). */
static void
sf_resp_ack_now(struct sf_responder *r, const struct sf_conn *c,
		uint32_t slot)
{
	const struct sf_pkt *pp;
	struct sf_tcp_reply tr;
	struct sf_pkt pkt;
	uint8_t port;

	sf_tcp_reply_fill(c, &r->pol->tcp, c->snd_nxt, SF_TCP_ACK, r->now->ms,
			  &tr);
	pp = sf_resp_pkt_of(r, slot, &pkt, &port);
	if (sf_resp_seg_send(r, pp, port, &tr, NULL, 0, 0))
		SF_STAT_INC(r->st, window_updates);
}

/*
 * Reset connection @p c from our side (ABORT, give-up, overflow, no send
 * state): RST to the client, terminal RST event with SF_EV_F_LOCAL, entry
 * removed. When the event does not fit the ring, the entry stays RESET
 * with SF_CONN_F_LOCAL and the sweep queues its (local) RST event later.
 */
static void
sf_resp_abort(struct sf_responder *r, struct sf_conn *c, uint32_t slot)
{
	const struct sf_pkt *pp;
	struct sf_tcp_reply tr;
	struct sf_event ev;
	struct sf_pkt pkt;
	uint8_t port;

	/* c is the entry in slot: pkt.flow is its flow */
	pp = sf_resp_pkt_of(r, slot, &pkt, &port);
	memset(&tr, 0, sizeof(tr));
	tr.seq = c->snd_nxt;
	tr.ack = c->rcv_nxt;
	tr.flags = SF_TCP_RST | SF_TCP_ACK;
	tr.wscale = SF_WSCALE_NONE;
	if (sf_resp_seg_send(r, pp, port, &tr, NULL, 0, 0))
		SF_STAT_INC(r->st, rst_tx);
	SF_STAT_INC(r->st, aborts);
	sf_resp_snd_forget(r, c, slot);
	c->snd_id = 0;
	sf_resp_event_fill(r, &ev, SF_EV_RST, &pkt.flow, c, slot);
	ev.flags |= SF_EV_F_LOCAL;
	if (!sf_resp_enqueue(r, &ev)) {
		/* the sweep retries its event, local too */
		c->state = SF_CONN_RESET;
		c->flags |= SF_CONN_F_LOCAL;
		return;
	}
	sf_resp_remove(r, c, slot, &pkt.flow);
}

/* ------------------------------------------------------------------ */
/* ACKs (from sf_resp_established)                                     */

/* Is @p slot's ACKED event pending? */
static inline bool
sf_resp_acked_is(const struct sf_resp_snd *s, uint32_t slot)
{
	return (s->apend[slot / 64] >> (slot % 64)) & 1;
}

/* Set (@p on) or clear @p slot's pending bit, with the gauge. */
static void
sf_resp_acked_mark(struct sf_responder *r, uint32_t slot, bool on)
{
	struct sf_resp_snd *s = r->snd;
	uint64_t bit = UINT64_C(1) << (slot % 64);

	if (on == sf_resp_acked_is(s, slot))
		return;
	s->apend[slot / 64] ^= bit;
	if (on)
		s->napend++;
	else
		s->napend--;
	r->st->cnt[SF_CNT_acked_pending] = s->napend;
}

/*
 * Note @p c's ACKED event (pending until queued; the burst's list holds
 * the first SF_RESP_ACKED_MAX for its end, the retry scan finds others).
 */
static void
sf_resp_acked_note(struct sf_responder *r, uint32_t slot)
{
	struct sf_resp_snd *s = r->snd;

	if (sf_resp_acked_is(s, slot))
		return;
	sf_resp_acked_mark(r, slot, true);
	if (s->nacked < SF_RESP_ACKED_MAX)
		s->acked[s->nacked++] = slot;
}

void
sf_resp_snd_forget(struct sf_responder *r, const struct sf_conn *c,
		   uint32_t slot)
{
	if (r->snd == NULL)
		return;
	if (c->snd_id != 0)
		sf_resp_snd_release(r, c->snd_id);
	if (slot < r->snd->nslots)
		sf_resp_acked_mark(r, slot, false);
}

void
sf_resp_snd_after(struct sf_responder *r, struct sf_conn *c, uint32_t slot,
		  const struct sf_tcp_action *act)
{
	if (c->snd_id == 0)
		return;
	if (act->fast)
		SF_STAT_INC(r->st, loss_recoveries);
	if (act->acked > 0) {
		sf_sndq_ack(&sf_resp_state(r, c->snd_id)->q, act->acked);
		sf_resp_acked_note(r, slot);
	}
	if (act->output)
		sf_resp_output(r, c, slot);
	else
		sf_resp_arm(r, c->snd_id);
	if (act->snd_done) {
		sf_resp_snd_release(r, c->snd_id);
		c->snd_id = 0;
	}
}

/* Payload bytes of @p c acknowledged since ESTABLISHED (mod 2^32). */
static uint32_t
sf_resp_acked_bytes(struct sf_responder *r, const struct sf_conn *c)
{
	const struct sf_tcp_snd *t = sf_resp_snd_of(r, c);
	uint32_t una = t != NULL ? t->una : c->snd_nxt;
	uint32_t n = una - (c->server_isn + 1);

	/* our FIN, once acknowledged, is not a byte */
	if (t == NULL ? (c->state == SF_CONN_FIN_WAIT_2) :
	    sf_tcp_snd_fin_acked(t))
		n--;
	return n;
}

/*
 * Queue @p slot's pending ACKED event, with the bytes acknowledged now.
 * @return false when the ring is full (it stays pending: counted in
 * handoff_full and acked_deferred the first time, @p retry false).
 */
static bool
sf_resp_acked_emit(struct sf_responder *r, uint32_t slot, bool retry)
{
	struct sf_conn *c = sf_conn_at_slot(r->conf.shard, slot);
	struct sf_event ev;

	if (c == NULL || c->state == SF_CONN_RESET ||
	    !(c->flags & SF_TCP_CONN_F_REPLY)) {
		sf_resp_acked_mark(r, slot, false);	/* gone since */
		return true;
	}
	sf_resp_event_fill(r, &ev, SF_EV_ACKED,
			   sf_conn_slot_key(r->conf.shard, slot), c, slot);
	ev.seq = sf_resp_acked_bytes(r, c);
	if (retry ? sf_handoff_enqueue(r->conf.ring, &ev) != 0 :
	    !sf_resp_enqueue(r, &ev)) {
		if (!retry)
			SF_STAT_INC(r->st, acked_deferred);
		return false;
	}
	if (retry)
		SF_STAT_INC(r->st, handoff_enq);
	SF_STAT_INC(r->st, acked_events);
	sf_resp_acked_mark(r, slot, false);
	return true;
}

void
sf_resp_snd_flush(struct sf_responder *r)
{
	struct sf_resp_snd *s = r->snd;
	uint32_t i;

	for (i = 0; i < s->nacked; i++)
		if (sf_resp_acked_is(s, s->acked[i]))
			sf_resp_acked_emit(r, s->acked[i], false);
	s->nacked = 0;
}

void
sf_resp_acked_retry(struct sf_responder *r)
{
	struct sf_resp_snd *s = r->snd;
	unsigned int k;

	for (k = 0; k < SF_RESP_ACKED_SCAN && s->napend > 0; k++) {
		uint64_t w = s->apend[s->acur];

		while (w != 0) {
			uint32_t slot = s->acur * 64 +
				(uint32_t)__builtin_ctzll(w);

			if (!sf_resp_acked_emit(r, slot, true))
				return;		/* ring full: here next time */
			w &= w - 1;
		}
		if (++s->acur == s->nwords)
			s->acur = 0;
	}
}

/* ------------------------------------------------------------------ */
/* Commands                                                            */

/*
 * The send state a SEND or CLOSE of @p c works on: @p c ESTABLISHED or
 * CLOSE_WAIT (else cmd_bad), its own or a fresh one from the pool (none
 * free: @p c aborted). @return NULL when not, @p m (the SEND's data, or
 * NULL) freed first.
 */
static struct sf_resp_sstate *
sf_resp_cmd_state(struct sf_responder *r, struct sf_conn *c, uint32_t slot,
		  struct rte_mbuf *m)
{
	struct sf_resp_sstate *st;

	if (c->state != SF_CONN_ESTABLISHED &&
	    c->state != SF_CONN_CLOSE_WAIT) {
		SF_STAT_INC(r->st, cmd_bad);
		rte_pktmbuf_free(m);
		return NULL;
	}
	st = sf_resp_state_get(r, c, slot);
	if (st == NULL) {
		rte_pktmbuf_free(m);
		sf_resp_abort(r, c, slot);
	}
	return st;
}

/* SEND: queue the bytes (and the CLOSE with SF_CMD_F_CLOSE), output. */
static void
sf_resp_cmd_send(struct sf_responder *r, struct sf_conn *c, uint32_t slot,
		 const struct sf_cmd *cmd)
{
	struct rte_mbuf *m = cmd->mbuf;
	struct sf_resp_sstate *st;

	if (m == NULL) {
		SF_STAT_INC(r->st, cmd_bad);
		return;
	}
	st = sf_resp_cmd_state(r, c, slot, m);
	if (st == NULL)
		return;
	if (sf_tcp_snd_queued(&st->tcp) + (uint64_t)rte_pktmbuf_pkt_len(m) >
	    r->conf.snd_buf) {
		SF_STAT_INC(r->st, snd_overflow);
		rte_pktmbuf_free(m);
		sf_resp_abort(r, c, slot);
		return;
	}
	if (sf_tcp_snd_queue(&st->tcp, rte_pktmbuf_pkt_len(m)) != 0) {
		SF_STAT_INC(r->st, cmd_bad);	/* after CLOSE */
		rte_pktmbuf_free(m);
		return;
	}
	sf_sndq_push(&st->q, m);
	if ((cmd->flags & SF_CMD_F_CLOSE) && sf_tcp_close(c, &st->tcp) != 0)
		SF_STAT_INC(r->st, cmd_bad);
	sf_resp_output(r, c, slot);
}

/* CLOSE: our FIN after the queued data. */
static void
sf_resp_cmd_close(struct sf_responder *r, struct sf_conn *c, uint32_t slot)
{
	struct sf_resp_sstate *st = sf_resp_cmd_state(r, c, slot, NULL);

	if (st == NULL)
		return;
	if (sf_tcp_close(c, &st->tcp) != 0)
		SF_STAT_INC(r->st, cmd_bad);
	sf_resp_output(r, c, slot);
}

/* The entry a handle names, or NULL (stale). */
static struct sf_conn *
sf_resp_resolve(struct sf_responder *r, const struct sf_handle *h)
{
	struct sf_conn *c;

	if (h->worker != r->conf.worker)
		return NULL;
	c = sf_conn_at_slot(r->conf.shard, h->slot);
	if (c == NULL || c->gen != h->gen || c->state == SF_CONN_RESET)
		return NULL;
	return c;
}

static void
sf_resp_cmd(struct sf_responder *r, const struct sf_cmd *cmd)
{
	struct sf_conn *c = sf_resp_resolve(r, &cmd->handle);
	uint32_t slot = cmd->handle.slot;

	SF_STAT_INC(r->st, cmd_rx);
	if (c == NULL) {
		SF_STAT_INC(r->st, cmd_stale);
		rte_pktmbuf_free(cmd->mbuf);
		return;
	}
	switch (cmd->type) {
	case SF_CMD_SEND:
		sf_resp_cmd_send(r, c, slot, cmd);
		return;
	case SF_CMD_CLOSE:
		sf_resp_cmd_close(r, c, slot);
		break;
	case SF_CMD_ABORT:
		sf_resp_abort(r, c, slot);
		break;
	case SF_CMD_CREDIT:
		if (sf_tcp_credit(c, &r->pol->tcp, cmd->credit))
			sf_resp_ack_now(r, c, slot);
		break;
	default:
		SF_STAT_INC(r->st, cmd_bad);
		break;
	}
	rte_pktmbuf_free(cmd->mbuf);	/* only a SEND carries one */
}

unsigned int
sf_respond_commands(struct sf_responder *r, const struct sf_clock *now,
		    unsigned int max)
{
	struct sf_cmd cmd[SF_RESP_CMD_DEQ];
	unsigned int done = 0, n, i;

	if (r->snd == NULL)
		return 0;
	r->now = now;
	while (done < max) {
		n = sf_cmd_dequeue_burst(r->conf.cmd, cmd,
					 RTE_MIN(max - done,
						 (unsigned int)SF_RESP_CMD_DEQ));
		for (i = 0; i < n; i++)
			sf_resp_cmd(r, &cmd[i]);
		done += n;
		if (n < SF_RESP_CMD_DEQ)
			break;
	}
	if (done > 0)
		sf_resp_conn_active(r);
	return done;
}

/* ------------------------------------------------------------------ */
/* Timers                                                              */

static void
sf_resp_timer_fire(uint32_t id, void *arg)
{
	struct sf_responder *r = arg;
	struct sf_resp_sstate *st = sf_resp_state(r, id);
	struct sf_conn *c = sf_conn_at_slot(r->conf.shard, st->slot);

	if (c == NULL || c->snd_id != id)
		return;		/* cannot be: released with its entry */
	switch (sf_tcp_snd_timer(&st->tcp, c, &r->pol->tcp, r->now->tsc)) {
	case SF_TCP_FIRE_RETRANSMIT:
		SF_STAT_INC(r->st, rto_expired);
		sf_resp_output(r, c, st->slot);
		break;
	case SF_TCP_FIRE_PROBE:
	case SF_TCP_FIRE_TLP:
		sf_resp_output(r, c, st->slot);
		break;
	case SF_TCP_FIRE_GIVE_UP:
		sf_resp_abort(r, c, st->slot);
		break;
	default:	/* not due yet (re-armed since) */
		sf_resp_arm(r, id);
		break;
	}
}

int
sf_respond_reply_due(const struct sf_responder *r, uint64_t tsc)
{
	if (r->snd == NULL)
		return 0;
	return !rte_ring_empty(r->conf.cmd) || tsc >= r->snd->wheel.next_tsc;
}

unsigned int
sf_respond_timers(struct sf_responder *r, const struct sf_clock *now)
{
	unsigned int k;

	if (r->snd == NULL)
		return 0;
	r->now = now;
	sf_resp_acked_retry(r);
	k = sf_timer_expire(&r->snd->wheel, now->tsc, SF_RESPOND_TIMER_BURST,
			    sf_resp_timer_fire, r);
	if (k > 0)
		sf_resp_conn_active(r);
	return k;
}
