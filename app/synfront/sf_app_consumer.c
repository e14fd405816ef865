/* SPDX-License-Identifier: BSD-3-Clause */

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include <rte_cycles.h>
#include <rte_debug.h>
#include <rte_lcore.h>

#include "sf_app_consumer.h"

#define CONSUMER_BURST	64
#define JSON_LINE_MAX	1024
#define PROXY_NAME	"sf_proxy"
#define ERR_LEN		256

static void
consume(struct sf_app_consumer *c, struct sf_event *ev)
{
	char line[JSON_LINE_MAX];

	if (ev->type < SF_EV_TYPE_MAX)
		c->by_type[ev->type]++;
	c->total++;
	if (c->mode == SF_CONSUMER_LOG && c->log != NULL) {
		sf_event_format_json(ev, line, sizeof(line));
		fputs(line, c->log);
		fputc('\n', c->log);
	}
	sf_event_release(ev);
}

static unsigned int
poll_ring(struct sf_app_consumer *c, struct rte_ring *r)
{
	struct sf_event ev[CONSUMER_BURST];
	unsigned int n, i;

	n = sf_handoff_dequeue_burst(r, ev, CONSUMER_BURST);
	for (i = 0; i < n; i++)
		consume(c, &ev[i]);
	return n;
}

void
sf_app_consumer_proxy(struct sf_app_consumer *c, const struct sf_config *cfg,
		      struct rte_ring *const *cmd_rings)
{
	struct sf_proxy_conf pc = {
		.backends = cfg->backends,
		.n_backends = cfg->n_backends,
		.balance = (enum sf_proxy_balance)cfg->balance,
		.proxy_protocol = (enum sf_proxy_pp)cfg->proxy_protocol,
		.connect_timeout_ms = cfg->connect_timeout_ms,
		.down_ms = cfg->down_ms,
		.fall = cfg->fall,
		.n_rings = c->n_rings,
		.ev_rings = c->rings,
		.cmd_rings = cmd_rings,
		.max_conns = cfg->proxy_max_conns,
		.pool_mbufs = cfg->proxy_send_pool,
		.socket_id = (int)rte_socket_id(),
		.name = PROXY_NAME,
	};
	char err[ERR_LEN];
	int ret;

	if (c->mode != SF_CONSUMER_PROXY)
		return;
	c->proxy = sf_proxy_create(&pc, err, sizeof(err));
	if (c->proxy == NULL)
		rte_exit(EXIT_FAILURE, "%s\n", err);
	ret = sf_proxy_telemetry_register(c->proxy);
	if (ret != 0)
		rte_exit(EXIT_FAILURE,
			 "cannot register /synfront/proxy: %s\n",
			 strerror(-ret));
}

void
sf_app_consumer_free(struct sf_app_consumer *c)
{
	sf_proxy_free(c->proxy);
	c->proxy = NULL;
}

void
sf_app_consumer_claim(const struct sf_app_consumer *c)
{
	struct sf_handoff_holder h;
	unsigned int i;
	int ret;

	if (c->mode == SF_CONSUMER_NONE)
		return;
	ret = sf_handoff_claim_all(c->n_rings, SF_HANDOFF_OWNER_BUILTIN, &h,
				   &i);
	if (ret == -EBUSY)
		rte_exit(EXIT_FAILURE, "ring " SF_HANDOFF_NAME_FMT
			 " is drained by pid %u (%s)\n", i, h.pid,
			 sf_handoff_owner_str(h.owner));
	if (ret != 0)
		rte_exit(EXIT_FAILURE, "cannot claim ring "
			 SF_HANDOFF_NAME_FMT ": %s\n", i, strerror(-ret));
}

void
sf_app_consumer_release(const struct sf_app_consumer *c)
{
	unsigned int i;

	if (c->mode == SF_CONSUMER_NONE)
		return;
	for (i = 0; i < c->n_rings; i++)
		sf_handoff_release(i, SF_HANDOFF_OWNER_BUILTIN);
}

unsigned int
sf_app_consumer_poll(struct sf_app_consumer *c)
{
	unsigned int i, n = 0;

	if (c->mode == SF_CONSUMER_NONE)
		return 0;
	if (c->mode == SF_CONSUMER_PROXY)
		return sf_proxy_poll(c->proxy, rte_rdtsc());
	for (i = 0; i < c->n_rings; i++)
		n += poll_ring(c, c->rings[i]);
	if (n > 0 && c->log != NULL)
		fflush(c->log);
	return n;
}

unsigned int
sf_app_consumer_flush(struct sf_app_consumer *c)
{
	unsigned int i, n = 0, got;

	/* the proxy's connections end with the process: events freed */
	if (c->mode == SF_CONSUMER_PROXY)
		return sf_proxy_drain(c->proxy);
	for (i = 0; i < c->n_rings; i++) {
		if (c->mode == SF_CONSUMER_NONE) {
			n += sf_handoff_drain(c->rings[i]);
			continue;
		}
		do {
			got = poll_ring(c, c->rings[i]);
			n += got;
		} while (got > 0);
	}
	if (c->log != NULL)
		fflush(c->log);
	return n;
}

void
sf_app_consumer_print_part(const struct sf_app_consumer *c, FILE *f)
{
	if (c->proxy == NULL)
		return;
	fputs(" | ", f);
	sf_proxy_print(f, c->proxy);
}

void
sf_app_consumer_print(const struct sf_app_consumer *c, FILE *f)
{
	unsigned int t;

	if (c->proxy != NULL) {
		fputs("consumer: ", f);
		sf_proxy_print(f, c->proxy);
		fputc('\n', f);
		return;
	}

	fprintf(f, "consumer: %" PRIu64 " events", c->total);
	for (t = SF_EV_ESTABLISHED; t < SF_EV_TYPE_MAX; t++)
		fprintf(f, " %s %" PRIu64, sf_event_type_str(t),
			c->by_type[t]);
	fputc('\n', f);
}
