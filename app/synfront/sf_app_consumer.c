/* SPDX-License-Identifier: BSD-3-Clause */

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include <rte_debug.h>

#include "sf_app_consumer.h"

#define CONSUMER_BURST	64
#define JSON_LINE_MAX	1024

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
sf_app_consumer_claim(const struct sf_app_consumer *c)
{
	struct sf_handoff_holder h;
	unsigned int i;
	int ret;

	if (c->mode == SF_CONSUMER_NONE)
		return;
	for (i = 0; i < c->n_rings; i++) {
		ret = sf_handoff_claim(i, SF_HANDOFF_OWNER_BUILTIN, &h);
		if (ret == -EBUSY)
			rte_exit(EXIT_FAILURE, "ring " SF_HANDOFF_NAME_FMT
				 " is drained by pid %u (%s)\n", i, h.pid,
				 sf_handoff_owner_str(h.owner));
		if (ret != 0)
			rte_exit(EXIT_FAILURE, "cannot claim ring "
				 SF_HANDOFF_NAME_FMT ": %s\n", i,
				 strerror(-ret));
	}
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
sf_app_consumer_print(const struct sf_app_consumer *c, FILE *f)
{
	unsigned int t;

	fprintf(f, "consumer: %" PRIu64 " events", c->total);
	for (t = SF_EV_ESTABLISHED; t < SF_EV_TYPE_MAX; t++)
		fprintf(f, " %s %" PRIu64, sf_event_type_str(t),
			c->by_type[t]);
	fputc('\n', f);
}
