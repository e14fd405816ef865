/* SPDX-License-Identifier: BSD-3-Clause */

#ifndef SF_CLOSED_H
#define SF_CLOSED_H

/**
 * @file
 * Closed flows: what a closed connection leaves behind until its cookie
 * can no longer validate, so that a duplicated or replayed third segment
 * (SEG.SEQ = client ISN + 1, SEG.ACK = cookie + 1, maybe with data) is
 * answered as TIME-WAIT would, not taken for a new connection.
 *
 * One table per worker lcore, like the shard: no locks, no atomics. It is
 * sized for a closing rate, not for the shard: a connection's cookie
 * validates at most 128 s (SF_CLOSED_LIFE_S), so @e rate closes a second
 * need rate * 128 records. A record is 16 bytes, four to a 64-byte bucket:
 * 2048 bytes per close a second (20 MB for 10000/s), fixed at creation.
 *
 * A record is keyed by (flow, client ISN) through a 64-bit fingerprint:
 * two independent strongly universal (multilinear) hashes, 32 bits each,
 * under multipliers drawn with sf_random_fill() per table. A new
 * connection of the same flow has a new client ISN; two distinct keys
 * share a fingerprint with probability 2^-64 over the multipliers, which
 * never leave the table, so an attacker cannot aim at one, and a record
 * never blocks a new connection (a chance false match: 2^-64 per record
 * compared). Each key has two candidate buckets; a record is written in
 * the one with more free or expired slots (expired records are reused in
 * place); when both are full of live records it is not kept (-ENOSPC, the
 * caller counts it).
 *
 * A burst looks its segments up in two passes, so that the bucket misses
 * overlap: sf_closed_prefetch() for each (its fingerprint, its buckets
 * prefetched), then sf_closed_find_fp() for each. Neither is needed while
 * sf_closed_empty(): no record can be alive (sf_closed_find() checks it
 * first).
 */

#include <stdbool.h>
#include <stdint.h>

#include "sf_net.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Longest life of a record: a cookie validates 64 to 128 s. */
#define SF_CLOSED_LIFE_S	128
/** Memory per record. */
#define SF_CLOSED_RECORD_BYTES	16
/** Records per bucket (one cache line). */
#define SF_CLOSED_BUCKET_RECS	4
/** Smallest table: two buckets (every key has two distinct ones). */
#define SF_CLOSED_RECORDS_MIN	(2 * SF_CLOSED_BUCKET_RECS)
/** Largest closing rate a table is made for (2 GB of records). */
#define SF_CLOSED_RATE_MAX	1000000

/** What a closed connection left: the numbers of the TIME-WAIT answer. */
struct sf_closed_tw {
	uint32_t snd_nxt;	/**< our SND.NXT (ISS + 1, + 1 once our FIN is out) */
	uint32_t rcv_nxt;	/**< its RCV.NXT (after its data and FIN) */
};

/** Opaque table. */
struct sf_closed;

/**
 * Records needed for a closing rate.
 *
 * @param rate  closes a second
 * @return rate * SF_CLOSED_LIFE_S.
 */
static inline uint64_t
sf_closed_records(uint32_t rate)
{
	return (uint64_t)rate * SF_CLOSED_LIFE_S;
}

/**
 * Create a table.
 *
 * @param records   capacity, SF_CLOSED_RECORDS_MIN ..
 *                  sf_closed_records(SF_CLOSED_RATE_MAX); rounded up to
 *                  whole buckets
 * @param socket_id NUMA socket of its memory (SOCKET_ID_ANY allowed)
 * @return the table, or NULL with rte_errno set (EINVAL, ENOMEM).
 */
struct sf_closed *
sf_closed_create(uint64_t records, int socket_id);

/**
 * Free a table.
 *
 * @param t  the table, or NULL
 */
void
sf_closed_free(struct sf_closed *t);

/**
 * Keep the record of a closed connection until its cookie stops
 * validating (sf_cookie_until()). A live record of the same flow and
 * client ISN is replaced.
 *
 * @param t           the table
 * @param flow        the connection's flow
 * @param client_isn  the client's ISN
 * @param server_isn  our ISN: the cookie
 * @param tw          its SND.NXT (server_isn + 1 or + 2) and RCV.NXT
 * @param now_s       unix seconds
 * @return 0 when kept; 1 when not needed (the cookie no longer validates);
 *   -ENOSPC when both buckets hold live records only (not kept).
 */
int
sf_closed_add(struct sf_closed *t, const struct sf_flow *flow,
	      uint32_t client_isn, uint32_t server_isn,
	      const struct sf_closed_tw *tw, uint64_t now_s);

/**
 * Find the live record of a flow and client ISN.
 *
 * @param t           the table
 * @param flow        the segment's flow
 * @param client_isn  SEG.SEQ - 1 of the segment
 * @param server_isn  SEG.ACK - 1 of the segment (its cookie, validated):
 *                    SND.NXT is given relative to it, which is exact for a
 *                    replay of the old connection's segments
 * @param now_s       unix seconds
 * @param tw          receives the TIME-WAIT answer's numbers when found
 * @return 0 when found, -ENOENT when not.
 */
int
sf_closed_find(const struct sf_closed *t, const struct sf_flow *flow,
	       uint32_t client_isn, uint32_t server_isn, uint64_t now_s,
	       struct sf_closed_tw *tw);

/**
 * Whether no record can be alive at @p now_s: none was ever written, or
 * every one written so far has expired. Then every find fails.
 *
 * @param t      the table
 * @param now_s  unix seconds
 * @return true when empty.
 */
bool
sf_closed_empty(const struct sf_closed *t, uint64_t now_s);

/**
 * First step of a find: the fingerprint of a flow and client ISN, its two
 * buckets prefetched. Give it to sf_closed_find_fp() later in the burst.
 *
 * @param t           the table
 * @param flow        the segment's flow
 * @param client_isn  SEG.SEQ - 1 of the segment
 * @return the fingerprint (meaningful only with this table).
 */
uint64_t
sf_closed_prefetch(const struct sf_closed *t, const struct sf_flow *flow,
		   uint32_t client_isn);

/**
 * Second step of a find: sf_closed_find() of a fingerprint from
 * sf_closed_prefetch() (of this table).
 *
 * @param t           the table
 * @param fp          the fingerprint
 * @param server_isn  as sf_closed_find()
 * @param now_s       unix seconds
 * @param tw          receives the TIME-WAIT answer's numbers when found
 * @return 0 when found, -ENOENT when not.
 */
int
sf_closed_find_fp(const struct sf_closed *t, uint64_t fp, uint32_t server_isn,
		  uint64_t now_s, struct sf_closed_tw *tw);

/**
 * Records alive at @p now_s (a gauge; exact while the clock does not step
 * back by more than a minute).
 *
 * @param t      the table
 * @param now_s  unix seconds
 * @return the number of live records.
 */
uint32_t
sf_closed_live(const struct sf_closed *t, uint64_t now_s);

/**
 * @param t  the table
 * @return its capacity in records (whole buckets).
 */
uint64_t
sf_closed_capacity(const struct sf_closed *t);

#ifdef __cplusplus
}
#endif

#endif /* SF_CLOSED_H */
