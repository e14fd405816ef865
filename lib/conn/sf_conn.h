/* SPDX-License-Identifier: BSD-3-Clause */

#ifndef SF_CONN_H
#define SF_CONN_H

/**
 * @file
 * Connection shard: the ESTABLISHED connections of one worker lcore.
 *
 * An rte_hash keyed by struct sf_flow, created without any concurrency
 * flag: the owning lcore is the only reader and writer, so there are no
 * locks and no atomics. Its signatures come from a hash with a secret key
 * per shard (sf_conn_hash()), against hash flooding. Entries live in an
 * array indexed by the hash position. The capacity is fixed at creation; a
 * full shard makes sf_conn_insert() return NULL (the caller counts it),
 * never a crash.
 */

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#if defined(__AVX2__)
#include <immintrin.h>
#endif

#include <rte_hash.h>

#include "sf_net.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Connection states kept in the shard (half-open ones never are). */
enum sf_conn_state {
	SF_CONN_FREE = 0,	/**< slot unused */
	SF_CONN_ESTABLISHED,	/**< handshake done */
	SF_CONN_LAST_ACK,	/**< client's FIN answered with our FIN, waiting for its ACK */
	SF_CONN_RESET,		/**< reset by the client; its RST event not queued yet */
	SF_CONN_CLOSE_WAIT,	/**< reply channel: client's FIN ACKed, waiting for the consumer's CLOSE */
	SF_CONN_FIN_WAIT_1,	/**< reply channel: our FIN sent, client still open */
	SF_CONN_FIN_WAIT_2,	/**< reply channel: our FIN acknowledged, client still open */
	SF_CONN_CLOSING,	/**< reply channel: both FINs out, ours not acknowledged */
};

/** sf_conn.flags bits. */
#define SF_CONN_F_SACK	0x01	/**< SACK-permitted negotiated */
#define SF_CONN_F_TS	0x02	/**< timestamps negotiated */
/**
 * In state SF_CONN_RESET: reset by our side (ABORT, give-up), not by the
 * client; the RST event the sweep queues later carries SF_EV_F_LOCAL.
 */
#define SF_CONN_F_LOCAL	0x04

/**
 * sf_conn.chal_t is the TSC shifted right by this much (65536 ticks, about
 * 20 us at 3 GHz; 32 bits of them wrap after a day), so that the entry
 * stays within one cache line.
 */
#define SF_CONN_CHAL_SHIFT	16

/** One connection: at most 64 bytes (one cache line). */
struct sf_conn {
	uint32_t client_isn;	/**< client's initial sequence number */
	uint32_t server_isn;	/**< our ISN (the cookie) */
	uint32_t rcv_nxt;	/**< next sequence number expected from the client */
	uint32_t snd_nxt;	/**< our next sequence number */
	uint32_t ts_recent;	/**< last TSval received (with SF_CONN_F_TS) */
	uint32_t snd_wnd;	/**< client's last window, scaled */
	uint64_t last_tsc;	/**< TSC of the last segment seen */
	uint16_t mss;		/**< negotiated MSS (what we may send) */
	uint8_t state;		/**< enum sf_conn_state */
	uint8_t snd_wscale;	/**< client's window scale (0..14) */
	uint8_t rcv_wscale;	/**< our window scale (0..14) */
	uint8_t flags;		/**< SF_CONN_F_* */
	uint8_t pad[2];
	uint32_t snd_wl1;	/**< SEG.SEQ of the last window update */
	uint32_t snd_wl2;	/**< SEG.ACK of the last window update */
	uint32_t chal_t;	/**< TSC >> SF_CONN_CHAL_SHIFT of the last
				 *   flow-limited reply */
	uint32_t gen;		/**< the slot's generation (sf_handle.gen), never 0 */
	uint32_t snd_id;	/**< reply channel: send state index + 1, 0 none */
	uint32_t credit;	/**< reply channel: bytes the client may send
				 *   beyond rcv_nxt (right edge rcv_nxt + credit) */
};

_Static_assert(sizeof(struct sf_conn) <= 64,
	       "a connection entry must fit one cache line");

/** Opaque shard handle. */
struct sf_conn_shard;

/**
 * Longest shard name: rte_hash names its extendable-bucket ring
 * "HT_EXT_<name>" within RTE_RING_NAMESIZE (29 characters).
 */
#define SF_CONN_NAME_MAX	22

/**
 * Create a shard.
 *
 * @param name      unique name (rte_hash names are global to the process),
 *                  at most SF_CONN_NAME_MAX characters
 * @param entries   capacity, >= 8
 * @param socket_id NUMA socket for its memory (SOCKET_ID_ANY allowed)
 * @return the shard, or NULL with rte_errno set (EINVAL, ENOMEM, EEXIST).
 */
struct sf_conn_shard *
sf_conn_shard_create(const char *name, uint32_t entries, int socket_id);

/**
 * Free a shard and its hash.
 *
 * @param shard  the shard, or NULL
 */
void
sf_conn_shard_free(struct sf_conn_shard *shard);

/** Number of 32-bit words in the 40-byte struct sf_flow. */
#define SF_CONN_HASH_WORDS	10

/**
 * A shard's secret hash key: the multipliers of a multilinear hash, drawn
 * with sf_random_fill() when the shard is created. Treat it as opaque: get
 * it with sf_conn_shard_hash_key() and give it to sf_conn_hash().
 */
struct sf_conn_hash_key {
	uint64_t m[SF_CONN_HASH_WORDS + 1];	/**< m[0] + sum m[i] * x_i */
};

/**
 * The shard's keyed hash of a flow (the signature every shard operation
 * uses), computed once per segment by the caller and given to every
 * lookup and insert of that flow.
 *
 * Multilinear hashing (Lemire and Kaser, "Strongly universal string hashing
 * is fast"): with x_1..x_10 the ten 32-bit words of the 40-byte key (host
 * order) and the key's random 64-bit m[0..10],
 *
 *   h = (m[0] + m[1] * x_1 + ... + m[10] * x_10) mod 2^64,  sig = h >> 32
 *
 * is strongly universal: for two distinct flows the pair of signatures is
 * uniform over the random key, so without the key nobody can pick flows
 * that collide (the CRC used before is linear and keyless: collisions could
 * be computed offline). Shards have independent keys; the signature of a
 * flow is only meaningful for the shard whose key made it.
 *
 * @param hk  the shard's key, sf_conn_shard_hash_key()
 * @param key the flow
 * @return the 32-bit signature.
 */
static inline uint32_t
sf_conn_hash(const struct sf_conn_hash_key *hk, const struct sf_flow *key)
{
	const uint8_t *p = (const uint8_t *)key;
	const uint64_t *m = hk->m;
	uint32_t x9, x10;
	uint64_t h;
#if defined(__AVX2__)
	/*
	 * x_1..x_8 in two vectors of four 64-bit lanes. Per lane,
	 * m * x mod 2^64 = lo32(m) * x + (hi32(m) * x << 32): two 32x32->64
	 * multiplies (vpmuludq, on two ports) instead of one scalar imul (on
	 * one port, which the ten of them would saturate).
	 */
	const __m256i xa = _mm256_cvtepu32_epi64(
			_mm_loadu_si128((const __m128i *)p));
	const __m256i xb = _mm256_cvtepu32_epi64(
			_mm_loadu_si128((const __m128i *)(p + 16)));
	const __m256i ma = _mm256_loadu_si256((const __m256i *)&m[1]);
	const __m256i mb = _mm256_loadu_si256((const __m256i *)&m[5]);
	__m256i lo, hi;
	__m128i s;

	lo = _mm256_add_epi64(_mm256_mul_epu32(ma, xa),
			      _mm256_mul_epu32(mb, xb));
	hi = _mm256_add_epi64(_mm256_mul_epu32(_mm256_srli_epi64(ma, 32), xa),
			      _mm256_mul_epu32(_mm256_srli_epi64(mb, 32), xb));
	lo = _mm256_add_epi64(lo, _mm256_slli_epi64(hi, 32));
	s = _mm_add_epi64(_mm256_castsi256_si128(lo),
			  _mm256_extracti128_si256(lo, 1));
	s = _mm_add_epi64(s, _mm_unpackhi_epi64(s, s));
	memcpy(&x9, p + 32, 4);
	memcpy(&x10, p + 36, 4);
	h = m[0] + (uint64_t)_mm_cvtsi128_si64(s) + m[9] * x9 + m[10] * x10;
#else
	uint32_t x1, x2, x3, x4, x5, x6, x7, x8;

	memcpy(&x1, p, 4);
	memcpy(&x2, p + 4, 4);
	memcpy(&x3, p + 8, 4);
	memcpy(&x4, p + 12, 4);
	memcpy(&x5, p + 16, 4);
	memcpy(&x6, p + 20, 4);
	memcpy(&x7, p + 24, 4);
	memcpy(&x8, p + 28, 4);
	memcpy(&x9, p + 32, 4);
	memcpy(&x10, p + 36, 4);
	h = m[0] + m[1] * x1 + m[2] * x2 + m[3] * x3 + m[4] * x4 +
	    m[5] * x5 + m[6] * x6 + m[7] * x7 + m[8] * x8 + m[9] * x9 +
	    m[10] * x10;
#endif
	return (uint32_t)(h >> 32);
}

/**
 * A shard's hash key, for sf_conn_hash(). It does not change for the life
 * of the shard, so a caller may fetch it once per burst.
 *
 * @param shard the shard
 * @return the key (owned by the shard).
 */
const struct sf_conn_hash_key *
sf_conn_shard_hash_key(const struct sf_conn_shard *shard);

/**
 * Keys sf_conn_lookup_bulk() gives rte_hash at a time: rte_hash's own
 * limit (any n is taken, in chunks of this).
 */
#define SF_CONN_BULK_MAX	RTE_HASH_LOOKUP_BULK_MAX

/**
 * Look up a burst of flows.
 *
 * @param shard the shard
 * @param keys  n flow pointers (any n)
 * @param sigs  sigs[i] = sf_conn_hash(sf_conn_shard_hash_key(shard),
 *              keys[i])
 * @param n     number of keys
 * @param out   out[i] = the entry of keys[i], or NULL
 * @return number of hits.
 */
unsigned int
sf_conn_lookup_bulk(struct sf_conn_shard *shard,
		    const struct sf_flow *const *keys, const uint32_t *sigs,
		    unsigned int n, struct sf_conn **out);

/**
 * Look up one flow.
 *
 * @param shard the shard
 * @param key   the flow
 * @param sig   sf_conn_hash(sf_conn_shard_hash_key(shard), key)
 * @return the entry or NULL.
 */
struct sf_conn *
sf_conn_lookup(struct sf_conn_shard *shard, const struct sf_flow *key,
	       uint32_t sig);

/**
 * Insert a flow. The returned entry is zeroed except state =
 * SF_CONN_ESTABLISHED and gen, the next value of the shard's generation
 * counter (never 0; a slot reused gets another); the caller fills the
 * rest.
 *
 * @param shard the shard
 * @param key   the flow (copied into the hash)
 * @param sig   sf_conn_hash(sf_conn_shard_hash_key(shard), key)
 * @return the new entry; the existing one if the flow is present; NULL when
 *   the shard is full.
 */
struct sf_conn *
sf_conn_insert(struct sf_conn_shard *shard, const struct sf_flow *key,
	       uint32_t sig);

/**
 * Remove an entry returned by insert or lookup (the slot is zeroed).
 *
 * @param shard the shard
 * @param conn  the entry
 * @return 0, or -ENOENT when @p conn is not an in-use entry of @p shard.
 */
int
sf_conn_remove(struct sf_conn_shard *shard, struct sf_conn *conn);

/**
 * The flow of an entry (its hash key).
 *
 * @param shard the shard
 * @param conn  an entry of @p shard
 * @return the flow, or NULL when @p conn is not an in-use entry.
 */
const struct sf_flow *
sf_conn_key(const struct sf_conn_shard *shard, const struct sf_conn *conn);

/**
 * The slot of an entry: its index in the shard, stable while it is in
 * use (the slot of a struct sf_handle).
 *
 * @param shard the shard
 * @param conn  an entry of @p shard
 * @return its slot, or UINT32_MAX when @p conn is not an entry of @p shard.
 */
uint32_t
sf_conn_slot(const struct sf_conn_shard *shard, const struct sf_conn *conn);

/**
 * The entry in a slot, when it is in use.
 *
 * @param shard the shard
 * @param slot  a slot (any value)
 * @return the entry, or NULL when @p slot is out of range or free.
 */
struct sf_conn *
sf_conn_at_slot(struct sf_conn_shard *shard, uint32_t slot);

/**
 * The flow of the entry in a slot.
 *
 * @param shard the shard
 * @param slot  a slot in use
 * @return its flow, or NULL when @p slot is out of range or free.
 */
const struct sf_flow *
sf_conn_slot_key(const struct sf_conn_shard *shard, uint32_t slot);

/**
 * @param shard the shard
 * @return the number of entries in use.
 */
uint32_t
sf_conn_count(const struct sf_conn_shard *shard);

/**
 * @param shard the shard
 * @return the capacity given at creation.
 */
uint32_t
sf_conn_capacity(const struct sf_conn_shard *shard);

/**
 * Number of slots sf_conn_expire() cycles through: the positions rte_hash
 * can return, at least the capacity. A full sweep of the shard is this
 * many slots.
 *
 * @param shard the shard
 * @return its slot count.
 */
uint32_t
sf_conn_slots(const struct sf_conn_shard *shard);

/** idle_tsc for sf_conn_expire(): no entry is ever idle. */
#define SF_CONN_IDLE_NEVER	UINT64_MAX

/**
 * Called for each entry the sweep visits: an idle one, or one in state
 * SF_CONN_RESET whatever its age (its RST event is still to be queued).
 *
 * @param key  the entry's flow
 * @param conn the entry (still in the shard while the callback runs)
 * @param arg  the caller's argument
 * @return true to remove the entry now; false to keep it, so that the
 *   next sweep visit calls back again (e.g. its event did not fit the
 *   ring).
 */
typedef bool (*sf_conn_expire_cb)(const struct sf_flow *key,
				  const struct sf_conn *conn, void *arg);

/**
 * Incremental sweep: scan at most @p budget slots from an internal cursor
 * (wrapping after sf_conn_slots()). An entry is visited when it is idle
 * (now_tsc - last_tsc >= idle_tsc; an entry whose last_tsc is after now_tsc
 * is not idle, and none is with SF_CONN_IDLE_NEVER) or in state
 * SF_CONN_RESET; a visited entry is removed when @p cb returns true (or
 * @p cb is NULL).
 *
 * @param shard    the shard
 * @param now_tsc  current TSC
 * @param idle_tsc idle time, in TSC ticks, or SF_CONN_IDLE_NEVER
 * @param budget   slots to scan at most
 * @param cb       called for each visited entry before removal, or NULL
 * @param arg      passed to @p cb
 * @return number of entries removed.
 */
unsigned int
sf_conn_expire(struct sf_conn_shard *shard, uint64_t now_tsc,
	       uint64_t idle_tsc, unsigned int budget,
	       sf_conn_expire_cb cb, void *arg);

#ifdef __cplusplus
}
#endif

#endif /* SF_CONN_H */
