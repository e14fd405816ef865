/* SPDX-License-Identifier: BSD-3-Clause */

/*
 * Unit tests of the responder: frames built with tests/frame (independently
 * of lib/net, with their own checksum code) go through sf_respond_burst()
 * with a fixed clock; replies are parsed back with sf_parse(), events are
 * dequeued from the ring. After every test every mbuf is back in the pool.
 */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include <arpa/inet.h>

#include <rte_errno.h>
#include <rte_malloc.h>
#include <rte_mbuf.h>
#include <rte_mempool.h>
#include <rte_ring.h>

#include "sf_config.h"
#include "sf_conn.h"
#include "sf_cookie.h"
#include "sf_handoff.h"
#include "sf_net.h"
#include "sf_respond.h"
#include "sf_stats.h"
#include "sf_timer.h"
#include "sf_worker.h"
#include "fr_frame.h"
#include "unit_eal.h"

#define POOL_N		1023
#define TSC_HZ		UINT64_C(1000000000)
#define T0_TSC		(UINT64_C(1000) * TSC_HZ)
#define T0_UNIX		UINT64_C(1700000000)
#define T0_MS		UINT32_C(0x12345678)
#define RING_SIZE	64
#define SHARD_N		1024
#define MAX_TX		SF_RESPOND_BURST_MAX

#define CLI4	"198.18.0.1"
#define VIP4	"198.18.0.2"
#define OTHER4	"198.18.0.99"
#define CLI6	"2001:2::1"
#define VIP6	"2001:2::2"
#define OTHER6	"2001:2::99"
#define CPORT	40000
#define SPORT	80

static const struct rte_ether_addr our_mac = {
	.addr_bytes = { 0x02, 0x00, 0x00, 0x00, 0x00, 0x01 } };
static const struct rte_ether_addr cli_mac = {
	.addr_bytes = { 0x02, 0x00, 0x00, 0x00, 0x00, 0x02 } };
static const char *const key_hex = "000102030405060708090a0b0c0d0e0f";

static struct rte_mempool *pool;

/* ------------------------------------------------------------------ */
/* Fixture                                                             */

struct fx {
	struct sf_config cfg;
	struct sf_respond_conf rc;
	struct sf_stats *st;
	struct sf_conn_shard *shard;
	struct sf_closed *closed;	/* NULL but in fx_setup_closed() */
	struct rte_ring *ring;
	struct sf_responder *r;
	struct sf_clock now;
	struct rte_mbuf *tx[MAX_TX];
	uint16_t ntx;
	struct sf_event ev;		/* last dequeued event (owns its mbuf) */
	struct rte_ring *cmd;		/* reply channel: its command ring */
	struct rte_mbuf *out[MAX_TX];	/* reply channel: segments it sent */
	uint16_t nout;
};

static void
fx_responder(struct fx *f)
{
	sf_responder_free(f->r);
	sf_worker_policy(&f->cfg, &f->rc.policy);
	f->rc.keys = &f->cfg.keys;
	f->r = sf_responder_create(&f->rc);
	assert_non_null(f->r);
}

static int
fx_setup_n(void **state, uint32_t shard_n)
{
	struct fx *f = calloc(1, sizeof(*f));

	assert_non_null(f);
	sf_config_defaults(&f->cfg);
	assert_int_equal(sf_cookie_key_parse(key_hex, &f->cfg.keys.cur), 0);
	f->cfg.key_set = true;
	f->st = rte_zmalloc("st", sizeof(*f->st), RTE_CACHE_LINE_SIZE);
	assert_non_null(f->st);
	f->shard = sf_conn_shard_create("sf_test_shard", shard_n, SOCKET_ID_ANY);
	assert_non_null(f->shard);
	f->ring = sf_handoff_create(0, RING_SIZE, SOCKET_ID_ANY);
	assert_non_null(f->ring);

	f->rc.ports[0].mac = our_mac;
	f->rc.ports[0].mtu = 1500;
	f->rc.ports[0].tx_offload = 0;
	f->rc.n_ports = 1;
	f->rc.shard = f->shard;
	f->rc.ring = f->ring;
	f->rc.pool = pool;
	f->rc.stats = f->st;
	f->rc.lcore = 3;
	f->rc.tsc_hz = TSC_HZ;
	f->rc.socket_id = SOCKET_ID_ANY;
	fx_responder(f);

	f->now.tsc = T0_TSC;
	f->now.unix_s = T0_UNIX;
	f->now.ms = T0_MS;
	*state = f;
	return 0;
}

static int
fx_setup(void **state)
{
	return fx_setup_n(state, SHARD_N);
}

static int
fx_setup_small(void **state)
{
	return fx_setup_n(state, 8);
}

/* With a table of closed flows (1024 records). */
static int
fx_setup_closed(void **state)
{
	struct fx *f;

	fx_setup_n(state, SHARD_N);
	f = *state;
	f->closed = sf_closed_create(1024, SOCKET_ID_ANY);
	assert_non_null(f->closed);
	f->rc.closed = f->closed;
	fx_responder(f);
	return 0;
}

static void
fx_free_tx(struct fx *f)
{
	rte_pktmbuf_free_bulk(f->tx, f->ntx);
	f->ntx = 0;
}

static int
fx_teardown(void **state)
{
	struct fx *f = *state;

	fx_free_tx(f);
	sf_event_release(&f->ev);
	sf_handoff_drain(f->ring);
	sf_responder_free(f->r);
	rte_pktmbuf_free_bulk(f->out, f->nout);
	sf_cmd_free(f->cmd);
	sf_conn_shard_free(f->shard);
	sf_closed_free(f->closed);
	rte_ring_free(f->ring);
	rte_free(f->st);
	free(f);
	return sf_unit_pool_full(pool, POOL_N);
}

#define CNT(f, c)	((f)->st->cnt[SF_CNT_##c])

/* ------------------------------------------------------------------ */
/* Frame building: tests/frame (fr_frame.h), independent of lib/net    */

/** A TCP segment to build (client -> server unless swapped). */
struct seg {
	int v6;
	const char *src, *dst;
	uint16_t sport, dport;
	uint32_t seq, ack;
	uint8_t flags;
	uint16_t win;
	uint16_t mss;		/* 0: none */
	uint8_t ws;		/* 0xff: none */
	uint8_t sack;
	uint8_t ts;
	uint32_t tsval, tsecr;
	const char *data;	/* payload (string), NULL: none */
};

static void
seg_init(struct seg *s, int v6, uint32_t seq, uint32_t ack, uint8_t flags)
{
	memset(s, 0, sizeof(*s));
	s->v6 = v6;
	s->src = v6 ? CLI6 : CLI4;
	s->dst = v6 ? VIP6 : VIP4;
	s->sport = CPORT;
	s->dport = SPORT;
	s->seq = seq;
	s->ack = ack;
	s->flags = flags;
	s->win = 29200;
	s->ws = 0xff;
}

/* Ethernet from the client to us, IPv4 id 0 (else fr_frame's defaults). */
static void
frame_l2l3(struct fr_eth *eth, struct fr_ip *ip, const char *src,
	   const char *dst)
{
	memcpy(eth->dst, &our_mac, sizeof(eth->dst));
	memcpy(eth->src, &cli_mac, sizeof(eth->src));
	assert_int_equal(fr_ip_addrs(ip, src, dst), 0);
	ip->id = 0;
}

/* The segment into b (256 bytes, as every caller's); options each on 4 bytes. */
static size_t
build_tcp(uint8_t *b, const struct seg *s)
{
	struct fr_tcp t;
	size_t n;

	fr_tcp_init(&t, s->v6);
	frame_l2l3(&t.eth, &t.ip, s->src, s->dst);
	t.sport = s->sport;
	t.dport = s->dport;
	t.seq = s->seq;
	t.ack = s->ack;
	t.flags = s->flags;
	t.win = s->win;
	t.order = FR_OPTS_ALIGNED;
	t.mss = s->mss;
	t.ws = s->ws;
	t.sack_ok = s->sack;
	t.ts = s->ts;
	t.tsval = s->tsval;
	t.tsecr = s->tsecr;
	t.payload = (const uint8_t *)s->data;
	t.payload_len = (uint16_t)(s->data != NULL ? strlen(s->data) : 0);
	n = fr_build_tcp(b, 256, &t, NULL);
	assert_int_not_equal(n, 0);
	return n;
}

static struct rte_mbuf *
mbuf_of(const uint8_t *frame, size_t len)
{
	struct rte_mbuf *m = rte_pktmbuf_alloc(pool);
	char *p;

	assert_non_null(m);
	p = rte_pktmbuf_append(m, (uint16_t)len);
	assert_non_null(p);
	memcpy(p, frame, len);
	return m;
}

static struct rte_mbuf *
mbuf_seg(const struct seg *s)
{
	uint8_t b[256];

	return mbuf_of(b, build_tcp(b, s));
}

/* ------------------------------------------------------------------ */
/* Running                                                             */

/** Run a burst; replies land in f->tx (previous ones freed). */
static uint16_t
run(struct fx *f, struct rte_mbuf **pkts, uint16_t n)
{
	fx_free_tx(f);
	f->ntx = sf_respond_burst(f->r, 0, pkts, n, &f->now, f->tx);
	assert_true(f->ntx <= n);
	return f->ntx;
}

static uint16_t
run1(struct fx *f, const struct seg *s)
{
	struct rte_mbuf *m = mbuf_seg(s);

	return run(f, &m, 1);
}

/** Parse reply i (software checksums are verified by the parser). */
static void
reply(struct fx *f, uint16_t i, struct sf_pkt *p)
{
	assert_true(i < f->ntx);
	assert_int_equal(sf_parse(rte_pktmbuf_mtod(f->tx[i], uint8_t *),
				  rte_pktmbuf_data_len(f->tx[i]), 0, p),
			 SF_NET_OK);
	assert_int_equal(f->tx[i]->pkt_len, f->tx[i]->data_len);
}

/** Reply i as a TCP segment from our VIP to the client. */
static void
reply_tcp(struct fx *f, uint16_t i, int v6, struct sf_pkt *p)
{
	uint8_t a[16] = { 0 };

	reply(f, i, p);
	assert_int_equal(p->kind, SF_PKT_TCP);
	assert_int_equal(p->flow.family, v6 ? SF_AF_INET6 : SF_AF_INET);
	assert_int_equal(inet_pton(v6 ? AF_INET6 : AF_INET, v6 ? VIP6 : VIP4, a), 1);
	assert_memory_equal(p->flow.cli_addr, a, 16);
	memset(a, 0, sizeof(a));
	assert_int_equal(inet_pton(v6 ? AF_INET6 : AF_INET, v6 ? CLI6 : CLI4, a), 1);
	assert_memory_equal(p->flow.srv_addr, a, 16);
	assert_int_equal(rte_be_to_cpu_16(p->flow.cli_port), SPORT);
	assert_int_equal(rte_be_to_cpu_16(p->flow.srv_port), CPORT);
	assert_memory_equal(&p->src_mac, &our_mac, 6);
	assert_memory_equal(&p->dst_mac, &cli_mac, 6);
	assert_int_equal(p->payload_len, 0);
}

/** Dequeue one event of the given type into f->ev. */
static struct sf_event *
pop(struct fx *f, uint8_t type)
{
	sf_event_release(&f->ev);
	assert_int_equal(sf_handoff_dequeue_burst(f->ring, &f->ev, 1), 1);
	assert_int_equal(f->ev.type, type);
	assert_int_equal(f->ev.lcore, 3);
	assert_int_equal(f->ev.tsc, f->now.tsc);
	return &f->ev;
}

static void
no_event(struct fx *f)
{
	assert_int_equal(rte_ring_count(f->ring), 0);
}

/** The cookie the responder must have made for a SYN. */
static uint32_t
expect_cookie(struct fx *f, const struct seg *syn)
{
	struct sf_cookie_req q;
	struct sf_pkt p;
	uint8_t b[256];
	size_t len = build_tcp(b, syn);
	uint16_t cap = syn->v6 ? 1440 : 1460;

	assert_int_equal(sf_parse(b, (uint32_t)len, 0, &p), SF_NET_OK);
	q.flow = &p.flow;
	q.client_isn = syn->seq;
	q.mss_idx = sf_cookie_mss_index(p.flow.family, p.opts.mss, cap);
	q.opt = sf_cookie_opt_encode(&p.opts, f->cfg.timestamps,
				     f->cfg.window_scaling, f->cfg.sack);
	return sf_cookie_make(&f->cfg.keys.cur, &q, f->now.unix_s);
}

/** State of an established connection, from the test's side. */
struct peer {
	int v6;
	uint32_t snd_nxt;	/* client's next seq */
	uint32_t rcv_nxt;	/* next seq expected from us */
	uint32_t cookie;
	int ts;
	uint32_t tsval;		/* client's TSval */
	uint32_t ts_recent;	/* our last TSval seen */
	uint16_t sport;		/* client's port */
};

/**
 * Complete a handshake from client port @p sport; ESTABLISHED event
 * checked and consumed.
 */
static void
handshake_from(struct fx *f, struct peer *pe, int v6, int ts, uint16_t sport)
{
	struct seg s;
	struct sf_pkt p;
	struct sf_event *ev;

	memset(pe, 0, sizeof(*pe));
	pe->v6 = v6;
	pe->ts = ts;
	pe->tsval = 1000;
	pe->sport = sport;
	seg_init(&s, v6, 4321, 0, SF_TCP_SYN);
	s.sport = sport;
	s.mss = 1460;
	s.ws = 7;
	s.sack = 1;
	s.ts = (uint8_t)ts;
	s.tsval = pe->tsval;
	assert_int_equal(run1(f, &s), 1);
	reply(f, 0, &p);
	assert_int_equal(rte_be_to_cpu_16(p.flow.srv_port), sport);
	assert_int_equal(p.tcp_flags, SF_TCP_SYN | SF_TCP_ACK);
	pe->cookie = p.seq;
	pe->snd_nxt = 4322;
	pe->rcv_nxt = p.seq + 1;
	pe->ts_recent = p.opts.tsval;

	seg_init(&s, v6, pe->snd_nxt, pe->rcv_nxt, SF_TCP_ACK);
	s.sport = sport;
	s.ts = (uint8_t)ts;
	s.tsval = ++pe->tsval;
	s.tsecr = pe->ts_recent;
	assert_int_equal(run1(f, &s), 0);
	ev = pop(f, SF_EV_ESTABLISHED);
	assert_int_equal(ev->client_isn, 4321);
	assert_int_equal(ev->server_isn, pe->cookie);
}

/** Complete a handshake from the usual client port. */
static void
handshake(struct fx *f, struct peer *pe, int v6, int ts)
{
	handshake_from(f, pe, v6, ts, CPORT);
}

/** A segment of an established connection from the client. */
static void
peer_seg(const struct peer *pe, struct seg *s, uint8_t flags, const char *data)
{
	seg_init(s, pe->v6, pe->snd_nxt, pe->rcv_nxt, flags);
	s->sport = pe->sport;
	s->data = data;
	if (pe->ts) {
		s->ts = 1;
		s->tsval = pe->tsval;
		s->tsecr = pe->ts_recent;
	}
}

/* ------------------------------------------------------------------ */
/* Handshake                                                           */

/* The seed example: SYN ISN 4321, SYN-ACK ack 4322 seq cookie, ACK. */
static void
test_seed_example(void **state)
{
	struct fx *f = *state;
	struct sf_event *ev;
	struct sf_pkt p;
	struct seg s;
	uint32_t cookie;

	seg_init(&s, 0, 4321, 0, SF_TCP_SYN);
	assert_int_equal(run1(f, &s), 1);
	reply_tcp(f, 0, 0, &p);
	assert_int_equal(p.tcp_flags, SF_TCP_SYN | SF_TCP_ACK);
	assert_int_equal(p.ack, 4322);
	cookie = expect_cookie(f, &s);
	assert_int_equal(p.seq, cookie);
	assert_int_equal(p.opts.mss, 1460);
	assert_int_equal(p.window, 65535);
	assert_int_equal(CNT(f, syn_rx), 1);
	assert_int_equal(CNT(f, synack_tx), 1);
	assert_int_equal(sf_conn_count(f->shard), 0);
	no_event(f);

	seg_init(&s, 0, 4322, cookie + 1, SF_TCP_ACK);
	assert_int_equal(run1(f, &s), 0);
	ev = pop(f, SF_EV_ESTABLISHED);
	assert_int_equal(ev->client_isn, 4321);
	assert_int_equal(ev->server_isn, cookie);
	assert_int_equal(ev->mss, 536);
	assert_int_equal(ev->snd_wscale, SF_WSCALE_NONE);
	assert_int_equal(ev->rcv_wscale, SF_WSCALE_NONE);
	assert_int_equal(ev->flags, 0);
	assert_null(ev->mbuf);
	assert_int_equal(ev->flow.family, SF_AF_INET);
	assert_int_equal(rte_be_to_cpu_16(ev->flow.cli_port), CPORT);
	assert_int_equal(rte_be_to_cpu_16(ev->flow.srv_port), SPORT);
	assert_int_equal(sf_conn_count(f->shard), 1);
	assert_int_equal(CNT(f, ack_cookie_ok), 1);
	assert_int_equal(CNT(f, established), 1);
	assert_int_equal(CNT(f, handoff_enq), 1);
	assert_int_equal(CNT(f, conn_active), 1);
	assert_int_equal(CNT(f, rx_pkts), 2);
}

/* SYN options -> SYN-ACK options -> negotiated values after the ACK. */
struct opt_case {
	const char *name;
	int v6;
	uint16_t mss;
	uint8_t ws, sack, ts;
	/* SYN-ACK */
	uint16_t sa_mss;
	uint8_t sa_ws, sa_sack, sa_ts;
	/* event */
	uint16_t ev_mss;
	uint8_t ev_snd_ws, ev_rcv_ws, ev_flags;
};

static const struct opt_case opt_cases[] = {
	{ "none v4", 0, 0, 0xff, 0, 0,
	  1460, 0xff, 0, 0, 536, 0xff, 0xff, 0 },
	{ "mss only v4", 0, 1460, 0xff, 0, 0,
	  1460, 0xff, 0, 0, 1460, 0xff, 0xff, 0 },
	{ "all v4", 0, 1460, 8, 1, 1,
	  1460, 7, 1, 1, 1460, 8, 7, SF_EV_F_SACK | SF_EV_F_TS },
	{ "ts without ws v4", 0, 1400, 0xff, 0, 1,
	  1460, 0xff, 0, 1, 1400, 0xff, 0xff, SF_EV_F_TS },
	{ "ts sack without ws v4", 0, 1300, 0xff, 1, 1,
	  1460, 0xff, 1, 1, 1300, 0xff, 0xff, SF_EV_F_TS | SF_EV_F_SACK },
	{ "sack without ts v4", 0, 1460, 5, 1, 0,
	  1460, 0xff, 0, 0, 1460, 0xff, 0xff, 0 },
	{ "small mss v4", 0, 1000, 0xff, 0, 0,
	  1460, 0xff, 0, 0, 536, 0xff, 0xff, 0 },
	{ "jumbo mss capped v4", 0, 9000, 0xff, 0, 0,
	  1460, 0xff, 0, 0, 1460, 0xff, 0xff, 0 },
	{ "none v6", 1, 0, 0xff, 0, 0,
	  1440, 0xff, 0, 0, 1200, 0xff, 0xff, 0 },
	{ "mss only v6", 1, 1440, 0xff, 0, 0,
	  1440, 0xff, 0, 0, 1440, 0xff, 0xff, 0 },
	{ "all v6", 1, 1440, 0, 1, 1,
	  1440, 7, 1, 1, 1440, 0, 7, SF_EV_F_SACK | SF_EV_F_TS },
	{ "ts without ws v6", 1, 1440, 0xff, 0, 1,
	  1440, 0xff, 0, 1, 1440, 0xff, 0xff, SF_EV_F_TS },
	{ "sack without ts v6", 1, 1440, 3, 1, 0,
	  1440, 0xff, 0, 0, 1440, 0xff, 0xff, 0 },
};

static void
test_syn_options(void **state)
{
	struct fx *f = *state;
	unsigned int i;

	for (i = 0; i < RTE_DIM(opt_cases); i++) {
		const struct opt_case *c = &opt_cases[i];
		struct sf_event *ev;
		struct sf_pkt p;
		struct seg s;
		uint32_t opt;

		print_message("case %s\n", c->name);
		seg_init(&s, c->v6, 1000000 * (i + 1), 0, SF_TCP_SYN);
		s.sport = (uint16_t)(CPORT + i);
		s.mss = c->mss;
		s.ws = c->ws;
		s.sack = c->sack;
		s.ts = c->ts;
		s.tsval = 777 + i;
		assert_int_equal(run1(f, &s), 1);
		reply(f, 0, &p);
		assert_int_equal(p.tcp_flags, SF_TCP_SYN | SF_TCP_ACK);
		assert_int_equal(p.seq, expect_cookie(f, &s));
		assert_int_equal(p.ack, s.seq + 1);
		assert_int_equal(p.opts.mss, c->sa_mss);
		assert_int_equal(p.opts.wscale, c->sa_ws);
		assert_int_equal(p.opts.sack_ok, c->sa_sack);
		assert_int_equal(p.opts.ts_ok, c->sa_ts);
		if (c->sa_ts) {
			opt = (c->ws == 0xff ? 15 : c->ws) | (c->sack ? 0x10 : 0);
			assert_int_equal(p.opts.tsval, (T0_MS & ~0x3fu) | opt);
			assert_int_equal(p.opts.tsecr, 777 + i);
		}

		seg_init(&s, c->v6, s.seq + 1, p.seq + 1, SF_TCP_ACK);
		s.sport = (uint16_t)(CPORT + i);
		s.ts = c->ts;
		s.tsval = 800 + i;
		s.tsecr = p.opts.tsval;
		assert_int_equal(run1(f, &s), 0);
		ev = pop(f, SF_EV_ESTABLISHED);
		assert_int_equal(ev->mss, c->ev_mss);
		assert_int_equal(ev->snd_wscale, c->ev_snd_ws);
		assert_int_equal(ev->rcv_wscale, c->ev_rcv_ws);
		assert_int_equal(ev->flags, c->ev_flags);
		assert_int_equal(ev->flow.family, c->v6 ? SF_AF_INET6 : SF_AF_INET);
	}
	assert_int_equal(sf_conn_count(f->shard), RTE_DIM(opt_cases));
	assert_int_equal(CNT(f, established), RTE_DIM(opt_cases));
}

/* Our options off in the configuration: the SYN-ACK carries MSS only. */
static void
test_syn_options_off(void **state)
{
	struct fx *f = *state;
	struct sf_pkt p;
	struct seg s;

	f->cfg.timestamps = false;
	fx_responder(f);
	seg_init(&s, 0, 5, 0, SF_TCP_SYN);
	s.mss = 1460; s.ws = 7; s.sack = 1; s.ts = 1; s.tsval = 9;
	assert_int_equal(run1(f, &s), 1);
	reply_tcp(f, 0, 0, &p);
	assert_int_equal(p.opts.mss, 1460);
	assert_int_equal(p.opts.ts_ok, 0);
	assert_int_equal(p.opts.sack_ok, 0);
	assert_int_equal(p.opts.wscale, SF_WSCALE_NONE);

	/* Timestamps on, window scaling and SACK off. */
	f->cfg.timestamps = true;
	f->cfg.window_scaling = false;
	f->cfg.sack = false;
	fx_responder(f);
	assert_int_equal(run1(f, &s), 1);
	reply_tcp(f, 0, 0, &p);
	assert_int_equal(p.opts.ts_ok, 1);
	assert_int_equal(p.opts.sack_ok, 0);
	assert_int_equal(p.opts.wscale, SF_WSCALE_NONE);
	assert_int_equal(p.opts.tsval & 0x3f, 0x0f);

	/* The encoded TSval is never ahead of our millisecond clock. */
	f->now.ms = 0x12345605;
	assert_int_equal(run1(f, &s), 1);
	reply_tcp(f, 0, 0, &p);
	assert_int_equal(p.opts.tsval, 0x12345600 - 64 + 0x0f);
	f->now.ms = 0x1234560f;
	assert_int_equal(run1(f, &s), 1);
	reply_tcp(f, 0, 0, &p);
	assert_int_equal(p.opts.tsval, 0x1234560f);
	f->now.ms = 3;
	assert_int_equal(run1(f, &s), 1);
	reply_tcp(f, 0, 0, &p);
	assert_int_equal(p.opts.tsval, 0xffffffc0u + 0x0f);
	f->now.ms = T0_MS;

	/* A small MTU caps our MSS. */
	f->rc.ports[0].mtu = 1280;
	fx_responder(f);
	assert_int_equal(run1(f, &s), 1);
	reply_tcp(f, 0, 0, &p);
	assert_int_equal(p.opts.mss, 1240);
}

/* Checksum offload: flags and lengths requested on the reply mbuf. */
static void
test_tx_offload(void **state)
{
	struct fx *f = *state;
	struct seg s;

	f->rc.ports[0].tx_offload = SF_TX_IP_CSUM | SF_TX_TCP_CSUM;
	fx_responder(f);
	seg_init(&s, 0, 5, 0, SF_TCP_SYN);
	assert_int_equal(run1(f, &s), 1);
	assert_int_equal(f->tx[0]->ol_flags,
			 RTE_MBUF_F_TX_IPV4 | RTE_MBUF_F_TX_IP_CKSUM |
			 RTE_MBUF_F_TX_TCP_CKSUM);
	assert_int_equal(f->tx[0]->l2_len, 14);
	assert_int_equal(f->tx[0]->l3_len, 20);

	seg_init(&s, 1, 5, 0, SF_TCP_SYN);
	assert_int_equal(run1(f, &s), 1);
	assert_int_equal(f->tx[0]->ol_flags,
			 RTE_MBUF_F_TX_IPV6 | RTE_MBUF_F_TX_TCP_CKSUM);
	assert_int_equal(f->tx[0]->l3_len, 40);

	f->rc.ports[0].tx_offload = 0;
	fx_responder(f);
	assert_int_equal(run1(f, &s), 1);
	assert_int_equal(f->tx[0]->ol_flags, 0);
}

/* ------------------------------------------------------------------ */
/* RSTs                                                                */

static void
test_bad_cookie_rst(void **state)
{
	struct fx *f = *state;
	struct sf_pkt p;
	struct seg s;
	uint32_t cookie;

	seg_init(&s, 0, 4321, 0, SF_TCP_SYN);
	cookie = expect_cookie(f, &s);

	seg_init(&s, 0, 4322, cookie + 2, SF_TCP_ACK);
	assert_int_equal(run1(f, &s), 1);
	reply_tcp(f, 0, 0, &p);
	assert_int_equal(p.tcp_flags, SF_TCP_RST);
	assert_int_equal(p.seq, cookie + 2);
	assert_int_equal(CNT(f, ack_cookie_bad), 1);
	assert_int_equal(CNT(f, rst_tx), 1);
	assert_int_equal(sf_conn_count(f->shard), 0);
	no_event(f);

	/* Expired: the right cookie, 3 periods later. */
	f->now.unix_s += 3 * 64;
	seg_init(&s, 1, 4322, 0xdeadbeef, SF_TCP_ACK);
	s.data = "hello";
	assert_int_equal(run1(f, &s), 1);
	reply_tcp(f, 0, 1, &p);
	assert_int_equal(p.tcp_flags, SF_TCP_RST);
	assert_int_equal(p.seq, 0xdeadbeef);
	assert_int_equal(CNT(f, ack_cookie_bad), 2);

	seg_init(&s, 0, 4322, cookie + 1, SF_TCP_ACK);
	assert_int_equal(run1(f, &s), 1);
	assert_int_equal(CNT(f, ack_cookie_bad), 3);
	no_event(f);
}

static void
test_rst_rate_limit(void **state)
{
	struct fx *f = *state;
	struct rte_mbuf *m[10];
	struct seg s;
	unsigned int i;

	f->cfg.rst_rate = 20;	/* bucket depth 20 / 10 + 1 = 3 */
	fx_responder(f);
	for (i = 0; i < RTE_DIM(m); i++) {
		seg_init(&s, 0, 100 + i, 12345 + i, SF_TCP_ACK);
		m[i] = mbuf_seg(&s);
	}
	assert_int_equal(run(f, m, RTE_DIM(m)), 3);
	assert_int_equal(CNT(f, rst_tx), 3);
	assert_int_equal(CNT(f, rst_ratelimited), 7);
	assert_int_equal(CNT(f, ack_cookie_bad), 10);

	/* One RST's worth of time later: one more. */
	f->now.tsc += TSC_HZ / 20;
	for (i = 0; i < 2; i++) {
		seg_init(&s, 0, 100 + i, 12345 + i, SF_TCP_ACK);
		m[i] = mbuf_seg(&s);
	}
	assert_int_equal(run(f, m, 2), 1);
	assert_int_equal(CNT(f, rst_ratelimited), 8);

	/* A long pause refills to the depth only. */
	f->now.tsc += 100 * TSC_HZ;
	for (i = 0; i < RTE_DIM(m); i++) {
		seg_init(&s, 0, 100 + i, 12345 + i, SF_TCP_ACK);
		m[i] = mbuf_seg(&s);
	}
	assert_int_equal(run(f, m, RTE_DIM(m)), 3);

	/* rst_rate 0: never. */
	f->cfg.rst_rate = 0;
	fx_responder(f);
	seg_init(&s, 0, 100, 12345, SF_TCP_ACK);
	assert_int_equal(run1(f, &s), 0);
	assert_int_equal(CNT(f, rst_ratelimited), 16);
}

/*
 * Challenge ACKs (RFC 5961 section 7): at most challenge_ack_per_flow a
 * second per flow (the TCP module's gap), then a per-lcore budget drawn
 * each second in [rate / 2, rate * 3 / 2) (Linux since CVE-2016-5696).
 */
#define CHAL_FLOWS	40

static void
test_challenge_rate_limit(void **state)
{
	struct fx *f = *state;
	struct peer pe[CHAL_FLOWS];
	struct seg s;
	uint64_t budget;
	unsigned int i, sent = 0;

	f->cfg.challenge_ack_rate = 20;	/* a budget in [10, 30) a second */
	f->cfg.rst_rate = 0;		/* independent of the RST bucket */
	fx_responder(f);
	for (i = 0; i < CHAL_FLOWS; i++)
		handshake_from(f, &pe[i], 0, 1, (uint16_t)(CPORT + 1 + i));
	/* One SYN on each flow, all within one second: the budget decides. */
	for (i = 0; i < CHAL_FLOWS; i++) {
		peer_seg(&pe[i], &s, SF_TCP_SYN, NULL);
		s.seq = 999;
		sent += run1(f, &s);
	}
	budget = CNT(f, challenge_ack_tx);
	print_message("challenge_ack_rate 20: %" PRIu64 " sent this second\n",
		      budget);
	assert_int_equal(sent, budget);
	assert_true(budget >= 10 && budget < 30);
	assert_int_equal(budget + CNT(f, challenge_ratelimited), CHAL_FLOWS);
	assert_int_equal(CNT(f, challenge_flow_limited), 0);

	/*
	 * A second later, a new budget. Five SYNs on one flow at once: one
	 * challenge, four withheld by the flow's limit (not spending the
	 * budget); half a second later, one more.
	 */
	f->now.tsc += TSC_HZ;
	for (i = 0, sent = 0; i < 5; i++) {
		peer_seg(&pe[0], &s, SF_TCP_SYN, NULL);
		sent += run1(f, &s);
	}
	assert_int_equal(sent, 1);
	assert_int_equal(CNT(f, challenge_flow_limited), 4);
	/* The limit's resolution is 2^SF_CONN_CHAL_SHIFT ticks: never late,
	 * at most two units early. */
	f->now.tsc += TSC_HZ / 2 - (UINT64_C(2) << SF_CONN_CHAL_SHIFT);
	assert_int_equal(run1(f, &s), 0);
	f->now.tsc += UINT64_C(2) << SF_CONN_CHAL_SHIFT;
	assert_int_equal(run1(f, &s), 1);
	assert_int_equal(CNT(f, challenge_ack_tx), budget + 2);
	assert_int_equal(CNT(f, challenge_flow_limited), 5);

	/* challenge_ack_rate 0: never; the connections stay. */
	f->cfg.challenge_ack_rate = 0;
	fx_responder(f);
	f->now.tsc += TSC_HZ;
	peer_seg(&pe[1], &s, SF_TCP_SYN, NULL);
	assert_int_equal(run1(f, &s), 0);
	assert_int_equal(CNT(f, challenge_ratelimited),
			 CHAL_FLOWS - budget + 1);
	assert_int_equal(sf_conn_count(f->shard), CHAL_FLOWS);
	no_event(f);
}

/*
 * The side channel of CVE-2016-5696, measured: the challenge ACKs an
 * attacker gets on its own flow, with and without a flood of in-window
 * RSTs on a victim flow (which, with one shared counter, spends what the
 * attacker would get). With the per-flow limit the victim's flood costs
 * the lcore two challenges a second, and the attacker sees the same.
 */
static unsigned int
chal_attacker_sees(struct fx *f, int flood, uint16_t port)
{
	struct peer att, vic;
	struct seg s;
	unsigned int sec, i, seen = 0;

	f->cfg.challenge_ack_rate = 4;	/* a budget in [2, 6) a second */
	fx_responder(f);
	handshake_from(f, &att, 0, 1, port);
	handshake_from(f, &vic, 0, 1, (uint16_t)(port + 1));
	for (sec = 0; sec < 4; sec++) {
		f->now.tsc += TSC_HZ;
		for (i = 0; flood && i < 100; i++) {
			peer_seg(&vic, &s, SF_TCP_RST, NULL);
			s.seq = vic.snd_nxt + 1 + i;	/* in the window */
			run1(f, &s);
		}
		peer_seg(&att, &s, SF_TCP_SYN, NULL);
		seen += run1(f, &s);
	}
	return seen;
}

static void
test_challenge_side_channel(void **state)
{
	struct fx *f = *state;
	unsigned int quiet, flooded;

	quiet = chal_attacker_sees(f, 0, CPORT + 100);
	flooded = chal_attacker_sees(f, 1, CPORT + 200);
	print_message("attacker's challenge ACKs in 4 s: %u alone, %u with "
		      "400 in-window RSTs on a victim flow\n", quiet, flooded);
	assert_int_equal(quiet, 4);
	assert_int_equal(flooded, quiet);
	/* The victim flow got one a second; the rest were withheld. */
	assert_int_equal(CNT(f, challenge_ack_tx), 4 + 4 + 4);
	assert_int_equal(CNT(f, challenge_flow_limited), 4 * 99);
	assert_int_equal(CNT(f, challenge_ratelimited), 0);
}

static void
test_closed_port(void **state)
{
	struct fx *f = *state;
	struct sf_pkt p;
	struct seg s;

	/* SYN: <SEQ=0><ACK=SEG.SEQ+1><CTL=RST,ACK>. */
	seg_init(&s, 0, 7000, 0, SF_TCP_SYN);
	s.dport = 81;
	assert_int_equal(run1(f, &s), 1);
	reply(f, 0, &p);
	assert_int_equal(p.tcp_flags, SF_TCP_RST | SF_TCP_ACK);
	assert_int_equal(p.seq, 0);
	assert_int_equal(p.ack, 7001);
	assert_int_equal(rte_be_to_cpu_16(p.flow.cli_port), 81);

	/* Data + FIN without ACK: ack = seq + len + 1. */
	seg_init(&s, 1, 7000, 0, SF_TCP_FIN | SF_TCP_PSH);
	s.dport = 81;
	s.data = "abcd";
	assert_int_equal(run1(f, &s), 1);
	reply(f, 0, &p);
	assert_int_equal(p.tcp_flags, SF_TCP_RST | SF_TCP_ACK);
	assert_int_equal(p.ack, 7005);

	/* ACK: <SEQ=SEG.ACK><CTL=RST>. */
	seg_init(&s, 0, 7000, 99, SF_TCP_ACK);
	s.dport = 81;
	assert_int_equal(run1(f, &s), 1);
	reply(f, 0, &p);
	assert_int_equal(p.tcp_flags, SF_TCP_RST);
	assert_int_equal(p.seq, 99);

	/* RST: never answered. */
	seg_init(&s, 0, 7000, 99, SF_TCP_RST | SF_TCP_ACK);
	s.dport = 81;
	assert_int_equal(run1(f, &s), 0);
	assert_int_equal(CNT(f, not_listening), 4);
	assert_int_equal(CNT(f, rst_tx), 3);

	/* Drop policy. */
	f->cfg.closed_port_rst = false;
	fx_responder(f);
	seg_init(&s, 0, 7000, 0, SF_TCP_SYN);
	s.dport = 81;
	assert_int_equal(run1(f, &s), 0);
	assert_int_equal(CNT(f, not_listening), 5);
	assert_int_equal(CNT(f, rst_tx), 3);

	/* Not a VIP at all. */
	seg_init(&s, 0, 7000, 0, SF_TCP_SYN);
	s.dst = OTHER4;
	assert_int_equal(run1(f, &s), 0);
	assert_int_equal(CNT(f, not_vip), 1);
	assert_int_equal(CNT(f, syn_rx), 0);
}

/* Segments without an entry that are neither SYN nor ACK. */
static void
test_unknown_flow(void **state)
{
	struct fx *f = *state;
	struct seg s;

	seg_init(&s, 0, 1, 2, SF_TCP_RST | SF_TCP_ACK);
	assert_int_equal(run1(f, &s), 0);
	assert_int_equal(CNT(f, rst_ignored), 1);
	seg_init(&s, 0, 1, 2, SF_TCP_SYN | SF_TCP_ACK);
	assert_int_equal(run1(f, &s), 0);
	seg_init(&s, 0, 1, 2, 0);
	assert_int_equal(run1(f, &s), 0);
	seg_init(&s, 0, 1, 2, SF_TCP_SYN | SF_TCP_FIN);
	assert_int_equal(run1(f, &s), 0);
	assert_int_equal(CNT(f, unexpected), 3);
	assert_int_equal(CNT(f, syn_rx), 0);
	no_event(f);
}

/* ------------------------------------------------------------------ */
/* Established connections                                             */

/* A keepalive probe (SEG.SEQ = RCV.NXT - 1, no data) gets an ACK. */
static void
test_keepalive(void **state)
{
	struct fx *f = *state;
	struct peer pe;
	struct sf_pkt p;
	struct seg s;

	handshake(f, &pe, 0, 1);
	seg_init(&s, 0, pe.snd_nxt - 1, pe.rcv_nxt, SF_TCP_ACK);
	s.ts = 1;
	s.tsval = pe.tsval;	/* not older than TS.Recent: PAWS passes */
	s.tsecr = T0_MS;
	assert_int_equal(run1(f, &s), 1);
	reply_tcp(f, 0, 0, &p);
	assert_int_equal(p.tcp_flags, SF_TCP_ACK);
	assert_int_equal(p.seq, pe.rcv_nxt);
	assert_int_equal(p.ack, pe.snd_nxt);
	assert_int_equal(CNT(f, keepalive_rx), 1);

	/* An in-window pure ACK still gets nothing. */
	seg_init(&s, 0, pe.snd_nxt, pe.rcv_nxt, SF_TCP_ACK);
	assert_int_equal(run1(f, &s), 0);
	assert_int_equal(CNT(f, keepalive_rx), 1);
	assert_int_equal(sf_conn_count(f->shard), 1);
	no_event(f);
}

static void
test_syn_on_established(void **state)
{
	struct fx *f = *state;
	struct peer pe;
	struct sf_pkt p;
	struct seg s;

	handshake(f, &pe, 0, 1);
	seg_init(&s, 0, 999, 0, SF_TCP_SYN);
	s.ts = 1;
	s.tsval = pe.tsval + 5;	/* not older than TS.Recent: PAWS passes */
	assert_int_equal(run1(f, &s), 1);
	reply_tcp(f, 0, 0, &p);
	assert_int_equal(p.tcp_flags, SF_TCP_ACK);
	assert_int_equal(p.seq, pe.rcv_nxt);
	assert_int_equal(p.ack, pe.snd_nxt);
	assert_int_equal(p.opts.ts_ok, 1);
	assert_int_equal(p.opts.tsval, T0_MS);
	assert_int_equal(p.opts.tsecr, pe.tsval);	/* the ACK's, not the SYN's */
	assert_int_equal(CNT(f, challenge_ack_tx), 1);
	assert_int_equal(CNT(f, syn_rx), 1);		/* the handshake's only */
	assert_int_equal(sf_conn_count(f->shard), 1);
	no_event(f);
}

static void
test_rst_established(void **state)
{
	struct fx *f = *state;
	struct sf_event *ev;
	struct peer pe;
	struct sf_pkt p;
	struct seg s;

	handshake(f, &pe, 1, 0);

	/* Out of window: dropped. */
	peer_seg(&pe, &s, SF_TCP_RST, NULL);
	s.seq = pe.snd_nxt + 70000;
	assert_int_equal(run1(f, &s), 0);
	assert_int_equal(CNT(f, out_of_window), 1);
	s.seq = pe.snd_nxt - 1;
	assert_int_equal(run1(f, &s), 0);
	assert_int_equal(CNT(f, out_of_window), 2);

	/* In window, not exact: challenge ACK. */
	s.seq = pe.snd_nxt + 100;
	assert_int_equal(run1(f, &s), 1);
	reply_tcp(f, 0, 1, &p);
	assert_int_equal(p.tcp_flags, SF_TCP_ACK);
	assert_int_equal(p.seq, pe.rcv_nxt);
	assert_int_equal(p.ack, pe.snd_nxt);
	assert_int_equal(CNT(f, challenge_ack_tx), 1);
	assert_int_equal(sf_conn_count(f->shard), 1);
	no_event(f);

	/* Exact: RST event, entry removed. */
	s.seq = pe.snd_nxt;
	assert_int_equal(run1(f, &s), 0);
	ev = pop(f, SF_EV_RST);
	assert_int_equal(ev->client_isn, 4321);
	assert_int_equal(ev->server_isn, pe.cookie);
	assert_int_equal(CNT(f, rst_rx), 1);
	assert_int_equal(CNT(f, conn_active), 0);
	assert_int_equal(sf_conn_count(f->shard), 0);

	/* Now unknown: ignored. */
	assert_int_equal(run1(f, &s), 0);
	assert_int_equal(CNT(f, rst_ignored), 1);
}

/* Window scaling widens the RST window (65535 << 7). */
static void
test_rst_window_scaled(void **state)
{
	struct fx *f = *state;
	struct peer pe;
	struct seg s;

	handshake(f, &pe, 0, 1);
	peer_seg(&pe, &s, SF_TCP_RST, NULL);
	s.seq = pe.snd_nxt + 1000000;
	assert_int_equal(run1(f, &s), 1);
	assert_int_equal(CNT(f, challenge_ack_tx), 1);
	s.seq = pe.snd_nxt + (65535u << 7);
	assert_int_equal(run1(f, &s), 0);
	assert_int_equal(CNT(f, out_of_window), 1);
}

static void
test_data(void **state)
{
	struct fx *f = *state;
	struct sf_event *ev;
	struct peer pe;
	struct sf_pkt p;
	struct seg s;
	const char *msg = "GET / HTTP/1.0\r\n\r\n";
	uint16_t mlen = (uint16_t)strlen(msg);

	handshake(f, &pe, 0, 1);
	pe.tsval = 2000;
	peer_seg(&pe, &s, SF_TCP_ACK | SF_TCP_PSH, msg);
	assert_int_equal(run1(f, &s), 1);
	ev = pop(f, SF_EV_DATA);
	assert_non_null(ev->mbuf);
	assert_int_equal(ev->seq, pe.snd_nxt);
	assert_int_equal(ev->data_len, mlen);
	assert_int_equal(ev->data_off, 14 + 20 + 32);
	assert_memory_equal(rte_pktmbuf_mtod_offset(ev->mbuf, char *, ev->data_off),
			    msg, mlen);
	assert_int_equal(ev->client_isn, 4321);
	assert_int_equal(ev->flags, SF_EV_F_TS | SF_EV_F_SACK);
	assert_int_equal(ev->snd_wscale, 7);

	reply_tcp(f, 0, 0, &p);
	assert_true(f->tx[0] != ev->mbuf);
	assert_int_equal(p.tcp_flags, SF_TCP_ACK);
	assert_int_equal(p.seq, pe.rcv_nxt);
	assert_int_equal(p.ack, pe.snd_nxt + mlen);
	assert_int_equal(p.opts.ts_ok, 1);
	assert_int_equal(p.opts.tsecr, 2000);
	assert_int_equal(p.opts.tsval, T0_MS);
	assert_int_equal(p.window, 65535);
	assert_int_equal(CNT(f, data_rx), 1);
	pe.snd_nxt += mlen;

	/* Pure ACK: counted, no reply, no event. */
	peer_seg(&pe, &s, SF_TCP_ACK, NULL);
	assert_int_equal(run1(f, &s), 0);
	assert_int_equal(CNT(f, ack_rx), 1);
	no_event(f);

	/* Second segment, IPv6-free path again with a VLAN-less frame. */
	peer_seg(&pe, &s, SF_TCP_ACK, "more");
	assert_int_equal(run1(f, &s), 1);
	ev = pop(f, SF_EV_DATA);
	assert_int_equal(ev->seq, pe.snd_nxt);
	reply_tcp(f, 0, 0, &p);
	assert_int_equal(p.ack, pe.snd_nxt + 4);
	assert_int_equal(CNT(f, data_rx), 2);
	assert_int_equal(CNT(f, handoff_enq), 3 + 0);
}

/*
 * RST at RCV.NXT with the ring full: the entry stays (RESET) until its RST
 * event is queued; a later segment retries it, is dropped and counted.
 */
static void
test_rst_ring_full(void **state)
{
	struct fx *f = *state;
	struct sf_event dummy;
	struct sf_event *ev;
	struct peer pe;
	struct seg s;

	handshake(f, &pe, 0, 1);
	memset(&dummy, 0, sizeof(dummy));
	dummy.type = SF_EV_TIMEOUT;
	while (sf_handoff_enqueue(f->ring, &dummy) == 0)
		;
	peer_seg(&pe, &s, SF_TCP_RST, NULL);
	assert_int_equal(run1(f, &s), 0);
	assert_int_equal(CNT(f, rst_rx), 1);
	assert_int_equal(CNT(f, handoff_full), 1);
	assert_int_equal(sf_conn_count(f->shard), 1);

	/* Still full: a later segment is dropped, the event lost again. */
	peer_seg(&pe, &s, SF_TCP_ACK, "data");
	assert_int_equal(run1(f, &s), 0);
	assert_int_equal(CNT(f, after_rst), 1);
	assert_int_equal(CNT(f, handoff_full), 2);
	assert_int_equal(CNT(f, data_rx), 0);
	assert_int_equal(sf_conn_count(f->shard), 1);

	/* Room again: the next segment queues the RST event, entry gone. */
	sf_handoff_drain(f->ring);
	peer_seg(&pe, &s, SF_TCP_ACK, NULL);
	assert_int_equal(run1(f, &s), 0);
	assert_int_equal(CNT(f, after_rst), 2);
	ev = pop(f, SF_EV_RST);
	assert_int_equal(ev->client_isn, 4321);
	assert_int_equal(ev->server_isn, pe.cookie);
	assert_int_equal(sf_conn_count(f->shard), 0);
	assert_int_equal(CNT(f, conn_active), 0);
	no_event(f);
}

static void
test_data_ring_full(void **state)
{
	struct fx *f = *state;
	struct sf_event dummy;
	struct peer pe;
	struct sf_pkt p;
	struct seg s;
	unsigned int filled = 0;

	handshake(f, &pe, 0, 0);
	memset(&dummy, 0, sizeof(dummy));
	dummy.type = SF_EV_TIMEOUT;
	while (sf_handoff_enqueue(f->ring, &dummy) == 0)
		filled++;
	assert_true(filled > 0);

	peer_seg(&pe, &s, SF_TCP_ACK, "lost?");
	assert_int_equal(run1(f, &s), 0);
	assert_int_equal(CNT(f, handoff_full), 1);
	assert_int_equal(CNT(f, data_rx), 0);

	/* FIN with the ring full: not acknowledged either. */
	peer_seg(&pe, &s, SF_TCP_ACK | SF_TCP_FIN, NULL);
	assert_int_equal(run1(f, &s), 0);
	assert_int_equal(CNT(f, handoff_full), 2);
	assert_int_equal(CNT(f, fin_rx), 0);

	/* Room again: the retransmission is acknowledged. */
	sf_handoff_drain(f->ring);
	peer_seg(&pe, &s, SF_TCP_ACK, "lost?");
	assert_int_equal(run1(f, &s), 1);
	reply_tcp(f, 0, 0, &p);
	assert_int_equal(p.ack, pe.snd_nxt + 5);
	pop(f, SF_EV_DATA);
}

static void
test_dup_and_future_data(void **state)
{
	struct fx *f = *state;
	struct sf_event *ev;
	struct peer pe;
	struct sf_pkt p;
	struct seg s;

	handshake(f, &pe, 1, 0);
	peer_seg(&pe, &s, SF_TCP_ACK, "0123456789");
	assert_int_equal(run1(f, &s), 1);
	pop(f, SF_EV_DATA);

	/* Same segment again: re-ACKed in place, no event. */
	assert_int_equal(run1(f, &s), 1);
	reply_tcp(f, 0, 1, &p);
	assert_int_equal(p.ack, pe.snd_nxt + 10);
	assert_int_equal(CNT(f, dup_data), 1);
	no_event(f);

	/* Overlap: 5 old bytes, 5 new. */
	s.seq = pe.snd_nxt + 5;
	s.data = "56789abcde";
	assert_int_equal(run1(f, &s), 1);
	ev = pop(f, SF_EV_DATA);
	assert_int_equal(ev->seq, pe.snd_nxt + 10);
	assert_int_equal(ev->data_len, 5);
	assert_memory_equal(rte_pktmbuf_mtod_offset(ev->mbuf, char *,
						    ev->data_off), "abcde", 5);
	reply_tcp(f, 0, 1, &p);
	assert_int_equal(p.ack, pe.snd_nxt + 15);

	/* Future: duplicate ACK, nothing queued. */
	s.seq = pe.snd_nxt + 100;
	s.data = "zz";
	assert_int_equal(run1(f, &s), 1);
	reply_tcp(f, 0, 1, &p);
	assert_int_equal(p.tcp_flags, SF_TCP_ACK);
	assert_int_equal(p.ack, pe.snd_nxt + 15);
	assert_int_equal(CNT(f, out_of_window), 1);
	assert_int_equal(CNT(f, data_rx), 2);
	no_event(f);

	/* Unacceptable SEG.ACK (data we never sent, or before our ISN). */
	peer_seg(&pe, &s, SF_TCP_ACK, "inject");
	s.seq = pe.snd_nxt + 15;
	s.ack = pe.rcv_nxt + 1000;
	assert_int_equal(run1(f, &s), 1);
	reply_tcp(f, 0, 1, &p);
	assert_int_equal(p.tcp_flags, SF_TCP_ACK);
	assert_int_equal(p.seq, pe.rcv_nxt);
	assert_int_equal(p.ack, pe.snd_nxt + 15);
	/* Within the flow's gap (challenge_ack_per_flow 2: 500 ms): withheld. */
	s.ack = pe.rcv_nxt - 1;
	assert_int_equal(run1(f, &s), 0);
	assert_int_equal(CNT(f, challenge_flow_limited), 1);
	f->now.tsc += TSC_HZ / 2;
	assert_int_equal(run1(f, &s), 1);
	assert_int_equal(CNT(f, challenge_ack_tx), 2);
	assert_int_equal(CNT(f, out_of_window), 4);
	assert_int_equal(CNT(f, data_rx), 2);
	no_event(f);

	/* No ACK bit on an established flow: dropped. */
	peer_seg(&pe, &s, SF_TCP_PSH, "x");
	assert_int_equal(run1(f, &s), 0);
	assert_int_equal(CNT(f, unexpected), 1);
}

static void
test_fin(void **state)
{
	struct fx *f = *state;
	struct sf_event *ev;
	struct peer pe;
	struct sf_pkt p;
	struct seg s;

	handshake(f, &pe, 0, 1);
	peer_seg(&pe, &s, SF_TCP_ACK | SF_TCP_FIN, NULL);
	assert_int_equal(run1(f, &s), 1);
	ev = pop(f, SF_EV_FIN);
	assert_int_equal(ev->server_isn, pe.cookie);
	reply_tcp(f, 0, 0, &p);
	assert_int_equal(p.tcp_flags, SF_TCP_FIN | SF_TCP_ACK);
	assert_int_equal(p.seq, pe.rcv_nxt);
	assert_int_equal(p.ack, pe.snd_nxt + 1);
	assert_int_equal(CNT(f, fin_rx), 1);

	/* Retransmitted FIN: the same FIN|ACK again, no event. */
	assert_int_equal(run1(f, &s), 1);
	reply_tcp(f, 0, 0, &p);
	assert_int_equal(p.tcp_flags, SF_TCP_FIN | SF_TCP_ACK);
	assert_int_equal(p.seq, pe.rcv_nxt);
	assert_int_equal(p.ack, pe.snd_nxt + 1);
	no_event(f);

	/* An ACK not covering our FIN: nothing happens. */
	pe.snd_nxt += 1;
	peer_seg(&pe, &s, SF_TCP_ACK, NULL);
	assert_int_equal(run1(f, &s), 0);
	assert_int_equal(sf_conn_count(f->shard), 1);

	/* The last ACK removes the entry. */
	pe.rcv_nxt += 1;
	peer_seg(&pe, &s, SF_TCP_ACK, NULL);
	assert_int_equal(run1(f, &s), 0);
	assert_int_equal(CNT(f, closed), 1);
	assert_int_equal(CNT(f, conn_active), 0);
	assert_int_equal(sf_conn_count(f->shard), 0);
	no_event(f);
}

static void
test_data_fin(void **state)
{
	struct fx *f = *state;
	struct sf_event *ev;
	struct peer pe;
	struct sf_pkt p;
	struct seg s;

	handshake(f, &pe, 1, 1);
	peer_seg(&pe, &s, SF_TCP_ACK | SF_TCP_FIN | SF_TCP_PSH, "bye");
	assert_int_equal(run1(f, &s), 1);
	ev = pop(f, SF_EV_DATA);
	assert_int_equal(ev->data_len, 3);
	pop(f, SF_EV_FIN);
	reply_tcp(f, 0, 1, &p);
	assert_int_equal(p.tcp_flags, SF_TCP_FIN | SF_TCP_ACK);
	assert_int_equal(p.ack, pe.snd_nxt + 4);
	assert_int_equal(p.seq, pe.rcv_nxt);
	assert_int_equal(CNT(f, data_rx), 1);
	assert_int_equal(CNT(f, fin_rx), 1);

	pe.snd_nxt += 4;
	pe.rcv_nxt += 1;
	peer_seg(&pe, &s, SF_TCP_ACK, NULL);
	assert_int_equal(run1(f, &s), 0);
	assert_int_equal(sf_conn_count(f->shard), 0);
	assert_int_equal(CNT(f, closed), 1);
}

/* Handshake ACK carrying data and FIN: three events, one FIN|ACK. */
static void
test_ack_with_data(void **state)
{
	struct fx *f = *state;
	struct sf_pkt p;
	struct seg s;
	uint32_t cookie;

	seg_init(&s, 0, 4321, 0, SF_TCP_SYN);
	assert_int_equal(run1(f, &s), 1);
	reply(f, 0, &p);
	cookie = p.seq;
	seg_init(&s, 0, 4322, cookie + 1, SF_TCP_ACK | SF_TCP_FIN);
	s.data = "hi";
	assert_int_equal(run1(f, &s), 1);
	pop(f, SF_EV_ESTABLISHED);
	assert_int_equal(pop(f, SF_EV_DATA)->data_len, 2);
	pop(f, SF_EV_FIN);
	reply_tcp(f, 0, 0, &p);
	assert_int_equal(p.tcp_flags, SF_TCP_FIN | SF_TCP_ACK);
	assert_int_equal(p.seq, cookie + 1);
	assert_int_equal(p.ack, 4322 + 2 + 1);
}

/* Several segments of one flow in one burst: state changes are seen. */
static void
test_same_burst(void **state)
{
	struct fx *f = *state;
	struct rte_mbuf *m[4];
	struct sf_pkt p;
	struct seg s;
	uint32_t cookie;

	seg_init(&s, 0, 4321, 0, SF_TCP_SYN);
	assert_int_equal(run1(f, &s), 1);
	reply(f, 0, &p);
	cookie = p.seq;

	/* ACK, data, data, RST (exact) in one burst. */
	seg_init(&s, 0, 4322, cookie + 1, SF_TCP_ACK);
	m[0] = mbuf_seg(&s);
	s.data = "abc";
	m[1] = mbuf_seg(&s);
	s.seq = 4325;
	s.data = "def";
	m[2] = mbuf_seg(&s);
	seg_init(&s, 0, 4328, 0, SF_TCP_RST);
	m[3] = mbuf_seg(&s);
	assert_int_equal(run(f, m, 4), 2);
	pop(f, SF_EV_ESTABLISHED);
	assert_int_equal(pop(f, SF_EV_DATA)->seq, 4322);
	assert_int_equal(pop(f, SF_EV_DATA)->seq, 4325);
	pop(f, SF_EV_RST);
	no_event(f);
	reply(f, 0, &p);
	assert_int_equal(p.ack, 4325);
	reply(f, 1, &p);
	assert_int_equal(p.ack, 4328);
	assert_int_equal(sf_conn_count(f->shard), 0);
	assert_int_equal(CNT(f, established), 1);
	assert_int_equal(CNT(f, ack_cookie_ok), 1);

	/*
	 * Found by the bulk lookup, removed earlier in the burst: the later
	 * segments are decided again (single cookie check / make).
	 */
	seg_init(&s, 0, 4322, cookie + 1, SF_TCP_ACK);
	assert_int_equal(run1(f, &s), 0);
	pop(f, SF_EV_ESTABLISHED);
	seg_init(&s, 0, 4322, 0, SF_TCP_RST);
	m[0] = mbuf_seg(&s);
	seg_init(&s, 0, 4322, cookie + 1, SF_TCP_ACK);
	m[1] = mbuf_seg(&s);
	seg_init(&s, 0, 4322, 0, SF_TCP_RST);
	m[2] = mbuf_seg(&s);
	seg_init(&s, 0, 1, 0, SF_TCP_SYN);
	m[3] = mbuf_seg(&s);
	assert_int_equal(run(f, m, 4), 1);	/* the SYN-ACK only */
	pop(f, SF_EV_RST);
	pop(f, SF_EV_ESTABLISHED);
	pop(f, SF_EV_RST);
	no_event(f);
	reply(f, 0, &p);
	assert_int_equal(p.tcp_flags, SF_TCP_SYN | SF_TCP_ACK);
	assert_int_equal(p.ack, 2);
	assert_int_equal(sf_conn_count(f->shard), 0);
	assert_int_equal(CNT(f, established), 3);
	assert_int_equal(CNT(f, rst_rx), 3);
}

static void
test_handshake_ring_full(void **state)
{
	struct fx *f = *state;
	struct sf_event dummy;
	struct sf_pkt p;
	struct seg s;
	uint32_t cookie;

	seg_init(&s, 0, 4321, 0, SF_TCP_SYN);
	assert_int_equal(run1(f, &s), 1);
	reply(f, 0, &p);
	cookie = p.seq;

	memset(&dummy, 0, sizeof(dummy));
	while (sf_handoff_enqueue(f->ring, &dummy) == 0)
		;
	seg_init(&s, 0, 4322, cookie + 1, SF_TCP_ACK);
	s.data = "x";
	assert_int_equal(run1(f, &s), 0);
	assert_int_equal(CNT(f, handoff_full), 1);
	assert_int_equal(CNT(f, established), 0);
	assert_int_equal(sf_conn_count(f->shard), 0);

	sf_handoff_drain(f->ring);
	assert_int_equal(run1(f, &s), 1);
	pop(f, SF_EV_ESTABLISHED);
	pop(f, SF_EV_DATA);
	assert_int_equal(CNT(f, established), 1);
	assert_int_equal(sf_conn_count(f->shard), 1);
}

static void
test_conn_full(void **state)
{
	struct fx *f = *state;
	struct sf_pkt p;
	struct seg s;
	unsigned int i, cap = sf_conn_capacity(f->shard);

	for (i = 0; i < 4 * cap + 8 && CNT(f, conn_full) == 0; i++) {
		seg_init(&s, 0, 4321, 0, SF_TCP_SYN);
		s.sport = (uint16_t)(1000 + i);
		assert_int_equal(run1(f, &s), 1);
		reply(f, 0, &p);
		seg_init(&s, 0, 4322, p.seq + 1, SF_TCP_ACK);
		s.sport = (uint16_t)(1000 + i);
		assert_int_equal(run1(f, &s), 0);
		sf_handoff_drain(f->ring);
	}
	assert_int_equal(CNT(f, conn_full), 1);
	assert_true(CNT(f, established) >= cap);
	assert_int_equal(CNT(f, established) + 1, i);
	assert_int_equal(CNT(f, conn_active), sf_conn_count(f->shard));
	assert_int_equal(CNT(f, handoff_enq), CNT(f, established));
}

static void
test_alloc_fail(void **state)
{
	struct fx *f = *state;
	struct rte_mempool *tiny;
	struct rte_mbuf *hold;
	struct peer pe;
	struct seg s;

	tiny = sf_unit_pool("sf_test_tiny", 1);
	assert_non_null(tiny);
	hold = rte_pktmbuf_alloc(tiny);
	assert_non_null(hold);
	f->rc.pool = tiny;
	fx_responder(f);

	handshake(f, &pe, 0, 0);
	peer_seg(&pe, &s, SF_TCP_ACK, "data");
	assert_int_equal(run1(f, &s), 0);
	assert_int_equal(CNT(f, alloc_fail), 1);
	no_event(f);

	rte_pktmbuf_free(hold);
	assert_int_equal(run1(f, &s), 1);
	pop(f, SF_EV_DATA);
	fx_free_tx(f);
	sf_responder_free(f->r);
	f->r = NULL;
	assert_int_equal(rte_mempool_avail_count(tiny), 1);
	rte_mempool_free(tiny);
}

static void
test_expiry(void **state)
{
	struct fx *f = *state;
	struct sf_event *ev;
	struct peer pe;

	handshake(f, &pe, 0, 1);
	assert_int_equal(sf_respond_expire(f->r, &f->now, 1024), 0);
	f->now.tsc += (uint64_t)(f->cfg.idle_timeout_s - 1) * TSC_HZ;
	assert_int_equal(sf_respond_expire(f->r, &f->now, 1024), 0);
	no_event(f);
	f->now.tsc += 2 * TSC_HZ;
	assert_int_equal(sf_respond_expire(f->r, &f->now, 4096), 1);
	ev = pop(f, SF_EV_TIMEOUT);
	assert_int_equal(ev->client_isn, 4321);
	assert_int_equal(ev->server_isn, pe.cookie);
	assert_int_equal(ev->flags, SF_EV_F_TS | SF_EV_F_SACK);
	assert_int_equal(CNT(f, conn_timeout), 1);
	assert_int_equal(CNT(f, conn_active), 0);
}

/** Fill the ring with dummy events; @return how many fitted. */
static unsigned int
fill_ring(struct fx *f)
{
	struct sf_event dummy;
	unsigned int filled = 0;

	memset(&dummy, 0, sizeof(dummy));
	dummy.type = SF_EV_DATA;
	while (sf_handoff_enqueue(f->ring, &dummy) == 0)
		filled++;
	return filled;
}

/* A TIMEOUT event that does not fit keeps the entry; the next sweep sends it. */
static void
test_expiry_ring_full(void **state)
{
	struct fx *f = *state;
	struct sf_event *ev;
	struct peer pe;

	handshake(f, &pe, 1, 0);
	assert_true(fill_ring(f) > 0);
	f->now.tsc += (uint64_t)(f->cfg.idle_timeout_s + 1) * TSC_HZ;
	assert_int_equal(sf_respond_expire(f->r, &f->now, 4096), 0);
	assert_int_equal(CNT(f, handoff_full), 1);
	assert_int_equal(CNT(f, conn_timeout), 0);
	assert_int_equal(sf_conn_count(f->shard), 1);

	sf_handoff_drain(f->ring);
	assert_int_equal(sf_respond_expire(f->r, &f->now, 4096), 1);
	ev = pop(f, SF_EV_TIMEOUT);
	assert_int_equal(ev->client_isn, 4321);
	assert_int_equal(ev->flow.family, SF_AF_INET6);
	assert_int_equal(CNT(f, conn_timeout), 1);
	assert_int_equal(CNT(f, handoff_full), 1);
	assert_int_equal(CNT(f, conn_active), 0);
	no_event(f);
}

/*
 * An entry left in SF_CONN_RESET (its RST event did not fit) is retried by
 * the sweep whatever its age, even with idle expiry off, until queued.
 */
static void
test_reset_retry(void **state)
{
	struct fx *f = *state;
	struct sf_flow flow;
	struct sf_event *ev;
	struct sf_conn *c;
	struct peer pe;

	f->cfg.idle_timeout_s = 0;
	fx_responder(f);
	handshake(f, &pe, 0, 1);
	flow = f->ev.flow;
	c = sf_conn_lookup(f->shard, &flow,
			   sf_conn_hash(sf_conn_shard_hash_key(f->shard), &flow));
	assert_non_null(c);
	c->state = SF_CONN_RESET;
	c->last_tsc = f->now.tsc;	/* fresh: not idle */

	assert_true(fill_ring(f) > 0);
	assert_int_equal(sf_respond_expire(f->r, &f->now, 4096), 0);
	assert_int_equal(sf_respond_expire(f->r, &f->now, 4096), 0);
	assert_int_equal(CNT(f, handoff_full), 2);
	assert_int_equal(sf_conn_count(f->shard), 1);

	sf_handoff_drain(f->ring);
	assert_int_equal(sf_respond_expire(f->r, &f->now, 4096), 1);
	ev = pop(f, SF_EV_RST);
	assert_int_equal(ev->client_isn, 4321);
	assert_int_equal(ev->server_isn, pe.cookie);
	assert_memory_equal(&ev->flow, &flow, sizeof(flow));
	assert_int_equal(CNT(f, conn_timeout), 0);
	assert_int_equal(CNT(f, conn_active), 0);
	assert_int_equal(sf_conn_count(f->shard), 0);
	assert_int_equal(sf_respond_expire(f->r, &f->now, 4096), 0);
	no_event(f);
}

/*
 * Replays after close: the handshake's third segment again (with data),
 * after a FIN close, an RST and an idle expiry, in both families. It gets
 * the TIME-WAIT ACK <SEQ=SND.NXT><ACK=RCV.NXT> of the old connection with
 * its TSval echoed, never an event; a new ISN on the flow still connects.
 */
enum close_kind { CLOSE_FIN, CLOSE_RST, CLOSE_IDLE };

static const struct replay_case {
	enum close_kind how;
	int v6;
	uint32_t snd_plus;	/* SND.NXT - cookie after the close */
	uint32_t rcv;		/* RCV.NXT after the close */
} replay_cases[] = {
	{ CLOSE_FIN, 0, 2, 4323 },
	{ CLOSE_FIN, 1, 2, 4323 },
	{ CLOSE_RST, 0, 1, 4322 },
	{ CLOSE_RST, 1, 1, 4322 },
	{ CLOSE_IDLE, 0, 1, 4322 },
	{ CLOSE_IDLE, 1, 1, 4322 },
};

/* Close pe's connection as @p how says; its event consumed. */
static void
close_as(struct fx *f, struct peer *pe, enum close_kind how)
{
	struct seg s;

	switch (how) {
	case CLOSE_FIN:
		peer_seg(pe, &s, SF_TCP_ACK | SF_TCP_FIN, NULL);
		assert_int_equal(run1(f, &s), 1);
		pop(f, SF_EV_FIN);
		pe->snd_nxt += 1;
		pe->rcv_nxt += 1;
		peer_seg(pe, &s, SF_TCP_ACK, NULL);
		assert_int_equal(run1(f, &s), 0);
		break;
	case CLOSE_RST:
		peer_seg(pe, &s, SF_TCP_RST, NULL);
		assert_int_equal(run1(f, &s), 0);
		pop(f, SF_EV_RST);
		break;
	case CLOSE_IDLE:
		f->now.tsc += (uint64_t)(f->cfg.idle_timeout_s + 1) * TSC_HZ;
		assert_int_equal(sf_respond_expire(f->r, &f->now, 4096), 1);
		pop(f, SF_EV_TIMEOUT);
		break;
	}
	assert_int_equal(sf_conn_count(f->shard), 0);
}

/* A fresh table of closed flows (and a responder using it). */
static void
fresh_closed(struct fx *f)
{
	sf_closed_free(f->closed);
	f->closed = sf_closed_create(1024, SOCKET_ID_ANY);
	assert_non_null(f->closed);
	f->rc.closed = f->closed;
	fx_responder(f);
}

static void
test_replay_after_close(void **state)
{
	struct fx *f = *state;
	unsigned int k;

	for (k = 0; k < RTE_DIM(replay_cases); k++) {
		const struct replay_case *rc = &replay_cases[k];
		struct peer pe;
		struct sf_pkt p;
		struct seg s;

		fresh_closed(f);
		handshake(f, &pe, rc->v6, 1);
		close_as(f, &pe, rc->how);
		assert_int_equal(CNT(f, closed_active), 1);

		seg_init(&s, rc->v6, 4322, pe.cookie + 1, SF_TCP_ACK);
		s.data = "replayed";
		s.ts = 1;
		s.tsval = 7777;
		s.tsecr = pe.ts_recent;
		assert_int_equal(run1(f, &s), 1);
		reply_tcp(f, 0, rc->v6, &p);
		assert_int_equal(p.tcp_flags, SF_TCP_ACK);
		assert_int_equal(p.seq, pe.cookie + rc->snd_plus);
		assert_int_equal(p.ack, rc->rcv);
		assert_true(p.opts.ts_ok);
		assert_int_equal(p.opts.tsecr, 7777);
		no_event(f);
		assert_int_equal(CNT(f, replay_rx), k + 1);
		assert_int_equal(sf_conn_count(f->shard), 0);

		/* A new ISN on the same flow: a new connection. */
		seg_init(&s, rc->v6, 9999, 0, SF_TCP_SYN);
		assert_int_equal(run1(f, &s), 1);
		reply_tcp(f, 0, rc->v6, &p);
		seg_init(&s, rc->v6, 10000, p.seq + 1, SF_TCP_ACK);
		assert_int_equal(run1(f, &s), 0);
		assert_int_equal(pop(f, SF_EV_ESTABLISHED)->client_isn, 9999);
		seg_init(&s, rc->v6, 10000, p.seq + 1, SF_TCP_RST);
		assert_int_equal(run1(f, &s), 0);
		pop(f, SF_EV_RST);
		assert_int_equal(CNT(f, closed_active), 2);
		assert_int_equal(CNT(f, established), 2 * (k + 1));
	}
	assert_int_equal(CNT(f, closed_full), 0);
}

/*
 * Closed and replayed in one burst: the replay is looked up after the
 * close added its record (the table was empty when the burst began).
 */
static void
test_replay_same_burst(void **state)
{
	struct fx *f = *state;
	struct rte_mbuf *m[2];
	struct peer pe;
	struct sf_pkt p;
	struct seg s;

	fresh_closed(f);
	handshake(f, &pe, 0, 0);
	peer_seg(&pe, &s, SF_TCP_RST, NULL);
	m[0] = mbuf_seg(&s);
	seg_init(&s, 0, 4322, pe.cookie + 1, SF_TCP_ACK);
	m[1] = mbuf_seg(&s);
	assert_int_equal(run(f, m, 2), 1);
	reply_tcp(f, 0, 0, &p);
	assert_int_equal(p.tcp_flags, SF_TCP_ACK);
	assert_int_equal(p.seq, pe.cookie + 1);
	pop(f, SF_EV_RST);
	no_event(f);
	assert_int_equal(CNT(f, replay_rx), 1);
	assert_int_equal(CNT(f, established), 1);
	assert_int_equal(sf_conn_count(f->shard), 0);
}

/* Without a table (closed_rate 0) a replay makes a second connection. */
static void
test_replay_no_table(void **state)
{
	struct fx *f = *state;
	struct peer pe;

	handshake(f, &pe, 0, 1);
	close_as(f, &pe, CLOSE_RST);
	handshake(f, &pe, 0, 1);	/* ESTABLISHED again: the old defect */
	assert_int_equal(CNT(f, replay_rx), 0);
	assert_int_equal(CNT(f, established), 2);
}

/* ------------------------------------------------------------------ */
/* ARP, ND, ICMP                                                       */

/* ARP request into b (128 bytes), padded to the 60-byte minimum frame. */
static size_t
build_arp(uint8_t *b, const char *sender, const char *target)
{
	struct fr_arp a;
	size_t n;

	fr_arp_init(&a);
	memcpy(a.eth.src, &cli_mac, sizeof(a.eth.src));
	memcpy(a.sha, &cli_mac, sizeof(a.sha));
	assert_int_equal(inet_pton(AF_INET, sender, a.spa), 1);
	assert_int_equal(inet_pton(AF_INET, target, a.tpa), 1);
	a.eth.pad_to = 60;
	n = fr_build_arp(b, 128, &a, NULL);
	assert_int_not_equal(n, 0);
	return n;
}

/* Echo request with data "pingpong" into b (128 bytes). */
static size_t
build_echo(uint8_t *b, int v6, const char *dst)
{
	struct fr_echo e;
	size_t n;

	fr_echo_init(&e, v6);
	frame_l2l3(&e.eth, &e.ip, v6 ? CLI6 : CLI4, dst);
	e.data = (const uint8_t *)"pingpong";
	e.data_len = 8;
	n = fr_build_echo(b, 128, &e, NULL);
	assert_int_not_equal(n, 0);
	return n;
}

/* Solicitation for target to ff02::1:ff00:2, SLL the client MAC, into b (128 bytes). */
static size_t
build_ns(uint8_t *b, const char *target)
{
	struct fr_ns ns;
	size_t n;

	fr_ns_init(&ns);
	frame_l2l3(&ns.eth, &ns.ip, CLI6, "ff02::1:ff00:2");
	assert_int_equal(inet_pton(AF_INET6, target, ns.target), 1);
	ns.sll = 1;
	memcpy(ns.sll_mac, &cli_mac, sizeof(ns.sll_mac));
	n = fr_build_ns(b, 128, &ns, NULL);
	assert_int_not_equal(n, 0);
	return n;
}

static void
test_arp_nd_icmp(void **state)
{
	struct fx *f = *state;
	struct rte_mbuf *m[8];
	struct sf_pkt p;
	uint8_t b[128];
	uint8_t a[16] = { 0 };
	unsigned int i;

	m[0] = mbuf_of(b, build_arp(b, CLI4, VIP4));
	m[1] = mbuf_of(b, build_arp(b, CLI4, OTHER4));
	m[2] = mbuf_of(b, build_echo(b, 0, VIP4));
	m[3] = mbuf_of(b, build_echo(b, 0, OTHER4));
	m[4] = mbuf_of(b, build_echo(b, 1, VIP6));
	m[5] = mbuf_of(b, build_echo(b, 1, OTHER6));
	m[6] = mbuf_of(b, build_ns(b, VIP6));
	m[7] = mbuf_of(b, build_ns(b, OTHER6));
	assert_int_equal(run(f, m, 8), 4);
	assert_int_equal(CNT(f, not_vip), 4);
	assert_int_equal(CNT(f, arp_reply), 1);
	assert_int_equal(CNT(f, icmp_reply), 2);
	assert_int_equal(CNT(f, nd_reply), 1);

	/* ARP reply: the parser rejects replies as not handled. */
	assert_int_equal(sf_parse(rte_pktmbuf_mtod(f->tx[0], uint8_t *),
				  rte_pktmbuf_data_len(f->tx[0]), 0, &p),
			 SF_NET_NOT_HANDLED);
	{
		const uint8_t *arp = rte_pktmbuf_mtod(f->tx[0], uint8_t *) + 14;

		assert_int_equal(arp[7], 2);			/* op reply */
		assert_memory_equal(arp + 8, &our_mac, 6);	/* sha */
		assert_int_equal(inet_pton(AF_INET, VIP4, a), 1);
		assert_memory_equal(arp + 14, a, 4);		/* spa */
		assert_memory_equal(arp + 18, &cli_mac, 6);	/* tha */
		assert_memory_equal(rte_pktmbuf_mtod(f->tx[0], uint8_t *),
				    &cli_mac, 6);
	}
	/* Echo replies: type 0 / 129, from the VIP, checksums valid. */
	for (i = 1; i <= 2; i++) {
		const uint8_t *fr = rte_pktmbuf_mtod(f->tx[i], uint8_t *);
		int v6 = i == 2;
		size_t l3 = v6 ? 40 : 20;
		uint32_t ph = 0;

		assert_int_equal(fr[14 + l3], v6 ? 129 : 0);
		assert_memory_equal(fr, &cli_mac, 6);
		assert_memory_equal(fr + 6, &our_mac, 6);
		memset(a, 0, sizeof(a));
		assert_int_equal(inet_pton(v6 ? AF_INET6 : AF_INET,
					   v6 ? VIP6 : VIP4, a), 1);
		assert_memory_equal(fr + 14 + (v6 ? 8 : 12), a, v6 ? 16 : 4);
		assert_memory_equal(fr + 14 + l3 + 8, "pingpong", 8);
		if (v6)
			ph = fr_sum16(fr + 14 + 8, 32, 0) + 58 + 16;
		else
			assert_int_equal((uint16_t)~fr_fold(fr_sum16(fr + 14, 20, 0)), 0);
		assert_int_equal((uint16_t)~fr_fold(fr_sum16(fr + 14 + l3, 16, ph)), 0);
	}
	/* Neighbour advertisement: type 136, target = VIP, TLL = our MAC. */
	{
		const uint8_t *fr = rte_pktmbuf_mtod(f->tx[3], uint8_t *);
		const uint8_t *ih = fr + 54;

		assert_int_equal(fr[14 + 7], 255);
		assert_int_equal(ih[0], 136);
		assert_true(ih[4] & 0x40);	/* solicited */
		memset(a, 0, sizeof(a));
		assert_int_equal(inet_pton(AF_INET6, VIP6, a), 1);
		assert_memory_equal(ih + 8, a, 16);
		assert_memory_equal(fr + 14 + 8, a, 16);	/* from the VIP */
		assert_memory_equal(fr, &cli_mac, 6);
	}
}

/*
 * Frames not addressed to our MAC are dropped and counted, before any
 * other decision: a SYN or an ACK to another MAC (a flooding switch) or to
 * broadcast, an echo request to broadcast. ARP requests to broadcast and
 * solicitations to the target's solicited-node group are answered.
 */
static void
test_not_our_mac(void **state)
{
	static const uint8_t other[6] = { 0x02, 0, 0, 0, 0, 0x77 };
	static const uint8_t bcast[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
	static const uint8_t snm2[6] = { 0x33, 0x33, 0xff, 0, 0, 0x02 };
	struct fx *f = *state;
	struct rte_mbuf *m[7];
	struct sf_pkt p;
	uint8_t b[256];
	struct seg s;
	size_t len;

	seg_init(&s, 0, 7000, 0, SF_TCP_SYN);
	len = build_tcp(b, &s);
	memcpy(b, other, 6);
	m[0] = mbuf_of(b, len);
	memcpy(b, bcast, 6);
	m[1] = mbuf_of(b, len);
	seg_init(&s, 0, 7000, 12345, SF_TCP_ACK);	/* bad cookie: RST */
	len = build_tcp(b, &s);
	memcpy(b, other, 6);
	m[2] = mbuf_of(b, len);
	len = build_echo(b, 0, VIP4);
	memcpy(b, bcast, 6);
	m[3] = mbuf_of(b, len);
	m[4] = mbuf_of(b, build_arp(b, CLI4, VIP4));	/* to broadcast */
	len = build_ns(b, VIP6);
	memcpy(b, snm2, 6);
	m[5] = mbuf_of(b, len);
	seg_init(&s, 0, 7000, 0, SF_TCP_SYN);
	m[6] = mbuf_of(b, build_tcp(b, &s));		/* to us */

	assert_int_equal(run(f, m, 7), 3);
	assert_int_equal(CNT(f, not_our_mac), 4);
	assert_int_equal(CNT(f, syn_rx), 1);
	assert_int_equal(CNT(f, synack_tx), 1);
	assert_int_equal(CNT(f, rst_tx), 0);
	assert_int_equal(CNT(f, ack_cookie_bad), 0);
	assert_int_equal(CNT(f, icmp_reply), 0);
	assert_int_equal(CNT(f, arp_reply), 1);
	assert_int_equal(CNT(f, nd_reply), 1);
	reply(f, 2, &p);
	assert_int_equal(p.tcp_flags, SF_TCP_SYN | SF_TCP_ACK);
	no_event(f);
}

/* ------------------------------------------------------------------ */
/* Malformed                                                           */

struct bad_case {
	const char *name;
	int v6;
	unsigned int off;	/* byte to corrupt, 0 = none */
	uint8_t xor;
	int cut;		/* bytes removed from the end */
	uint64_t ol_flags;
	enum sf_net_reason reason;
	int malformed;		/* 1: counted in malformed, 0: not_handled */
};

static const struct bad_case bad_cases[] = {
	{ "truncated ethernet", 0, 0, 0, 54 - 10, 0, SF_NET_TRUNC_ETH, 1 },
	{ "truncated ip", 0, 0, 0, 54 - 20, 0, SF_NET_TRUNC_IP, 1 },
	{ "bad ip checksum", 0, 14 + 10, 0x55, 0, 0, SF_NET_BAD_IP_CSUM, 1 },
	{ "bad tcp checksum", 0, 14 + 20 + 16, 0x55, 0, 0, SF_NET_BAD_L4_CSUM, 1 },
	{ "bad tcp checksum v6", 1, 14 + 40 + 16, 0x55, 0, 0, SF_NET_BAD_L4_CSUM, 1 },
	{ "ip version", 0, 14, 0x20, 0, 0, SF_NET_BAD_IP_VERSION, 1 },
	{ "non-ip ethertype", 0, 12, 0x11, 0, 0, SF_NET_NOT_HANDLED, 0 },
	{ "hw: bad ip checksum", 0, 0, 0, 0, RTE_MBUF_F_RX_IP_CKSUM_BAD,
	  SF_NET_BAD_IP_CSUM, 1 },
	{ "hw: bad l4 checksum", 0, 0, 0, 0, RTE_MBUF_F_RX_L4_CKSUM_BAD,
	  SF_NET_BAD_L4_CSUM, 1 },
	{ "udp", 0, 14 + 9, 6 ^ 17, 0, RTE_MBUF_F_RX_IP_CKSUM_GOOD,
	  SF_NET_NOT_HANDLED, 0 },
	{ "ipv6 hop-by-hop (MLD-like)", 1, 14 + 6, 6 ^ 0, 0, 0,
	  SF_NET_IP6_EXTHDR, 0 },
};

static void
test_malformed(void **state)
{
	struct fx *f = *state;
	uint64_t malformed = 0, not_handled = 0;
	unsigned int i;

	for (i = 0; i < RTE_DIM(bad_cases); i++) {
		const struct bad_case *c = &bad_cases[i];
		uint64_t before = f->st->reason[c->reason];
		struct rte_mbuf *m;
		uint8_t b[256];
		struct seg s;
		size_t len;

		print_message("case %s\n", c->name);
		seg_init(&s, c->v6, 1, 0, SF_TCP_SYN);
		len = build_tcp(b, &s);
		if (c->off)
			b[c->off] ^= c->xor;
		len -= (size_t)c->cut;
		m = mbuf_of(b, len);
		m->ol_flags = c->ol_flags;
		assert_int_equal(run(f, &m, 1), 0);
		assert_int_equal(f->st->reason[c->reason], before + 1);
		malformed += (uint64_t)c->malformed;
		not_handled += (uint64_t)!c->malformed;
		assert_int_equal(CNT(f, malformed), malformed);
		assert_int_equal(CNT(f, not_handled), not_handled);
	}
	assert_int_equal(CNT(f, syn_rx), 0);
	no_event(f);
}

/*
 * Checksums the port verified are trusted, GOOD or NONE (the data verified,
 * the field not filled in: virtio/vhost): a wrong field passes, and the
 * reply (TCP built afresh, echo checksum recomputed) verifies. UNKNOWN is
 * checked in software.
 */
struct rx_csum_case {
	const char *name;
	int echo;		/* 1: echo request, 0: SYN */
	unsigned int off;	/* checksum byte to corrupt */
	uint64_t ol_flags;
	int answered;
};

static const struct rx_csum_case rx_csum_cases[] = {
	{ "tcp, l4 good", 0, 14 + 20 + 16, RTE_MBUF_F_RX_IP_CKSUM_GOOD |
	  RTE_MBUF_F_RX_L4_CKSUM_GOOD, 1 },
	{ "tcp, l4 none", 0, 14 + 20 + 16, RTE_MBUF_F_RX_L4_CKSUM_NONE, 1 },
	{ "tcp, ip and l4 none", 0, 14 + 20 + 16, RTE_MBUF_F_RX_IP_CKSUM_NONE |
	  RTE_MBUF_F_RX_L4_CKSUM_NONE, 1 },
	{ "tcp, ip none, bad ip field", 0, 14 + 10, RTE_MBUF_F_RX_IP_CKSUM_NONE, 1 },
	{ "tcp, l4 unknown", 0, 14 + 20 + 16, RTE_MBUF_F_RX_L4_CKSUM_UNKNOWN, 0 },
	{ "tcp, ip unknown, bad ip field", 0, 14 + 10,
	  RTE_MBUF_F_RX_L4_CKSUM_NONE, 0 },
	{ "echo, l4 none", 1, 14 + 20 + 2, RTE_MBUF_F_RX_L4_CKSUM_NONE, 1 },
	{ "echo, l4 unknown", 1, 14 + 20 + 2, 0, 0 },
};

static size_t build_echo(uint8_t *b, int v6, const char *dst);

static void
test_rx_csum_good(void **state)
{
	struct fx *f = *state;
	unsigned int i;

	for (i = 0; i < RTE_DIM(rx_csum_cases); i++) {
		const struct rx_csum_case *c = &rx_csum_cases[i];
		uint64_t bad = CNT(f, malformed);
		struct rte_mbuf *m;
		struct sf_pkt p;
		uint8_t b[256];
		struct seg s;
		size_t len;

		print_message("case %s\n", c->name);
		if (c->echo) {
			len = build_echo(b, 0, VIP4);
		} else {
			seg_init(&s, 0, 1000 + i, 0, SF_TCP_SYN);
			len = build_tcp(b, &s);
		}
		b[c->off] ^= 0xff;
		m = mbuf_of(b, len);
		m->ol_flags = c->ol_flags;
		assert_int_equal(run(f, &m, 1), c->answered);
		assert_int_equal(CNT(f, malformed), bad + !c->answered);
		if (!c->answered)
			continue;
		if (c->echo) {
			const uint8_t *fr = rte_pktmbuf_mtod(f->tx[0],
							     const uint8_t *);

			assert_int_equal(fr[14 + 20], 0);	/* echo reply */
			assert_int_equal((uint16_t)~fr_fold(fr_sum16(fr + 14 + 20,
					 len - 14 - 20, 0)), 0);
		} else {
			reply(f, 0, &p);	/* checksums verified in software */
			assert_int_equal(p.tcp_flags, SF_TCP_SYN | SF_TCP_ACK);
			assert_int_equal(f->tx[0]->ol_flags, 0);
		}
	}
}

static void
test_multi_segment(void **state)
{
	struct fx *f = *state;
	struct rte_mbuf *m, *m2;
	struct seg s;

	seg_init(&s, 0, 1, 0, SF_TCP_SYN);
	m = mbuf_seg(&s);
	m2 = rte_pktmbuf_alloc(pool);
	assert_non_null(m2);
	assert_non_null(rte_pktmbuf_append(m2, 10));
	assert_int_equal(rte_pktmbuf_chain(m, m2), 0);
	assert_int_equal(run(f, &m, 1), 0);
	assert_int_equal(CNT(f, not_handled), 1);
}

/* A full burst of 64 SYNs, plus a burst larger than the maximum. */
static void
test_big_bursts(void **state)
{
	struct fx *f = *state;
	struct rte_mbuf *m[SF_RESPOND_BURST_MAX + 6];
	struct rte_mbuf *tx[SF_RESPOND_BURST_MAX + 6];
	struct sf_pkt p;
	struct seg s;
	unsigned int i;
	uint16_t n;

	for (i = 0; i < RTE_DIM(m); i++) {
		seg_init(&s, (int)(i & 1), 100 + i, 0, SF_TCP_SYN);
		s.sport = (uint16_t)(2000 + i);
		s.ts = 1;
		s.tsval = i;
		m[i] = mbuf_seg(&s);
	}
	fx_free_tx(f);
	n = sf_respond_burst(f->r, 0, m, RTE_DIM(m), &f->now, tx);
	assert_int_equal(n, RTE_DIM(m));
	for (i = 0; i < n; i++) {
		assert_int_equal(sf_parse(rte_pktmbuf_mtod(tx[i], uint8_t *),
					  rte_pktmbuf_data_len(tx[i]), 0, &p),
				 SF_NET_OK);
		assert_int_equal(p.ack, 100 + i + 1);
		assert_int_equal(p.opts.tsecr, i);
		seg_init(&s, (int)(i & 1), 100 + i, 0, SF_TCP_SYN);
		s.sport = (uint16_t)(2000 + i);
		s.ts = 1;
		s.tsval = i;
		assert_int_equal(p.seq, expect_cookie(f, &s));
	}
	rte_pktmbuf_free_bulk(tx, n);
	assert_int_equal(CNT(f, synack_tx), RTE_DIM(m));
}

/* Port index out of range: everything freed and counted. */
static void
test_bad_port_index(void **state)
{
	struct fx *f = *state;
	struct rte_mbuf *m;
	struct seg s;

	seg_init(&s, 0, 1, 0, SF_TCP_SYN);
	m = mbuf_seg(&s);
	fx_free_tx(f);
	assert_int_equal(sf_respond_burst(f->r, 5, &m, 1, &f->now, f->tx), 0);
	assert_int_equal(CNT(f, not_handled), 1);
}

static void
test_create_invalid(void **state)
{
	struct fx *f = *state;
	struct sf_respond_conf rc = f->rc;

	rc.shard = NULL;
	assert_null(sf_responder_create(&rc));
	assert_int_equal(rte_errno, EINVAL);
	rc = f->rc;
	rc.n_ports = 0;
	assert_null(sf_responder_create(&rc));
	rc = f->rc;
	rc.n_ports = SF_RESPOND_MAX_PORTS + 1;
	assert_null(sf_responder_create(&rc));
	assert_null(sf_responder_create(NULL));
	sf_responder_free(NULL);
}

__extension__ typedef unsigned __int128 u128;

/* The worker's burst clock: TSC -> unix seconds and milliseconds. */
static void
test_worker_clock(void **state)
{
	struct sf_clock_base w;
	struct sf_clock c;
	u128 ns;
	uint64_t dt;

	(void)state;
	memset(&w, 0, sizeof(w));
	w.tsc_hz = UINT64_C(2000000000);
	w.tsc0 = 1000;
	w.unix_ns0 = UINT64_C(1700000000500000000);

	sf_worker_clock(&w, w.tsc0, &c);
	assert_int_equal(c.tsc, w.tsc0);
	assert_int_equal(c.unix_s, 1700000000);
	assert_int_equal(c.ms, (uint32_t)(UINT64_C(1700000000500)));

	sf_worker_clock(&w, w.tsc0 + UINT64_C(3000000000), &c);	/* 1.5 s */
	assert_int_equal(c.unix_s, 1700000002);
	assert_int_equal(c.ms, (uint32_t)(UINT64_C(1700000002000)));

	sf_worker_clock(&w, 5, &c);	/* before tsc0: the start time */
	assert_int_equal(c.unix_s, 1700000000);

	/* A long run: no overflow in the conversion. */
	dt = UINT64_C(1) << 60;
	w.tsc_hz = UINT64_C(2999999999);
	sf_worker_clock(&w, w.tsc0 + dt, &c);
	ns = (u128)dt * 1000000000u / w.tsc_hz + w.unix_ns0;
	assert_int_equal(c.unix_s, (uint64_t)(ns / 1000000000u));
	assert_int_equal(c.ms, (uint32_t)(uint64_t)(ns / 1000000u));
}


/* ------------------------------------------------------------------ */
/* The reply channel                                                   */

/* sf_respond_conf.out of the tests: the segments, in f->out. */
static void
fx_out(uint16_t port, struct rte_mbuf *m, void *arg)
{
	struct fx *f = arg;

	assert_int_equal(port, 0);
	assert_true(f->nout < MAX_TX);
	f->out[f->nout++] = m;
}

/*
 * The reply channel on: 4 send states, snd_buf 4096, [tcp] retries 2,
 * the credit of @p credit (0: the default).
 */
static void
fx_reply(struct fx *f, uint32_t credit)
{
	f->cfg.reply = SF_REPLY_ON;
	f->cfg.retries = 2;
	if (credit != 0)
		f->cfg.credit = credit;
	if (f->cmd == NULL)
		f->cmd = sf_cmd_create(0, 64, SOCKET_ID_ANY);
	assert_non_null(f->cmd);
	f->rc.worker = 0;
	f->rc.cmd = f->cmd;
	f->rc.send_states = 4;
	f->rc.snd_buf = 4096;
	f->rc.out = fx_out;
	f->rc.out_arg = f;
	fx_responder(f);
}

static void
fx_out_free(struct fx *f)
{
	rte_pktmbuf_free_bulk(f->out, f->nout);
	f->nout = 0;
}

/* Segment i the responder sent, parsed (checksums verified). */
static void
out_seg(struct fx *f, uint16_t i, struct sf_pkt *p)
{
	assert_true(i < f->nout);
	assert_int_equal(sf_parse(rte_pktmbuf_mtod(f->out[i], uint8_t *),
				  rte_pktmbuf_data_len(f->out[i]), 0, p),
			 SF_NET_OK);
	assert_int_equal(p->kind, SF_PKT_TCP);
	assert_memory_equal(&p->dst_mac, &cli_mac, 6);
	assert_memory_equal(&p->src_mac, &our_mac, 6);
}

/* An mbuf of @p n bytes @p ch, chained to @p next (may be NULL). */
static struct rte_mbuf *
mbuf_fill(char ch, uint16_t n, struct rte_mbuf *next)
{
	struct rte_mbuf *m = rte_pktmbuf_alloc(pool);
	char *p;

	assert_non_null(m);
	p = rte_pktmbuf_append(m, n);
	assert_non_null(p);
	memset(p, ch, n);
	if (next != NULL)
		assert_int_equal(rte_pktmbuf_chain(m, next), 0);
	return m;
}

/* A SEND of mbuf @p m (any number of segments), applied. */
static void
cmd_mbuf(struct fx *f, const struct sf_handle *h, struct rte_mbuf *m)
{
	struct sf_cmd c;

	sf_cmd_fill(&c, h, SF_CMD_SEND, m, 0);
	assert_int_equal(sf_cmd_enqueue(f->cmd, &c), 0);
	assert_int_equal(sf_respond_commands(f->r, &f->now, 64), 1);
}

/* A command for the connection of event @p h; the mbuf holds @p data. */
static void
cmd(struct fx *f, const struct sf_handle *h, uint8_t type, const char *data,
    uint32_t credit)
{
	struct rte_mbuf *m = NULL;
	struct sf_cmd c;

	if (data != NULL) {
		m = rte_pktmbuf_alloc(pool);
		assert_non_null(m);
		memcpy(rte_pktmbuf_append(m, (uint16_t)strlen(data)), data,
		       strlen(data));
	}
	sf_cmd_fill(&c, h, type, m, credit);
	assert_int_equal(sf_cmd_enqueue(f->cmd, &c), 0);
	assert_int_equal(sf_respond_commands(f->r, &f->now, 64), 1);
}

/* Handshake of a reply-channel connection; @return its handle. */
static struct sf_handle
reply_handshake(struct fx *f, struct peer *pe, int v6)
{
	handshake(f, pe, v6, 0);
	assert_true(f->ev.flags & SF_EV_F_REPLY);
	assert_int_not_equal(f->ev.handle.gen, 0);
	assert_int_equal(f->ev.handle.worker, 0);
	assert_int_equal(f->ev.snd_buf, 4096);
	return f->ev.handle;
}

/* Off: events carry handles, nothing else of the reply channel. */
static void
test_reply_off_handles(void **state)
{
	struct fx *f = *state;
	struct peer pe;

	handshake(f, &pe, 0, 1);
	assert_int_not_equal(f->ev.handle.gen, 0);
	assert_false(f->ev.flags & SF_EV_F_REPLY);
	assert_int_equal(f->ev.credit, 0);
	assert_int_equal(sf_respond_commands(f->r, &f->now, 64), 0);
	assert_int_equal(sf_respond_send_states_used(f->r), 0);
}

/*
 * SEND -> a data segment at SND.NXT with the bytes; the client's ACK ->
 * one ACKED event, the send state back; CLOSE -> our FIN; its ACK, then
 * the client's FIN -> ACK, FIN and CLOSED events, entry gone. Both
 * families (IPv6 checks the other checksum path).
 */
static void
test_reply_send_close(void **state)
{
	struct fx *f = *state;
	struct sf_handle h;
	struct sf_pkt p;
	struct peer pe;
	struct seg s;
	int v6;

	fx_reply(f, 0);
	for (v6 = 0; v6 <= 1; v6++) {
		h = reply_handshake(f, &pe, v6);
		/* no timestamps, so no window scale: what 16 bits say */
		assert_int_equal(f->ev.credit, 65535);
		cmd(f, &h, SF_CMD_SEND, "hello", 0);
		assert_int_equal(f->nout, 1);
		out_seg(f, 0, &p);
		assert_int_equal(p.tcp_flags, SF_TCP_ACK | SF_TCP_PSH);
		assert_int_equal(p.seq, pe.rcv_nxt);
		assert_int_equal(p.ack, pe.snd_nxt);
		assert_int_equal(p.payload_len, 5);
		assert_memory_equal(rte_pktmbuf_mtod(f->out[0], uint8_t *) +
				    p.payload_off, "hello", 5);
		assert_int_equal(sf_respond_send_states_used(f->r), 1);
		fx_out_free(f);
		pe.rcv_nxt += 5;
		peer_seg(&pe, &s, SF_TCP_ACK, NULL);
		assert_int_equal(run1(f, &s), 0);
		assert_int_equal(pop(f, SF_EV_ACKED)->seq, 5);
		assert_int_equal(sf_respond_send_states_used(f->r), 0);

		cmd(f, &h, SF_CMD_CLOSE, NULL, 0);
		assert_int_equal(f->nout, 1);
		out_seg(f, 0, &p);
		assert_int_equal(p.tcp_flags, SF_TCP_ACK | SF_TCP_FIN);
		assert_int_equal(p.seq, pe.rcv_nxt);
		fx_out_free(f);
		pe.rcv_nxt++;
		peer_seg(&pe, &s, SF_TCP_ACK, NULL);
		run1(f, &s);	/* FIN_WAIT_2 */
		peer_seg(&pe, &s, SF_TCP_ACK | SF_TCP_FIN, NULL);
		assert_int_equal(run1(f, &s), 1);
		reply_tcp(f, 0, v6, &p);
		assert_int_equal(p.ack, pe.snd_nxt + 1);
		pop(f, SF_EV_FIN);
		pop(f, SF_EV_CLOSED);
		no_event(f);
		assert_int_equal(sf_conn_count(f->shard), 0);
	}
	assert_int_equal(CNT(f, data_tx), 4);
	assert_int_equal(CNT(f, bytes_tx), 10);
	assert_int_equal(CNT(f, closed_tx), 2);
	assert_int_equal(CNT(f, closed_events), 2);
	assert_int_equal(CNT(f, acked_events), 2);
	assert_int_equal(CNT(f, cmd_rx), 4);
}

/*
 * SEND with SF_CMD_F_CLOSE is SEND then CLOSE in one command: the bytes
 * at SND.NXT, our FIN after them (queued together, both go in the one
 * segment); its ACK -> ACKED of the 5 bytes, then the client's FIN -> ACK,
 * FIN and CLOSED events, entry gone.
 */
static void
test_reply_send_flag_close(void **state)
{
	struct fx *f = *state;
	struct sf_handle h;
	struct rte_mbuf *m;
	struct sf_cmd c;
	struct sf_pkt p;
	struct peer pe;
	struct seg s;

	fx_reply(f, 0);
	h = reply_handshake(f, &pe, 0);
	m = rte_pktmbuf_alloc(pool);
	assert_non_null(m);
	memcpy(rte_pktmbuf_append(m, 5), "hello", 5);
	sf_cmd_fill(&c, &h, SF_CMD_SEND, m, 0);
	c.flags = SF_CMD_F_CLOSE;
	assert_int_equal(sf_cmd_enqueue(f->cmd, &c), 0);
	assert_int_equal(sf_respond_commands(f->r, &f->now, 64), 1);
	assert_int_equal(f->nout, 1);
	out_seg(f, 0, &p);
	assert_int_equal(p.tcp_flags, SF_TCP_ACK | SF_TCP_PSH | SF_TCP_FIN);
	assert_int_equal(p.seq, pe.rcv_nxt);
	assert_int_equal(p.ack, pe.snd_nxt);
	assert_int_equal(p.payload_len, 5);
	assert_memory_equal(rte_pktmbuf_mtod(f->out[0], uint8_t *) +
			    p.payload_off, "hello", 5);
	fx_out_free(f);
	pe.rcv_nxt += 5 + 1;
	peer_seg(&pe, &s, SF_TCP_ACK, NULL);
	run1(f, &s);	/* FIN_WAIT_2 */
	assert_int_equal(pop(f, SF_EV_ACKED)->seq, 5);
	assert_int_equal(sf_respond_send_states_used(f->r), 0);
	peer_seg(&pe, &s, SF_TCP_ACK | SF_TCP_FIN, NULL);
	assert_int_equal(run1(f, &s), 1);
	reply_tcp(f, 0, 0, &p);
	assert_int_equal(p.ack, pe.snd_nxt + 1);
	pop(f, SF_EV_FIN);
	pop(f, SF_EV_CLOSED);
	no_event(f);
	assert_int_equal(sf_conn_count(f->shard), 0);
	assert_int_equal(CNT(f, data_tx), 1);
	assert_int_equal(CNT(f, bytes_tx), 5);
	assert_int_equal(CNT(f, closed_tx), 1);
	assert_int_equal(CNT(f, cmd_bad), 0);
	assert_int_equal(CNT(f, cmd_rx), 1);
}

/*
 * A handle that names no connection, or another generation of its slot,
 * or another worker: counted, the SEND's mbuf freed (the teardown checks
 * the pool), nothing sent.
 */
static void
test_reply_stale(void **state)
{
	struct fx *f = *state;
	struct sf_handle h, bad;
	struct peer pe;

	fx_reply(f, 0);
	h = reply_handshake(f, &pe, 0);
	bad = h;
	bad.gen++;
	cmd(f, &bad, SF_CMD_SEND, "x", 0);
	bad = h;
	bad.worker = 1;
	cmd(f, &bad, SF_CMD_ABORT, NULL, 0);
	bad = h;
	bad.slot = h.slot + 1;
	cmd(f, &bad, SF_CMD_SEND, "y", 0);
	assert_int_equal(CNT(f, cmd_stale), 3);
	assert_int_equal(f->nout, 0);
	assert_int_equal(sf_conn_count(f->shard), 1);
	no_event(f);
}

/*
 * ABORT: RST to the client at SND.NXT, terminal RST event with
 * SF_EV_F_LOCAL, entry and queued data gone; a command after it is stale.
 */
static void
test_reply_abort(void **state)
{
	struct fx *f = *state;
	struct sf_handle h;
	struct sf_pkt p;
	struct peer pe;

	fx_reply(f, 0);
	h = reply_handshake(f, &pe, 1);
	cmd(f, &h, SF_CMD_SEND, "queued", 0);
	fx_out_free(f);
	cmd(f, &h, SF_CMD_ABORT, NULL, 0);
	assert_int_equal(f->nout, 1);
	out_seg(f, 0, &p);
	assert_true(p.tcp_flags & SF_TCP_RST);
	assert_int_equal(p.seq, pe.rcv_nxt + 6);
	assert_true(pop(f, SF_EV_RST)->flags & SF_EV_F_LOCAL);
	assert_int_equal(sf_conn_count(f->shard), 0);
	assert_int_equal(sf_respond_send_states_used(f->r), 0);
	assert_int_equal(CNT(f, aborts), 1);
	cmd(f, &h, SF_CMD_CREDIT, NULL, 100);
	assert_int_equal(CNT(f, cmd_stale), 1);
}

/*
 * Receive credit: DATA consumes it, the window field says what is left;
 * a CREDIT that gives back at least half of it sends a window update.
 */
static void
test_reply_credit(void **state)
{
	struct fx *f = *state;
	char data[201];
	struct sf_handle h;
	struct sf_pkt p;
	struct peer pe;
	struct seg s;
	int i;

	fx_reply(f, 1024);
	h = reply_handshake(f, &pe, 0);
	assert_int_equal(f->ev.credit, 1024);
	memset(data, 'd', 200);
	data[200] = '\0';
	for (i = 0; i < 5; i++) {
		peer_seg(&pe, &s, SF_TCP_ACK, data);
		assert_int_equal(run1(f, &s), 1);
		pe.snd_nxt += 200;
		pop(f, SF_EV_DATA);
	}
	reply_tcp(f, 0, 0, &p);
	assert_int_equal(p.ack, pe.snd_nxt);
	assert_int_equal(p.window, 24);	/* no window scale: bytes */
	cmd(f, &h, SF_CMD_CREDIT, NULL, 1000);
	assert_int_equal(f->nout, 1);
	out_seg(f, 0, &p);
	assert_int_equal(p.tcp_flags, SF_TCP_ACK);
	assert_int_equal(p.ack, pe.snd_nxt);
	assert_int_equal(p.window, 1024);
	assert_int_equal(CNT(f, window_updates), 1);
}

/*
 * Nothing acknowledged: the RTO (1 s before any RTT sample) resends the
 * segment, the next waits twice as long, and after [tcp] retries (2)
 * timeouts the client gets an RST and the consumer a local RST event.
 */
static void
test_reply_rto_give_up(void **state)
{
	struct fx *f = *state;
	struct sf_handle h;
	struct sf_pkt p;
	struct peer pe;

	fx_reply(f, 0);
	h = reply_handshake(f, &pe, 0);
	cmd(f, &h, SF_CMD_SEND, "lost", 0);
	fx_out_free(f);
	f->now.tsc += TSC_HZ / 2;	/* 0.5 s: not yet */
	assert_int_equal(sf_respond_timers(f->r, &f->now), 0);
	assert_int_equal(f->nout, 0);
	f->now.tsc += TSC_HZ / 2 + TSC_HZ / 100;	/* 1.01 s */
	assert_int_equal(sf_respond_timers(f->r, &f->now), 1);
	assert_int_equal(f->nout, 1);
	out_seg(f, 0, &p);
	assert_int_equal(p.seq, pe.rcv_nxt);
	assert_int_equal(p.payload_len, 4);
	assert_int_equal(CNT(f, retransmits), 1);
	assert_int_equal(CNT(f, rto_expired), 1);
	fx_out_free(f);
	f->now.tsc += TSC_HZ + TSC_HZ / 2;	/* backoff: 2 s, not yet */
	assert_int_equal(sf_respond_timers(f->r, &f->now), 0);
	f->now.tsc += TSC_HZ;
	assert_int_equal(sf_respond_timers(f->r, &f->now), 1);
	assert_int_equal(f->nout, 1);
	fx_out_free(f);
	f->now.tsc += 5 * TSC_HZ;	/* the third: given up */
	assert_int_equal(sf_respond_timers(f->r, &f->now), 1);
	assert_int_equal(f->nout, 1);
	out_seg(f, 0, &p);
	assert_true(p.tcp_flags & SF_TCP_RST);
	assert_true(pop(f, SF_EV_RST)->flags & SF_EV_F_LOCAL);
	assert_int_equal(sf_conn_count(f->shard), 0);
	assert_int_equal(sf_respond_send_states_used(f->r), 0);
}

/*
 * A SEND of two mbuf segments (1000 'a', 2000 'b') goes out as MSS-sized
 * segments copied across the mbuf boundary; ACKs free it part by part.
 */
static void
test_reply_segments(void **state)
{
	struct fx *f = *state;
	static const uint16_t lens[] = { 1460, 1460, 80 };
	struct sf_handle h;
	struct sf_pkt p;
	struct peer pe;
	struct seg s;
	uint32_t off = 0;
	unsigned int i, j;

	fx_reply(f, 0);
	h = reply_handshake(f, &pe, 0);
	cmd_mbuf(f, &h, mbuf_fill('a', 1000, mbuf_fill('b', 2000, NULL)));
	assert_int_equal(f->nout, RTE_DIM(lens));
	for (i = 0; i < RTE_DIM(lens); i++) {
		const uint8_t *d;

		out_seg(f, (uint16_t)i, &p);
		assert_int_equal(p.seq, pe.rcv_nxt + off);
		assert_int_equal(p.payload_len, lens[i]);
		d = rte_pktmbuf_mtod(f->out[i], const uint8_t *) +
			p.payload_off;
		for (j = 0; j < lens[i]; j++)
			if (d[j] != (off + j < 1000 ? 'a' : 'b'))
				fail_msg("segment %u byte %u: %c", i, j, d[j]);
		off += lens[i];
	}
	fx_out_free(f);
	pe.rcv_nxt += 1460;
	peer_seg(&pe, &s, SF_TCP_ACK, NULL);
	run1(f, &s);
	assert_int_equal(pop(f, SF_EV_ACKED)->seq, 1460);
	assert_int_equal(sf_respond_send_states_used(f->r), 1);
	pe.rcv_nxt += 1540;
	peer_seg(&pe, &s, SF_TCP_ACK, NULL);
	run1(f, &s);
	assert_int_equal(pop(f, SF_EV_ACKED)->seq, 3000);
	assert_int_equal(sf_respond_send_states_used(f->r), 0);
	assert_int_equal(f->nout, 0);
}

/* The timer wheel: what fires when (1 tick = 10 TSC ticks here). */
struct timer_log {
	uint32_t ids[16];
	unsigned int n;
};

static void
timer_record(uint32_t id, void *arg)
{
	struct timer_log *l = arg;

	assert_true(l->n < RTE_DIM(l->ids));
	l->ids[l->n++] = id;
}

static void
test_timer_wheel(void **state)
{
	static const struct {
		uint64_t now;		/* expire at this TSC */
		unsigned int max;
		unsigned int fired;	/* timers fired */
		uint32_t first;		/* id of the first fired, 0 = none */
	} steps[] = {
		{ 1000, 8, 0, 0 },	/* nothing due yet */
		{ 1009, 8, 0, 0 },	/* id 1 due at 1010: not before */
		{ 1010, 8, 1, 1 },
		{ 1500, 1, 1, 2 },	/* 2 and 3 due: max 1 */
		{ 1500, 8, 1, 3 },
		{ 1000 + 10 * SF_TIMER_SLOTS, 8, 0, 0 },	/* 5 in a later turn */
		{ 1000 + 30 * SF_TIMER_SLOTS, 8, 1, 5 },
	};
	struct sf_timer_node node[5];
	struct sf_timer_wheel w;
	struct timer_log l;
	unsigned int i;
	uint64_t t;

	(void)state;
	memset(node, 0, sizeof(node));
	sf_timer_init(&w, node, 5, 10, 0);
	sf_timer_arm(&w, 1, 1010);
	sf_timer_arm(&w, 2, 1200);
	sf_timer_arm(&w, 3, 1300);
	sf_timer_arm(&w, 4, 1400);
	sf_timer_cancel(&w, 4);
	assert_false(sf_timer_armed(&w, 4));
	sf_timer_arm(&w, 5, 1000 + 20 * SF_TIMER_SLOTS);
	assert_true(sf_timer_armed(&w, 5));
	for (i = 0; i < RTE_DIM(steps); i++) {
		memset(&l, 0, sizeof(l));
		assert_int_equal(sf_timer_expire(&w, steps[i].now, steps[i].max,
						 timer_record, &l),
				 steps[i].fired);
		assert_int_equal(l.n, steps[i].fired);
		if (steps[i].first != 0)
			assert_int_equal(l.ids[0], steps[i].first);
	}
	assert_int_equal(w.armed, 0);
	/* later calls in the same tick skip the wheel: what they may skip */
	t = 1000 + 40 * SF_TIMER_SLOTS;
	assert_int_equal(sf_timer_expire(&w, t, 8, timer_record, &l), 0);
	sf_timer_arm(&w, 3, t);		/* due this very tick: next call */
	assert_int_equal(sf_timer_expire(&w, t + 1, 8, timer_record, &l), 1);
	sf_timer_arm(&w, 1, 0);		/* in the past: the next tick */
	assert_int_equal(sf_timer_expire(&w, t + 9, 8, timer_record, &l), 0);
	assert_int_equal(sf_timer_expire(&w, t + 10, 8, timer_record, &l), 1);
	sf_timer_arm(&w, 2, t + 25);
	assert_int_equal(sf_timer_expire(&w, t + 29, 8, timer_record, &l), 0);
	assert_int_equal(sf_timer_expire(&w, t + 30, 8, timer_record, &l), 1);
	assert_int_equal(w.armed, 0);
}

/* A SEND beyond snd_buf, or with no send state left, aborts. */
static void
test_reply_limits(void **state)
{
	struct fx *f = *state;
	struct sf_handle h[5];
	struct peer pe;
	int i;

	fx_reply(f, 0);
	for (i = 0; i < 5; i++) {
		handshake_from(f, &pe, 0, 0, (uint16_t)(CPORT + i));
		h[i] = f->ev.handle;
	}
	for (i = 0; i < 4; i++)	/* every send state */
		cmd(f, &h[i], SF_CMD_SEND, "a", 0);
	cmd(f, &h[4], SF_CMD_SEND, "b", 0);
	assert_int_equal(CNT(f, snd_pool_full), 1);
	assert_true(pop(f, SF_EV_RST)->flags & SF_EV_F_LOCAL);
	/* 1 + 4096 > 4096, in two segments */
	cmd_mbuf(f, &h[0], mbuf_fill('z', 2048, mbuf_fill('y', 2048, NULL)));
	assert_int_equal(CNT(f, snd_overflow), 1);
	assert_true(pop(f, SF_EV_RST)->flags & SF_EV_F_LOCAL);
	assert_int_equal(sf_conn_count(f->shard), 3);
	assert_int_equal(sf_respond_send_states_used(f->r), 3);
	assert_int_equal(CNT(f, aborts), 2);
}

/* ------------------------------------------------------------------ */
/* Event reliability: nothing acknowledged and then lost, exactly one  */
/* terminal event per connection, whatever the ring did meanwhile.     */

/* Queue an mbuf-less command for @p h and apply it. */
static void
cmd_none(struct fx *f, const struct sf_handle *h, uint8_t type)
{
	cmd(f, h, type, NULL, 0);
}

/*
 * An ACKED event that does not fit the ring stays pending (one per
 * connection) and sf_respond_timers() queues it once there is room, with
 * the bytes acknowledged by then, even though no ACK comes after.
 */
static void
test_reply_acked_deferred(void **state)
{
	struct fx *f = *state;
	struct sf_handle h;
	struct sf_event *ev;
	struct peer pe;
	struct seg s;

	fx_reply(f, 0);
	h = reply_handshake(f, &pe, 0);
	cmd(f, &h, SF_CMD_SEND, "hello world", 0);
	fx_out_free(f);
	assert_true(fill_ring(f) > 0);
	pe.rcv_nxt += 5;		/* 5 of 11 */
	peer_seg(&pe, &s, SF_TCP_ACK, NULL);
	run1(f, &s);
	assert_int_equal(CNT(f, acked_deferred), 1);
	assert_int_equal(CNT(f, acked_pending), 1);
	pe.rcv_nxt += 6;		/* all 11: still the one pending */
	peer_seg(&pe, &s, SF_TCP_ACK, NULL);
	run1(f, &s);
	assert_int_equal(CNT(f, acked_deferred), 1);
	assert_int_equal(CNT(f, acked_pending), 1);
	assert_int_equal(sf_respond_send_states_used(f->r), 0);
	assert_int_equal(CNT(f, snd_active), 0);
	/* still full: nothing, not counted again */
	sf_respond_timers(f->r, &f->now);
	assert_int_equal(CNT(f, acked_pending), 1);
	assert_int_equal(CNT(f, acked_events), 0);

	sf_handoff_drain(f->ring);
	sf_respond_timers(f->r, &f->now);
	ev = pop(f, SF_EV_ACKED);
	assert_int_equal(ev->seq, 11);
	assert_int_equal(ev->handle.slot, h.slot);
	assert_int_equal(CNT(f, acked_pending), 0);
	assert_int_equal(CNT(f, acked_events), 1);
	sf_respond_timers(f->r, &f->now);
	no_event(f);
}

/* A pending ACKED event dies with its connection (ABORT): no ACKED after it. */
static void
test_reply_acked_pending_abort(void **state)
{
	struct fx *f = *state;
	struct sf_handle h;
	struct peer pe;
	struct seg s;

	fx_reply(f, 0);
	h = reply_handshake(f, &pe, 1);
	cmd(f, &h, SF_CMD_SEND, "abc", 0);
	fx_out_free(f);
	fill_ring(f);
	pe.rcv_nxt += 3;
	peer_seg(&pe, &s, SF_TCP_ACK, NULL);
	run1(f, &s);
	assert_int_equal(CNT(f, acked_pending), 1);
	sf_handoff_drain(f->ring);
	cmd_none(f, &h, SF_CMD_ABORT);
	fx_out_free(f);
	assert_int_equal(CNT(f, acked_pending), 0);
	assert_true(pop(f, SF_EV_RST)->flags & SF_EV_F_LOCAL);
	sf_respond_timers(f->r, &f->now);
	no_event(f);
}

/* Sweeps and timers, far apart, until nothing is left to do. */
static void
settle(struct fx *f)
{
	int i;

	for (i = 0; i < 4; i++) {
		f->now.tsc += 10 * TSC_HZ;
		sf_respond_timers(f->r, &f->now);
		sf_respond_expire(f->r, &f->now, 4096);
		fx_out_free(f);
	}
}

/* A SEND that stays unacknowledged: a send state taken. */
static void
end_setup(struct fx *f, struct peer *pe, struct sf_handle *h, int v6)
{
	*h = reply_handshake(f, pe, v6);
	cmd(f, h, SF_CMD_SEND, "pending", 0);
	fx_out_free(f);
	assert_int_equal(CNT(f, snd_active), 1);
}

/* Each end_* runs one way to a connection's end with the ring full. */
static unsigned int
end_closed(struct fx *f, struct sf_handle *h)
{
	struct peer pe;
	struct seg s;

	*h = reply_handshake(f, &pe, 0);
	peer_seg(&pe, &s, SF_TCP_ACK | SF_TCP_FIN, NULL);
	run1(f, &s);
	pe.snd_nxt++;
	pop(f, SF_EV_FIN);
	cmd_none(f, h, SF_CMD_CLOSE);	/* LAST_ACK, our FIN out */
	fx_out_free(f);
	pe.rcv_nxt++;
	fill_ring(f);
	peer_seg(&pe, &s, SF_TCP_ACK, NULL);
	run1(f, &s);			/* no room: FIN taken as not acked */
	assert_int_equal(sf_conn_count(f->shard), 1);
	sf_handoff_drain(f->ring);
	f->now.tsc += TSC_HZ + TSC_HZ / 10;
	sf_respond_timers(f->r, &f->now);	/* FIN again */
	assert_int_equal(f->nout, 1);
	fx_out_free(f);
	run1(f, &s);			/* its ACK: closed */
	return 1;
}

static unsigned int
end_rst_client(struct fx *f, struct sf_handle *h)
{
	struct peer pe;
	struct seg s;

	end_setup(f, &pe, h, 0);
	fill_ring(f);
	peer_seg(&pe, &s, SF_TCP_RST, NULL);
	run1(f, &s);
	/* RESET until its event is queued; its data moot at once */
	assert_int_equal(sf_conn_count(f->shard), 1);
	assert_int_equal(sf_respond_send_states_used(f->r), 0);
	sf_handoff_drain(f->ring);
	return 1;
}

static unsigned int
end_timeout(struct fx *f, struct sf_handle *h)
{
	struct peer pe;
	struct seg s;

	end_setup(f, &pe, h, 1);
	fill_ring(f);
	pe.rcv_nxt += 7;
	peer_seg(&pe, &s, SF_TCP_ACK, NULL);
	run1(f, &s);		/* all acknowledged: ACKED pending */
	assert_int_equal(CNT(f, acked_pending), 1);
	f->now.tsc += (uint64_t)(f->cfg.idle_timeout_s + 1) * TSC_HZ;
	assert_int_equal(sf_respond_expire(f->r, &f->now, 4096), 0);
	sf_handoff_drain(f->ring);
	assert_int_equal(sf_respond_expire(f->r, &f->now, 4096), 1);
	return 1;
}

static unsigned int
end_give_up(struct fx *f, struct sf_handle *h)
{
	struct peer pe;
	int i;

	end_setup(f, &pe, h, 0);
	fill_ring(f);
	for (i = 0; i < 3; i++) {	/* retries 2: the third gives up */
		f->now.tsc += 10 * TSC_HZ;
		assert_int_equal(sf_respond_timers(f->r, &f->now), 1);
	}
	assert_int_equal(CNT(f, aborts), 1);
	sf_handoff_drain(f->ring);
	return 1;
}

static unsigned int
end_abort(struct fx *f, struct sf_handle *h)
{
	struct peer pe;

	end_setup(f, &pe, h, 1);
	fill_ring(f);
	cmd_none(f, h, SF_CMD_ABORT);
	assert_int_equal(CNT(f, rst_tx), 1);
	assert_int_equal(sf_respond_send_states_used(f->r), 0);
	sf_handoff_drain(f->ring);
	cmd_none(f, h, SF_CMD_ABORT);	/* again: stale */
	assert_int_equal(CNT(f, cmd_stale), 1);
	return 1;
}

/* ABORT with the ring full, then a segment of the client's: its retry. */
static unsigned int
end_abort_seg(struct fx *f, struct sf_handle *h)
{
	struct peer pe;
	struct seg s;

	end_setup(f, &pe, h, 0);
	fill_ring(f);
	cmd_none(f, h, SF_CMD_ABORT);
	sf_handoff_drain(f->ring);
	peer_seg(&pe, &s, SF_TCP_ACK, "late");
	assert_int_equal(run1(f, &s), 0);
	assert_int_equal(CNT(f, after_rst), 1);
	assert_int_equal(sf_conn_count(f->shard), 0);
	return 1;
}

static unsigned int
end_pool_full(struct fx *f, struct sf_handle *h)
{
	struct peer pe;

	f->rc.send_states = 1;
	fx_responder(f);
	end_setup(f, &pe, &h[0], 0);
	handshake_from(f, &pe, 0, 0, CPORT + 1);
	h[1] = f->ev.handle;
	fill_ring(f);
	cmd(f, &h[1], SF_CMD_SEND, "none left", 0);
	assert_int_equal(CNT(f, snd_pool_full), 1);
	sf_handoff_drain(f->ring);
	cmd_none(f, &h[0], SF_CMD_ABORT);	/* the other one ends too */
	return 2;
}

static unsigned int
end_overflow(struct fx *f, struct sf_handle *h)
{
	struct peer pe;

	*h = reply_handshake(f, &pe, 0);
	fill_ring(f);
	cmd_mbuf(f, h, mbuf_fill('z', 2048, mbuf_fill('y', 2048,
							   mbuf_fill('x', 1, NULL))));
	assert_int_equal(CNT(f, snd_overflow), 1);
	sf_handoff_drain(f->ring);
	return 1;
}

static unsigned int
end_handshake_full(struct fx *f, struct sf_handle *h)
{
	struct sf_pkt p;
	struct seg s;

	RTE_SET_USED(h);
	seg_init(&s, 0, 4321, 0, SF_TCP_SYN);
	run1(f, &s);
	reply(f, 0, &p);
	fill_ring(f);
	seg_init(&s, 0, 4322, p.seq + 1, SF_TCP_ACK);
	run1(f, &s);
	assert_int_equal(sf_conn_count(f->shard), 0);
	sf_handoff_drain(f->ring);
	return 0;		/* never established: no event at all */
}

static const struct end_case {
	const char *name;
	unsigned int (*run)(struct fx *f, struct sf_handle *h);
	uint8_t type;		/* terminal event of h[0] */
	uint8_t local;		/* SF_EV_F_LOCAL on it */
} end_cases[] = {
	{ "CLOSED", end_closed, SF_EV_CLOSED, 0 },
	{ "RST client", end_rst_client, SF_EV_RST, 0 },
	{ "TIMEOUT", end_timeout, SF_EV_TIMEOUT, 0 },
	{ "give-up", end_give_up, SF_EV_RST, 1 },
	{ "ABORT", end_abort, SF_EV_RST, 1 },
	{ "ABORT, segment", end_abort_seg, SF_EV_RST, 1 },
	{ "snd_pool_full", end_pool_full, SF_EV_RST, 1 },
	{ "snd_overflow", end_overflow, SF_EV_RST, 1 },
	{ "handshake", end_handshake_full, 0, 0 },
};

static bool
is_terminal(uint8_t type)
{
	return type == SF_EV_CLOSED || type == SF_EV_RST ||
		type == SF_EV_TIMEOUT;
}

/*
 * Every way to a connection's end with the ring full when it comes: after
 * the ring drains and sweeps and timers run, each connection has exactly
 * one terminal event, the last of its events, of the expected type and
 * origin; no entry, send state, pending ACKED or mbuf is left (the
 * teardown counts the pool).
 */
static void
test_reply_one_end(void **state)
{
	struct fx *f = *state;
	unsigned int i, j, n, ends[2];
	struct sf_handle h[2];

	for (i = 0; i < RTE_DIM(end_cases); i++) {
		const struct end_case *ec = &end_cases[i];

		fx_reply(f, 0);
		memset(f->st, 0, sizeof(*f->st));
		memset(h, 0, sizeof(h));
		memset(ends, 0, sizeof(ends));
		n = ec->run(f, h);
		settle(f);
		for (;;) {
			sf_event_release(&f->ev);
			if (sf_handoff_dequeue_burst(f->ring, &f->ev, 1) != 1)
				break;
			for (j = 0; j < n; j++) {
				if (f->ev.handle.slot != h[j].slot ||
				    f->ev.handle.gen != h[j].gen)
					continue;
				if (ends[j] > 0)
					fail_msg("%s: event %u after the end",
						 ec->name, f->ev.type);
				if (!is_terminal(f->ev.type))
					continue;
				ends[j]++;
				if (j == 0 && (f->ev.type != ec->type ||
					       !(f->ev.flags & SF_EV_F_LOCAL) !=
					       !ec->local))
					fail_msg("%s: end %u flags %#x",
						 ec->name, f->ev.type,
						 f->ev.flags);
			}
			if (n == 0)
				fail_msg("%s: event %u", ec->name, f->ev.type);
		}
		for (j = 0; j < n; j++)
			if (ends[j] != 1)
				fail_msg("%s: conn %u: %u ends", ec->name, j,
					 ends[j]);
		printf("%-14s %u connection(s), one end each\n", ec->name, n);
		assert_int_equal(sf_conn_count(f->shard), 0);
		assert_int_equal(sf_respond_send_states_used(f->r), 0);
		assert_int_equal(CNT(f, snd_active), 0);
		assert_int_equal(CNT(f, acked_pending), 0);
		assert_int_equal(CNT(f, reply_active), 0);
		fx_out_free(f);
		fx_free_tx(f);
	}
}

#define T(fn)	cmocka_unit_test_setup_teardown(fn, fx_setup, fx_teardown)

int
main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_seed_example),
		T(test_reply_off_handles),
		T(test_reply_send_close),
		T(test_reply_send_flag_close),
		T(test_reply_stale),
		T(test_reply_abort),
		T(test_reply_credit),
		T(test_reply_rto_give_up),
		T(test_reply_limits),
		T(test_reply_segments),
		T(test_reply_acked_deferred),
		T(test_reply_acked_pending_abort),
		T(test_reply_one_end),
		cmocka_unit_test(test_timer_wheel),
		T(test_syn_options),
		T(test_syn_options_off),
		T(test_tx_offload),
		T(test_bad_cookie_rst),
		T(test_rst_rate_limit),
		T(test_challenge_rate_limit),
		T(test_challenge_side_channel),
		T(test_closed_port),
		T(test_unknown_flow),
		T(test_syn_on_established),
		T(test_keepalive),
		T(test_rst_established),
		T(test_rst_window_scaled),
		T(test_data),
		T(test_rst_ring_full),
		T(test_data_ring_full),
		T(test_dup_and_future_data),
		T(test_fin),
		T(test_data_fin),
		T(test_ack_with_data),
		T(test_same_burst),
		T(test_handshake_ring_full),
		cmocka_unit_test_setup_teardown(test_conn_full, fx_setup_small,
						fx_teardown),
		T(test_alloc_fail),
		T(test_expiry),
		T(test_expiry_ring_full),
		T(test_reset_retry),
		cmocka_unit_test_setup_teardown(test_replay_after_close,
				fx_setup_closed, fx_teardown),
		T(test_replay_same_burst),
		T(test_replay_no_table),
		T(test_arp_nd_icmp),
		T(test_not_our_mac),
		T(test_malformed),
		T(test_rx_csum_good),
		T(test_multi_segment),
		T(test_big_bursts),
		T(test_bad_port_index),
		T(test_create_invalid),
		cmocka_unit_test(test_worker_clock),
	};

	if (sf_unit_eal_init("sf_test_respond") != 0)
		return 1;
	pool = sf_unit_pool("sf_test_respond", POOL_N);
	if (pool == NULL) {
		fprintf(stderr, "pool: %s\n", rte_strerror(rte_errno));
		return 1;
	}
	return cmocka_run_group_tests(tests, NULL, NULL);
}
