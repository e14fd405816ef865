/* SPDX-License-Identifier: BSD-3-Clause */

/*
 * Closed flows (see sf_closed.h): records in 64-byte buckets, four each,
 * kept as one array per field so a bucket is one cache line:
 *
 *      0                    32              48              64
 *     +--------------------+---------------+---------------+
 *     | fp[4]   (64 bits)  | rcv_nxt[4]    | until[4]      |
 *     +--------------------+---------------+---------------+
 *
 *     fp        two multilinear hashes (Lemire and Kaser, "Strongly
 *               universal string hashing is fast") of the eleven 32-bit
 *               words x_1..x_11 of flow (40 bytes) | client ISN, each
 *               under its own 12 random 64-bit multipliers, upper halves:
 *
 *                 h_k = m_k[0] + m_k[1] * x_1 + ... + m_k[11] * x_11
 *                       (mod 2^64), k = 0, 1
 *                 fp  = (h_1 >> 32) << 32 | h_0 >> 32
 *
 *               each half strongly universal, the two independent: two
 *               distinct keys share a fingerprint with probability 2^-64
 *               over the multipliers, which never leave the table
 *     until     bit 31..1: W, the first 64-s window in which the cookie no
 *               longer validates (sf_cookie_until() / 64); the record is
 *               alive while now / 64 < W, so a zeroed slot (W = 0) is free
 *               bit 0:     SND.NXT - (ISS + 1), 1 once our FIN is out
 *
 * Key -> buckets: the fingerprint's low and high 32 bits, each scaled to
 * the bucket count (x * n >> 32); the second moved by one when both fall
 * on the same bucket.
 *
 * The live gauge: per W, the number of records written with it (four
 * counters, W mod 4; a record is written with W = now / 64 + 1 or + 2, so
 * the live windows never share a counter). A record replaced while alive
 * is taken off its window's counter; an expired one simply stops counting
 * when its window passes.
 *
 * Empty: last_w is the largest W written; no record is alive while
 * now / 64 >= last_w (whatever the gauge says), so finds stop there.
 */

#include <errno.h>
#include <string.h>

#include <rte_common.h>
#include <rte_errno.h>
#include <rte_malloc.h>
#include <rte_memory.h>
#include <rte_prefetch.h>

#include "sf_closed.h"
#include "sf_cookie.h"
#include "sf_random.h"

#define SF_CLOSED_FP_WORDS	(sizeof(struct sf_flow) / 4 + 1)	/**< x_1..x_11 */
#define SF_CLOSED_W_SHIFT	1	/**< until: W above the SND.NXT bit */
#define SF_CLOSED_SND_BIT	0x1u	/**< until: SND.NXT = ISS + 2 */
#define SF_CLOSED_WINS		4	/**< gauge counters (W mod 4) */

_Static_assert(SF_CLOSED_BUCKET_RECS == 4, "a bucket is laid out for 4");
_Static_assert(sizeof(struct sf_flow) == 40,
	       "the fingerprint reads a flow as ten 32-bit words");

struct sf_closed_bucket {
	uint64_t fp[SF_CLOSED_BUCKET_RECS];
	uint32_t rcv_nxt[SF_CLOSED_BUCKET_RECS];
	uint32_t until[SF_CLOSED_BUCKET_RECS];
} __rte_cache_aligned;

_Static_assert(sizeof(struct sf_closed_bucket) == 64 &&
	       sizeof(struct sf_closed_bucket) ==
	       SF_CLOSED_BUCKET_RECS * SF_CLOSED_RECORD_BYTES,
	       "a bucket is one 64-byte cache line of 16-byte records");

/** Records written with window W: live while W > now / 64. */
struct sf_closed_win {
	uint64_t w;
	uint32_t n;
};

struct sf_closed {
	/** fingerprint multipliers m_k[0..11], secret */
	uint64_t m[2][SF_CLOSED_FP_WORDS + 1];
	uint32_t n_buckets;		/**< >= 2 */
	uint64_t last_w;		/**< largest W written, 0: none */
	struct sf_closed_win win[SF_CLOSED_WINS];	/**< by W mod 4 */
	struct sf_closed_bucket bk[] __rte_cache_aligned;
};

/** Where a record is: its bucket and slot. */
struct sf_closed_pos {
	struct sf_closed_bucket *b;
	unsigned int i;
};

/* ------------------------------------------------------------------ */

struct sf_closed *
sf_closed_create(uint64_t records, int socket_id)
{
	struct sf_closed *t;
	uint64_t nb;

	if (records < SF_CLOSED_RECORDS_MIN ||
	    records > sf_closed_records(SF_CLOSED_RATE_MAX)) {
		rte_errno = EINVAL;
		return NULL;
	}
	nb = (records + SF_CLOSED_BUCKET_RECS - 1) / SF_CLOSED_BUCKET_RECS;
	t = rte_zmalloc_socket("sf_closed",
			       sizeof(*t) + nb * sizeof(struct sf_closed_bucket),
			       RTE_CACHE_LINE_SIZE, socket_id);
	if (t == NULL) {
		rte_errno = ENOMEM;
		return NULL;
	}
	sf_random_fill(t->m, sizeof(t->m));
	t->n_buckets = (uint32_t)nb;
	return t;
}

void
sf_closed_free(struct sf_closed *t)
{
	rte_free(t);
}

uint64_t
sf_closed_capacity(const struct sf_closed *t)
{
	return (uint64_t)t->n_buckets * SF_CLOSED_BUCKET_RECS;
}

/* ------------------------------------------------------------------ */

static inline uint64_t
sf_closed_fp(const struct sf_closed *t, const struct sf_flow *flow,
	     uint32_t client_isn)
{
	uint32_t x[SF_CLOSED_FP_WORDS];
	uint64_t h0 = t->m[0][0], h1 = t->m[1][0];
	unsigned int i;

	memcpy(x, flow, sizeof(*flow));
	x[SF_CLOSED_FP_WORDS - 1] = client_isn;
	for (i = 0; i < SF_CLOSED_FP_WORDS; i++) {
		h0 += t->m[0][i + 1] * x[i];
		h1 += t->m[1][i + 1] * x[i];
	}
	return (h1 & ~(uint64_t)UINT32_MAX) | h0 >> 32;
}

/* The two candidate buckets of a fingerprint (distinct). */
static inline void
sf_closed_buckets(const struct sf_closed *t, uint64_t fp, uint32_t b[2])
{
	uint64_t nb = t->n_buckets;

	b[0] = (uint32_t)(((fp & UINT32_MAX) * nb) >> 32);
	b[1] = (uint32_t)(((fp >> 32) * nb) >> 32);
	if (b[1] == b[0])
		b[1] = b[0] + 1 == nb ? 0 : b[0] + 1;
}

static inline uint64_t
sf_closed_w(uint32_t until)
{
	return until >> SF_CLOSED_W_SHIFT;
}

/* The slot of fp's live record in bucket b, or -1. */
static inline int
sf_closed_match(const struct sf_closed_bucket *b, uint64_t fp, uint64_t now_w)
{
	unsigned int i;

	for (i = 0; i < SF_CLOSED_BUCKET_RECS; i++)
		if (b->fp[i] == fp && sf_closed_w(b->until[i]) > now_w)
			return (int)i;
	return -1;
}

/*
 * fp's live record in either of its buckets @p bi: @return its slot, with
 * *bk its bucket's index, or -1.
 */
static inline int
sf_closed_lookup(const struct sf_closed *t, const uint32_t bi[2], uint64_t fp,
		 uint64_t now_w, uint32_t *bk)
{
	unsigned int k;
	int i;

	for (k = 0; k < 2; k++) {
		i = sf_closed_match(&t->bk[bi[k]], fp, now_w);
		if (i >= 0) {
			*bk = bi[k];
			return i;
		}
	}
	return -1;
}

/* Free or expired slots of bucket b; *first receives the first of them. */
static inline unsigned int
sf_closed_free_slots(const struct sf_closed_bucket *b, uint64_t now_w,
		     unsigned int *first)
{
	unsigned int i, n = 0;

	for (i = SF_CLOSED_BUCKET_RECS; i-- > 0; ) {
		if (sf_closed_w(b->until[i]) <= now_w) {
			*first = i;
			n++;
		}
	}
	return n;
}

/* One more record of window w. */
static inline void
sf_closed_win_inc(struct sf_closed *t, uint64_t w)
{
	struct sf_closed_win *c = &t->win[w % SF_CLOSED_WINS];

	if (c->w != w) {
		c->w = w;
		c->n = 0;
	}
	c->n++;
}

/* One record of window w replaced while alive. */
static inline void
sf_closed_win_dec(struct sf_closed *t, uint64_t w)
{
	struct sf_closed_win *c = &t->win[w % SF_CLOSED_WINS];

	if (c->w == w && c->n > 0)
		c->n--;
}

/*
 * Where fp's record goes: its live record (replaced, taken off the
 * gauge), else a free or expired slot of the bucket with more of them.
 * @return 0, or -ENOSPC.
 */
static int
sf_closed_place(struct sf_closed *t, uint64_t fp, uint64_t now_w,
		struct sf_closed_pos *pos)
{
	struct sf_closed_bucket *b[2];
	unsigned int k, f[2], first[2] = { 0, 0 };
	uint32_t bi[2], bk;
	int i;

	sf_closed_buckets(t, fp, bi);
	i = sf_closed_lookup(t, bi, fp, now_w, &bk);
	if (i >= 0) {
		pos->b = &t->bk[bk];
		pos->i = (unsigned int)i;
		sf_closed_win_dec(t, sf_closed_w(pos->b->until[i]));
		return 0;
	}
	b[0] = &t->bk[bi[0]];
	b[1] = &t->bk[bi[1]];
	f[0] = sf_closed_free_slots(b[0], now_w, &first[0]);
	f[1] = sf_closed_free_slots(b[1], now_w, &first[1]);
	if (f[0] == 0 && f[1] == 0)
		return -ENOSPC;
	k = f[1] > f[0];
	pos->b = b[k];
	pos->i = first[k];
	return 0;
}

int
sf_closed_add(struct sf_closed *t, const struct sf_flow *flow,
	      uint32_t client_isn, uint32_t server_isn,
	      const struct sf_closed_tw *tw, uint64_t now_s)
{
	uint64_t until_s = sf_cookie_until(server_isn, now_s);
	uint64_t fp, w, now_w = now_s >> SF_COOKIE_T_SHIFT;
	struct sf_closed_pos pos;
	uint32_t snd_bit;

	if (until_s == 0)
		return 1;
	w = until_s >> SF_COOKIE_T_SHIFT;
	fp = sf_closed_fp(t, flow, client_isn);
	if (sf_closed_place(t, fp, now_w, &pos) != 0)
		return -ENOSPC;
	snd_bit = (tw->snd_nxt - (server_isn + 1)) & SF_CLOSED_SND_BIT;
	pos.b->fp[pos.i] = fp;
	pos.b->rcv_nxt[pos.i] = tw->rcv_nxt;
	pos.b->until[pos.i] = (uint32_t)(w << SF_CLOSED_W_SHIFT) | snd_bit;
	sf_closed_win_inc(t, w);
	if (w > t->last_w)
		t->last_w = w;
	return 0;
}

bool
sf_closed_empty(const struct sf_closed *t, uint64_t now_s)
{
	return (now_s >> SF_COOKIE_T_SHIFT) >= t->last_w;
}

uint64_t
sf_closed_prefetch(const struct sf_closed *t, const struct sf_flow *flow,
		   uint32_t client_isn)
{
	uint64_t fp = sf_closed_fp(t, flow, client_isn);
	uint32_t bi[2];

	sf_closed_buckets(t, fp, bi);
	rte_prefetch0(&t->bk[bi[0]]);
	rte_prefetch0(&t->bk[bi[1]]);
	return fp;
}

int
sf_closed_find_fp(const struct sf_closed *t, uint64_t fp, uint32_t server_isn,
		  uint64_t now_s, struct sf_closed_tw *tw)
{
	uint64_t now_w = now_s >> SF_COOKIE_T_SHIFT;
	const struct sf_closed_bucket *b;
	uint32_t bi[2], bk;
	int i;

	sf_closed_buckets(t, fp, bi);
	i = sf_closed_lookup(t, bi, fp, now_w, &bk);
	if (i < 0)
		return -ENOENT;
	b = &t->bk[bk];
	tw->rcv_nxt = b->rcv_nxt[i];
	tw->snd_nxt = server_isn + 1 + (b->until[i] & SF_CLOSED_SND_BIT);
	return 0;
}

int
sf_closed_find(const struct sf_closed *t, const struct sf_flow *flow,
	       uint32_t client_isn, uint32_t server_isn, uint64_t now_s,
	       struct sf_closed_tw *tw)
{
	if (sf_closed_empty(t, now_s))
		return -ENOENT;
	return sf_closed_find_fp(t, sf_closed_fp(t, flow, client_isn),
				 server_isn, now_s, tw);
}

uint32_t
sf_closed_live(const struct sf_closed *t, uint64_t now_s)
{
	uint64_t now_w = now_s >> SF_COOKIE_T_SHIFT;
	uint32_t n = 0;
	unsigned int i;

	for (i = 0; i < SF_CLOSED_WINS; i++)
		if (t->win[i].w > now_w)
			n += t->win[i].n;
	return n;
}
