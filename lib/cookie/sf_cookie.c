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

#include "sf_cookie.h"

#define SF_COOKIE_T_MASK	((1u << SF_COOKIE_T_BITS) - 1)		/* 0x1f */
#define SF_COOKIE_M_MASK	((1u << SF_COOKIE_M_BITS) - 1)		/* 0x07 */
#define SF_COOKIE_H_MASK	((1u << SF_COOKIE_H_BITS) - 1)		/* 0xffffff */
#define SF_COOKIE_T_POS		(SF_COOKIE_M_BITS + SF_COOKIE_H_BITS)	/* 27 */
#define SF_COOKIE_M_POS		SF_COOKIE_H_BITS			/* 24 */

#define SF_COOKIE_ADDR4_LEN	4
#define SF_COOKIE_ADDR6_LEN	16
#define SF_COOKIE_MSG4_LEN	(2 * SF_COOKIE_ADDR4_LEN + 14)	/* 22 */
#define SF_COOKIE_MSG6_LEN	(2 * SF_COOKIE_ADDR6_LEN + 14)	/* 46 */

/* Largest shift a window scale option may ask for (RFC 7323 2.3). */
#define SF_COOKIE_WS_MAX	14

/* Requests handled per pass of the burst functions (stack buffers). */
#define SF_COOKIE_CHUNK		32

/* Key text: 16 bytes as hex digits. */
#define SF_COOKIE_KEY_BYTES	16
#define SF_COOKIE_KEY_HEX	(2 * SF_COOKIE_KEY_BYTES)

/* MSS assumed when a SYN carries no MSS option (RFC 879 / RFC 8200). */
#define SF_COOKIE_MSS_DEFAULT_V4	536
#define SF_COOKIE_MSS_DEFAULT_V6	1220

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

/*
 * The counter T' a cookie names at time now_s, or -1 when its age is not
 * 0 or 1 (expired, from the future, or before the epoch's second counter).
 */
static inline int64_t
sf_cookie_t_of(uint32_t cookie, uint64_t now_s)
{
	uint64_t now_t = now_s >> SF_COOKIE_T_SHIFT;
	uint64_t t = cookie >> SF_COOKIE_T_POS;
	uint64_t age = (now_t - t) & SF_COOKIE_T_MASK;

	if (age > SF_COOKIE_MAX_AGE || age > now_t)
		return -1;
	return (int64_t)(now_t - age);
}

/* Hash n messages of the same length, four at a time. */
static void
sf_cookie_hash_n(const struct sf_siphash_key *key, const uint8_t *const *msg,
		 unsigned int n, size_t len, uint64_t *out)
{
	unsigned int i = 0;

	for (; i + SF_SIPHASH_LANES <= n; i += SF_SIPHASH_LANES)
		sf_siphash24_x4(key, &msg[i], len, &out[i]);
	for (; i < n; i++)
		out[i] = sf_siphash24(key, msg[i], len);
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
	return 0;
}

uint8_t
sf_cookie_mss_index(uint8_t family, uint16_t client_mss, uint16_t cap)
{
	const uint16_t *tbl;
	uint16_t mss;
	uint8_t i;

	if (family == SF_AF_INET6) {
		tbl = sf_cookie_mss_v6;
		mss = client_mss != 0 ? client_mss : SF_COOKIE_MSS_DEFAULT_V6;
	} else {
		tbl = sf_cookie_mss_v4;
		mss = client_mss != 0 ? client_mss : SF_COOKIE_MSS_DEFAULT_V4;
	}
	if (mss > cap)
		mss = cap;
	for (i = SF_COOKIE_MSS_N - 1; i > 0; i--)
		if (tbl[i] <= mss)
			return i;
	return 0;
}

uint16_t
sf_cookie_mss_value(uint8_t family, uint8_t m)
{
	const uint16_t *tbl = family == SF_AF_INET6 ?
		sf_cookie_mss_v6 : sf_cookie_mss_v4;

	return tbl[m & SF_COOKIE_M_MASK];
}

uint8_t
sf_cookie_opt_encode(const struct sf_tcp_opts *syn, int ts_on, int ws_on,
		     int sack_on)
{
	uint8_t opt;

	if (!ts_on || !syn->ts_ok)
		return SF_COOKIE_OPT_NONE;
	if (ws_on && syn->wscale != SF_WSCALE_NONE)
		opt = syn->wscale > SF_COOKIE_WS_MAX ?
			SF_COOKIE_WS_MAX : syn->wscale;
	else
		opt = SF_COOKIE_OPT_WS_NONE;
	if (sack_on && syn->sack_ok)
		opt |= SF_COOKIE_OPT_SACK;
	return opt;
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

void
sf_cookie_make_burst(const struct sf_siphash_key *key,
		     const struct sf_cookie_req *reqs, unsigned int n,
		     uint64_t now_s, uint32_t *cookies)
{
	uint8_t msg[SF_COOKIE_CHUNK][SF_COOKIE_MSG_MAX];
	const uint8_t *p4[SF_COOKIE_CHUNK], *p6[SF_COOKIE_CHUNK];
	unsigned int i4[SF_COOKIE_CHUNK], i6[SF_COOKIE_CHUNK];
	uint64_t h4[SF_COOKIE_CHUNK], h6[SF_COOKIE_CHUNK];
	uint64_t t_count = now_s >> SF_COOKIE_T_SHIFT;
	unsigned int base, k, j, n4, n6;
	const struct sf_cookie_req *r;

	for (base = 0; base < n; base += SF_COOKIE_CHUNK) {
		k = n - base < SF_COOKIE_CHUNK ? n - base : SF_COOKIE_CHUNK;
		n4 = n6 = 0;
		/* IPv4 and IPv6 messages differ in length: two lists. */
		for (j = 0; j < k; j++) {
			r = &reqs[base + j];
			sf_cookie_msg(msg[j], r->flow, r->client_isn, t_count,
				      r->mss_idx & SF_COOKIE_M_MASK, r->opt);
			if (r->flow->family == SF_AF_INET6) {
				p6[n6] = msg[j];
				i6[n6++] = j;
			} else {
				p4[n4] = msg[j];
				i4[n4++] = j;
			}
		}
		sf_cookie_hash_n(key, p4, n4, SF_COOKIE_MSG4_LEN, h4);
		sf_cookie_hash_n(key, p6, n6, SF_COOKIE_MSG6_LEN, h6);
		for (j = 0; j < n4; j++)
			cookies[base + i4[j]] = sf_cookie_compose(t_count,
				reqs[base + i4[j]].mss_idx, h4[j]);
		for (j = 0; j < n6; j++)
			cookies[base + i6[j]] = sf_cookie_compose(t_count,
				reqs[base + i6[j]].mss_idx, h6[j]);
	}
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
 * Hash the listed messages (all of length len) with key; for each match
 * set res[] to the MSS index, else, when retry is not NULL, append the
 * entry to the retry lists.
 */
static void
sf_cookie_check_list(const struct sf_siphash_key *key,
		     const struct sf_cookie_chk *chks, const uint8_t **p,
		     unsigned int *idx, unsigned int n, size_t len, int *res,
		     const uint8_t **rp, unsigned int *ridx, unsigned int *rn)
{
	uint64_t h[SF_COOKIE_CHUNK];
	uint32_t cookie;
	unsigned int j;

	sf_cookie_hash_n(key, p, n, len, h);
	for (j = 0; j < n; j++) {
		cookie = chks[idx[j]].cookie;
		if (sf_cookie_hash_eq(cookie, h[j])) {
			res[idx[j]] = (cookie >> SF_COOKIE_M_POS) &
				SF_COOKIE_M_MASK;
		} else if (rp != NULL) {
			rp[*rn] = p[j];
			ridx[(*rn)++] = idx[j];
		}
	}
}

void
sf_cookie_check_burst(const struct sf_cookie_keys *keys,
		      const struct sf_cookie_chk *chks, unsigned int n,
		      uint64_t now_s, int *res)
{
	uint8_t msg[SF_COOKIE_CHUNK][SF_COOKIE_MSG_MAX];
	const uint8_t *p4[SF_COOKIE_CHUNK], *p6[SF_COOKIE_CHUNK];
	const uint8_t *r4[SF_COOKIE_CHUNK], *r6[SF_COOKIE_CHUNK];
	unsigned int i4[SF_COOKIE_CHUNK], i6[SF_COOKIE_CHUNK];
	unsigned int j4[SF_COOKIE_CHUNK], j6[SF_COOKIE_CHUNK];
	unsigned int base, k, j, n4, n6, rn4, rn6;
	const struct sf_cookie_chk *c;
	int64_t t_count;
	uint8_t m;

	for (base = 0; base < n; base += SF_COOKIE_CHUNK) {
		k = n - base < SF_COOKIE_CHUNK ? n - base : SF_COOKIE_CHUNK;
		n4 = n6 = rn4 = rn6 = 0;
		for (j = 0; j < k; j++) {
			c = &chks[base + j];
			res[base + j] = -1;
			t_count = sf_cookie_t_of(c->cookie, now_s);
			if (t_count < 0)
				continue;	/* expired: no hash needed */
			m = (c->cookie >> SF_COOKIE_M_POS) & SF_COOKIE_M_MASK;
			sf_cookie_msg(msg[j], c->flow, c->client_isn,
				      (uint64_t)t_count, m, c->opt);
			if (c->flow->family == SF_AF_INET6) {
				p6[n6] = msg[j];
				i6[n6++] = j;
			} else {
				p4[n4] = msg[j];
				i4[n4++] = j;
			}
		}
		sf_cookie_check_list(&keys->cur, chks + base, p4, i4, n4,
				     SF_COOKIE_MSG4_LEN, res + base,
				     keys->has_prev ? r4 : NULL, j4, &rn4);
		sf_cookie_check_list(&keys->cur, chks + base, p6, i6, n6,
				     SF_COOKIE_MSG6_LEN, res + base,
				     keys->has_prev ? r6 : NULL, j6, &rn6);
		if (!keys->has_prev)
			continue;
		sf_cookie_check_list(&keys->prev, chks + base, r4, j4, rn4,
				     SF_COOKIE_MSG4_LEN, res + base,
				     NULL, NULL, NULL);
		sf_cookie_check_list(&keys->prev, chks + base, r6, j6, rn6,
				     SF_COOKIE_MSG6_LEN, res + base,
				     NULL, NULL, NULL);
	}
}
