/* SPDX-License-Identifier: BSD-3-Clause */

/*
 * Test frame builder (see fr_frame.h). Byte by byte, no alignment assumed,
 * no DPDK and no lib/net: the fixtures must not share a bug with the code
 * they test.
 */

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <arpa/inet.h>

#include "fr_frame.h"

/* Ethernet: dst(6) src(6) [0x8100 TCI] type. */
#define ETH_HLEN	14
#define VLAN_HLEN	4
#define ETHERTYPE_VLAN	0x8100
#define ETHERTYPE_IPV4	0x0800
#define ETHERTYPE_ARP	0x0806
#define ETHERTYPE_IPV6	0x86dd

#define IP4_HLEN	20
#define IP6_HLEN	40
#define IPPROTO_ICMP_	1
#define IPPROTO_TCP_	6
#define IPPROTO_ICMPV6_	58

#define TCP_HLEN	20
#define TCP_OFF_CSUM	16
#define ICMP_HLEN	8
#define ICMP_OFF_CSUM	2
#define ICMP_ECHO	8
#define ICMP6_ECHO	128
#define ICMP6_NS	135
#define NS_HLEN		24	/* type code cksum reserved target */
#define ND_OPT_SLL	1
#define ARP_LEN		28

/* TCP option kinds and lengths. */
#define OPT_EOL		0
#define OPT_NOP		1
#define OPT_MSS		2
#define OPT_WS		3
#define OPT_SACK_PERM	4
#define OPT_TS		8
#define OPTLEN_MSS	4
#define OPTLEN_WS	3
#define OPTLEN_SACK_PERM 2
#define OPTLEN_TS	10

static const uint8_t srv_mac[FR_MAC_LEN] = { 0x02, 0, 0, 0, 0, 0x01 };
static const uint8_t cli_mac[FR_MAC_LEN] = { 0x02, 0, 0, 0, 0, 0x02 };
static const uint8_t cli4[4] = { 198, 18, 0, 1 };
static const uint8_t srv4[4] = { 198, 18, 0, 2 };
static const uint8_t cli6[FR_IP6_LEN] = { 0x20, 0x01, 0, 0x02, [15] = 1 };
static const uint8_t srv6[FR_IP6_LEN] = { 0x20, 0x01, 0, 0x02, [15] = 2 };
/* ff02::1:ff00:2, the solicited-node group of 2001:2::2 (RFC 4291 2.7.1) */
static const uint8_t srv6_snm[FR_IP6_LEN] = {
	0xff, 0x02, [11] = 0x01, [12] = 0xff, [15] = 0x02
};

/* ------------------------------------------------------------ bytes */

uint16_t
fr_get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

uint32_t
fr_get32(const uint8_t *p)
{
	return (uint32_t)fr_get16(p) << 16 | fr_get16(p + 2);
}

void
fr_put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

void
fr_put32(uint8_t *p, uint32_t v)
{
	fr_put16(p, (uint16_t)(v >> 16));
	fr_put16(p + 2, (uint16_t)v);
}

uint32_t
fr_sum16(const uint8_t *p, size_t len, uint32_t sum)
{
	size_t i;

	for (i = 0; i + 1 < len; i += 2)
		sum += fr_get16(p + i);
	if (len & 1)
		sum += (uint32_t)p[len - 1] << 8;
	return sum;
}

uint16_t
fr_fold(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)sum;
}

uint32_t
fr_phdr_sum(const uint8_t *ip, int v6, uint8_t proto, uint32_t l4_len)
{
	/* addresses, zero + protocol, upper-layer length (a 32-bit field in
	 * IPv6's, 16 bits in IPv4's: the same sum below 64 KiB) */
	if (v6)
		return fr_sum16(ip + 8, 2 * FR_IP6_LEN, 0) + proto + l4_len;
	return fr_sum16(ip + 12, 8, 0) + proto + l4_len;
}

/* Checksum field value for [p, p + len) on top of sum. */
static uint16_t
csum(const uint8_t *p, size_t len, uint32_t sum)
{
	return (uint16_t)~fr_fold(fr_sum16(p, len, sum));
}

/* ------------------------------------------------------- descriptions */

void
fr_eth_init(struct fr_eth *e)
{
	memset(e, 0, sizeof(*e));
	memcpy(e->dst, srv_mac, FR_MAC_LEN);
	memcpy(e->src, cli_mac, FR_MAC_LEN);
}

void
fr_ip_init(struct fr_ip *ip, int v6)
{
	memset(ip, 0, sizeof(*ip));
	ip->v6 = (uint8_t)(v6 != 0);
	if (v6) {
		memcpy(ip->src, cli6, FR_IP6_LEN);
		memcpy(ip->dst, srv6, FR_IP6_LEN);
	} else {
		memcpy(ip->src, cli4, sizeof(cli4));
		memcpy(ip->dst, srv4, sizeof(srv4));
		ip->id = 1;
		ip->frag = FR_IP4_DF;
	}
	ip->ttl = 64;
}

int
fr_ip_addrs(struct fr_ip *ip, const char *src, const char *dst)
{
	uint8_t s[FR_IP6_LEN] = { 0 }, d[FR_IP6_LEN] = { 0 };
	int v6;

	if (inet_pton(AF_INET, src, s) == 1 && inet_pton(AF_INET, dst, d) == 1)
		v6 = 0;
	else if (inet_pton(AF_INET6, src, s) == 1 &&
		 inet_pton(AF_INET6, dst, d) == 1)
		v6 = 1;
	else
		return -1;
	ip->v6 = (uint8_t)v6;
	memcpy(ip->src, s, FR_IP6_LEN);
	memcpy(ip->dst, d, FR_IP6_LEN);
	return 0;
}

void
fr_tcp_init(struct fr_tcp *t, int v6)
{
	memset(t, 0, sizeof(*t));
	fr_eth_init(&t->eth);
	fr_ip_init(&t->ip, v6);
	t->sport = 40000;
	t->dport = 80;
	t->win = 64240;
	t->order = FR_OPTS_LINUX;
	t->ws = FR_WS_NONE;
}

void
fr_echo_init(struct fr_echo *e, int v6)
{
	memset(e, 0, sizeof(*e));
	fr_eth_init(&e->eth);
	fr_ip_init(&e->ip, v6);
	e->id = 0x1234;
	e->seq = 7;
}

void
fr_ns_init(struct fr_ns *n)
{
	memset(n, 0, sizeof(*n));
	fr_eth_init(&n->eth);
	fr_ip_init(&n->ip, 1);
	n->ip.ttl = 255;	/* RFC 4861 7.1.1 */
	memcpy(n->ip.dst, srv6_snm, FR_IP6_LEN);
	memcpy(n->target, srv6, FR_IP6_LEN);
}

void
fr_arp_init(struct fr_arp *a)
{
	memset(a, 0, sizeof(*a));
	fr_eth_init(&a->eth);
	memset(a->eth.dst, 0xff, FR_MAC_LEN);
	a->op = 1;
	memcpy(a->sha, cli_mac, FR_MAC_LEN);
	memcpy(a->spa, cli4, sizeof(cli4));
	memcpy(a->tpa, srv4, sizeof(srv4));
}

/* ------------------------------------------------------------ headers */

static size_t
eth_len(const struct fr_eth *e)
{
	return e->vlan ? ETH_HLEN + VLAN_HLEN : ETH_HLEN;
}

static size_t
ip_len(const struct fr_ip *ip)
{
	return ip->v6 ? IP6_HLEN : IP4_HLEN + ip->opts_len;
}

/* Ethernet header (+ tag) of type @p type; returns its length. */
static size_t
put_eth(uint8_t *b, const struct fr_eth *e, uint16_t type)
{
	memcpy(b, e->dst, FR_MAC_LEN);
	memcpy(b + 6, e->src, FR_MAC_LEN);
	if (e->vlan) {
		fr_put16(b + 12, ETHERTYPE_VLAN);
		fr_put16(b + 14, e->tci);
		fr_put16(b + 16, type);
		return ETH_HLEN + VLAN_HLEN;
	}
	fr_put16(b + 12, type);
	return ETH_HLEN;
}

/*
 * IPv4 or IPv6 header for @p l4_len bytes of protocol @p proto, IPv4
 * header checksum included; returns its length.
 */
static size_t
put_ip(uint8_t *ip, const struct fr_ip *d, uint8_t proto, size_t l4_len)
{
	size_t hl = ip_len(d);

	memset(ip, 0, hl);
	if (d->v6) {
		fr_put32(ip, 6u << 28 | (uint32_t)d->tos << 20);
		fr_put16(ip + 4, (uint16_t)l4_len);
		ip[6] = proto;
		ip[7] = d->ttl;
		memcpy(ip + 8, d->src, FR_IP6_LEN);
		memcpy(ip + 24, d->dst, FR_IP6_LEN);
		return hl;
	}
	ip[0] = (uint8_t)(0x40 | hl / 4);
	ip[1] = d->tos;
	fr_put16(ip + 2, (uint16_t)(hl + l4_len));
	fr_put16(ip + 4, d->id);
	fr_put16(ip + 6, d->frag);
	ip[8] = d->ttl;
	ip[9] = proto;
	memcpy(ip + 12, d->src, 4);
	memcpy(ip + 16, d->dst, 4);
	memcpy(ip + IP4_HLEN, d->opts, d->opts_len);
	fr_put16(ip + 10, csum(ip, hl, 0));
	return hl;
}

/*
 * Ethernet + IP for an L4 of @p l4_len bytes: checks the room (padding
 * included), zeroes the frame, fills @p h; returns the L4 offset or 0.
 */
static size_t
put_l2l3(uint8_t *buf, size_t cap, const struct fr_eth *e,
	 const struct fr_ip *ip, uint8_t proto, size_t l4_len,
	 struct fr_hdrs *h)
{
	size_t l3 = eth_len(e), l4 = l3 + ip_len(ip), len = l4 + l4_len;

	if ((!ip->v6 && (ip->opts_len % 4 != 0 ||
			 ip->opts_len > FR_IP_OPT_MAX)) ||
	    len > UINT16_MAX || len > cap || e->pad_to > cap)
		return 0;
	memset(buf, 0, len > e->pad_to ? len : e->pad_to);
	put_eth(buf, e, ip->v6 ? ETHERTYPE_IPV6 : ETHERTYPE_IPV4);
	put_ip(buf + l3, ip, proto, l4_len);
	h->pkt_len = (uint32_t)len;
	h->len = (uint32_t)(len > e->pad_to ? len : e->pad_to);
	h->l3 = (uint32_t)l3;
	h->l4 = (uint32_t)l4;
	h->v6 = ip->v6;
	return l4;
}

/* --------------------------------------------------------------- TCP */

static size_t
opt_mss(uint8_t *o, const struct fr_tcp *t)
{
	o[0] = OPT_MSS;
	o[1] = OPTLEN_MSS;
	fr_put16(o + 2, t->mss);
	return OPTLEN_MSS;
}

static size_t
opt_ws(uint8_t *o, const struct fr_tcp *t)
{
	o[0] = OPT_WS;
	o[1] = OPTLEN_WS;
	o[2] = t->ws;
	return OPTLEN_WS;
}

static size_t
opt_sack_perm(uint8_t *o)
{
	o[0] = OPT_SACK_PERM;
	o[1] = OPTLEN_SACK_PERM;
	return OPTLEN_SACK_PERM;
}

static size_t
opt_ts(uint8_t *o, const struct fr_tcp *t)
{
	o[0] = OPT_TS;
	o[1] = OPTLEN_TS;
	fr_put32(o + 2, t->tsval);
	fr_put32(o + 6, t->tsecr);
	return OPTLEN_TS;
}

/* n NOPs */
static size_t
nops(uint8_t *o, size_t n)
{
	memset(o, OPT_NOP, n);
	return n;
}

int
fr_tcp_opts(uint8_t *out, const struct fr_tcp *t)
{
	/* the longest ordered list (ALIGNED, all four) is 24 bytes */
	uint8_t o[FR_TCP_OPT_MAX + 4];
	const int ws = t->ws != FR_WS_NONE;
	size_t n = 0;

	if (t->opts_raw != NULL) {
		if (t->opts_raw_len > FR_TCP_OPT_MAX)
			return -1;
		memcpy(o, t->opts_raw, t->opts_raw_len);
		n = t->opts_raw_len;
	} else {
		if (t->mss != 0)
			n += opt_mss(o + n, t);
		switch (t->order) {
		case FR_OPTS_LINUX:
			if (t->ts) {
				n += t->sack_ok ? opt_sack_perm(o + n) :
					nops(o + n, 2);
				n += opt_ts(o + n, t);
			} else if (t->sack_ok) {
				n += nops(o + n, 2);
				n += opt_sack_perm(o + n);
			}
			if (ws) {
				n += nops(o + n, 1);
				n += opt_ws(o + n, t);
			}
			break;
		case FR_OPTS_ALIGNED:
			if (t->sack_ok) {
				n += nops(o + n, 2);
				n += opt_sack_perm(o + n);
			}
			if (t->ts) {
				n += nops(o + n, 2);
				n += opt_ts(o + n, t);
			}
			if (ws) {
				n += nops(o + n, 1);
				n += opt_ws(o + n, t);
			}
			break;
		case FR_OPTS_WINDOWS:
			if (ws) {
				n += nops(o + n, 1);
				n += opt_ws(o + n, t);
			}
			if (t->sack_ok) {
				n += nops(o + n, 2);
				n += opt_sack_perm(o + n);
			}
			if (t->ts) {
				n += nops(o + n, 2);
				n += opt_ts(o + n, t);
			}
			break;
		case FR_OPTS_MACOS:
			if (ws) {
				n += nops(o + n, 1);
				n += opt_ws(o + n, t);
			}
			if (t->ts) {
				n += nops(o + n, 2);
				n += opt_ts(o + n, t);
			}
			if (t->sack_ok)
				n += opt_sack_perm(o + n);
			break;
		case FR_OPTS_PACKED:
			if (ws)
				n += opt_ws(o + n, t);
			if (t->sack_ok)
				n += opt_sack_perm(o + n);
			if (t->ts)
				n += opt_ts(o + n, t);
			break;
		default:
			return -1;
		}
	}
	while (n % 4 != 0)
		o[n++] = OPT_EOL;
	if (n > FR_TCP_OPT_MAX)
		return -1;
	memcpy(out, o, n);
	return (int)n;
}

size_t
fr_build_tcp(uint8_t *buf, size_t cap, const struct fr_tcp *t,
	     struct fr_hdrs *h)
{
	uint8_t opts[FR_TCP_OPT_MAX];
	struct fr_hdrs hh;
	size_t thl, i;
	uint8_t *th;
	int ol;

	ol = fr_tcp_opts(opts, t);
	if (ol < 0)
		return 0;
	thl = TCP_HLEN + (size_t)ol;
	if (h == NULL)
		h = &hh;
	if (put_l2l3(buf, cap, &t->eth, &t->ip, IPPROTO_TCP_,
		     thl + t->payload_len, h) == 0)
		return 0;
	th = buf + h->l4;
	fr_put16(th, t->sport);
	fr_put16(th + 2, t->dport);
	fr_put32(th + 4, t->seq);
	fr_put32(th + 8, t->ack);
	th[12] = (uint8_t)((thl / 4) << 4);
	th[13] = t->flags;
	fr_put16(th + 14, t->win);
	fr_put16(th + 18, t->urp);
	memcpy(th + TCP_HLEN, opts, (size_t)ol);
	for (i = 0; i < t->payload_len; i++)
		th[thl + i] = t->payload != NULL ? t->payload[i] :
			(uint8_t)('a' + i % 26);
	fr_put16(th + TCP_OFF_CSUM,
		 csum(th, thl + t->payload_len,
		      fr_phdr_sum(buf + h->l3, t->ip.v6, IPPROTO_TCP_,
				  (uint32_t)(thl + t->payload_len))));
	h->data = (uint32_t)(h->l4 + thl);
	return h->len;
}

/* -------------------------------------------------------- ICMP / ND */

size_t
fr_build_echo(uint8_t *buf, size_t cap, const struct fr_echo *e,
	      struct fr_hdrs *h)
{
	const size_t l4_len = ICMP_HLEN + e->data_len;
	struct fr_hdrs hh;
	uint8_t *ih;
	size_t i;

	if (h == NULL)
		h = &hh;
	if (put_l2l3(buf, cap, &e->eth, &e->ip,
		     e->ip.v6 ? IPPROTO_ICMPV6_ : IPPROTO_ICMP_, l4_len, h) == 0)
		return 0;
	ih = buf + h->l4;
	ih[0] = e->ip.v6 ? ICMP6_ECHO : ICMP_ECHO;
	fr_put16(ih + 4, e->id);
	fr_put16(ih + 6, e->seq);
	for (i = 0; i < e->data_len; i++)
		ih[ICMP_HLEN + i] = e->data != NULL ? e->data[i] : (uint8_t)i;
	fr_put16(ih + ICMP_OFF_CSUM,
		 csum(ih, l4_len, e->ip.v6 ?
		      fr_phdr_sum(buf + h->l3, 1, IPPROTO_ICMPV6_,
				  (uint32_t)l4_len) : 0));
	h->data = (uint32_t)(h->l4 + ICMP_HLEN);
	return h->len;
}

size_t
fr_build_ns(uint8_t *buf, size_t cap, const struct fr_ns *n,
	    struct fr_hdrs *h)
{
	const size_t sll_len = n->sll ? 8 : 0;
	const size_t l4_len = NS_HLEN + sll_len + n->opts_len;
	struct fr_ip ip = n->ip;
	struct fr_hdrs hh;
	uint8_t *ih;

	if (h == NULL)
		h = &hh;
	ip.v6 = 1;
	if (put_l2l3(buf, cap, &n->eth, &ip, IPPROTO_ICMPV6_, l4_len, h) == 0)
		return 0;
	ih = buf + h->l4;
	ih[0] = ICMP6_NS;
	memcpy(ih + 8, n->target, FR_IP6_LEN);
	if (n->sll) {
		ih[NS_HLEN] = ND_OPT_SLL;
		ih[NS_HLEN + 1] = 1;	/* 8 bytes */
		memcpy(ih + NS_HLEN + 2, n->sll_mac, FR_MAC_LEN);
	}
	if (n->opts_len != 0)
		memcpy(ih + NS_HLEN + sll_len, n->opts, n->opts_len);
	fr_put16(ih + ICMP_OFF_CSUM,
		 csum(ih, l4_len, fr_phdr_sum(buf + h->l3, 1, IPPROTO_ICMPV6_,
					     (uint32_t)l4_len)));
	h->data = (uint32_t)(h->l4 + NS_HLEN);
	return h->len;
}

/* --------------------------------------------------------------- ARP */

size_t
fr_build_arp(uint8_t *buf, size_t cap, const struct fr_arp *a,
	     struct fr_hdrs *h)
{
	size_t l3 = eth_len(&a->eth), len = l3 + ARP_LEN;
	size_t total = len > a->eth.pad_to ? len : a->eth.pad_to;
	uint8_t *ah = buf + l3;
	struct fr_hdrs hh;

	if (h == NULL)
		h = &hh;
	if (total > cap)
		return 0;
	memset(buf, 0, total);
	put_eth(buf, &a->eth, ETHERTYPE_ARP);
	fr_put16(ah, 1);			/* Ethernet */
	fr_put16(ah + 2, ETHERTYPE_IPV4);
	ah[4] = FR_MAC_LEN;
	ah[5] = 4;
	fr_put16(ah + 6, a->op);
	memcpy(ah + 8, a->sha, FR_MAC_LEN);
	memcpy(ah + 14, a->spa, 4);
	memcpy(ah + 18, a->tha, FR_MAC_LEN);
	memcpy(ah + 24, a->tpa, 4);
	h->len = (uint32_t)total;
	h->pkt_len = (uint32_t)len;
	h->l3 = (uint32_t)l3;
	h->l4 = (uint32_t)len;
	h->data = (uint32_t)len;
	h->v6 = 0;
	return total;
}

/* --------------------------------------------------------- checksums */

void
fr_fix_csums(uint8_t *frame, uint32_t len, uint32_t l3, int v6)
{
	uint8_t *ip = frame + l3;
	uint32_t l4_off, l4_len, ihl, csum_off;
	uint8_t proto;

	if (v6) {
		if (l3 + IP6_HLEN > len)
			return;
		l4_off = l3 + IP6_HLEN;
		l4_len = fr_get16(ip + 4);
		proto = ip[6];
	} else {
		if (l3 + IP4_HLEN > len)
			return;
		ihl = (uint32_t)(ip[0] & 0xf) * 4;
		if (ihl < IP4_HLEN || l3 + ihl > len)
			return;
		fr_put16(ip + 10, 0);
		fr_put16(ip + 10, csum(ip, ihl, 0));
		if (fr_get16(ip + 2) < ihl)
			return;
		l4_off = l3 + ihl;
		l4_len = fr_get16(ip + 2) - ihl;
		proto = ip[9];
	}
	if (l4_off + l4_len > len)
		return;
	if (proto == IPPROTO_TCP_)
		csum_off = TCP_OFF_CSUM;
	else if (proto == IPPROTO_ICMP_ || proto == IPPROTO_ICMPV6_)
		csum_off = ICMP_OFF_CSUM;
	else
		return;
	if (l4_len < csum_off + 2)
		return;
	fr_put16(frame + l4_off + csum_off, 0);
	fr_put16(frame + l4_off + csum_off,
		 csum(frame + l4_off, l4_len, proto == IPPROTO_ICMP_ ? 0 :
		      fr_phdr_sum(ip, v6, proto, l4_len)));
}

int
fr_csums_ok(const uint8_t *frame, uint32_t l3, int v6)
{
	const uint8_t *ip = frame + l3;
	uint32_t l4_len, ihl;
	uint8_t proto;

	if (v6) {
		l4_len = fr_get16(ip + 4);
		proto = ip[6];
		return fr_fold(fr_sum16(ip + IP6_HLEN, l4_len,
					fr_phdr_sum(ip, 1, proto, l4_len))) ==
			0xffff;
	}
	ihl = (uint32_t)(ip[0] & 0xf) * 4;
	if (fr_fold(fr_sum16(ip, ihl, 0)) != 0xffff)
		return 0;
	l4_len = fr_get16(ip + 2) - ihl;
	proto = ip[9];
	return fr_fold(fr_sum16(ip + ihl, l4_len, proto == IPPROTO_ICMP_ ? 0 :
				fr_phdr_sum(ip, 0, proto, l4_len))) == 0xffff;
}
