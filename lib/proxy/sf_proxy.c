/* SPDX-License-Identifier: BSD-3-Clause */

/*
 * The proxy object: its mbuf pool, the connection table (handle ->
 * rte_hash position -> conns[position]), the epoll set, and one round of
 * sf_proxy_poll(): connect timeouts, sockets ready, ring events, retries.
 */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <unistd.h>

#include <rte_common.h>
#include <rte_cycles.h>
#include <rte_errno.h>
#include <rte_hash.h>
#include <rte_jhash.h>
#include <rte_mbuf.h>

#include "sf_proxy_priv.h"

#define PROXY_BURST		64
#define PROXY_POOL_CACHE	0
#define PROXY_NAME_LEN		RTE_MEMPOOL_NAMESIZE
#define MS_PER_S		1000

/* The table's key: a handle with its pad zeroed. */
static struct sf_handle
key_of(const struct sf_handle *h)
{
	struct sf_handle k = *h;

	k.pad = 0;
	return k;
}

struct sf_proxy_conn *
sf_proxy_table_find(struct sf_proxy *p, const struct sf_handle *h)
{
	struct sf_handle k = key_of(h);
	int32_t pos = rte_hash_lookup(p->table, &k);

	return pos < 0 ? NULL : &p->conns[pos];
}

/*
 * rte_hash (no concurrency flags) hands out positions 0 .. entries - 1 and
 * fails with -ENOSPC past entries keys; it takes at least 8 entries (one
 * bucket), so a max_conns below that is kept here.
 */
struct sf_proxy_conn *
sf_proxy_table_take(struct sf_proxy *p, const struct sf_handle *h)
{
	struct sf_handle k = key_of(h);
	struct sf_proxy_conn *c;
	int32_t pos;

	if ((unsigned int)rte_hash_count(p->table) >= p->max_conns)
		return NULL;
	pos = rte_hash_add_key(p->table, &k);
	if (pos < 0)
		return NULL;
	c = &p->conns[pos];
	memset(c, 0, sizeof(*c));
	c->h = k;
	c->fd = -1;
	return c;
}

void
sf_proxy_table_put(struct sf_proxy *p, struct sf_proxy_conn *c)
{
	if (c->flags & SF_PC_F_OWED)
		TAILQ_REMOVE(&p->owed, c, oq);
	rte_hash_del_key(p->table, &c->h);
	c->flags = 0;
	c->state = SF_PC_FREE;
}

static int
make_tables(struct sf_proxy *p, const struct sf_proxy_conf *c, char *err,
	    size_t len)
{
	char name[PROXY_NAME_LEN];
	struct rte_hash_parameters hp = {
		.name = name,
		.entries = RTE_MAX(c->max_conns, 8u),
		.key_len = sizeof(struct sf_handle),
		.hash_func = rte_jhash,
		.socket_id = c->socket_id,
	};
	unsigned int i;

	snprintf(name, sizeof(name), "%s_tab", c->name);
	p->table = rte_hash_create(&hp);
	if (p->table == NULL) {
		snprintf(err, len,
			 "proxy: cannot create its connection table ([proxy] max_conns = %u): %s",
			 c->max_conns, rte_strerror(rte_errno));
		return -1;
	}
	p->conns = calloc(hp.entries, sizeof(*p->conns));
	if (p->conns == NULL) {
		snprintf(err, len,
			 "proxy: no memory for its connections ([proxy] max_conns = %u)",
			 c->max_conns);
		return -1;
	}
	p->n_slots = hp.entries;
	p->max_conns = c->max_conns;
	for (i = 0; i < hp.entries; i++)
		p->conns[i].fd = -1;
	return 0;
}

static int
check_conf(const struct sf_proxy_conf *c, char *err, size_t len)
{
	if (c->n_backends == 0 || c->n_backends > SF_PROXY_MAX_BACKENDS) {
		snprintf(err, len, "proxy: %u backends, need 1..%u",
			 c->n_backends, SF_PROXY_MAX_BACKENDS);
		return -1;
	}
	if (c->n_rings == 0 || c->ev_rings == NULL || c->cmd_rings == NULL) {
		snprintf(err, len, "proxy: no rings");
		return -1;
	}
	for (unsigned int i = 0; i < c->n_rings; i++) {
		if (c->ev_rings[i] == NULL || c->cmd_rings[i] == NULL) {
			snprintf(err, len,
				 "proxy: worker %u has no event or command ring",
				 i);
			return -1;
		}
	}
	if (c->max_conns == 0) {
		snprintf(err, len, "proxy: [proxy] max_conns is 0");
		return -1;
	}
	if (c->pool_mbufs == 0) {
		snprintf(err, len, "proxy: [proxy] send_pool is 0");
		return -1;
	}
	if (c->name == NULL) {
		snprintf(err, len, "proxy: no name");
		return -1;
	}
	return 0;
}

struct sf_proxy *
sf_proxy_create(const struct sf_proxy_conf *c, char *err, size_t len)
{
	const uint64_t hz = rte_get_tsc_hz();
	char name[PROXY_NAME_LEN];
	struct sf_proxy *p;

	if (check_conf(c, err, len) != 0)
		return NULL;
	p = calloc(1, sizeof(*p));
	if (p == NULL) {
		snprintf(err, len, "proxy: no memory");
		return NULL;
	}
	p->epfd = -1;
	sf_proxy_backends_init(&p->backends, c->backends, c->n_backends,
			       c->balance, (uint64_t)c->down_ms * hz / MS_PER_S,
			       c->fall);
	p->pp = c->proxy_protocol;
	p->timeout_tsc = (uint64_t)c->connect_timeout_ms * hz / MS_PER_S;
	p->n_rings = c->n_rings;
	p->ev_rings = c->ev_rings;
	p->cmd_rings = c->cmd_rings;
	TAILQ_INIT(&p->connecting);
	TAILQ_INIT(&p->owed);
	if (make_tables(p, c, err, len) != 0)
		goto fail;
	snprintf(name, sizeof(name), "%s_mbufs", c->name);
	p->pool = rte_pktmbuf_pool_create(name, c->pool_mbufs,
					  PROXY_POOL_CACHE, 0,
					  RTE_PKTMBUF_HEADROOM +
					  SF_PROXY_MBUF_DATA, c->socket_id);
	if (p->pool == NULL) {
		snprintf(err, len,
			 "proxy: cannot create its SEND mbuf pool ([proxy] send_pool = %u mbufs of %u bytes, %llu MB of hugepages): %s",
			 c->pool_mbufs, SF_PROXY_MBUF_DATA,
			 (unsigned long long)c->pool_mbufs *
			 (SF_PROXY_MBUF_DATA + RTE_PKTMBUF_HEADROOM + 128) >> 20,
			 rte_strerror(rte_errno));
		goto fail;
	}
	p->epfd = epoll_create1(EPOLL_CLOEXEC);
	if (p->epfd < 0) {
		snprintf(err, len, "proxy: epoll_create1: %s",
			 strerror(errno));
		goto fail;
	}
	return p;
fail:
	sf_proxy_free(p);
	return NULL;
}

void
sf_proxy_free(struct sf_proxy *p)
{
	unsigned int i;

	if (p == NULL)
		return;
	for (i = 0; p->conns != NULL && i < p->n_slots; i++)
		if (p->conns[i].state != SF_PC_FREE)
			sf_pc_drop(p, &p->conns[i], true);
	if (p->epfd >= 0)
		close(p->epfd);
	rte_mempool_free(p->pool);
	rte_hash_free(p->table);
	free(p->conns);
	free(p);
}

/* Connects past their deadline, oldest first. */
static unsigned int
expire(struct sf_proxy *p, uint64_t now)
{
	struct sf_proxy_conn *c;
	unsigned int n = 0;

	while ((c = TAILQ_FIRST(&p->connecting)) != NULL &&
	       c->deadline <= now) {
		sf_pc_connect_failed(p, c, now);
		n++;
	}
	return n;
}

static unsigned int
poll_sockets(struct sf_proxy *p, uint64_t now)
{
	struct epoll_event ev[PROXY_BURST];
	int n, i;

	n = epoll_wait(p->epfd, ev, PROXY_BURST, 0);
	for (i = 0; i < n; i++)
		sf_pc_io(p, ev[i].data.ptr, ev[i].events, now);
	return n > 0 ? (unsigned int)n : 0;
}

static void
dispatch(struct sf_proxy *p, struct sf_event *ev, uint64_t now)
{
	struct sf_proxy_conn *c;

	if (ev->type == SF_EV_ESTABLISHED) {
		uint64_t t = rte_rdtsc();

		/* handoff latency: the worker's TSC to this dequeue */
		sf_proxy_hist_add(&p->latency, t > ev->tsc ? t - ev->tsc : 0);
		sf_pc_established(p, ev, now);
		return;
	}
	c = sf_proxy_table_find(p, &ev->handle);
	if (c == NULL) {
		SF_PROXY_INC(p, unknown_handle);
		sf_event_release(ev);
		return;
	}
	sf_pc_event(p, c, ev);
}

static unsigned int
poll_rings(struct sf_proxy *p, uint64_t now)
{
	struct sf_event ev[PROXY_BURST];
	unsigned int r, i, n, total = 0;

	for (r = 0; r < p->n_rings; r++) {
		n = sf_handoff_dequeue_burst(p->ev_rings[r], ev, PROXY_BURST);
		for (i = 0; i < n; i++)
			dispatch(p, &ev[i], now);
		total += n;
	}
	return total;
}

static unsigned int
retry_owed(struct sf_proxy *p)
{
	struct sf_proxy_conn *c, *next;
	unsigned int n = 0;

	for (c = TAILQ_FIRST(&p->owed); c != NULL; c = next) {
		next = TAILQ_NEXT(c, oq);
		if (sf_pc_retry(p, c)) {
			TAILQ_REMOVE(&p->owed, c, oq);
			c->flags &= ~SF_PC_F_OWED;
			n++;
		}
	}
	return n;
}

unsigned int
sf_proxy_poll(struct sf_proxy *p, uint64_t now)
{
	unsigned int n;

	n = expire(p, now);
	n += poll_sockets(p, now);
	n += poll_rings(p, now);
	if (!TAILQ_EMPTY(&p->owed))
		n += retry_owed(p);
	return n;
}

unsigned int
sf_proxy_drain(struct sf_proxy *p)
{
	unsigned int r, n = 0;

	for (r = 0; r < p->n_rings; r++)
		n += sf_handoff_drain(p->ev_rings[r]);
	return n;
}

const struct sf_proxy_backends *
sf_proxy_backends(const struct sf_proxy *p)
{
	return &p->backends;
}

uint64_t
sf_proxy_counter(const struct sf_proxy *p, unsigned int c)
{
	return c < SF_PROXY_CNT_MAX ? p->cnt[c] : 0;
}

const struct sf_proxy_hist *
sf_proxy_latency(const struct sf_proxy *p)
{
	return &p->latency;
}

unsigned int
sf_proxy_active(const struct sf_proxy *p)
{
	return (unsigned int)rte_hash_count(p->table);
}
