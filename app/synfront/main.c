/* SPDX-License-Identifier: BSD-3-Clause */

/*
 * synfront: arguments, EAL, ports, per-worker state, lcore launch, signals.
 * The main lcore runs the built-in consumer and the stats line; every other
 * lcore is a worker polling its queue pair of every port.
 */

#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <unistd.h>

#include <rte_cycles.h>
#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_ethdev.h>
#include <rte_lcore.h>
#include <rte_mbuf.h>
#include <rte_pdump.h>

#include "sf_app_consumer.h"
#include "sf_app_fleet.h"
#include "sf_app_kif.h"
#include "sf_app_xdp.h"
#include "sf_config.h"
#include "sf_handoff.h"
#include "sf_keyfile.h"
#include "sf_port.h"
#include "sf_respond.h"
#include "sf_stats.h"
#include "sf_worker.h"

#define EXIT_USAGE		2
#define IDLE_SLEEP_US		100
#define MBUF_POOL_NAME		"sf_mbufs"

/* Set by the signal handler, read by every loop. */
static volatile bool force_quit;
/* Set by SIGHUP, acted on (and cleared) by the main loop. */
static volatile sig_atomic_t reload_keys;

/* Everything the process owns: one static object in main(). */
struct app {
	struct sf_config cfg;
	struct rte_mempool *pool;
	uint16_t n_ports;
	uint16_t port_ids[SF_RESPOND_MAX_PORTS];
	struct sf_port_info ports[SF_RESPOND_MAX_PORTS];
	unsigned int n_workers;
	struct sf_worker *workers[RTE_MAX_LCORE];
	struct sf_stats *stats[RTE_MAX_LCORE];
	unsigned int lcores[RTE_MAX_LCORE];
	struct rte_ring *rings[RTE_MAX_LCORE];
	struct rte_ring *cmd_rings[RTE_MAX_LCORE];
	struct sf_app_consumer consumer;
	struct sf_app_fleet fleet;	/* keys and clock, published */
};

static void
signal_handler(int signum)
{
	if (signum == SIGINT || signum == SIGTERM)
		force_quit = true;
	else if (signum == SIGHUP)
		reload_keys = 1;	/* no file I/O in a handler */
}

/* Index of "--" in argv, or argc when absent. */
static int
find_separator(int argc, char **argv)
{
	int i;

	for (i = 1; i < argc; i++)
		if (strcmp(argv[i], "--") == 0)
			return i;
	return argc;
}

/*
 * [cookie] key_file: the keys at start; a file refused is a bad
 * configuration value (exit 2), found before EAL starts.
 */
static void
read_key_file(struct sf_config *cfg)
{
	char reason[SF_KEYFILE_REASON_LEN];

	if (cfg->key_file[0] == '\0')
		return;
	if (sf_keyfile_load(cfg->key_file, NULL, &cfg->keys, reason,
			    sizeof(reason)) != 0) {
		fprintf(stderr, "synfront: key_file %s: %s\n", cfg->key_file,
			reason);
		exit(EXIT_USAGE);
	}
}

/*
 * Parse the application's options before EAL starts, so a bad option is
 * refused before any hugepage or port is touched.
 */
static void
parse_app_args(struct sf_config *cfg, int argc, char **argv)
{
	char err[SF_CONFIG_ERR_LEN];
	int sep = find_separator(argc, argv);
	int i, ret;

	if (sep == argc) {
		/* No "--": only --help is ours to answer. */
		for (i = 1; i < argc; i++) {
			if (strcmp(argv[i], "--help") == 0 ||
			    strcmp(argv[i], "-h") == 0) {
				sf_config_usage(stdout, "synfront");
				exit(EXIT_SUCCESS);
			}
		}
		sf_config_defaults(cfg);
		if (sf_config_validate(cfg, err) != 0) {
			fprintf(stderr, "synfront: %s\n", err);
			exit(EXIT_USAGE);
		}
		return;
	}

	/* argv[sep] becomes the program name of the application's part. */
	{
		char *saved = argv[sep];

		argv[sep] = argv[0];
		ret = sf_config_from_args(cfg, argc - sep, argv + sep, err);
		argv[sep] = saved;
	}
	if (ret < 0) {
		fprintf(stderr, "synfront: %s\n", err);
		exit(EXIT_USAGE);
	}
	if (ret > 0)
		exit(EXIT_SUCCESS);
	read_key_file(cfg);
}

/*
 * A configuration that EAL accepted but synfront cannot run with (no port,
 * no worker lcore): one line naming it, exit status 2, as for a bad option.
 */
static void __rte_noreturn __rte_format_printf(1, 2)
usage_exit(const char *fmt, ...)
{
	va_list ap;

	fputs("synfront: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	rte_eal_cleanup();
	exit(EXIT_USAGE);
}

/*
 * Open the consumer's log file before EAL starts: a path that cannot be
 * written is a bad configuration value (exit 2), found before any hugepage
 * or port is touched.
 */
static void
open_log(const struct sf_config *cfg, struct sf_app_consumer *c)
{
	if (cfg->consumer != SF_CONSUMER_LOG)
		return;
	if (strcmp(cfg->log_file, "-") == 0) {
		c->log = stdout;
		return;
	}
	c->log = fopen(cfg->log_file, "a");
	if (c->log == NULL) {
		fprintf(stderr, "synfront: log_file %s: cannot open: %s\n",
			cfg->log_file, strerror(errno));
		exit(EXIT_USAGE);
	}
	setvbuf(c->log, NULL, _IOLBF, 0);
}

static void
random_key(struct sf_config *cfg)
{
	uint8_t b[16];
	ssize_t n = getrandom(b, sizeof(b), 0);

	if (n != (ssize_t)sizeof(b))
		rte_exit(EXIT_FAILURE, "cannot read a random cookie key: %s\n",
			 strerror(errno));
	memcpy(&cfg->keys.cur.k0, b, 8);
	memcpy(&cfg->keys.cur.k1, b + 8, 8);
	cfg->keys.cur.k0 = rte_le_to_cpu_64(cfg->keys.cur.k0);
	cfg->keys.cur.k1 = rte_le_to_cpu_64(cfg->keys.cur.k1);
}

/*
 * The port's start line, with the MSS it can take (what one mbuf
 * receives), and a warning when that lowers mss_max.
 */
static void
print_port(const struct sf_config *cfg, const struct sf_port_info *pi,
	   unsigned int n_queues)
{
	uint16_t mss = sf_cookie_mss_cap(SF_AF_INET, cfg->mss_max,
					 pi->rx_ip_max);

	printf("synfront: port %u (%s) mac " RTE_ETHER_ADDR_PRT_FMT
	       " mtu %u queues %u rss %s rx-csum %s tx-csum %s multicast %s"
	       " rx frame max %u, mss cap %u\n",
	       pi->port_id, pi->driver, RTE_ETHER_ADDR_BYTES(&pi->mac),
	       pi->mtu, n_queues, pi->rss ? "on" : "off",
	       pi->rx_flags ? "hw" : "sw", pi->tx_offload ? "hw" : "sw",
	       pi->multicast, pi->rx_frame_max, mss);
	if (mss < cfg->mss_max)
		printf("synfront: warning: port %u: mss_max %u lowered to %u: one mbuf receives frames of %u bytes at most\n",
		       pi->port_id, cfg->mss_max, mss, pi->rx_frame_max);
}

static void
setup_ports(struct app *a)
{
	struct rte_ether_addr mc[SF_CONFIG_MAX_VIPS];
	struct sf_port_conf pc;
	char err[SF_CONFIG_ERR_LEN];
	uint32_t n_mbufs, n_mc = 0;
	uint16_t pid;

	a->n_ports = 0;
	RTE_ETH_FOREACH_DEV(pid) {
		if (a->n_ports == SF_RESPOND_MAX_PORTS)
			rte_exit(EXIT_FAILURE, "more than %u ports probed\n",
				 SF_RESPOND_MAX_PORTS);
		a->port_ids[a->n_ports++] = pid;
	}
	if (a->n_ports == 0)
		usage_exit("no DPDK port: give one with EAL options, e.g. --vdev=net_tap0,iface=sf0 or -a <PCI address>");

	n_mbufs = sf_port_pool_size(a->n_ports, (uint16_t)a->n_workers,
				    a->cfg.rx_desc, a->cfg.tx_desc,
				    a->cfg.ring_size);
	/*
	 * The reply channel keeps mbufs longer: DATA held by the consumer
	 * (up to its credit) and SENDs not yet acknowledged (up to snd_buf)
	 * of the connections in flight; the command rings' worth of them.
	 */
	if (sf_config_reply_on(&a->cfg))
		n_mbufs += a->n_workers * 2 * a->cfg.cmd_ring_size;
	a->pool = rte_pktmbuf_pool_create(MBUF_POOL_NAME, n_mbufs,
					  SF_PORT_POOL_CACHE, 0,
					  RTE_MBUF_DEFAULT_BUF_SIZE,
					  (int)rte_socket_id());
	if (a->pool == NULL)
		rte_exit(EXIT_FAILURE,
			 "cannot create the mbuf pool (%u mbufs): %s\n",
			 n_mbufs, rte_strerror(rte_errno));

	for (unsigned int v = 0; v < a->cfg.n_vips; v++)
		if (a->cfg.vips[v].family == SF_AF_INET6)
			sf_port_solicited_mac(a->cfg.vips[v].addr,
					      &mc[n_mc++]);

	for (uint16_t i = 0; i < a->n_ports; i++) {
		struct sf_port_info *pi = &a->ports[i];

		memset(&pc, 0, sizeof(pc));
		pc.port_id = a->port_ids[i];
		pc.n_queues = (uint16_t)a->n_workers;
		pc.rx_desc = a->cfg.rx_desc;
		pc.tx_desc = a->cfg.tx_desc;
		pc.mtu = a->cfg.mtu;
		pc.promiscuous = a->cfg.promiscuous;
		pc.pool = a->pool;
		pc.mc_addrs = mc;
		pc.n_mc = n_mc;
		sf_app_xdp_prepare(pc.port_id);
		if (sf_port_setup(&pc, pi, err, sizeof(err)) != 0)
			rte_exit(EXIT_FAILURE, "%s\n", err);
		print_port(&a->cfg, pi, a->n_workers);
		sf_app_kif_check(pi);
		sf_app_xdp_setup(&a->cfg, pi);
	}
}

/*
 * One conf for every worker: all but the worker, lcore, queue and socket.
 * Keys and clock come from the board, which this makes.
 */
static void
worker_conf(struct app *a, struct sf_worker_conf *wc)
{
	uint16_t p;

	memset(wc, 0, sizeof(*wc));
	if (sf_clock_base_init(&wc->clock) != 0)
		rte_exit(EXIT_FAILURE,
			 "cannot read the wall clock (CLOCK_REALTIME): %s\n",
			 strerror(errno));
	sf_clock_base_shift(&wc->clock, a->cfg.test_clock_offset_s);
	if (a->cfg.test_clock_offset_s != 0)
		printf("synfront: TEST ONLY: worker clock %u s ahead\n",
		       a->cfg.test_clock_offset_s);
	sf_app_fleet_init(&a->fleet, &a->cfg, &wc->clock);
	wc->board = a->fleet.board;	/* keys and clock come from there */
	sf_worker_policy(&a->cfg, &wc->policy);
	wc->pool = a->pool;
	wc->shard_entries = a->cfg.entries_per_lcore;
	wc->closed_rate = a->cfg.closed_rate;
	wc->ring_size = a->cfg.ring_size;
	wc->cmd_ring_size = a->cfg.cmd_ring_size;
	wc->send_states = a->cfg.send_states;
	wc->snd_buf = a->cfg.snd_buf;
	wc->quit = &force_quit;
	wc->n_ports = a->n_ports;
	for (p = 0; p < a->n_ports; p++) {
		wc->ports[p].port_id = a->port_ids[p];
		wc->ports[p].resp.mac = a->ports[p].mac;
		/* What one mbuf takes, not the MTU: it caps our MSS. */
		wc->ports[p].resp.mtu = a->ports[p].rx_ip_max;
		wc->ports[p].resp.tx_offload = a->ports[p].tx_offload;
	}
}

static void
setup_workers(struct app *a)
{
	struct sf_worker_conf wc;
	char err[SF_WORKER_ERR_LEN];
	unsigned int lcore, w = 0;

	worker_conf(a, &wc);
	RTE_LCORE_FOREACH_WORKER(lcore) {
		wc.worker_id = w;
		wc.lcore_id = lcore;
		wc.queue_id = (uint16_t)w;
		wc.socket_id = (int)rte_lcore_to_socket_id(lcore);
		a->workers[w] = sf_worker_create(&wc, err, sizeof(err));
		if (a->workers[w] == NULL)
			rte_exit(EXIT_FAILURE, "%s\n", err);
		a->stats[w] = sf_worker_stats(a->workers[w]);
		a->rings[w] = sf_worker_ring(a->workers[w]);
		a->cmd_rings[w] = sf_worker_cmd_ring(a->workers[w]);
		a->lcores[w] = sf_worker_lcore(a->workers[w]);
		w++;
	}
}

static void
print_listening(const struct sf_config *cfg)
{
	char buf[64];
	unsigned int i;

	printf("synfront: listening on");
	for (i = 0; i < cfg->n_vips; i++)
		printf("%s%s", i ? ", " : " ",
		       sf_vip_str(&cfg->vips[i], buf, sizeof(buf)));
	printf(" ports");
	for (i = 0; i < cfg->n_ports; i++)
		printf("%s%u", i ? "," : " ", cfg->ports[i]);
	printf("; cookie key %s%s; consumer %s\n",
	       cfg->key_file[0] != '\0' ? "from key_file" :
	       cfg->key_set ? "from config" : "random",
	       cfg->keys.has_prev ? " (+ previous_key)" : "",
	       sf_config_choice_str(cfg, "consumer"));
	if (cfg->consumer == SF_CONSUMER_PROXY) {
		char be[SF_PROXY_ADDR_STR_LEN];

		printf("synfront: proxy to");
		for (i = 0; i < cfg->n_backends; i++)
			printf("%s%s", i ? ", " : " ",
			       sf_proxy_addr_str(&cfg->backends[i], be,
						 sizeof(be)));
		printf(" (%s, PROXY protocol %s, connect timeout %u ms, down %u ms after %u failures, %u connections, %u SEND mbufs)\n",
		       sf_config_choice_str(cfg, "balance"),
		       sf_config_choice_str(cfg, "proxy_protocol"),
		       cfg->connect_timeout_ms, cfg->down_ms, cfg->fall,
		       cfg->proxy_max_conns, cfg->proxy_send_pool);
	}
	if (sf_config_reply_on(cfg))
		printf("synfront: reply channel on: commands on " SF_CMD_NAME_FMT
		       "..., credit %u, snd_buf %u, %u send states per lcore\n",
		       0u, cfg->credit, cfg->snd_buf, cfg->send_states);
}

/*
 * "stats: <counters> | <rates>", and " | <the consumer's part>" when it
 * has one (the proxy's).
 */
static void
print_stats(const struct app *a, const struct sf_stats *now,
	    const struct sf_stats *prev, double secs)
{
	fputs("stats: ", stdout);
	sf_stats_print(stdout, now, prev, secs);
	sf_app_consumer_print_part(&a->consumer, stdout);
	fputc('\n', stdout);
}

static void
main_loop(struct app *a)
{
	const uint64_t hz = rte_get_tsc_hz();
	const uint64_t period = (uint64_t)a->cfg.period_s * hz;
	uint64_t last = rte_rdtsc();
	struct sf_stats prev, now;

	sf_stats_sum((const struct sf_stats *const *)a->stats, a->n_workers,
		     &prev);
	while (!force_quit) {
		uint64_t t;

		if (sf_app_consumer_poll(&a->consumer) == 0)
			rte_delay_us_sleep(IDLE_SLEEP_US);
		if (unlikely(reload_keys)) {
			reload_keys = 0;
			sf_app_fleet_reload(&a->fleet);
		}
		t = rte_rdtsc();
		sf_app_fleet_clock(&a->fleet, t);
		if (period == 0)
			continue;
		if (t - last < period)
			continue;
		sf_stats_sum((const struct sf_stats *const *)a->stats,
			     a->n_workers, &now);
		print_stats(a, &now, &prev, (double)(t - last) / (double)hz);
		prev = now;
		last = t;
	}
}

static void
shutdown_all(struct app *a)
{
	struct sf_stats sum;
	unsigned int w;
	uint16_t p;
	unsigned int in_use;

	rte_eal_mp_wait_lcore();
	sf_app_consumer_flush(&a->consumer);
	sf_app_consumer_release(&a->consumer);

	sf_stats_sum((const struct sf_stats *const *)a->stats, a->n_workers,
		     &sum);
	fputs("final: ", stdout);
	sf_stats_print_line(stdout, &sum, NULL, 0);
	sf_app_consumer_print(&a->consumer, stdout);

	for (p = 0; p < a->n_ports; p++)
		sf_port_close(a->port_ids[p]);
	/*
	 * The consumer has had every event and the ports their RX mbufs
	 * back; sf_worker_free releases whatever a ring still holds, so the
	 * count below is of mbufs leaked.
	 */
	for (w = 0; w < a->n_workers; w++)
		sf_worker_free(a->workers[w]);
	/* after the workers: they held its SENDs; it holds DATA mbufs */
	sf_app_consumer_free(&a->consumer);
	in_use = rte_mempool_in_use_count(a->pool);
	printf("synfront: mbufs in use: %u\n", in_use);
	rte_mempool_free(a->pool);
	if (a->consumer.log != NULL && a->consumer.log != stdout)
		fclose(a->consumer.log);
}

int
main(int argc, char **argv)
{
	static struct app a;
	int ret;

	parse_app_args(&a.cfg, argc, argv);
	open_log(&a.cfg, &a.consumer);

	argv = sf_app_xdp_args(&a.cfg, argc, argv);
	ret = rte_eal_init(argc, argv);
	if (ret < 0 && rte_errno == EINVAL) {
		/* EAL names no option: its usage text is above. */
		fprintf(stderr, "synfront: EAL arguments (before '--') rejected: see the EAL usage above\n");
		exit(EXIT_USAGE);
	}
	if (ret < 0)
		rte_exit(EXIT_FAILURE, "EAL initialisation failed: %s\n",
			 rte_strerror(rte_errno));
	if (!a.cfg.key_set && a.cfg.key_file[0] == '\0')
		random_key(&a.cfg);

	signal(SIGINT, signal_handler);
	signal(SIGTERM, signal_handler);
	signal(SIGHUP, signal_handler);
	setvbuf(stdout, NULL, _IOLBF, 0);

	a.n_workers = rte_lcore_count() - 1;
	if (a.n_workers == 0)
		usage_exit("no worker lcore: give at least two lcores (-l 0-1): the main lcore runs the consumer, the others poll");

	setup_ports(&a);
	setup_workers(&a);

	if (rte_pdump_init() != 0)
		printf("synfront: packet capture (rte_pdump) unavailable: %s\n",
		       rte_strerror(rte_errno));
	ret = sf_stats_telemetry_register(
		(const struct sf_stats *const *)a.stats, a.lcores, a.n_workers,
		&a.cfg);
	if (ret == 0)
		ret = sf_app_xdp_telemetry_register();
	if (ret == 0)
		ret = sf_app_fleet_telemetry_register(&a.fleet);
	if (ret != 0)
		rte_exit(EXIT_FAILURE, "cannot register telemetry commands: %s\n",
			 strerror(-ret));

	a.consumer.mode = a.cfg.consumer;
	a.consumer.n_rings = a.n_workers;
	a.consumer.rings = a.rings;
	sf_app_consumer_proxy(&a.consumer, &a.cfg, a.cmd_rings);

	sf_app_consumer_claim(&a.consumer);

	print_listening(&a.cfg);
	for (unsigned int w = 0; w < a.n_workers; w++) {
		printf("synfront: worker %u on lcore %u, queue %u, ring " SF_HANDOFF_NAME_FMT "\n",
		       w, a.lcores[w], w, w);
		ret = rte_eal_remote_launch(sf_worker_main, a.workers[w],
					    a.lcores[w]);
		if (ret != 0)
			rte_exit(EXIT_FAILURE,
				 "cannot launch worker %u on lcore %u: %s\n",
				 w, a.lcores[w], strerror(-ret));
	}
	printf("synfront: ready\n");

	main_loop(&a);
	printf("synfront: stopping\n");
	shutdown_all(&a);
	if (rte_pdump_uninit() != 0)
		printf("synfront: rte_pdump_uninit failed\n");
	rte_eal_cleanup();
	printf("synfront: exit 0\n");
	return EXIT_SUCCESS;
}
