/* SPDX-License-Identifier: BSD-3-Clause */

/*
 * SYN cookies, the public format of DESIGN.md (see sf_cookie.h):
 *
 *      31      27 26   24 23                                    0
 *     +----------+-------+---------------------------------------+
 *     |    t     |   m   |                   h                   |
 *     +----------+-------+---------------------------------------+
 *
 *     cookie = (T mod 32) << 27 | m << 24 | (SipHash-2-4(K, msg) & 0xffffff)
 *
 * Message, IPv4 (22 bytes; IPv6: 46 bytes, 16-byte addresses):
 *
 *      0         4         8    10   12        16        20  21  22
 *     +---------+---------+----+----+---------+---------+---+---+
 *     | cli_addr| srv_addr|cprt|sprt|client_isn|    T    | m |opt|
 *     +---------+---------+----+----+---------+---------+---+---+
 *
 * All big-endian. Validation: T' = the latest counter <= now_T with
 * T' mod 32 = t; age = now_T - T' = (now_T - t) mod 32 must be 0 or 1.
 */

#include <errno.h>
#include <stddef.h>
#include <string.h>

#include <rte_common.h>

#include "sf_cookie.h"
#include "sf_siphash_soa.h"

#define SF_COOKIE_M_MASK	((1u << SF_COOKIE_M_BITS) - 1)		/* 0x07 */
#define SF_COOKIE_H_MASK	((1u << SF_COOKIE_H_BITS) - 1)		/* 0xffffff */
#define SF_COOKIE_M_POS		SF_COOKIE_H_BITS			/* 24 */

#define SF_COOKIE_ADDR4_LEN	4
#define SF_COOKIE_ADDR6_LEN	16
#define SF_COOKIE_MSG4_LEN	(2 * SF_COOKIE_ADDR4_LEN + 14)	/* 22 */
#define SF_COOKIE_MSG6_LEN	(2 * SF_COOKIE_ADDR6_LEN + 14)	/* 46 */

/* Requests handled per pass of the burst functions (stack buffers). */
#define SF_COOKIE_CHUNK		32

/* Key text: 16 bytes as hex digits. */
#define SF_COOKIE_KEY_BYTES	16
#define SF_COOKIE_KEY_HEX	(2 * SF_COOKIE_KEY_BYTES)

/* IP + TCP headers without options, by family; the MTU's default. */
#define SF_COOKIE_V4_HDRS	40
#define SF_COOKIE_V6_HDRS	60
#define SF_COOKIE_V6_MSS_DELTA	20	/* the IPv6 table is 20 below */
#define SF_COOKIE_MTU_DEFAULT	1500

const uint16_t sf_cookie_mss_v4[SF_COOKIE_MSS_N] = {
	536, 1220, 1300, 1360, 1400, 1440, 1460, 8960,
};

const uint16_t sf_cookie_mss_v6[SF_COOKIE_MSS_N] = {
	516, 1200, 1280, 1340, 1380, 1420, 1440, 8940,
};

_Static_assert(SF_COOKIE_MSG6_LEN == SF_COOKIE_MSG_MAX,
	       "IPv6 cookie message is 46 bytes");
_Static_assert(SF_COOKIE_T_POS + SF_COOKIE_T_BITS == 32,
	       "cookie fields fill 32 bits");

static inline void
sf_put_be32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

/* Write the cookie message for (flow, isn, T, m, opt) at buf; return its length. */
static inline size_t
sf_cookie_msg(uint8_t *buf, const struct sf_flow *flow, uint32_t client_isn,
	      uint64_t t_count, uint8_t m, uint8_t opt)
{
	uint8_t *p = buf;

	/* Constant-size copies: a few moves, no library call. */
	if (flow->family == SF_AF_INET6) {
		memcpy(p, flow->cli_addr, SF_COOKIE_ADDR6_LEN);
		memcpy(p + SF_COOKIE_ADDR6_LEN, flow->srv_addr,
		       SF_COOKIE_ADDR6_LEN);
		p += 2 * SF_COOKIE_ADDR6_LEN;
	} else {
		memcpy(p, flow->cli_addr, SF_COOKIE_ADDR4_LEN);
		memcpy(p + SF_COOKIE_ADDR4_LEN, flow->srv_addr,
		       SF_COOKIE_ADDR4_LEN);
		p += 2 * SF_COOKIE_ADDR4_LEN;
	}
	/* Ports are already in network order. */
	memcpy(p, &flow->cli_port, 2);
	memcpy(p + 2, &flow->srv_port, 2);
	p += 4;
	sf_put_be32(p, client_isn);
	sf_put_be32(p + 4, (uint32_t)t_count);
	p[8] = m;
	p[9] = opt;
	return (size_t)(p + 10 - buf);
}

static inline uint32_t
sf_cookie_compose(uint64_t t_count, uint8_t m, uint64_t hash)
{
	return ((uint32_t)t_count & SF_COOKIE_T_MASK) << SF_COOKIE_T_POS |
		((uint32_t)m & SF_COOKIE_M_MASK) << SF_COOKIE_M_POS |
		((uint32_t)hash & SF_COOKIE_H_MASK);
}

static inline int
sf_cookie_hash_eq(uint32_t cookie, uint64_t hash)
{
	return (cookie & SF_COOKIE_H_MASK) == ((uint32_t)hash & SF_COOKIE_H_MASK);
}

static inline int
sf_hex_val(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

int
sf_cookie_key_parse(const char *hex, struct sf_siphash_key *key)
{
	uint8_t b[SF_COOKIE_KEY_BYTES];
	int hi, lo;
	size_t i;

	if (hex == NULL || key == NULL)
		return -EINVAL;
	for (i = 0; i < SF_COOKIE_KEY_BYTES; i++) {
		/* hi == -1 stops at a NUL before reading past it. */
		hi = sf_hex_val(hex[2 * i]);
		if (hi < 0)
			return -EINVAL;
		lo = sf_hex_val(hex[2 * i + 1]);
		if (lo < 0)
			return -EINVAL;
		b[i] = (uint8_t)(hi << 4 | lo);
	}
	if (hex[SF_COOKIE_KEY_HEX] != '\0')
		return -EINVAL;
	key->k0 = sf_siphash_le64(b);
	key->k1 = sf_siphash_le64(b + 8);
	explicit_bzero(b, sizeof(b));	/* no copy of the key left */
	return 0;
}

uint32_t
sf_cookie_key_fp(const struct sf_siphash_key *key)
{
	return (uint32_t)sf_siphash24(key, SF_COOKIE_FP_MSG,
				      SF_COOKIE_FP_MSG_LEN);
}

uint16_t
sf_cookie_mss_value(uint8_t family, uint8_t m)
{
	const uint16_t *tbl = family == SF_AF_INET6 ?
		sf_cookie_mss_v6 : sf_cookie_mss_v4;

	return tbl[m & SF_COOKIE_M_MASK];
}

uint16_t
sf_cookie_mss_cap(uint8_t family, uint16_t mss_max, uint16_t mtu)
{
	uint32_t hdrs, cap, floor;

	if (mtu == 0)
		mtu = SF_COOKIE_MTU_DEFAULT;
	if (family == SF_AF_INET6) {
		hdrs = SF_COOKIE_V6_HDRS;
		cap = mss_max > SF_COOKIE_V6_MSS_DELTA ?
			mss_max - SF_COOKIE_V6_MSS_DELTA : 0;
		floor = sf_cookie_mss_v6[0];
	} else {
		hdrs = SF_COOKIE_V4_HDRS;
		cap = mss_max;
		floor = sf_cookie_mss_v4[0];
	}
	cap = RTE_MIN(cap, mtu > hdrs ? mtu - hdrs : 0);
	/* Never below the family's smallest cookie MSS. */
	return (uint16_t)RTE_MAX(cap, floor);
}

uint32_t
sf_cookie_make(const struct sf_siphash_key *key,
	       const struct sf_cookie_req *req, uint64_t now_s)
{
	uint8_t msg[SF_COOKIE_MSG_MAX];
	uint64_t t_count = now_s >> SF_COOKIE_T_SHIFT;
	uint8_t m = req->mss_idx & SF_COOKIE_M_MASK;
	size_t len;

	len = sf_cookie_msg(msg, req->flow, req->client_isn, t_count, m,
			    req->opt);
	return sf_cookie_compose(t_count, m, sf_siphash24(key, msg, len));
}

int
sf_cookie_check(const struct sf_cookie_keys *keys,
		const struct sf_cookie_chk *chk, uint64_t now_s)
{
	uint8_t msg[SF_COOKIE_MSG_MAX];
	int64_t t_count = sf_cookie_t_of(chk->cookie, now_s);
	uint8_t m = (chk->cookie >> SF_COOKIE_M_POS) & SF_COOKIE_M_MASK;
	size_t len;

	if (t_count < 0)
		return -1;
	len = sf_cookie_msg(msg, chk->flow, chk->client_isn,
			    (uint64_t)t_count, m, chk->opt);
	if (sf_cookie_hash_eq(chk->cookie, sf_siphash24(&keys->cur, msg, len)))
		return m;
	if (keys->has_prev &&
	    sf_cookie_hash_eq(chk->cookie, sf_siphash24(&keys->prev, msg, len)))
		return m;
	return -1;
}


/*
 * Bursts: the message words are written straight into the lanes of
 * sf_siphash_soa.h (w[j][lane]), as SipHash reads the message bytes above
 * (little-endian 64-bit words), with no byte message in between.
 *
 * IPv4, 22 bytes, 3 words:              IPv6, 46 bytes, 6 words:
 *      w0 = cli_addr srv_addr                w0 w1 = cli_addr
 *      w1 = cli_port srv_port isn            w2 w3 = srv_addr
 *      w2 = tail                             w4 = cli_port srv_port isn
 *                                            w5 = tail
 *
 *     tail   63    56 55   48 47   40 39   32 31                 0
 *           +--------+-------+-------+-------+--------------------+
 *           |  len   |   0   |  opt  |   m   | T (big-endian)     |
 *           +--------+-------+-------+-------+--------------------+
 */
#define SF_COOKIE_W4		(SF_COOKIE_MSG4_LEN / 8 + 1)	/* 3 */
#define SF_COOKIE_W6		(SF_COOKIE_MSG6_LEN / 8 + 1)	/* 6 */
#define SF_COOKIE_TAIL_M_POS	32
#define SF_COOKIE_TAIL_OPT_POS	40
#define SF_COOKIE_TAIL_LEN_POS	56
#define SF_COOKIE_ISN_POS	32	/* client ISN in the ports word */

_Static_assert(SF_COOKIE_MSG4_LEN % 8 == 6 && SF_COOKIE_MSG6_LEN % 8 == 6,
	       "T, m, opt fill the tail word");
_Static_assert(offsetof(struct sf_flow, srv_port) ==
	       offsetof(struct sf_flow, cli_port) + 2,
	       "ports are one 32-bit word");

/* Message words of one chunk, and where each lane came from. */
struct sf_cookie_lanes {
	uint64_t w4[SF_COOKIE_W4][SF_COOKIE_CHUNK];
	uint64_t w6[SF_COOKIE_W6][SF_COOKIE_CHUNK];
	uint64_t h4[SF_COOKIE_CHUNK];
	uint64_t h6[SF_COOKIE_CHUNK];
	uint32_t c4[SF_COOKIE_CHUNK];	/* cookie to check */
	uint32_t c6[SF_COOKIE_CHUNK];
	uint8_t i4[SF_COOKIE_CHUNK];	/* index in the chunk */
	uint8_t i6[SF_COOKIE_CHUNK];
};

/* Little-endian 32-bit load from any alignment. */
static inline uint64_t
sf_cookie_le32(const uint8_t *p)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	uint32_t v;

	memcpy(&v, p, sizeof(v));
	return v;
#else
	return (uint64_t)p[0] | (uint64_t)p[1] << 8 | (uint64_t)p[2] << 16 |
		(uint64_t)p[3] << 24;
#endif
}

/* A big-endian 32-bit field read as the little-endian bytes it is stored as. */
static inline uint64_t
sf_cookie_be32_word(uint32_t v)
{
	return __builtin_bswap32(v);
}

/* Ports and client ISN: the word after the addresses. */
static inline uint64_t
sf_cookie_port_word(const struct sf_flow *f, uint32_t client_isn)
{
	return sf_cookie_le32((const uint8_t *)f +
			      offsetof(struct sf_flow, cli_port)) |
		sf_cookie_be32_word(client_isn) << SF_COOKIE_ISN_POS;
}

/* The tail word without m and opt. */
static inline uint64_t
sf_cookie_tail_base(uint64_t t_count, size_t len)
{
	return sf_cookie_be32_word((uint32_t)t_count) |
		(uint64_t)len << SF_COOKIE_TAIL_LEN_POS;
}

static inline uint64_t
sf_cookie_tail_mo(uint32_t m, uint8_t opt)
{
	return (uint64_t)(m & SF_COOKIE_M_MASK) << SF_COOKIE_TAIL_M_POS |
		(uint64_t)opt << SF_COOKIE_TAIL_OPT_POS;
}

static inline void
sf_cookie_put4(struct sf_cookie_lanes *l, unsigned int j,
	       const struct sf_flow *f, uint32_t client_isn, uint64_t tail)
{
	l->w4[0][j] = sf_cookie_le32(f->cli_addr) |
		sf_cookie_le32(f->srv_addr) << 32;
	l->w4[1][j] = sf_cookie_port_word(f, client_isn);
	l->w4[2][j] = tail;
}

static inline void
sf_cookie_put6(struct sf_cookie_lanes *l, unsigned int j,
	       const struct sf_flow *f, uint32_t client_isn, uint64_t tail)
{
	l->w6[0][j] = sf_siphash_le64(f->cli_addr);
	l->w6[1][j] = sf_siphash_le64(f->cli_addr + 8);
	l->w6[2][j] = sf_siphash_le64(f->srv_addr);
	l->w6[3][j] = sf_siphash_le64(f->srv_addr + 8);
	l->w6[4][j] = sf_cookie_port_word(f, client_isn);
	l->w6[5][j] = tail;
}

/* Hash n lanes of nw (SF_COOKIE_W4 or SF_COOKIE_W6) words. */
static void
sf_cookie_hash(const struct sf_siphash_key *key, const uint64_t *w,
	       unsigned int nw, unsigned int n, uint64_t *out)
{
	if (nw == SF_COOKIE_W4)
		sf_siphash24_soa(key, w, SF_COOKIE_W4, SF_COOKIE_CHUNK, n, out);
	else
		sf_siphash24_soa(key, w, SF_COOKIE_W6, SF_COOKIE_CHUNK, n, out);
}

/* The cookie of a lane: t, m from its tail word, h from its hash. */
static inline uint32_t
sf_cookie_of_lane(uint32_t t_bits, uint64_t tail, uint64_t hash)
{
	return t_bits |
		((uint32_t)(tail >> (SF_COOKIE_TAIL_M_POS - SF_COOKIE_M_POS)) &
		 (SF_COOKIE_M_MASK << SF_COOKIE_M_POS)) |
		((uint32_t)hash & SF_COOKIE_H_MASK);
}

void
sf_cookie_make_burst(const struct sf_siphash_key *key,
		     const struct sf_cookie_req *reqs, unsigned int n,
		     uint64_t now_s, uint32_t *cookies)
{
	_Alignas(64) struct sf_cookie_lanes l;
	const uint64_t t_count = now_s >> SF_COOKIE_T_SHIFT;
	const uint64_t tail4 = sf_cookie_tail_base(t_count, SF_COOKIE_MSG4_LEN);
	const uint64_t tail6 = sf_cookie_tail_base(t_count, SF_COOKIE_MSG6_LEN);
	const uint32_t t_bits = ((uint32_t)t_count & SF_COOKIE_T_MASK) <<
		SF_COOKIE_T_POS;
	const struct sf_cookie_req *r;
	unsigned int base, k, j, n4, n6;
	uint32_t *out;
	uint64_t mo;

	for (base = 0; base < n; base += SF_COOKIE_CHUNK) {
		k = n - base < SF_COOKIE_CHUNK ? n - base : SF_COOKIE_CHUNK;
		n4 = n6 = 0;
		/* IPv4 and IPv6 messages differ in length: two lane sets. */
		for (j = 0; j < k; j++) {
			r = &reqs[base + j];
			mo = sf_cookie_tail_mo(r->mss_idx, r->opt);
			if (r->flow->family == SF_AF_INET6) {
				sf_cookie_put6(&l, n6, r->flow, r->client_isn,
					       tail6 | mo);
				l.i6[n6++] = (uint8_t)j;
			} else {
				sf_cookie_put4(&l, n4, r->flow, r->client_isn,
					       tail4 | mo);
				l.i4[n4++] = (uint8_t)j;
			}
		}
		if (n4 > 0)
			sf_cookie_hash(key, &l.w4[0][0], SF_COOKIE_W4, n4, l.h4);
		if (n6 > 0)
			sf_cookie_hash(key, &l.w6[0][0], SF_COOKIE_W6, n6, l.h6);
		out = cookies + base;
		if (n4 == k) {
			/* All IPv4, in order (the common burst). */
			for (j = 0; j < k; j++)
				out[j] = sf_cookie_of_lane(t_bits, l.w4[2][j],
							   l.h4[j]);
			continue;
		}
		for (j = 0; j < n4; j++)
			out[l.i4[j]] = sf_cookie_of_lane(t_bits, l.w4[2][j],
							 l.h4[j]);
		for (j = 0; j < n6; j++)
			out[l.i6[j]] = sf_cookie_of_lane(t_bits, l.w6[5][j],
							 l.h6[j]);
	}
}

/*
 * Hash n lanes of nw words (w, cookies c, chunk indexes idx) with key; set
 * res[idx] to the MSS index of each match. With keep, the lanes that did
 * not match are moved to the front (for the previous key); returns their
 * number.
 */
static unsigned int
sf_cookie_check_lanes(const struct sf_siphash_key *key, uint64_t *w,
		      unsigned int nw, unsigned int n, uint32_t *c,
		      uint8_t *idx, uint64_t *h, int *res, int keep)
{
	unsigned int j, q, left = 0;
	int ok;

	sf_cookie_hash(key, w, nw, n, h);
	for (j = 0; j < n; j++) {
		ok = ((c[j] ^ (uint32_t)h[j]) & SF_COOKIE_H_MASK) == 0;
		if (ok)
			res[idx[j]] = (c[j] >> SF_COOKIE_M_POS) &
				SF_COOKIE_M_MASK;
		else if (keep) {
			/* left <= j: lane j moves down, never over a pending one */
			for (q = 0; q < nw; q++)
				w[q * SF_COOKIE_CHUNK + left] =
					w[q * SF_COOKIE_CHUNK + j];
			c[left] = c[j];
			idx[left++] = idx[j];
		}
	}
	return left;
}

void
sf_cookie_check_burst(const struct sf_cookie_keys *keys,
		      const struct sf_cookie_chk *chks, unsigned int n,
		      uint64_t now_s, int *res)
{
	_Alignas(64) struct sf_cookie_lanes l;
	const uint64_t now_t = now_s >> SF_COOKIE_T_SHIFT;
	/* T' = now_t - age, age 0 or 1 */
	const uint64_t tb[SF_COOKIE_MAX_AGE + 1] = {
		sf_cookie_be32_word((uint32_t)now_t),
		sf_cookie_be32_word((uint32_t)(now_t - 1)),
	};
	const uint64_t len4 = (uint64_t)SF_COOKIE_MSG4_LEN <<
		SF_COOKIE_TAIL_LEN_POS;
	const uint64_t len6 = (uint64_t)SF_COOKIE_MSG6_LEN <<
		SF_COOKIE_TAIL_LEN_POS;
	const struct sf_cookie_chk *c;
	unsigned int base, k, j, n4, n6;
	uint32_t cookie;
	uint64_t age, tail;
	int *out;

	for (base = 0; base < n; base += SF_COOKIE_CHUNK) {
		k = n - base < SF_COOKIE_CHUNK ? n - base : SF_COOKIE_CHUNK;
		out = res + base;
		n4 = n6 = 0;
		for (j = 0; j < k; j++) {
			c = &chks[base + j];
			cookie = c->cookie;
			out[j] = -1;
			age = (now_t - (cookie >> SF_COOKIE_T_POS)) &
				SF_COOKIE_T_MASK;
			if (age > SF_COOKIE_MAX_AGE || age > now_t)
				continue;	/* expired: no hash needed */
			tail = tb[age] | sf_cookie_tail_mo(
				cookie >> SF_COOKIE_M_POS, c->opt);
			if (c->flow->family == SF_AF_INET6) {
				sf_cookie_put6(&l, n6, c->flow, c->client_isn,
					       tail | len6);
				l.c6[n6] = cookie;
				l.i6[n6++] = (uint8_t)j;
			} else {
				sf_cookie_put4(&l, n4, c->flow, c->client_isn,
					       tail | len4);
				l.c4[n4] = cookie;
				l.i4[n4++] = (uint8_t)j;
			}
		}
		if (n4 > 0)
			n4 = sf_cookie_check_lanes(&keys->cur, &l.w4[0][0],
						   SF_COOKIE_W4, n4, l.c4, l.i4,
						   l.h4, out, keys->has_prev);
		if (n6 > 0)
			n6 = sf_cookie_check_lanes(&keys->cur, &l.w6[0][0],
						   SF_COOKIE_W6, n6, l.c6, l.i6,
						   l.h6, out, keys->has_prev);
		if (!keys->has_prev)
			continue;
		if (n4 > 0)
			sf_cookie_check_lanes(&keys->prev, &l.w4[0][0],
					      SF_COOKIE_W4, n4, l.c4, l.i4,
					      l.h4, out, 0);
		if (n6 > 0)
			sf_cookie_check_lanes(&keys->prev, &l.w6[0][0],
					      SF_COOKIE_W6, n6, l.c6, l.i6,
					      l.h6, out, 0);
	}
}
