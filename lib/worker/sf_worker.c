/* SPDX-License-Identifier: BSD-3-Clause */

/*
 * A worker is made in one call (sf_worker_create): its counters, its
 * shard, its ring, its responder, undone in reverse on any failure.
 *
 * The poll loop, after DPDK's examples/l3fwd and skeleton/basicfwd.c:
 *
 *   while (!quit)
 *       tsc = rdtsc:     the previous turn's ticks are busy if it did work
 *       every DRAIN_US:  flush every port's TX buffer; write busy_tsc and
 *                        total_tsc (ticks since the start) out
 *       every EXPIRE_US: expiry sweep, the slots its pacing has earned
 *       for each port:   rx_burst -> sf_respond_burst -> TX buffer
 *                        (flushed as soon as it holds a burst)
 *       reply channel:   commands, timers, their segments out
 *
 * The clock of a burst is derived from the TSC only (no syscalls).
 *
 * A turn did work (is busy) when a port gave frames, a drain sent
 * replies, or the reply channel had commands, timers due or segments to
 * send. Its whole length counts then, from its top to the next turn's:
 * the rx_burst that returned frames, their answers and TX, and the empty
 * polls of other ports in that turn. An expiry call alone does not make a
 * turn busy (it runs every EXPIRE_US even when idle, a few slots a call
 * in steady state); in a busy turn it counts with the rest.
 */

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <rte_common.h>
#include <rte_cycles.h>
#include <rte_errno.h>
#include <rte_ethdev.h>
#include <rte_lcore.h>
#include <rte_malloc.h>
#include <rte_mbuf.h>

#include "sf_board.h"
#include "sf_handoff.h"
#include "sf_worker.h"

#define SF_US_PER_S	UINT64_C(1000000)

/** Replies waiting for tx_burst on one port: flushed at SF_WORKER_BURST. */
#define SF_WORKER_TX_BUF	(2 * SF_WORKER_BURST)
_Static_assert(SF_WORKER_BURST <= SF_RESPOND_BURST_MAX,
	       "one rx burst must be one responder burst");

struct sf_worker_txbuf {
	uint16_t n;
	struct rte_mbuf *m[SF_WORKER_TX_BUF];
};

/*
 * One worker lcore's state, cache aligned in its socket's memory. The
 * loop reads the first fields; the pointers after resp are only for
 * the accessors and sf_worker_free.
 */
struct sf_worker {
	unsigned int lcore_id;		/* EAL lcore */
	uint16_t queue_id;		/* its RX/TX queue on every port */
	uint16_t n_ports;		/* ports polled */
	uint16_t port_ids[SF_WORKER_MAX_PORTS];	/* ethdev port ids */
	struct sf_responder *resp;	/* its responder */
	struct sf_stats *stats;		/* its counters */
	volatile bool *quit;		/* the loop ends when it is true */
	const uint64_t *board_gen;	/* the board's generation, or gen */
	uint64_t gen;			/* generation of keys and clock */
	struct sf_clock_base clock;	/* its burst clock */
	uint32_t last_ms;		/* last millisecond clock given */
	struct sf_cookie_keys keys;	/* its copy: the responder's keys */
	const struct sf_board *board;	/* where keys and clock come from */
	struct sf_conn_shard *shard;	/* its connections */
	struct sf_closed *closed;	/* its closed flows, or NULL */
	struct rte_ring *ring;		/* its handoff ring */
	struct rte_ring *cmd;		/* its command ring, or NULL */
	uint64_t sweep_period_tsc;	/* a whole expiry sweep, in ticks */
	/* segments the responder originates (reply channel), per port */
	struct sf_worker_txbuf out[SF_WORKER_MAX_PORTS];
} __rte_cache_aligned;

/* Where sf_worker_create() writes its reason (buf may be NULL). */
struct sf_worker_err_buf {
	char *buf;
	size_t len;
};

/* ------------------------------------------------------------------ */
/* Creation                                                            */

/* "worker W on lcore L: " then the reason, into err (which may be NULL). */
static void __rte_format_printf(3, 4)
sf_worker_err(const struct sf_worker_conf *conf, struct sf_worker_err_buf *e,
	      const char *fmt, ...)
{
	va_list ap;
	int n;

	if (e->buf == NULL || e->len == 0)
		return;
	n = snprintf(e->buf, e->len, "worker %u on lcore %u: ",
		     conf->worker_id, conf->lcore_id);
	if (n < 0 || (size_t)n >= e->len)
		return;
	va_start(ap, fmt);
	vsnprintf(e->buf + n, e->len - (size_t)n, fmt, ap);
	va_end(ap);
}

/* Refuse a configuration before anything is made: 0, or -1 and why. */
static int
sf_worker_conf_check(const struct sf_worker_conf *conf,
		     struct sf_worker_err_buf *e)
{
	if (conf->pool == NULL)
		sf_worker_err(conf, e, "no mbuf pool");
	else if (conf->keys == NULL && conf->board == NULL)
		sf_worker_err(conf, e, "no cookie keys");
	else if (conf->quit == NULL)
		sf_worker_err(conf, e, "no quit flag");
	else if (conf->n_ports == 0 || conf->n_ports > SF_WORKER_MAX_PORTS)
		sf_worker_err(conf, e, "%u ports: not 1..%u", conf->n_ports,
			      SF_WORKER_MAX_PORTS);
	else if (conf->ring_size < 2 || !rte_is_power_of_2(conf->ring_size))
		sf_worker_err(conf, e,
			      "ring_size %u: not a power of two >= 2",
			      conf->ring_size);
	else if (conf->policy.tcp.reply &&
		 (conf->cmd_ring_size < 2 ||
		  !rte_is_power_of_2(conf->cmd_ring_size)))
		sf_worker_err(conf, e,
			      "cmd_ring_size %u: not a power of two >= 2",
			      conf->cmd_ring_size);
	else if (conf->policy.tcp.reply && conf->send_states == 0)
		sf_worker_err(conf, e, "no send states");
	else if (conf->shard_entries == 0)
		sf_worker_err(conf, e, "shard of 0 entries");
	else if (conf->closed_rate > SF_CLOSED_RATE_MAX)
		sf_worker_err(conf, e, "closed_rate %u: above %u",
			      conf->closed_rate, SF_CLOSED_RATE_MAX);
	else if (conf->clock.tsc_hz == 0)
		sf_worker_err(conf, e, "clock base without a TSC frequency");
	else if (conf->lcore_id >= RTE_MAX_LCORE)
		sf_worker_err(conf, e, "lcore id not below %u", RTE_MAX_LCORE);
	else
		return 0;
	return -1;
}

static uint16_t
sf_worker_flush(struct sf_worker *w, uint16_t port_id,
		struct sf_worker_txbuf *b);

/*
 * The responder's output (sf_respond_out_t): a segment it originates,
 * buffered for port index @p port and sent when the buffer holds a burst
 * or at the end of the loop's turn.
 */
static void
sf_worker_out(uint16_t port, struct rte_mbuf *m, void *arg)
{
	struct sf_worker *w = arg;
	struct sf_worker_txbuf *b = &w->out[port];

	b->m[b->n++] = m;
	if (b->n >= SF_WORKER_BURST)
		sf_worker_flush(w, w->port_ids[port], b);
}

/* The responder's configuration: the worker's, onto its shard and ring. */
static void
sf_worker_respond_conf(const struct sf_worker_conf *conf,
		       const struct sf_worker *w, struct sf_respond_conf *rc)
{
	unsigned int p;

	memset(rc, 0, sizeof(*rc));
	rc->policy = conf->policy;
	rc->keys = &w->keys;
	for (p = 0; p < conf->n_ports; p++)
		rc->ports[p] = conf->ports[p].resp;
	rc->n_ports = conf->n_ports;
	rc->shard = w->shard;
	rc->closed = w->closed;
	rc->ring = w->ring;
	rc->pool = conf->pool;
	rc->stats = w->stats;
	rc->lcore = (uint16_t)conf->lcore_id;
	rc->tsc_hz = conf->clock.tsc_hz;
	rc->socket_id = conf->socket_id;
	rc->worker = (uint16_t)conf->worker_id;
	rc->cmd = w->cmd;
	rc->send_states = conf->send_states;
	rc->snd_buf = conf->snd_buf;
	rc->out = sf_worker_out;
	rc->out_arg = (void *)(uintptr_t)w;
}

/* Make what the worker owns, in order; @return 0 or -1 with rte_errno. */
static int
sf_worker_make(struct sf_worker *w, const struct sf_worker_conf *conf,
	       struct sf_worker_err_buf *e)
{
	struct sf_respond_conf rc;
	char name[SF_CONN_NAME_MAX + 1];

	w->stats = rte_zmalloc_socket("sf_stats", sizeof(*w->stats),
				      RTE_CACHE_LINE_SIZE, conf->socket_id);
	if (w->stats == NULL) {
		rte_errno = ENOMEM;
		sf_worker_err(conf, e, "cannot allocate its counters (%zu bytes)",
			      sizeof(*w->stats));
		return -1;
	}
	snprintf(name, sizeof(name), SF_WORKER_SHARD_NAME_FMT,
		 conf->worker_id);
	w->shard = sf_conn_shard_create(name, conf->shard_entries,
					conf->socket_id);
	if (w->shard == NULL) {
		sf_worker_err(conf, e,
			      "cannot create connection shard %s (%u entries): %s",
			      name, conf->shard_entries, rte_strerror(rte_errno));
		return -1;
	}
	if (conf->closed_rate != 0) {
		uint64_t recs = sf_closed_records(conf->closed_rate);

		w->closed = sf_closed_create(recs, conf->socket_id);
		if (w->closed == NULL) {
			sf_worker_err(conf, e,
				      "cannot create its closed-flow table (%" PRIu64 " records, %" PRIu64 " MB, for closed_rate %u): %s",
				      recs, recs * SF_CLOSED_RECORD_BYTES >> 20, conf->closed_rate,
				      rte_strerror(rte_errno));
			return -1;
		}
	}
	w->ring = sf_handoff_create(conf->worker_id, conf->ring_size,
				    conf->socket_id);
	if (w->ring == NULL) {
		sf_worker_err(conf, e, "cannot create handoff ring "
			      SF_HANDOFF_NAME_FMT " (%u entries): %s",
			      conf->worker_id, conf->ring_size,
			      rte_strerror(rte_errno));
		return -1;
	}
	if (conf->policy.tcp.reply) {
		w->cmd = sf_cmd_create(conf->worker_id, conf->cmd_ring_size,
				       conf->socket_id);
		if (w->cmd == NULL) {
			sf_worker_err(conf, e, "cannot create command ring "
				      SF_CMD_NAME_FMT " (%u entries): %s",
				      conf->worker_id, conf->cmd_ring_size,
				      rte_strerror(rte_errno));
			return -1;
		}
	}
	sf_worker_respond_conf(conf, w, &rc);
	w->resp = sf_responder_create(&rc);
	if (w->resp == NULL) {
		sf_worker_err(conf, e,
			      "cannot create the responder (%u ports, %u VIPs, %u listening ports): %s",
			      conf->n_ports, conf->policy.n_vips,
			      conf->policy.n_lports, rte_strerror(rte_errno));
		return -1;
	}
	return 0;
}

static void
sf_worker_board_sync(struct sf_worker *w);

/*
 * Keys and clock: the board's state when there is one (then the loop
 * watches its generation), else the conf's (then it watches its own,
 * which never moves: the same check, no branch).
 */
static void
sf_worker_time_init(struct sf_worker *w, const struct sf_worker_conf *conf)
{
	struct sf_clock now;

	w->board = conf->board;
	if (conf->board != NULL) {
		sf_worker_board_sync(w);
		w->board_gen = &conf->board->gen;
	} else {
		w->keys = *conf->keys;
		w->clock = conf->clock;
		w->board_gen = &w->gen;
	}
	sf_worker_clock(&w->clock, rte_rdtsc(), &now);
	w->last_ms = now.ms;
}

struct sf_worker *
sf_worker_create(const struct sf_worker_conf *conf, char *err, size_t errlen)
{
	struct sf_worker_err_buf e = { .buf = err, .len = errlen };
	struct sf_worker *w;
	unsigned int p;
	int ret;

	if (err != NULL && errlen > 0)
		err[0] = '\0';
	if (conf == NULL) {
		if (err != NULL && errlen > 0)
			snprintf(err, errlen, "worker: no configuration");
		rte_errno = EINVAL;
		return NULL;
	}
	if (sf_worker_conf_check(conf, &e) != 0) {
		rte_errno = EINVAL;
		return NULL;
	}
	w = rte_zmalloc_socket("sf_worker", sizeof(*w), RTE_CACHE_LINE_SIZE,
			       conf->socket_id);
	if (w == NULL) {
		sf_worker_err(conf, &e, "cannot allocate its state (%zu bytes)",
			      sizeof(*w));
		rte_errno = ENOMEM;
		return NULL;
	}
	sf_worker_time_init(w, conf);
	if (sf_worker_make(w, conf, &e) != 0) {
		ret = rte_errno;
		sf_worker_free(w);
		rte_errno = ret;
		return NULL;
	}
	w->lcore_id = conf->lcore_id;
	w->queue_id = conf->queue_id;
	w->n_ports = (uint16_t)conf->n_ports;
	for (p = 0; p < conf->n_ports; p++)
		w->port_ids[p] = conf->ports[p].port_id;
	w->quit = conf->quit;
	w->sweep_period_tsc = sf_sweep_period_tsc(conf->policy.idle_timeout_s,
						  conf->clock.tsc_hz);
	return w;
}

void
sf_worker_free(struct sf_worker *w)
{
	if (w == NULL)
		return;
	sf_responder_free(w->resp);
	sf_cmd_free(w->cmd);	/* with the mbufs of SENDs not applied */
	/* Events own mbufs (DATA): back to their pool before the ring goes. */
	sf_handoff_drain(w->ring);
	sf_handoff_free(w->ring);
	sf_closed_free(w->closed);
	sf_conn_shard_free(w->shard);
	rte_free(w->stats);
	rte_free(w);
}

struct sf_stats *
sf_worker_stats(struct sf_worker *w)
{
	return w->stats;
}

struct rte_ring *
sf_worker_ring(struct sf_worker *w)
{
	return w->ring;
}

struct rte_ring *
sf_worker_cmd_ring(struct sf_worker *w)
{
	return w->cmd;
}

struct sf_conn_shard *
sf_worker_shard(struct sf_worker *w)
{
	return w->shard;
}

struct sf_responder *
sf_worker_responder(struct sf_worker *w)
{
	return w->resp;
}

struct sf_closed *
sf_worker_closed(struct sf_worker *w)
{
	return w->closed;
}

unsigned int
sf_worker_lcore(const struct sf_worker *w)
{
	return w->lcore_id;
}

/* ------------------------------------------------------------------ */
/* The loop                                                            */

/* The burst clock of this worker: its millisecond clock never goes back. */
static inline void
sf_worker_now(struct sf_worker *w, uint64_t tsc, struct sf_clock *now)
{
	sf_worker_clock(&w->clock, tsc, now);
	now->ms = sf_clock_ms_clamp(now->ms, &w->last_ms);
}

/*
 * New keys or clock base on the board: copy them (consistent, see
 * sf_board_read()). Between two bursts, so a burst is answered with one
 * set of keys; a handshake signed with the old key validates through
 * previous_key.
 */
static void
sf_worker_board_sync(struct sf_worker *w)
{
	struct sf_board_state st;

	w->gen = sf_board_read(w->board, &st);
	w->keys = st.keys;
	w->clock = st.clock;
}

/* Send a TX buffer; @return the replies it held (sent or dropped). */
static uint16_t
sf_worker_flush(struct sf_worker *w, uint16_t port_id,
		struct sf_worker_txbuf *b)
{
	uint16_t n = b->n, sent;

	if (n == 0)
		return 0;
	sent = rte_eth_tx_burst(port_id, w->queue_id, b->m, n);
	SF_STAT_ADD(w->stats, tx_pkts, sent);
	if (unlikely(sent < n)) {
		SF_STAT_ADD(w->stats, tx_dropped, n - sent);
		rte_pktmbuf_free_bulk(&b->m[sent], n - sent);
	}
	b->n = 0;
	return n;
}

/*
 * The reply channel's part of a turn: the consumer's commands, the send
 * path's timers, then what they originated goes out. The clock (four
 * divisions) is read only when a command waits or a timer may be due.
 * @return whether it did anything: commands applied, timers fired or
 *   segments sent (busy). A timer tick with nothing due is not busy.
 */
static bool
sf_worker_reply(struct sf_worker *w)
{
	uint64_t tsc = rte_rdtsc();
	struct sf_clock now;
	bool busy = false;
	uint16_t i;

	if (sf_respond_reply_due(w->resp, tsc)) {
		sf_worker_now(w, tsc, &now);
		busy = sf_respond_commands(w->resp, &now,
					   SF_RESPOND_CMD_BURST) +
			sf_respond_timers(w->resp, &now) > 0;
	}
	for (i = 0; i < w->n_ports; i++)
		busy |= sf_worker_flush(w, w->port_ids[i], &w->out[i]) > 0;
	return busy;
}

/*
 * One turn's bursts: rx_burst on every port, answered into its TX buffer
 * (@p txb, by port index), flushed once it holds a burst.
 * @return whether any frame came in (busy).
 */
static bool
sf_worker_bursts(struct sf_worker *w, struct sf_worker_txbuf *txb)
{
	struct rte_mbuf *rx[SF_WORKER_BURST];
	struct sf_clock now;
	bool busy = false;
	uint16_t i, n, k;

	for (i = 0; i < w->n_ports; i++) {
		struct sf_worker_txbuf *b = &txb[i];

		n = rte_eth_rx_burst(w->port_ids[i], w->queue_id, rx,
				     SF_WORKER_BURST);
		if (n == 0)
			continue;
		busy = true;
		sf_worker_now(w, rte_rdtsc(), &now);
		/* b->n < SF_WORKER_BURST: room for n replies. */
		k = sf_respond_burst(w->resp, i, rx, n, &now, &b->m[b->n]);
		b->n += k;
		if (b->n >= SF_WORKER_BURST)
			sf_worker_flush(w, w->port_ids[i], b);
	}
	return busy;
}

/* The expiry call of a turn: the slots the pacing has earned by @p tsc. */
static void
sf_worker_expire(struct sf_worker *w, struct sf_sweep_pace *pace,
		 uint64_t tsc)
{
	unsigned int slots = sf_sweep_pace_next(pace, tsc);
	struct sf_clock now;

	sf_worker_now(w, tsc, &now);
	/* even with 0 slots: it refreshes the closed-flow gauge */
	sf_respond_expire(w->resp, &now, slots);
}

/*
 * Busy accounting: the loop keeps busy ticks in a register and writes
 * the counters out on the drain deadline and at its end (a reader is at
 * most SF_WORKER_DRAIN_US behind). Counters add up over restarts.
 */
struct sf_worker_busy {
	uint64_t busy0, total0;	/* the counters when the loop started */
	uint64_t start;		/* TSC when the loop started */
	uint64_t busy;		/* busy ticks since then */
};

static void
sf_worker_busy_init(struct sf_worker_busy *b, const struct sf_stats *st,
		    uint64_t tsc)
{
	b->busy0 = st->cnt[SF_CNT_busy_tsc];
	b->total0 = st->cnt[SF_CNT_total_tsc];
	b->start = tsc;
	b->busy = 0;
}

static void
sf_worker_busy_publish(const struct sf_worker_busy *b, struct sf_stats *st,
		       uint64_t tsc)
{
	st->cnt[SF_CNT_busy_tsc] = b->busy0 + b->busy;
	st->cnt[SF_CNT_total_tsc] = b->total0 + (tsc - b->start);
}

int
sf_worker_main(void *arg)
{
	struct sf_worker *w = arg;
	struct sf_worker_txbuf txb[SF_RESPOND_MAX_PORTS];
	uint64_t drain_tsc, expire_tsc, prev_drain, prev_expire, prev, tsc;
	struct sf_sweep_pace pace;
	struct sf_worker_busy acct;
	bool busy = false;
	uint16_t i;

	memset(txb, 0, sizeof(txb));
	drain_tsc = (w->clock.tsc_hz + SF_US_PER_S - 1) / SF_US_PER_S *
		SF_WORKER_DRAIN_US;
	expire_tsc = (w->clock.tsc_hz + SF_US_PER_S - 1) / SF_US_PER_S *
		SF_WORKER_EXPIRE_US;
	prev = prev_drain = prev_expire = rte_rdtsc();
	sf_sweep_pace_init(&pace, sf_conn_slots(w->shard), w->sweep_period_tsc,
			   SF_WORKER_EXPIRE_MAX, prev_expire);
	sf_worker_busy_init(&acct, w->stats, prev);

	while (!*w->quit) {
		/* The previous turn's ticks are busy if it did work. */
		tsc = rte_rdtsc();
		acct.busy += (tsc - prev) & -(uint64_t)busy;
		prev = tsc;
		busy = false;

		/* keys or clock published since the last turn (one L1 load) */
		if (unlikely(__atomic_load_n(w->board_gen, __ATOMIC_RELAXED) !=
			     w->gen))
			sf_worker_board_sync(w);

		if (unlikely(tsc - prev_drain > drain_tsc)) {
			for (i = 0; i < w->n_ports; i++)
				busy |= sf_worker_flush(w, w->port_ids[i],
							&txb[i]) > 0;
			sf_worker_busy_publish(&acct, w->stats, tsc);
			prev_drain = tsc;
		}
		if (unlikely(tsc - prev_expire > expire_tsc)) {
			sf_worker_expire(w, &pace, tsc);
			prev_expire = tsc;
		}
		busy |= sf_worker_bursts(w, txb);
		if (w->cmd != NULL)
			busy |= sf_worker_reply(w);
	}

	for (i = 0; i < w->n_ports; i++) {
		busy |= sf_worker_flush(w, w->port_ids[i], &txb[i]) > 0;
		busy |= sf_worker_flush(w, w->port_ids[i], &w->out[i]) > 0;
	}
	tsc = rte_rdtsc();
	acct.busy += (tsc - prev) & -(uint64_t)busy;
	sf_worker_busy_publish(&acct, w->stats, tsc);
	return 0;
}
