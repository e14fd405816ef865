/* SPDX-License-Identifier: BSD-3-Clause */

/*
 * sf-synflood: a SYN flood generator on any DPDK port. One lcore (the main
 * one) sends paced or flat-out bursts of SYNs built from templates and
 * polls the port for what comes back: SYN-ACKs are validated against the
 * keyed ISN hash (no table), legitimate flows answer theirs with an ACK.
 * Per-second rows while running, then a summary and one JSON line.
 */

#include <inttypes.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <arpa/inet.h>

#include <rte_cycles.h>
#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_ethdev.h>
#include <rte_lcore.h>
#include <rte_mbuf.h>

#include "sf_flood_args.h"
#include "sf_flood_pace.h"
#include "sf_flood_pkt.h"
#include "sf_flood_report.h"
#include "sf_net.h"
#include "sf_port.h"
#include "sf_random.h"

#define PROG			"sf-synflood"
#define EXIT_USAGE		2
#define POOL_NAME		"sfl_mbufs"
#define POOL_SIZE		16383	/* rings, bursts, net_af_xdp's fill ring */
#define RX_DESC			1024
#define TX_DESC			1024
#define RX_BURST		32

static volatile bool force_quit;

/* The generator's lcore state: one object in main(). */
struct flood {
	struct sf_flood_args args;
	struct rte_mempool *pool;
	struct sf_port_info port;
	struct sf_flood_gen gen;
	struct sf_flood_pace pace;
	struct sf_flood_counters cnt;
	uint16_t n_pend;		/* SYNs built, not yet taken by the PMD */
	struct rte_mbuf *pend[SF_FLOOD_BURST_MAX];
	uint64_t hz;
};

static void
signal_handler(int signum)
{
	if (signum == SIGINT || signum == SIGTERM)
		force_quit = true;
}

/* Parse what follows "--" before EAL starts: a bad option touches nothing. */
static void
parse_app_args(struct sf_flood_args *a, int argc, char **argv)
{
	char err[SF_FLOOD_ERR_LEN];
	int sep, ret;
	char *saved;

	for (sep = 1; sep < argc && strcmp(argv[sep], "--") != 0; sep++)
		if (strcmp(argv[sep], "--help") == 0 ||
		    strcmp(argv[sep], "-h") == 0) {
			sf_flood_args_usage(stdout, PROG);
			exit(EXIT_SUCCESS);
		}
	saved = argv[sep < argc ? sep : 0];
	if (sep < argc)
		argv[sep] = argv[0];
	ret = sf_flood_args_parse(a, sep < argc ? argc - sep : 1,
				  sep < argc ? argv + sep : argv, err);
	if (sep < argc)
		argv[sep] = saved;
	if (ret < 0) {
		fprintf(stderr, PROG ": %s\n", err);
		exit(EXIT_USAGE);
	}
	if (ret > 0)
		exit(EXIT_SUCCESS);
}

static void
port_init(struct flood *f)
{
	struct sf_port_conf pc = {
		.port_id = f->args.port_id,
		.n_queues = 1,
		.rx_desc = RX_DESC,
		.tx_desc = TX_DESC,
	};
	char err[256];

	if (!rte_eth_dev_is_valid_port(f->args.port_id)) {
		fprintf(stderr, PROG ": --port: no DPDK port %u (give one with EAL options, e.g. --vdev=net_null0,no-rx=1 or --vdev=net_af_packet0,iface=veth0)\n",
			f->args.port_id);
		rte_eal_cleanup();
		exit(EXIT_USAGE);
	}
	f->pool = rte_pktmbuf_pool_create(POOL_NAME, POOL_SIZE,
					  SF_PORT_POOL_CACHE, 0,
					  RTE_MBUF_DEFAULT_BUF_SIZE,
					  (int)rte_socket_id());
	if (f->pool == NULL)
		rte_exit(EXIT_FAILURE, "cannot create the mbuf pool (%u mbufs): %s\n",
			 POOL_SIZE, rte_strerror(rte_errno));
	pc.pool = f->pool;
	if (sf_port_setup(&pc, &f->port, err, sizeof(err)) != 0)
		rte_exit(EXIT_FAILURE, "%s\n", err);
}

static void
gen_init(struct flood *f)
{
	const struct sf_flood_args *a = &f->args;
	struct sf_flood_gen_conf c = {
		.family = a->family,
		.src_len = a->src_len,
		.dport = a->dport,
		.mss = a->mss,
		.wscale = a->wscale,
		.opts = a->opts,
		.src_mac = f->port.mac,
		.dst_mac = a->dst_mac,
		.legit_thresh = (uint64_t)(a->legit * 4294967296.0),
	};
	uint64_t rnd[3];

	if (a->seed_set) {
		rnd[0] = a->seed;
		rnd[1] = sf_flood_rng(&rnd[0]);
		rnd[2] = sf_flood_rng(&rnd[0]);
		rnd[0] = sf_flood_rng(&rnd[0]);
	} else {
		sf_random_fill(rnd, sizeof(rnd));
	}
	memcpy(c.src, a->src, sizeof(c.src));
	memcpy(c.dst, a->dst, sizeof(c.dst));
	c.key.k0 = rnd[0];
	c.key.k1 = rnd[1];
	c.seed = rnd[2];
	if (sf_flood_gen_init(&f->gen, &c) != 0)
		rte_exit(EXIT_FAILURE, "cannot build the SYN templates\n");
	f->hz = rte_get_tsc_hz();
	sf_flood_pace_init(&f->pace, a->rate, f->hz, a->burst);
}

/* Top the pending SYNs up to n, offer them, keep what the PMD refused. */
static void
tx_syns(struct flood *f, uint16_t n)
{
	uint16_t need = n > f->n_pend ? (uint16_t)(n - f->n_pend) : 0;
	uint16_t sent, i;

	if (need > 0) {
		if (rte_pktmbuf_alloc_bulk(f->pool, f->pend + f->n_pend,
					   need) != 0) {
			f->cnt.alloc_fail++;
			need = 0;
		}
		for (i = f->n_pend; i < f->n_pend + need; i++) {
			struct rte_mbuf *m = f->pend[i];
			uint16_t len = sf_flood_syn_next(&f->gen,
					rte_pktmbuf_mtod(m, uint8_t *));

			m->data_len = len;
			m->pkt_len = len;
		}
		f->n_pend = (uint16_t)(f->n_pend + need);
	}
	if (f->n_pend == 0)
		return;
	sent = rte_eth_tx_burst(f->args.port_id, 0, f->pend, f->n_pend);
	f->cnt.syn_tx += sent;
	sf_flood_pace_sent(&f->pace, sent);
	if (sent < f->n_pend) {
		f->cnt.tx_short++;
		memmove(f->pend, f->pend + sent,
			(size_t)(f->n_pend - sent) * sizeof(f->pend[0]));
	}
	f->n_pend = (uint16_t)(f->n_pend - sent);
}

/* One verdict: count it; a legitimate SYN-ACK becomes our ACK in place. */
static bool
rx_one(struct flood *f, struct rte_mbuf *m)
{
	uint8_t *frame = rte_pktmbuf_mtod(m, uint8_t *);
	struct sf_pkt pkt;
	uint16_t len;

	if (sf_parse(frame, m->data_len, 0, &pkt) != SF_NET_OK) {
		f->cnt.other++;
		return false;
	}
	switch (sf_flood_classify(&f->gen, &pkt)) {
	case SF_FLOOD_SYNACK_OK:
		f->cnt.synack_ok++;
		return false;
	case SF_FLOOD_SYNACK_LEGIT:
		f->cnt.synack_ok++;
		len = sf_flood_ack_build(frame, (uint16_t)(rte_pktmbuf_tailroom(m) + m->data_len),
					 &pkt, &f->port.mac);
		if (len == 0)
			return false;
		m->data_len = len;
		m->pkt_len = len;
		return true;
	case SF_FLOOD_UNMATCHED:
		f->cnt.unmatched++;
		return false;
	case SF_FLOOD_RST:
		f->cnt.rst++;
		return false;
	default:
		f->cnt.other++;
		return false;
	}
}

static void
rx_replies(struct flood *f)
{
	struct rte_mbuf *rx[RX_BURST], *acks[RX_BURST], *done[RX_BURST];
	uint16_t n, i, n_ack = 0, n_done = 0, sent;

	n = rte_eth_rx_burst(f->args.port_id, 0, rx, RX_BURST);
	if (n == 0)
		return;
	f->cnt.rx += n;
	for (i = 0; i < n; i++) {
		if (rx[i]->nb_segs == 1 && rx_one(f, rx[i]))
			acks[n_ack++] = rx[i];
		else
			done[n_done++] = rx[i];
	}
	if (n_done > 0)
		rte_pktmbuf_free_bulk(done, n_done);
	if (n_ack == 0)
		return;
	sent = rte_eth_tx_burst(f->args.port_id, 0, acks, n_ack);
	f->cnt.ack_tx += sent;
	if (sent < n_ack) {
		f->cnt.ack_drop += n_ack - sent;
		rte_pktmbuf_free_bulk(acks + sent, n_ack - sent);
	}
}

static void
print_row(struct flood *f, uint64_t now, uint64_t start, uint64_t *last,
	  struct sf_flood_counters *prev)
{
	char line[SF_FLOOD_LINE_MAX];

	if (!f->args.quiet) {
		sf_flood_row(line, sizeof(line), (double)(now - start) / f->hz,
			     (double)(now - *last) / f->hz, &f->cnt, prev);
		printf("%s\n", line);
	}
	*prev = f->cnt;
	*last = now;
}

/* Has sending reached its time or count bound? */
static bool
tx_done(const struct flood *f, uint64_t now, uint64_t tx_end)
{
	return now >= tx_end ||
		(f->args.count != 0 && f->cnt.syn_tx >= f->args.count);
}

/* SYNs this round: the pace's budget, within what --count leaves. */
static uint16_t
tx_budget(struct flood *f, uint64_t t)
{
	uint16_t n = sf_flood_pace_budget(&f->pace, t);
	uint64_t left;

	if (f->args.count != 0) {
		left = f->args.count - f->cnt.syn_tx;
		if (left < n)
			n = (uint16_t)left;
	}
	return n;
}

/* CPU seconds of this thread so far: cpu[0] user, cpu[1] system. */
static void
thread_cpu(double cpu[2])
{
	struct rusage ru;

	getrusage(RUSAGE_THREAD, &ru);
	cpu[0] = (double)ru.ru_utime.tv_sec + ru.ru_utime.tv_usec * 1e-6;
	cpu[1] = (double)ru.ru_stime.tv_sec + ru.ru_stime.tv_usec * 1e-6;
}

/* Sending ends: its last TSC, and the CPU it used since cpu[] was read. */
static void
tx_stop(uint64_t now, uint64_t *tx_last, double cpu[2])
{
	double c[2];

	thread_cpu(c);
	cpu[0] = c[0] - cpu[0];
	cpu[1] = c[1] - cpu[1];
	*tx_last = now;
}

/* The loop; returns the seconds of sending, its CPU seconds in cpu[]. */
static double
run(struct flood *f, double cpu[2])
{
	uint64_t start = rte_rdtsc(), now = start, last = start;
	uint64_t tx_end = f->args.duration > 0 ?
		start + (uint64_t)(f->args.duration * f->hz) : UINT64_MAX;
	uint64_t next_row = start + f->hz, tx_last = start, drain_end = 0;
	struct sf_flood_counters prev = f->cnt;
	bool sending = true;

	if (!f->args.quiet)
		printf("%s\n", sf_flood_row_header());
	thread_cpu(cpu);
	while (!force_quit) {
		now = rte_rdtsc();
		if (unlikely(now >= next_row)) {
			print_row(f, now, start, &last, &prev);
			next_row += f->hz;
		}
		if (sending) {
			if (unlikely(tx_done(f, now, tx_end))) {
				sending = false;
				tx_stop(now, &tx_last, cpu);
				drain_end = now + (uint64_t)(f->args.drain * f->hz);
			} else {
				uint16_t n = tx_budget(f, now - start);

				if (n > 0)
					tx_syns(f, n);
			}
		} else if (now >= drain_end) {
			break;
		}
		rx_replies(f);
	}
	if (sending)
		tx_stop(now, &tx_last, cpu);
	if (!f->args.quiet && now - last > f->hz / 10)
		print_row(f, now, start, &last, &prev);
	return (double)(tx_last - start) / f->hz;
}

/* What the port itself dropped, into the summary. */
static void
port_counters(struct flood *f)
{
	struct rte_eth_stats st;

	if (rte_eth_stats_get(f->args.port_id, &st) != 0)
		return;
	f->cnt.port_imissed = st.imissed + st.ierrors + st.rx_nombuf;
	f->cnt.port_oerrors = st.oerrors;
}

static void
print_start(const struct flood *f)
{
	const struct sf_flood_args *a = &f->args;
	char dst[64], src[64];

	inet_ntop(a->family == SF_AF_INET ? AF_INET : AF_INET6, a->dst, dst,
		  sizeof(dst));
	inet_ntop(a->family == SF_AF_INET ? AF_INET : AF_INET6, a->src, src,
		  sizeof(src));
	printf(PROG ": port %u (%s) mac " RTE_ETHER_ADDR_PRT_FMT
	       ", dst %s port %u mac " RTE_ETHER_ADDR_PRT_FMT
	       ", src %s/%u, opts %s, rate %.0f pps%s, duration %.1f s, count %" PRIu64
	       ", legit %.3f, burst %u, lcore %u\n",
	       f->port.port_id, f->port.driver,
	       RTE_ETHER_ADDR_BYTES(&f->port.mac), dst, a->dport,
	       RTE_ETHER_ADDR_BYTES(&a->dst_mac), src, a->src_len,
	       sf_flood_opts_name(a->opts), a->rate,
	       a->rate > 0 ? "" : " (flat out)", a->duration, a->count,
	       a->legit, a->burst, rte_lcore_id());
}

int
main(int argc, char **argv)
{
	static struct flood f;
	char line[SF_FLOOD_LINE_MAX];
	double tx_s, cpu[2];
	int ret;

	parse_app_args(&f.args, argc, argv);
	ret = rte_eal_init(argc, argv);
	if (ret < 0)
		rte_exit(EXIT_FAILURE, "EAL initialisation failed: %s\n",
			 rte_strerror(rte_errno));
	setvbuf(stdout, NULL, _IOLBF, 0);
	signal(SIGINT, signal_handler);
	signal(SIGTERM, signal_handler);
	port_init(&f);
	gen_init(&f);
	print_start(&f);
	printf(PROG ": ready\n");

	tx_s = run(&f, cpu);

	if (f.n_pend > 0)
		rte_pktmbuf_free_bulk(f.pend, f.n_pend);
	port_counters(&f);
	sf_flood_summary(line, sizeof(line), &f.cnt, tx_s);
	printf(PROG ": summary: %s\n", line);
	sf_flood_summary_json(line, sizeof(line), &f.cnt, tx_s,
			      cpu[0] + cpu[1], cpu[0]);
	printf("%s\n", line);
	sf_port_close(f.args.port_id);
	rte_eal_cleanup();
	return 0;
}
