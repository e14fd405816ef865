/* SPDX-License-Identifier: BSD-3-Clause */

/*
 * The responder: DESIGN.md's wire contract on a burst of mbufs.
 *
 * A burst is worked in phases, each a function over the whole burst:
 *
 *   1. parse     every frame into r->pkt[i] (prefetching ahead); drop and
 *                count the malformed ones
 *   2. classify  frames not sent to our MAC are dropped (but ARP requests
 *                to broadcast, and ND to the target's solicited-node
 *                group); ARP / ND / echo for a VIP are answered at once;
 *                TCP to a closed port gets its RST; TCP to a listening pair
 *                becomes a segment r->seg[j], hashed for the shard
 *   3. cookies   one bulk shard lookup; flows not in the shard: every SYN
 *                of the burst gets its cookie in one sf_cookie_make_burst(),
 *                every ACK is checked in one sf_cookie_check_burst(), and
 *                the closed-flow buckets of the valid ones are prefetched
 *   4. answer    each segment, in arrival order: SYN-ACK, handshake (or,
 *                for a flow closed within its cookie's life, the TIME-WAIT
 *                ACK: sf_closed.h), RST, or the TCP module's decision for
 *                an established flow
 *
 * A segment's verdict is one small struct (struct sf_resp_seg); the
 * arrays beside it are the ones the bulk lookup and the SIMD cookie bursts
 * take. A segment whose flow was inserted or removed earlier in the same
 * burst must not use the (stale) bulk lookup result: every insert/remove
 * marks a 64-bit signature filter, and a segment whose signature is marked
 * is looked up and decided again.
 *
 * Every mbuf ends exactly one way: placed in tx (a reply rewritten in
 * place, or a new mbuf for the ACK of a DATA segment), handed over in a
 * DATA event, or freed with a counter.
 */

#include <errno.h>
#include <stdbool.h>
#include <string.h>

#include <rte_byteorder.h>
#include <rte_common.h>
#include <rte_errno.h>
#include <rte_ip.h>
#include <rte_malloc.h>
#include <rte_mbuf.h>
#include <rte_prefetch.h>
#include <rte_random.h>

#include "sf_handoff.h"
#include "sf_net.h"
#include "sf_respond.h"

#include "sf_respond_priv.h"

/** The counter of each TCP module note (SF_TCP_N_NONE: none). */
static const uint16_t sf_resp_note_cnt[SF_TCP_N_MAX] = {
	[SF_TCP_N_NONE] = SF_CNT_MAX,
	[SF_TCP_N_RST] = SF_CNT_rst_rx,
	[SF_TCP_N_OUT_OF_WINDOW] = SF_CNT_out_of_window,
	[SF_TCP_N_UNEXPECTED] = SF_CNT_unexpected,
	[SF_TCP_N_KEEPALIVE] = SF_CNT_keepalive_rx,
	[SF_TCP_N_CLOSED] = SF_CNT_closed,
	[SF_TCP_N_ACK] = SF_CNT_ack_rx,
	[SF_TCP_N_DUP_DATA] = SF_CNT_dup_data,
	[SF_TCP_N_PAWS] = SF_CNT_paws_rejected,
	[SF_TCP_N_TS_MISSING] = SF_CNT_ts_missing,
	[SF_TCP_N_AFTER_RST] = SF_CNT_after_rst,
};


/* ------------------------------------------------------------------ */
/* Set-up                                                              */

/* A bucket of rate per second, depth rate / 10 + 1, starting full. */
static void
sf_resp_bucket_init(struct sf_resp_bucket *b, uint32_t rate, uint64_t tsc_hz)
{
	if (rate == 0) {
		b->off = true;
		return;
	}
	b->cost = tsc_hz / rate;
	if (b->cost == 0)
		b->cost = 1;
	b->depth = b->cost * (rate / SF_RESP_RST_BURST_DIV + 1);
	b->credit = b->depth;
}

/*
 * The mbuf offload flags of a TCP reply of family @p fi on a port offering
 * @p tx_offload (what sf_build_tcp() leaves to the port), 0 for none.
 */
static uint64_t
sf_resp_tx_ol(uint32_t tx_offload, unsigned int fi)
{
	uint64_t f = 0;

	if ((tx_offload & SF_TX_IP_CSUM) && fi == 0)
		f |= RTE_MBUF_F_TX_IP_CKSUM;
	if (tx_offload & SF_TX_TCP_CSUM)
		f |= RTE_MBUF_F_TX_TCP_CKSUM;
	return f != 0 ? f | sf_resp_tx_fam[fi] : 0;
}

/* The listening set of a policy; -1 on a VIP of unknown family. */
static int
sf_resp_listen_init(struct sf_resp_listen *ls, const struct sf_respond_conf *conf)
{
	const struct sf_respond_policy *pol = &conf->policy;
	unsigned int i;

	for (i = 0; i < pol->n_vips; i++) {
		const struct sf_vip *v = &pol->vips[i];

		if (v->family == SF_AF_INET)
			memcpy(&ls->vip4[ls->n_vip4++], v->addr, 4);
		else if (v->family == SF_AF_INET6)
			memcpy(ls->vip6[ls->n_vip6++], v->addr, 16);
		else
			return -1;
	}
	for (i = 0; i < pol->n_lports; i++) {
		uint16_t p = pol->lports[i];

		ls->port_bits[p / 64] |= UINT64_C(1) << (p % 64);
	}
	for (i = 0; i < conf->n_ports; i++) {
		ls->mss[i][0] = sf_cookie_mss_cap(SF_AF_INET, pol->mss_max,
						  conf->ports[i].mtu);
		ls->mss[i][1] = sf_cookie_mss_cap(SF_AF_INET6, pol->mss_max,
						  conf->ports[i].mtu);
		ls->tx_ol[i][0] = sf_resp_tx_ol(conf->ports[i].tx_offload, 0);
		ls->tx_ol[i][1] = sf_resp_tx_ol(conf->ports[i].tx_offload, 1);
	}
	return 0;
}

struct sf_responder *
sf_responder_create(const struct sf_respond_conf *conf)
{
	struct sf_responder *r;

	if (conf == NULL || conf->keys == NULL ||
	    conf->shard == NULL || conf->ring == NULL ||
	    conf->pool == NULL || conf->stats == NULL || conf->n_ports == 0 ||
	    conf->n_ports > SF_RESPOND_MAX_PORTS || conf->tsc_hz == 0 ||
	    conf->policy.n_vips > SF_RESPOND_MAX_VIPS ||
	    conf->policy.n_lports > SF_RESPOND_MAX_LPORTS ||
	    (conf->policy.tcp.reply && (conf->cmd == NULL ||
					conf->out == NULL ||
					conf->send_states == 0))) {
		rte_errno = EINVAL;
		return NULL;
	}
	r = rte_zmalloc_socket("sf_responder", sizeof(*r),
			       RTE_CACHE_LINE_SIZE, conf->socket_id);
	if (r == NULL) {
		rte_errno = ENOMEM;
		return NULL;
	}
	r->conf = *conf;
	r->pol = &r->conf.policy;
	r->st = conf->stats;
	r->idle_tsc = (uint64_t)r->pol->idle_timeout_s * conf->tsc_hz;
	if (sf_resp_listen_init(&r->ls, &r->conf) != 0) {
		rte_free(r);
		rte_errno = EINVAL;
		return NULL;
	}
	sf_resp_bucket_init(&r->rst, r->pol->rst_rate, conf->tsc_hz);
	r->chack.period = conf->tsc_hz;
	r->chack.limit = r->pol->challenge_ack_rate;
	r->conf.policy.tcp.chal_gap_tsc = r->pol->challenge_ack_per_flow != 0 ?
		conf->tsc_hz / r->pol->challenge_ack_per_flow : 0;
	sf_tcp_policy_clock(&r->conf.policy.tcp, conf->tsc_hz);
	if (r->pol->tcp.reply && sf_resp_snd_create(r) != 0) {
		rte_free(r);
		rte_errno = ENOMEM;
		return NULL;
	}
	return r;
}

void
sf_responder_free(struct sf_responder *r)
{
	if (r == NULL)
		return;
	sf_resp_snd_free(r);
	rte_free(r);
}

/* ------------------------------------------------------------------ */
/* Small helpers of the data path                                      */

/*
 * Both families are compared, without early exit, and the family picks
 * the answer: the loops' trip counts are the configuration's, so the
 * branches are the same for every frame whatever its family.
 */
static inline bool
sf_resp_is_vip(const struct sf_resp_listen *ls, const struct sf_flow *f)
{
	unsigned int i, hit4 = 0, hit6 = 0;
	uint64_t lo, hi;
	uint32_t a;

	memcpy(&a, f->srv_addr, sizeof(a));
	memcpy(&lo, f->srv_addr, sizeof(lo));
	memcpy(&hi, f->srv_addr + 8, sizeof(hi));
	for (i = 0; i < ls->n_vip4; i++)
		hit4 |= ls->vip4[i] == a;
	for (i = 0; i < ls->n_vip6; i++)
		hit6 |= (ls->vip6[i][0] == lo) & (ls->vip6[i][1] == hi);
	return sf_resp_fam(f->family) == 0 ? hit4 : hit6;
}

static inline bool
sf_resp_port_listens(const struct sf_resp_listen *ls, uint16_t port_be)
{
	uint16_t p = rte_be_to_cpu_16(port_be);

	return (ls->port_bits[p / 64] >> (p % 64)) & 1;
}

/** One token, refilled from the TSC. */
static inline bool
sf_resp_bucket_take(struct sf_resp_bucket *b, uint64_t tsc)
{
	if (b->off)
		return false;
	if (tsc > b->last) {
		uint64_t dt = tsc - b->last;

		b->credit = dt >= b->depth - b->credit ?
			b->depth : b->credit + dt;
		b->last = tsc;
	}
	if (b->credit < b->cost)
		return false;
	b->credit -= b->cost;
	return true;
}

/** One challenge ACK of this second's random budget. */
static inline bool
sf_resp_chal_take(struct sf_resp_chal_budget *b, uint64_t tsc)
{
	if (b->limit == 0)
		return false;
	if (tsc >= b->end) {
		b->end = tsc + b->period;
		b->left = (b->limit + 1) / 2 +
			(uint32_t)rte_rand_max(b->limit);
	}
	if (b->left == 0)
		return false;
	b->left--;
	return true;
}

/** Bit of a flow in the per-burst "changed" filter. */
static inline uint64_t
sf_resp_sig(const struct sf_flow *f)
{
	uint32_t a, b;

	memcpy(&a, &f->cli_addr[12], 4);
	memcpy(&b, &f->cli_addr[0], 4);
	a ^= b ^ ((uint32_t)f->cli_port << 16) ^ f->srv_port;
	return UINT64_C(1) << ((a * 0x9e3779b1u) >> 26);
}

static inline void
sf_resp_drop(struct rte_mbuf *m)
{
	rte_pktmbuf_free(m);
}

/** Largest frame a builder may write into m (from its data start). */
static inline uint16_t
sf_resp_cap(const struct rte_mbuf *m)
{
	/* data_len + tailroom, for a single-segment mbuf */
	return (uint16_t)(m->buf_len - m->data_off);
}

/**
 * Finish a reply of @p len bytes in @p m (no offload requested) and place it
 * in tx; a builder's 0 (it did not fit) drops it, counted.
 */
static inline bool
sf_resp_emit(struct sf_responder *r, struct rte_mbuf *m, uint16_t len)
{
	if (unlikely(len == 0)) {
		SF_STAT_INC(r->st, reply_fail);
		sf_resp_drop(m);
		return false;
	}
	m->data_len = len;
	m->pkt_len = len;
	m->ol_flags = 0;
	r->tx[r->ntx++] = m;
	return true;
}

/**
 * Build TCP reply @p tr to @p pkt into @p m (the received frame itself, or
 * a fresh mbuf) and place it in tx, with the port's checksum offload
 * requests. @return true when placed, false when it did not fit (m freed,
 * counted).
 */
static inline bool
sf_resp_tcp_emit(struct sf_responder *r, struct rte_mbuf *m,
		 const struct sf_pkt *pkt, const struct sf_tcp_reply *tr)
{
	const struct sf_respond_port *pc = &r->conf.ports[r->port];
	unsigned int fi = sf_resp_fam(pkt->flow.family);
	uint64_t ol_flags = r->ls.tx_ol[r->port][fi];
	uint32_t ol;
	uint16_t len;

	len = sf_build_tcp(rte_pktmbuf_mtod(m, uint8_t *), sf_resp_cap(m),
			   pkt, &pc->mac, tr, pc->tx_offload, &ol);
	if (!sf_resp_emit(r, m, len))
		return false;
	sf_resp_tx_ol_set(m, ol_flags, fi, pkt->l2_len, len);
	return true;
}

/**
 * RST answering a segment that has no connection (RFC 9293 3.10.7.1):
 * with ACK, <SEQ=SEG.ACK><CTL=RST>; without, <SEQ=0><ACK=SEG.SEQ+SEG.LEN>
 * <CTL=RST,ACK>. Rate-limited.
 */
static inline void
sf_resp_rst(struct sf_responder *r, struct rte_mbuf *m,
	    const struct sf_pkt *pkt)
{
	struct sf_tcp_reply tr;

	if (!sf_resp_bucket_take(&r->rst, r->now->tsc)) {
		SF_STAT_INC(r->st, rst_ratelimited);
		sf_resp_drop(m);
		return;
	}
	memset(&tr, 0, sizeof(tr));
	tr.wscale = SF_WSCALE_NONE;
	if (pkt->tcp_flags & SF_TCP_ACK) {
		tr.seq = pkt->ack;
		tr.flags = SF_TCP_RST;
	} else {
		tr.seq = 0;
		tr.ack = pkt->seq + pkt->payload_len +
			((pkt->tcp_flags & SF_TCP_SYN) ? 1 : 0) +
			((pkt->tcp_flags & SF_TCP_FIN) ? 1 : 0);
		tr.flags = SF_TCP_RST | SF_TCP_ACK;
	}
	if (sf_resp_tcp_emit(r, m, pkt, &tr))
		SF_STAT_INC(r->st, rst_tx);
}

void
sf_resp_event_fill(const struct sf_responder *r, struct sf_event *ev,
		   uint8_t type, const struct sf_flow *flow,
		   const struct sf_conn *c, uint32_t slot)
{
	memset(ev, 0, sizeof(*ev));
	ev->flow = *flow;
	ev->handle.slot = slot;
	ev->handle.gen = c->gen;
	ev->handle.worker = r->conf.worker;
	ev->tsc = r->now->tsc;
	ev->client_isn = c->client_isn;
	ev->server_isn = c->server_isn;
	ev->mss = c->mss;
	ev->lcore = r->conf.lcore;
	ev->type = type;
	if (c->flags & SF_TCP_CONN_F_WS) {
		ev->snd_wscale = c->snd_wscale;
		ev->rcv_wscale = c->rcv_wscale;
	} else {
		ev->snd_wscale = SF_WSCALE_NONE;
		ev->rcv_wscale = SF_WSCALE_NONE;
	}
	if (c->flags & SF_CONN_F_SACK)
		ev->flags |= SF_EV_F_SACK;
	if (c->flags & SF_CONN_F_TS)
		ev->flags |= SF_EV_F_TS;
	if (type == SF_EV_RST && (c->flags & SF_CONN_F_LOCAL))
		ev->flags |= SF_EV_F_LOCAL;	/* ours, its event late */
	if (c->flags & SF_TCP_CONN_F_REPLY) {
		ev->flags |= SF_EV_F_REPLY;
		if (type == SF_EV_ESTABLISHED) {
			ev->credit = c->credit;
			ev->snd_buf = r->conf.snd_buf;
		}
	}
}

bool
sf_resp_enqueue(struct sf_responder *r, const struct sf_event *ev)
{
	if (unlikely(sf_handoff_enqueue(r->conf.ring, ev) != 0)) {
		SF_STAT_INC(r->st, handoff_full);
		return false;
	}
	SF_STAT_INC(r->st, handoff_enq);
	return true;
}

/**
 * Enqueue a payload-less event of @p c (in @p slot). @return true when
 * queued.
 */
static inline bool
sf_resp_event(struct sf_responder *r, uint8_t type, const struct sf_flow *flow,
	      const struct sf_conn *c, uint32_t slot)
{
	struct sf_event ev;

	sf_resp_event_fill(r, &ev, type, flow, c, slot);
	return sf_resp_enqueue(r, &ev);
}

/* The closed_active gauge, from the closed-flow table (if any) at @p now_s. */
static void
sf_resp_closed_gauge(struct sf_responder *r, uint64_t now_s)
{
	if (r->conf.closed != NULL)
		r->st->cnt[SF_CNT_closed_active] =
			sf_closed_live(r->conf.closed, now_s);
}

/**
 * Remember a connection that ends (RST, last ACK, idle expiry) until its
 * cookie stops validating, so that a replay of its handshake is not taken
 * for a new connection; a record that does not fit is counted
 * (closed_full).
 */
static void
sf_resp_closed_add(struct sf_responder *r, const struct sf_flow *flow,
		   const struct sf_conn *c)
{
	struct sf_closed *t = r->conf.closed;
	struct sf_closed_tw tw = {
		.snd_nxt = c->snd_nxt,
		.rcv_nxt = c->rcv_nxt,
	};

	if (t == NULL)
		return;
	if (sf_closed_add(t, flow, c->client_isn, c->server_isn, &tw,
			  r->now->unix_s) < 0)
		SF_STAT_INC(r->st, closed_full);
	sf_resp_closed_gauge(r, r->now->unix_s);
}

void
sf_resp_remove(struct sf_responder *r, struct sf_conn *c, uint32_t slot,
	       const struct sf_flow *flow)
{
	if (r->snd != NULL)
		sf_resp_snd_forget(r, c, slot);
	sf_resp_closed_add(r, flow, c);
	sf_conn_remove(r->conf.shard, c);
	r->dirty |= sf_resp_sig(flow);
	sf_resp_conn_active(r);
}

/* ------------------------------------------------------------------ */
/* Established flows: the TCP module decides, the responder does       */

/** A challenge ACK (RFC 5961 sections 3.2, 4 and 5.2), rate-limited. */
static void
sf_resp_challenge(struct sf_responder *r, struct rte_mbuf *m,
		  const struct sf_pkt *pkt, const struct sf_conn *c,
		  uint32_t seq)
{
	struct sf_tcp_reply tr;

	if (!sf_resp_chal_take(&r->chack, r->now->tsc)) {
		SF_STAT_INC(r->st, challenge_ratelimited);
		sf_resp_drop(m);
		return;
	}
	sf_tcp_reply_fill(c, &r->pol->tcp, seq, SF_TCP_ACK, r->now->ms, &tr);
	if (sf_resp_tcp_emit(r, m, pkt, &tr))
		SF_STAT_INC(r->st, challenge_ack_tx);
}

/**
 * Hand the segment's new bytes over in a DATA event. @return true when
 * queued: @p m belongs to the consumer then.
 */
static bool
sf_resp_data(struct sf_responder *r, struct rte_mbuf *m,
	     const struct sf_pkt *pkt, const struct sf_conn *c, uint32_t slot,
	     const struct sf_tcp_action *act)
{
	struct sf_event ev;

	sf_resp_event_fill(r, &ev, SF_EV_DATA, &pkt->flow, c, slot);
	ev.mbuf = m;
	ev.seq = act->data_seq;
	ev.data_off = (uint16_t)(pkt->payload_off + act->data_skip);
	ev.data_len = act->data_len;
	if (unlikely(!sf_resp_enqueue(r, &ev)))
		return false;
	SF_STAT_INC(r->st, data_rx);
	return true;
}

/** Build the reply of @p act in @p m (or free m when there is none). */
static void
sf_resp_act_reply(struct sf_responder *r, struct rte_mbuf *m,
		  const struct sf_pkt *pkt, const struct sf_conn *c,
		  const struct sf_tcp_action *act)
{
	struct sf_tcp_reply tr;

	switch (act->reply) {
	case SF_TCP_RE_ACK:
	case SF_TCP_RE_FIN_ACK:
		sf_tcp_reply_fill(c, &r->pol->tcp, act->reply_seq,
				  act->reply == SF_TCP_RE_ACK ? SF_TCP_ACK :
				  SF_TCP_FIN | SF_TCP_ACK, r->now->ms, &tr);
		sf_resp_tcp_emit(r, m, pkt, &tr);
		break;
	case SF_TCP_RE_CHALLENGE:
		sf_resp_challenge(r, m, pkt, c, act->reply_seq);
		break;
	default:
		sf_resp_drop(m);
		break;
	}
}

/*
 * The events after DATA: FIN, RST (the entry kept RESET when it does not
 * fit), CLOSED (the TCP module decides it only with room for it).
 */
static void
sf_resp_conn_events(struct sf_responder *r, const struct sf_pkt *pkt,
		    struct sf_conn *c, uint32_t slot, struct sf_tcp_action *act)
{
	if ((act->events & SF_TCP_EV_FIN) &&
	    sf_resp_event(r, SF_EV_FIN, &pkt->flow, c, slot))
		SF_STAT_INC(r->st, fin_rx);
	if ((act->events & SF_TCP_EV_RST) &&
	    !sf_resp_event(r, SF_EV_RST, &pkt->flow, c, slot)) {
		c->state = SF_CONN_RESET;	/* kept until it is queued */
		act->remove = 0;
	}
	if ((act->events & SF_TCP_EV_CLOSED) &&
	    sf_resp_event(r, SF_EV_CLOSED, &pkt->flow, c, slot))
		SF_STAT_INC(r->st, closed_events);
}

/*
 * A segment abandoned (its DATA could not be handed over): the entry is
 * left as it was, but what its ACK did to the send state stands (the
 * acknowledged bytes are gone from the queue's head).
 */
static void
sf_resp_abandon(struct sf_responder *r, struct sf_conn *c, uint32_t slot,
		const struct sf_tcp_action *act)
{
	if (r->snd != NULL)	/* it does nothing without a send state */
		sf_resp_snd_after(r, c, slot, act);
}

/**
 * A segment of a flow in the shard (entry @p c in @p slot): the TCP module
 * decides on a copy of the entry, which is kept once the segment's new
 * bytes (if any) are handed over; then the other events, the reply, the
 * removal.
 */
static void
sf_resp_established(struct sf_responder *r, struct rte_mbuf *m,
		    const struct sf_pkt *pkt, struct sf_conn *c, uint32_t slot)
{
	struct sf_tcp_action act;
	struct sf_conn next = *c;
	struct sf_tcp_snd *snd = sf_resp_snd_of(r, c);	/* NULL: none, or off */
	unsigned int room = 0;

	if (sf_tcp_may_queue(c, pkt))
		room = rte_ring_free_count(r->conf.ring);
	sf_tcp_input(&next, snd, pkt, &r->pol->tcp, room, r->now->tsc,
		     r->now->ms, &act);
	if (act.note != SF_TCP_N_NONE)
		r->st->cnt[sf_resp_note_cnt[act.note]]++;
	SF_STAT_ADD(r->st, handoff_full, act.lost);
	SF_STAT_ADD(r->st, challenge_flow_limited, act.flow_limited);
	if (act.events & SF_TCP_EV_DATA) {
		/* The segment goes to the consumer: the ACK needs an mbuf. */
		struct rte_mbuf *ack = rte_pktmbuf_alloc(r->conf.pool);

		if (unlikely(ack == NULL)) {
			SF_STAT_INC(r->st, alloc_fail);
			sf_resp_drop(m);
			sf_resp_abandon(r, c, slot, &act);
			return;
		}
		if (unlikely(!sf_resp_data(r, m, pkt, &next, slot, &act))) {
			sf_resp_drop(ack);
			sf_resp_drop(m);
			sf_resp_abandon(r, c, slot, &act);
			return;
		}
		m = ack;
	}
	*c = next;
	sf_resp_conn_events(r, pkt, c, slot, &act);
	if (c->state == SF_CONN_RESET && c->snd_id != 0) {
		/* reset by the client, its event pending: nothing to send */
		sf_resp_snd_forget(r, c, slot);
		c->snd_id = 0;
	}
	if (snd != NULL && !act.remove)
		sf_resp_snd_after(r, c, slot, &act);
	sf_resp_act_reply(r, m, pkt, c, &act);
	if (act.remove)
		sf_resp_remove(r, c, slot, &pkt->flow);
}

/* ------------------------------------------------------------------ */
/* Flows not in the shard                                              */

/** SYN-ACK with the cookie as ISN, in place. @return true when placed. */
static inline bool
sf_resp_synack(struct sf_responder *r, struct rte_mbuf *m,
	       const struct sf_pkt *pkt, const struct sf_cookie_req *req,
	       uint32_t cookie)
{
	const struct sf_respond_policy *pol = r->pol;
	uint8_t opt = req->opt;
	bool ts = opt != SF_COOKIE_OPT_NONE;
	struct sf_tcp_reply tr = {
		.seq = cookie,
		.ack = pkt->seq + 1,
		.window = pol->tcp.window,
		.flags = SF_TCP_SYN | SF_TCP_ACK,
		.mss = r->ls.mss[r->port][sf_resp_fam(pkt->flow.family)],
	};

	/* Straight-line: the option mix is data, selected, not branched on. */
	tr.ts_ok = ts;
	tr.tsval = ts ? sf_cookie_tsval(r->now->ms, opt) : 0;
	tr.tsecr = ts ? pkt->opts.tsval : 0;
	tr.sack_ok = ts & ((opt & SF_COOKIE_OPT_SACK) != 0);
	tr.wscale = (ts && (opt & SF_COOKIE_OPT_WS_MASK) !=
		     SF_COOKIE_OPT_WS_NONE) ? pol->tcp.wscale : SF_WSCALE_NONE;
	return sf_resp_tcp_emit(r, m, pkt, &tr);
}

/**
 * A handshake ACK of a flow closed within its cookie's life (a duplicate
 * or a replay, maybe with data or FIN): answered as TIME-WAIT would, with
 * <SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK> of the old connection (echoing the
 * segment's TSval), rate-limited with the challenge ACKs; never a second
 * connection, never an event.
 *
 * Looked up by the fingerprint phase 3 made for check @p slot, else
 * (none made, or a record added since) from the segment.
 *
 * @return true when it was one (@p m is consumed), false otherwise.
 */
static bool
sf_resp_replay(struct sf_responder *r, struct rte_mbuf *m,
	       const struct sf_pkt *pkt, unsigned int slot)
{
	const struct sf_closed *t = r->conf.closed;
	struct sf_closed_tw tw;
	struct sf_tcp_reply tr;
	int found;

	if (t == NULL)
		return false;
	if (r->closed_fps & (UINT64_C(1) << slot))
		found = sf_closed_find_fp(t, r->closed_fp[slot], pkt->ack - 1,
					  r->now->unix_s, &tw);
	else
		found = sf_closed_find(t, &pkt->flow, pkt->seq - 1,
				       pkt->ack - 1, r->now->unix_s, &tw);
	if (found != 0)
		return false;
	SF_STAT_INC(r->st, replay_rx);
	if (!sf_resp_chal_take(&r->chack, r->now->tsc)) {
		SF_STAT_INC(r->st, challenge_ratelimited);
		sf_resp_drop(m);
		return true;
	}
	memset(&tr, 0, sizeof(tr));
	tr.seq = tw.snd_nxt;
	tr.ack = tw.rcv_nxt;
	tr.window = r->pol->tcp.window;
	tr.flags = SF_TCP_ACK;
	tr.wscale = SF_WSCALE_NONE;
	if (pkt->opts.ts_ok) {
		tr.ts_ok = 1;
		tr.tsval = r->now->ms;
		tr.tsecr = pkt->opts.tsval;
	}
	sf_resp_tcp_emit(r, m, pkt, &tr);
	return true;
}

/**
 * The handshake's ACK with a valid cookie: unless it replays a closed
 * flow, insert, hand over, and go on with the segment's payload/FIN if
 * any.
 */
static void
sf_resp_handshake(struct sf_responder *r, struct rte_mbuf *m,
		  const struct sf_pkt *pkt, unsigned int slot, uint32_t sig)
{
	const struct sf_flow *flow = &pkt->flow;
	struct sf_conn *c;
	uint32_t cslot;

	SF_STAT_INC(r->st, ack_cookie_ok);
	if (sf_resp_replay(r, m, pkt, slot))
		return;
	c = sf_conn_insert(r->conf.shard, flow, sig);
	if (unlikely(c == NULL)) {
		SF_STAT_INC(r->st, conn_full);
		sf_resp_drop(m);
		return;
	}
	r->dirty |= sf_resp_sig(flow);
	sf_tcp_accept(c, pkt, (uint8_t)r->chk_res[slot], r->chks[slot].opt,
		      &r->pol->tcp, r->now->tsc);
	cslot = sf_conn_slot(r->conf.shard, c);
	if (r->snd != NULL)
		sf_resp_snd_l2(r, cslot, pkt);
	if (!sf_resp_event(r, SF_EV_ESTABLISHED, flow, c, cslot)) {
		/* Nothing inserted after all: the next segment re-validates. */
		sf_conn_remove(r->conf.shard, c);
		sf_resp_drop(m);
		return;
	}
	SF_STAT_INC(r->st, established);
	sf_resp_conn_active(r);

	if (pkt->payload_len > 0 || (pkt->tcp_flags & SF_TCP_FIN))
		sf_resp_established(r, m, pkt, c, cslot);
	else
		sf_resp_drop(m);	/* counted: ack_cookie_ok */
}

/* ------------------------------------------------------------------ */
/* Phase 1: parse                                                      */

/** Count a frame the port found a bad checksum in (IP first, as parsed). */
static inline void
sf_resp_csum_bad(struct sf_stats *st, uint64_t ipf)
{
	if (ipf == RTE_MBUF_F_RX_IP_CKSUM_BAD)
		st->reason[SF_NET_BAD_IP_CSUM]++;
	else
		st->reason[SF_NET_BAD_L4_CSUM]++;
	SF_STAT_INC(st, malformed);
}

/**
 * Parse one frame into @p pkt. @return true when it is to be answered.
 *
 * A checksum the port marks GOOD, or NONE (rte_mbuf_core.h: the data is
 * verified, the field not filled in, as virtio/vhost deliver it), is not
 * checked again; UNKNOWN is checked in software; BAD is dropped. Replies
 * never reuse a received checksum field: every builder computes afresh.
 */
static inline bool
sf_resp_parse_one(struct sf_stats *st, struct rte_mbuf *m, struct sf_pkt *pkt)
{
	uint64_t ipf = m->ol_flags & RTE_MBUF_F_RX_IP_CKSUM_MASK;
	uint64_t l4f = m->ol_flags & RTE_MBUF_F_RX_L4_CKSUM_MASK;
	enum sf_net_reason why;
	uint32_t rxf;

	if (unlikely(m->nb_segs != 1)) {
		SF_STAT_INC(st, not_handled);
		return false;
	}
	if (unlikely(ipf == RTE_MBUF_F_RX_IP_CKSUM_BAD ||
		     l4f == RTE_MBUF_F_RX_L4_CKSUM_BAD)) {
		sf_resp_csum_bad(st, ipf);
		return false;
	}
	/* GOOD and NONE both carry the GOOD bit; BAD alone is gone above. */
	rxf = ((ipf & RTE_MBUF_F_RX_IP_CKSUM_GOOD) ? SF_RX_IP_CSUM_GOOD : 0) |
	      ((l4f & RTE_MBUF_F_RX_L4_CKSUM_GOOD) ? SF_RX_L4_CSUM_GOOD : 0);
	why = sf_parse(rte_pktmbuf_mtod(m, const uint8_t *),
		       rte_pktmbuf_data_len(m), rxf, pkt);
	if (likely(why == SF_NET_OK))
		return true;
	if ((unsigned int)why < SF_NET_REASON_MAX)
		st->reason[why]++;
	if (sf_net_reason_malformed(why))
		SF_STAT_INC(st, malformed);
	else
		SF_STAT_INC(st, not_handled);
	return false;
}

/** Phase 1. @return the frames to answer (bit i: pkts[i]). */
static uint64_t
sf_resp_parse(struct sf_responder *r, uint16_t n)
{
	struct rte_mbuf **pkts = r->pkts;
	uint64_t live = 0;
	unsigned int i;

	for (i = 0; i < n && i < SF_RESP_PREFETCH; i++)
		rte_prefetch0(rte_pktmbuf_mtod(pkts[i], void *));
	for (i = 0; i < n; i++) {
		if (i + SF_RESP_PREFETCH < n)
			rte_prefetch0(rte_pktmbuf_mtod(pkts[i + SF_RESP_PREFETCH],
						       void *));
		if (likely(sf_resp_parse_one(r->st, pkts[i], &r->pkt[i])))
			live |= UINT64_C(1) << i;
		else
			sf_resp_drop(pkts[i]);
	}
	return live;
}

/* ------------------------------------------------------------------ */
/* Phase 2: classify                                                   */

/** Non-TCP frames for a VIP: answered in place at once. */
static void
sf_resp_other(struct sf_responder *r, struct rte_mbuf *m,
	      const struct sf_pkt *pkt)
{
	const struct rte_ether_addr *mac = &r->conf.ports[r->port].mac;
	uint8_t *frame = rte_pktmbuf_mtod(m, uint8_t *);

	switch (pkt->kind) {
	case SF_PKT_ARP_REQUEST:
		if (sf_resp_emit(r, m, sf_build_arp_reply(frame,
				rte_pktmbuf_data_len(m), pkt, mac)))
			SF_STAT_INC(r->st, arp_reply);
		break;
	case SF_PKT_ND_NS:
		if (sf_resp_emit(r, m, sf_build_na(frame, sf_resp_cap(m),
						    pkt, mac)))
			SF_STAT_INC(r->st, nd_reply);
		break;
	case SF_PKT_ICMP_ECHO:
		if (sf_resp_emit(r, m, sf_build_echo_reply(frame,
				rte_pktmbuf_data_len(m), pkt, mac)))
			SF_STAT_INC(r->st, icmp_reply);
		break;
	default:
		SF_STAT_INC(r->st, not_handled);
		sf_resp_drop(m);
		break;
	}
}

/** Phase 2: answer what needs no lookup; collect the TCP segments. */
static void
sf_resp_classify(struct sf_responder *r, uint64_t live)
{
	const struct sf_conn_hash_key *hk =
		sf_conn_shard_hash_key(r->conf.shard);
	unsigned int i, nseg = 0;

	while (live != 0) {
		const struct sf_pkt *pkt;
		struct rte_mbuf *m;

		i = (unsigned int)rte_bsf64(live);
		live &= live - 1;
		pkt = &r->pkt[i];
		m = r->pkts[i];
		if (unlikely(!sf_net_l2_for_us(pkt,
					       &r->conf.ports[r->port].mac))) {
			SF_STAT_INC(r->st, not_our_mac);
			sf_resp_drop(m);
		} else if (unlikely(!sf_resp_is_vip(&r->ls, &pkt->flow))) {
			SF_STAT_INC(r->st, not_vip);
			sf_resp_drop(m);
		} else if (unlikely(pkt->kind != SF_PKT_TCP)) {
			sf_resp_other(r, m, pkt);
		} else if (unlikely(!sf_resp_port_listens(&r->ls,
							  pkt->flow.srv_port))) {
			SF_STAT_INC(r->st, not_listening);
			if (r->pol->closed_port_rst &&
			    !(pkt->tcp_flags & SF_TCP_RST))
				sf_resp_rst(r, m, pkt);
			else
				sf_resp_drop(m);
		} else {
			r->seg[nseg].frame = (uint8_t)i;
			r->keys[nseg] = &pkt->flow;
			r->sigs[nseg] = sf_conn_hash(hk, &pkt->flow);
			nseg++;
		}
	}
	r->nseg = nseg;
}

/* ------------------------------------------------------------------ */
/* Phase 3: lookup and cookies                                         */

/**
 * What a segment of a flow not in the shard calls for (RFC 9293 3.10.7.1,
 * LISTEN): a SYN alone gets a cookie, an RST is ignored, an ACK without
 * SYN is a cookie to check, anything else is unexpected.
 */
static inline uint8_t
sf_resp_unknown_act(uint8_t fl)
{
	if ((fl & (SF_TCP_SYN | SF_TCP_ACK | SF_TCP_FIN | SF_TCP_RST)) ==
	    SF_TCP_SYN)
		return SF_ACT_SYN;
	if (fl & SF_TCP_RST)
		return SF_ACT_RST;
	if ((fl & (SF_TCP_SYN | SF_TCP_ACK)) == SF_TCP_ACK)
		return SF_ACT_ACK;
	return SF_ACT_OTHER;
}

/**
 * Decide a segment of a flow not in the shard, and queue its cookie work:
 * a request or a check in the next slot.
 */
static inline void
sf_resp_decide(struct sf_responder *r, struct sf_resp_seg *s)
{
	const struct sf_pkt *pkt = &r->pkt[s->frame];

	s->act = sf_resp_unknown_act(pkt->tcp_flags);
	if (s->act == SF_ACT_SYN) {
		sf_cookie_req_fill(&r->reqs[r->nreq], pkt,
				   r->ls.mss[r->port][sf_resp_fam(pkt->flow.family)],
				   r->pol->opt_on);
		s->slot = (uint8_t)r->nreq++;
	} else if (s->act == SF_ACT_ACK) {
		sf_cookie_chk_fill(&r->chks[r->nchk], pkt);
		s->slot = (uint8_t)r->nchk++;
	}
}

/**
 * The closed-flow fingerprints of the ACKs whose cookie validated, their
 * buckets prefetched for phase 4 (none while no closed record is alive).
 */
static void
sf_resp_closed_probe(struct sf_responder *r)
{
	const struct sf_closed *t = r->conf.closed;
	unsigned int k;

	r->closed_fps = 0;
	if (t == NULL || sf_closed_empty(t, r->now->unix_s))
		return;
	for (k = 0; k < r->nchk; k++) {
		if (r->chk_res[k] < 0)
			continue;
		r->closed_fp[k] = sf_closed_prefetch(t, r->chks[k].flow,
						     r->chks[k].client_isn);
		r->closed_fps |= UINT64_C(1) << k;
	}
}

/** Phase 3: one bulk lookup, then the cookies of the flows not found. */
static void
sf_resp_cookies(struct sf_responder *r)
{
	unsigned int j;

	sf_conn_lookup_bulk(r->conf.shard, r->keys, r->sigs,
				      r->nseg, r->conns);
	r->nreq = 0;
	r->nchk = 0;
	for (j = 0; j < r->nseg; j++) {
		if (r->conns[j] != NULL)
			r->seg[j].act = SF_ACT_CONN;
		else
			sf_resp_decide(r, &r->seg[j]);
	}
	if (r->nreq > 0)
		sf_cookie_make_burst(&r->conf.keys->cur, r->reqs, r->nreq,
				     r->now->unix_s, r->cookies);
	if (r->nchk > 0)
		sf_cookie_check_burst(r->conf.keys, r->chks, r->nchk,
				      r->now->unix_s, r->chk_res);
	sf_resp_closed_probe(r);
}

/* ------------------------------------------------------------------ */
/* Phase 4: answer                                                     */

/**
 * A segment whose flow was inserted or removed earlier in this burst:
 * look it up again. Found, it is established; gone (removed this burst),
 * decide again and do its cookie work on the spot.
 */
static struct sf_conn *
sf_resp_redecide(struct sf_responder *r, unsigned int j)
{
	struct sf_resp_seg *s = &r->seg[j];
	const struct sf_pkt *pkt = &r->pkt[s->frame];
	struct sf_conn *c;

	c = sf_conn_lookup(r->conf.shard, &pkt->flow, r->sigs[j]);
	if (c != NULL || s->act != SF_ACT_CONN)
		return c;
	sf_resp_decide(r, s);
	if (s->act == SF_ACT_SYN)
		r->cookies[s->slot] = sf_cookie_make(&r->conf.keys->cur,
						     &r->reqs[s->slot],
						     r->now->unix_s);
	else if (s->act == SF_ACT_ACK)
		r->chk_res[s->slot] = sf_cookie_check(r->conf.keys,
						      &r->chks[s->slot],
						      r->now->unix_s);
	return NULL;
}

/** A segment of a flow not in the shard. @return 1 for a SYN-ACK sent. */
static inline unsigned int
sf_resp_unknown(struct sf_responder *r, unsigned int j, struct rte_mbuf *m,
		const struct sf_pkt *pkt)
{
	const struct sf_resp_seg *s = &r->seg[j];

	switch (s->act) {
	case SF_ACT_SYN:
		return sf_resp_synack(r, m, pkt, &r->reqs[s->slot],
				      r->cookies[s->slot]);
	case SF_ACT_ACK:
		if (r->chk_res[s->slot] < 0) {
			SF_STAT_INC(r->st, ack_cookie_bad);
			sf_resp_rst(r, m, pkt);
		} else {
			sf_resp_handshake(r, m, pkt, s->slot, r->sigs[j]);
		}
		return 0;
	case SF_ACT_RST:
		SF_STAT_INC(r->st, rst_ignored);
		sf_resp_drop(m);
		return 0;
	default:
		SF_STAT_INC(r->st, unexpected);
		sf_resp_drop(m);
		return 0;
	}
}

/** Phase 4: every segment, in arrival order. */
static void
sf_resp_answer(struct sf_responder *r)
{
	unsigned int j, n_syn = 0, n_synack = 0;

	r->dirty = 0;
	for (j = 0; j < r->nseg; j++) {
		const struct sf_resp_seg *s = &r->seg[j];
		const struct sf_pkt *pkt = &r->pkt[s->frame];
		struct rte_mbuf *m = r->pkts[s->frame];
		struct sf_conn *c = r->conns[j];

		if (unlikely(r->dirty != 0) &&
		    (r->dirty & sf_resp_sig(&pkt->flow)) != 0)
			c = sf_resp_redecide(r, j);
		if (c != NULL) {
			sf_resp_established(r, m, pkt, c,
					    sf_conn_slot(r->conf.shard, c));
			continue;
		}
		n_syn += s->act == SF_ACT_SYN;
		n_synack += sf_resp_unknown(r, j, m, pkt);
	}
	SF_STAT_ADD(r->st, syn_rx, n_syn);
	SF_STAT_ADD(r->st, synack_tx, n_synack);
}

static uint16_t
sf_resp_chunk(struct sf_responder *r, struct rte_mbuf **pkts, uint16_t n,
	      struct rte_mbuf **tx)
{
	uint64_t live;

	SF_STAT_ADD(r->st, rx_pkts, n);
	r->pkts = pkts;
	r->tx = tx;
	r->ntx = 0;
	live = sf_resp_parse(r, n);
	sf_resp_classify(r, live);
	if (r->nseg > 0) {
		sf_resp_cookies(r);
		sf_resp_answer(r);
		if (r->snd != NULL)
			sf_resp_snd_flush(r);
	}
	return r->ntx;
}

uint16_t
sf_respond_burst(struct sf_responder *r, uint16_t port,
		 struct rte_mbuf **pkts, uint16_t n,
		 const struct sf_clock *now, struct rte_mbuf **tx)
{
	uint16_t done = 0, ntx = 0;

	if (unlikely(port >= r->conf.n_ports)) {
		SF_STAT_ADD(r->st, rx_pkts, n);
		SF_STAT_ADD(r->st, not_handled, n);
		rte_pktmbuf_free_bulk(pkts, n);
		return 0;
	}
	r->port = port;
	r->now = now;
	while (done < n) {
		uint16_t k = RTE_MIN((uint16_t)(n - done),
				     (uint16_t)SF_RESPOND_BURST_MAX);

		ntx += sf_resp_chunk(r, pkts + done, k, tx + ntx);
		done += k;
	}
	return ntx;
}

/* ------------------------------------------------------------------ */
/* Idle expiry                                                         */

/*
 * A swept entry goes only once its event is queued: an idle one with its
 * TIMEOUT event, a RESET one (its RST event did not fit the ring when the
 * RST arrived, or when we reset it: SF_CONN_F_LOCAL, the event says so)
 * with that RST event. Otherwise it stays (handoff_full is counted) and the
 * next sweep visit retries.
 */
static bool
sf_resp_expire_cb(const struct sf_flow *key, const struct sf_conn *conn,
		  void *arg)
{
	struct sf_responder *r = arg;
	uint32_t slot = sf_conn_slot(r->conf.shard, conn);
	struct sf_event ev;

	/* an RST event of ours (SF_CONN_F_LOCAL) says so */
	sf_resp_event_fill(r, &ev, conn->state == SF_CONN_RESET ?
			   SF_EV_RST : SF_EV_TIMEOUT, key, conn, slot);
	if (!sf_resp_enqueue(r, &ev))
		return false;
	sf_resp_closed_add(r, key, conn);
	sf_resp_snd_forget(r, conn, slot);
	if (ev.type == SF_EV_TIMEOUT)
		SF_STAT_INC(r->st, conn_timeout);
	return true;
}

unsigned int
sf_respond_expire(struct sf_responder *r, const struct sf_clock *now,
		  unsigned int budget)
{
	unsigned int k;

	r->now = now;
	k = sf_conn_expire(r->conf.shard, now->tsc,
			   r->idle_tsc != 0 ? r->idle_tsc : SF_CONN_IDLE_NEVER,
			   budget, sf_resp_expire_cb, r);
	if (k > 0)
		sf_resp_conn_active(r);
	sf_resp_closed_gauge(r, now->unix_s);	/* records expire unseen */
	return k;
}
