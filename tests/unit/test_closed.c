/* SPDX-License-Identifier: BSD-3-Clause */

/*
 * Unit tests of lib/closed: records of closed flows, kept until their
 * cookie can no longer validate. Time is given, never read: T0 is a 64-s
 * window of 2026, cookies are made with the t bits of a chosen window.
 */

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include <rte_byteorder.h>
#include <rte_common.h>
#include <rte_errno.h>
#include <rte_memory.h>

#include "sf_closed.h"
#include "sf_cookie.h"
#include "unit_eal.h"
#include "unit_flow.h"

#define T0		UINT64_C(28000000)	/* a 64-s window of 2026 */
#define NOW0		(T0 * 64 + 5)		/* 5 s into it */
#define CISN		0x11223344u		/* a client ISN */
#define SMALL_RECS	SF_CLOSED_RECORDS_MIN	/* two buckets */

/* A cookie made in window @p t: its top 5 bits, the rest arbitrary. */
static uint32_t
mk_cookie(uint64_t t, uint32_t low)
{
	return (uint32_t)(t & 0x1f) << 27 | (low & 0x07ffffffu);
}

static int
group_setup(void **state)
{
	(void)state;
	return sf_unit_eal_init("sf_test_closed");
}

static int
table_setup(void **state)
{
	struct sf_closed *t = sf_closed_create(1024, SOCKET_ID_ANY);

	if (t == NULL)
		return -1;
	*state = t;
	return 0;
}

static int
small_setup(void **state)
{
	struct sf_closed *t = sf_closed_create(SMALL_RECS, SOCKET_ID_ANY);

	if (t == NULL)
		return -1;
	*state = t;
	return 0;
}

static int
table_teardown(void **state)
{
	sf_closed_free(*state);
	return 0;
}

/* Add flow i (family fam) with cookie of window T0, at NOW0. */
static int
t_add(struct sf_closed *t, uint32_t i, uint8_t fam, uint32_t isn,
      uint32_t snd_delta, uint64_t now_s)
{
	struct sf_flow f = sf_unit_flow(i, fam);
	uint32_t cookie = mk_cookie(T0, i);
	struct sf_closed_tw tw = {
		.snd_nxt = cookie + 1 + snd_delta,
		.rcv_nxt = isn + 1 + 100 + i,
	};

	return sf_closed_add(t, &f, isn, cookie, &tw, now_s);
}

static int
t_find(const struct sf_closed *t, uint32_t i, uint8_t fam, uint32_t isn,
       uint64_t now_s, struct sf_closed_tw *tw)
{
	struct sf_flow f = sf_unit_flow(i, fam);

	return sf_closed_find(t, &f, isn, mk_cookie(T0, i), now_s, tw);
}

static void
test_closed_create_invalid(void **state)
{
	struct sf_closed *t;

	(void)state;
	rte_errno = 0;
	assert_null(sf_closed_create(SF_CLOSED_RECORDS_MIN - 1, SOCKET_ID_ANY));
	assert_int_equal(rte_errno, EINVAL);
	rte_errno = 0;
	assert_null(sf_closed_create(
		sf_closed_records(SF_CLOSED_RATE_MAX) + 1, SOCKET_ID_ANY));
	assert_int_equal(rte_errno, EINVAL);
	/* rounded up to whole buckets */
	t = sf_closed_create(SF_CLOSED_RECORDS_MIN + 1, SOCKET_ID_ANY);
	assert_non_null(t);
	assert_int_equal(sf_closed_capacity(t), SF_CLOSED_RECORDS_MIN + 4);
	assert_int_equal(sf_closed_live(t, NOW0), 0);
	sf_closed_free(t);
	assert_int_equal(sf_closed_records(10000), 1280000);
}

/* When a cookie of window T0 stops validating, seen from several times. */
static void
test_closed_cookie_until(void **state)
{
	static const struct {
		uint64_t cookie_t;	/* window the cookie was made in */
		uint64_t now_s;
		uint64_t until;		/* 0: validates no longer */
	} cases[] = {
		{ T0, T0 * 64, (T0 + 2) * 64 },
		{ T0, T0 * 64 + 63, (T0 + 2) * 64 },
		{ T0, (T0 + 1) * 64, (T0 + 2) * 64 },
		{ T0, (T0 + 2) * 64 - 1, (T0 + 2) * 64 },
		{ T0, (T0 + 2) * 64, 0 },
		{ T0, (T0 + 31) * 64, 0 },
		{ T0 - 1, T0 * 64 + 1, (T0 + 1) * 64 },
		{ T0 + 1, T0 * 64, 0 },		/* from the future */
	};
	unsigned int k;

	(void)state;
	for (k = 0; k < RTE_DIM(cases); k++) {
		uint32_t c = mk_cookie(cases[k].cookie_t, 0x123456);

		assert_int_equal(sf_cookie_until(c, cases[k].now_s),
				 cases[k].until);
	}
}

/* Add, then find: the TIME-WAIT numbers, SND.NXT with or without FIN. */
static void
test_closed_add_find(void **state)
{
	struct sf_closed *t = *state;
	struct sf_closed_tw tw;

	assert_int_equal(t_add(t, 1, SF_AF_INET, CISN, 0, NOW0), 0);
	assert_int_equal(t_add(t, 2, SF_AF_INET, CISN, 1, NOW0), 0);
	assert_int_equal(sf_closed_live(t, NOW0), 2);

	assert_int_equal(t_find(t, 1, SF_AF_INET, CISN, NOW0 + 1, &tw), 0);
	assert_int_equal(tw.snd_nxt, mk_cookie(T0, 1) + 1);
	assert_int_equal(tw.rcv_nxt, CISN + 1 + 100 + 1);
	assert_int_equal(t_find(t, 2, SF_AF_INET, CISN, NOW0 + 1, &tw), 0);
	assert_int_equal(tw.snd_nxt, mk_cookie(T0, 2) + 2);
	assert_int_equal(tw.rcv_nxt, CISN + 1 + 100 + 2);
	/* a flow never closed */
	assert_int_equal(t_find(t, 3, SF_AF_INET, CISN, NOW0 + 1, &tw),
			 -ENOENT);
}

/* The client ISN is in the key: a new connection is never matched. */
static void
test_closed_other_isn(void **state)
{
	static const uint32_t others[] = {
		CISN + 1, CISN - 1, CISN ^ 0x80000000u, 0, UINT32_MAX,
	};
	struct sf_closed *t = *state;
	struct sf_closed_tw tw;
	unsigned int k;

	assert_int_equal(t_add(t, 7, SF_AF_INET, CISN, 0, NOW0), 0);
	for (k = 0; k < RTE_DIM(others); k++)
		assert_int_equal(t_find(t, 7, SF_AF_INET, others[k], NOW0, &tw),
				 -ENOENT);
	assert_int_equal(t_find(t, 7, SF_AF_INET, CISN, NOW0, &tw), 0);
}

/* IPv6 flows; the family is in the key. */
static void
test_closed_ipv6(void **state)
{
	struct sf_closed *t = *state;
	struct sf_closed_tw tw;
	struct sf_flow f4;

	assert_int_equal(t_add(t, 9, SF_AF_INET6, CISN, 1, NOW0), 0);
	assert_int_equal(t_find(t, 9, SF_AF_INET6, CISN, NOW0, &tw), 0);
	assert_int_equal(tw.snd_nxt, mk_cookie(T0, 9) + 2);
	assert_int_equal(tw.rcv_nxt, CISN + 1 + 100 + 9);
	assert_int_equal(t_find(t, 9, SF_AF_INET, CISN, NOW0, &tw), -ENOENT);
	/* the same bytes, only the family differs */
	f4 = sf_unit_flow(9, SF_AF_INET6);
	f4.family = SF_AF_INET;
	assert_int_equal(sf_closed_find(t, &f4, CISN, mk_cookie(T0, 9), NOW0,
					&tw), -ENOENT);
}

/* A record lives until (T + 2) * 64 s; not kept when already past. */
static void
test_closed_expire(void **state)
{
	struct sf_closed *t = *state;
	uint64_t end = (T0 + 2) * 64;
	struct sf_closed_tw tw;

	assert_int_equal(t_add(t, 4, SF_AF_INET, CISN, 0, NOW0), 0);
	assert_int_equal(t_find(t, 4, SF_AF_INET, CISN, end - 1, &tw), 0);
	assert_int_equal(sf_closed_live(t, end - 1), 1);
	assert_int_equal(t_find(t, 4, SF_AF_INET, CISN, end, &tw), -ENOENT);
	assert_int_equal(sf_closed_live(t, end), 0);
	/* closed when its cookie no longer validates: nothing to keep */
	assert_int_equal(t_add(t, 5, SF_AF_INET, CISN, 0, end), 1);
	assert_int_equal(t_add(t, 5, SF_AF_INET, CISN, 0, end + 600), 1);
	assert_int_equal(sf_closed_live(t, end), 0);
}

/* The same key again replaces its live record, counted once. */
static void
test_closed_replace(void **state)
{
	struct sf_closed *t = *state;
	struct sf_flow f = sf_unit_flow(6, SF_AF_INET);
	uint32_t cookie = mk_cookie(T0, 6);
	struct sf_closed_tw in = { .snd_nxt = cookie + 1, .rcv_nxt = 1000 };
	struct sf_closed_tw tw;

	assert_int_equal(sf_closed_add(t, &f, CISN, cookie, &in, NOW0), 0);
	in.snd_nxt = cookie + 2;
	in.rcv_nxt = 2000;
	assert_int_equal(sf_closed_add(t, &f, CISN, cookie, &in, NOW0 + 60),
			 0);
	assert_int_equal(sf_closed_live(t, NOW0 + 60), 1);
	assert_int_equal(sf_closed_find(t, &f, CISN, cookie, NOW0 + 60, &tw),
			 0);
	assert_int_equal(tw.snd_nxt, cookie + 2);
	assert_int_equal(tw.rcv_nxt, 2000);
}

/* Two buckets: eight live records, the ninth is not kept. */
static void
test_closed_full(void **state)
{
	struct sf_closed *t = *state;
	struct sf_closed_tw tw;
	uint32_t i;

	for (i = 0; i < SMALL_RECS; i++)
		assert_int_equal(t_add(t, i, SF_AF_INET, CISN, 0, NOW0), 0);
	assert_int_equal(sf_closed_live(t, NOW0), SMALL_RECS);
	assert_int_equal(t_add(t, 100, SF_AF_INET, CISN, 0, NOW0), -ENOSPC);
	assert_int_equal(t_add(t, 101, SF_AF_INET6, CISN, 0, NOW0), -ENOSPC);
	assert_int_equal(sf_closed_live(t, NOW0), SMALL_RECS);
	for (i = 0; i < SMALL_RECS; i++)
		assert_int_equal(t_find(t, i, SF_AF_INET, CISN, NOW0, &tw), 0);
	assert_int_equal(t_find(t, 100, SF_AF_INET, CISN, NOW0, &tw), -ENOENT);
}

/* Expired records are reused in place: a full table takes a new round. */
static void
test_closed_reuse(void **state)
{
	struct sf_closed *t = *state;
	uint64_t later = (T0 + 2) * 64 + 10;	/* the first round expired */
	struct sf_closed_tw tw;
	struct sf_flow f;
	uint32_t i, cookie = mk_cookie(T0 + 2, 0);

	for (i = 0; i < SMALL_RECS; i++)
		assert_int_equal(t_add(t, i, SF_AF_INET, CISN, 0, NOW0), 0);
	for (i = 0; i < SMALL_RECS; i++) {
		struct sf_closed_tw in = { .snd_nxt = cookie + 1, .rcv_nxt = i };

		f = sf_unit_flow(1000 + i, SF_AF_INET6);
		assert_int_equal(sf_closed_add(t, &f, CISN, cookie, &in, later),
				 0);
	}
	assert_int_equal(sf_closed_live(t, later), SMALL_RECS);
	f = sf_unit_flow(2000, SF_AF_INET6);
	tw.snd_nxt = cookie + 1;
	tw.rcv_nxt = 0;
	assert_int_equal(sf_closed_add(t, &f, CISN, cookie, &tw, later),
			 -ENOSPC);
	for (i = 0; i < SMALL_RECS; i++) {
		f = sf_unit_flow(1000 + i, SF_AF_INET6);
		assert_int_equal(sf_closed_find(t, &f, CISN, cookie, later, &tw),
				 0);
		assert_int_equal(tw.rcv_nxt, i);
		assert_int_equal(t_find(t, i, SF_AF_INET, CISN, later, &tw),
				 -ENOENT);
	}
}

/* The gauge follows two windows of closes as each expires. */
static void
test_closed_live_windows(void **state)
{
	struct sf_closed *t = *state;
	struct sf_closed_tw in;
	struct sf_flow f;
	uint32_t i, c1 = mk_cookie(T0 + 1, 0);

	for (i = 0; i < 10; i++)	/* until (T0 + 2) * 64 */
		assert_int_equal(t_add(t, i, SF_AF_INET, CISN, 0, NOW0 + 64), 0);
	for (i = 0; i < 5; i++) {	/* until (T0 + 3) * 64 */
		in.snd_nxt = c1 + 1;
		in.rcv_nxt = i;
		f = sf_unit_flow(500 + i, SF_AF_INET);
		assert_int_equal(sf_closed_add(t, &f, CISN, c1, &in, NOW0 + 64),
				 0);
	}
	assert_int_equal(sf_closed_live(t, NOW0 + 64), 15);
	assert_int_equal(sf_closed_live(t, (T0 + 2) * 64), 5);
	assert_int_equal(sf_closed_live(t, (T0 + 3) * 64), 0);
}

/* Empty while no record can be alive: before any add, after the last expired. */
static void
test_closed_empty(void **state)
{
	static const struct {
		uint64_t now_s;
		bool empty;
	} cases[] = {
		{ NOW0, false },
		{ NOW0 - 6400, false },		/* clock stepped back */
		{ (T0 + 2) * 64 - 1, false },	/* the record's last second */
		{ (T0 + 2) * 64, true },	/* it expired */
		{ (T0 + 40) * 64, true },
	};
	struct sf_closed *t = *state;
	struct sf_closed_tw tw;
	unsigned int k;

	assert_true(sf_closed_empty(t, NOW0));
	assert_true(sf_closed_empty(t, 0));
	assert_int_equal(t_find(t, 1, SF_AF_INET, CISN, NOW0, &tw), -ENOENT);
	assert_int_equal(t_add(t, 1, SF_AF_INET, CISN, 0, NOW0), 0);
	/* a later close of a cookie of T0 - 1 expires sooner: no effect */
	assert_int_equal(t_add(t, 2, SF_AF_INET, CISN, 0, NOW0 + 64), 0);
	for (k = 0; k < RTE_DIM(cases); k++) {
		assert_int_equal(sf_closed_empty(t, cases[k].now_s),
				 cases[k].empty);
		assert_int_equal(t_find(t, 1, SF_AF_INET, CISN, cases[k].now_s,
					&tw), cases[k].empty ? -ENOENT : 0);
	}
}

/*
 * The two-step find (sf_closed_prefetch, then sf_closed_find_fp) answers as
 * sf_closed_find: records found with their numbers, other keys not.
 */
static void
test_closed_find_fp(void **state)
{
	static const struct {
		uint32_t i;
		uint8_t fam;
		uint32_t isn;
		uint64_t now_s;
		int res;
	} cases[] = {
		{ 1, SF_AF_INET, CISN, NOW0, 0 },
		{ 2, SF_AF_INET, CISN, NOW0 + 64, 0 },	/* SND.NXT + 1 */
		{ 3, SF_AF_INET6, CISN, NOW0, 0 },
		{ 1, SF_AF_INET, CISN + 1, NOW0, -ENOENT },	/* other ISN */
		{ 3, SF_AF_INET, CISN, NOW0, -ENOENT },	/* other family */
		{ 4, SF_AF_INET, CISN, NOW0, -ENOENT },	/* never closed */
		{ 1, SF_AF_INET, CISN, (T0 + 2) * 64, -ENOENT },	/* expired */
	};
	struct sf_closed *t = *state;
	unsigned int k;

	assert_int_equal(t_add(t, 1, SF_AF_INET, CISN, 0, NOW0), 0);
	assert_int_equal(t_add(t, 2, SF_AF_INET, CISN, 1, NOW0), 0);
	assert_int_equal(t_add(t, 3, SF_AF_INET6, CISN, 0, NOW0), 0);
	for (k = 0; k < RTE_DIM(cases); k++) {
		struct sf_flow f = sf_unit_flow(cases[k].i, cases[k].fam);
		uint32_t cookie = mk_cookie(T0, cases[k].i);
		struct sf_closed_tw tw1 = { 0, 0 }, tw2 = { 0, 0 };
		uint64_t fp = sf_closed_prefetch(t, &f, cases[k].isn);

		assert_int_equal(sf_closed_find(t, &f, cases[k].isn, cookie,
						cases[k].now_s, &tw1),
				 cases[k].res);
		assert_int_equal(sf_closed_find_fp(t, fp, cookie,
						   cases[k].now_s, &tw2),
				 cases[k].res);
		assert_int_equal(tw1.snd_nxt, tw2.snd_nxt);
		assert_int_equal(tw1.rcv_nxt, tw2.rcv_nxt);
		if (cases[k].res == 0)
			assert_int_equal(tw2.rcv_nxt,
					 CISN + 1 + 100 + cases[k].i);
	}
	/* the same key, the same fingerprint; another ISN, another one */
	{
		struct sf_flow f = sf_unit_flow(1, SF_AF_INET);

		assert_true(sf_closed_prefetch(t, &f, CISN) ==
			    sf_closed_prefetch(t, &f, CISN));
		assert_true(sf_closed_prefetch(t, &f, CISN) !=
			    sf_closed_prefetch(t, &f, CISN + 1));
	}
}

/*
 * Every 32-bit word of the key counts: flipping bit 0 or bit 31 of any of
 * the flow's ten words or of the client ISN changes the fingerprint.
 */
static void
test_closed_fp_words(void **state)
{
	static const uint32_t bits[] = { 0x1u, 0x80000000u };
	struct sf_closed *t = *state;
	struct sf_flow base = sf_unit_flow(5, SF_AF_INET6);
	uint64_t fp0 = sf_closed_prefetch(t, &base, CISN);
	unsigned int w, b;

	for (w = 0; w <= sizeof(base) / 4; w++)
		for (b = 0; b < RTE_DIM(bits); b++) {
			struct sf_flow f = base;
			uint32_t isn = CISN, x;

			if (w == sizeof(base) / 4) {
				isn ^= bits[b];
			} else {
				memcpy(&x, (uint8_t *)&f + 4 * w, 4);
				x ^= bits[b];
				memcpy((uint8_t *)&f + 4 * w, &x, 4);
			}
			assert_true(sf_closed_prefetch(t, &f, isn) != fp0);
		}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_closed_create_invalid),
		cmocka_unit_test(test_closed_cookie_until),
		cmocka_unit_test_setup_teardown(test_closed_add_find,
				table_setup, table_teardown),
		cmocka_unit_test_setup_teardown(test_closed_other_isn,
				table_setup, table_teardown),
		cmocka_unit_test_setup_teardown(test_closed_ipv6,
				table_setup, table_teardown),
		cmocka_unit_test_setup_teardown(test_closed_expire,
				table_setup, table_teardown),
		cmocka_unit_test_setup_teardown(test_closed_replace,
				table_setup, table_teardown),
		cmocka_unit_test_setup_teardown(test_closed_full,
				small_setup, table_teardown),
		cmocka_unit_test_setup_teardown(test_closed_reuse,
				small_setup, table_teardown),
		cmocka_unit_test_setup_teardown(test_closed_live_windows,
				table_setup, table_teardown),
		cmocka_unit_test_setup_teardown(test_closed_empty,
				table_setup, table_teardown),
		cmocka_unit_test_setup_teardown(test_closed_find_fp,
				table_setup, table_teardown),
		cmocka_unit_test_setup_teardown(test_closed_fp_words,
				table_setup, table_teardown),
	};

	return cmocka_run_group_tests(tests, group_setup, NULL);
}
