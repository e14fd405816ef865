/* SPDX-License-Identifier: BSD-3-Clause */

/*
 * sf-events --echo (sf_echo.h): a table of the connections echoed (open
 * addressing by handle, for the ACKED counts) and a FIFO of commands.
 */

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <rte_common.h>
#include <rte_mbuf.h>

#include "sf_echo.h"

/* A connection echoed: the bytes its ACKED events reported so far. */
struct sf_echo_conn {
	struct sf_handle h;	/* gen 0: a free entry */
	uint32_t acked;		/* last ACKED value */
	bool fin;		/* the client closed: it sends no more */
};

struct sf_echo {
	struct rte_ring *cmd[SF_ECHO_MAX_WORKERS];	/* by worker */
	struct sf_echo_conn *conn;	/* nconn entries */
	struct sf_cmd *fifo;		/* nfifo places */
	unsigned int nconn, nfifo;
	unsigned int head, n;		/* the FIFO's first, its length */
	FILE *log;
	struct sf_echo_stats st;
};

struct sf_echo *
sf_echo_create(unsigned int conns, unsigned int fifo, FILE *log)
{
	struct sf_echo *e;

	if (conns < 2 || !rte_is_power_of_2(conns) || fifo < 2 ||
	    !rte_is_power_of_2(fifo))
		return NULL;
	e = calloc(1, sizeof(*e));
	if (e == NULL)
		return NULL;
	e->conn = calloc(conns, sizeof(*e->conn));
	e->fifo = calloc(fifo, sizeof(*e->fifo));
	if (e->conn == NULL || e->fifo == NULL) {
		sf_echo_free(e);
		return NULL;
	}
	e->nconn = conns;
	e->nfifo = fifo;
	e->log = log;
	return e;
}

void
sf_echo_free(struct sf_echo *e)
{
	if (e == NULL)
		return;
	while (e->fifo != NULL && e->n > 0) {	/* not sent: ours */
		rte_pktmbuf_free(e->fifo[e->head].mbuf);
		e->head = (e->head + 1) & (e->nfifo - 1);
		e->n--;
	}
	free(e->conn);
	free(e->fifo);
	free(e);
}

int
sf_echo_attach(struct sf_echo *e, unsigned int worker, struct rte_ring *cmd)
{
	if (worker >= SF_ECHO_MAX_WORKERS)
		return -1;
	e->cmd[worker] = cmd;
	return 0;
}

unsigned int
sf_echo_flush(struct sf_echo *e)
{
	while (e->n > 0) {
		struct sf_cmd *c = &e->fifo[e->head];

		if (sf_cmd_enqueue(e->cmd[c->handle.worker], c) != 0)
			break;
		e->head = (e->head + 1) & (e->nfifo - 1);
		e->n--;
		e->st.sent++;
	}
	return e->n;
}

unsigned int
sf_echo_room(struct sf_echo *e)
{
	unsigned int room = e->nfifo - sf_echo_flush(e);

	if (room == 0)
		e->st.fifo_full++;
	return room;
}

/* Queue one command behind those waiting (there is room); log it. */
static void
sf_echo_cmd(struct sf_echo *e, const struct sf_handle *h, uint8_t type,
	    struct rte_mbuf *m, uint32_t credit)
{
	if (e->log != NULL)
		fprintf(e->log, "{\"cmd\":\"%s\",\"worker\":%u,\"slot\":%u,"
			"\"gen\":%u,\"len\":%u,\"credit\":%u}\n",
			sf_cmd_type_str(type), (unsigned int)h->worker,
			h->slot, h->gen,
			m != NULL ? rte_pktmbuf_pkt_len(m) : 0, credit);
	if (h->worker >= SF_ECHO_MAX_WORKERS || e->cmd[h->worker] == NULL ||
	    e->n == e->nfifo) {
		e->st.bad++;
		rte_pktmbuf_free(m);
		return;
	}
	sf_cmd_fill(&e->fifo[(e->head + e->n) & (e->nfifo - 1)], h, type, m,
		    credit);
	e->n++;
	sf_echo_flush(e);
}

static bool
sf_echo_same(const struct sf_handle *a, const struct sf_handle *b)
{
	return a->gen == b->gen && a->slot == b->slot &&
		a->worker == b->worker;
}

/* The entry of a handle (found, or a free one to take), NULL when none. */
static struct sf_echo_conn *
sf_echo_find(struct sf_echo *e, const struct sf_handle *h, bool take)
{
	unsigned int mask = e->nconn - 1, i;
	unsigned int k = (h->slot * 31u + h->worker) & mask;

	for (i = 0; i < e->nconn; i++, k = (k + 1) & mask) {
		struct sf_echo_conn *c = &e->conn[k];

		if (sf_echo_same(&c->h, h))
			return c;
		if (c->h.gen == 0)
			return take ? c : NULL;
	}
	return NULL;
}

/* Forget a connection, keeping the probe chains whole. */
static void
sf_echo_forget(struct sf_echo *e, struct sf_echo_conn *c)
{
	unsigned int mask = e->nconn - 1;
	unsigned int j = ((unsigned int)(c - e->conn) + 1) & mask;

	memset(c, 0, sizeof(*c));
	e->st.conns--;
	/* re-place the entries after it until a free one */
	for (; e->conn[j].h.gen != 0; j = (j + 1) & mask) {
		struct sf_echo_conn x = e->conn[j];

		memset(&e->conn[j], 0, sizeof(e->conn[j]));
		*sf_echo_find(e, &x.h, true) = x;
	}
}

/* Drop the waiting commands of handle @p h (its connection ended). */
static void
sf_echo_purge(struct sf_echo *e, const struct sf_handle *h)
{
	unsigned int mask = e->nfifo - 1, i, kept = 0;

	for (i = 0; i < e->n; i++) {
		struct sf_cmd *c = &e->fifo[(e->head + i) & mask];

		if (sf_echo_same(&c->handle, h)) {
			rte_pktmbuf_free(c->mbuf);
			e->st.purged++;
			continue;
		}
		e->fifo[(e->head + kept++) & mask] = *c;
	}
	e->n = kept;
}

/* DATA: its mbuf, trimmed to the payload, goes back in a SEND. */
static void
sf_echo_data(struct sf_echo *e, struct sf_event *ev)
{
	struct rte_mbuf *m = ev->mbuf;
	uint32_t len = ev->data_len;

	if (m == NULL)
		return;
	ev->mbuf = NULL;
	if (rte_pktmbuf_adj(m, ev->data_off) == NULL ||
	    rte_pktmbuf_pkt_len(m) < len ||
	    rte_pktmbuf_trim(m, (uint16_t)(rte_pktmbuf_pkt_len(m) - len)) != 0) {
		e->st.bad++;
		rte_pktmbuf_free(m);
		return;
	}
	sf_echo_cmd(e, &ev->handle, SF_CMD_SEND, m, 0);
}

void
sf_echo_event(struct sf_echo *e, struct sf_event *ev)
{
	struct sf_echo_conn *c;

	switch (ev->type) {
	case SF_EV_ESTABLISHED:
		c = sf_echo_find(e, &ev->handle, true);
		if (c == NULL) {
			e->st.untracked++;
		} else if (c->h.gen == 0) {
			*c = (struct sf_echo_conn){ .h = ev->handle };
			e->st.conns++;
		}
		break;
	case SF_EV_DATA:
		sf_echo_data(e, ev);
		break;
	case SF_EV_FIN:
		c = sf_echo_find(e, &ev->handle, false);
		if (c != NULL)
			c->fin = true;
		sf_echo_cmd(e, &ev->handle, SF_CMD_CLOSE, NULL, 0);
		break;
	case SF_EV_ACKED:
		c = sf_echo_find(e, &ev->handle, false);
		if (c == NULL)
			e->st.unknown++;
		else if (c->fin)	/* no window to open any more */
			c->acked = ev->seq;
		else if (ev->seq != c->acked) {
			sf_echo_cmd(e, &ev->handle, SF_CMD_CREDIT, NULL,
				    ev->seq - c->acked);
			c->acked = ev->seq;
		}
		break;
	case SF_EV_CLOSED:
	case SF_EV_RST:
	case SF_EV_TIMEOUT:
		sf_echo_purge(e, &ev->handle);
		c = sf_echo_find(e, &ev->handle, false);
		if (c == NULL)
			e->st.unknown++;
		else
			sf_echo_forget(e, c);
		break;
	default:
		break;
	}
}

void
sf_echo_stats(const struct sf_echo *e, struct sf_echo_stats *st)
{
	*st = e->st;
	st->waiting = e->n;
}
