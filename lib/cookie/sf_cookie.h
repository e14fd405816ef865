/* SPDX-License-Identifier: BSD-3-Clause */

#ifndef SF_COOKIE_H
#define SF_COOKIE_H

/**
 * @file
 * SYN cookies: the public format of DESIGN.md, bit for bit.
 *
 *      31      27 26   24 23                                    0
 *     +----------+-------+---------------------------------------+
 *     |    t     |   m   |                   h                   |
 *     +----------+-------+---------------------------------------+
 *     t = T mod 32, T = unix_seconds / 64
 *     m = MSS index 0..7 (sf_cookie_mss_v4 / sf_cookie_mss_v6)
 *     h = SipHash-2-4(K, msg) & 0xffffff
 *     msg = cli_addr srv_addr cli_port srv_port client_isn T m opt
 *           (IPv4: 22 bytes, IPv6: 46 bytes, all big-endian)
 *
 * Time is always a parameter: tests and fleets control it.
 */

#include <stdint.h>

#include "sf_net.h"
#include "sf_siphash.h"

#ifdef __cplusplus
extern "C" {
#endif

#define SF_COOKIE_T_SHIFT	6	/**< T = unix_seconds >> 6 (64 s) */
#define SF_COOKIE_T_BITS	5	/**< bits of T carried in the cookie */
#define SF_COOKIE_M_BITS	3	/**< bits of the MSS index */
#define SF_COOKIE_H_BITS	24	/**< bits of the hash */
#define SF_COOKIE_MAX_AGE	1	/**< accepted now - T' (0 or 1) */
/** Bit position of t in the cookie (27: above m and h). */
#define SF_COOKIE_T_POS		(SF_COOKIE_M_BITS + SF_COOKIE_H_BITS)
/** Mask of t once shifted down (0x1f). */
#define SF_COOKIE_T_MASK	((1u << SF_COOKIE_T_BITS) - 1)
#define SF_COOKIE_MSG_MAX	46	/**< IPv6 message length */

/*
 * The opt byte, carried in the low bits of our SYN-ACK's TSval and echoed in
 * the client's TSecr (as Linux's cookie_init_timestamp()):
 *
 *      31                                        6 5     4      3       0
 *     +-------------------------------------------+-----+------+--------+
 *     | TSval: millisecond clock, upper 26 bits    | ECN | SACK | wscale |
 *     +-------------------------------------------+-----+------+--------+
 *
 *     wscale 15 = none; opt 0x3f = no timestamps (never in a TSval: ECN is
 *     never set). TSval <= the clock: one period (64 ms) back when the low
 *     bits would put it ahead, so the client's PAWS check passes later.
 */
#define SF_COOKIE_TS_OPT_BITS	6	/**< low TSval bits carrying opt */
#define SF_COOKIE_TS_OPT_MASK	((1u << SF_COOKIE_TS_OPT_BITS) - 1)

/** opt byte when the SYN carried no timestamp (and so no option state). */
#define SF_COOKIE_OPT_NONE	0x3f
#define SF_COOKIE_OPT_WS_MASK	0x0f	/**< wscale, 15 = none */
#define SF_COOKIE_OPT_WS_NONE	0x0f
#define SF_COOKIE_OPT_SACK	0x10	/**< SACK-permitted */
#define SF_COOKIE_OPT_ECN	0x20	/**< ECN (never set by synfront) */

/** Number of entries in each MSS table. */
#define SF_COOKIE_MSS_N		8

/** MSS table for IPv4: 536 1220 1300 1360 1400 1440 1460 8960. */
extern const uint16_t sf_cookie_mss_v4[SF_COOKIE_MSS_N];
/** MSS table for IPv6: the IPv4 table minus 20. */
extern const uint16_t sf_cookie_mss_v6[SF_COOKIE_MSS_N];

/** The current key and, during a fleet-wide roll, the previous one. */
struct sf_cookie_keys {
	struct sf_siphash_key cur;	/**< signs and validates */
	struct sf_siphash_key prev;	/**< validates only, when has_prev */
	int has_prev;			/**< previous_key configured */
};

/**
 * Parse a 128-bit key written as 32 hex digits. The 16 bytes it names are
 * the SipHash key bytes of the reference implementation (k0 = bytes 0..7
 * little-endian, k1 = bytes 8..15).
 *
 * @param hex  NUL-terminated text
 * @param key  receives the key (untouched on error)
 * @return 0, or -EINVAL when hex is not exactly 32 hex digits (or a
 *   pointer is NULL).
 */
int
sf_cookie_key_parse(const char *hex, struct sf_siphash_key *key);

/** The message a key's fingerprint hashes (16 ASCII bytes, no NUL). */
#define SF_COOKIE_FP_MSG	"synfront-key-fp1"
#define SF_COOKIE_FP_MSG_LEN	16
/** Length of a fingerprint as text: 8 lowercase hex digits and a NUL. */
#define SF_COOKIE_FP_STR_LEN	9

/**
 * Fingerprint of a key, for an operator to check that a fleet agrees:
 * the low 32 bits of SipHash-2-4 keyed with @p key over the 16 bytes
 * SF_COOKIE_FP_MSG. A PRF of a constant: it reveals nothing of the key.
 * Shown as 8 lowercase hex digits ("%08x").
 *
 * @param key  the key
 * @return the fingerprint.
 */
uint32_t
sf_cookie_key_fp(const struct sf_siphash_key *key);

/** MSS assumed when a SYN carries no MSS option (RFC 879 / RFC 8200). */
#define SF_COOKIE_MSS_DEFAULT_V4	536
#define SF_COOKIE_MSS_DEFAULT_V6	1220

/**
 * MSS index for a client's SYN: the largest table entry not above
 * min(client_mss, cap); a SYN without MSS counts as 536 (IPv4) / 1220 (IPv6);
 * below the first entry gives 0.
 *
 * @param family    SF_AF_INET or SF_AF_INET6
 * @param client_mss MSS option of the SYN, 0 when absent
 * @param cap       our limit, from sf_cookie_mss_cap()
 * @return index 0..7.
 */
static inline uint8_t
sf_cookie_mss_index(uint8_t family, uint16_t client_mss, uint16_t cap)
{
	const int v6 = family == SF_AF_INET6;
	const uint16_t *tbl = v6 ? sf_cookie_mss_v6 : sf_cookie_mss_v4;
	uint16_t mss = client_mss != 0 ? client_mss :
		(v6 ? SF_COOKIE_MSS_DEFAULT_V6 : SF_COOKIE_MSS_DEFAULT_V4);
	uint8_t i, m = 0;

	if (mss > cap)
		mss = cap;
	/* The table ascends: the index is the count of entries 1..7 <= mss
	 * (compares and adds, no branch on the client's MSS). */
	for (i = 1; i < SF_COOKIE_MSS_N; i++)
		m += tbl[i] <= mss;
	return m;
}

/**
 * MSS of an index.
 *
 * @param family  SF_AF_INET6, anything else reads the IPv4 table
 * @param m       MSS index (only its low 3 bits are used)
 * @return the table entry.
 */
uint16_t
sf_cookie_mss_value(uint8_t family, uint8_t m);

/**
 * The opt byte for a SYN: SF_COOKIE_OPT_NONE unless both the SYN and our
 * configuration have timestamps; then wscale (15 if the SYN has none or
 * ws_on is 0, capped at SF_TCP_WSCALE_MAX) | SACK (if the SYN and sack_on)
 * << 4. ECN is never set.
 *
 * @param syn      the SYN's options
 * @param ts_on    timestamps enabled in our configuration
 * @param ws_on    window scaling enabled in our configuration
 * @param sack_on  SACK enabled in our configuration
 * @return the opt byte.
 */
static inline uint8_t
sf_cookie_opt_encode(const struct sf_tcp_opts *syn, int ts_on, int ws_on,
		     int sack_on)
{
	/* Selects, not branches: the option mix of a flood is random. */
	const int ws = ws_on && syn->wscale != SF_WSCALE_NONE;
	uint8_t shift = syn->wscale > SF_TCP_WSCALE_MAX ?
		SF_TCP_WSCALE_MAX : syn->wscale;
	uint8_t opt = (ws ? shift : SF_COOKIE_OPT_WS_NONE) |
		((sack_on && syn->sack_ok) ? SF_COOKIE_OPT_SACK : 0);

	return ts_on && syn->ts_ok ? opt : SF_COOKIE_OPT_NONE;
}

/**
 * Our SYN-ACK's TSval: the millisecond clock with its low 6 bits replaced by
 * @p opt, never ahead of the clock.
 *
 * @param now_ms  millisecond clock
 * @param opt     from sf_cookie_opt_encode() (not SF_COOKIE_OPT_NONE)
 * @return the TSval.
 */
static inline uint32_t
sf_cookie_tsval(uint32_t now_ms, uint8_t opt)
{
	uint32_t tsval = (now_ms & ~SF_COOKIE_TS_OPT_MASK) | opt;

	/* Ahead of the clock: one period back (branch-free). */
	return tsval - (uint32_t)((int32_t)(tsval - now_ms) > 0) *
		(SF_COOKIE_TS_OPT_MASK + 1);
}

/**
 * The opt byte an ACK returns: its TSecr's low 6 bits, or
 * SF_COOKIE_OPT_NONE when it carries no timestamp.
 *
 * @param ts_ok  the ACK has the timestamps option
 * @param tsecr  its TSecr
 * @return the opt byte.
 */
static inline uint8_t
sf_cookie_ts_opt(uint8_t ts_ok, uint32_t tsecr)
{
	return ts_ok ? (uint8_t)(tsecr & SF_COOKIE_TS_OPT_MASK) :
		SF_COOKIE_OPT_NONE;
}

/** The TCP options an opt byte stands for (sf_cookie_opt_decode()). */
struct sf_cookie_opts {
	uint8_t ts;	/**< timestamps negotiated */
	uint8_t sack;	/**< SACK-permitted negotiated */
	uint8_t wscale;	/**< client's shift 0..SF_TCP_WSCALE_MAX, or SF_WSCALE_NONE */
};

/**
 * Decode an opt byte (the inverse of sf_cookie_opt_encode()).
 *
 * @param opt  the opt byte
 * @param out  receives the options; with SF_COOKIE_OPT_NONE, none
 */
static inline void
sf_cookie_opt_decode(uint8_t opt, struct sf_cookie_opts *out)
{
	uint8_t ws = opt & SF_COOKIE_OPT_WS_MASK;

	out->ts = opt != SF_COOKIE_OPT_NONE;
	out->sack = out->ts && (opt & SF_COOKIE_OPT_SACK) != 0;
	out->wscale = out->ts && ws != SF_COOKIE_OPT_WS_NONE ?
		(ws > SF_TCP_WSCALE_MAX ? SF_TCP_WSCALE_MAX : ws) :
		SF_WSCALE_NONE;
}

/**
 * Our MSS for a family on a port: @p mss_max (an IPv4 figure; 20 less for
 * IPv6), no more than the MTU allows, never below the family's smallest
 * table entry.
 *
 * @param family   SF_AF_INET or SF_AF_INET6
 * @param mss_max  configured MSS ceiling (IPv4)
 * @param mtu      port MTU, 0 for the Ethernet default 1500
 * @return the MSS cap to give sf_cookie_mss_index().
 */
uint16_t
sf_cookie_mss_cap(uint8_t family, uint16_t mss_max, uint16_t mtu);

/** A cookie to compute (one SYN). */
struct sf_cookie_req {
	const struct sf_flow *flow;	/**< the SYN's flow */
	uint32_t client_isn;		/**< the SYN's seq */
	uint8_t mss_idx;		/**< from sf_cookie_mss_index() */
	uint8_t opt;			/**< from sf_cookie_opt_encode() */
};

/** sf_cookie_req_fill() opt_on bits: the options our configuration offers. */
#define SF_COOKIE_ON_TS		0x1	/**< timestamps */
#define SF_COOKIE_ON_WS		0x2	/**< window scaling */
#define SF_COOKIE_ON_SACK	0x4	/**< SACK-permitted */

/**
 * Fill the cookie request of a SYN.
 *
 * @param q        the request
 * @param syn      the parsed SYN (its flow must outlive @p q)
 * @param mss_cap  from sf_cookie_mss_cap() for its family and port
 * @param opt_on   the options we offer: SF_COOKIE_ON_* bits
 */
static inline void
sf_cookie_req_fill(struct sf_cookie_req *q, const struct sf_pkt *syn,
		   uint16_t mss_cap, unsigned int opt_on)
{
	q->flow = &syn->flow;
	q->client_isn = syn->seq;
	q->mss_idx = sf_cookie_mss_index(syn->flow.family, syn->opts.mss,
					 mss_cap);
	q->opt = sf_cookie_opt_encode(&syn->opts, opt_on & SF_COOKIE_ON_TS,
				      opt_on & SF_COOKIE_ON_WS,
				      opt_on & SF_COOKIE_ON_SACK);
}

/**
 * Compute one cookie (the SYN-ACK's ISN).
 *
 * @param key     signing key (keys->cur)
 * @param req     the SYN
 * @param now_s   unix seconds
 * @return the 32-bit cookie.
 */
uint32_t
sf_cookie_make(const struct sf_siphash_key *key,
	       const struct sf_cookie_req *req, uint64_t now_s);

/**
 * Compute @p n cookies, their SipHash computations in SIMD lanes (AVX-512:
 * 8 per vector, AVX2: 4) when the build has them.
 * Same results as @p n calls of sf_cookie_make().
 *
 * @param key      signing key (keys->cur)
 * @param reqs     n SYNs
 * @param n        number of requests (any)
 * @param now_s    unix seconds
 * @param cookies  receives n cookies, cookies[i] for reqs[i]
 */
void
sf_cookie_make_burst(const struct sf_siphash_key *key,
		     const struct sf_cookie_req *reqs, unsigned int n,
		     uint64_t now_s, uint32_t *cookies);

/** A cookie to validate (one ACK). */
struct sf_cookie_chk {
	const struct sf_flow *flow;	/**< the ACK's flow */
	uint32_t client_isn;		/**< SEG.SEQ - 1 */
	uint32_t cookie;		/**< SEG.ACK - 1 */
	uint8_t opt;			/**< TSecr & 0x3f, or SF_COOKIE_OPT_NONE */
};

/**
 * Fill the cookie check of an ACK: SEG.SEQ - 1 is the client's ISN,
 * SEG.ACK - 1 the cookie, opt from the TSecr.
 *
 * @param k    the check
 * @param ack  the parsed ACK (its flow must outlive @p k)
 */
static inline void
sf_cookie_chk_fill(struct sf_cookie_chk *k, const struct sf_pkt *ack)
{
	k->flow = &ack->flow;
	k->client_isn = ack->seq - 1;
	k->cookie = ack->ack - 1;
	k->opt = sf_cookie_ts_opt(ack->opts.ts_ok, ack->opts.tsecr);
}

/**
 * Validate one cookie against keys->cur, then keys->prev.
 *
 * @param keys   current and (with has_prev) previous key
 * @param chk    the ACK
 * @param now_s  unix seconds
 * @return the MSS index 0..7 when valid, -1 when not (bad hash, or age
 *   not 0 or 1).
 */
int
sf_cookie_check(const struct sf_cookie_keys *keys,
		const struct sf_cookie_chk *chk, uint64_t now_s);

/**
 * Validate @p n cookies, hashes in SIMD lanes; res[i] as sf_cookie_check().
 *
 * @param keys   current and (with has_prev) previous key
 * @param chks   n ACKs
 * @param n      number of checks (any)
 * @param now_s  unix seconds
 * @param res    receives n results: MSS index 0..7, or -1
 */
void
sf_cookie_check_burst(const struct sf_cookie_keys *keys,
		      const struct sf_cookie_chk *chks, unsigned int n,
		      uint64_t now_s, int *res);

/**
 * The counter T' a cookie names: the latest T' <= now_s / 64 with
 * T' mod 32 = t, when its age now_s / 64 - T' is 0 or 1.
 *
 * @param cookie  a cookie (our ISN)
 * @param now_s   unix seconds
 * @return T', or -1 when the age is not 0 or 1 (expired, from the future,
 *   or before the epoch's second counter).
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

/**
 * When a cookie stops validating: a cookie whose t names window T'
 * (sf_cookie_t_of()) validates while now / 64 - T' is 0 or 1, so until
 * second (T' + 2) * 64.
 *
 * t carries 5 bits of T only: a cookie from 32 windows (34 minutes) or more
 * ago can look recent here. The answer is then later than the truth, never
 * earlier.
 *
 * @param cookie  a cookie (our ISN)
 * @param now_s   unix seconds
 * @return the first unix second at which it no longer validates, or 0 when
 *   it no longer does at @p now_s.
 */
static inline uint64_t
sf_cookie_until(uint32_t cookie, uint64_t now_s)
{
	int64_t t = sf_cookie_t_of(cookie, now_s);

	if (t < 0)
		return 0;
	return ((uint64_t)t + SF_COOKIE_MAX_AGE + 1) << SF_COOKIE_T_SHIFT;
}

#ifdef __cplusplus
}
#endif

#endif /* SF_COOKIE_H */
