/* SPDX-License-Identifier: BSD-3-Clause */

/*
 * Connection shard: an rte_hash (cuckoo, extendable buckets, no concurrency
 * flags) whose positions index an array of struct sf_conn.
 *
 *   rte_hash_add_key_with_hash(flow, sig) -> pos ---> entries[pos]
 *                                                    (struct sf_conn, <= 64 B)
 *                                            ---> keys[pos] (the flow, 40 B)
 *
 * Every signature is sf_conn_hash() under the shard's random key: rte_hash
 * is only ever called through its *_with_hash functions (add, lookup,
 * lookup bulk, del), so its own hash_func is never used; see
 * sf_conn_unkeyed_hash(). That is why the shard keeps its own copy of each
 * flow in keys[] (for sf_conn_key(), removal and expiry) rather than ask
 * rte_hash_get_key_with_position(): that one checks the position with a
 * lookup under the hash_func, which cannot know the key.
 *
 * Without RTE_HASH_EXTRA_FLAGS_MULTI_WRITER_ADD there are no per-lcore key
 * caches, so rte_hash hands out positions 0 .. rte_hash_max_key_id() - 1;
 * the array is sized from rte_hash_max_key_id() (+1, its documented
 * inclusive bound) so every position it can return is covered. With the
 * extendable bucket table a key never fails on a full bucket pair: the only
 * -ENOSPC is "no free key slot", i.e. the shard holds `entries` keys.
 *
 * A slot is in use exactly when its state is not SF_CONN_FREE: insert sets
 * it, remove and expiry clear the whole slot. The expiry sweep visits idle
 * entries and SF_CONN_RESET ones; its callback decides whether a visited
 * entry goes (an entry whose event did not fit the ring stays, and is
 * visited again on the next pass).
 */

#include <assert.h>
#include <errno.h>
#include <stddef.h>
#include <string.h>

#include <rte_common.h>
#include <rte_errno.h>
#include <rte_hash.h>
#include <rte_malloc.h>
#include <rte_memory.h>
#include <rte_prefetch.h>

#include "sf_conn.h"
#include "sf_random.h"

static_assert(sizeof(struct sf_conn) <= RTE_CACHE_LINE_MIN_SIZE,
	      "struct sf_conn must fit one cache line");
static_assert(sizeof(struct sf_flow) == 40, "struct sf_flow is the 40-byte key");

/** Smallest capacity: one rte_hash bucket. */
#define SF_CONN_ENTRIES_MIN	8

struct sf_conn_shard {
	struct rte_hash *hash;		/**< flow -> position */
	struct sf_conn *entries;	/**< nslots entries, indexed by position */
	struct sf_flow *keys;		/**< nslots flows: keys[pos] of entries[pos] */
	uint32_t nslots;		/**< positions rte_hash can return */
	uint32_t capacity;		/**< entries given at creation */
	uint32_t count;			/**< entries in use */
	uint32_t cursor;		/**< next slot sf_conn_expire() looks at */
	uint32_t gen;			/**< generation of the last insert */
	struct sf_conn_hash_key hk;	/**< sf_conn_hash() key, secret */
};

/*
 * The rte_hash_parameters hash_func, which nothing relies on. rte_hash
 * calls it only from its functions without _with_hash (rte_hash_add_key,
 * rte_hash_lookup, rte_hash_del_key, rte_hash_lookup_bulk, rte_hash_hash)
 * and from rte_hash_get_key_with_position(), and this file uses none of
 * them: the signatures are sf_conn_hash() under the shard's key, which a
 * hash_func cannot know (it gets the key bytes and a 32-bit init_val, no
 * shard). A constant: were it ever used, the lookups would miss visibly in
 * the tests rather than quietly work unkeyed.
 */
static uint32_t
sf_conn_unkeyed_hash(const void *key, uint32_t key_len, uint32_t init_val)
{
	RTE_SET_USED(key);
	RTE_SET_USED(key_len);
	RTE_SET_USED(init_val);
	return 0;
}

struct sf_conn_shard *
sf_conn_shard_create(const char *name, uint32_t entries, int socket_id)
{
	struct rte_hash_parameters params = {
		.name = name,
		.entries = entries,
		.key_len = sizeof(struct sf_flow),
		.hash_func = sf_conn_unkeyed_hash,
		.hash_func_init_val = 0,
		.socket_id = socket_id,
		.extra_flag = RTE_HASH_EXTRA_FLAGS_EXT_TABLE,
	};
	struct sf_conn_shard *shard;
	int32_t max_id;

	if (name == NULL ||
	    strnlen(name, SF_CONN_NAME_MAX + 1) > SF_CONN_NAME_MAX ||
	    entries < SF_CONN_ENTRIES_MIN ||
	    entries > RTE_HASH_ENTRIES_MAX) {
		rte_errno = EINVAL;
		return NULL;
	}

	shard = rte_zmalloc_socket(name, sizeof(*shard), RTE_CACHE_LINE_SIZE,
				   socket_id);
	if (shard == NULL) {
		rte_errno = ENOMEM;
		return NULL;
	}

	shard->hash = rte_hash_create(&params);
	if (shard->hash == NULL) {
		int err = rte_errno != 0 ? rte_errno : ENOMEM;

		rte_free(shard);
		rte_errno = err;
		return NULL;
	}

	max_id = rte_hash_max_key_id(shard->hash);
	if (max_id < 0 || (uint32_t)max_id < entries ||
	    (uint32_t)max_id >= UINT32_MAX) {
		rte_hash_free(shard->hash);
		rte_free(shard);
		rte_errno = EINVAL;
		return NULL;
	}
	shard->nslots = (uint32_t)max_id + 1;

	shard->entries = rte_zmalloc_socket(name,
			(size_t)shard->nslots * sizeof(struct sf_conn),
			RTE_CACHE_LINE_SIZE, socket_id);
	shard->keys = rte_zmalloc_socket(name,
			(size_t)shard->nslots * sizeof(struct sf_flow),
			RTE_CACHE_LINE_SIZE, socket_id);
	if (shard->entries == NULL || shard->keys == NULL) {
		rte_hash_free(shard->hash);
		rte_free(shard->entries);
		rte_free(shard->keys);
		rte_free(shard);
		rte_errno = ENOMEM;
		return NULL;
	}
	shard->capacity = entries;
	/* 704 secret bits from the kernel: creation is not on the hot path */
	sf_random_fill(shard->hk.m, sizeof(shard->hk.m));
	return shard;
}

const struct sf_conn_hash_key *
sf_conn_shard_hash_key(const struct sf_conn_shard *shard)
{
	return &shard->hk;
}

void
sf_conn_shard_free(struct sf_conn_shard *shard)
{
	if (shard == NULL)
		return;
	rte_hash_free(shard->hash);
	rte_free(shard->entries);
	rte_free(shard->keys);
	rte_free(shard);
}

/* Map a position from rte_hash to its entry; NULL for a miss or a bad one. */
static inline struct sf_conn *
sf_conn_at(const struct sf_conn_shard *shard, int32_t pos)
{
	if (pos < 0 || (uint32_t)pos >= shard->nslots)
		return NULL;
	return &shard->entries[pos];
}

unsigned int
sf_conn_lookup_bulk(struct sf_conn_shard *shard,
		    const struct sf_flow *const *keys, const uint32_t *sigs,
		    unsigned int n, struct sf_conn **out)
{
	int32_t pos[SF_CONN_BULK_MAX];
	unsigned int done, hits = 0;

	for (done = 0; done < n; ) {
		unsigned int chunk = RTE_MIN(n - done,
					     (unsigned int)SF_CONN_BULK_MAX);
		unsigned int i;

		if (rte_hash_lookup_with_hash_bulk(shard->hash,
				(const void **)(uintptr_t)(keys + done),
				(hash_sig_t *)(uintptr_t)(sigs + done),
				chunk, pos) != 0) {
			for (i = 0; i < chunk; i++)
				out[done + i] = NULL;
		} else {
			for (i = 0; i < chunk; i++) {
				struct sf_conn *c = sf_conn_at(shard, pos[i]);

				out[done + i] = c;
				if (c != NULL) {
					rte_prefetch0(c);
					hits++;
				}
			}
		}
		done += chunk;
	}
	return hits;
}

struct sf_conn *
sf_conn_lookup(struct sf_conn_shard *shard, const struct sf_flow *key,
	       uint32_t sig)
{
	return sf_conn_at(shard, rte_hash_lookup_with_hash(shard->hash, key,
							   sig));
}

struct sf_conn *
sf_conn_insert(struct sf_conn_shard *shard, const struct sf_flow *key,
	       uint32_t sig)
{
	struct sf_conn *c;
	int32_t pos;

	/*
	 * The capacity is the contract, whatever slack rte_hash has: once it
	 * is reached only an existing flow is found.
	 */
	if (unlikely(shard->count >= shard->capacity))
		return sf_conn_lookup(shard, key, sig);

	pos = rte_hash_add_key_with_hash(shard->hash, key, sig);
	c = sf_conn_at(shard, pos);
	if (unlikely(c == NULL)) {
		/* -ENOSPC (full), or a position we cannot index: undo it. */
		if (pos >= 0)
			rte_hash_del_key_with_hash(shard->hash, key, sig);
		return NULL;
	}
	if (c->state != SF_CONN_FREE)
		return c;	/* already present: add_key returned its slot */

	memset(c, 0, sizeof(*c));
	c->state = SF_CONN_ESTABLISHED;
	if (unlikely(++shard->gen == 0))
		shard->gen = 1;		/* 0 is never a handle's */
	c->gen = shard->gen;
	memcpy(&shard->keys[pos], key, sizeof(*key));
	shard->count++;
	return c;
}

/* Index of an entry pointer, or -1 if it is not one of ours. */
static inline int32_t
sf_conn_pos(const struct sf_conn_shard *shard, const struct sf_conn *conn)
{
	uintptr_t base = (uintptr_t)shard->entries;
	uintptr_t p = (uintptr_t)conn;
	uintptr_t off;

	if (conn == NULL || p < base)
		return -1;
	off = p - base;
	if (off % sizeof(struct sf_conn) != 0 ||
	    off / sizeof(struct sf_conn) >= shard->nslots)
		return -1;
	return (int32_t)(off / sizeof(struct sf_conn));
}

const struct sf_flow *
sf_conn_key(const struct sf_conn_shard *shard, const struct sf_conn *conn)
{
	int32_t pos = sf_conn_pos(shard, conn);

	if (pos < 0 || conn->state == SF_CONN_FREE)
		return NULL;
	return &shard->keys[pos];
}

/* Remove the entry at a known in-use position. */
static int
sf_conn_remove_pos(struct sf_conn_shard *shard, int32_t pos)
{
	const struct sf_flow *key = &shard->keys[pos];

	if (rte_hash_del_key_with_hash(shard->hash, key,
				       sf_conn_hash(&shard->hk, key)) != pos)
		return -ENOENT;
	memset(&shard->entries[pos], 0, sizeof(shard->entries[pos]));
	memset(&shard->keys[pos], 0, sizeof(shard->keys[pos]));
	shard->count--;
	return 0;
}

int
sf_conn_remove(struct sf_conn_shard *shard, struct sf_conn *conn)
{
	int32_t pos = sf_conn_pos(shard, conn);

	if (pos < 0 || conn->state == SF_CONN_FREE)
		return -ENOENT;
	return sf_conn_remove_pos(shard, pos);
}

uint32_t
sf_conn_slot(const struct sf_conn_shard *shard, const struct sf_conn *conn)
{
	int32_t pos = sf_conn_pos(shard, conn);

	return pos < 0 ? UINT32_MAX : (uint32_t)pos;
}

/* Whether @p slot (any value) is a slot of @p shard in use. */
static inline bool
sf_conn_slot_used(const struct sf_conn_shard *shard, uint32_t slot)
{
	return slot < shard->nslots &&
		shard->entries[slot].state != SF_CONN_FREE;
}

struct sf_conn *
sf_conn_at_slot(struct sf_conn_shard *shard, uint32_t slot)
{
	return sf_conn_slot_used(shard, slot) ? &shard->entries[slot] : NULL;
}

const struct sf_flow *
sf_conn_slot_key(const struct sf_conn_shard *shard, uint32_t slot)
{
	return sf_conn_slot_used(shard, slot) ? &shard->keys[slot] : NULL;
}

uint32_t
sf_conn_count(const struct sf_conn_shard *shard)
{
	return shard->count;
}

uint32_t
sf_conn_capacity(const struct sf_conn_shard *shard)
{
	return shard->capacity;
}

uint32_t
sf_conn_slots(const struct sf_conn_shard *shard)
{
	return shard->nslots;
}

/* Whether the sweep calls back for an in-use entry. */
static inline bool
sf_conn_due(const struct sf_conn *c, uint64_t now_tsc, uint64_t idle_tsc)
{
	if (c->state == SF_CONN_RESET)
		return true;	/* its RST event waits, whatever its age */
	/* A last_tsc in the future (never on one TSC) is not idle. */
	return idle_tsc != SF_CONN_IDLE_NEVER && now_tsc >= c->last_tsc &&
		now_tsc - c->last_tsc >= idle_tsc;
}

unsigned int
sf_conn_expire(struct sf_conn_shard *shard, uint64_t now_tsc,
	       uint64_t idle_tsc, unsigned int budget,
	       sf_conn_expire_cb cb, void *arg)
{
	uint32_t cur = shard->cursor;
	unsigned int removed = 0;

	budget = RTE_MIN(budget, shard->nslots);
	while (budget-- > 0) {
		struct sf_conn *c = &shard->entries[cur];

		if (c->state != SF_CONN_FREE &&
		    sf_conn_due(c, now_tsc, idle_tsc) &&
		    (cb == NULL || cb(&shard->keys[cur], c, arg)) &&
		    sf_conn_remove_pos(shard, (int32_t)cur) == 0)
			removed++;
		if (++cur == shard->nslots)
			cur = 0;
	}
	shard->cursor = cur;
	return removed;
}
