/* SPDX-License-Identifier: BSD-3-Clause */

/*
 * The responder: DESIGN.md's wire contract on a burst of mbufs.
 *
 * A burst is worked in phases:
 *
 *   1. parse     every frame into r->pkt[i] (prefetching ahead); drop and
 *                count the malformed ones
 *   2. classify  ARP / ND / echo for a VIP are answered at once; TCP to a
 *                closed port gets its RST; TCP to a listening pair is
 *                collected for one bulk shard lookup
 *   3. cookies   flows not in the shard: all SYNs of the burst get their
 *                cookies in one sf_cookie_make_burst(), all ACKs are
 *                validated in one sf_cookie_check_burst()
 *   4. answer    each TCP segment, in arrival order, against its entry
 *
 * A segment whose flow was inserted or removed earlier in the same burst
 * must not use the (stale) bulk lookup result: every insert/remove marks a
 * 64-bit signature filter, and a segment whose signature is marked looks
 * its flow up again.
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

#include "sf_cookie.h"
#include "sf_handoff.h"
#include "sf_net.h"
#include "sf_respond.h"

#define SF_RESP_PREFETCH	3	/**< frames parsed ahead of prefetch */
#define SF_RESP_MTU_DEFAULT	1500	/**< port MTU when unknown (0) */
#define SF_RESP_V4_HDRS		40	/**< IPv4 + TCP headers, no options */
#define SF_RESP_V6_HDRS		60	/**< IPv6 + TCP headers, no options */
#define SF_RESP_V6_MSS_DELTA	20	/**< IPv6 header is 20 bytes longer */
#define SF_RESP_WSCALE_MAX	14	/**< RFC 7323 section 2.3 */
#define SF_RESP_TS_OPT_MASK	0x3f	/**< low TSval bits carrying opt */
#define SF_RESP_PORT_WORDS	(65536 / 64)	/**< 64-bit words of the port bitmap */
#define SF_RESP_RST_BURST_DIV	10	/**< RST bucket depth = rate / 10 + 1 */

/*
 * Private sf_conn.flags bit: window scaling negotiated (snd_wscale and
 * rcv_wscale are meaningful). sf_conn.h leaves the other bits to the owner.
 */
#define SF_RESP_CONN_F_WS	0x80
_Static_assert((SF_RESP_CONN_F_WS & (SF_CONN_F_SACK | SF_CONN_F_TS)) == 0,
	       "private conn flag collides with sf_conn.h");
_Static_assert(SF_RESPOND_BURST_MAX <= SF_CONN_BULK_MAX,
	       "a burst must fit one bulk lookup");
_Static_assert(SF_RESPOND_BURST_MAX <= 64,
	       "per-burst masks are 64-bit");

/** Not-in-shard action of a TCP segment, decided in phase 3. */
enum sf_resp_act {
	SF_ACT_NONE = 0,	/**< in the shard at lookup time */
	SF_ACT_SYN,		/**< cookie computed: reqs/cookies[slot] */
	SF_ACT_ACK,		/**< cookie checked: chks/chk_res[slot] */
	SF_ACT_RST,		/**< RST for an unknown flow */
	SF_ACT_OTHER,		/**< nothing valid without an entry */
};

/** Our listening addresses and ports, and per-port MSS caps. */
struct sf_resp_listen {
	uint64_t port_bits[SF_RESP_PORT_WORDS];	/**< bit p: port p (host order) listens */
	uint32_t vip4[SF_CONFIG_MAX_VIPS];	/**< IPv4 VIPs, network order */
	uint64_t vip6[SF_CONFIG_MAX_VIPS][2];	/**< IPv6 VIPs, as two words */
	unsigned int n_vip4;
	unsigned int n_vip6;
	/** our MSS per port index and family (SF_RESP_FAM_V4/V6) */
	uint16_t mss[SF_RESPOND_MAX_PORTS][2];
};

/*
 * Per-family constants are indexed by sf_resp_fam(): 0 for IPv4, 1 for
 * IPv6 (any family but SF_AF_INET, as every test of the family here).
 */
#define SF_RESP_FAM_V4	0
#define SF_RESP_FAM_V6	1

static inline unsigned int
sf_resp_fam(uint8_t family)
{
	return family != SF_AF_INET;
}

/** Reply's L3 header length, by family. */
static const uint16_t sf_resp_l3_len[2] = {
	sizeof(struct rte_ipv4_hdr), sizeof(struct rte_ipv6_hdr),
};
/** Reply's mbuf TX family flag, by family. */
static const uint64_t sf_resp_tx_fam[2] = {
	RTE_MBUF_F_TX_IPV4, RTE_MBUF_F_TX_IPV6,
};

/** Rate limiter (RSTs, challenge ACKs): a token bucket in TSC ticks. */
struct sf_resp_bucket {
	uint64_t credit;	/**< ticks saved up, <= depth */
	uint64_t cost;		/**< ticks per reply (tsc_hz / rate) */
	uint64_t depth;		/**< burst * cost */
	uint64_t last;		/**< TSC of the last refill */
	bool off;		/**< rate 0: never send */
};

struct sf_responder {
	struct sf_respond_conf conf;
	const struct sf_config *cfg;
	struct sf_stats *st;
	uint64_t idle_tsc;		/**< 0: no idle expiry */
	struct sf_resp_bucket rst;
	struct sf_resp_bucket chack;	/**< challenge ACKs (RFC 5961 7) */
	struct sf_resp_listen ls;

	/* Per-burst scratch, indexed by frame (pkt) or by TCP segment. */
	struct sf_pkt pkt[SF_RESPOND_BURST_MAX] __rte_cache_aligned;
	uint8_t tcp_idx[SF_RESPOND_BURST_MAX];	/**< TCP seg -> frame */
	uint8_t act[SF_RESPOND_BURST_MAX];	/**< enum sf_resp_act */
	uint8_t slot[SF_RESPOND_BURST_MAX];	/**< index in reqs/chks */
	const struct sf_flow *keys[SF_RESPOND_BURST_MAX];
	struct sf_conn *conns[SF_RESPOND_BURST_MAX];
	struct sf_cookie_req reqs[SF_RESPOND_BURST_MAX];
	uint32_t cookies[SF_RESPOND_BURST_MAX];
	struct sf_cookie_chk chks[SF_RESPOND_BURST_MAX];
	int chk_res[SF_RESPOND_BURST_MAX];
	uint32_t sigs[SF_RESPOND_BURST_MAX];	/**< sf_conn_hash() of keys[] */
	uint64_t dirty;			/**< signatures of flows changed this burst */
} __rte_cache_aligned;

/* ------------------------------------------------------------------ */
/* Set-up                                                              */

static uint16_t
sf_resp_mss_cap(uint16_t mss_max, uint16_t mtu, uint8_t family)
{
	uint32_t mtu_cap, cap, floor;

	if (mtu == 0)
		mtu = SF_RESP_MTU_DEFAULT;
	if (family == SF_AF_INET) {
		mtu_cap = mtu > SF_RESP_V4_HDRS ? mtu - SF_RESP_V4_HDRS : 0;
		cap = mss_max;
	} else {
		mtu_cap = mtu > SF_RESP_V6_HDRS ? mtu - SF_RESP_V6_HDRS : 0;
		cap = mss_max > SF_RESP_V6_MSS_DELTA ?
			mss_max - SF_RESP_V6_MSS_DELTA : 0;
	}
	cap = RTE_MIN(cap, mtu_cap);
	/* Never below the family's smallest cookie MSS. */
	floor = family == SF_AF_INET ? sf_cookie_mss_v4[0] : sf_cookie_mss_v6[0];
	return (uint16_t)RTE_MAX(cap, floor);
}

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

struct sf_responder *
sf_responder_create(const struct sf_respond_conf *conf)
{
	const struct sf_config *cfg;
	struct sf_responder *r;
	unsigned int i;

	if (conf == NULL || conf->cfg == NULL || conf->keys == NULL ||
	    conf->shard == NULL || conf->ring == NULL ||
	    conf->pool == NULL || conf->stats == NULL || conf->n_ports == 0 ||
	    conf->n_ports > SF_RESPOND_MAX_PORTS || conf->tsc_hz == 0) {
		rte_errno = EINVAL;
		return NULL;
	}
	cfg = conf->cfg;
	if (cfg->n_vips > SF_CONFIG_MAX_VIPS ||
	    cfg->n_ports > SF_CONFIG_MAX_PORTS) {
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
	r->cfg = cfg;
	r->st = conf->stats;
	r->idle_tsc = (uint64_t)cfg->idle_timeout_s * conf->tsc_hz;

	for (i = 0; i < cfg->n_vips; i++) {
		const struct sf_vip *v = &cfg->vips[i];

		if (v->family == SF_AF_INET) {
			memcpy(&r->ls.vip4[r->ls.n_vip4++], v->addr, 4);
		} else if (v->family == SF_AF_INET6) {
			memcpy(r->ls.vip6[r->ls.n_vip6++], v->addr, 16);
		} else {
			rte_free(r);
			rte_errno = EINVAL;
			return NULL;
		}
	}
	for (i = 0; i < cfg->n_ports; i++) {
		uint16_t p = cfg->ports[i];

		r->ls.port_bits[p / 64] |= UINT64_C(1) << (p % 64);
	}
	for (i = 0; i < conf->n_ports; i++) {
		r->ls.mss[i][SF_RESP_FAM_V4] = sf_resp_mss_cap(cfg->mss_max,
				conf->ports[i].mtu, SF_AF_INET);
		r->ls.mss[i][SF_RESP_FAM_V6] = sf_resp_mss_cap(cfg->mss_max,
				conf->ports[i].mtu, SF_AF_INET6);
	}

	sf_resp_bucket_init(&r->rst, cfg->rst_rate, conf->tsc_hz);
	sf_resp_bucket_init(&r->chack, cfg->challenge_ack_rate, conf->tsc_hz);
	return r;
}

void
sf_responder_free(struct sf_responder *r)
{
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
	return sf_resp_fam(f->family) == SF_RESP_FAM_V4 ? hit4 : hit6;
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

static inline void
sf_resp_conn_active(struct sf_responder *r)
{
	r->st->cnt[SF_CNT_conn_active] = sf_conn_count(r->conf.shard);
}

/** Largest frame a builder may write into m (from its data start). */
static inline uint16_t
sf_resp_cap(const struct rte_mbuf *m)
{
	uint32_t cap = (uint32_t)rte_pktmbuf_data_len(m) +
		rte_pktmbuf_tailroom(m);

	return (uint16_t)RTE_MIN(cap, (uint32_t)UINT16_MAX);
}

/**
 * Finish a reply of @p len bytes in @p m (no offload requested) and place it
 * in tx; a builder's 0 (it did not fit) drops it, counted.
 */
static inline bool
sf_resp_emit(struct sf_responder *r, struct rte_mbuf *m, uint16_t len,
	     struct rte_mbuf **tx, uint16_t *ntx)
{
	if (unlikely(len == 0)) {
		SF_STAT_INC(r->st, reply_fail);
		sf_resp_drop(m);
		return false;
	}
	m->data_len = len;
	m->pkt_len = len;
	m->ol_flags = 0;
	tx[(*ntx)++] = m;
	return true;
}

/**
 * Build TCP reply @p tr to @p pkt into @p m (the received frame itself, or
 * a fresh mbuf) and place it in tx. @return true when placed, false when
 * it did not fit (m freed, counted).
 */
static inline bool
sf_resp_tcp_emit(struct sf_responder *r, uint16_t port, struct rte_mbuf *m,
		 const struct sf_pkt *pkt, const struct sf_tcp_reply *tr,
		 struct rte_mbuf **tx, uint16_t *ntx)
{
	const struct sf_respond_port *pc = &r->conf.ports[port];
	uint32_t ol = 0;
	uint16_t len;
	uint64_t f;

	len = sf_build_tcp(rte_pktmbuf_mtod(m, uint8_t *), sf_resp_cap(m),
			   pkt, &pc->mac, tr, pc->tx_offload, &ol);
	if (!sf_resp_emit(r, m, len, tx, ntx))
		return false;
	if (ol != 0) {
		unsigned int fi = sf_resp_fam(pkt->flow.family);
		uint16_t l3 = sf_resp_l3_len[fi];

		f = sf_resp_tx_fam[fi] |
			((ol & SF_TX_IP_CSUM) ? RTE_MBUF_F_TX_IP_CKSUM : 0) |
			((ol & SF_TX_TCP_CSUM) ? RTE_MBUF_F_TX_TCP_CKSUM : 0);
		m->ol_flags = f;
		m->l2_len = pkt->l2_len;
		m->l3_len = l3;
		m->l4_len = len - pkt->l2_len - l3;
	}
	return true;
}

/**
 * RST answering a segment that has no connection (RFC 9293 3.10.7.1):
 * with ACK, <SEQ=SEG.ACK><CTL=RST>; without, <SEQ=0><ACK=SEG.SEQ+SEG.LEN>
 * <CTL=RST,ACK>. Rate-limited.
 */
static inline void
sf_resp_rst(struct sf_responder *r, uint16_t port, struct rte_mbuf *m,
	    const struct sf_pkt *pkt, const struct sf_clock *now,
	    struct rte_mbuf **tx, uint16_t *ntx)
{
	struct sf_tcp_reply tr;

	if (!sf_resp_bucket_take(&r->rst, now->tsc)) {
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
	if (sf_resp_tcp_emit(r, port, m, pkt, &tr, tx, ntx))
		SF_STAT_INC(r->st, rst_tx);
}

/** A segment of an established connection: ACK-bearing, with TS if on. */
static inline void
sf_resp_conn_reply(const struct sf_responder *r, const struct sf_conn *c,
		   const struct sf_clock *now, uint32_t seq, uint8_t flags,
		   struct sf_tcp_reply *tr)
{
	memset(tr, 0, sizeof(*tr));
	tr->seq = seq;
	tr->ack = c->rcv_nxt;
	tr->window = r->cfg->window;
	tr->flags = flags;
	tr->wscale = SF_WSCALE_NONE;
	if (c->flags & SF_CONN_F_TS) {
		tr->ts_ok = 1;
		tr->tsval = now->ms;
		tr->tsecr = c->ts_recent;
	}
}

static inline void
sf_resp_event_fill(const struct sf_responder *r, struct sf_event *ev,
		   uint8_t type, const struct sf_flow *flow,
		   const struct sf_conn *c, uint64_t tsc)
{
	memset(ev, 0, sizeof(*ev));
	ev->flow = *flow;
	ev->tsc = tsc;
	ev->client_isn = c->client_isn;
	ev->server_isn = c->server_isn;
	ev->mss = c->mss;
	ev->lcore = r->conf.lcore;
	ev->type = type;
	if (c->flags & SF_RESP_CONN_F_WS) {
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
}

/** Enqueue a payload-less event. @return true when queued. */
static inline bool
sf_resp_event(struct sf_responder *r, uint8_t type, const struct sf_flow *flow,
	      const struct sf_conn *c, uint64_t tsc)
{
	struct sf_event ev;

	sf_resp_event_fill(r, &ev, type, flow, c, tsc);
	if (sf_handoff_enqueue(r->conf.ring, &ev) != 0) {
		SF_STAT_INC(r->st, handoff_full);
		return false;
	}
	SF_STAT_INC(r->st, handoff_enq);
	return true;
}

static inline void
sf_resp_remove(struct sf_responder *r, struct sf_conn *c,
	       const struct sf_flow *flow)
{
	sf_conn_remove(r->conf.shard, c);
	r->dirty |= sf_resp_sig(flow);
	sf_resp_conn_active(r);
}

/* ------------------------------------------------------------------ */
/* Phase 4: one segment                                                */

/** Challenge ACK (RFC 5961 sections 3.2 and 4), in place. */
static inline void
sf_resp_challenge(struct sf_responder *r, uint16_t port, struct rte_mbuf *m,
		  const struct sf_pkt *pkt, const struct sf_conn *c,
		  const struct sf_clock *now, struct rte_mbuf **tx,
		  uint16_t *ntx)
{
	struct sf_tcp_reply tr;

	if (!sf_resp_bucket_take(&r->chack, now->tsc)) {
		SF_STAT_INC(r->st, challenge_ratelimited);
		sf_resp_drop(m);
		return;
	}
	sf_resp_conn_reply(r, c, now, c->snd_nxt, SF_TCP_ACK, &tr);
	if (sf_resp_tcp_emit(r, port, m, pkt, &tr, tx, ntx))
		SF_STAT_INC(r->st, challenge_ack_tx);
}

/** A segment of a connection in the shard (after the handshake). */
static void
sf_resp_established(struct sf_responder *r, uint16_t port, struct rte_mbuf *m,
		    const struct sf_pkt *pkt, struct sf_conn *c,
		    const struct sf_clock *now, struct rte_mbuf **tx,
		    uint16_t *ntx)
{
	const struct sf_flow *flow = &pkt->flow;
	uint8_t fl = pkt->tcp_flags;
	uint32_t len = pkt->payload_len;
	int32_t off = (int32_t)(pkt->seq - c->rcv_nxt);
	struct sf_tcp_reply tr;
	struct sf_event ev;
	struct rte_mbuf *ack;
	uint32_t trim, fin_seq;
	bool fin_ok;

	c->last_tsc = now->tsc;

	/* RST first (RFC 9293 3.10.7.4: second check), RFC 5961 3.2. */
	if (fl & SF_TCP_RST) {
		uint32_t wnd = (uint32_t)r->cfg->window <<
			((c->flags & SF_RESP_CONN_F_WS) ? c->rcv_wscale : 0);

		if (off == 0) {
			sf_resp_event(r, SF_EV_RST, flow, c, now->tsc);
			SF_STAT_INC(r->st, rst_rx);
			sf_resp_remove(r, c, flow);
			sf_resp_drop(m);
		} else if (off > 0 && (uint32_t)off < wnd) {
			sf_resp_challenge(r, port, m, pkt, c, now, tx, ntx);
		} else {
			SF_STAT_INC(r->st, out_of_window);
			sf_resp_drop(m);
		}
		return;
	}
	/* SYN on a synchronised connection: RFC 5961 section 4. */
	if (fl & SF_TCP_SYN) {
		sf_resp_challenge(r, port, m, pkt, c, now, tx, ntx);
		return;
	}
	/* No ACK bit: drop (RFC 9293 3.10.7.4, fifth check). */
	if (!(fl & SF_TCP_ACK)) {
		SF_STAT_INC(r->st, unexpected);
		sf_resp_drop(m);
		return;
	}
	/*
	 * ACK acceptability (RFC 5961 section 5.2, RFC 9293 3.10.7.4): we
	 * never send data, so a valid SEG.ACK lies in [ISS + 1, SND.NXT]
	 * (ISS + 1 until our FIN is out). Anything else is a blind injection
	 * attempt or garbage: challenge ACK, no data accepted.
	 */
	if (unlikely(pkt->ack - (c->server_isn + 1) >
		     c->snd_nxt - (c->server_isn + 1))) {
		SF_STAT_INC(r->st, out_of_window);
		sf_resp_challenge(r, port, m, pkt, c, now, tx, ntx);
		return;
	}
	c->snd_wnd = (uint32_t)pkt->window <<
		((c->flags & SF_RESP_CONN_F_WS) ? c->snd_wscale : 0);

	/* RFC 7323 4.3: TS.Recent from segments at or before RCV.NXT. */
	if (off <= 0 && (c->flags & SF_CONN_F_TS) && pkt->opts.ts_ok &&
	    (int32_t)(pkt->opts.tsval - c->ts_recent) >= 0)
		c->ts_recent = pkt->opts.tsval;

	/*
	 * Pure ACK: not answered; in LAST_ACK, ours acknowledged closes. One
	 * below RCV.NXT is unacceptable (RFC 9293 3.10.7.4): a keepalive
	 * probe (SEG.SEQ = RCV.NXT - 1), answered with an ACK so the
	 * client's keepalive succeeds.
	 */
	if (len == 0 && !(fl & SF_TCP_FIN)) {
		if (off < 0 && c->state == SF_CONN_ESTABLISHED) {
			SF_STAT_INC(r->st, keepalive_rx);
			sf_resp_conn_reply(r, c, now, c->snd_nxt, SF_TCP_ACK,
					   &tr);
			sf_resp_tcp_emit(r, port, m, pkt, &tr, tx, ntx);
			return;
		}
		if (c->state == SF_CONN_LAST_ACK && pkt->ack == c->snd_nxt) {
			SF_STAT_INC(r->st, closed);
			sf_resp_remove(r, c, flow);
		} else {
			SF_STAT_INC(r->st, ack_rx);
		}
		sf_resp_drop(m);
		return;
	}
	/* Future segment: we keep no reassembly queue; duplicate ACK. */
	if (off > 0) {
		SF_STAT_INC(r->st, out_of_window);
		sf_resp_conn_reply(r, c, now, c->snd_nxt, SF_TCP_ACK, &tr);
		sf_resp_tcp_emit(r, port, m, pkt, &tr, tx, ntx);
		return;
	}

	trim = c->rcv_nxt - pkt->seq;	/* bytes already received (off <= 0) */
	fin_seq = pkt->seq + len;	/* sequence number of a FIN */

	if (c->state == SF_CONN_LAST_ACK) {
		/* Our FIN is out; the client's FIN took rcv_nxt - 1. */
		if ((fl & SF_TCP_FIN) && fin_seq == c->rcv_nxt - 1) {
			/* Retransmitted FIN: our FIN|ACK was lost. */
			sf_resp_conn_reply(r, c, now, c->snd_nxt - 1,
					   SF_TCP_FIN | SF_TCP_ACK, &tr);
			sf_resp_tcp_emit(r, port, m, pkt, &tr, tx, ntx);
		} else if (len > trim) {
			/* New data after the FIN: impossible from a peer. */
			SF_STAT_INC(r->st, unexpected);
			sf_resp_drop(m);
		} else {
			SF_STAT_INC(r->st, dup_data);
			sf_resp_conn_reply(r, c, now, c->snd_nxt, SF_TCP_ACK,
					   &tr);
			sf_resp_tcp_emit(r, port, m, pkt, &tr, tx, ntx);
		}
		return;
	}

	/* ESTABLISHED, with payload and/or FIN starting at or before rcv_nxt. */
	/* Entirely old: data and FIN (if any) already received. */
	if (len < trim || (len == trim && !(fl & SF_TCP_FIN))) {
		SF_STAT_INC(r->st, dup_data);
		sf_resp_conn_reply(r, c, now, c->snd_nxt, SF_TCP_ACK, &tr);
		sf_resp_tcp_emit(r, port, m, pkt, &tr, tx, ntx);
		return;
	}

	if (len > trim) {
		/* New bytes: the frame goes to the consumer, the ACK is new. */
		ack = rte_pktmbuf_alloc(r->conf.pool);
		if (unlikely(ack == NULL)) {
			SF_STAT_INC(r->st, alloc_fail);
			sf_resp_drop(m);
			return;
		}
		sf_resp_event_fill(r, &ev, SF_EV_DATA, flow, c, now->tsc);
		ev.mbuf = m;
		ev.seq = c->rcv_nxt;
		ev.data_off = (uint16_t)(pkt->payload_off + trim);
		ev.data_len = (uint16_t)(len - trim);
		if (sf_handoff_enqueue(r->conf.ring, &ev) != 0) {
			SF_STAT_INC(r->st, handoff_full);
			sf_resp_drop(ack);
			sf_resp_drop(m);
			return;
		}
		/* m belongs to the consumer now: never touch it again. */
		SF_STAT_INC(r->st, handoff_enq);
		SF_STAT_INC(r->st, data_rx);
		c->rcv_nxt += len - trim;
		m = ack;
	}

	fin_ok = false;
	if (fl & SF_TCP_FIN) {
		if (sf_resp_event(r, SF_EV_FIN, flow, c, now->tsc)) {
			SF_STAT_INC(r->st, fin_rx);
			c->rcv_nxt += 1;
			c->state = SF_CONN_LAST_ACK;
			fin_ok = true;
		} else if (len <= trim) {
			/* Nothing new was queued: no reply, client retries. */
			sf_resp_drop(m);
			return;
		}
	}
	if (fin_ok) {
		sf_resp_conn_reply(r, c, now, c->snd_nxt,
				   SF_TCP_FIN | SF_TCP_ACK, &tr);
		c->snd_nxt += 1;
	} else {
		sf_resp_conn_reply(r, c, now, c->snd_nxt, SF_TCP_ACK, &tr);
	}
	sf_resp_tcp_emit(r, port, m, pkt, &tr, tx, ntx);
}

/**
 * SYN-ACK with the cookie as ISN, in place. Straight-line: the option
 * fields are selected, not branched on (the option mix is data).
 * @return true when placed in tx.
 */
static inline bool
sf_resp_synack(struct sf_responder *r, uint16_t port, struct rte_mbuf *m,
	       const struct sf_pkt *pkt, const struct sf_cookie_req *req,
	       uint32_t cookie, uint32_t now_ms, uint16_t window,
	       uint8_t wscale, struct rte_mbuf **tx, uint16_t *ntx)
{
	uint8_t opt = req->opt;
	bool ts = opt != SF_COOKIE_OPT_NONE;
	uint32_t tsval;
	struct sf_tcp_reply tr = {
		.seq = cookie,
		.ack = pkt->seq + 1,
		.window = window,
		.flags = SF_TCP_SYN | SF_TCP_ACK,
		.mss = r->ls.mss[port][sf_resp_fam(pkt->flow.family)],
	};

	/*
	 * With timestamps, TSval low 6 bits carry opt; the ACK's TSecr
	 * returns it. Never ahead of our clock (as Linux's
	 * cookie_init_timestamp): our later TSvals (now_ms) must not look
	 * older to the client's PAWS check.
	 */
	tsval = (now_ms & ~(uint32_t)SF_RESP_TS_OPT_MASK) | opt;
	tsval -= (uint32_t)((int32_t)(tsval - now_ms) > 0) *
		(SF_RESP_TS_OPT_MASK + 1);
	tr.ts_ok = ts;
	tr.tsval = ts ? tsval : 0;
	tr.tsecr = ts ? pkt->opts.tsval : 0;
	tr.sack_ok = ts & ((opt & SF_COOKIE_OPT_SACK) != 0);
	tr.wscale = (ts && (opt & SF_COOKIE_OPT_WS_MASK) !=
		     SF_COOKIE_OPT_WS_NONE) ? wscale : SF_WSCALE_NONE;
	return sf_resp_tcp_emit(r, port, m, pkt, &tr, tx, ntx);
}

/**
 * The handshake's ACK with a valid cookie: insert, hand over, and go on
 * with the segment's payload/FIN if any.
 */
static inline void
sf_resp_handshake(struct sf_responder *r, uint16_t port, struct rte_mbuf *m,
		  const struct sf_pkt *pkt, const struct sf_cookie_chk *chk,
		  int mss_idx, uint32_t sig, const struct sf_clock *now,
		  struct rte_mbuf **tx, uint16_t *ntx)
{
	const struct sf_flow *flow = &pkt->flow;
	uint8_t opt = chk->opt;
	struct sf_conn *c;

	SF_STAT_INC(r->st, ack_cookie_ok);
	c = sf_conn_insert_with_hash(r->conf.shard, flow, sig);
	if (unlikely(c == NULL)) {
		SF_STAT_INC(r->st, conn_full);
		sf_resp_drop(m);
		return;
	}
	r->dirty |= sf_resp_sig(flow);
	c->client_isn = chk->client_isn;
	c->server_isn = chk->cookie;
	c->rcv_nxt = pkt->seq;
	c->snd_nxt = chk->cookie + 1;
	c->mss = sf_cookie_mss_value(flow->family, (uint8_t)mss_idx);
	c->last_tsc = now->tsc;
	c->state = SF_CONN_ESTABLISHED;
	c->flags = 0;
	c->snd_wscale = 0;
	c->rcv_wscale = 0;
	c->ts_recent = 0;
	if (opt != SF_COOKIE_OPT_NONE) {
		uint8_t ws = opt & SF_COOKIE_OPT_WS_MASK;

		c->flags |= SF_CONN_F_TS;
		c->ts_recent = pkt->opts.tsval;
		if (opt & SF_COOKIE_OPT_SACK)
			c->flags |= SF_CONN_F_SACK;
		if (ws != SF_COOKIE_OPT_WS_NONE) {
			c->flags |= SF_RESP_CONN_F_WS;
			c->snd_wscale = RTE_MIN(ws, SF_RESP_WSCALE_MAX);
			c->rcv_wscale = r->cfg->wscale;
		}
	}
	c->snd_wnd = (uint32_t)pkt->window << c->snd_wscale;

	if (!sf_resp_event(r, SF_EV_ESTABLISHED, flow, c, now->tsc)) {
		/* Nothing inserted after all: the next segment re-validates. */
		sf_conn_remove(r->conf.shard, c);
		sf_resp_drop(m);
		return;
	}
	SF_STAT_INC(r->st, established);
	sf_resp_conn_active(r);

	if (pkt->payload_len > 0 || (pkt->tcp_flags & SF_TCP_FIN))
		sf_resp_established(r, port, m, pkt, c, now, tx, ntx);
	else
		sf_resp_drop(m);	/* counted: ack_cookie_ok */
}

/* ------------------------------------------------------------------ */
/* The burst                                                           */

/** Count a frame the port found a bad checksum in (IP first, as parsed). */
static inline void
sf_resp_csum_bad(struct sf_stats *st, uint64_t ipf)
{
	if (ipf == RTE_MBUF_F_RX_IP_CKSUM_BAD)
		st->reason[SF_NET_BAD_IP_CSUM]++;
	else
		st->reason[SF_NET_BAD_L4_CSUM]++;
}

/** Non-TCP frames for a VIP: answered in place at once. */
static inline void
sf_resp_other(struct sf_responder *r, uint16_t port, struct rte_mbuf *m,
	      const struct sf_pkt *pkt, struct rte_mbuf **tx, uint16_t *ntx)
{
	const struct rte_ether_addr *mac = &r->conf.ports[port].mac;
	uint8_t *frame = rte_pktmbuf_mtod(m, uint8_t *);
	uint16_t len;

	switch (pkt->kind) {
	case SF_PKT_ARP_REQUEST:
		len = sf_build_arp_reply(frame, rte_pktmbuf_data_len(m), pkt,
					 mac);
		if (sf_resp_emit(r, m, len, tx, ntx))
			SF_STAT_INC(r->st, arp_reply);
		break;
	case SF_PKT_ND_NS:
		len = sf_build_na(frame, sf_resp_cap(m), pkt, mac);
		if (sf_resp_emit(r, m, len, tx, ntx))
			SF_STAT_INC(r->st, nd_reply);
		break;
	case SF_PKT_ICMP_ECHO:
		len = sf_build_echo_reply(frame, rte_pktmbuf_data_len(m), pkt,
					  mac);
		if (sf_resp_emit(r, m, len, tx, ntx))
			SF_STAT_INC(r->st, icmp_reply);
		break;
	default:
		SF_STAT_INC(r->st, not_handled);
		sf_resp_drop(m);
		break;
	}
}

/** A SYN's cookie request (phase 3, and phase 4 after a removal). */
static inline void
sf_resp_req_fill(struct sf_cookie_req *q, const struct sf_pkt *pkt,
		 const uint16_t *cap, int ts_on, int ws_on, int sack_on)
{
	q->flow = &pkt->flow;
	q->client_isn = pkt->seq;
	q->mss_idx = sf_cookie_mss_index(pkt->flow.family, pkt->opts.mss,
					 cap[sf_resp_fam(pkt->flow.family)]);
	q->opt = sf_cookie_opt_encode(&pkt->opts, ts_on, ws_on, sack_on);
}

/** An ACK's cookie check (phase 3, and phase 4 after a removal). */
static inline void
sf_resp_chk_fill(struct sf_cookie_chk *k, const struct sf_pkt *pkt)
{
	k->flow = &pkt->flow;
	k->client_isn = pkt->seq - 1;
	k->cookie = pkt->ack - 1;
	k->opt = pkt->opts.ts_ok ?
		(uint8_t)(pkt->opts.tsecr & SF_RESP_TS_OPT_MASK) :
		SF_COOKIE_OPT_NONE;
}

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

static uint16_t
sf_resp_chunk(struct sf_responder *r, uint16_t port, struct rte_mbuf **pkts,
	      uint16_t n, const struct sf_clock *now, struct rte_mbuf **tx)
{
	const struct sf_config *cfg = r->cfg;
	struct sf_stats *st = r->st;
	struct sf_pkt *pk = r->pkt;
	uint8_t *tcp_idx = r->tcp_idx;
	uint8_t *act = r->act;
	uint8_t *slot = r->slot;
	uint32_t *sigs = r->sigs;
	const struct sf_conn_hash_key *hk =
		sf_conn_shard_hash_key(r->conf.shard);
	const uint16_t *cap = r->ls.mss[port];
	const int ts_on = cfg->timestamps, ws_on = cfg->window_scaling;
	const int sack_on = cfg->sack;
	const uint16_t window = cfg->window;
	const uint8_t wscale = cfg->wscale;
	const uint32_t now_ms = now->ms;
	unsigned int i, j, nt = 0, nreq = 0, nchk = 0;
	uint64_t live = 0;	/* frames still to be answered (bit i) */
	uint64_t n_syn = 0, n_synack = 0;
	uint16_t ntx = 0;

	SF_STAT_ADD(st, rx_pkts, n);
	r->dirty = 0;

	/* Phase 1: parse. */
	for (i = 0; i < n && i < SF_RESP_PREFETCH; i++)
		rte_prefetch0(rte_pktmbuf_mtod(pkts[i], void *));
	for (i = 0; i < n; i++) {
		struct rte_mbuf *m = pkts[i];
		uint64_t ol = m->ol_flags;
		uint64_t ipf = ol & RTE_MBUF_F_RX_IP_CKSUM_MASK;
		uint64_t l4f = ol & RTE_MBUF_F_RX_L4_CKSUM_MASK;
		enum sf_net_reason why;
		uint32_t rxf;

		if (i + SF_RESP_PREFETCH < n)
			rte_prefetch0(rte_pktmbuf_mtod(pkts[i + SF_RESP_PREFETCH],
						       void *));
		if (unlikely(m->nb_segs != 1)) {
			SF_STAT_INC(st, not_handled);
			sf_resp_drop(m);
			continue;
		}
		if (unlikely(ipf == RTE_MBUF_F_RX_IP_CKSUM_BAD ||
			     l4f == RTE_MBUF_F_RX_L4_CKSUM_BAD)) {
			sf_resp_csum_bad(st, ipf);
			SF_STAT_INC(st, malformed);
			sf_resp_drop(m);
			continue;
		}
		rxf = (ipf == RTE_MBUF_F_RX_IP_CKSUM_GOOD ?
		       SF_RX_IP_CSUM_GOOD : 0) |
		      (l4f == RTE_MBUF_F_RX_L4_CKSUM_GOOD ?
		       SF_RX_L4_CSUM_GOOD : 0);
		why = sf_parse(rte_pktmbuf_mtod(m, const uint8_t *),
			       rte_pktmbuf_data_len(m), rxf, &pk[i]);
		if (unlikely(why != SF_NET_OK)) {
			if ((unsigned int)why < SF_NET_REASON_MAX)
				st->reason[why]++;
			if (sf_net_reason_malformed(why))
				SF_STAT_INC(st, malformed);
			else
				SF_STAT_INC(st, not_handled);
			sf_resp_drop(m);
			continue;
		}
		live |= UINT64_C(1) << i;
	}

	/* Phase 2: classify; collect the TCP segments to look up. */
	while (live != 0) {
		const struct sf_pkt *pkt;
		struct rte_mbuf *m;

		i = (unsigned int)rte_bsf64(live);
		live &= live - 1;
		pkt = &pk[i];
		m = pkts[i];
		if (unlikely(!sf_resp_is_vip(&r->ls, &pkt->flow))) {
			SF_STAT_INC(st, not_vip);
			sf_resp_drop(m);
			continue;
		}
		if (unlikely(pkt->kind != SF_PKT_TCP)) {
			sf_resp_other(r, port, m, pkt, tx, &ntx);
			continue;
		}
		if (unlikely(!sf_resp_port_listens(&r->ls,
						   pkt->flow.srv_port))) {
			SF_STAT_INC(st, not_listening);
			if (cfg->closed_port_rst &&
			    !(pkt->tcp_flags & SF_TCP_RST))
				sf_resp_rst(r, port, m, pkt, now, tx, &ntx);
			else
				sf_resp_drop(m);
			continue;
		}
		tcp_idx[nt] = (uint8_t)i;
		r->keys[nt] = &pkt->flow;
		sigs[nt] = sf_conn_hash(hk, &pkt->flow);
		nt++;
	}
	if (nt == 0)
		return ntx;

	/* Phase 3: bulk lookup, then the cookies of the flows not found. */
	sf_conn_lookup_bulk_with_hash(r->conf.shard, r->keys, sigs, nt,
				      r->conns);
	for (j = 0; j < nt; j++) {
		const struct sf_pkt *pkt = &pk[tcp_idx[j]];

		act[j] = r->conns[j] != NULL ? SF_ACT_NONE :
			sf_resp_unknown_act(pkt->tcp_flags);
		if (act[j] == SF_ACT_SYN) {
			sf_resp_req_fill(&r->reqs[nreq], pkt, cap, ts_on,
					 ws_on, sack_on);
			slot[j] = (uint8_t)nreq++;
		} else if (act[j] == SF_ACT_ACK) {
			sf_resp_chk_fill(&r->chks[nchk], pkt);
			slot[j] = (uint8_t)nchk++;
		}
	}
	if (nreq > 0)
		sf_cookie_make_burst(&r->conf.keys->cur, r->reqs, nreq,
				     now->unix_s, r->cookies);
	if (nchk > 0)
		sf_cookie_check_burst(r->conf.keys, r->chks, nchk,
				      now->unix_s, r->chk_res);

	/* Phase 4: answer, in arrival order. */
	for (j = 0; j < nt; j++) {
		const struct sf_pkt *pkt = &pk[tcp_idx[j]];
		struct rte_mbuf *m = pkts[tcp_idx[j]];
		struct sf_conn *c = r->conns[j];
		uint8_t a = act[j];

		/*
		 * A flow changed earlier in this burst: look again. Found now,
		 * it is established; gone now (removed this burst), decide
		 * again and compute its cookie on the spot.
		 */
		if (unlikely(r->dirty != 0) &&
		    (r->dirty & sf_resp_sig(&pkt->flow)) != 0) {
			c = sf_conn_lookup_with_hash(r->conf.shard, &pkt->flow,
						     sigs[j]);
			if (c != NULL) {
				a = SF_ACT_NONE;
			} else if (a == SF_ACT_NONE) {
				a = sf_resp_unknown_act(pkt->tcp_flags);
				if (a == SF_ACT_SYN) {
					struct sf_cookie_req *q = &r->reqs[nreq];

					sf_resp_req_fill(q, pkt, cap, ts_on,
							 ws_on, sack_on);
					r->cookies[nreq] = sf_cookie_make(
						&r->conf.keys->cur, q,
						now->unix_s);
					slot[j] = (uint8_t)nreq++;
				} else if (a == SF_ACT_ACK) {
					struct sf_cookie_chk *k = &r->chks[nchk];

					sf_resp_chk_fill(k, pkt);
					r->chk_res[nchk] = sf_cookie_check(
						r->conf.keys, k, now->unix_s);
					slot[j] = (uint8_t)nchk++;
				}
			}
		}
		if (c != NULL) {
			sf_resp_established(r, port, m, pkt, c, now, tx, &ntx);
			continue;
		}
		switch (a) {
		case SF_ACT_SYN:
			n_syn++;
			n_synack += sf_resp_synack(r, port, m, pkt,
						   &r->reqs[slot[j]],
						   r->cookies[slot[j]], now_ms,
						   window, wscale, tx, &ntx);
			break;
		case SF_ACT_ACK:
			if (r->chk_res[slot[j]] < 0) {
				SF_STAT_INC(st, ack_cookie_bad);
				sf_resp_rst(r, port, m, pkt, now, tx, &ntx);
			} else {
				sf_resp_handshake(r, port, m, pkt,
						  &r->chks[slot[j]],
						  r->chk_res[slot[j]], sigs[j],
						  now, tx, &ntx);
			}
			break;
		case SF_ACT_RST:
			SF_STAT_INC(st, rst_ignored);
			sf_resp_drop(m);
			break;
		default:
			SF_STAT_INC(st, unexpected);
			sf_resp_drop(m);
			break;
		}
	}
	SF_STAT_ADD(st, syn_rx, n_syn);
	SF_STAT_ADD(st, synack_tx, n_synack);
	return ntx;
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
	while (done < n) {
		uint16_t k = RTE_MIN((uint16_t)(n - done),
				     (uint16_t)SF_RESPOND_BURST_MAX);

		ntx += sf_resp_chunk(r, port, pkts + done, k, now, tx + ntx);
		done += k;
	}
	return ntx;
}

/* ------------------------------------------------------------------ */
/* Idle expiry                                                         */

struct sf_resp_expire_arg {
	struct sf_responder *r;
	uint64_t tsc;
};

static void
sf_resp_expire_cb(const struct sf_flow *key, const struct sf_conn *conn,
		  void *arg)
{
	struct sf_resp_expire_arg *a = arg;

	sf_resp_event(a->r, SF_EV_TIMEOUT, key, conn, a->tsc);
	SF_STAT_INC(a->r->st, conn_timeout);
}

unsigned int
sf_respond_expire(struct sf_responder *r, const struct sf_clock *now,
		  unsigned int budget)
{
	struct sf_resp_expire_arg a = { .r = r, .tsc = now->tsc };
	unsigned int k;

	if (r->idle_tsc == 0)
		return 0;
	k = sf_conn_expire(r->conf.shard, now->tsc, r->idle_tsc, budget,
			   sf_resp_expire_cb, &a);
	if (k > 0)
		sf_resp_conn_active(r);
	return k;
}
