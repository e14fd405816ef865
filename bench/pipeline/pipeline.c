/* SPDX-License-Identifier: BSD-3-Clause */

/*
 * sf-bench-pipeline: the responder's data path on one core, without a NIC.
 *
 * A ring of N pre-built frames (IPv4 and IPv6 SYNs from many sources, with
 * the option sets clients really send) lives in N mbufs of a pktmbuf pool;
 * each frame also has a template copy of its bytes. Every measurement works
 * in bursts of 32, pass after pass over the ring, and starts each burst with
 * the same refill: copy the frames back from their templates and reset the
 * mbuf fields a PMD's RX would set. Then:
 *
 *   refill       nothing else (the cost every other line includes)
 *   reflect      swap Ethernet addresses, IP addresses and TCP ports: the
 *                cheapest possible "answer in place", the baseline
 *   syn->synack  sf_respond_burst() on a port with checksum offload (RX
 *                checksums reported good, TX checksums requested)
 *   syn sw-csum  the same on a port without offload (checksums in software)
 *   ack->estab   ACKs carrying valid cookies through sf_respond_burst():
 *                shard insert + ESTABLISHED event; mbufs come from the pool
 *                (as a PMD refills its RX ring) since the responder frees a
 *                pure ACK; the shard and event ring are emptied between
 *                passes, outside the timed region
 *   ack check    sf_parse() + sf_cookie_check_burst() on the same ACKs
 *   ack cl50     ack->estab with the closed-flow table half full of live
 *                records of other flows (real traffic closes connections):
 *                every ACK is looked up there, none matches. It runs at
 *                its own clock, 16 windows before the others, with ACKs
 *                whose cookies were made then: at the others' clock those
 *                records have all expired.
 *
 * With --populate P, P established flows of other clients (198.19.0.0/16,
 * 2001:2:0:fe::/64) are inserted in the shard before any run, so that the
 * SYN lookups miss in a shard of P entries instead of an empty one; the
 * ACK line's clean-up removes only the flows its ACKs inserted.
 *
 * Each line is the median of R runs (interleaved: refill, reflect, syn, ...,
 * refill, reflect, ...); rates from rte_rdtsc() and rte_get_tsc_hz().
 *
 * Usage: sf-bench-pipeline [options]
 *        sf-bench-pipeline [EAL options] -- [options]
 * Without "--" the benchmark starts EAL itself: --no-pci, one lcore,
 * hugepages if some are free, else --no-huge.
 */

#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rte_byteorder.h>
#include <rte_common.h>
#include <rte_cycles.h>
#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_ether.h>
#include <rte_ip.h>
#include <rte_lcore.h>
#include <rte_malloc.h>
#include <rte_mbuf.h>
#include <rte_mempool.h>
#include <rte_memcpy.h>
#include <rte_ring.h>
#include <rte_tcp.h>

#include "fr_frame.h"
#include "sf_closed.h"
#include "sf_config.h"
#include "sf_conn.h"
#include "sf_cookie.h"
#include "sf_handoff.h"
#include "sf_net.h"
#include "sf_respond.h"
#include "sf_stats.h"
#include "sf_board.h"
#include "sf_worker.h"

#define BENCH_BURST		32		/* frames per burst, as rx_burst */
#define BENCH_RING_DEFAULT	4096		/* pre-built frames */
#define BENCH_PKTS_DEFAULT	(4u << 20)	/* packets per measurement */
#define BENCH_RUNS_DEFAULT	5		/* runs per measurement (median) */
#define BENCH_RUNS_MAX		101
#define BENCH_SHARD_DEFAULT	65536		/* shard entries */
#define BENCH_POPULATE_MAX	(1u << 25)	/* --populate limit */
#define BENCH_SEED_DEFAULT	0x5f5eed5eedULL
#define BENCH_POOL_CACHE	256		/* mempool per-lcore cache */

#define BENCH_FRAME_COPY	96	/* bytes the refill copies (longest frame: 94) */
#define BENCH_V6_PERCENT	20	/* share of IPv6 flows */

/* The benchmark's clock: fixed, so every precomputed cookie stays valid. */
#define BENCH_UNIX_S		1700000000ULL
#define BENCH_MS		0x12345680u
/* ack cl50's clock: its closed records (alive 2 windows) dead at BENCH_UNIX_S. */
#define BENCH_CL_UNIX_S		(BENCH_UNIX_S - (16u << SF_COOKIE_T_SHIFT))
#define BENCH_CL_FILL_PCT	50	/* live share of the closed table */

/* Our side: one MAC, two responder ports (same MAC) with and without offload. */
#define BENCH_PORT_HW		0	/* SF_TX_IP_CSUM | SF_TX_TCP_CSUM */
#define BENCH_PORT_SW		1	/* no offload */
#define BENCH_MTU		1500
#define BENCH_WINDOW_SYN	64240
#define BENCH_WINDOW_ACK	502
#define BENCH_TTL		64
#define BENCH_MSS_NONE_V4	536	/* MSS without the option (RFC 9293) */
#define BENCH_MSS_NONE_V6	1220

/* The SYN option sets, with their share of the flows (percent). */
enum bench_optset {
	OPTS_NONE,	/* no options (20%) */
	OPTS_MSS,	/* MSS only (20%) */
	OPTS_LINUX,	/* MSS, SACK_PERM, TS, NOP, WS: Linux's 20 bytes (50%) */
	OPTS_TS_NOWS,	/* MSS, SACK_PERM, TS: Linux without window scaling (10%) */
};

/* One template: the frame's bytes, cache-aligned, plus what the refill sets. */
struct bench_frame {
	uint8_t bytes[BENCH_FRAME_COPY];
	uint16_t len;		/* frame length */
	uint32_t ptype;		/* RTE_PTYPE_* a NIC would report */
} __rte_cache_aligned;

/* What setup and verification know of a flow (never read while timing). */
struct bench_flow {
	struct sf_flow flow;	/* the client's flow, as the responder sees it */
	struct sf_tcp_opts opts;	/* the SYN's options */
	uint32_t isn;		/* client ISN (SYN seq) */
	uint32_t cookie;	/* cookie precomputed for the ACK */
	uint8_t opt;		/* the cookie's opt byte */
	uint8_t optset;		/* enum bench_optset */
	struct rte_ether_addr cli_mac;
};

/* The measurements, in the order of one interleaved round. */
enum bench_kind {
	BK_REFILL,
	BK_REFLECT,
	BK_SYN,
	BK_SYN_SW,
	BK_SYN_GEN,
	BK_ACK,
	BK_ACK_CHECK,
	BK_ACK_CL,
	BK_PARSE,	/* --breakdown: the responder's steps one by one */
	BK_LOOKUP,
	BK_COOKIE,
	BK_BUILD,
	BK_MAX
};

/* The measurements run by default (the rest with --breakdown). */
#define BENCH_DEFAULT_MASK	((1u << BK_PARSE) - 1)
#define BENCH_BREAKDOWN_MASK	(((1u << BK_MAX) - 1) & ~BENCH_DEFAULT_MASK)

static const char *const bench_kind_name[BK_MAX] = {
	[BK_REFILL] = "refill",
	[BK_REFLECT] = "reflect",
	[BK_SYN] = "syn",
	[BK_SYN_SW] = "synsw",
	[BK_SYN_GEN] = "syngen",
	[BK_ACK] = "ack",
	[BK_ACK_CHECK] = "ackchk",
	[BK_ACK_CL] = "ackcl",
	[BK_PARSE] = "parse",
	[BK_LOOKUP] = "lookup",
	[BK_COOKIE] = "cookie",
	[BK_BUILD] = "build",
};

static const char *const bench_kind_label[BK_MAX] = {
	[BK_REFILL] = "refill only",
	[BK_REFLECT] = "reflect",
	[BK_SYN] = "syn->synack",
	[BK_SYN_SW] = "syn->synack sw",
	[BK_SYN_GEN] = "syn->synack gen",
	[BK_ACK] = "ack->estab",
	[BK_ACK_CHECK] = "ack check",
	[BK_ACK_CL] = "ack->estab cl50",
	[BK_PARSE] = "  sf_parse",
	[BK_LOOKUP] = "  lookup_bulk",
	[BK_COOKIE] = "  cookie_make",
	[BK_BUILD] = "  sf_build_tcp",
};

static const char *const bench_kind_note[BK_MAX] = {
	[BK_REFILL] = "template copy + mbuf reset",
	[BK_REFLECT] = "",
	[BK_SYN] = "csum offload",
	[BK_SYN_SW] = "software csums",
	[BK_SYN_GEN] = "csum offload, board generation checked per burst",
	[BK_ACK] = "insert + event, mbuf alloc/free",
	[BK_ACK_CHECK] = "sf_parse + sf_cookie_check_burst",
	[BK_ACK_CL] = "ack->estab, closed table 50 % live",
	[BK_PARSE] = "refill + sf_parse of the SYNs",
	[BK_LOOKUP] = "sf_conn_lookup_bulk, 32 misses, no refill",
	[BK_COOKIE] = "sf_cookie_make_burst of 32, no refill",
	[BK_BUILD] = "refill + sf_build_tcp SYN-ACK, offload",
};

/* Options and state of the run. */
struct bench {
	/* options */
	uint64_t pkts;		/* packets per measurement (rounded to passes) */
	unsigned int runs;
	unsigned int n;		/* frames in the ring, multiple of BENCH_BURST */
	uint64_t seed;
	unsigned int lcore;
	uint32_t shard_entries;
	bool shard_set;		/* --shard given */
	uint32_t populate;	/* established flows inserted before the runs */
	unsigned int only;	/* bit mask of enum bench_kind */
	bool verbose;
	/* state */
	struct rte_mempool *pool;
	struct rte_mbuf **ring;		/* N mbufs, refilled in place */
	struct bench_frame *syn;	/* N SYN templates */
	struct bench_frame *ack;	/* N ACK templates (same flows) */
	struct bench_frame *ack_cl;	/* the same at BENCH_CL_UNIX_S */
	struct bench_flow *flows;	/* N flows */
	struct sf_pkt *parsed;		/* N parsed SYNs (--breakdown) */
	struct sf_cookie_req *reqs;	/* N cookie requests (--breakdown) */
	struct sf_config cfg;
	struct sf_worker *worker;	/* owns the four below */
	struct sf_board *board;		/* keys and clock, as the app's */
	struct sf_conn_shard *shard;
	const struct sf_conn_hash_key *hk;	/* the shard's */
	struct rte_ring *evring;
	struct sf_stats *stats;
	struct sf_responder *resp;
	struct sf_closed *closed;	/* the worker's closed-flow table */
	struct rte_ether_addr mac;
	uint64_t hz;
	unsigned int pool_avail;	/* free mbufs with the ring taken */
};

static uint64_t bench_rng;

/* xorshift64*: setup randomness, reproducible from --seed. */
static uint64_t
bench_rand(void)
{
	bench_rng ^= bench_rng >> 12;
	bench_rng ^= bench_rng << 25;
	bench_rng ^= bench_rng >> 27;
	return bench_rng * 0x2545f4914f6cdd1dULL;
}

static void
die(const char *what)
{
	fprintf(stderr, "sf-bench-pipeline: %s\n", what);
	exit(EXIT_FAILURE);
}

/* ------------------------------------------------------------------ */
/* Frames                                                             */
/* ------------------------------------------------------------------ */

/*
 * The frames are written by the test frame builder (tests/frame/fr_frame.h),
 * independently of lib/net: the benchmark measures lib/net on them.
 */

/*
 * The client's segment of flow @p f to our MAC, without options: IPv4 (DF,
 * TTL 64, a random id) or IPv6 (hop limit 64).
 */
static void
flow_seg(struct fr_tcp *t, const struct bench_flow *f,
	 const struct rte_ether_addr *mac, uint8_t flags, uint32_t seq,
	 uint32_t ack, uint16_t window)
{
	fr_tcp_init(t, f->flow.family == SF_AF_INET6);
	memcpy(t->eth.dst, mac, sizeof(t->eth.dst));
	memcpy(t->eth.src, &f->cli_mac, sizeof(t->eth.src));
	memcpy(t->ip.src, f->flow.cli_addr, sizeof(t->ip.src));
	memcpy(t->ip.dst, f->flow.srv_addr, sizeof(t->ip.dst));
	t->ip.ttl = BENCH_TTL;
	if (f->flow.family == SF_AF_INET)
		t->ip.id = (uint16_t)bench_rand();
	t->sport = rte_be_to_cpu_16(f->flow.cli_port);
	t->dport = rte_be_to_cpu_16(f->flow.srv_port);
	t->seq = seq;
	t->ack = ack;
	t->flags = flags;
	t->win = window;
}

/* The SYN's options, in Linux's order (fr_frame's default). */
static void
syn_options(struct fr_tcp *t, const struct bench_flow *f)
{
	if (f->optset == OPTS_NONE)
		return;
	t->mss = f->opts.mss;
	if (f->optset == OPTS_MSS)
		return;
	t->sack_ok = 1;
	t->ts = 1;
	t->tsval = f->opts.tsval;
	t->tsecr = 0;
	if (f->optset == OPTS_LINUX)
		t->ws = f->opts.wscale;
}

/* The final ACK's options: NOP NOP TS when the SYN had TS. */
static void
ack_options(struct fr_tcp *t, const struct bench_flow *f, int ts_on)
{
	if (!(f->opts.ts_ok && ts_on))
		return;
	t->ts = 1;
	t->tsval = f->opts.tsval + 1;
	/* our SYN-ACK's TSval: the ms clock, low 6 bits replaced by opt */
	t->tsecr = (BENCH_MS & ~0x3fu) | f->opt;
}

/* The template of segment @p t, checksums all correct. */
static void
build_frame(struct bench_frame *fr, const struct fr_tcp *t)
{
	struct fr_hdrs h;

	memset(fr, 0, sizeof(*fr));
	if (fr_build_tcp(fr->bytes, sizeof(fr->bytes), t, &h) == 0)
		die("frame template too long");
	fr->len = (uint16_t)h.len;
	fr->ptype = RTE_PTYPE_L2_ETHER | RTE_PTYPE_L4_TCP |
		(h.v6 ? RTE_PTYPE_L3_IPV6 : RTE_PTYPE_L3_IPV4);
}

/* Our MSS cap for a family, as the responder derives it. */
static uint16_t
mss_cap(const struct sf_config *cfg, uint8_t family)
{
	return sf_cookie_mss_cap(family, cfg->mss_max, BENCH_MTU);
}

/* A random flow: client 198.18.x.y or 2001:2:0:x::/64, to a VIP port. */
static void
make_flow(struct bench_flow *f, const struct sf_config *cfg)
{
	static const uint16_t mss_v4[] = { 1460, 1460, 1440, 1400, 1380, 536, 8960 };
	static const uint16_t mss_v6[] = { 1440, 1440, 1420, 1380, 1220, 8940 };
	uint64_t r = bench_rand();
	uint8_t family = (r % 100) < BENCH_V6_PERCENT ? SF_AF_INET6 : SF_AF_INET;
	unsigned int pct = (unsigned int)((r >> 8) % 100);
	unsigned int i;

	memset(f, 0, sizeof(*f));
	f->flow.family = family;
	/* the VIP of the family: the first one configured */
	for (i = 0; i < cfg->n_vips; i++)
		if (cfg->vips[i].family == family)
			break;
	if (i == cfg->n_vips)
		die("no VIP of a family the frames use");
	memcpy(f->flow.srv_addr, cfg->vips[i].addr, 16);
	if (family == SF_AF_INET) {
		/* 198.18.x.y, x 1..255 (never a VIP), y 1..254 */
		f->flow.cli_addr[0] = 198;
		f->flow.cli_addr[1] = 18;
		f->flow.cli_addr[2] = (uint8_t)(1 + (r >> 16) % 255);
		f->flow.cli_addr[3] = (uint8_t)(1 + (r >> 24) % 254);
	} else {
		uint64_t lo = bench_rand();

		/* 2001:2:0:x:lo (x never 0, so never a VIP) */
		f->flow.cli_addr[0] = 0x20;
		f->flow.cli_addr[1] = 0x01;
		f->flow.cli_addr[3] = 0x02;
		f->flow.cli_addr[6] = (uint8_t)(r >> 16);
		f->flow.cli_addr[7] = (uint8_t)((r >> 24) | 1);
		memcpy(&f->flow.cli_addr[8], &lo, 8);
	}
	f->flow.cli_port = rte_cpu_to_be_16((uint16_t)(1024 + (r >> 32) % 64512));
	f->flow.srv_port = rte_cpu_to_be_16(cfg->ports[(r >> 48) % cfg->n_ports]);
	f->isn = (uint32_t)bench_rand();

	f->optset = pct < 20 ? OPTS_NONE : pct < 40 ? OPTS_MSS :
		pct < 90 ? OPTS_LINUX : OPTS_TS_NOWS;
	f->opts.wscale = SF_WSCALE_NONE;
	if (f->optset != OPTS_NONE)
		f->opts.mss = family == SF_AF_INET ?
			mss_v4[(r >> 56) % RTE_DIM(mss_v4)] :
			mss_v6[(r >> 56) % RTE_DIM(mss_v6)];
	if (f->optset == OPTS_LINUX || f->optset == OPTS_TS_NOWS) {
		f->opts.sack_ok = 1;
		f->opts.ts_ok = 1;
		f->opts.tsval = (uint32_t)bench_rand();
	}
	if (f->optset == OPTS_LINUX)
		f->opts.wscale = 7;

	r = bench_rand();
	f->cli_mac.addr_bytes[0] = 0x02;	/* locally administered unicast */
	memcpy(&f->cli_mac.addr_bytes[1], &r, 5);
}

/* Build the N flows, their SYN templates and their valid-cookie ACKs. */
static void
build_frames(struct bench *b)
{
	unsigned int i;

	for (i = 0; i < b->n; i++) {
		struct bench_flow *f = &b->flows[i];
		struct sf_cookie_req req;
		struct fr_tcp t;

		make_flow(f, &b->cfg);
		flow_seg(&t, f, &b->mac, SF_TCP_SYN, f->isn, 0, BENCH_WINDOW_SYN);
		syn_options(&t, f);
		build_frame(&b->syn[i], &t);

		f->opt = sf_cookie_opt_encode(&f->opts, b->cfg.timestamps,
					      b->cfg.window_scaling,
					      b->cfg.sack);
		req.flow = &f->flow;
		req.client_isn = f->isn;
		req.mss_idx = sf_cookie_mss_index(f->flow.family, f->opts.mss,
						  mss_cap(&b->cfg,
							  f->flow.family));
		req.opt = f->opt;
		f->cookie = sf_cookie_make(&b->cfg.keys.cur, &req,
					   BENCH_UNIX_S);
		flow_seg(&t, f, &b->mac, SF_TCP_ACK, f->isn + 1, f->cookie + 1,
			 BENCH_WINDOW_ACK);
		ack_options(&t, f, b->cfg.timestamps);
		build_frame(&b->ack[i], &t);
		t.ack = sf_cookie_make(&b->cfg.keys.cur, &req,
				       BENCH_CL_UNIX_S) + 1;
		build_frame(&b->ack_cl[i], &t);
	}
}

/* ------------------------------------------------------------------ */
/* The timed work                                                      */
/* ------------------------------------------------------------------ */

/* RX checksum flags a NIC with offload sets; none without. */
#define BENCH_RX_OL_HW	(RTE_MBUF_F_RX_IP_CKSUM_GOOD | RTE_MBUF_F_RX_L4_CKSUM_GOOD)
#define BENCH_RX_OL_SW	0

/*
 * The refill every measurement does: restore the frame bytes from their
 * templates and the mbuf fields a PMD's RX sets.
 */
static inline void
bench_refill(struct rte_mbuf **m, const struct bench_frame *fr,
	     unsigned int n, uint64_t ol_flags)
{
	unsigned int i;

	for (i = 0; i < n; i++) {
		struct rte_mbuf *mb = m[i];

		mb->data_off = RTE_PKTMBUF_HEADROOM;
		mb->data_len = fr[i].len;
		mb->pkt_len = fr[i].len;
		mb->ol_flags = ol_flags;
		mb->packet_type = fr[i].ptype;
		mb->port = 0;
		rte_memcpy(rte_pktmbuf_mtod(mb, uint8_t *), fr[i].bytes,
			   BENCH_FRAME_COPY);
	}
}

/* The baseline answer: swap Ethernet addresses, IP addresses, TCP ports. */
static inline void
bench_reflect(struct rte_mbuf **m, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++) {
		uint8_t *p = rte_pktmbuf_mtod(m[i], uint8_t *);
		struct rte_ether_hdr *eh = (struct rte_ether_hdr *)p;
		struct rte_ether_addr ea = eh->dst_addr;
		struct rte_tcp_hdr *th;
		uint16_t port;

		eh->dst_addr = eh->src_addr;
		eh->src_addr = ea;
		if (eh->ether_type == RTE_BE16(RTE_ETHER_TYPE_IPV4)) {
			struct rte_ipv4_hdr *ip = (struct rte_ipv4_hdr *)(eh + 1);
			rte_be32_t a = ip->src_addr;

			ip->src_addr = ip->dst_addr;
			ip->dst_addr = a;
			th = (struct rte_tcp_hdr *)((uint8_t *)ip +
						    rte_ipv4_hdr_len(ip));
		} else {
			struct rte_ipv6_hdr *ip6 = (struct rte_ipv6_hdr *)(eh + 1);
			uint8_t a[16];

			memcpy(a, ip6->src_addr, 16);
			memcpy(ip6->src_addr, ip6->dst_addr, 16);
			memcpy(ip6->dst_addr, a, 16);
			th = (struct rte_tcp_hdr *)(ip6 + 1);
		}
		port = th->src_port;
		th->src_port = th->dst_port;
		th->dst_port = port;
	}
}

/* Outcome of one measurement. */
struct bench_result {
	uint64_t cycles;	/* timed cycles */
	uint64_t pkts;		/* packets worked */
	uint64_t out;		/* replies / valid cookies / events */
	bool bad;		/* a burst went wrong: stop */
};

static inline struct sf_clock
bench_clock(uint64_t unix_s)
{
	struct sf_clock c = {
		.tsc = rte_rdtsc(),
		.unix_s = unix_s,
		.ms = BENCH_MS,
	};

	return c;
}

static uint64_t
bench_passes(const struct bench *b)
{
	return (b->pkts + b->n - 1) / b->n;
}

/* not inlined: profiles name every measurement */
static __rte_noinline void
run_refill(struct bench *b, struct bench_result *res)
{
	uint64_t passes = bench_passes(b), p, t0;
	unsigned int j;

	t0 = rte_rdtsc();
	for (p = 0; p < passes; p++)
		for (j = 0; j < b->n; j += BENCH_BURST)
			bench_refill(&b->ring[j], &b->syn[j], BENCH_BURST,
				     BENCH_RX_OL_HW);
	res->cycles = rte_rdtsc() - t0;
	res->pkts = passes * b->n;
	res->out = res->pkts;
}

static __rte_noinline void
run_reflect(struct bench *b, struct bench_result *res)
{
	uint64_t passes = bench_passes(b), p, t0;
	unsigned int j;

	t0 = rte_rdtsc();
	for (p = 0; p < passes; p++)
		for (j = 0; j < b->n; j += BENCH_BURST) {
			bench_refill(&b->ring[j], &b->syn[j], BENCH_BURST,
				     BENCH_RX_OL_HW);
			bench_reflect(&b->ring[j], BENCH_BURST);
		}
	res->cycles = rte_rdtsc() - t0;
	res->pkts = passes * b->n;
	res->out = res->pkts;
}

/*
 * SYN -> SYN-ACK. Replies are the received mbufs, rewritten in place: all
 * of them must come back (a dropped frame would have been freed to the pool
 * while the ring still holds it), so a short burst stops the measurement.
 * With @p board, each burst first compares the board's generation with the
 * one copied, as each turn of the worker's loop does (syngen): what that
 * check costs.
 */
static __rte_always_inline void
bench_syn(struct bench *b, uint16_t port, const struct sf_board *board,
	  struct bench_result *res)
{
	uint64_t ol = port == BENCH_PORT_HW ? BENCH_RX_OL_HW : BENCH_RX_OL_SW;
	uint64_t passes = bench_passes(b), p, t0, out = 0, done = 0, gen = 0;
	struct rte_mbuf *burst[BENCH_BURST], *tx[BENCH_BURST];
	struct sf_board_state st;
	unsigned int j, k;
	uint16_t nb;

	if (board != NULL)
		gen = sf_board_read(board, &st);
	t0 = rte_rdtsc();
	for (p = 0; p < passes; p++)
		for (j = 0; j < b->n; j += BENCH_BURST) {
			struct sf_clock now;

			if (board != NULL &&
			    unlikely(sf_board_gen(board) != gen))
				gen = sf_board_read(board, &st);
			bench_refill(&b->ring[j], &b->syn[j], BENCH_BURST, ol);
			for (k = 0; k < BENCH_BURST; k++)
				burst[k] = b->ring[j + k];
			now = bench_clock(BENCH_UNIX_S);
			nb = sf_respond_burst(b->resp, port, burst, BENCH_BURST,
					      &now, tx);
			out += nb;
			done += BENCH_BURST;
			if (unlikely(nb != BENCH_BURST)) {
				res->bad = true;
				goto out;
			}
		}
out:
	res->cycles = rte_rdtsc() - t0;
	res->pkts = done;
	res->out = out;
}

/* not inlined: profiles name every measurement */
static __rte_noinline void
run_syn(struct bench *b, uint16_t port, struct bench_result *res)
{
	bench_syn(b, port, NULL, res);
}

static __rte_noinline void
run_syn_gen(struct bench *b, struct bench_result *res)
{
	bench_syn(b, BENCH_PORT_HW, b->board, res);
}

/*
 * Empty the event ring after a pass of ACKs and remove from the shard the
 * flows of its ESTABLISHED events (the ones the pass inserted; the
 * --populate entries are other flows and stay). Returns the ESTABLISHED
 * events seen.
 */
static uint64_t
ack_cleanup(struct bench *b)
{
	struct sf_event ev[BENCH_BURST];
	uint64_t est = 0;
	unsigned int i, n;

	while ((n = sf_handoff_dequeue_burst(b->evring, ev, BENCH_BURST)) > 0)
		for (i = 0; i < n; i++) {
			struct sf_conn *c = sf_conn_lookup(b->shard,
				&ev[i].flow, sf_conn_hash(b->hk, &ev[i].flow));

			if (ev[i].type == SF_EV_ESTABLISHED) {
				est++;
				if (c != NULL)
					sf_conn_remove(b->shard, c);
			}
			sf_event_release(&ev[i]);
		}
	return est;
}

/*
 * ACK -> ESTABLISHED through the responder. A valid pure ACK gets no reply
 * and its mbuf is freed by the responder, so each burst takes fresh mbufs
 * from the pool (what a PMD does to refill its RX ring), then the same
 * refill. Each pass is timed alone; between passes (not timed) the events
 * are drained and the entries removed, so every pass starts from an empty
 * ring and a shard holding only the --populate entries. The ACKs are
 * @p tmpl, at clock @p unix_s.
 */
static __rte_noinline void
run_ack(struct bench *b, const struct bench_frame *tmpl, uint64_t unix_s,
	struct bench_result *res)
{
	uint64_t passes = bench_passes(b), p, t0, cycles = 0, est = 0;
	uint64_t done = 0;
	struct rte_mbuf *burst[BENCH_BURST], *tx[BENCH_BURST];
	unsigned int j;
	uint16_t nb;

	for (p = 0; p < passes && !res->bad; p++) {
		t0 = rte_rdtsc();
		for (j = 0; j < b->n; j += BENCH_BURST) {
			struct sf_clock now;

			if (unlikely(rte_pktmbuf_alloc_bulk(b->pool, burst,
							    BENCH_BURST) != 0)) {
				res->bad = true;
				break;
			}
			bench_refill(burst, &tmpl[j], BENCH_BURST,
				     BENCH_RX_OL_HW);
			now = bench_clock(unix_s);
			nb = sf_respond_burst(b->resp, BENCH_PORT_HW, burst,
					      BENCH_BURST, &now, tx);
			if (unlikely(nb != 0)) {
				/* no reply expected: "send" them (free) */
				rte_pktmbuf_free_bulk(tx, nb);
				res->bad = true;
			}
			done += BENCH_BURST;
		}
		cycles += rte_rdtsc() - t0;
		est += ack_cleanup(b);
	}
	res->cycles = cycles;
	res->pkts = done;
	res->out = est;
}

/* ACK validation alone: parse each frame, check the burst's cookies. */
static __rte_noinline void
run_ack_check(struct bench *b, struct bench_result *res)
{
	uint64_t passes = bench_passes(b), p, t0, ok = 0;
	struct sf_pkt pkt[BENCH_BURST];
	struct sf_cookie_chk chk[BENCH_BURST];
	int r[BENCH_BURST];
	unsigned int j, k, nc;

	t0 = rte_rdtsc();
	for (p = 0; p < passes; p++)
		for (j = 0; j < b->n; j += BENCH_BURST) {
			bench_refill(&b->ring[j], &b->ack[j], BENCH_BURST,
				     BENCH_RX_OL_HW);
			nc = 0;
			for (k = 0; k < BENCH_BURST; k++) {
				struct rte_mbuf *m = b->ring[j + k];
				struct sf_pkt *pk = &pkt[nc];

				if (sf_parse(rte_pktmbuf_mtod(m, uint8_t *),
					     m->data_len, SF_RX_IP_CSUM_GOOD |
					     SF_RX_L4_CSUM_GOOD, pk) != SF_NET_OK ||
				    pk->tcp_flags != SF_TCP_ACK)
					continue;
				chk[nc].flow = &pk->flow;
				chk[nc].client_isn = pk->seq - 1;
				chk[nc].cookie = pk->ack - 1;
				chk[nc].opt = pk->opts.ts_ok ?
					(uint8_t)(pk->opts.tsecr & 0x3f) :
					SF_COOKIE_OPT_NONE;
				nc++;
			}
			sf_cookie_check_burst(&b->cfg.keys, chk, nc,
					      BENCH_UNIX_S, r);
			for (k = 0; k < nc; k++)
				ok += r[k] >= 0;
		}
	res->cycles = rte_rdtsc() - t0;
	res->pkts = passes * b->n;
	res->out = ok;
}

/*
 * --breakdown: the responder's steps one at a time, each over the whole
 * ring in bursts of 32, to see where sf_respond_burst's time goes in
 * nanoseconds rather than instructions. Each runs hot, on its own.
 */
static __rte_noinline void
run_parse(struct bench *b, struct bench_result *res)
{
	uint64_t passes = bench_passes(b), p, t0, ok = 0;
	struct sf_pkt pkt;
	unsigned int j, k;

	t0 = rte_rdtsc();
	for (p = 0; p < passes; p++)
		for (j = 0; j < b->n; j += BENCH_BURST) {
			bench_refill(&b->ring[j], &b->syn[j], BENCH_BURST,
				     BENCH_RX_OL_HW);
			for (k = 0; k < BENCH_BURST; k++) {
				struct rte_mbuf *m = b->ring[j + k];

				ok += sf_parse(rte_pktmbuf_mtod(m, uint8_t *),
					       m->data_len, SF_RX_IP_CSUM_GOOD |
					       SF_RX_L4_CSUM_GOOD, &pkt) ==
					SF_NET_OK;
			}
		}
	res->cycles = rte_rdtsc() - t0;
	res->pkts = passes * b->n;
	res->out = ok;
}

static __rte_noinline void
run_lookup(struct bench *b, struct bench_result *res)
{
	uint64_t passes = bench_passes(b), p, t0, miss = 0;
	const struct sf_flow *keys[BENCH_BURST];
	struct sf_conn *out[BENCH_BURST];
	uint32_t sigs[BENCH_BURST];
	unsigned int j, k;

	t0 = rte_rdtsc();
	for (p = 0; p < passes; p++)
		for (j = 0; j < b->n; j += BENCH_BURST) {
			for (k = 0; k < BENCH_BURST; k++) {
				keys[k] = &b->parsed[j + k].flow;
				sigs[k] = sf_conn_hash(b->hk, keys[k]);
			}
			miss += BENCH_BURST - sf_conn_lookup_bulk(b->shard,
						keys, sigs, BENCH_BURST, out);
		}
	res->cycles = rte_rdtsc() - t0;
	res->pkts = passes * b->n;
	res->out = miss;
}

static __rte_noinline void
run_cookie(struct bench *b, struct bench_result *res)
{
	uint64_t passes = bench_passes(b), p, t0, sum = 0;
	uint32_t cookies[BENCH_BURST];
	unsigned int j;

	t0 = rte_rdtsc();
	for (p = 0; p < passes; p++)
		for (j = 0; j < b->n; j += BENCH_BURST) {
			sf_cookie_make_burst(&b->cfg.keys.cur, &b->reqs[j],
					     BENCH_BURST, BENCH_UNIX_S, cookies);
			sum += cookies[0];
		}
	res->cycles = rte_rdtsc() - t0;
	res->pkts = passes * b->n;
	res->out = sum != 0 ? res->pkts : 0;
}

static __rte_noinline void
run_build(struct bench *b, struct bench_result *res)
{
	uint64_t passes = bench_passes(b), p, t0, built = 0;
	unsigned int j, k;

	t0 = rte_rdtsc();
	for (p = 0; p < passes; p++)
		for (j = 0; j < b->n; j += BENCH_BURST) {
			bench_refill(&b->ring[j], &b->syn[j], BENCH_BURST,
				     BENCH_RX_OL_HW);
			for (k = 0; k < BENCH_BURST; k++) {
				struct rte_mbuf *m = b->ring[j + k];
				const struct sf_pkt *pk = &b->parsed[j + k];
				struct sf_tcp_reply tr = {
					.seq = b->flows[j + k].cookie,
					.ack = pk->seq + 1,
					.window = b->cfg.window,
					.flags = SF_TCP_SYN | SF_TCP_ACK,
					.mss = 1460,
					.wscale = pk->opts.wscale,
					.sack_ok = pk->opts.sack_ok,
					.ts_ok = pk->opts.ts_ok,
					.tsval = BENCH_MS,
					.tsecr = pk->opts.tsval,
				};
				uint32_t ol;

				built += sf_build_tcp(rte_pktmbuf_mtod(m, uint8_t *),
						      (uint16_t)(m->buf_len - m->data_off),
						      pk, &b->mac, &tr,
						      SF_TX_IP_CSUM | SF_TX_TCP_CSUM,
						      &ol) != 0;
			}
		}
	res->cycles = rte_rdtsc() - t0;
	res->pkts = passes * b->n;
	res->out = built;
}

/* Parse every SYN once, for the lookup/cookie/build steps. */
static void
breakdown_setup(struct bench *b)
{
	unsigned int i;

	b->parsed = rte_zmalloc("bench_parsed", b->n * sizeof(*b->parsed),
				RTE_CACHE_LINE_SIZE);
	b->reqs = rte_zmalloc("bench_reqs", b->n * sizeof(*b->reqs),
			      RTE_CACHE_LINE_SIZE);
	if (b->parsed == NULL || b->reqs == NULL)
		die("rte_zmalloc failed");
	for (i = 0; i < b->n; i++) {
		struct bench_flow *f = &b->flows[i];

		if (sf_parse(b->syn[i].bytes, b->syn[i].len, 0,
			     &b->parsed[i]) != SF_NET_OK)
			die("breakdown: a SYN template does not parse");
		b->reqs[i].flow = &b->parsed[i].flow;
		b->reqs[i].client_isn = f->isn;
		b->reqs[i].mss_idx = sf_cookie_mss_index(f->flow.family,
							 f->opts.mss,
							 mss_cap(&b->cfg,
								 f->flow.family));
		b->reqs[i].opt = f->opt;
	}
}

/* ------------------------------------------------------------------ */
/* Verification (not timed)                                           */
/* ------------------------------------------------------------------ */

static void
print_stats_delta(const struct sf_stats *before, const struct sf_stats *now)
{
	unsigned int c;

	for (c = 0; c < SF_CNT_MAX; c++)
		if (now->cnt[c] != before->cnt[c])
			fprintf(stderr, "  %-18s +%" PRIu64 "\n",
				sf_stats_name(c), now->cnt[c] - before->cnt[c]);
	for (c = 0; c < SF_NET_REASON_MAX; c++)
		if (now->reason[c] != before->reason[c])
			fprintf(stderr, "  drop %-13s +%" PRIu64 "\n",
				sf_net_reason_str(c),
				now->reason[c] - before->reason[c]);
}

/* A TCP checksum over @p len bytes is right when the sum folds to 0xffff. */
static bool
l4_csum_ok(const void *l4, unsigned int len, uint16_t phdr)
{
	uint32_t sum = (uint32_t)rte_raw_cksum(l4, len) + phdr;

	sum = (sum & 0xffff) + (sum >> 16);
	sum = (sum & 0xffff) + (sum >> 16);
	return sum == 0xffff;
}

/* Check one SYN-ACK against the flow it answers; NULL when good. */
static const char *
check_synack(const struct bench *b, const struct rte_mbuf *m,
	     const struct bench_flow *f, bool hw)
{
	const uint8_t *p = rte_pktmbuf_mtod(m, const uint8_t *);
	const struct rte_ether_hdr *eh = (const struct rte_ether_hdr *)p;
	const struct rte_tcp_hdr *th;
	struct sf_tcp_opts o;
	struct sf_cookie_chk chk;
	unsigned int doff;

	if (!rte_is_same_ether_addr(&eh->dst_addr, &f->cli_mac) ||
	    !rte_is_same_ether_addr(&eh->src_addr, &b->mac))
		return "Ethernet addresses";
	if (f->flow.family == SF_AF_INET) {
		const struct rte_ipv4_hdr *ip = (const struct rte_ipv4_hdr *)(eh + 1);

		if (eh->ether_type != RTE_BE16(RTE_ETHER_TYPE_IPV4) ||
		    memcmp(&ip->src_addr, f->flow.srv_addr, 4) != 0 ||
		    memcmp(&ip->dst_addr, f->flow.cli_addr, 4) != 0)
			return "IPv4 addresses";
		th = (const struct rte_tcp_hdr *)((const uint8_t *)ip +
						  rte_ipv4_hdr_len(ip));
		if (hw) {
			if ((m->ol_flags & (RTE_MBUF_F_TX_IP_CKSUM |
					    RTE_MBUF_F_TX_TCP_CKSUM)) !=
			    (RTE_MBUF_F_TX_IP_CKSUM | RTE_MBUF_F_TX_TCP_CKSUM))
				return "TX offload flags";
		} else {
			if (rte_raw_cksum(ip, rte_ipv4_hdr_len(ip)) != 0xffff)
				return "IPv4 header checksum";
			if (!l4_csum_ok(th, rte_be_to_cpu_16(ip->total_length) -
					rte_ipv4_hdr_len(ip),
					rte_ipv4_phdr_cksum(ip, 0)))
				return "TCP checksum (IPv4)";
		}
	} else {
		const struct rte_ipv6_hdr *ip6 = (const struct rte_ipv6_hdr *)(eh + 1);

		if (eh->ether_type != RTE_BE16(RTE_ETHER_TYPE_IPV6) ||
		    memcmp(ip6->src_addr, f->flow.srv_addr, 16) != 0 ||
		    memcmp(ip6->dst_addr, f->flow.cli_addr, 16) != 0)
			return "IPv6 addresses";
		th = (const struct rte_tcp_hdr *)(ip6 + 1);
		if (hw) {
			if ((m->ol_flags & RTE_MBUF_F_TX_TCP_CKSUM) == 0)
				return "TX offload flags";
		} else if (!l4_csum_ok(th, rte_be_to_cpu_16(ip6->payload_len),
				       rte_ipv6_phdr_cksum(ip6, 0))) {
			return "TCP checksum (IPv6)";
		}
	}
	if (th->src_port != f->flow.srv_port || th->dst_port != f->flow.cli_port)
		return "TCP ports";
	if (th->tcp_flags != (SF_TCP_SYN | SF_TCP_ACK))
		return "TCP flags";
	if (rte_be_to_cpu_32(th->recv_ack) != f->isn + 1)
		return "ack number";
	doff = (unsigned int)(th->data_off >> 4) * 4;
	if (doff < sizeof(*th) ||
	    (const uint8_t *)th + doff > p + rte_pktmbuf_data_len(m) ||
	    sf_tcp_opts_parse((const uint8_t *)(th + 1),
			      doff - (unsigned int)sizeof(*th), &o) != 0)
		return "TCP options";
	if ((o.ts_ok != 0) != (f->opts.ts_ok && b->cfg.timestamps))
		return "timestamps option";
	chk.flow = &f->flow;
	chk.client_isn = f->isn;
	chk.cookie = rte_be_to_cpu_32(th->sent_seq);
	chk.opt = o.ts_ok ? (uint8_t)(o.tsval & 0x3f) : SF_COOKIE_OPT_NONE;
	if (sf_cookie_check(&b->cfg.keys, &chk, BENCH_UNIX_S) < 0)
		return "cookie does not validate";
	return NULL;
}

/* One untimed pass of SYNs on @p port, every reply checked. */
static void
verify_syn(struct bench *b, uint16_t port)
{
	uint64_t ol = port == BENCH_PORT_HW ? BENCH_RX_OL_HW : BENCH_RX_OL_SW;
	struct rte_mbuf *burst[BENCH_BURST], *tx[BENCH_BURST];
	struct sf_stats before = *b->stats;
	unsigned int j, k, i;
	char msg[160];

	for (j = 0; j < b->n; j += BENCH_BURST) {
		struct sf_clock now = bench_clock(BENCH_UNIX_S);
		uint16_t nb;

		bench_refill(&b->ring[j], &b->syn[j], BENCH_BURST, ol);
		for (k = 0; k < BENCH_BURST; k++)
			burst[k] = b->ring[j + k];
		nb = sf_respond_burst(b->resp, port, burst, BENCH_BURST, &now,
				      tx);
		if (nb != BENCH_BURST) {
			fprintf(stderr, "port %u: %u replies to a burst of %u SYNs; counters:\n",
				port, nb, BENCH_BURST);
			print_stats_delta(&before, b->stats);
			die("SYN verification failed (frames not all answered in place)");
		}
		for (k = 0; k < nb; k++) {
			const char *why;

			for (i = 0; i < BENCH_BURST; i++)
				if (tx[k] == b->ring[j + i])
					break;
			if (i == BENCH_BURST)
				die("a SYN-ACK is not one of the received mbufs (not in place)");
			why = check_synack(b, tx[k], &b->flows[j + i],
					   port == BENCH_PORT_HW);
			if (why != NULL) {
				snprintf(msg, sizeof(msg),
					 "SYN-ACK %u (port %u): %s", j + i,
					 port, why);
				die(msg);
			}
		}
	}
	if (rte_mempool_avail_count(b->pool) != b->pool_avail)
		die("the pool count changed during SYN verification");
}

/* One untimed pass of ACKs @p tmpl at @p unix_s: every one must establish. */
static void
verify_ack(struct bench *b, const struct bench_frame *tmpl, uint64_t unix_s)
{
	struct bench_result res = { 0 };
	struct sf_stats before = *b->stats;
	uint64_t save = b->pkts;

	b->pkts = b->n;
	run_ack(b, tmpl, unix_s, &res);
	b->pkts = save;
	if (res.bad || res.out != b->n ||
	    b->stats->cnt[SF_CNT_ack_cookie_ok] - before.cnt[SF_CNT_ack_cookie_ok] != b->n) {
		fprintf(stderr, "%" PRIu64 " ESTABLISHED events for %u ACKs; counters:\n",
			res.out, b->n);
		print_stats_delta(&before, b->stats);
		die("ACK verification failed");
	}
	if (sf_conn_count(b->shard) != b->populate)
		die("the shard does not hold just the populated entries after the ACK cleanup");
	if (rte_mempool_avail_count(b->pool) != b->pool_avail)
		die("the pool count changed during ACK verification");
}

static void
verify_ack_check(struct bench *b)
{
	struct bench_result res = { 0 };
	uint64_t save = b->pkts;

	b->pkts = b->n;
	run_ack_check(b, &res);
	b->pkts = save;
	if (res.out != b->n)
		die("ack check: not every precomputed cookie validates");
}

/* ------------------------------------------------------------------ */
/* Setup                                                              */
/* ------------------------------------------------------------------ */

/*
 * --populate: insert b->populate established flows, as the responder would
 * have recorded them, from clients the frames never use: 198.19.x.y and
 * 2001:2:0:fe::/64 (the frames' clients are 198.18.0.0/16 and
 * 2001:2:0:x::/64 with x odd), to the same VIPs and ports with the same
 * option mix. Random sources may repeat: repeats are skipped until the
 * shard holds exactly b->populate entries.
 */
static void
populate_shard(struct bench *b)
{
	uint64_t now = rte_rdtsc(), tries = 0, max_tries;
	struct bench_flow f;

	max_tries = 4 * (uint64_t)b->populate + 1024;
	while (sf_conn_count(b->shard) < b->populate) {
		uint32_t before = sf_conn_count(b->shard);
		uint64_t r = bench_rand();
		struct sf_conn *c;

		if (++tries > max_tries)
			die("--populate: too many repeated flows");
		make_flow(&f, &b->cfg);
		if (f.flow.family == SF_AF_INET) {
			f.flow.cli_addr[1] = 19;
			f.flow.cli_addr[2] = (uint8_t)r;
			f.flow.cli_addr[3] = (uint8_t)(r >> 8);
		} else {
			f.flow.cli_addr[6] = 0x00;
			f.flow.cli_addr[7] = 0xfe;
		}
		c = sf_conn_insert(b->shard, &f.flow,
				   sf_conn_hash(b->hk, &f.flow));
		if (c == NULL)
			die("--populate: shard full (raise --shard)");
		if (sf_conn_count(b->shard) == before)
			continue;	/* a repeat: already there */
		c->client_isn = f.isn;
		c->server_isn = (uint32_t)(r >> 32);
		/* some data seen from the client, none sent yet */
		c->rcv_nxt = f.isn + 1 + (uint32_t)((r >> 16) % 2048);
		c->snd_nxt = c->server_isn + 1;
		c->mss = f.opts.mss != 0 ?
			RTE_MIN(f.opts.mss, mss_cap(&b->cfg, f.flow.family)) :
			(f.flow.family == SF_AF_INET ? BENCH_MSS_NONE_V4 :
			 BENCH_MSS_NONE_V6);
		c->last_tsc = now;
		c->flags = 0;
		if (f.opts.ts_ok) {
			c->flags |= SF_CONN_F_TS;
			c->ts_recent = f.opts.tsval + 1;
		}
		if (f.opts.sack_ok)
			c->flags |= SF_CONN_F_SACK;
		if (f.opts.wscale != SF_WSCALE_NONE) {
			c->snd_wscale = f.opts.wscale;
			c->rcv_wscale = b->cfg.wscale;
		}
		c->snd_wnd = (uint32_t)BENCH_WINDOW_ACK << c->snd_wscale;
	}
}

/*
 * ack cl50: fill the closed-flow table to BENCH_CL_FILL_PCT % of its
 * capacity with live records at BENCH_CL_UNIX_S, as closes of other flows
 * (198.19.x.y, 2001:2:0:fe::/64, random client ISNs, cookies of that
 * window) would leave them. A record both of whose buckets are full is
 * not kept: a few are allowed, as many would mean the table misbehaves.
 */
static void
fill_closed(struct bench *b)
{
	uint64_t want = sf_closed_capacity(b->closed) * BENCH_CL_FILL_PCT / 100;
	uint64_t t = BENCH_CL_UNIX_S >> SF_COOKIE_T_SHIFT, full = 0;
	struct bench_flow f;

	while (sf_closed_live(b->closed, BENCH_CL_UNIX_S) < want) {
		uint64_t r = bench_rand();
		uint32_t cookie = (uint32_t)(t << (32 - SF_COOKIE_T_BITS)) |
			((uint32_t)r >> SF_COOKIE_T_BITS);
		struct sf_closed_tw tw = {
			.snd_nxt = cookie + 1 + (uint32_t)((r >> 32) & 1),
			.rcv_nxt = (uint32_t)(r >> 33),
		};

		make_flow(&f, &b->cfg);
		if (f.flow.family == SF_AF_INET) {
			f.flow.cli_addr[1] = 19;
		} else {
			f.flow.cli_addr[6] = 0x00;
			f.flow.cli_addr[7] = 0xfe;
		}
		if (sf_closed_add(b->closed, &f.flow, f.isn, cookie, &tw,
				  BENCH_CL_UNIX_S) != 0 && ++full > want / 64)
			die("ack cl50: the closed-flow table rejects too many records");
	}
}

/*
 * The responder and what it writes to, made as the app makes a worker:
 * two responder ports (same MAC) with and without checksum offload. No
 * ethdev behind them: the benchmark calls the responder itself and never
 * launches the worker's loop.
 */
static void
bench_worker(struct bench *b, int socket)
{
	static volatile bool never_launched = true;
	struct sf_worker_conf wc;
	char err[SF_WORKER_ERR_LEN];

	memset(&wc, 0, sizeof(wc));
	wc.worker_id = 0;
	wc.lcore_id = rte_lcore_id();
	sf_worker_policy(&b->cfg, &wc.policy);
	wc.keys = &b->cfg.keys;
	wc.ports[BENCH_PORT_HW].port_id = BENCH_PORT_HW;
	wc.ports[BENCH_PORT_HW].resp.mac = b->mac;
	wc.ports[BENCH_PORT_HW].resp.mtu = BENCH_MTU;
	wc.ports[BENCH_PORT_HW].resp.tx_offload =
		SF_TX_IP_CSUM | SF_TX_TCP_CSUM;
	wc.ports[BENCH_PORT_SW].port_id = BENCH_PORT_SW;
	wc.ports[BENCH_PORT_SW].resp.mac = b->mac;
	wc.ports[BENCH_PORT_SW].resp.mtu = BENCH_MTU;
	wc.ports[BENCH_PORT_SW].resp.tx_offload = 0;
	wc.n_ports = 2;
	wc.pool = b->pool;
	wc.shard_entries = b->shard_entries;
	wc.closed_rate = b->cfg.closed_rate;	/* the default: replays checked */
	wc.ring_size = b->cfg.ring_size;
	wc.quit = &never_launched;
	wc.clock.tsc_hz = b->hz;
	wc.socket_id = socket;
	b->worker = sf_worker_create(&wc, err, sizeof(err));
	if (b->worker == NULL)
		die(err);
	/* the syngen line's board: the same keys and clock, never published */
	{
		struct sf_board_state bs = { .keys = b->cfg.keys,
					     .clock = wc.clock };

		b->board = sf_board_create(&bs, socket);
		if (b->board == NULL)
			die("cannot allocate the board");
	}
	b->shard = sf_worker_shard(b->worker);
	b->evring = sf_worker_ring(b->worker);
	b->stats = sf_worker_stats(b->worker);
	b->resp = sf_worker_responder(b->worker);
	b->closed = sf_worker_closed(b->worker);
}

static void
bench_setup(struct bench *b)
{
	static const uint8_t key[16] = {
		0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07,
		0x08, 0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x0e, 0x0f,
	};
	int socket = (int)rte_socket_id();
	unsigned int i, pool_n;
	char err[SF_CONFIG_ERR_LEN];

	b->hz = rte_get_tsc_hz();
	bench_rng = b->seed != 0 ? b->seed : BENCH_SEED_DEFAULT;

	/* configuration: defaults (198.18.0.2, 2001:2::2), ports 80 and 443 */
	sf_config_defaults(&b->cfg);
	b->cfg.ports[0] = 80;
	b->cfg.ports[1] = 443;
	b->cfg.n_ports = 2;
	memcpy(&b->cfg.keys.cur.k0, key, 8);
	memcpy(&b->cfg.keys.cur.k1, key + 8, 8);
	b->cfg.keys.cur.k0 = rte_le_to_cpu_64(b->cfg.keys.cur.k0);
	b->cfg.keys.cur.k1 = rte_le_to_cpu_64(b->cfg.keys.cur.k1);
	b->cfg.keys.has_prev = 0;
	b->cfg.key_set = true;
	b->cfg.entries_per_lcore = b->shard_entries;
	b->cfg.ring_size = rte_align32pow2(b->n + 1);
	if (sf_config_validate(&b->cfg, err) != 0)
		die(err);

	b->mac = (struct rte_ether_addr){ { 0x02, 0x00, 0x00, 0x00, 0x00, 0x01 } };

	/* the ring's mbufs, plus room for the ACK bursts and the cache */
	pool_n = rte_align32pow2(b->n + 2 * BENCH_POOL_CACHE + 4 * BENCH_BURST) - 1;
	b->pool = rte_pktmbuf_pool_create("bench_pool", pool_n,
					  BENCH_POOL_CACHE, 0,
					  RTE_MBUF_DEFAULT_BUF_SIZE, socket);
	if (b->pool == NULL)
		die("rte_pktmbuf_pool_create failed");
	b->ring = rte_zmalloc_socket("bench_ring", b->n * sizeof(*b->ring),
				     RTE_CACHE_LINE_SIZE, socket);
	b->syn = rte_zmalloc_socket("bench_syn", b->n * sizeof(*b->syn),
				    RTE_CACHE_LINE_SIZE, socket);
	b->ack = rte_zmalloc_socket("bench_ack", b->n * sizeof(*b->ack),
				    RTE_CACHE_LINE_SIZE, socket);
	b->ack_cl = rte_zmalloc_socket("bench_ack_cl", b->n * sizeof(*b->ack_cl),
				       RTE_CACHE_LINE_SIZE, socket);
	b->flows = rte_zmalloc_socket("bench_flows", b->n * sizeof(*b->flows),
				      RTE_CACHE_LINE_SIZE, socket);
	if (b->ring == NULL || b->syn == NULL || b->ack == NULL ||
	    b->ack_cl == NULL || b->flows == NULL)
		die("rte_zmalloc failed");
	if (rte_pktmbuf_alloc_bulk(b->pool, b->ring, b->n) != 0)
		die("cannot take the ring's mbufs from the pool");
	b->pool_avail = rte_mempool_avail_count(b->pool);

	build_frames(b);
	for (i = 0; i < b->n; i += BENCH_BURST)
		bench_refill(&b->ring[i], &b->syn[i], BENCH_BURST,
			     BENCH_RX_OL_HW);

	bench_worker(b, socket);
	b->hk = sf_conn_shard_hash_key(b->shard);
	if (b->populate > 0)
		populate_shard(b);	/* after build_frames: same frames as without */
	if (b->only & (1u << BK_ACK_CL)) {
		if (b->closed == NULL)
			die("ack cl50: no closed-flow table (closed_rate 0)");
		fill_closed(b);
	}
}

/* ------------------------------------------------------------------ */
/* Main                                                               */
/* ------------------------------------------------------------------ */

static void
usage(FILE *f, const char *prog)
{
	fprintf(f,
		"Usage: %s [options]\n"
		"       %s [EAL options] -- [options]\n"
		"Measures the responder on one core without a NIC (see bench/README.md).\n"
		"  -n, --packets N   packets per measurement (default %u)\n"
		"  -r, --runs R      runs of each measurement, median printed (default %u)\n"
		"  -N, --frames N    pre-built frames in the ring, multiple of %u (default %u)\n"
		"  -c, --shard N     shard entries (default %u, or enough for --populate)\n"
		"  -p, --populate P  first insert P established flows of other clients, so\n"
		"                    the SYN lookups miss in a shard of P entries (default 0)\n"
		"  -s, --seed S      seed of the frame mix (default 0x%llx)\n"
		"  -l, --lcore L     lcore to run on, without \"--\" (default 0)\n"
		"  -o, --only LIST   run only these: refill,reflect,syn,synsw,syngen,ack,ackchk,\n"
		"                    ackcl,parse,lookup,cookie,build\n"
		"  -b, --breakdown   also time the responder's steps alone (parse,lookup,cookie,build)\n"
		"  -v, --verbose     print every run\n"
		"  -h, --help\n",
		prog, prog, BENCH_PKTS_DEFAULT, BENCH_RUNS_DEFAULT, BENCH_BURST,
		BENCH_RING_DEFAULT, BENCH_SHARD_DEFAULT,
		(unsigned long long)BENCH_SEED_DEFAULT);
}

static uint64_t
parse_u64(const char *opt, const char *s, uint64_t min, uint64_t max)
{
	char *end;
	unsigned long long v;

	errno = 0;
	v = strtoull(s, &end, 0);
	if (errno != 0 || end == s || *end != '\0' || v < min || v > max) {
		fprintf(stderr, "sf-bench-pipeline: %s: bad value '%s' (%" PRIu64
			"..%" PRIu64 ")\n", opt, s, min, max);
		exit(2);
	}
	return v;
}

static unsigned int
parse_only(const char *s)
{
	char buf[128], *tok, *save = NULL;
	unsigned int mask = 0, k;

	snprintf(buf, sizeof(buf), "%s", s);
	for (tok = strtok_r(buf, ",", &save); tok != NULL;
	     tok = strtok_r(NULL, ",", &save)) {
		for (k = 0; k < BK_MAX; k++)
			if (strcmp(tok, bench_kind_name[k]) == 0)
				break;
		if (k == BK_MAX) {
			fprintf(stderr, "sf-bench-pipeline: --only: unknown measurement '%s'\n",
				tok);
			exit(2);
		}
		mask |= 1u << k;
	}
	return mask;
}

static void
parse_args(struct bench *b, int argc, char **argv)
{
	static const struct option lopts[] = {
		{ "packets", required_argument, NULL, 'n' },
		{ "runs", required_argument, NULL, 'r' },
		{ "frames", required_argument, NULL, 'N' },
		{ "shard", required_argument, NULL, 'c' },
		{ "populate", required_argument, NULL, 'p' },
		{ "seed", required_argument, NULL, 's' },
		{ "lcore", required_argument, NULL, 'l' },
		{ "only", required_argument, NULL, 'o' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "breakdown", no_argument, NULL, 'b' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	uint64_t need;
	bool acks;
	int c;

	b->pkts = BENCH_PKTS_DEFAULT;
	b->runs = BENCH_RUNS_DEFAULT;
	b->n = BENCH_RING_DEFAULT;
	b->shard_entries = BENCH_SHARD_DEFAULT;
	b->seed = BENCH_SEED_DEFAULT;
	b->only = BENCH_DEFAULT_MASK;
	optind = 1;
	while ((c = getopt_long(argc, argv, "n:r:N:c:p:s:l:o:vbh", lopts, NULL)) != -1) {
		switch (c) {
		case 'n':
			b->pkts = parse_u64("--packets", optarg, 1, UINT64_MAX / 2);
			break;
		case 'r':
			b->runs = (unsigned int)parse_u64("--runs", optarg, 1,
							  BENCH_RUNS_MAX);
			break;
		case 'N':
			b->n = (unsigned int)parse_u64("--frames", optarg,
						       BENCH_BURST, 1u << 22);
			if (b->n % BENCH_BURST != 0) {
				fprintf(stderr, "sf-bench-pipeline: --frames: not a multiple of %u\n",
					BENCH_BURST);
				exit(2);
			}
			break;
		case 'c':
			b->shard_entries = (uint32_t)parse_u64("--shard", optarg,
							       8, 1u << 26);
			b->shard_set = true;
			break;
		case 'p':
			b->populate = (uint32_t)parse_u64("--populate", optarg,
							  0, BENCH_POPULATE_MAX);
			break;
		case 's':
			b->seed = parse_u64("--seed", optarg, 0, UINT64_MAX);
			break;
		case 'l':
			b->lcore = (unsigned int)parse_u64("--lcore", optarg, 0,
							   RTE_MAX_LCORE - 1);
			break;
		case 'o':
			b->only = parse_only(optarg);
			break;
		case 'v':
			b->verbose = true;
			break;
		case 'b':
			b->only |= BENCH_BREAKDOWN_MASK;
			break;
		case 'h':
			usage(stdout, argv[0]);
			exit(0);
		default:
			usage(stderr, argv[0]);
			exit(2);
		}
	}
	if (optind < argc) {
		fprintf(stderr, "sf-bench-pipeline: unexpected argument '%s'\n",
			argv[optind]);
		exit(2);
	}
	/* room for the populated flows plus one pass of ACKs */
	acks = (b->only & ((1u << BK_ACK) | (1u << BK_ACK_CL))) != 0;
	need = (uint64_t)b->populate + (acks ? b->n : 0);
	if (b->shard_entries < need) {
		if (b->shard_set) {
			fprintf(stderr, "sf-bench-pipeline: --shard %u is too small: "
				"it must hold --populate (%u) + one pass of ACKs "
				"(%u) = %" PRIu64 " entries\n",
				b->shard_entries, b->populate,
				acks ? b->n : 0, need);
			exit(2);
		}
		b->shard_entries = rte_align32pow2((uint32_t)need);
	}
}

/* Free 2 MB hugepages, from /proc/meminfo (0 when unknown). */
static unsigned long
hugepages_free(void)
{
	char line[128];
	unsigned long n = 0;
	FILE *f = fopen("/proc/meminfo", "r");

	if (f == NULL)
		return 0;
	while (fgets(line, sizeof(line), f) != NULL)
		if (sscanf(line, "HugePages_Free: %lu", &n) == 1)
			break;
	fclose(f);
	return n;
}

/* Hugepages needed: 256 MB of 2 MB pages. */
#define BENCH_HUGEPAGES_MIN	128

static int
eal_start(int eal_argc, char **eal_argv, const struct bench *b, bool *huge)
{
	char lcores[32], prefix[64];
	char *argv[16];
	int argc = 0;

	if (eal_argv != NULL) {
		*huge = false;
		return rte_eal_init(eal_argc, eal_argv);
	}
	*huge = hugepages_free() >= BENCH_HUGEPAGES_MIN;
	snprintf(lcores, sizeof(lcores), "%u", b->lcore);
	snprintf(prefix, sizeof(prefix), "--file-prefix=sf_bench_%d", (int)getpid());
	argv[argc++] = (char *)(uintptr_t)"sf-bench-pipeline";
	argv[argc++] = (char *)(uintptr_t)"-l";
	argv[argc++] = lcores;
	argv[argc++] = (char *)(uintptr_t)"--no-pci";
	argv[argc++] = (char *)(uintptr_t)"--no-telemetry";
	argv[argc++] = (char *)(uintptr_t)"--log-level=lib.eal:error";
	argv[argc++] = prefix;
	if (*huge) {
		/* no hugepage files left behind (not allowed with --no-huge) */
		argv[argc++] = (char *)(uintptr_t)"--in-memory";
	} else {
		argv[argc++] = (char *)(uintptr_t)"--no-huge";
		argv[argc++] = (char *)(uintptr_t)"-m";
		argv[argc++] = (char *)(uintptr_t)"512";
	}
	return rte_eal_init(argc, argv);
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static double
median(double *v, unsigned int n)
{
	qsort(v, n, sizeof(*v), cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

static void
run_one(struct bench *b, enum bench_kind k, struct bench_result *res)
{
	memset(res, 0, sizeof(*res));
	switch (k) {
	case BK_REFILL:
		run_refill(b, res);
		break;
	case BK_REFLECT:
		run_reflect(b, res);
		break;
	case BK_SYN:
		run_syn(b, BENCH_PORT_HW, res);
		break;
	case BK_SYN_SW:
		run_syn(b, BENCH_PORT_SW, res);
		break;
	case BK_SYN_GEN:
		run_syn_gen(b, res);
		break;
	case BK_ACK:
		run_ack(b, b->ack, BENCH_UNIX_S, res);
		break;
	case BK_ACK_CL:
		run_ack(b, b->ack_cl, BENCH_CL_UNIX_S, res);
		break;
	case BK_ACK_CHECK:
		run_ack_check(b, res);
		break;
	case BK_PARSE:
		run_parse(b, res);
		break;
	case BK_LOOKUP:
		run_lookup(b, res);
		break;
	case BK_COOKIE:
		run_cookie(b, res);
		break;
	case BK_BUILD:
		run_build(b, res);
		break;
	case BK_MAX:
		break;
	}
}

/* After a run: every packet answered/validated, nothing freed or leaked. */
static void
check_run(const struct bench *b, enum bench_kind k,
	  const struct bench_result *res, const struct sf_stats *before)
{
	bool ok = !res->bad && res->out == res->pkts;

	if (k == BK_SYN || k == BK_SYN_SW || k == BK_SYN_GEN)
		ok = ok && b->stats->cnt[SF_CNT_synack_tx] -
			before->cnt[SF_CNT_synack_tx] == res->pkts;
	if (k == BK_ACK || k == BK_ACK_CL)
		ok = ok && b->stats->cnt[SF_CNT_ack_cookie_ok] -
			before->cnt[SF_CNT_ack_cookie_ok] == res->pkts;
	if (sf_conn_count(b->shard) != b->populate) {
		fprintf(stderr, "%s: shard holds %u entries, expected the %u populated\n",
			bench_kind_label[k], sf_conn_count(b->shard),
			b->populate);
		ok = false;
	}
	if (rte_mempool_avail_count(b->pool) != b->pool_avail) {
		fprintf(stderr, "%s: pool has %u free mbufs, expected %u\n",
			bench_kind_label[k], rte_mempool_avail_count(b->pool),
			b->pool_avail);
		ok = false;
	}
	if (!ok) {
		fprintf(stderr, "%s: %" PRIu64 " of %" PRIu64 " packets answered; counters:\n",
			bench_kind_label[k], res->out, res->pkts);
		print_stats_delta(before, b->stats);
		die("measurement invalid");
	}
}

int
main(int argc, char **argv)
{
	static struct bench b;
	double mpps[BK_MAX][BENCH_RUNS_MAX], ns[BK_MAX][BENCH_RUNS_MAX];
	double med_mpps[BK_MAX], med_ns[BK_MAX];
	char **app_argv = argv, **eal_argv = NULL;
	int app_argc = argc, eal_argc = 0, i;
	unsigned int run, k;
	bool huge;

	/* EAL options, if any, come before "--" */
	for (i = 1; i < argc; i++)
		if (strcmp(argv[i], "--") == 0) {
			eal_argv = argv;
			eal_argc = i;
			app_argv = &argv[i];
			app_argc = argc - i;
			app_argv[0] = argv[0];
			break;
		}
	parse_args(&b, app_argc, app_argv);
	if (eal_start(eal_argc, eal_argv, &b, &huge) < 0)
		die("rte_eal_init failed");
	huge = rte_eal_has_hugepages() != 0;
	bench_setup(&b);

	/* correctness first, untimed */
	if (b.only & ((1u << BK_SYN) | (1u << BK_SYN_SW) | (1u << BK_SYN_GEN))) {
		verify_syn(&b, BENCH_PORT_HW);
		verify_syn(&b, BENCH_PORT_SW);
	}
	if (b.only & (1u << BK_ACK))
		verify_ack(&b, b.ack, BENCH_UNIX_S);
	if (b.only & (1u << BK_ACK_CL))
		verify_ack(&b, b.ack_cl, BENCH_CL_UNIX_S);
	if (b.only & (1u << BK_ACK_CHECK))
		verify_ack_check(&b);
	if (b.only & BENCH_BREAKDOWN_MASK)
		breakdown_setup(&b);

	printf("sf-bench-pipeline: %u frames (%u%% IPv6), %" PRIu64
	       " packets per run, bursts of %u, shard %u entries (%u populated),"
	       " lcore %u, TSC %.3f GHz, %s\n",
	       b.n, BENCH_V6_PERCENT, bench_passes(&b) * b.n, BENCH_BURST,
	       sf_conn_capacity(b.shard), sf_conn_count(b.shard),
	       rte_lcore_id(), (double)b.hz / 1e9,
	       huge ? "hugepages" : "--no-huge (4 KB pages)");
	fflush(stdout);

	for (run = 0; run < b.runs; run++)
		for (k = 0; k < BK_MAX; k++) {
			struct bench_result res;
			struct sf_stats before;

			if (!(b.only & (1u << k)))
				continue;
			before = *b.stats;
			run_one(&b, (enum bench_kind)k, &res);
			check_run(&b, (enum bench_kind)k, &res, &before);
			ns[k][run] = (double)res.cycles * 1e9 / (double)b.hz /
				(double)res.pkts;
			mpps[k][run] = 1e3 / ns[k][run];
			if (b.verbose)
				printf("  run %u %-15s: %6.2f Mpps %7.2f ns/pkt\n",
				       run + 1, bench_kind_label[k],
				       mpps[k][run], ns[k][run]);
		}

	for (k = 0; k < BK_MAX; k++) {
		if (!(b.only & (1u << k)))
			continue;
		med_mpps[k] = median(mpps[k], b.runs);
		med_ns[k] = median(ns[k], b.runs);
	}
	for (k = 0; k < BK_MAX; k++) {
		if (!(b.only & (1u << k)))
			continue;
		printf("%-15s: %6.2f Mpps %7.2f ns/pkt", bench_kind_label[k],
		       med_mpps[k], med_ns[k]);
		if (k != BK_REFLECT && k != BK_REFILL &&
		    !((1u << k) & BENCH_BREAKDOWN_MASK) &&
		    (b.only & (1u << BK_REFLECT)))
			printf("  ratio %.2f of reflect",
			       med_mpps[k] / med_mpps[BK_REFLECT]);
		else
			printf("  (median of %u)", b.runs);
		if (bench_kind_note[k][0] != '\0')
			printf("  [%s]", bench_kind_note[k]);
		printf("\n");
	}

	sf_worker_free(b.worker);
	sf_board_free(b.board);
	rte_pktmbuf_free_bulk(b.ring, b.n);
	rte_eal_cleanup();
	return 0;
}
