/* SPDX-License-Identifier: BSD-3-Clause */

/*
 * sf-events: an example consumer in a DPDK secondary process. It attaches
 * to the handoff rings of a running synfront (started with --consumer none)
 * by name, claims them (one consumer a ring: it exits 2 when another
 * process drains one) and prints one JSON line per event.
 *
 * With --echo (synfront with --reply on) it is also the smallest user of
 * the command rings (sf_echo.h): each DATA event's mbuf is trimmed to its
 * payload and sent back (SEND), and the client's FIN answered with CLOSE.
 * Receive credit goes back as the client acknowledges the echo (ACKED):
 * so the bytes sent and not acknowledged never exceed the initial credit,
 * which keeps them within snd_buf. One JSON line per command. Its command
 * FIFO is bounded: when full, events wait in the rings (counted).
 *
 *   sf-events --proc-type=secondary --file-prefix P -l 1 -- \
 *       --workers N [--count K] [--timeout S] [--echo]
 */

#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_cycles.h>
#include <rte_eal.h>
#include <rte_errno.h>

#include "sf_echo.h"
#include "sf_handoff.h"

#define BURST		32
#define MAX_WORKERS	SF_ECHO_MAX_WORKERS
#define IDLE_SLEEP_US	200
#define PENDING_MAX	8192	/* commands waiting for room, a power of two */
#define ECHO_CONNS	65536	/* connections echoed at once, a power of two */

static volatile bool force_quit;

static void
signal_handler(int signum)
{
	(void)signum;
	force_quit = true;
}

static void
usage(const char *prog)
{
	printf("usage: %s [EAL options: --proc-type=secondary --file-prefix P] -- "
	       "--workers N [--count K] [--timeout S]\n"
	       "  --workers N   rings sf_handoff_0..N-1 to attach (default 1)\n"
	       "  --count K     exit after K events (default: until --timeout or a signal)\n"
	       "  --timeout S   exit after S seconds (default 0: none)\n"
	       "  --echo        send each connection's data back, close after its FIN\n"
	       "                (synfront with --reply on)\n"
	       "exit status: 0 when --count events arrived (or, without --count, at least one),\n"
	       "1 otherwise, 2 for a bad option or a ring another consumer drains\n", prog);
}

static unsigned long
number(const char *opt, const char *s, unsigned long max)
{
	char *end;
	unsigned long v;

	if (s == NULL || *s < '0' || *s > '9') {
		fprintf(stderr, "sf-events: %s: '%s' is not a number\n", opt,
			s ? s : "");
		exit(2);
	}
	v = strtoul(s, &end, 10);
	if (*end != '\0' || v > max) {
		fprintf(stderr, "sf-events: %s: '%s' is out of range 0..%lu\n",
			opt, s, max);
		exit(2);
	}
	return v;
}

/* What to attach to and when to stop. */
struct opts {
	unsigned long workers;	/* rings sf_evt_0 .. workers - 1 */
	unsigned long count;	/* stop after this many events, 0 = never */
	unsigned long timeout;	/* stop after this many seconds, 0 = never */
	bool echo;		/* echo through the command rings */
};

/* The options after EAL's; exits with 0 (--help) or 2 (a bad option). */
static void
parse_args(int argc, char **argv, struct opts *o)
{
	static const struct option opts[] = {
		{ "workers", required_argument, NULL, 'w' },
		{ "count", required_argument, NULL, 'c' },
		{ "timeout", required_argument, NULL, 't' },
		{ "echo", no_argument, NULL, 'e' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int opt;

	o->workers = 1;
	o->count = 0;
	o->timeout = 0;
	o->echo = false;
	opterr = 0;
	optind = 1;
	while ((opt = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (opt) {
		case 'w':
			o->workers = number("--workers", optarg, MAX_WORKERS);
			break;
		case 'c':
			o->count = number("--count", optarg, 1000000000UL);
			break;
		case 't':
			o->timeout = number("--timeout", optarg, 86400);
			break;
		case 'e':
			o->echo = true;
			break;
		case 'h':
			usage("sf-events");
			exit(0);
		default:
			fprintf(stderr, "sf-events: %s: unknown option\n",
				argv[optind - 1]);
			exit(2);
		}
	}
	if (o->workers == 0) {
		fprintf(stderr, "sf-events: --workers: must be at least 1\n");
		exit(2);
	}
}

/*
 * Claim every ring before draining any: a ring has one consumer. Exits 2,
 * naming the holder, when one is drained already (its claims undone).
 */
static void
claim_rings(unsigned long workers)
{
	struct sf_handoff_holder h;
	unsigned int i;
	int ret;

	ret = sf_handoff_claim_all((unsigned int)workers,
				   SF_HANDOFF_OWNER_EXTERNAL, &h, &i);
	if (ret == 0)
		return;
	if (ret == -EBUSY)
		fprintf(stderr, "sf-events: ring " SF_HANDOFF_NAME_FMT
			" is drained by pid %u (%s)%s\n", i, h.pid,
			sf_handoff_owner_str(h.owner),
			h.owner == SF_HANDOFF_OWNER_BUILTIN ?
			"; start synfront with --consumer none" : "");
	else
		fprintf(stderr, "sf-events: cannot claim ring "
			SF_HANDOFF_NAME_FMT ": %s\n", i, strerror(-ret));
	rte_eal_cleanup();
	exit(2);
}

static void
release_rings(unsigned long workers)
{
	unsigned int i;

	for (i = 0; i < workers; i++)
		sf_handoff_release(i, SF_HANDOFF_OWNER_EXTERNAL);
}

/* Print every event as a JSON line until told to stop. @return events. */
static unsigned long
drain(struct rte_ring **rings, const struct opts *o, struct sf_echo *echo)
{
	uint64_t deadline = 0;
	unsigned long got = 0;
	char line[1024];
	unsigned int i;

	if (o->timeout > 0)
		deadline = rte_rdtsc() + o->timeout * rte_get_tsc_hz();
	while (!force_quit && (o->count == 0 || got < o->count)) {
		unsigned int n = 0;

		for (i = 0; i < o->workers; i++) {
			struct sf_event ev[BURST];
			unsigned int k, m, room = BURST;

			if (echo != NULL)	/* one command an event at most */
				room = RTE_MIN(room, sf_echo_room(echo));
			m = sf_handoff_dequeue_burst(rings[i], ev, room);
			for (k = 0; k < m; k++) {
				sf_event_format_json(&ev[k], line, sizeof(line));
				puts(line);
				if (echo != NULL)
					sf_echo_event(echo, &ev[k]);
				sf_event_release(&ev[k]);
			}
			n += m;
		}
		got += n;
		if (echo != NULL)
			sf_echo_flush(echo);
		if (deadline != 0 && rte_rdtsc() > deadline)
			break;
		if (n == 0)
			rte_delay_us_sleep(IDLE_SLEEP_US);
	}
	return got;
}

int
main(int argc, char **argv)
{
	struct rte_ring *rings[MAX_WORKERS];
	struct sf_echo *echo = NULL;
	unsigned long got;
	struct opts o;
	unsigned int i;
	int ret;

	ret = rte_eal_init(argc, argv);
	if (ret < 0)
		rte_exit(EXIT_FAILURE, "EAL initialisation failed: %s\n",
			 rte_strerror(rte_errno));
	parse_args(argc - ret, argv + ret, &o);
	if (rte_eal_process_type() != RTE_PROC_SECONDARY)
		rte_exit(EXIT_FAILURE,
			 "run as a secondary process: --proc-type=secondary --file-prefix <synfront's>\n");

	for (i = 0; i < o.workers; i++) {
		rings[i] = sf_handoff_lookup(i);
		if (rings[i] == NULL)
			rte_exit(EXIT_FAILURE,
				 "ring " SF_HANDOFF_NAME_FMT " not found: is synfront running with --consumer none and %lu workers?\n",
				 i, o.workers);
	}
	if (o.echo) {
		echo = sf_echo_create(ECHO_CONNS, PENDING_MAX, stdout);
		if (echo == NULL)
			rte_exit(EXIT_FAILURE, "--echo: no memory for %u connections and %u commands\n",
				 ECHO_CONNS, PENDING_MAX);
	}
	for (i = 0; o.echo && i < o.workers; i++) {
		struct rte_ring *cmd = sf_cmd_lookup(i);

		if (cmd == NULL)
			rte_exit(EXIT_FAILURE,
				 "command ring " SF_CMD_NAME_FMT " not found: is synfront running with --reply on?\n",
				 i);
		sf_echo_attach(echo, i, cmd);
	}
	claim_rings(o.workers);
	signal(SIGINT, signal_handler);
	signal(SIGTERM, signal_handler);
	setvbuf(stdout, NULL, _IOLBF, 0);
	fprintf(stderr, "sf-events: attached to %lu ring(s)\n", o.workers);

	got = drain(rings, &o, echo);
	fprintf(stderr, "sf-events: %lu event(s)\n", got);
	if (echo != NULL) {
		struct sf_echo_stats st;

		sf_echo_stats(echo, &st);
		fprintf(stderr, "sf-events: %" PRIu64 " command(s) sent, %u left waiting, "
			"%" PRIu64 " held back (FIFO full), %" PRIu64 " purged (connection ended), "
			"%" PRIu64 " bad, %" PRIu64 " connection(s) untracked, %u open\n",
			st.sent, st.waiting, st.fifo_full, st.purged, st.bad,
			st.untracked, st.conns);
		sf_echo_free(echo);	/* what still waits: freed */
	}
	release_rings(o.workers);
	rte_eal_cleanup();
	if (o.count > 0)
		return got >= o.count ? 0 : 1;
	return got > 0 ? 0 : 1;
}
