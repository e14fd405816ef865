/* SPDX-License-Identifier: BSD-3-Clause */

/*
 * sf-events --echo (app/sf-events/sf_echo.h) without synfront: events made
 * here, the commands read back from a real command ring. After every test
 * every mbuf is back in the pool.
 */

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include <rte_errno.h>
#include <rte_mbuf.h>

#include "sf_echo.h"
#include "sf_handoff.h"
#include "unit_eal.h"

#define POOL_N		255
#define CMD_RING	8	/* takes 7 commands */
#define HDR		54	/* the headers before a payload */

static struct rte_mempool *pool;
static struct rte_ring *cmd;

struct fx {
	struct sf_echo *e;
};

static int
fx_setup(void **state)
{
	static struct fx f;

	f.e = sf_echo_create(4, 16, NULL);
	assert_non_null(f.e);
	assert_int_equal(sf_echo_attach(f.e, 0, cmd), 0);
	*state = &f;
	return 0;
}

/* Every command freed, the echo too: the pool must be whole. */
static int
fx_teardown(void **state)
{
	struct fx *f = *state;
	struct sf_cmd c;

	while (sf_cmd_dequeue_burst(cmd, &c, 1) == 1)
		rte_pktmbuf_free(c.mbuf);
	sf_echo_free(f->e);
	return sf_unit_pool_full(pool, POOL_N);
}

static struct sf_handle
handle(uint32_t slot, uint32_t gen)
{
	struct sf_handle h = { .worker = 0, .slot = slot, .gen = gen };

	return h;
}

/* An event of @p type for @p h; DATA carries @p data after HDR bytes. */
static void
event(struct fx *f, uint8_t type, struct sf_handle h, const char *data,
      uint32_t seq)
{
	struct sf_event ev;

	memset(&ev, 0, sizeof(ev));
	ev.type = type;
	ev.handle = h;
	ev.seq = seq;
	if (data != NULL) {
		uint16_t len = (uint16_t)strlen(data);
		char *p;

		ev.mbuf = rte_pktmbuf_alloc(pool);
		assert_non_null(ev.mbuf);
		p = rte_pktmbuf_append(ev.mbuf, HDR + len + 4);	/* + pad */
		assert_non_null(p);
		memset(p, 'h', HDR + len + 4);
		memcpy(p + HDR, data, len);
		ev.data_off = HDR;
		ev.data_len = len;
	}
	assert_true(sf_echo_room(f->e) > 0);
	sf_echo_event(f->e, &ev);
	sf_event_release(&ev);
}

/* The next command on the ring: its type, credit and payload. */
static void
expect_cmd(struct sf_handle h, uint8_t type, uint32_t credit,
	   const char *data)
{
	struct sf_cmd c;

	assert_int_equal(sf_cmd_dequeue_burst(cmd, &c, 1), 1);
	assert_int_equal(c.type, type);
	assert_int_equal(c.handle.slot, h.slot);
	assert_int_equal(c.handle.gen, h.gen);
	assert_int_equal(c.credit, credit);
	if (data == NULL) {
		assert_null(c.mbuf);
		return;
	}
	assert_non_null(c.mbuf);
	assert_int_equal(rte_pktmbuf_pkt_len(c.mbuf), strlen(data));
	assert_memory_equal(rte_pktmbuf_mtod(c.mbuf, char *), data,
			    strlen(data));
	rte_pktmbuf_free(c.mbuf);
}

static void
no_cmd(void)
{
	assert_int_equal(rte_ring_count(cmd), 0);
}

/*
 * A connection's life: DATA echoed (payload only), ACKED returns the
 * bytes newly acknowledged as credit (none for a repeat), FIN -> CLOSE,
 * an ACKED after FIN makes no CREDIT (it could only race the close),
 * CLOSED forgets it; an ACKED after that is of no connection.
 */
static void
test_echo_life(void **state)
{
	static const struct {
		uint8_t ev;
		const char *data;
		uint32_t seq;
		uint8_t cmd;		/* 0: none */
		uint32_t credit;
	} steps[] = {
		{ SF_EV_ESTABLISHED, NULL, 0, 0, 0 },
		{ SF_EV_DATA, "hello", 0, SF_CMD_SEND, 0 },
		{ SF_EV_DATA, " world", 5, SF_CMD_SEND, 0 },
		{ SF_EV_ACKED, NULL, 5, SF_CMD_CREDIT, 5 },
		{ SF_EV_ACKED, NULL, 5, 0, 0 },
		{ SF_EV_ACKED, NULL, 11, SF_CMD_CREDIT, 6 },
		{ SF_EV_DATA, "!", 11, SF_CMD_SEND, 0 },
		{ SF_EV_FIN, NULL, 0, SF_CMD_CLOSE, 0 },
		{ SF_EV_ACKED, NULL, 12, 0, 0 },	/* after FIN */
		{ SF_EV_CLOSED, NULL, 0, 0, 0 },
		{ SF_EV_ACKED, NULL, 13, 0, 0 },	/* stale */
	};
	struct fx *f = *state;
	struct sf_handle h = handle(7, 3);
	struct sf_echo_stats st;
	unsigned int i;

	for (i = 0; i < RTE_DIM(steps); i++) {
		event(f, steps[i].ev, h, steps[i].data, steps[i].seq);
		if (steps[i].cmd == 0)
			no_cmd();
		else
			expect_cmd(h, steps[i].cmd, steps[i].credit,
				   steps[i].data);
	}
	sf_echo_stats(f->e, &st);
	assert_int_equal(st.sent, 6);
	assert_int_equal(st.conns, 0);
	assert_int_equal(st.unknown, 1);
	assert_int_equal(st.purged, 0);
}

/*
 * The FIFO is bounded: with the command ring full, commands wait (16 at
 * most); then sf_echo_room() says 0 (counted) and nothing is lost: every
 * SEND arrives, in order, once the ring drains.
 */
static void
test_echo_fifo_bounded(void **state)
{
	struct fx *f = *state;
	struct sf_handle h = handle(1, 1);
	struct sf_echo_stats st;
	char data[16];
	unsigned int i, n = 0;

	event(f, SF_EV_ESTABLISHED, h, NULL, 0);
	while (sf_echo_room(f->e) > 0) {
		snprintf(data, sizeof(data), "d%u", n++);
		event(f, SF_EV_DATA, h, data, 0);
	}
	assert_int_equal(n, (CMD_RING - 1) + 16);
	assert_int_equal(sf_echo_room(f->e), 0);
	sf_echo_stats(f->e, &st);
	printf("%u SENDs: %" PRIu64 " on the ring, %u waiting, fifo_full %"
	       PRIu64 "\n", n, st.sent, st.waiting, st.fifo_full);
	assert_int_equal(st.waiting, 16);
	assert_int_equal(st.fifo_full, 2);
	for (i = 0; i < n; i++) {
		snprintf(data, sizeof(data), "d%u", i);
		expect_cmd(h, SF_CMD_SEND, 0, data);
		sf_echo_flush(f->e);
	}
	no_cmd();
	sf_echo_stats(f->e, &st);
	assert_int_equal(st.sent, n);
	assert_int_equal(st.waiting, 0);
}

/*
 * A terminal event drops the commands of its connection still waiting
 * (their mbufs freed), not the others'; every kind of end forgets it.
 */
static void
test_echo_end_purges(void **state)
{
	static const uint8_t ends[] = { SF_EV_RST, SF_EV_TIMEOUT, SF_EV_CLOSED };
	struct fx *f = *state;
	struct sf_handle a = handle(2, 1), b = handle(3, 1);
	struct sf_echo_stats st;
	unsigned int i, k;

	for (k = 0; k < RTE_DIM(ends); k++) {
		a.gen = b.gen = k + 1;	/* a new connection in each slot */
		event(f, SF_EV_ESTABLISHED, a, NULL, 0);
		event(f, SF_EV_ESTABLISHED, b, NULL, 0);
		for (i = 0; i < CMD_RING - 1; i++)	/* the ring full */
			event(f, SF_EV_DATA, b, "b", 0);
		event(f, SF_EV_DATA, a, "a1", 0);
		event(f, SF_EV_DATA, b, "b2", 0);
		event(f, SF_EV_DATA, a, "a2", 0);
		event(f, ends[k], a, NULL, 0);
		sf_echo_stats(f->e, &st);
		assert_int_equal(st.purged, 2 * (k + 1));
		assert_int_equal(st.waiting, 1);
		assert_int_equal(st.conns, 1);
		for (i = 0; i < CMD_RING - 1; i++) {
			expect_cmd(b, SF_CMD_SEND, 0, "b");
			sf_echo_flush(f->e);
		}
		expect_cmd(b, SF_CMD_SEND, 0, "b2");
		no_cmd();
		event(f, SF_EV_RST, b, NULL, 0);
	}
	sf_echo_stats(f->e, &st);
	assert_int_equal(st.conns, 0);
	assert_int_equal(st.unknown, 0);
}

/*
 * More connections than the table: the extra one is counted (no credit
 * goes back for it), its data is still echoed; ends of all leave it empty
 * and a slot's next generation is tracked anew.
 */
static void
test_echo_table_full(void **state)
{
	struct fx *f = *state;
	struct sf_echo_stats st;
	uint32_t s;

	for (s = 0; s < 5; s++)
		event(f, SF_EV_ESTABLISHED, handle(s * 4, 9), NULL, 0);
	sf_echo_stats(f->e, &st);
	assert_int_equal(st.conns, 4);
	assert_int_equal(st.untracked, 1);
	event(f, SF_EV_DATA, handle(16, 9), "x", 0);
	expect_cmd(handle(16, 9), SF_CMD_SEND, 0, "x");
	event(f, SF_EV_ACKED, handle(16, 9), NULL, 1);
	no_cmd();
	for (s = 0; s < 5; s++)
		event(f, SF_EV_TIMEOUT, handle(s * 4, 9), NULL, 0);
	sf_echo_stats(f->e, &st);
	assert_int_equal(st.conns, 0);
	assert_int_equal(st.unknown, 2);	/* ACKED and TIMEOUT of 16 */
	/* the middle of a probe chain went first: the rest still found */
	event(f, SF_EV_ESTABLISHED, handle(0, 10), NULL, 0);
	event(f, SF_EV_ESTABLISHED, handle(4, 10), NULL, 0);
	event(f, SF_EV_ESTABLISHED, handle(8, 10), NULL, 0);
	event(f, SF_EV_CLOSED, handle(4, 10), NULL, 0);
	event(f, SF_EV_ACKED, handle(8, 10), NULL, 3);
	expect_cmd(handle(8, 10), SF_CMD_CREDIT, 3, NULL);
	event(f, SF_EV_CLOSED, handle(0, 10), NULL, 0);
	event(f, SF_EV_CLOSED, handle(8, 10), NULL, 0);
	sf_echo_stats(f->e, &st);
	assert_int_equal(st.conns, 0);
	assert_int_equal(st.unknown, 2);
}

/* Freed with commands waiting: their mbufs go back (the teardown counts). */
static void
test_echo_free_waiting(void **state)
{
	struct fx *f = *state;
	struct sf_handle h = handle(5, 1);
	struct sf_echo_stats st;
	unsigned int i;

	event(f, SF_EV_ESTABLISHED, h, NULL, 0);
	for (i = 0; i < CMD_RING - 1 + 3; i++)
		event(f, SF_EV_DATA, h, "w", 0);
	sf_echo_stats(f->e, &st);
	assert_int_equal(st.waiting, 3);
	assert_null(sf_echo_create(3, 16, NULL));
	assert_null(sf_echo_create(4, 0, NULL));
	assert_int_equal(sf_echo_attach(f->e, SF_ECHO_MAX_WORKERS, cmd), -1);
}

/* A DATA event shorter than its payload, or of a worker without a ring. */
static void
test_echo_bad(void **state)
{
	struct fx *f = *state;
	struct sf_echo_stats st;
	struct sf_event ev;

	memset(&ev, 0, sizeof(ev));
	ev.type = SF_EV_DATA;
	ev.handle = handle(1, 1);
	ev.mbuf = rte_pktmbuf_alloc(pool);
	assert_non_null(ev.mbuf);
	assert_non_null(rte_pktmbuf_append(ev.mbuf, 10));
	ev.data_off = 4;
	ev.data_len = 7;	/* 4 + 7 > 10 */
	sf_echo_event(f->e, &ev);
	assert_null(ev.mbuf);
	event(f, SF_EV_FIN, (struct sf_handle){ .worker = 1, .slot = 1,
						.gen = 1 }, NULL, 0);
	no_cmd();
	sf_echo_stats(f->e, &st);
	assert_int_equal(st.bad, 2);
}

#define T(fn)	cmocka_unit_test_setup_teardown(fn, fx_setup, fx_teardown)

int
main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_echo_life),
		T(test_echo_fifo_bounded),
		T(test_echo_end_purges),
		T(test_echo_table_full),
		T(test_echo_free_waiting),
		T(test_echo_bad),
	};

	if (sf_unit_eal_init("sf_test_echo") != 0)
		return 1;
	pool = sf_unit_pool("sf_test_echo", POOL_N);
	cmd = sf_cmd_create(0, CMD_RING, SOCKET_ID_ANY);
	if (pool == NULL || cmd == NULL) {
		fprintf(stderr, "setup: %s\n", rte_strerror(rte_errno));
		return 1;
	}
	return cmocka_run_group_tests(tests, NULL, NULL);
}
