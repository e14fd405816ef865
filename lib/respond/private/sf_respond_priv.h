/* SPDX-License-Identifier: BSD-3-Clause */

#ifndef SF_RESPOND_PRIV_H
#define SF_RESPOND_PRIV_H

/**
 * @file
 * Private to lib/respond: the responder's state, shared by sf_respond.c
 * (a burst of received frames) and sf_respond_snd.c (the reply channel:
 * commands, the send path, its timers), and the helpers both use.
 */

#include <stdbool.h>
#include <stdint.h>

#include <rte_common.h>
#include <rte_ip.h>
#include <rte_mbuf.h>
#include <rte_tcp.h>

#include "sf_handoff.h"
#include "sf_net.h"
#include "sf_respond.h"

struct sf_resp_snd;

#define SF_RESP_PREFETCH	3	/**< frames parsed ahead of prefetch */
#define SF_RESP_PORT_WORDS	(65536 / 64)	/**< 64-bit words of the port bitmap */
#define SF_RESP_RST_BURST_DIV	10	/**< bucket depth = rate / 10 + 1 */

_Static_assert(SF_RESPOND_BURST_MAX <= 64,
	       "per-burst masks are 64-bit");
_Static_assert(((SF_TCP_CONN_F_WS | SF_TCP_CONN_F_REPLY) &
		(SF_CONN_F_SACK | SF_CONN_F_TS | SF_CONN_F_LOCAL)) == 0,
	       "the TCP module's conn flags collide with sf_conn.h");

/** What a segment of the burst calls for, decided in phase 3. */
enum sf_resp_act {
	SF_ACT_CONN = 0,	/**< in the shard: the TCP module decides */
	SF_ACT_SYN,		/**< cookie computed: reqs/cookies[slot] */
	SF_ACT_ACK,		/**< cookie checked: chks/chk_res[slot] */
	SF_ACT_RST,		/**< RST for an unknown flow: ignored */
	SF_ACT_OTHER,		/**< nothing valid without an entry */
};

/** One TCP segment of the burst, to a listening pair. */
struct sf_resp_seg {
	uint8_t frame;		/**< index in the burst (pkts, r->pkt) */
	uint8_t act;		/**< enum sf_resp_act */
	uint8_t slot;		/**< index in reqs/cookies or chks/chk_res */
};

/** Our listening addresses and ports, and per-port MSS caps. */
struct sf_resp_listen {
	uint64_t port_bits[SF_RESP_PORT_WORDS];	/**< bit p: port p (host order) listens */
	uint32_t vip4[SF_RESPOND_MAX_VIPS];	/**< IPv4 VIPs, network order */
	uint64_t vip6[SF_RESPOND_MAX_VIPS][2];	/**< IPv6 VIPs, as two words */
	unsigned int n_vip4;
	unsigned int n_vip6;
	/** our MSS per port index and family (sf_resp_fam()) */
	uint16_t mss[SF_RESPOND_MAX_PORTS][2];
	/** TX offload requests of a TCP reply per port index and family */
	uint64_t tx_ol[SF_RESPOND_MAX_PORTS][2];
};

/*
 * Per-family constants are indexed by sf_resp_fam(): 0 for IPv4, 1 for
 * IPv6 (any family but SF_AF_INET, as every test of the family here).
 */
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

/**
 * Set @p m's TX offload requests for a TCP reply of @p hdr header bytes
 * (L2 @p l2_len, then the L3 of family index @p fi): @p ol_flags, the
 * port's sf_resp_listen.tx_ol (0: none, lengths left alone). The caller
 * reads @p ol_flags before it builds (the load is not behind the call).
 */
static inline void
sf_resp_tx_ol_set(struct rte_mbuf *m, uint64_t ol_flags, unsigned int fi,
		  uint16_t l2_len, uint16_t hdr)
{
	m->ol_flags = ol_flags;
	if (ol_flags != 0)
		m->tx_offload = rte_mbuf_tx_offload(l2_len, sf_resp_l3_len[fi],
				hdr - l2_len - sf_resp_l3_len[fi], 0, 0, 0, 0);
}

/** Rate limiter of RSTs: a token bucket in TSC ticks. */
struct sf_resp_bucket {
	uint64_t credit;	/**< ticks saved up, <= depth */
	uint64_t cost;		/**< ticks per reply (tsc_hz / rate) */
	uint64_t depth;		/**< burst * cost */
	uint64_t last;		/**< TSC of the last refill */
	bool off;		/**< rate 0: never send */
};

/**
 * Per-lcore limit of challenge ACKs, as Linux since CVE-2016-5696: a
 * budget per second, drawn anew each second at random in
 * [limit / 2, limit * 3 / 2), so that a sender cannot count what other
 * flows spent of it. (The per-flow limit is the TCP module's.)
 */
struct sf_resp_chal_budget {
	uint64_t end;		/**< TSC at which the second ends */
	uint64_t period;	/**< one second in TSC ticks */
	uint32_t left;		/**< challenge ACKs left in this second */
	uint32_t limit;		/**< challenge_ack_rate, 0 = none */
};

struct sf_responder {
	struct sf_respond_conf conf;
	struct sf_resp_snd *snd;	/**< the reply channel, NULL when off */
	const struct sf_respond_policy *pol;	/**< &conf.policy */
	struct sf_stats *st;
	uint64_t idle_tsc;		/**< 0: no idle expiry */
	struct sf_resp_bucket rst;
	struct sf_resp_chal_budget chack;	/**< challenge ACKs (RFC 5961 7) */
	struct sf_resp_listen ls;

	/* The burst in progress. */
	struct rte_mbuf **pkts;		/**< its frames */
	struct rte_mbuf **tx;		/**< its replies */
	const struct sf_clock *now;	/**< its time */
	uint16_t port;			/**< its port index */
	uint16_t ntx;			/**< replies in tx */
	unsigned int nseg;		/**< TCP segments in seg[] */
	unsigned int nreq;		/**< cookies to make */
	unsigned int nchk;		/**< cookies to check */
	uint64_t dirty;			/**< signatures of flows changed */

	/* Per frame, and per TCP segment (the verdicts). */
	struct sf_pkt pkt[SF_RESPOND_BURST_MAX] __rte_cache_aligned;
	struct sf_resp_seg seg[SF_RESPOND_BURST_MAX];
	/* The arrays the bulk lookup and the cookie bursts take. */
	const struct sf_flow *keys[SF_RESPOND_BURST_MAX];
	uint32_t sigs[SF_RESPOND_BURST_MAX];	/**< sf_conn_hash() of keys[] */
	struct sf_conn *conns[SF_RESPOND_BURST_MAX];
	struct sf_cookie_req reqs[SF_RESPOND_BURST_MAX];
	uint32_t cookies[SF_RESPOND_BURST_MAX];
	struct sf_cookie_chk chks[SF_RESPOND_BURST_MAX];
	int chk_res[SF_RESPOND_BURST_MAX];
	/* Closed-flow fingerprints of the valid ACKs (bit k: chks[k]'s). */
	uint64_t closed_fp[SF_RESPOND_BURST_MAX];
	uint64_t closed_fps;
} __rte_cache_aligned;

/**
 * The conn_active gauge (and reply_active: with the reply channel on,
 * every entry has it), after an insert or a removal.
 */
static inline void
sf_resp_conn_active(struct sf_responder *r)
{
	uint64_t n = sf_conn_count(r->conf.shard);

	r->st->cnt[SF_CNT_conn_active] = n;
	if (r->snd != NULL)
		r->st->cnt[SF_CNT_reply_active] = n;
}

/** Fill an event of connection @p c (its handle from @p slot). */
void
sf_resp_event_fill(const struct sf_responder *r, struct sf_event *ev,
		   uint8_t type, const struct sf_flow *flow,
		   const struct sf_conn *c, uint32_t slot);

/** Enqueue an event. @return true when queued. */
bool
sf_resp_enqueue(struct sf_responder *r, const struct sf_event *ev);

/** Remove entry @p c in @p slot (recorded as closed; send state freed). */
void
sf_resp_remove(struct sf_responder *r, struct sf_conn *c, uint32_t slot,
	       const struct sf_flow *flow);

/*
 * The reply channel (sf_respond_snd.c); r->snd is NULL when it is off and
 * none of these is called then.
 */

/** Make r->snd. @return 0, or -1 with rte_errno set. */
int
sf_resp_snd_create(struct sf_responder *r);

/** Free r->snd and what its send states hold. */
void
sf_resp_snd_free(struct sf_responder *r);

/** Record the L2 of a new connection (handshake) in its slot. */
void
sf_resp_snd_l2(struct sf_responder *r, uint32_t slot,
	       const struct sf_pkt *pkt);

/** The send state of @p c, or NULL. */
struct sf_tcp_snd *
sf_resp_snd_of(struct sf_responder *r, const struct sf_conn *c);

/**
 * After sf_tcp_input() on the real entry @p c: free the acknowledged
 * bytes (and note its ACKED event), output more, return the send state
 * to its pool when done.
 */
void
sf_resp_snd_after(struct sf_responder *r, struct sf_conn *c, uint32_t slot,
		  const struct sf_tcp_action *act);

/** End of a burst: the ACKED events noted, one per connection. */
void
sf_resp_snd_flush(struct sf_responder *r);

/** An entry goes: its send state (mbufs, timer) back to the pool. */
void
sf_resp_snd_release(struct sf_responder *r, uint32_t snd_id);

/**
 * The entry in @p slot goes (or is reset): its send state back to the
 * pool (the caller that keeps the entry sets snd_id to 0), its pending
 * ACKED event forgotten. Nothing when the reply channel is off.
 */
void
sf_resp_snd_forget(struct sf_responder *r, const struct sf_conn *c,
		   uint32_t slot);

/**
 * ACKED events that did not fit the ring: queue what fits now (a bounded
 * scan per call). Nothing when none waits.
 */
void
sf_resp_acked_retry(struct sf_responder *r);

#endif /* SF_RESPOND_PRIV_H */
