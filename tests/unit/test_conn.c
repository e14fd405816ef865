/* SPDX-License-Identifier: BSD-3-Clause */

/*
 * Unit tests of lib/conn: the per-lcore connection shard on rte_hash.
 */

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include <rte_byteorder.h>
#include <rte_common.h>
#include <rte_errno.h>
#include <rte_hash_crc.h>
#include <rte_memory.h>

#include "sf_conn.h"
#include "unit_eal.h"
#include "unit_flow.h"

/* The shard's hash of a flow, as every caller computes it once. */
static uint32_t
t_sig(const struct sf_conn_shard *s, const struct sf_flow *f)
{
	return sf_conn_hash(sf_conn_shard_hash_key(s), f);
}

static struct sf_conn *
t_insert(struct sf_conn_shard *s, const struct sf_flow *f)
{
	return sf_conn_insert(s, f, t_sig(s, f));
}

static struct sf_conn *
t_lookup(struct sf_conn_shard *s, const struct sf_flow *f)
{
	return sf_conn_lookup(s, f, t_sig(s, f));
}

static unsigned int
t_lookup_bulk(struct sf_conn_shard *s, const struct sf_flow *const *keys,
	      unsigned int n, struct sf_conn **out)
{
	uint32_t sigs[SF_CONN_BULK_MAX];
	unsigned int i;

	assert_true(n <= SF_CONN_BULK_MAX);
	for (i = 0; i < n; i++)
		sigs[i] = t_sig(s, keys[i]);
	return sf_conn_lookup_bulk(s, keys, sigs, n, out);
}

static int
group_setup(void **state)
{
	(void)state;
	return sf_unit_eal_init("sf_test_conn");
}

static int
shard_setup(void **state)
{
	struct sf_conn_shard *s = sf_conn_shard_create("sf_test_shard", 1024,
						       SOCKET_ID_ANY);

	if (s == NULL)
		return -1;
	*state = s;
	return 0;
}

static int
shard_teardown(void **state)
{
	sf_conn_shard_free(*state);
	return 0;
}

static void
test_conn_layout(void **state)
{
	(void)state;
	assert_true(sizeof(struct sf_conn) <= 64);
	assert_int_equal(sizeof(struct sf_flow), 40);
}

static void
test_conn_create_invalid(void **state)
{
	struct sf_conn_shard *s;

	(void)state;
	rte_errno = 0;
	assert_null(sf_conn_shard_create("sf_test_small", 7, SOCKET_ID_ANY));
	assert_int_equal(rte_errno, EINVAL);
	rte_errno = 0;
	assert_null(sf_conn_shard_create(NULL, 1024, SOCKET_ID_ANY));
	assert_int_equal(rte_errno, EINVAL);

	/* names: SF_CONN_NAME_MAX characters at most */
	rte_errno = 0;
	assert_null(sf_conn_shard_create("sf_test_name_23_chars__", 64,
					 SOCKET_ID_ANY));
	assert_int_equal(rte_errno, EINVAL);
	s = sf_conn_shard_create("sf_test_name_22_chars_", 64, SOCKET_ID_ANY);
	assert_non_null(s);
	sf_conn_shard_free(s);

	s = sf_conn_shard_create("sf_test_dup", 64, SOCKET_ID_ANY);
	assert_non_null(s);
	assert_int_equal(sf_conn_capacity(s), 64);
	assert_int_equal(sf_conn_count(s), 0);
	rte_errno = 0;
	assert_null(sf_conn_shard_create("sf_test_dup", 64, SOCKET_ID_ANY));
	assert_int_equal(rte_errno, EEXIST);
	sf_conn_shard_free(s);

	/* the name is free again */
	s = sf_conn_shard_create("sf_test_dup", 64, SOCKET_ID_ANY);
	assert_non_null(s);
	sf_conn_shard_free(s);
	sf_conn_shard_free(NULL);
}

/*
 * Slots and generations: an entry's slot finds it back, a free or
 * out-of-range slot finds nothing, and a slot reused by another flow
 * carries another generation (a stale handle never matches it).
 */
static void
test_conn_slot_gen(void **state)
{
	struct sf_conn_shard *s = *state;
	struct sf_flow f = sf_unit_flow(1, SF_AF_INET);
	struct sf_flow g = sf_unit_flow(2, SF_AF_INET6);
	struct sf_conn *c, *d;
	uint32_t slot, gen;

	c = t_insert(s, &f);
	assert_non_null(c);
	slot = sf_conn_slot(s, c);
	gen = c->gen;
	assert_int_not_equal(slot, UINT32_MAX);
	assert_ptr_equal(sf_conn_at_slot(s, slot), c);
	assert_memory_equal(sf_conn_slot_key(s, slot), &f, sizeof(f));
	assert_int_equal(sf_conn_slot(s, (struct sf_conn *)&f), UINT32_MAX);
	assert_null(sf_conn_at_slot(s, sf_conn_slots(s)));
	assert_null(sf_conn_slot_key(s, UINT32_MAX));
	d = t_insert(s, &g);
	assert_non_null(d);
	assert_int_not_equal(d->gen, 0);
	assert_int_not_equal(d->gen, gen);
	assert_int_equal(sf_conn_remove(s, c), 0);
	assert_null(sf_conn_at_slot(s, slot));
	assert_null(sf_conn_slot_key(s, slot));
	/* the freed slot comes back (rte_hash reuses its free slots) */
	c = t_insert(s, &f);
	assert_non_null(c);
	assert_int_not_equal(c->gen, 0);
	assert_int_not_equal(c->gen, gen);
	assert_int_not_equal(c->gen, d->gen);
}

static void
test_conn_insert_lookup(void **state)
{
	struct sf_conn_shard *s = *state;
	struct sf_flow f = sf_unit_flow(1, SF_AF_INET);
	struct sf_flow g = sf_unit_flow(2, SF_AF_INET);
	const struct sf_flow *k;
	struct sf_conn *c, *d;
	struct sf_conn zero;

	assert_null(t_lookup(s, &f));
	c = t_insert(s, &f);
	assert_non_null(c);
	assert_int_equal(c->state, SF_CONN_ESTABLISHED);
	memset(&zero, 0, sizeof(zero));
	zero.state = SF_CONN_ESTABLISHED;
	assert_int_not_equal(c->gen, 0);
	zero.gen = c->gen;
	assert_memory_equal(c, &zero, sizeof(zero));
	assert_int_equal(sf_conn_count(s), 1);

	assert_ptr_equal(t_lookup(s, &f), c);
	assert_null(t_lookup(s, &g));

	k = sf_conn_key(s, c);
	assert_non_null(k);
	assert_memory_equal(k, &f, sizeof(f));

	/* a second flow gets its own entry */
	d = t_insert(s, &g);
	assert_non_null(d);
	assert_ptr_not_equal(c, d);
	assert_int_equal(sf_conn_count(s), 2);
	assert_ptr_equal(t_lookup(s, &g), d);
	assert_memory_equal(sf_conn_key(s, d), &g, sizeof(g));
}

static void
test_conn_insert_existing(void **state)
{
	struct sf_conn_shard *s = *state;
	struct sf_flow f = sf_unit_flow(7, SF_AF_INET6);
	struct sf_conn *c, *again;

	c = t_insert(s, &f);
	assert_non_null(c);
	c->client_isn = 0x11223344;
	c->server_isn = 0x55667788;
	c->mss = 1440;
	c->last_tsc = 12345;

	again = t_insert(s, &f);
	assert_ptr_equal(again, c);
	/* not reset: the caller's fields are kept */
	assert_int_equal(again->client_isn, 0x11223344);
	assert_int_equal(again->server_isn, 0x55667788);
	assert_int_equal(again->mss, 1440);
	assert_int_equal(again->last_tsc, 12345);
	assert_int_equal(sf_conn_count(s), 1);
}

static void
test_conn_family_distinct(void **state)
{
	struct sf_conn_shard *s = *state;
	struct sf_flow v4 = sf_unit_flow(3, SF_AF_INET);
	struct sf_flow v6 = v4;
	struct sf_conn *c4, *c6;

	/*
	 * Same 36 address and port bytes, other family (a hash key only,
	 * never on a wire).
	 */
	v6.family = SF_AF_INET6;
	c4 = t_insert(s, &v4);
	assert_non_null(c4);
	assert_null(t_lookup(s, &v6));
	c6 = t_insert(s, &v6);
	assert_non_null(c6);
	assert_ptr_not_equal(c4, c6);
	assert_int_equal(sf_conn_count(s), 2);
	assert_ptr_equal(t_lookup(s, &v4), c4);
	assert_ptr_equal(t_lookup(s, &v6), c6);
	assert_int_equal(sf_conn_key(s, c4)->family, SF_AF_INET);
	assert_int_equal(sf_conn_key(s, c6)->family, SF_AF_INET6);

	assert_int_equal(sf_conn_remove(s, c4), 0);
	assert_null(t_lookup(s, &v4));
	assert_ptr_equal(t_lookup(s, &v6), c6);
}

/* Flows i with i % 3 != 0 are inserted; i % 3 == 0 are misses. */
static void
test_conn_lookup_bulk(void **state)
{
	struct sf_conn_shard *s = *state;
	struct sf_flow flows[SF_CONN_BULK_MAX];
	const struct sf_flow *keys[SF_CONN_BULK_MAX];
	struct sf_conn *want[SF_CONN_BULK_MAX];
	struct sf_conn *out[SF_CONN_BULK_MAX];
	unsigned int i, n;

	for (i = 0; i < SF_CONN_BULK_MAX; i++) {
		flows[i] = sf_unit_flow(100 + i, (i & 4) ? SF_AF_INET6 : SF_AF_INET);
		keys[i] = &flows[i];
		want[i] = NULL;
		if (i % 3 != 0) {
			want[i] = t_insert(s, &flows[i]);
			assert_non_null(want[i]);
			want[i]->client_isn = i;
		}
	}

	for (n = 1; n <= SF_CONN_BULK_MAX; n++) {
		unsigned int hits = 0;

		memset(out, 0xa5, sizeof(out));
		for (i = 0; i < n; i++)
			hits += (want[i] != NULL);
		assert_int_equal(t_lookup_bulk(s, keys, n, out), hits);
		for (i = 0; i < n; i++) {
			assert_ptr_equal(out[i], want[i]);
			if (out[i] != NULL)
				assert_int_equal(out[i]->client_isn, i);
		}
	}

	/* all misses, all hits */
	for (i = 0; i < SF_CONN_BULK_MAX; i++)
		flows[i] = sf_unit_flow(5000 + i, SF_AF_INET);
	assert_int_equal(t_lookup_bulk(s, keys, SF_CONN_BULK_MAX, out), 0);
	for (i = 0; i < SF_CONN_BULK_MAX; i++) {
		assert_null(out[i]);
		want[i] = t_insert(s, &flows[i]);
		assert_non_null(want[i]);
	}
	assert_int_equal(t_lookup_bulk(s, keys, SF_CONN_BULK_MAX, out),
			 SF_CONN_BULK_MAX);
	for (i = 0; i < SF_CONN_BULK_MAX; i++)
		assert_ptr_equal(out[i], want[i]);

	/* n = 0 touches nothing */
	out[0] = want[0];
	assert_int_equal(t_lookup_bulk(s, keys, 0, out), 0);
	assert_ptr_equal(out[0], want[0]);
}

static void
test_conn_remove(void **state)
{
	struct sf_conn_shard *s = *state;
	struct sf_flow f = sf_unit_flow(11, SF_AF_INET);
	struct sf_flow g = sf_unit_flow(12, SF_AF_INET);
	struct sf_conn *c, *d, bogus;

	c = t_insert(s, &f);
	d = t_insert(s, &g);
	assert_non_null(c);
	assert_non_null(d);
	c->client_isn = 99;
	assert_int_equal(sf_conn_count(s), 2);

	assert_int_equal(sf_conn_remove(s, c), 0);
	assert_int_equal(sf_conn_count(s), 1);
	assert_null(t_lookup(s, &f));
	assert_ptr_equal(t_lookup(s, &g), d);
	/* the slot is cleared */
	assert_int_equal(c->state, SF_CONN_FREE);
	assert_int_equal(c->client_isn, 0);
	assert_null(sf_conn_key(s, c));

	/* twice, foreign and misaligned pointers: -ENOENT, nothing changes */
	assert_int_equal(sf_conn_remove(s, c), -ENOENT);
	memset(&bogus, 0, sizeof(bogus));
	bogus.state = SF_CONN_ESTABLISHED;
	assert_int_equal(sf_conn_remove(s, &bogus), -ENOENT);
	assert_int_equal(sf_conn_remove(s, (struct sf_conn *)(void *)
					((char *)d + 1)), -ENOENT);
	assert_int_equal(sf_conn_remove(s, NULL), -ENOENT);
	assert_null(sf_conn_key(s, &bogus));
	assert_int_equal(sf_conn_count(s), 1);
	assert_ptr_equal(t_lookup(s, &g), d);

	/* re-insert after removal: fresh zeroed entry */
	c = t_insert(s, &f);
	assert_non_null(c);
	assert_int_equal(c->client_isn, 0);
	assert_int_equal(sf_conn_count(s), 2);
	assert_int_equal(sf_conn_remove(s, d), 0);
	assert_int_equal(sf_conn_remove(s, c), 0);
	assert_int_equal(sf_conn_count(s), 0);
}

/* Expiry: entries carry their flow number in client_isn. */
#define EXP_FLOWS	200
#define EXP_OLD_TSC	1000
#define EXP_NEW_TSC	900000
#define EXP_NOW		1000000
#define EXP_IDLE	500000

struct exp_ctx {
	struct sf_conn_shard *shard;
	unsigned int calls;
	uint8_t seen[EXP_FLOWS];
	int bad;
};

static bool
exp_cb(const struct sf_flow *key, const struct sf_conn *conn, void *arg)
{
	struct exp_ctx *ctx = arg;
	struct sf_flow want;
	uint32_t i = conn->client_isn;

	ctx->calls++;
	if (i >= EXP_FLOWS || conn->state != SF_CONN_ESTABLISHED ||
	    EXP_NOW - conn->last_tsc < EXP_IDLE || ctx->seen[i]) {
		ctx->bad++;
		return true;
	}
	want = sf_unit_flow(i, (i & 1) ? SF_AF_INET6 : SF_AF_INET);
	if (memcmp(key, &want, sizeof(want)) != 0)
		ctx->bad++;
	/* the entry is still in the shard while the callback runs */
	if (t_lookup(ctx->shard, key) != conn)
		ctx->bad++;
	ctx->seen[i] = 1;
	return true;
}

/* Insert EXP_FLOWS flows; even ones idle since EXP_OLD_TSC. */
static void
exp_fill(struct sf_conn_shard *s)
{
	uint32_t i;

	for (i = 0; i < EXP_FLOWS; i++) {
		struct sf_flow f = sf_unit_flow(i, (i & 1) ? SF_AF_INET6 : SF_AF_INET);
		struct sf_conn *c = t_insert(s, &f);

		assert_non_null(c);
		c->client_isn = i;
		c->last_tsc = (i % 2 == 0) ? EXP_OLD_TSC : EXP_NEW_TSC;
	}
}

static void
exp_check_survivors(struct sf_conn_shard *s, const struct exp_ctx *ctx)
{
	uint32_t i;

	for (i = 0; i < EXP_FLOWS; i++) {
		struct sf_flow f = sf_unit_flow(i, (i & 1) ? SF_AF_INET6 : SF_AF_INET);
		struct sf_conn *c = t_lookup(s, &f);

		if (i % 2 == 0) {
			assert_null(c);
			assert_int_equal(ctx->seen[i], 1);
		} else {
			assert_non_null(c);
			assert_int_equal(c->client_isn, i);
			assert_int_equal(ctx->seen[i], 0);
		}
	}
}

static void
test_conn_expire_all(void **state)
{
	struct sf_conn_shard *s = *state;
	struct exp_ctx ctx = { .shard = s };

	exp_fill(s);
	/* nothing is idle yet */
	assert_int_equal(sf_conn_expire(s, EXP_OLD_TSC + 10, EXP_IDLE, 1u << 20,
					exp_cb, &ctx), 0);
	assert_int_equal(ctx.calls, 0);
	/* one budget larger than the table: one full pass */
	assert_int_equal(sf_conn_expire(s, EXP_NOW, EXP_IDLE, 1u << 20,
					exp_cb, &ctx), EXP_FLOWS / 2);
	assert_int_equal(ctx.calls, EXP_FLOWS / 2);
	assert_int_equal(ctx.bad, 0);
	assert_int_equal(sf_conn_count(s), EXP_FLOWS / 2);
	exp_check_survivors(s, &ctx);

	/* a second pass finds nothing more */
	assert_int_equal(sf_conn_expire(s, EXP_NOW, EXP_IDLE, 1u << 20,
					exp_cb, &ctx), 0);
	assert_int_equal(sf_conn_count(s), EXP_FLOWS / 2);

	/* NULL callback: the fresh ones expire later all the same */
	assert_int_equal(sf_conn_expire(s, EXP_NEW_TSC + EXP_IDLE, EXP_IDLE,
					1u << 20, NULL, NULL), EXP_FLOWS / 2);
	assert_int_equal(sf_conn_count(s), 0);
}

static void
test_conn_expire_budget_wrap(void **state)
{
	struct sf_conn_shard *s = *state;
	struct exp_ctx ctx = { .shard = s };
	const unsigned int budget = 16;
	unsigned int calls, total = 0;
	/* 1024 entries: at most 1025 slots; enough calls to cover them once */
	const unsigned int max_calls = (1024 + 1 + budget - 1) / budget + 1;

	/*
	 * Move the cursor away from 0 on the empty shard first, so the pass
	 * below must wrap around the end of the slot array.
	 */
	assert_int_equal(sf_conn_expire(s, EXP_NOW, EXP_IDLE, 1000,
					exp_cb, &ctx), 0);
	assert_int_equal(sf_conn_expire(s, EXP_NOW, EXP_IDLE, 0,
					exp_cb, &ctx), 0);

	exp_fill(s);
	for (calls = 0; calls < max_calls && total < EXP_FLOWS / 2; calls++) {
		unsigned int r = sf_conn_expire(s, EXP_NOW, EXP_IDLE, budget,
						exp_cb, &ctx);

		assert_true(r <= budget);
		total += r;
	}
	assert_int_equal(total, EXP_FLOWS / 2);
	assert_int_equal(ctx.calls, EXP_FLOWS / 2);
	assert_int_equal(ctx.bad, 0);
	assert_int_equal(sf_conn_count(s), EXP_FLOWS / 2);
	exp_check_survivors(s, &ctx);
}

/* Budget 1 on a shard where every entry is idle: one slot per call. */
static void
test_conn_expire_budget_one(void **state)
{
	struct sf_conn_shard *s = *state;
	unsigned int i, removed = 0;

	for (i = 0; i < 50; i++) {
		struct sf_flow f = sf_unit_flow(i, SF_AF_INET);
		struct sf_conn *c = t_insert(s, &f);

		assert_non_null(c);
		c->last_tsc = 1;
	}
	for (i = 0; i < 2 * 1025; i++) {
		unsigned int r = sf_conn_expire(s, 100, 10, 1, NULL, NULL);

		assert_true(r <= 1);
		removed += r;
		assert_int_equal(sf_conn_count(s), 50 - removed);
	}
	assert_int_equal(removed, 50);
}

/*
 * What one sweep pass does with one entry: whether the callback is called
 * (idle, or RESET whatever its age) and whether the entry goes (the
 * callback's answer; always without a callback).
 */
struct keep_case {
	const char *name;
	uint8_t state;		/* enum sf_conn_state */
	uint64_t last_tsc;
	uint64_t idle_tsc;	/* EXP_IDLE or SF_CONN_IDLE_NEVER */
	int cb;			/* -1: NULL callback, else what it returns */
	unsigned int calls;	/* expected */
	bool removed;		/* expected */
};

static const struct keep_case keep_cases[] = {
	{ "idle, removed", SF_CONN_ESTABLISHED, EXP_OLD_TSC, EXP_IDLE, 1, 1, true },
	{ "idle, kept (event did not fit)", SF_CONN_ESTABLISHED, EXP_OLD_TSC,
	  EXP_IDLE, 0, 1, false },
	{ "fresh: not visited", SF_CONN_ESTABLISHED, EXP_NEW_TSC, EXP_IDLE, 1,
	  0, false },
	{ "idle LAST_ACK, removed", SF_CONN_LAST_ACK, EXP_OLD_TSC, EXP_IDLE,
	  1, 1, true },
	{ "idle, no idle expiry: not visited", SF_CONN_ESTABLISHED, EXP_OLD_TSC,
	  SF_CONN_IDLE_NEVER, 1, 0, false },
	{ "fresh RESET, removed", SF_CONN_RESET, EXP_NEW_TSC, EXP_IDLE, 1, 1,
	  true },
	{ "fresh RESET, kept", SF_CONN_RESET, EXP_NEW_TSC, EXP_IDLE, 0, 1,
	  false },
	{ "RESET, no idle expiry, removed", SF_CONN_RESET, EXP_NEW_TSC,
	  SF_CONN_IDLE_NEVER, 1, 1, true },
	{ "RESET from the future, removed", SF_CONN_RESET, EXP_NOW + 10,
	  EXP_IDLE, 1, 1, true },
	{ "RESET, NULL callback, removed", SF_CONN_RESET, EXP_NEW_TSC,
	  EXP_IDLE, -1, 0, true },
	{ "idle, NULL callback, removed", SF_CONN_ESTABLISHED, EXP_OLD_TSC,
	  EXP_IDLE, -1, 0, true },
};

struct keep_ctx {
	unsigned int calls;
	bool answer;
	uint8_t state_seen;
};

static bool
keep_cb(const struct sf_flow *key, const struct sf_conn *conn, void *arg)
{
	struct keep_ctx *k = arg;

	(void)key;
	k->calls++;
	k->state_seen = conn->state;
	return k->answer;
}

static void
test_conn_expire_keep(void **state)
{
	struct sf_conn_shard *s = *state;
	const unsigned int full = sf_conn_slots(s);
	unsigned int i;

	assert_true(full >= sf_conn_capacity(s));
	for (i = 0; i < RTE_DIM(keep_cases); i++) {
		const struct keep_case *kc = &keep_cases[i];
		struct keep_ctx k = { .answer = kc->cb == 1 };
		struct sf_flow f = sf_unit_flow(i, SF_AF_INET);
		struct sf_conn *c = t_insert(s, &f);
		unsigned int r;

		assert_non_null(c);
		c->state = kc->state;
		c->last_tsc = kc->last_tsc;
		r = sf_conn_expire(s, EXP_NOW, kc->idle_tsc, full,
				   kc->cb < 0 ? NULL : keep_cb, &k);
		if (k.calls != kc->calls || r != (kc->removed ? 1u : 0u) ||
		    (t_lookup(s, &f) == NULL) != kc->removed ||
		    (k.calls > 0 && k.state_seen != kc->state))
			fail_msg("%s: %u calls, %u removed", kc->name, k.calls, r);
		if (!kc->removed) {
			/* kept: the next pass visits it again (or not) alike */
			k.calls = 0;
			k.answer = true;
			r = sf_conn_expire(s, EXP_NOW, kc->idle_tsc, full,
					   keep_cb, &k);
			if (k.calls != kc->calls || r != kc->calls)
				fail_msg("%s, second pass: %u calls, %u removed",
					 kc->name, k.calls, r);
			if (r == 0)
				assert_int_equal(sf_conn_remove(s, c), 0);
		}
		assert_int_equal(sf_conn_count(s), 0);
	}
}

/* Fill a shard to exactly its capacity; the next insert fails cleanly. */
static void
fill_to_capacity(uint32_t entries)
{
	struct sf_conn_shard *s;
	struct sf_conn *c, *first = NULL;
	struct sf_flow f;
	uint32_t i;

	s = sf_conn_shard_create("sf_test_fill", entries, SOCKET_ID_ANY);
	assert_non_null(s);
	assert_int_equal(sf_conn_capacity(s), entries);
	for (i = 0; i < entries; i++) {
		f = sf_unit_flow(i, (i & 1) ? SF_AF_INET6 : SF_AF_INET);
		c = t_insert(s, &f);
		if (c == NULL)
			fail_msg("shard of %u full after %u inserts", entries, i);
		c->client_isn = i;
		if (i == 0)
			first = c;
	}
	assert_int_equal(sf_conn_count(s), entries);

	/* full: new flows are refused, existing ones are still found */
	for (i = entries; i < entries + 16; i++) {
		f = sf_unit_flow(i, SF_AF_INET);
		assert_null(t_insert(s, &f));
	}
	f = sf_unit_flow(0, SF_AF_INET);
	assert_ptr_equal(t_insert(s, &f), first);
	assert_int_equal(sf_conn_count(s), entries);
	for (i = 0; i < entries; i++) {
		f = sf_unit_flow(i, (i & 1) ? SF_AF_INET6 : SF_AF_INET);
		c = t_lookup(s, &f);
		assert_non_null(c);
		assert_int_equal(c->client_isn, i);
	}

	/* removing one makes room for exactly one */
	assert_int_equal(sf_conn_remove(s, first), 0);
	f = sf_unit_flow(entries, SF_AF_INET);
	c = t_insert(s, &f);
	assert_non_null(c);
	assert_int_equal(sf_conn_count(s), entries);
	f = sf_unit_flow(entries + 1, SF_AF_INET);
	assert_null(t_insert(s, &f));

	sf_conn_shard_free(s);
}

static void
test_conn_capacity_1024(void **state)
{
	(void)state;
	fill_to_capacity(1024);
}

static void
test_conn_capacity_sizes(void **state)
{
	static const uint32_t sizes[] = { 8, 9, 100, 1000, 4097, 65536 };
	unsigned int i;

	(void)state;
	for (i = 0; i < RTE_DIM(sizes); i++)
		fill_to_capacity(sizes[i]);
}

/* The multilinear hash written as a loop over the ten words. */
static uint32_t
ref_hash(const struct sf_conn_hash_key *hk, const struct sf_flow *f)
{
	const uint8_t *p = (const uint8_t *)f;
	uint64_t h = hk->m[0];
	unsigned int i;

	for (i = 0; i < SF_CONN_HASH_WORDS; i++) {
		uint32_t x;

		memcpy(&x, p + 4 * i, 4);
		h += hk->m[i + 1] * x;
	}
	return (uint32_t)(h >> 32);
}

/* sf_conn_hash on fixed keys: the formula, word by word. */
static void
test_conn_hash_formula(void **state)
{
	struct sf_conn_hash_key hk;
	struct sf_flow z, f;
	unsigned int i;
	uint32_t w;

	(void)state;
	memset(&z, 0, sizeof(z));
	memset(&hk, 0, sizeof(hk));
	/* the zero flow hashes to m[0] >> 32 */
	hk.m[0] = UINT64_C(0x0123456789abcdef);
	assert_int_equal(sf_conn_hash(&hk, &z), 0x01234567);

	/* m[i + 1] = 2^32 picks x_(i+1): it is the signature, + m[0]'s top */
	f = sf_unit_flow(0x1ffff, SF_AF_INET);
	for (i = 0; i < SF_CONN_HASH_WORDS; i++) {
		uint32_t x;

		memset(&hk, 0, sizeof(hk));
		hk.m[i + 1] = UINT64_C(1) << 32;
		memcpy(&x, (const uint8_t *)&f + 4 * i, 4);
		assert_int_equal(sf_conn_hash(&hk, &f), x);
		hk.m[0] = UINT64_C(5) << 32;
		assert_int_equal(sf_conn_hash(&hk, &f), (uint32_t)(x + 5));
	}

	/* the carry from the low half reaches the signature */
	memset(&hk, 0, sizeof(hk));
	hk.m[0] = UINT32_MAX;
	hk.m[1] = 1;
	memset(&f, 0, sizeof(f));
	assert_int_equal(sf_conn_hash(&hk, &f), 0);
	w = 1;		/* x_1 = 1 */
	memcpy(&f, &w, 4);
	assert_int_equal(sf_conn_hash(&hk, &f), 1);
	/* products wrap mod 2^64: 2^63 * 2 = 0 */
	hk.m[1] = UINT64_C(1) << 63;
	hk.m[0] = 0;
	w = 2;
	memcpy(&f, &w, 4);
	assert_int_equal(sf_conn_hash(&hk, &f), 0);
	w = 3;
	memcpy(&f, &w, 4);
	assert_int_equal(sf_conn_hash(&hk, &f), 0x80000000);

	/* random-looking keys: the straight-line code equals the loop */
	for (i = 0; i < RTE_DIM(hk.m); i++)
		hk.m[i] = UINT64_C(0x9e3779b97f4a7c15) * (2 * i + 1);
	for (i = 0; i < 64; i++) {
		f = sf_unit_flow(i * 7919, (i & 1) ? SF_AF_INET6 : SF_AF_INET);
		assert_int_equal(sf_conn_hash(&hk, &f), ref_hash(&hk, &f));
	}
}

/*
 * Each shard draws its own key: the same flow hashes differently in two
 * shards (each check fails with probability 2^-32), and the same way every
 * time within one.
 */
static void
test_conn_hash_keyed(void **state)
{
	struct sf_conn_shard *a = *state, *b;
	const struct sf_conn_hash_key *ka, *kb;
	struct sf_conn_hash_key copy;
	unsigned int i;

	b = sf_conn_shard_create("sf_test_shard_b", 64, SOCKET_ID_ANY);
	assert_non_null(b);
	ka = sf_conn_shard_hash_key(a);
	kb = sf_conn_shard_hash_key(b);
	assert_non_null(ka);
	assert_ptr_equal(sf_conn_shard_hash_key(a), ka);
	assert_memory_not_equal(ka, kb, sizeof(*ka));
	memcpy(&copy, ka, sizeof(copy));

	for (i = 0; i < 8; i++) {
		struct sf_flow f = sf_unit_flow(40 + i * 1001,
					     (i & 1) ? SF_AF_INET6 : SF_AF_INET);
		uint32_t h = sf_conn_hash(ka, &f);

		assert_int_not_equal(h, sf_conn_hash(kb, &f));
		assert_int_equal(h, sf_conn_hash(ka, &f));
		assert_int_equal(h, sf_conn_hash(&copy, &f));
		assert_int_equal(h, ref_hash(ka, &f));
	}
	/* the key does not change with use */
	for (i = 0; i < 32; i++) {
		struct sf_flow f = sf_unit_flow(i, SF_AF_INET);

		assert_non_null(t_insert(a, &f));
	}
	assert_memory_equal(ka, &copy, sizeof(copy));

	/*
	 * The shard files entries under the keyed signature: b's signature
	 * of a flow in a finds nothing there.
	 */
	for (i = 0; i < 32; i++) {
		struct sf_flow f = sf_unit_flow(i, SF_AF_INET);
		struct sf_conn *c = t_lookup(a, &f);

		assert_non_null(c);
		assert_ptr_equal(sf_conn_lookup(a, &f,
							  sf_conn_hash(ka, &f)),
				 c);
		assert_null(sf_conn_lookup(a, &f,
						     sf_conn_hash(kb, &f)));
	}
	sf_conn_shard_free(b);
}

/*
 * Every one of the 320 key bits counts: flipping it changes the signature
 * under a shard's random key (each fails with probability about 2^-31).
 */
static void
test_conn_hash_bit_flips(void **state)
{
	struct sf_conn_shard *s = *state;
	const struct sf_conn_hash_key *hk = sf_conn_shard_hash_key(s);
	static const uint8_t fams[] = { SF_AF_INET, SF_AF_INET6 };
	unsigned int fi, bit;

	for (fi = 0; fi < RTE_DIM(fams); fi++) {
		struct sf_flow f = sf_unit_flow(5, fams[fi]);
		uint32_t h = sf_conn_hash(hk, &f);
		unsigned int changed = 0;

		for (bit = 0; bit < 8 * sizeof(f); bit++) {
			struct sf_flow g = f;

			((uint8_t *)&g)[bit / 8] ^= (uint8_t)(1u << (bit % 8));
			changed += (sf_conn_hash(hk, &g) != h);
			assert_int_equal(sf_conn_hash(hk, &g), ref_hash(hk, &g));
		}
		assert_int_equal(changed, 320);
	}
}

/*
 * Hash flooding: 2000 IPv6 flows that all have the same CRC32-C (the
 * shard's former, keyless hash) spread under the keyed hash.
 *
 * CRC32-C with initial value 0 and no final xor is linear over GF(2):
 * crc(a ^ b) = crc(a) ^ crc(b). Flow i takes i in client address bytes
 * 8..11, then a correction c_i xored into bytes 12..15 with
 * crc(c_i there) = crc(flow i) ^ crc(base). The CRCs of the 32 single-bit
 * corrections are independent (CRC-32 detects every burst of 32 bits), so
 * the 32x32 system is solved once by Gauss-Jordan elimination.
 */
#define ATK_FLOWS	2000
#define ATK_WIN		12	/* correction: cli_addr[12..15] */
#define ATK_BITS	12	/* signature bits counted (bucket index) */

static uint32_t
crc_of(const struct sf_flow *f)
{
	return rte_hash_crc(f, sizeof(*f), 0);
}

static void
atk_flows(struct sf_flow *flows, unsigned int n)
{
	struct sf_flow base = sf_unit_flow(0x0a0b0c0d, SF_AF_INET6);
	uint32_t val[32], comb[32];
	uint32_t cbase = crc_of(&base);
	unsigned int b, r, i;

	/* val[k] = crc of correction comb[k]; start with single bits */
	for (b = 0; b < 32; b++) {
		struct sf_flow e;
		uint32_t bitv = UINT32_C(1) << b;

		memset(&e, 0, sizeof(e));
		memcpy(&e.cli_addr[ATK_WIN], &bitv, 4);
		val[b] = crc_of(&e);
		comb[b] = bitv;
	}
	/* reduce val[] to the identity: then crc(comb[b]) = 1 << b */
	for (b = 0; b < 32; b++) {
		for (r = b; r < 32 && !(val[r] & (UINT32_C(1) << b)); r++)
			;
		assert_true(r < 32);
		RTE_SWAP(val[b], val[r]);
		RTE_SWAP(comb[b], comb[r]);
		for (r = 0; r < 32; r++) {
			if (r != b && (val[r] & (UINT32_C(1) << b))) {
				val[r] ^= val[b];
				comb[r] ^= comb[b];
			}
		}
	}
	for (i = 0; i < n; i++) {
		struct sf_flow *f = &flows[i];
		uint32_t be = rte_cpu_to_be_32(i), want, corr = 0, w;

		*f = base;
		memcpy(&f->cli_addr[8], &be, 4);
		want = crc_of(f) ^ cbase;
		for (b = 0; b < 32; b++)
			if (want & (UINT32_C(1) << b))
				corr ^= comb[b];
		memcpy(&w, &f->cli_addr[ATK_WIN], 4);
		w ^= corr;
		memcpy(&f->cli_addr[ATK_WIN], &w, 4);
	}
}

static void
test_conn_hash_flood(void **state)
{
	static struct sf_flow flows[ATK_FLOWS];
	static uint16_t per_bucket[1u << ATK_BITS];
	struct sf_conn_shard *s;
	const struct sf_conn_hash_key *hk;
	unsigned int i, distinct = 0, worst = 0;
	uint32_t c0;

	(void)state;
	atk_flows(flows, ATK_FLOWS);
	/* the attack is real: one CRC for all, 2000 distinct flows */
	c0 = crc_of(&flows[0]);
	for (i = 0; i < ATK_FLOWS; i++) {
		assert_int_equal(crc_of(&flows[i]), c0);
		assert_int_equal(flows[i].family, SF_AF_INET6);
		assert_memory_equal(flows[i].cli_addr, "\x20\x01\x00\x02\x00\x00",
				    6);	/* 2001:2::/48 */
		if (i > 0)
			assert_memory_not_equal(&flows[i], &flows[i - 1],
						sizeof(flows[i]));
	}
	memcpy(&c0, &flows[ATK_FLOWS - 1].cli_addr[8], 4);
	assert_int_equal(rte_be_to_cpu_32(c0), ATK_FLOWS - 1);

	s = sf_conn_shard_create("sf_test_flood", 4096, SOCKET_ID_ANY);
	assert_non_null(s);
	hk = sf_conn_shard_hash_key(s);
	memset(per_bucket, 0, sizeof(per_bucket));
	for (i = 0; i < ATK_FLOWS; i++) {
		uint32_t b = sf_conn_hash(hk, &flows[i]) &
			     ((1u << ATK_BITS) - 1);

		distinct += (per_bucket[b] == 0);
		per_bucket[b]++;
		worst = RTE_MAX(worst, (unsigned int)per_bucket[b]);
	}
	/*
	 * 2000 random values in 4096: about 1583 distinct (sd 15), at most a
	 * handful per value; under CRC: 1 distinct, 2000 in one. Over 10^6
	 * random keys these very flows gave 1510 distinct at least and 10 per
	 * value at most: the bounds have a wide margin.
	 */
	assert_true(distinct > 1450);
	assert_true(worst <= 12);

	/* and the shard holds them all */
	for (i = 0; i < ATK_FLOWS; i++) {
		struct sf_conn *c = t_insert(s, &flows[i]);

		assert_non_null(c);
		c->client_isn = i;
	}
	assert_int_equal(sf_conn_count(s), ATK_FLOWS);
	for (i = 0; i < ATK_FLOWS; i++) {
		struct sf_conn *c = t_lookup(s, &flows[i]);

		assert_non_null(c);
		assert_int_equal(c->client_isn, i);
	}
	sf_conn_shard_free(s);
}

/* The *_with_hash calls give what the plain ones give. */
static void
test_conn_with_hash(void **state)
{
	struct sf_conn_shard *s = *state;
	struct sf_flow flows[SF_CONN_BULK_MAX];
	const struct sf_flow *keys[SF_CONN_BULK_MAX];
	uint32_t sigs[SF_CONN_BULK_MAX];
	struct sf_conn *want[SF_CONN_BULK_MAX];
	struct sf_conn *out[SF_CONN_BULK_MAX], *out2[SF_CONN_BULK_MAX];
	unsigned int i, n;

	for (i = 0; i < SF_CONN_BULK_MAX; i++) {
		flows[i] = sf_unit_flow(300 + i, (i & 2) ? SF_AF_INET6 : SF_AF_INET);
		keys[i] = &flows[i];
		sigs[i] = sf_conn_hash(sf_conn_shard_hash_key(s), &flows[i]);
		want[i] = NULL;
		if (i % 3 == 1) {
			/* inserted with the hash, found by the plain calls */
			want[i] = sf_conn_insert(s, &flows[i], sigs[i]);
			assert_non_null(want[i]);
			assert_int_equal(want[i]->state, SF_CONN_ESTABLISHED);
			want[i]->client_isn = i;
			assert_ptr_equal(t_lookup(s, &flows[i]), want[i]);
		} else if (i % 3 == 2) {
			/* inserted plainly, found with the hash */
			want[i] = t_insert(s, &flows[i]);
			assert_non_null(want[i]);
			want[i]->client_isn = i;
			assert_ptr_equal(sf_conn_lookup(s, &flows[i],
								  sigs[i]),
					 want[i]);
		} else {
			assert_null(sf_conn_lookup(s, &flows[i],
							     sigs[i]));
		}
	}
	assert_int_equal(sf_conn_count(s), SF_CONN_BULK_MAX - (SF_CONN_BULK_MAX + 2) / 3);

	for (n = 0; n <= SF_CONN_BULK_MAX; n++) {
		unsigned int hits = 0;

		memset(out, 0xa5, sizeof(out));
		memset(out2, 0x5a, sizeof(out2));
		for (i = 0; i < n; i++)
			hits += (want[i] != NULL);
		assert_int_equal(sf_conn_lookup_bulk(s, keys, sigs,
							       n, out), hits);
		assert_int_equal(t_lookup_bulk(s, keys, n, out2), hits);
		for (i = 0; i < n; i++) {
			assert_ptr_equal(out[i], want[i]);
			assert_ptr_equal(out2[i], want[i]);
		}
	}

	/* Inserting a present flow with its hash returns its entry. */
	for (i = 1; i < SF_CONN_BULK_MAX; i += 3) {
		assert_ptr_equal(sf_conn_insert(s, &flows[i], sigs[i]),
				 want[i]);
		assert_ptr_equal(t_insert(s, &flows[i + 1]), want[i + 1]);
		assert_int_equal(want[i]->client_isn, i);
	}
	assert_int_equal(sf_conn_count(s), SF_CONN_BULK_MAX - (SF_CONN_BULK_MAX + 2) / 3);

	/* Removed entries are gone for both kinds of lookup. */
	for (i = 1; i < SF_CONN_BULK_MAX; i += 3) {
		assert_int_equal(sf_conn_remove(s, want[i]), 0);
		assert_null(sf_conn_lookup(s, &flows[i], sigs[i]));
		assert_null(t_lookup(s, &flows[i]));
	}
}

/* A full shard: insert_with_hash finds existing flows, refuses new ones. */
static void
test_conn_with_hash_full(void **state)
{
	struct sf_conn_shard *s;
	struct sf_flow f;
	struct sf_conn *first = NULL;
	const struct sf_conn_hash_key *hk;
	uint32_t i;

	(void)state;
	s = sf_conn_shard_create("sf_test_whfull", 8, SOCKET_ID_ANY);
	assert_non_null(s);
	hk = sf_conn_shard_hash_key(s);
	for (i = 0; i < 8; i++) {
		struct sf_conn *c;

		f = sf_unit_flow(900 + i, (i & 1) ? SF_AF_INET6 : SF_AF_INET);
		c = sf_conn_insert(s, &f, sf_conn_hash(hk, &f));
		assert_non_null(c);
		if (i == 0)
			first = c;
	}
	assert_int_equal(sf_conn_count(s), 8);
	f = sf_unit_flow(999, SF_AF_INET);
	assert_null(sf_conn_insert(s, &f, sf_conn_hash(hk, &f)));
	f = sf_unit_flow(900, SF_AF_INET);
	assert_ptr_equal(sf_conn_insert(s, &f, sf_conn_hash(hk, &f)),
			 first);
	assert_int_equal(sf_conn_count(s), 8);
	sf_conn_shard_free(s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_conn_layout),
		cmocka_unit_test(test_conn_create_invalid),
		cmocka_unit_test_setup_teardown(test_conn_slot_gen,
						shard_setup, shard_teardown),
		cmocka_unit_test_setup_teardown(test_conn_insert_lookup,
						shard_setup, shard_teardown),
		cmocka_unit_test_setup_teardown(test_conn_insert_existing,
						shard_setup, shard_teardown),
		cmocka_unit_test_setup_teardown(test_conn_family_distinct,
						shard_setup, shard_teardown),
		cmocka_unit_test_setup_teardown(test_conn_lookup_bulk,
						shard_setup, shard_teardown),
		cmocka_unit_test_setup_teardown(test_conn_remove,
						shard_setup, shard_teardown),
		cmocka_unit_test_setup_teardown(test_conn_expire_all,
						shard_setup, shard_teardown),
		cmocka_unit_test_setup_teardown(test_conn_expire_budget_wrap,
						shard_setup, shard_teardown),
		cmocka_unit_test_setup_teardown(test_conn_expire_budget_one,
						shard_setup, shard_teardown),
		cmocka_unit_test_setup_teardown(test_conn_expire_keep,
						shard_setup, shard_teardown),
		cmocka_unit_test(test_conn_capacity_1024),
		cmocka_unit_test(test_conn_capacity_sizes),
		cmocka_unit_test(test_conn_hash_formula),
		cmocka_unit_test_setup_teardown(test_conn_hash_keyed,
						shard_setup, shard_teardown),
		cmocka_unit_test_setup_teardown(test_conn_hash_bit_flips,
						shard_setup, shard_teardown),
		cmocka_unit_test(test_conn_hash_flood),
		cmocka_unit_test_setup_teardown(test_conn_with_hash,
						shard_setup, shard_teardown),
		cmocka_unit_test(test_conn_with_hash_full),
	};

	return cmocka_run_group_tests(tests, group_setup, NULL);
}
