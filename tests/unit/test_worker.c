/* SPDX-License-Identifier: BSD-3-Clause */

/*
 * Unit tests of the poll loop sf_worker_main() on a real lcore, with no NIC
 * and no kernel: the port is a net_ring ethdev (rte_eth_from_rings) whose
 * RX ring the test fills with frames and whose TX ring it empties of the
 * worker's replies. Every wait is bounded (WAIT_MS, polling); nothing here
 * asserts on speed. The worker is stopped (quit flag, wait) before any
 * counter is read, and in every teardown; after it, every mbuf is back in
 * the pool.
 *
 * sf_worker_create/sf_worker_free are tested without the loop: a good conf
 * makes and frees everything, a bad one fails with nothing left behind,
 * a name clash leaves the first worker intact. Leaks there are in the
 * DPDK heap, which ASan does not see: its statistics are compared.
 */

#include <inttypes.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include <arpa/inet.h>

#include <rte_cycles.h>
#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_eth_ring.h>
#include <rte_ethdev.h>
#include <rte_hash.h>
#include <rte_launch.h>
#include <rte_lcore.h>
#include <rte_malloc.h>
#include <rte_mbuf.h>
#include <rte_mempool.h>
#include <rte_ring.h>

#include "sf_board.h"
#include "sf_config.h"
#include "sf_conn.h"
#include "sf_cookie.h"
#include "sf_handoff.h"
#include "sf_keyfile.h"
#include "sf_net.h"
#include "sf_port.h"
#include "sf_respond.h"
#include "sf_stats.h"
#include "sf_worker.h"
#include "unit_eal.h"
#include "fr_frame.h"

#define POOL_N		2047
#define RX_RING_N	1024
#define TX_RING_N	1024
#define TX_SMALL_N	16	/* holds 15: the "TX ring full" port */
#define HANDOFF_N	256
#define SHARD_N		1024
#define WAIT_MS		2000	/* bound of every wait for the worker */
#define EXPIRE_WAIT_MS	6000	/* idle_timeout_s = 1, plus slack */
#define STOP_WAIT_MS	5000	/* bound on the worker honouring quit */
#define POLL_US		100
#define BURST_SYNS	100	/* not a multiple of SF_WORKER_BURST */
#define FULL_SYNS	40

#define CLI4	"198.18.0.1"
#define VIP4	"198.18.0.2"
#define CLI6	"2001:2::1"
#define VIP6	"2001:2::2"
#define CPORT	40000
#define SPORT	80
#define ISN	UINT32_C(4321)

static const struct rte_ether_addr cli_mac = {
	.addr_bytes = { 0x02, 0x00, 0x00, 0x00, 0x00, 0x02 } };
static const char *const key_hex = "000102030405060708090a0b0c0d0e0f";

/** A net_ring port and its two rings. */
struct tport {
	struct rte_ring *rx;		/* the test enqueues, the PMD dequeues */
	struct rte_ring *tx;		/* the PMD enqueues, the test dequeues */
	uint16_t port_id;
	struct sf_port_info info;
};

enum { PORT_NORMAL, PORT_SMALL_TX, N_PORTS };

static struct rte_mempool *pool;
static struct tport tports[N_PORTS];
static unsigned int worker_lcore;

/* ------------------------------------------------------------------ */
/* Fixture                                                             */

struct fx {
	struct sf_config cfg;
	struct sf_worker *w;
	struct sf_board *board;		/* its keys and clock, as the app's */
	struct sf_stats *st;		/* the worker's, lent */
	struct sf_conn_shard *shard;	/* the worker's, lent */
	struct rte_ring *ring;		/* the worker's, lent */
	struct tport *tp;
	struct rte_mbuf *tx[BURST_SYNS];	/* replies taken, owned here */
	unsigned int ntx;
	volatile bool quit;
	bool running;
	int ret;			/* the worker's return value */
};

#define CNT(f, c)	((f)->st->cnt[SF_CNT_##c])

static uint64_t
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static void
worker_start(struct fx *f)
{
	assert_false(f->running);
	f->quit = false;
	assert_int_equal(rte_eal_get_lcore_state(worker_lcore), WAIT);
	assert_int_equal(rte_eal_remote_launch(sf_worker_main, f->w,
					       worker_lcore), 0);
	f->running = true;
}

/*
 * Set quit and wait, bounded: a worker that ignores quit ends the program
 * (a hang would only end at meson's timeout).
 */
static int
worker_stop(struct fx *f)
{
	uint64_t end = now_ms() + STOP_WAIT_MS;

	if (!f->running)
		return 0;
	f->quit = true;
	while (rte_eal_get_lcore_state(worker_lcore) != WAIT) {
		if (now_ms() > end) {
			fprintf(stderr, "worker did not stop within %u ms\n",
				STOP_WAIT_MS);
			abort();
		}
		rte_delay_us_sleep(POLL_US);
	}
	f->ret = rte_eal_wait_lcore(worker_lcore);
	f->running = false;
	return f->ret;
}

/** Free every mbuf left in a ring of mbuf pointers. */
static unsigned int
ring_free_all(struct rte_ring *r)
{
	struct rte_mbuf *m[64];
	unsigned int n, total = 0;

	while ((n = rte_ring_dequeue_burst(r, (void **)m, RTE_DIM(m),
					   NULL)) > 0) {
		rte_pktmbuf_free_bulk(m, n);
		total += n;
	}
	return total;
}

/** Free the replies the test holds. */
static void
tx_free(struct fx *f)
{
	rte_pktmbuf_free_bulk(f->tx, f->ntx);
	f->ntx = 0;
}

/* A worker on test port @p tp: worker 0 on the worker lcore, queue 0. */
static void
worker_conf(struct sf_worker_conf *wc, const struct sf_config *cfg,
	    const struct tport *tp, volatile bool *quit)
{
	memset(wc, 0, sizeof(*wc));
	wc->worker_id = 0;
	wc->lcore_id = worker_lcore;
	wc->queue_id = 0;
	wc->ports[0].port_id = tp->port_id;
	wc->ports[0].resp.mac = tp->info.mac;
	wc->ports[0].resp.mtu = tp->info.mtu;
	wc->ports[0].resp.tx_offload = tp->info.tx_offload;
	wc->n_ports = 1;
	sf_worker_policy(cfg, &wc->policy);
	wc->keys = &cfg->keys;
	wc->pool = pool;
	wc->shard_entries = SHARD_N;
	wc->ring_size = HANDOFF_N;
	wc->cmd_ring_size = 64;
	wc->send_states = 16;
	wc->snd_buf = 65536;
	wc->quit = quit;
	assert_int_equal(sf_clock_base_init(&wc->clock), 0);
	wc->socket_id = SOCKET_ID_ANY;
}

static int
fx_setup_cfg(void **state, unsigned int port, uint32_t idle_timeout_s,
	     uint8_t reply)
{
	struct sf_worker_conf wc;
	struct sf_board_state bs;
	char err[SF_WORKER_ERR_LEN];
	struct fx *f = calloc(1, sizeof(*f));

	assert_non_null(f);
	f->tp = &tports[port];
	assert_int_equal(rte_ring_count(f->tp->rx), 0);
	assert_int_equal(rte_ring_count(f->tp->tx), 0);

	sf_config_defaults(&f->cfg);
	assert_int_equal(sf_cookie_key_parse(key_hex, &f->cfg.keys.cur), 0);
	f->cfg.key_set = true;
	if (idle_timeout_s != 0)
		f->cfg.idle_timeout_s = idle_timeout_s;
	f->cfg.reply = reply;

	worker_conf(&wc, &f->cfg, f->tp, &f->quit);
	/* as the app does: keys and clock on a board */
	bs.keys = f->cfg.keys;
	bs.clock = wc.clock;
	f->board = sf_board_create(&bs, SOCKET_ID_ANY);
	assert_non_null(f->board);
	wc.board = f->board;
	f->w = sf_worker_create(&wc, err, sizeof(err));
	if (f->w == NULL)
		fail_msg("sf_worker_create: %s", err);
	f->st = sf_worker_stats(f->w);
	f->shard = sf_worker_shard(f->w);
	f->ring = sf_worker_ring(f->w);

	f->ret = -1;
	*state = f;
	worker_start(f);
	return 0;
}

static int
fx_setup_with(void **state, unsigned int port, uint32_t idle_timeout_s)
{
	return fx_setup_cfg(state, port, idle_timeout_s, SF_REPLY_AUTO);
}

static int
fx_setup_reply(void **state)
{
	return fx_setup_cfg(state, PORT_NORMAL, 0, SF_REPLY_ON);
}

static int
fx_setup(void **state)
{
	return fx_setup_with(state, PORT_NORMAL, 0);
}

static int
fx_setup_small_tx(void **state)
{
	return fx_setup_with(state, PORT_SMALL_TX, 0);
}

static int
fx_setup_idle(void **state)
{
	return fx_setup_with(state, PORT_NORMAL, 1);
}

static int
fx_teardown(void **state)
{
	struct fx *f = *state;
	int rc = 0;

	if (worker_stop(f) != 0) {
		fprintf(stderr, "worker returned %d\n", f->ret);
		rc = -1;
	}
	tx_free(f);
	ring_free_all(f->tp->rx);
	ring_free_all(f->tp->tx);
	sf_worker_free(f->w);	/* its ring's events too */
	sf_board_free(f->board);
	free(f);
	if (sf_unit_pool_full(pool, POOL_N) != 0)
		rc = -1;
	return rc;
}

/* ------------------------------------------------------------------ */
/* Frames, built with tests/frame (fr_frame.h), independent of lib/net */

/** A TCP segment from a client to the VIP. */
struct seg {
	int v6;
	char src[INET6_ADDRSTRLEN];
	uint16_t sport;
	uint32_t seq, ack;
	uint8_t flags;
	uint16_t mss;		/* 0: no option */
	uint8_t ts;		/* timestamps option with tsval, tsecr */
	uint32_t tsval, tsecr;
};

static void
seg_init(struct seg *s, int v6, uint32_t seq, uint32_t ack, uint8_t flags)
{
	memset(s, 0, sizeof(*s));
	s->v6 = v6;
	snprintf(s->src, sizeof(s->src), "%s", v6 ? CLI6 : CLI4);
	s->sport = CPORT;
	s->seq = seq;
	s->ack = ack;
	s->flags = flags;
}

/* The segment into b (128 bytes, as mbuf_seg's), to the port's MAC and the VIP. */
static size_t
build_tcp(uint8_t *b, const struct tport *tp, const struct seg *s)
{
	struct fr_tcp t;
	size_t n;

	fr_tcp_init(&t, s->v6);
	memcpy(t.eth.dst, &tp->info.mac, sizeof(t.eth.dst));
	memcpy(t.eth.src, &cli_mac, sizeof(t.eth.src));
	assert_int_equal(fr_ip_addrs(&t.ip, s->src, s->v6 ? VIP6 : VIP4), 0);
	t.ip.id = 0;
	t.sport = s->sport;
	t.dport = SPORT;
	t.seq = s->seq;
	t.ack = s->ack;
	t.flags = s->flags;
	t.win = 29200;
	t.mss = s->mss;
	t.ts = s->ts;
	t.tsval = s->tsval;
	t.tsecr = s->tsecr;
	n = fr_build_tcp(b, 128, &t, NULL);
	assert_int_not_equal(n, 0);
	return n;
}

static struct rte_mbuf *
mbuf_seg(const struct tport *tp, const struct seg *s)
{
	struct rte_mbuf *m = rte_pktmbuf_alloc(pool);
	uint8_t b[128];
	size_t len = build_tcp(b, tp, s);
	char *p;

	assert_non_null(m);
	p = rte_pktmbuf_append(m, (uint16_t)len);
	assert_non_null(p);
	memcpy(p, b, len);
	return m;
}

/** Put frames into the port's RX ring, all at once. */
static void
rx_put(struct fx *f, struct rte_mbuf **m, unsigned int n)
{
	assert_int_equal(rte_ring_enqueue_bulk(f->tp->rx, (void **)m, n,
					       NULL), n);
}

static void
rx_put_seg(struct fx *f, const struct seg *s)
{
	struct rte_mbuf *m = mbuf_seg(f->tp, s);

	rx_put(f, &m, 1);
}

/*
 * Take up to @p want replies from the TX ring into f->tx (the previous
 * ones freed), waiting at most @p ms. The fixture owns them: freed by the
 * next call or the teardown, also when an assertion fails.
 */
static unsigned int
tx_wait(struct fx *f, unsigned int want, unsigned int ms)
{
	uint64_t end = now_ms() + ms;

	assert_true(want <= RTE_DIM(f->tx));
	tx_free(f);
	for (;;) {
		f->ntx += rte_ring_dequeue_burst(f->tp->tx,
						 (void **)&f->tx[f->ntx],
						 want - f->ntx, NULL);
		if (f->ntx == want || now_ms() > end)
			return f->ntx;
		rte_delay_us_sleep(POLL_US);
	}
}

/** Take one event from the handoff ring, waiting at most @p ms. */
static int
ev_wait(struct fx *f, struct sf_event *ev, unsigned int ms)
{
	uint64_t end = now_ms() + ms;

	for (;;) {
		if (sf_handoff_dequeue_burst(f->ring, ev, 1) == 1)
			return 0;
		if (now_ms() > end)
			return -1;
		rte_delay_us_sleep(POLL_US);
	}
}

/** Wait, bounded, until the worker has taken everything from RX. */
static void
rx_wait_empty(struct fx *f)
{
	uint64_t end = now_ms() + WAIT_MS;

	while (rte_ring_count(f->tp->rx) != 0 && now_ms() <= end)
		rte_delay_us_sleep(POLL_US);
	assert_int_equal(rte_ring_count(f->tp->rx), 0);
}

/** Parse a reply; it must be a TCP segment from the VIP to @p s. */
static void
reply_to(struct fx *f, struct rte_mbuf *m, const struct seg *s,
	 struct sf_pkt *p)
{
	uint8_t a[16] = { 0 };

	assert_int_equal(m->nb_segs, 1);
	assert_int_equal(m->pkt_len, m->data_len);
	assert_int_equal(sf_parse(rte_pktmbuf_mtod(m, uint8_t *),
				  rte_pktmbuf_data_len(m), 0, p), SF_NET_OK);
	assert_int_equal(p->kind, SF_PKT_TCP);
	assert_int_equal(p->flow.family, s->v6 ? SF_AF_INET6 : SF_AF_INET);
	/* Swapped: the reply's source is our VIP, its destination the client. */
	assert_int_equal(inet_pton(s->v6 ? AF_INET6 : AF_INET,
				   s->v6 ? VIP6 : VIP4, a), 1);
	assert_memory_equal(p->flow.cli_addr, a, 16);
	memset(a, 0, sizeof(a));
	assert_int_equal(inet_pton(s->v6 ? AF_INET6 : AF_INET, s->src, a), 1);
	assert_memory_equal(p->flow.srv_addr, a, 16);
	assert_int_equal(rte_be_to_cpu_16(p->flow.cli_port), SPORT);
	assert_int_equal(rte_be_to_cpu_16(p->flow.srv_port), s->sport);
	assert_memory_equal(&p->src_mac, &f->tp->info.mac, 6);
	assert_memory_equal(&p->dst_mac, &cli_mac, 6);
	assert_int_equal(p->payload_len, 0);
}

/** Wait for one reply, kept in f->tx[0], and parse it into @p p. */
static void
tx_one(struct fx *f, struct sf_pkt *p)
{
	assert_int_equal(tx_wait(f, 1, WAIT_MS), 1);
	assert_int_equal(sf_parse(rte_pktmbuf_mtod(f->tx[0], uint8_t *),
				  rte_pktmbuf_data_len(f->tx[0]), 0, p),
			 SF_NET_OK);
}

/** A command of @p type (with @p m) for @p h onto the command ring. */
static void
cmd_put(struct rte_ring *cr, const struct sf_handle *h, uint8_t type,
	struct rte_mbuf *m)
{
	struct sf_cmd c;

	sf_cmd_fill(&c, h, type, m, 0);
	assert_int_equal(sf_cmd_enqueue(cr, &c), 0);
}

/** SYN in, SYN-ACK out (checked and freed); @return the cookie. */
static uint32_t
syn_synack(struct fx *f, const struct seg *syn)
{
	struct sf_pkt p;

	rx_put_seg(f, syn);
	assert_int_equal(tx_wait(f, 1, WAIT_MS), 1);
	reply_to(f, f->tx[0], syn, &p);
	tx_free(f);
	assert_int_equal(p.tcp_flags, SF_TCP_SYN | SF_TCP_ACK);
	assert_int_equal(p.ack, syn->seq + 1);
	return p.seq;
}

/* ------------------------------------------------------------------ */
/* Tests                                                               */

/* One SYN: one SYN-ACK, flushed by the drain deadline (1 < a burst). */
static void
test_syn_synack(void **state)
{
	static const int fam[] = { 0, 1 };
	struct fx *f = *state;
	unsigned int i;

	for (i = 0; i < RTE_DIM(fam); i++) {
		struct seg s;
		uint32_t cookie;

		seg_init(&s, fam[i], ISN + i, 0, SF_TCP_SYN);
		s.sport = (uint16_t)(CPORT + i);
		s.mss = 1460;
		cookie = syn_synack(f, &s);
		/* The cookie: a stateless ISN, not an echo of the client's. */
		assert_int_not_equal(cookie, s.seq);
	}

	assert_int_equal(worker_stop(f), 0);
	assert_int_equal(rte_ring_count(f->tp->tx), 0);	/* one reply each */
	assert_int_equal(CNT(f, rx_pkts), 2);
	assert_int_equal(CNT(f, tx_pkts), 2);
	assert_int_equal(CNT(f, syn_rx), 2);
	assert_int_equal(CNT(f, synack_tx), 2);
	assert_int_equal(CNT(f, tx_dropped), 0);
	assert_int_equal(rte_ring_count(f->ring), 0);
	assert_int_equal(sf_conn_count(f->shard), 0);
}

/* The client's ACK of the cookie: an ESTABLISHED event, no reply. */
static void
test_ack_established(void **state)
{
	struct fx *f = *state;
	struct sf_event ev;
	uint32_t cookie;
	struct seg s;

	seg_init(&s, 0, ISN, 0, SF_TCP_SYN);
	s.mss = 1460;
	cookie = syn_synack(f, &s);

	seg_init(&s, 0, ISN + 1, cookie + 1, SF_TCP_ACK);
	rx_put_seg(f, &s);
	memset(&ev, 0, sizeof(ev));
	assert_int_equal(ev_wait(f, &ev, WAIT_MS), 0);
	assert_int_equal(ev.type, SF_EV_ESTABLISHED);
	assert_int_equal(ev.client_isn, ISN);
	assert_int_equal(ev.server_isn, cookie);
	assert_int_equal(ev.mss, 1460);
	assert_int_equal(ev.lcore, worker_lcore);
	assert_null(ev.mbuf);
	assert_int_equal(ev.flow.family, SF_AF_INET);
	assert_int_equal(rte_be_to_cpu_16(ev.flow.cli_port), CPORT);
	assert_int_equal(rte_be_to_cpu_16(ev.flow.srv_port), SPORT);

	/* After the final flush: still no reply, no other event. */
	assert_int_equal(worker_stop(f), 0);
	assert_int_equal(rte_ring_count(f->tp->tx), 0);
	assert_int_equal(rte_ring_count(f->ring), 0);
	assert_int_equal(CNT(f, rx_pkts), 2);
	assert_int_equal(CNT(f, tx_pkts), 1);
	assert_int_equal(CNT(f, ack_cookie_ok), 1);
	assert_int_equal(CNT(f, established), 1);
	assert_int_equal(CNT(f, handoff_enq), 1);
	assert_int_equal(CNT(f, conn_active), 1);
	assert_int_equal(sf_conn_count(f->shard), 1);
}

/* Reply off: no command ring. */
static void
test_reply_off_no_cmd_ring(void **state)
{
	struct fx *f = *state;

	assert_null(sf_worker_cmd_ring(f->w));
	assert_null(sf_cmd_lookup(0));
}

/*
 * The reply channel through the poll loop: the worker's command ring is
 * found by name; a SEND goes out as a data segment on the port, its ACK
 * gives an ACKED event, a CLOSE our FIN.
 */
static void
test_reply_loop(void **state)
{
	struct fx *f = *state;
	struct rte_ring *cr = sf_cmd_lookup(0);
	struct rte_mbuf *m;
	struct sf_event ev;
	struct sf_pkt p;
	uint32_t cookie;
	struct seg s;

	assert_non_null(cr);
	assert_ptr_equal(cr, sf_worker_cmd_ring(f->w));
	seg_init(&s, 0, ISN, 0, SF_TCP_SYN);
	s.mss = 1460;
	cookie = syn_synack(f, &s);
	seg_init(&s, 0, ISN + 1, cookie + 1, SF_TCP_ACK);
	rx_put_seg(f, &s);
	assert_int_equal(ev_wait(f, &ev, WAIT_MS), 0);
	assert_int_equal(ev.type, SF_EV_ESTABLISHED);
	assert_true(ev.flags & SF_EV_F_REPLY);

	m = rte_pktmbuf_alloc(pool);
	assert_non_null(m);
	memcpy(rte_pktmbuf_append(m, 4), "ping", 4);
	cmd_put(cr, &ev.handle, SF_CMD_SEND, m);
	tx_one(f, &p);
	assert_int_equal(p.seq, cookie + 1);
	assert_int_equal(p.payload_len, 4);
	assert_memory_equal(rte_pktmbuf_mtod(f->tx[0], uint8_t *) +
			    p.payload_off, "ping", 4);
	assert_memory_equal(&p.dst_mac, &cli_mac, 6);
	tx_free(f);

	seg_init(&s, 0, ISN + 1, cookie + 5, SF_TCP_ACK);
	rx_put_seg(f, &s);
	assert_int_equal(ev_wait(f, &ev, WAIT_MS), 0);
	assert_int_equal(ev.type, SF_EV_ACKED);
	assert_int_equal(ev.seq, 4);

	cmd_put(cr, &ev.handle, SF_CMD_CLOSE, NULL);
	tx_one(f, &p);
	assert_int_equal(p.tcp_flags, SF_TCP_FIN | SF_TCP_ACK);
	assert_int_equal(p.seq, cookie + 5);

	assert_int_equal(worker_stop(f), 0);
	assert_int_equal(CNT(f, cmd_rx), 2);
	assert_int_equal(CNT(f, data_tx), 2);
	assert_int_equal(CNT(f, closed_tx), 1);
}

/* One row of test_reply_segments: a family, the client's MSS, timestamps. */
struct reply_case {
	const char *name;
	int v6;
	uint16_t mss;
	uint8_t ts;
};

static const struct reply_case reply_cases[] = {
	{ "IPv4, MSS 536", 0, 536, 0 },
	{ "IPv6, MSS 1200, timestamps", 1, 1200, 1 },
	{ "IPv4, MSS 1460, timestamps", 0, 1460, 1 },
};

#define REPLY_BYTES	5000	/* within IW (10 MSS) and the window */
#define REPLY_CHUNK	2000	/* bytes per mbuf of the SEND's chain */

/* Payload byte @p i of the SEND. */
static inline uint8_t
reply_byte(uint32_t i)
{
	return (uint8_t)(i * 7 + i / 251);
}

/* One SEND of REPLY_BYTES as a chain of REPLY_CHUNK-byte mbufs. */
static struct rte_mbuf *
reply_chain(void)
{
	struct rte_mbuf *head = NULL, *m;
	uint32_t off, k, n;
	uint8_t *p;

	for (off = 0; off < REPLY_BYTES; off += n) {
		n = RTE_MIN((uint32_t)REPLY_CHUNK, REPLY_BYTES - off);
		m = rte_pktmbuf_alloc(pool);
		assert_non_null(m);
		p = (uint8_t *)rte_pktmbuf_append(m, (uint16_t)n);
		assert_non_null(p);
		for (k = 0; k < n; k++)
			p[k] = reply_byte(off + k);
		if (head == NULL)
			head = m;
		else
			assert_int_equal(rte_pktmbuf_chain(head, m), 0);
	}
	assert_true(head->nb_segs > 1);
	return head;
}

/*
 * Handshake of @p rc's client through the loop, up to its ESTABLISHED
 * event (@p ev). @return the cookie; *tsval: our last TSval (ts rows).
 */
static uint32_t
reply_connect(struct fx *f, const struct reply_case *rc, struct sf_event *ev,
	      uint32_t *tsval)
{
	struct sf_pkt p;
	struct seg s;
	uint32_t cookie;

	seg_init(&s, rc->v6, ISN, 0, SF_TCP_SYN);
	s.mss = rc->mss;
	s.ts = rc->ts;
	s.tsval = 1000;
	rx_put_seg(f, &s);
	assert_int_equal(tx_wait(f, 1, WAIT_MS), 1);
	reply_to(f, f->tx[0], &s, &p);
	assert_int_equal(p.tcp_flags, SF_TCP_SYN | SF_TCP_ACK);
	assert_int_equal(p.opts.ts_ok, rc->ts);
	cookie = p.seq;
	*tsval = p.opts.tsval;
	tx_free(f);

	seg_init(&s, rc->v6, ISN + 1, cookie + 1, SF_TCP_ACK);
	s.ts = rc->ts;
	s.tsval = 1001;
	s.tsecr = *tsval;
	rx_put_seg(f, &s);
	assert_int_equal(ev_wait(f, ev, WAIT_MS), 0);
	assert_int_equal(ev->type, SF_EV_ESTABLISHED);
	assert_true(ev->flags & SF_EV_F_REPLY);
	assert_int_equal(ev->mss, rc->mss);
	return cookie;
}

/*
 * The data segments of a SEND on the port (net_ring: no checksum offload,
 * so every checksum complete in software, no offload flag): single-segment
 * frames, in sequence, each at most the MSS less the timestamps option,
 * together the SEND's bytes. @return our last TSval.
 */
static uint32_t
reply_check_data(struct fx *f, const struct reply_case *rc, uint32_t cookie)
{
	uint32_t eff = rc->mss - (rc->ts ? 12u : 0u);
	uint32_t nseg = (REPLY_BYTES + eff - 1) / eff, off = 0, k, i;
	uint32_t tsval = 0;
	struct sf_pkt p;

	assert_int_equal(tx_wait(f, nseg, WAIT_MS), nseg);
	for (k = 0; k < nseg; k++) {
		struct rte_mbuf *m = f->tx[k];
		const uint8_t *pay;

		assert_int_equal(m->nb_segs, 1);
		assert_int_equal(m->ol_flags & (RTE_MBUF_F_TX_IP_CKSUM |
						RTE_MBUF_F_TX_TCP_CKSUM), 0);
		/* rx_flags 0: the IP and TCP checksums verified here */
		assert_int_equal(sf_parse(rte_pktmbuf_mtod(m, uint8_t *),
					  rte_pktmbuf_data_len(m), 0, &p),
				 SF_NET_OK);
		assert_int_equal(p.flow.family,
				 rc->v6 ? SF_AF_INET6 : SF_AF_INET);
		assert_memory_equal(&p.dst_mac, &cli_mac, 6);
		assert_int_equal(p.seq, cookie + 1 + off);
		assert_int_equal(p.ack, ISN + 1);
		assert_true(p.tcp_flags & SF_TCP_ACK);
		assert_int_equal(p.opts.ts_ok, rc->ts);
		assert_true(p.payload_len > 0 && p.payload_len <= eff);
		pay = rte_pktmbuf_mtod(m, uint8_t *) + p.payload_off;
		for (i = 0; i < p.payload_len; i++)
			assert_int_equal(pay[i], reply_byte(off + i));
		off += p.payload_len;
		tsval = p.opts.tsval;
	}
	assert_int_equal(off, REPLY_BYTES);
	tx_free(f);
	assert_int_equal(tx_wait(f, 1, 50), 0);	/* nothing more */
	return tsval;
}

/*
 * The reply channel on a net_ring port, per row: a SEND of a chained mbuf
 * comes out as MSS-sized data segments with software checksums; the ACK of
 * all of it gives one ACKED event with the byte count; the client's FIN is
 * ACKed (FIN event); CLOSE sends our FIN; its ACK ends the connection with
 * a CLOSED event, entry and send state gone, every mbuf back.
 */
static void
test_reply_segments(void **state)
{
	struct fx *f = *state;
	struct rte_ring *cr = sf_cmd_lookup(0);
	unsigned int i;

	assert_non_null(cr);
	assert_int_equal(f->tp->info.tx_offload, 0);
	for (i = 0; i < RTE_DIM(reply_cases); i++) {
		const struct reply_case *rc = &reply_cases[i];
		uint32_t cookie, tsval, end;
		struct sf_event ev, est;
		struct sf_pkt p;
		struct seg s;

		print_message("%s\n", rc->name);
		cookie = reply_connect(f, rc, &est, &tsval);
		cmd_put(cr, &est.handle, SF_CMD_SEND, reply_chain());
		tsval = reply_check_data(f, rc, cookie);
		end = cookie + 1 + REPLY_BYTES;

		/* The ACK of everything: one ACKED event. */
		seg_init(&s, rc->v6, ISN + 1, end, SF_TCP_ACK);
		s.ts = rc->ts;
		s.tsval = 1002;
		s.tsecr = tsval;
		rx_put_seg(f, &s);
		assert_int_equal(ev_wait(f, &ev, WAIT_MS), 0);
		assert_int_equal(ev.type, SF_EV_ACKED);
		assert_int_equal(ev.seq, REPLY_BYTES);

		/* The client's FIN: ACKed now, a FIN event. */
		s.flags = SF_TCP_FIN | SF_TCP_ACK;
		s.tsval = 1003;
		rx_put_seg(f, &s);
		assert_int_equal(ev_wait(f, &ev, WAIT_MS), 0);
		assert_int_equal(ev.type, SF_EV_FIN);
		tx_one(f, &p);
		assert_int_equal(p.tcp_flags, SF_TCP_ACK);
		assert_int_equal(p.seq, end);
		assert_int_equal(p.ack, ISN + 2);
		tx_free(f);

		/* CLOSE: our FIN after the data; its ACK: CLOSED. */
		cmd_put(cr, &est.handle, SF_CMD_CLOSE, NULL);
		tx_one(f, &p);
		assert_int_equal(p.tcp_flags, SF_TCP_FIN | SF_TCP_ACK);
		assert_int_equal(p.seq, end);
		assert_int_equal(p.ack, ISN + 2);
		tsval = p.opts.tsval;
		tx_free(f);
		seg_init(&s, rc->v6, ISN + 2, end + 1, SF_TCP_ACK);
		s.ts = rc->ts;
		s.tsval = 1004;
		s.tsecr = tsval;
		rx_put_seg(f, &s);
		assert_int_equal(ev_wait(f, &ev, WAIT_MS), 0);
		assert_int_equal(ev.type, SF_EV_CLOSED);
		assert_int_equal(ev.handle.slot, est.handle.slot);
		assert_int_equal(ev.handle.gen, est.handle.gen);
		assert_int_equal(tx_wait(f, 1, 50), 0);	/* nothing more */
	}

	assert_int_equal(worker_stop(f), 0);
	assert_int_equal(rte_ring_count(f->ring), 0);
	assert_int_equal(sf_conn_count(f->shard), 0);
	assert_int_equal(CNT(f, cmd_rx), 2 * RTE_DIM(reply_cases));
	assert_int_equal(CNT(f, bytes_tx), REPLY_BYTES * RTE_DIM(reply_cases));
	assert_int_equal(CNT(f, closed_tx), RTE_DIM(reply_cases));
	assert_int_equal(CNT(f, acked_events), RTE_DIM(reply_cases));
	assert_int_equal(CNT(f, closed_events), RTE_DIM(reply_cases));
	assert_int_equal(CNT(f, retransmits), 0);
	assert_int_equal(CNT(f, tx_dropped), 0);
	assert_int_equal(CNT(f, conn_active), 0);
}

/* 100 SYNs from 100 sources in one go: 100 SYN-ACKs, the last partial
 * burst (100 = 3 * 32 + 4) flushed by the drain deadline. */
static void
test_burst(void **state)
{
	struct fx *f = *state;
	struct rte_mbuf *m[BURST_SYNS];
	bool seen[BURST_SYNS];
	struct sf_pkt p;
	struct seg s;
	unsigned int i, k;

	_Static_assert(BURST_SYNS % SF_WORKER_BURST != 0,
		       "the burst must end with a partial one");
	for (i = 0; i < BURST_SYNS; i++) {
		seg_init(&s, 0, ISN + 1000 * i, 0, SF_TCP_SYN);
		snprintf(s.src, sizeof(s.src), "198.18.1.%u", i + 1);
		s.sport = (uint16_t)(1024 + i);
		m[i] = mbuf_seg(f->tp, &s);
	}
	rx_put(f, m, BURST_SYNS);
	assert_int_equal(tx_wait(f, BURST_SYNS, WAIT_MS), BURST_SYNS);

	memset(seen, 0, sizeof(seen));
	for (k = 0; k < BURST_SYNS; k++) {
		assert_int_equal(sf_parse(rte_pktmbuf_mtod(f->tx[k], uint8_t *),
					  rte_pktmbuf_data_len(f->tx[k]), 0, &p),
				 SF_NET_OK);
		i = rte_be_to_cpu_16(p.flow.srv_port) - 1024u;
		assert_true(i < BURST_SYNS);
		assert_false(seen[i]);
		seen[i] = true;
		seg_init(&s, 0, ISN + 1000 * i, 0, SF_TCP_SYN);
		snprintf(s.src, sizeof(s.src), "198.18.1.%u", i + 1);
		s.sport = (uint16_t)(1024 + i);
		reply_to(f, f->tx[k], &s, &p);
		assert_int_equal(p.tcp_flags, SF_TCP_SYN | SF_TCP_ACK);
		assert_int_equal(p.ack, s.seq + 1);
	}
	tx_free(f);

	assert_int_equal(worker_stop(f), 0);
	assert_int_equal(rte_ring_count(f->tp->tx), 0);
	assert_int_equal(CNT(f, rx_pkts), BURST_SYNS);
	assert_int_equal(CNT(f, tx_pkts), BURST_SYNS);
	assert_int_equal(CNT(f, synack_tx), BURST_SYNS);
	assert_int_equal(CNT(f, tx_dropped), 0);
}

/* The TX ring holds 15 and nobody drains it: the rest is freed, counted. */
static void
test_tx_full(void **state)
{
	struct fx *f = *state;
	struct rte_mbuf *m[FULL_SYNS];
	unsigned int i, cap = rte_ring_get_capacity(f->tp->tx);
	struct seg s;

	assert_true(cap < FULL_SYNS);
	for (i = 0; i < FULL_SYNS; i++) {
		seg_init(&s, 0, ISN + i, 0, SF_TCP_SYN);
		s.sport = (uint16_t)(1024 + i);
		m[i] = mbuf_seg(f->tp, &s);
	}
	rx_put(f, m, FULL_SYNS);
	rx_wait_empty(f);
	/* Taken from RX: answered and flushed by the time the worker stops. */
	assert_int_equal(worker_stop(f), 0);

	assert_int_equal(rte_ring_count(f->tp->tx), cap);
	assert_int_equal(CNT(f, rx_pkts), FULL_SYNS);
	assert_int_equal(CNT(f, synack_tx), FULL_SYNS);
	assert_int_equal(CNT(f, tx_pkts), cap);
	assert_int_equal(CNT(f, tx_dropped), FULL_SYNS - cap);
	/* The unsent replies are back in the pool already. */
	assert_int_equal(rte_mempool_avail_count(pool), POOL_N - cap);
	assert_int_equal(ring_free_all(f->tp->tx), cap);
	assert_int_equal(rte_mempool_avail_count(pool), POOL_N);
}

/* idle_timeout_s = 1: the loop's expiry pass produces a TIMEOUT event. */
static void
test_idle_expiry(void **state)
{
	struct fx *f = *state;
	struct sf_event ev;
	uint32_t cookie;
	struct seg s;

	assert_int_equal(f->cfg.idle_timeout_s, 1);
	seg_init(&s, 1, ISN, 0, SF_TCP_SYN);
	cookie = syn_synack(f, &s);
	seg_init(&s, 1, ISN + 1, cookie + 1, SF_TCP_ACK);
	rx_put_seg(f, &s);
	assert_int_equal(ev_wait(f, &ev, WAIT_MS), 0);
	assert_int_equal(ev.type, SF_EV_ESTABLISHED);

	memset(&ev, 0, sizeof(ev));
	assert_int_equal(ev_wait(f, &ev, EXPIRE_WAIT_MS), 0);
	assert_int_equal(ev.type, SF_EV_TIMEOUT);
	assert_int_equal(ev.client_isn, ISN);
	assert_int_equal(ev.server_isn, cookie);
	assert_int_equal(ev.flow.family, SF_AF_INET6);
	assert_int_equal(ev.lcore, worker_lcore);
	assert_null(ev.mbuf);

	assert_int_equal(worker_stop(f), 0);
	assert_int_equal(CNT(f, conn_timeout), 1);
	assert_int_equal(CNT(f, conn_active), 0);
	assert_int_equal(sf_conn_count(f->shard), 0);
	assert_int_equal(rte_ring_count(f->ring), 0);
	assert_int_equal(rte_ring_count(f->tp->tx), 0);
}

/* Stop with replies still waiting in the TX ring and events in the
 * handoff ring: the worker returns 0 and every mbuf comes back. */
static void
test_stop_accounting(void **state)
{
	struct fx *f = *state;
	struct rte_mbuf *m[8];
	struct sf_event ev;
	uint32_t cookie;
	unsigned int i;
	struct seg s;

	seg_init(&s, 0, ISN, 0, SF_TCP_SYN);
	cookie = syn_synack(f, &s);
	seg_init(&s, 0, ISN + 1, cookie + 1, SF_TCP_ACK);
	rx_put_seg(f, &s);
	assert_int_equal(ev_wait(f, &ev, WAIT_MS), 0);
	assert_int_equal(ev.type, SF_EV_ESTABLISHED);

	/* Frames left to the worker: SYNs, and junk it must free. */
	for (i = 0; i < RTE_DIM(m); i++) {
		seg_init(&s, (int)(i & 1), ISN + i, 0, SF_TCP_SYN);
		s.sport = (uint16_t)(2048 + i);
		m[i] = mbuf_seg(f->tp, &s);
		if (i >= 6)	/* truncated: dropped as malformed */
			rte_pktmbuf_trim(m[i], 30);
	}
	rx_put(f, m, RTE_DIM(m));
	rx_wait_empty(f);

	assert_int_equal(worker_stop(f), 0);
	assert_int_equal(f->ret, 0);
	assert_int_equal(CNT(f, rx_pkts), 2 + RTE_DIM(m));
	assert_int_equal(CNT(f, synack_tx), 1 + 6);
	assert_int_equal(CNT(f, malformed), 2);
	assert_int_equal(CNT(f, tx_pkts), 1 + 6);
	assert_int_equal(rte_ring_count(f->tp->tx), 6);
	assert_int_equal(ring_free_all(f->tp->tx), 6);
	sf_handoff_drain(f->ring);
	assert_int_equal(rte_mempool_avail_count(pool), POOL_N);

	/* Started again on the same state, it answers again. */
	worker_start(f);
	seg_init(&s, 0, ISN + 77, 0, SF_TCP_SYN);
	s.sport = 3000;
	(void)syn_synack(f, &s);
	assert_int_equal(worker_stop(f), 0);
	assert_int_equal(rte_mempool_avail_count(pool), POOL_N);
}

/*
 * Wait, bounded, until the running worker's loop has counted more than
 * @p above ticks: it has turned, idle or not. @return the last reading.
 */
static uint64_t
loop_wait(struct fx *f, uint64_t above)
{
	const volatile uint64_t *total = &f->st->cnt[SF_CNT_total_tsc];
	uint64_t end = now_ms() + WAIT_MS;

	while (*total <= above && now_ms() < end)
		rte_delay_us_sleep(POLL_US);
	return *total;
}

/*
 * Busy accounting (reply channel off): idle turns add to total_tsc only;
 * turns with frames add to busy_tsc too. Each phase runs until the loop
 * has visibly turned, then the worker is stopped and the counters read.
 */
static void
test_busy_accounting(void **state)
{
	struct fx *f = *state;
	struct rte_mbuf *m[BURST_SYNS];
	uint64_t total0, busy1, total1;
	unsigned int i;
	struct seg s;

	assert_null(sf_worker_cmd_ring(f->w));
	/* Idle: the loop turns, nothing is busy. */
	assert_true(loop_wait(f, 0) > 0);
	assert_int_equal(worker_stop(f), 0);
	total0 = CNT(f, total_tsc);
	assert_true(total0 > 0);
	assert_int_equal(CNT(f, busy_tsc), 0);

	/* Bursts: busy grows, and stays within the loop's time. */
	worker_start(f);
	for (i = 0; i < BURST_SYNS; i++) {
		seg_init(&s, 0, ISN + i, 0, SF_TCP_SYN);
		s.sport = (uint16_t)(1024 + i);
		m[i] = mbuf_seg(f->tp, &s);
	}
	rx_put(f, m, BURST_SYNS);
	assert_int_equal(tx_wait(f, BURST_SYNS, WAIT_MS), BURST_SYNS);
	tx_free(f);
	assert_int_equal(worker_stop(f), 0);
	busy1 = CNT(f, busy_tsc);
	total1 = CNT(f, total_tsc);
	assert_int_equal(CNT(f, synack_tx), BURST_SYNS);
	assert_true(busy1 > 0);
	assert_true(total1 > total0);
	assert_true(busy1 <= total1 - total0);

	/* Idle again: total grows, busy does not move. */
	worker_start(f);
	assert_true(loop_wait(f, total1) > total1);
	assert_int_equal(worker_stop(f), 0);
	assert_true(CNT(f, total_tsc) > total1);
	assert_int_equal(CNT(f, busy_tsc), busy1);
	printf("busy accounting: %" PRIu64 " of %" PRIu64 " ticks busy "
	       "for %u SYNs (%.1f%% of the loop, %" PRIu64 " ticks a SYN-ACK)\n",
	       busy1, CNT(f, total_tsc), BURST_SYNS,
	       sf_stats_busy_pct(f->st, NULL), busy1 / BURST_SYNS);
}

/*
 * With the reply channel on and nothing to send, the timer ticks the loop
 * looks at are not work: the loop turns, busy stays 0.
 */
static void
test_busy_idle_reply(void **state)
{
	struct fx *f = *state;

	assert_non_null(sf_worker_cmd_ring(f->w));
	assert_true(loop_wait(f, 0) > 0);
	/* some timer ticks (1 ms each) pass while the loop turns */
	rte_delay_us_sleep(5 * 1000);
	assert_int_equal(worker_stop(f), 0);
	assert_true(CNT(f, total_tsc) > 0);
	assert_int_equal(CNT(f, busy_tsc), 0);
}

/* An idle worker stops at once when asked (bounded wait) and returns 0. */
static void
test_quit_idle(void **state)
{
	struct fx *f = *state;

	assert_int_equal(worker_stop(f), 0);
	assert_int_equal(CNT(f, rx_pkts), 0);
	assert_int_equal(CNT(f, tx_pkts), 0);
	assert_int_equal(rte_mempool_avail_count(pool), POOL_N);
}

/* ------------------------------------------------------------------ */
/* sf_worker_create / sf_worker_free                                   */

/*
 * What the DPDK heap holds. Shards, rings and counters live there, out of
 * ASan's sight: a create or free that leaks shows here as a difference.
 */
struct heap_use {
	size_t bytes;
	unsigned int count;
};

static struct heap_use
heap_use(void)
{
	struct rte_malloc_socket_stats st;
	struct heap_use u = { 0, 0 };
	unsigned int i;

	for (i = 0; i < rte_socket_count(); i++) {
		assert_int_equal(rte_malloc_get_socket_stats(
				rte_socket_id_by_idx(i), &st), 0);
		u.bytes += st.heap_allocsz_bytes;
		u.count += st.alloc_count;
	}
	return u;
}

static void
heap_unchanged(struct heap_use before)
{
	struct heap_use now = heap_use();

	assert_int_equal(now.bytes, before.bytes);
	assert_int_equal(now.count, before.count);
}

/* The shard and ring names of worker @p id: neither exists. */
static void
names_absent(unsigned int id)
{
	char name[RTE_RING_NAMESIZE];

	snprintf(name, sizeof(name), SF_WORKER_SHARD_NAME_FMT, id);
	assert_null(rte_hash_find_existing(name));
	assert_null(sf_handoff_lookup(id));
}

static struct sf_config create_cfg;
static volatile bool create_quit;

static void
create_conf(struct sf_worker_conf *wc)
{
	sf_config_defaults(&create_cfg);
	assert_int_equal(sf_cookie_key_parse(key_hex, &create_cfg.keys.cur),
			 0);
	create_cfg.key_set = true;
	worker_conf(wc, &create_cfg, &tports[PORT_NORMAL], &create_quit);
}

/* A good conf: everything made, lent, and freed again with the events. */
static void
test_create_free(void **state)
{
	struct heap_use before = heap_use();
	char err[SF_WORKER_ERR_LEN], name[RTE_RING_NAMESIZE];
	struct sf_worker_conf wc;
	struct sf_event ev;
	struct sf_worker *w;
	unsigned int c;

	(void)state;
	create_conf(&wc);
	w = sf_worker_create(&wc, err, sizeof(err));
	if (w == NULL)
		fail_msg("sf_worker_create: %s", err);
	assert_int_equal(sf_worker_lcore(w), worker_lcore);
	assert_non_null(sf_worker_responder(w));
	assert_ptr_equal(sf_worker_ring(w), sf_handoff_lookup(0));
	assert_int_equal(rte_ring_get_size(sf_worker_ring(w)), HANDOFF_N);
	snprintf(name, sizeof(name), SF_WORKER_SHARD_NAME_FMT, 0);
	assert_non_null(rte_hash_find_existing(name));
	assert_true(sf_conn_capacity(sf_worker_shard(w)) >= SHARD_N);
	assert_int_equal(sf_conn_count(sf_worker_shard(w)), 0);
	for (c = 0; c < SF_CNT_MAX; c++)
		assert_int_equal(sf_worker_stats(w)->cnt[c], 0);

	/* An event holding an mbuf, left in the ring: freed with it. */
	memset(&ev, 0, sizeof(ev));
	ev.type = SF_EV_DATA;
	ev.mbuf = rte_pktmbuf_alloc(pool);
	assert_non_null(ev.mbuf);
	assert_int_equal(sf_handoff_enqueue(sf_worker_ring(w), &ev), 0);

	sf_worker_free(w);
	sf_worker_free(NULL);
	names_absent(0);
	heap_unchanged(before);
	assert_int_equal(sf_unit_pool_full(pool, POOL_N), 0);
}

/*
 * One bad field of a good conf, by index; @return what it is, NULL past
 * the last. The first ones are refused before anything is made, the last
 * two after some parts are (the shard's own limit, the responder's).
 */
static const char *
bad_conf(struct sf_worker_conf *wc, unsigned int i)
{
	switch (i) {
	case 0:
		wc->pool = NULL;
		return "NULL pool";
	case 1:
		wc->keys = NULL;
		return "NULL keys";
	case 2:
		wc->quit = NULL;
		return "NULL quit flag";
	case 3:
		wc->n_ports = 0;
		return "0 ports";
	case 4:
		wc->n_ports = SF_WORKER_MAX_PORTS + 1;
		return "too many ports";
	case 5:
		wc->ring_size = 0;
		return "ring_size 0";
	case 6:
		wc->ring_size = 1;
		return "ring_size 1";
	case 7:
		wc->ring_size = 1000;
		return "ring_size 1000";
	case 8:
		wc->shard_entries = 0;
		return "0 shard entries";
	case 9:
		wc->clock.tsc_hz = 0;
		return "tsc_hz 0";
	case 10:
		wc->lcore_id = RTE_MAX_LCORE;
		return "lcore RTE_MAX_LCORE";
	case 11:
		wc->shard_entries = 4;
		return "4 shard entries";
	case 12:
		wc->policy.n_vips = SF_RESPOND_MAX_VIPS + 1;
		return "too many VIPs";
	}
	return NULL;
}

/* Each bad field: NULL, EINVAL, a reason, nothing left behind. */
static void
test_create_bad_conf(void **state)
{
	struct heap_use before = heap_use();
	char err[SF_WORKER_ERR_LEN];
	struct sf_worker_conf wc;
	const char *what;
	unsigned int i;

	(void)state;
	for (i = 0;; i++) {
		create_conf(&wc);
		what = bad_conf(&wc, i);
		if (what == NULL)
			break;
		rte_errno = 0;
		memset(err, 0, sizeof(err));
		if (sf_worker_create(&wc, err, sizeof(err)) != NULL)
			fail_msg("%s: a worker was created", what);
		if (rte_errno != EINVAL)
			fail_msg("%s: rte_errno %d, not EINVAL", what, rte_errno);
		if (strncmp(err, "worker 0 on lcore ", 18) != 0)
			fail_msg("%s: reason \"%s\"", what, err);
		/* Also without a reason buffer. */
		assert_null(sf_worker_create(&wc, NULL, 0));
		assert_int_equal(rte_errno, EINVAL);
		names_absent(0);
		heap_unchanged(before);
	}
	assert_int_equal(i, 13);
	rte_errno = 0;
	assert_null(sf_worker_create(NULL, err, sizeof(err)));
	assert_int_equal(rte_errno, EINVAL);
	assert_true(err[0] != '\0');
	heap_unchanged(before);
	assert_int_equal(sf_unit_pool_full(pool, POOL_N), 0);
}

/* The first worker still works: its shard, its ring, found by name. */
static void
worker_intact(struct sf_worker *w)
{
	struct sf_flow fl;
	struct sf_event ev;
	struct sf_conn *c;
	uint32_t sig;

	memset(&fl, 0, sizeof(fl));
	fl.family = SF_AF_INET;
	fl.cli_port = rte_cpu_to_be_16(CPORT);
	sig = sf_conn_hash(sf_conn_shard_hash_key(sf_worker_shard(w)), &fl);
	c = sf_conn_insert(sf_worker_shard(w), &fl, sig);
	assert_non_null(c);
	assert_ptr_equal(sf_conn_lookup(sf_worker_shard(w), &fl, sig), c);
	assert_int_equal(sf_conn_remove(sf_worker_shard(w), c), 0);
	memset(&ev, 0, sizeof(ev));
	ev.type = SF_EV_ESTABLISHED;
	assert_int_equal(sf_handoff_enqueue(sf_worker_ring(w), &ev), 0);
	assert_int_equal(sf_handoff_dequeue_burst(sf_worker_ring(w), &ev, 1), 1);
	assert_int_equal(ev.type, SF_EV_ESTABLISHED);
}

/*
 * Worker 0 made twice: the second fails at its shard's name, EEXIST, the
 * first intact. Worker 1 over a stray ring of its name: fails at the ring,
 * its shard undone, the stray ring left alone.
 */
static void
test_create_name_clash(void **state)
{
	struct heap_use before = heap_use();
	char err[SF_WORKER_ERR_LEN];
	struct sf_worker_conf wc;
	struct sf_worker *w0;
	struct rte_ring *stray;
	struct heap_use mid;

	(void)state;
	create_conf(&wc);
	w0 = sf_worker_create(&wc, err, sizeof(err));
	if (w0 == NULL)
		fail_msg("sf_worker_create: %s", err);
	mid = heap_use();
	assert_null(sf_worker_create(&wc, err, sizeof(err)));
	assert_int_equal(rte_errno, EEXIST);
	assert_non_null(strstr(err, "shard sf_conn_0"));
	heap_unchanged(mid);
	assert_ptr_equal(sf_handoff_lookup(0), sf_worker_ring(w0));
	worker_intact(w0);

	stray = sf_handoff_create(1, HANDOFF_N, SOCKET_ID_ANY);
	assert_non_null(stray);
	mid = heap_use();
	wc.worker_id = 1;
	assert_null(sf_worker_create(&wc, err, sizeof(err)));
	assert_int_equal(rte_errno, EEXIST);
	assert_non_null(strstr(err, "ring sf_handoff_1"));
	heap_unchanged(mid);
	assert_null(rte_hash_find_existing("sf_conn_1"));
	assert_ptr_equal(sf_handoff_lookup(1), stray);
	worker_intact(w0);

	sf_handoff_free(stray);
	sf_worker_free(w0);
	names_absent(0);
	names_absent(1);
	heap_unchanged(before);
}

/* ------------------------------------------------------------------ */
/* EAL, pool, ports                                                    */

static int
eal_init(void)
{
	char *argv[] = {
		(char *)(uintptr_t)"sf_unit", (char *)(uintptr_t)"--no-huge",
		(char *)(uintptr_t)"-m", (char *)(uintptr_t)"256",
		(char *)(uintptr_t)"--no-pci", (char *)(uintptr_t)"--no-telemetry",
		(char *)(uintptr_t)"--log-level=lib.eal:error",
		(char *)(uintptr_t)"-l", (char *)(uintptr_t)"0-1",
		(char *)(uintptr_t)"--file-prefix=sf_test_worker",
	};

	if (rte_eal_init((int)RTE_DIM(argv), argv) < 0) {
		fprintf(stderr, "rte_eal_init failed: %s\n",
			rte_strerror(rte_errno));
		return -1;
	}
	worker_lcore = rte_get_next_lcore(-1, 1, 0);
	if (worker_lcore >= RTE_MAX_LCORE) {
		fprintf(stderr, "no worker lcore\n");
		return -1;
	}
	return 0;
}

static int
port_create(struct tport *tp, const char *name, unsigned int tx_size)
{
	struct sf_port_conf pc;
	char rname[RTE_RING_NAMESIZE], err[128];
	int port, ret;

	snprintf(rname, sizeof(rname), "%s_rx", name);
	tp->rx = rte_ring_create(rname, RX_RING_N, SOCKET_ID_ANY,
				 RING_F_SP_ENQ | RING_F_SC_DEQ);
	snprintf(rname, sizeof(rname), "%s_tx", name);
	tp->tx = rte_ring_create(rname, tx_size, SOCKET_ID_ANY,
				 RING_F_SP_ENQ | RING_F_SC_DEQ);
	if (tp->rx == NULL || tp->tx == NULL) {
		fprintf(stderr, "%s: rings: %s\n", name,
			rte_strerror(rte_errno));
		return -1;
	}
	port = rte_eth_from_rings(name, &tp->rx, 1, &tp->tx, 1, 0);
	if (port < 0) {
		fprintf(stderr, "%s: rte_eth_from_rings: %s\n", name,
			rte_strerror(rte_errno));
		return -1;
	}
	tp->port_id = (uint16_t)port;

	memset(&pc, 0, sizeof(pc));
	pc.port_id = tp->port_id;
	pc.n_queues = 1;
	pc.rx_desc = RX_RING_N;
	pc.tx_desc = (uint16_t)tx_size;
	pc.pool = pool;
	ret = sf_port_setup(&pc, &tp->info, err, sizeof(err));
	if (ret != 0) {
		fprintf(stderr, "%s: %s\n", name, err);
		return -1;
	}
	return 0;
}

static void
port_destroy(struct tport *tp)
{
	sf_port_close(tp->port_id);
	rte_ring_free(tp->rx);
	rte_ring_free(tp->tx);
}

/* ------------------------------------------------------------------ */
/* Expiry sweep pacing: pure arithmetic on TSC values                  */

/* A loop calling every `interval` ticks for `ticks` ticks. */
struct pace_case {
	const char *name;
	uint32_t slots;
	uint64_t period;
	unsigned int max;
	uint64_t interval;
	uint64_t ticks;		/* simulated time */
	uint64_t total;		/* slots earned in that time, expected */
	uint64_t sweep_by;	/* a whole sweep done by then (0: not in time) */
	unsigned int per_call;	/* most slots in one call, expected */
};

static const struct pace_case pace_cases[] = {
	/*
	 * The loop's own constants at 1 GHz. 2^26 slots, idle_timeout_s 300:
	 * 75 s, 1117 ticks a slot, about 90 a call.
	 */
	{ "2^26 slots, 300 s", 1u << 26, UINT64_C(75000000000),
	  SF_WORKER_EXPIRE_MAX, SF_WORKER_EXPIRE_US * 1000,
	  UINT64_C(75000000000), UINT64_C(75000000000) / 1117,
	  UINT64_C(75000000000), 90 },
	/* 28 s: 7 s, 104 ticks a slot, 962 a call: still under the cap */
	{ "2^26 slots, 28 s", 1u << 26, UINT64_C(7000000000),
	  SF_WORKER_EXPIRE_MAX, SF_WORKER_EXPIRE_US * 1000,
	  UINT64_C(7000000000), UINT64_C(7000000000) / 104,
	  UINT64_C(7000000000), 962 },
	/* 20 s: 5 s would need 1352 a call; capped, the sweep takes longer */
	{ "2^26 slots, 20 s, capped", 1u << 26, UINT64_C(5000000000),
	  SF_WORKER_EXPIRE_MAX, SF_WORKER_EXPIRE_US * 1000,
	  UINT64_C(5000000000), 50000 * SF_WORKER_EXPIRE_MAX, 0,
	  SF_WORKER_EXPIRE_MAX },
	/* 2^20 slots, 300 s at 3 GHz: about 3 slots a call */
	{ "2^20 slots, 300 s, 3 GHz", 1u << 20, UINT64_C(225000000000), 2048,
	  750000, UINT64_C(225000000000), UINT64_C(225000000000) / 214576,
	  UINT64_C(225000000000), 4 },
	/* 8 slots in 1000 ticks, a call every 10: the remainder carries */
	{ "8 slots, remainder carried", 8, 1000, 2048, 10, 1000, 8, 1000, 1 },
	/* period not a multiple of slots: rounded so the sweep is in time */
	{ "3 slots in 1000 ticks", 3, 1000, 2048, 7, 1001, 3, 1001, 1 },
	/* the cap binds: 1 ms for 2^20 slots cannot be met */
	{ "2^20 slots in 1 ms, capped", 1u << 20, 1000000, 2048, 250000,
	  1000000, 4 * 2048, 0, 2048 },
};

static void
pace_run(const struct pace_case *pc)
{
	struct sf_sweep_pace p;
	uint64_t t = 0, total = 0, swept_at = 0;
	unsigned int most = 0, n;

	sf_sweep_pace_init(&p, pc->slots, pc->period, pc->max, 0);
	while (t < pc->ticks) {
		t = RTE_MIN(t + pc->interval, pc->ticks);
		n = sf_sweep_pace_next(&p, t);
		most = RTE_MAX(most, n);
		total += n;
		if (swept_at == 0 && total >= pc->slots)
			swept_at = t;
	}
	printf("pace %s: %" PRIu64 " slots in %" PRIu64 " ticks, "
	       "at most %u a call, whole sweep at %" PRIu64 "\n",
	       pc->name, total, pc->ticks, most, swept_at);
	if (total != pc->total || most != pc->per_call ||
	    (pc->sweep_by != 0 && (swept_at == 0 || swept_at > pc->sweep_by)) ||
	    (pc->sweep_by == 0 && swept_at != 0))
		fail_msg("%s: total %" PRIu64 " (want %" PRIu64 "), most %u "
			 "(want %u), sweep at %" PRIu64, pc->name, total,
			 pc->total, most, pc->per_call, swept_at);
}

static void
test_pace_table(void **state)
{
	unsigned int i;

	(void)state;
	for (i = 0; i < RTE_DIM(pace_cases); i++)
		pace_run(&pace_cases[i]);
}

/* Irregular calls earn the same slots as regular ones. */
static void
test_pace_irregular(void **state)
{
	static const uint64_t steps[] = { 1, 999, 12345, 7, 250000, 3, 86645 };
	struct sf_sweep_pace p;
	uint64_t t = 0, total = 0;
	unsigned int i;

	(void)state;
	sf_sweep_pace_init(&p, 1000, 1000000, 2048, 0);
	while (t < 1000000) {
		for (i = 0; i < RTE_DIM(steps) && t < 1000000; i++) {
			t = RTE_MIN(t + steps[i], UINT64_C(1000000));
			total += sf_sweep_pace_next(&p, t);
		}
	}
	assert_int_equal(total, 1000);
}

/* A stalled loop owes at most one sweep; a TSC going back earns nothing. */
static void
test_pace_stall_backwards(void **state)
{
	struct sf_sweep_pace p;
	uint64_t total = 0;
	unsigned int n, calls = 0;

	(void)state;
	sf_sweep_pace_init(&p, 1000, 1000000, 100, 0);
	/* ten periods late: at most 100 a call, 1100 in all (cap + a sweep) */
	do {
		n = sf_sweep_pace_next(&p, 10000000);
		assert_true(n <= 100);
		total += n;
	} while (n > 0 && ++calls < 100);
	assert_int_equal(total, 1100);

	/* back in time: nothing earned, and counting resumes from there */
	assert_int_equal(sf_sweep_pace_next(&p, 5000000), 0);
	assert_int_equal(sf_sweep_pace_next(&p, 5000000 + 999), 0);
	assert_int_equal(sf_sweep_pace_next(&p, 5000000 + 1000), 1);

	/* no slots at all: the pacing never divides by zero */
	sf_sweep_pace_init(&p, 0, 1000, 100, 0);
	assert_int_equal(sf_sweep_pace_next(&p, 999), 0);
	assert_int_equal(sf_sweep_pace_next(&p, 1000), 1);
}

static void
test_pace_period(void **state)
{
	(void)state;
	assert_true(sf_sweep_period_tsc(300, 1000000000) ==
		    UINT64_C(75000000000));
	assert_true(sf_sweep_period_tsc(0, 1000000000) ==
		    SF_WORKER_SWEEP_DEFAULT_S * UINT64_C(1000000000));
	assert_true(sf_sweep_period_tsc(1, 4) == 1);
	assert_true(sf_sweep_period_tsc(86400, 5000000000) ==
		    UINT64_C(108000000000000));
}

/*
 * The test-only clock offset: a fixed base (1 GHz TSC, start at unix time
 * 1e9 s), shifted, read 3.5 s after tsc0. unix_s and ms move by the offset
 * exactly, so cookies of the shifted clock are as old as the offset says.
 */
static void
test_clock_shift(void **state)
{
	static const uint32_t offsets[] = { 0, 1, 63, 64, 128, 1u << 30 };
	const uint64_t hz = UINT64_C(1000000000), t0_s = UINT64_C(1000000000);
	unsigned int i;

	(void)state;
	for (i = 0; i < RTE_DIM(offsets); i++) {
		struct sf_clock_base b = {
			.tsc_hz = hz, .tsc0 = 5000, .unix_ns0 = t0_s * hz,
		};
		struct sf_clock now;
		uint64_t want_ms = (t0_s + offsets[i]) * 1000 + 3500;

		sf_clock_base_shift(&b, offsets[i]);
		sf_worker_clock(&b, b.tsc0 + 3 * hz + hz / 2, &now);
		assert_int_equal(now.unix_s, t0_s + offsets[i] + 3);
		assert_int_equal(now.ms, (uint32_t)want_ms);
	}
}

/* ------------------------------------------------------------------ */
/* Keys and clock published while running: the board, the clock       */

static const struct sf_board_state board_a = {
	.keys = { .cur = { 0xa0, 0xa1 } },
	.clock = { .tsc_hz = 1000, .tsc0 = 1, .unix_ns0 = 2 },
};
static const struct sf_board_state board_b = {
	.keys = { .cur = { 0xb0, 0xb1 }, .prev = { 0xa0, 0xa1 },
		  .has_prev = 1 },
	.clock = { .tsc_hz = 1000, .tsc0 = 3, .unix_ns0 = 4 },
};
static const struct sf_board_state board_c = {
	.keys = { .cur = { 0xc0, 0xc1 }, .prev = { 0xb0, 0xb1 },
		  .has_prev = 1 },
	.clock = { .tsc_hz = 1000, .tsc0 = 5, .unix_ns0 = 6 },
};

static bool
board_eq(const struct sf_board_state *x, const struct sf_board_state *y)
{
	return memcmp(x, y, sizeof(*x)) == 0;
}

/* Publish and read back: each publication moves the generation by one. */
static void
test_board_publish_read(void **state)
{
	struct sf_board_state out;
	struct sf_board *b;

	(void)state;
	assert_null(sf_board_create(NULL, SOCKET_ID_ANY));
	b = sf_board_create(&board_a, SOCKET_ID_ANY);
	assert_non_null(b);
	assert_int_equal(sf_board_gen(b), 1);
	assert_int_equal(sf_board_read(b, &out), 1);
	assert_true(board_eq(&out, &board_a));
	sf_board_publish(b, &board_b);
	assert_int_equal(sf_board_gen(b), 2);
	assert_int_equal(sf_board_read(b, &out), 2);
	assert_true(board_eq(&out, &board_b));
	sf_board_publish(b, &board_c);
	assert_int_equal(sf_board_read(b, &out), 3);
	assert_true(board_eq(&out, &board_c));
	sf_board_free(b);
}

/*
 * A reader interleaved with the writer, step by step (no threads, no
 * timing): a write in progress leaves the current slot alone; a reader
 * whose slot is rewritten under it (two publications during its copy)
 * gets a torn copy, and sf_board_read_retry() says so.
 */
static void
test_board_torn_read(void **state)
{
	const size_t half = sizeof(struct sf_board_state) / 2;
	struct sf_board_state out, *spare;
	struct sf_board *b;
	uint64_t g;

	(void)state;
	b = sf_board_create(&board_a, SOCKET_ID_ANY);
	assert_non_null(b);

	/* a write half done: readers still see A, consistent */
	spare = sf_board_write_begin(b);
	memcpy(spare, &board_b, half);
	g = sf_board_read_begin(b);
	memcpy(&out, &b->slot[g & 1], sizeof(out));
	assert_false(sf_board_read_retry(b, g));
	assert_true(board_eq(&out, &board_a));
	memcpy((char *)spare + half, (const char *)&board_b + half,
	       sizeof(board_b) - half);
	sf_board_write_end(b);
	assert_int_equal(sf_board_read(b, &out), 2);
	assert_true(board_eq(&out, &board_b));

	/* a reader copying B's slot while it is rewritten with A: torn */
	g = sf_board_read_begin(b);
	memcpy(&out, &b->slot[g & 1], half);
	sf_board_publish(b, &board_c);	/* the other slot */
	sf_board_publish(b, &board_a);	/* the reader's slot */
	memcpy((char *)&out + half, (const char *)&b->slot[g & 1] + half,
	       sizeof(out) - half);
	assert_false(board_eq(&out, &board_b));	/* really torn */
	assert_false(board_eq(&out, &board_a));
	assert_true(sf_board_read_retry(b, g));
	/* the retry gets the latest, whole */
	assert_int_equal(sf_board_read(b, &out), 4);
	assert_true(board_eq(&out, &board_a));

	/* one publication during a copy: a retry too (conservative) */
	g = sf_board_read_begin(b);
	memcpy(&out, &b->slot[g & 1], sizeof(out));
	sf_board_publish(b, &board_b);
	assert_true(sf_board_read_retry(b, g));
	sf_board_free(b);
}

/*
 * Re-basing the clock: the correction is real minus extrapolated, and the
 * new base extrapolates from the real time. 1 GHz TSC, base at unix 1e9 s.
 */
static void
test_clock_rebase(void **state)
{
	static const int64_t corr[] = {
		0, 1, -1, 5000000, -3000000, -2000000000, 64000000000,
	};
	const uint64_t hz = UINT64_C(1000000000), t0 = UINT64_C(1000000000);
	unsigned int i;

	(void)state;
	for (i = 0; i < RTE_DIM(corr); i++) {
		struct sf_clock_base b = {
			.tsc_hz = hz, .tsc0 = 7, .unix_ns0 = t0 * hz,
		};
		uint64_t tsc = b.tsc0 + 10 * hz + 123;	/* 10 s later */
		uint64_t extrap = t0 * hz + 10 * hz + 123;
		uint64_t real = (uint64_t)((int64_t)extrap + corr[i]);

		assert_true(sf_clock_base_ns(&b, tsc) == extrap);
		assert_true(sf_clock_base_rebase(&b, tsc, real) == corr[i]);
		assert_true(b.tsc0 == tsc && b.unix_ns0 == real);
		assert_true(b.tsc_hz == hz);
		assert_true(sf_clock_base_ns(&b, tsc + hz) == real + hz);
		/* again at once: nothing to correct */
		assert_true(sf_clock_base_rebase(&b, tsc, real) == 0);
	}
}

/* The millisecond clock never goes back, across the 32-bit wrap too. */
static void
test_clock_ms_clamp(void **state)
{
	static const struct {
		uint32_t last, ms, want;
	} rows[] = {
		{ 100, 100, 100 },
		{ 100, 101, 101 },		/* forward */
		{ 100, 99, 100 },		/* back 1 ms: held */
		{ 100, 0, 100 },
		{ 5000, 2000, 5000 },		/* back 3 s: held */
		{ 0xfffffff0u, 5, 5 },		/* forward over the wrap */
		{ 5, 0xfffffff0u, 5 },		/* back over the wrap: held */
		{ 0, 0x7fffffffu, 0x7fffffffu },	/* half the circle ahead */
	};
	unsigned int i;

	(void)state;
	for (i = 0; i < RTE_DIM(rows); i++) {
		uint32_t last = rows[i].last;

		assert_int_equal(sf_clock_ms_clamp(rows[i].ms, &last),
				 rows[i].want);
		assert_int_equal(last, rows[i].want);
	}
}

/*
 * A key roll on a running worker, as SIGHUP does it: a SYN answered with
 * key A; the board gets B with A as previous (sf_keys_roll()); the ACK of
 * A's cookie completes; a new SYN's cookie is B's (checked with B alone,
 * and not with A alone); A's cookie no longer validates once A is dropped
 * from previous.
 */
static void
test_key_roll_running(void **state)
{
	struct fx *f = *state;
	struct sf_board_state st;
	struct sf_cookie_keys only_a, only_b;
	struct sf_keyfile kf = { .n_keys = 1 };
	struct sf_cookie_chk chk;
	struct sf_clock now;
	struct sf_event ev;
	struct sf_pkt syn;
	uint32_t c_a, c_b, c_probe;
	uint8_t frame[128];
	struct seg s;
	size_t n;

	assert_int_equal(sf_board_read(f->board, &st), 1);
	only_a = st.keys;
	assert_int_equal(sf_cookie_key_parse("f0e1d2c3b4a5968778695a4b3c2d1e0f",
					     &kf.key), 0);
	memset(&only_b, 0, sizeof(only_b));
	only_b.cur = kf.key;

	seg_init(&s, 0, ISN, 0, SF_TCP_SYN);
	s.mss = 1460;
	c_a = syn_synack(f, &s);

	/* the roll: B signs, A still validates */
	sf_keys_roll(&st.keys, &kf, &st.keys);
	assert_true(st.keys.has_prev && st.keys.prev.k0 == only_a.cur.k0);
	sf_board_publish(f->board, &st);
	/*
	 * A probe SYN: once its answer is out, a later turn (the drain's)
	 * has begun after the publication, so it has the new keys.
	 */
	seg_init(&s, 0, ISN + 100, 0, SF_TCP_SYN);
	s.sport = CPORT + 2;
	c_probe = syn_synack(f, &s);
	(void)c_probe;

	/* the handshake in flight completes through previous_key */
	seg_init(&s, 0, ISN + 1, c_a + 1, SF_TCP_ACK);
	rx_put_seg(f, &s);
	memset(&ev, 0, sizeof(ev));
	assert_int_equal(ev_wait(f, &ev, WAIT_MS), 0);
	assert_int_equal(ev.type, SF_EV_ESTABLISHED);
	assert_int_equal(ev.server_isn, c_a);

	/* a new SYN: B's cookie, computed here independently of the worker */
	seg_init(&s, 0, ISN + 200, 0, SF_TCP_SYN);
	s.sport = CPORT + 1;
	s.mss = 1460;
	c_b = syn_synack(f, &s);
	n = build_tcp(frame, f->tp, &s);
	assert_int_equal(sf_parse(frame, n, 0, &syn), SF_NET_OK);
	sf_worker_clock(&st.clock, rte_rdtsc(), &now);
	chk.flow = &syn.flow;
	chk.client_isn = syn.seq;
	chk.cookie = c_b;
	chk.opt = SF_COOKIE_OPT_NONE;
	assert_true(sf_cookie_check(&only_b, &chk, now.unix_s) >= 0);
	assert_int_equal(sf_cookie_check(&only_a, &chk, now.unix_s), -1);

	/* A dropped from previous: A's cookie is refused (RST, counted) */
	st.keys.has_prev = 0;
	sf_board_publish(f->board, &st);
	seg_init(&s, 0, ISN + 300, 0, SF_TCP_SYN);
	s.sport = CPORT + 3;
	(void)syn_synack(f, &s);	/* the probe again */
	seg_init(&s, 0, ISN + 1, c_a + 1, SF_TCP_ACK);
	s.sport = CPORT + 4;	/* not the established flow */
	rx_put_seg(f, &s);
	assert_int_equal(tx_wait(f, 1, WAIT_MS), 1);	/* the RST */
	tx_free(f);
	assert_int_equal(worker_stop(f), 0);
	assert_int_equal(CNT(f, ack_cookie_ok), 1);
	assert_int_equal(CNT(f, ack_cookie_bad), 1);
	assert_int_equal(CNT(f, established), 1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_syn_synack, fx_setup,
						fx_teardown),
		cmocka_unit_test_setup_teardown(test_ack_established, fx_setup,
						fx_teardown),
		cmocka_unit_test_setup_teardown(test_reply_off_no_cmd_ring,
						fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_reply_loop, fx_setup_reply,
						fx_teardown),
		cmocka_unit_test_setup_teardown(test_reply_segments,
						fx_setup_reply, fx_teardown),
		cmocka_unit_test_setup_teardown(test_burst, fx_setup,
						fx_teardown),
		cmocka_unit_test_setup_teardown(test_tx_full,
						fx_setup_small_tx, fx_teardown),
		cmocka_unit_test_setup_teardown(test_idle_expiry,
						fx_setup_idle, fx_teardown),
		cmocka_unit_test_setup_teardown(test_stop_accounting, fx_setup,
						fx_teardown),
		cmocka_unit_test_setup_teardown(test_quit_idle, fx_setup,
						fx_teardown),
		cmocka_unit_test_setup_teardown(test_busy_accounting, fx_setup,
						fx_teardown),
		cmocka_unit_test_setup_teardown(test_busy_idle_reply,
						fx_setup_reply, fx_teardown),
		cmocka_unit_test(test_clock_shift),
		cmocka_unit_test(test_board_publish_read),
		cmocka_unit_test(test_board_torn_read),
		cmocka_unit_test(test_clock_rebase),
		cmocka_unit_test(test_clock_ms_clamp),
		cmocka_unit_test_setup_teardown(test_key_roll_running, fx_setup,
						fx_teardown),
		cmocka_unit_test(test_create_free),
		cmocka_unit_test(test_create_bad_conf),
		cmocka_unit_test(test_create_name_clash),
		cmocka_unit_test(test_pace_table),
		cmocka_unit_test(test_pace_irregular),
		cmocka_unit_test(test_pace_stall_backwards),
		cmocka_unit_test(test_pace_period),
	};
	int ret;

	if (eal_init() != 0)
		return 1;
	/* No per-lcore cache: the pool's count is exact at every moment. */
	pool = sf_unit_pool("sf_test_worker", POOL_N);
	if (pool == NULL) {
		fprintf(stderr, "pool: %s\n", rte_strerror(rte_errno));
		return 1;
	}
	if (port_create(&tports[PORT_NORMAL], "net_ring_sfw0", TX_RING_N) != 0 ||
	    port_create(&tports[PORT_SMALL_TX], "net_ring_sfw1",
			TX_SMALL_N) != 0)
		return 1;

	ret = cmocka_run_group_tests(tests, NULL, NULL);

	port_destroy(&tports[PORT_NORMAL]);
	port_destroy(&tports[PORT_SMALL_TX]);
	rte_mempool_free(pool);
	rte_eal_cleanup();
	return ret;
}
