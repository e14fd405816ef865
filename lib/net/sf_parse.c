/* SPDX-License-Identifier: BSD-3-Clause */

/*
 * Frame parser: Ethernet (+ one 802.1Q tag), ARP, IPv4, IPv6, TCP with its
 * options, ICMP/ICMPv6 echo requests, IPv6 neighbour solicitations.
 *
 * Every read is preceded by a bounds check against the frame length (or
 * the IP payload length, itself checked against the frame), and multi-byte
 * fields are loaded with memcpy, so any alignment of the frame is fine.
 * The common case (an IPv4/IPv6 TCP segment) is straight-line code; the
 * only loops are the checksums and the generic TCP/ND option walks.
 */

#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <netinet/in.h>

#include <rte_branch_prediction.h>
#include <rte_byteorder.h>
#include <rte_common.h>
#include <rte_ether.h>
#include <rte_arp.h>
#include <rte_ip.h>

#include "sf_net.h"
#include "sf_net_wire.h"
#include "sf_parse_priv.h"

/*
 * Ones' complement sums. The words are added in host order into a 64-bit
 * accumulator (RFC 1071: the sum is byte-order independent, and folding
 * 32-bit words is the same as folding 16-bit ones); sf_csum_fold() reduces it
 * to 16 bits with end-around carries. A sum that verifies folds to 0xffff.
 */
static inline uint64_t
csum_add(const uint8_t *p, uint32_t len, uint64_t s)
{
	while (len >= 8) {
		s += sf_ldr32(p);
		s += sf_ldr32(p + 4);
		p += 8;
		len -= 8;
	}
	if (len >= 4) {
		s += sf_ldr32(p);
		p += 4;
		len -= 4;
	}
	if (len >= 2) {
		uint16_t w;

		memcpy(&w, p, sizeof(w));
		s += w;
		p += 2;
		len -= 2;
	}
	if (len != 0)	/* odd last byte: the high half of a zero-padded word */
		s += rte_be_to_cpu_16((uint16_t)(*p << 8));
	return s;
}

/* Ones' complement sum of [p, p + len) on top of a pseudo-header sum: 1 if it verifies. */
static inline int
csum_ok(const uint8_t *p, uint32_t len, uint64_t phdr)
{
	return sf_csum_fold(csum_add(p, len, phdr)) == 0xffff;
}

/* Pseudo-header sum of the IPv4/IPv6 addresses at a (4 or 16 bytes each), proto, L4 length. */
static inline uint64_t
phdr4_sum(const uint8_t *a, uint8_t proto, uint32_t l4_len)
{
	return (uint64_t)sf_ldr32(a) + sf_ldr32(a + 4) +
		rte_cpu_to_be_16((uint16_t)l4_len) + rte_cpu_to_be_16(proto);
}

static inline uint64_t
phdr6_sum(const uint8_t *a, uint8_t proto, uint32_t l4_len)
{
	return csum_add(a, 2 * IP6_ADDR_LEN,
			rte_cpu_to_be_16((uint16_t)l4_len) + rte_cpu_to_be_16(proto));
}

/*
 * The flow key is written with whole 8-byte stores, padding included, so
 * that it needs no memset and later 8-byte reads of it (the hash) forward
 * from the stores.
 */
static inline void
flow_set4(struct sf_flow *f, const uint8_t *src, const uint8_t *dst)
{
	sf_str64(f->cli_addr, sf_ldr32(src));
	sf_str64(f->cli_addr + 8, 0);
	sf_str64(f->srv_addr, sf_ldr32(dst));
	sf_str64(f->srv_addr + 8, 0);
}

static inline void
flow_set6(struct sf_flow *f, const uint8_t *src, const uint8_t *dst)
{
	memcpy(f->cli_addr, src, IP6_ADDR_LEN);
	memcpy(f->srv_addr, dst, IP6_ADDR_LEN);
}

/* Ports (network order, as in the TCP header: client = source) and family. */
static inline void
flow_set_tail(struct sf_flow *f, uint32_t ports, uint8_t family)
{
#if RTE_BYTE_ORDER == RTE_LITTLE_ENDIAN
	sf_str64(&f->cli_port, (uint64_t)ports | (uint64_t)family << 32);
#else
	memcpy(&f->cli_port, &ports, sizeof(ports));
	f->family = family;
	memset(f->pad, 0, sizeof(f->pad));
#endif
}

/* All of struct sf_tcp_opts, pad included. */
static inline void
opts_set(struct sf_tcp_opts *o, uint16_t mss, uint8_t wscale, uint8_t sack_ok,
	 uint8_t ts_ok, uint32_t tsval, uint32_t tsecr)
{
#if RTE_BYTE_ORDER == RTE_LITTLE_ENDIAN
	sf_str64(o, (uint64_t)mss | (uint64_t)wscale << 16 |
	      (uint64_t)sack_ok << 24 | (uint64_t)ts_ok << 32);
	sf_str64(&o->tsval, (uint64_t)tsval | (uint64_t)tsecr << 32);
#else
	o->mss = mss;
	o->wscale = wscale;
	o->sack_ok = sack_ok;
	o->ts_ok = ts_ok;
	o->sack_n = 0;
	memset(o->pad, 0, sizeof(o->pad));
	o->tsval = tsval;
	o->tsecr = tsecr;
#endif
	memset(o->sack, 0, sizeof(o->sack));
}

_Static_assert(offsetof(struct sf_tcp_opts, tsval) == 8 &&
	       offsetof(struct sf_tcp_opts, tsecr) == 12 &&
	       offsetof(struct sf_tcp_opts, sack) == 16 &&
	       sizeof(struct sf_tcp_opts) == 16 + 8 * SF_TCP_SACK_MAX,
	       "sf_tcp_opts layout");
_Static_assert(offsetof(struct sf_flow, srv_port) == 34 &&
	       offsetof(struct sf_flow, family) == 36 &&
	       sizeof(struct sf_flow) == 40, "sf_flow layout");

/* IPv4 header checksum; the usual 20-byte header without a loop. */
static inline int
ip4_csum_ok(const uint8_t *ip, uint32_t ihl)
{
	uint64_t s;

	if (likely(ihl == IP4_HLEN_MIN)) {
		s = (uint64_t)sf_ldr32(ip) + sf_ldr32(ip + 4) + sf_ldr32(ip + 8) +
			sf_ldr32(ip + 12) + sf_ldr32(ip + 16);
		return sf_csum_fold(s) == 0xffff;
	}
	return csum_ok(ip, ihl, 0);
}

/* IPv4 source multicast (224/4), limited broadcast or 0.0.0.0. */
static inline int
ip4_src_bad(const uint8_t *ip)
{
	uint32_t src = sf_ld32(ip + IP4_OFF_SRC);

	return (src & 0xf0000000) == 0xe0000000 || src + 1 <= 1;
}

static inline int
ip6_is_unspec(const uint8_t *a)
{
	static const uint8_t zero[IP6_ADDR_LEN];

	return memcmp(a, zero, IP6_ADDR_LEN) == 0;
}

/* The @p n blocks of a SACK option (after kind and length). */
static void
tcp_opts_sack(const uint8_t *b, uint32_t n, struct sf_tcp_opts *out)
{
	uint32_t k;

	for (k = 0; k < n; k++) {
		out->sack[k].start = sf_ld32(b + 8 * k);
		out->sack[k].end = sf_ld32(b + 8 * k + 4);
	}
	out->sack_n = (uint8_t)n;
}

/* Generic option walk, for layouts the fast paths below do not recognise. */
static int
tcp_opts_walk(const uint8_t *opt, uint32_t len, struct sf_tcp_opts *out)
{
	uint32_t i = 0;

	while (i < len) {
		uint8_t kind = opt[i];
		uint32_t olen;

		if (kind == TCPOPT_EOL)
			break;
		if (kind == TCPOPT_NOP) {
			i++;
			continue;
		}
		if (len - i < 2)
			return -1;
		olen = opt[i + 1];
		if (olen < 2 || olen > len - i)
			return -1;
		switch (kind) {
		case TCPOPT_MSS:
			if (olen != TCPOLEN_MSS)
				return -1;
			out->mss = sf_ld16(opt + i + 2);
			break;
		case TCPOPT_WSCALE:
			if (olen != TCPOLEN_WSCALE)
				return -1;
			out->wscale = opt[i + 2];
			break;
		case TCPOPT_SACK_PERM:
			if (olen != TCPOLEN_SACK_PERM)
				return -1;
			out->sack_ok = 1;
			break;
		case TCPOPT_SACK:
			if (olen < TCPOLEN_SACK_MIN || olen > TCPOLEN_SACK_MAX ||
			    (olen - 2) % 8 != 0)
				return -1;
			if (out->sack_n == 0)
				tcp_opts_sack(opt + i + 2, (olen - 2) / 8, out);
			break;
		case TCPOPT_TS:
			if (olen != TCPOLEN_TS)
				return -1;
			out->ts_ok = 1;
			out->tsval = sf_ld32(opt + i + 2);
			out->tsecr = sf_ld32(opt + i + 6);
			break;
		default:
			break;
		}
		i += olen;
	}
	return 0;
}

/*
 * The option layouts that make up nearly all traffic, matched with one or
 * two masked compares:
 *  - none (0)
 *  - MSS only (4): 02 04 mss mss
 *  - ACK/data with timestamps (12): 01 01 08 0a tsval tsecr
 *  - Linux SYN (20): 02 04 mss mss 04 02 08 0a tsval tsecr 01 03 03 ws
 * Returns 0 with *out filled, -1 when the generic walk must decide.
 */
#define OPT_MSS_W	0x02040000u	/* 02 04, big-endian, low half masked */
#define OPT_NOP_NOP_TS	0x0101080au
#define OPT_NOP_WS_W	0x01030300u	/* 01 03 03, last byte masked */
#define OPT_SYN_W	UINT64_C(0x020400000402080a)	/* 02 04 .. .. 04 02 08 0a */
#define OPT_SYN_MASK	UINT64_C(0xffff0000ffffffff)

static inline int
tcp_opts_fast(const uint8_t *opt, uint32_t len, struct sf_tcp_opts *out)
{
	uint32_t w0;

	switch (len) {
	case 0:
		opts_set(out, 0, SF_WSCALE_NONE, 0, 0, 0, 0);
		return 0;
	case 4:
		w0 = sf_ld32(opt);
		if ((w0 & 0xffff0000u) != OPT_MSS_W)
			return -1;
		opts_set(out, (uint16_t)w0, SF_WSCALE_NONE, 0, 0, 0, 0);
		return 0;
	case 12:
		if (sf_ld32(opt) != OPT_NOP_NOP_TS)
			return -1;
		opts_set(out, 0, SF_WSCALE_NONE, 0, 1, sf_ld32(opt + 4),
			 sf_ld32(opt + 8));
		return 0;
	case 20:
		/* One masked 8-byte compare for the first 8 bytes. */
		if ((sf_ld64(opt) & OPT_SYN_MASK) != OPT_SYN_W ||
		    (sf_ld32(opt + 16) & 0xffffff00u) != OPT_NOP_WS_W)
			return -1;
		opts_set(out, sf_ld16(opt + 2), opt[19], 1, 1, sf_ld32(opt + 8),
			 sf_ld32(opt + 12));
		return 0;
	default:
		return -1;
	}
}

/* Anything else: defaults, then the generic walk. */
static int
tcp_opts_slow(const uint8_t *opt, uint32_t len, struct sf_tcp_opts *out)
{
	opts_set(out, 0, SF_WSCALE_NONE, 0, 0, 0, 0);
	return tcp_opts_walk(opt, len, out);
}

int
sf_tcp_opts_parse(const uint8_t *opt, uint32_t len, struct sf_tcp_opts *out)
{
	if (tcp_opts_fast(opt, len, out) == 0)
		return 0;
	return tcp_opts_slow(opt, len, out);
}

/*
 * TCP at frame + off, l4_len bytes of IP payload; ip is the IPv4/IPv6
 * header. pkt->flow addresses are set; this sets ports and family.
 */
static inline enum sf_net_reason
parse_tcp(const uint8_t *frame, uint32_t off, uint32_t l4_len,
	  const uint8_t *ip, uint8_t family, uint32_t rx_flags,
	  struct sf_pkt *pkt)
{
	const uint8_t *th = frame + off;
	uint32_t hlen, ports;
	uint64_t phdr;

	if (unlikely(l4_len < TCP_HLEN))
		return SF_NET_TRUNC_TCP;
	hlen = (uint32_t)(th[TCP_OFF_DOFF] >> 4) * 4;
	if (unlikely(hlen < TCP_DOFF_MIN * 4 || hlen > l4_len))
		return SF_NET_BAD_DOFF;
	ports = sf_ldr32(th + TCP_OFF_SPORT);
	flow_set_tail(&pkt->flow, ports, family);
	if (unlikely(pkt->flow.cli_port == 0 || pkt->flow.srv_port == 0))
		return SF_NET_BAD_TCP_PORT;
	if (unlikely(sf_tcp_opts_parse(th + TCP_HLEN, hlen - TCP_HLEN,
				       &pkt->opts) != 0))
		return SF_NET_BAD_TCP_OPT;
	if (!(rx_flags & SF_RX_L4_CSUM_GOOD)) {
		if (family == SF_AF_INET)
			phdr = phdr4_sum(ip + IP4_OFF_SRC, IPPROTO_TCP, l4_len);
		else
			phdr = phdr6_sum(ip + IP6_OFF_SRC, IPPROTO_TCP, l4_len);
		if (unlikely(!csum_ok(th, l4_len, phdr)))
			return SF_NET_BAD_L4_CSUM;
	}
	pkt->kind = SF_PKT_TCP;
	pkt->tcp_flags = th[TCP_OFF_FLAGS];
	pkt->l4_len = (uint16_t)hlen;
	pkt->payload_off = (uint16_t)(off + hlen);
	pkt->payload_len = (uint16_t)(l4_len - hlen);
	pkt->window = sf_ld16(th + TCP_OFF_WIN);
	pkt->seq = sf_ld32(th + TCP_OFF_SEQ);
	pkt->ack = sf_ld32(th + TCP_OFF_ACK);
	return SF_NET_OK;
}

/* The options of a packet that is not TCP: all zero, as documented. */
static inline void
opts_zero(struct sf_pkt *pkt)
{
	opts_set(&pkt->opts, 0, 0, 0, 0, 0, 0);
}

/* ICMP (IPv4): echo request only. */
static enum sf_net_reason
parse_icmp4(const uint8_t *frame, uint32_t off, uint32_t l4_len,
	    uint32_t rx_flags, struct sf_pkt *pkt)
{
	const uint8_t *ih = frame + off;

	if (l4_len < ICMP_HLEN)
		return SF_NET_BAD_ICMP;
	if (ih[0] != ICMP_ECHO_REQUEST)
		return SF_NET_NOT_HANDLED;
	if (ih[1] != 0)
		return SF_NET_BAD_ICMP;
	if (!(rx_flags & SF_RX_L4_CSUM_GOOD) && !csum_ok(ih, l4_len, 0))
		return SF_NET_BAD_L4_CSUM;
	flow_set_tail(&pkt->flow, 0, SF_AF_INET);
	opts_zero(pkt);
	pkt->kind = SF_PKT_ICMP_ECHO;
	pkt->l4_len = (uint16_t)l4_len;
	pkt->payload_off = (uint16_t)(off + ICMP_HLEN);
	pkt->payload_len = (uint16_t)(l4_len - ICMP_HLEN);
	return SF_NET_OK;
}

/* Solicited-node multicast address ff02::1:ffXX:XXXX (RFC 4291 2.7.1). */
static int
ip6_is_solicited_node(const uint8_t *a)
{
	static const uint8_t prefix[13] = {
		0xff, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x01, 0xff
	};

	return memcmp(a, prefix, sizeof(prefix)) == 0;
}

/* Neighbour solicitation, validity checks of RFC 4861 section 7.1.1. */
static enum sf_net_reason
parse_ns(const uint8_t *ip, const uint8_t *ih, uint32_t l4_len,
	 uint32_t rx_flags, struct sf_pkt *pkt)
{
	int src_unspec = ip6_is_unspec(ip + IP6_OFF_SRC);
	uint32_t i;

	if (ip[IP6_OFF_HLIM] != ND_HOP_LIMIT || ih[1] != 0 ||
	    l4_len < NS_LEN_MIN || ih[NS_OFF_TARGET] == 0xff)
		return SF_NET_BAD_ND;
	for (i = NS_LEN_MIN; i < l4_len; ) {
		uint32_t olen;

		if (l4_len - i < 2 || ih[i + 1] == 0)
			return SF_NET_BAD_ND;
		olen = (uint32_t)ih[i + 1] * ND_OPT_UNIT;
		if (olen > l4_len - i)
			return SF_NET_BAD_ND;
		if (ih[i] == ND_OPT_SLL) {
			if (src_unspec || ih[i + 1] != ND_OPT_LLA_LEN)
				return SF_NET_BAD_ND;
			if (!pkt->nd_has_sll) {
				memcpy(&pkt->src_mac, ih + i + 2,
				       RTE_ETHER_ADDR_LEN);
				pkt->nd_has_sll = 1;
			}
		}
		i += olen;
	}
	if (src_unspec && !ip6_is_solicited_node(ip + IP6_OFF_DST))
		return SF_NET_BAD_ND;
	if (!(rx_flags & SF_RX_L4_CSUM_GOOD) &&
	    !csum_ok(ih, l4_len, phdr6_sum(ip + IP6_OFF_SRC, IPPROTO_ICMPV6,
					   l4_len)))
		return SF_NET_BAD_L4_CSUM;
	memcpy(pkt->flow.srv_addr, ih + NS_OFF_TARGET, IP6_ADDR_LEN);
	flow_set_tail(&pkt->flow, 0, SF_AF_INET6);
	opts_zero(pkt);
	pkt->kind = SF_PKT_ND_NS;
	pkt->l4_len = (uint16_t)l4_len;
	return SF_NET_OK;
}

/* ICMPv6: echo request and neighbour solicitation. */
static enum sf_net_reason
parse_icmp6(const uint8_t *frame, uint32_t off, uint32_t l4_len,
	    uint32_t rx_flags, struct sf_pkt *pkt)
{
	const uint8_t *ip = frame + off - IP6_HLEN;
	const uint8_t *ih = frame + off;

	if (l4_len < 4)
		return SF_NET_BAD_ICMP;
	if (ih[0] == ICMP6_ND_NS)
		return parse_ns(ip, ih, l4_len, rx_flags, pkt);
	if (ih[0] != ICMP6_ECHO_REQUEST)
		return SF_NET_NOT_HANDLED;
	if (l4_len < ICMP_HLEN || ih[1] != 0)
		return SF_NET_BAD_ICMP;
	if (ip6_is_unspec(ip + IP6_OFF_SRC))
		return SF_NET_BAD_IP_ADDR;
	if (!(rx_flags & SF_RX_L4_CSUM_GOOD) &&
	    !csum_ok(ih, l4_len, phdr6_sum(ip + IP6_OFF_SRC, IPPROTO_ICMPV6,
					   l4_len)))
		return SF_NET_BAD_L4_CSUM;
	flow_set_tail(&pkt->flow, 0, SF_AF_INET6);
	opts_zero(pkt);
	pkt->kind = SF_PKT_ICMP_ECHO;
	pkt->l4_len = (uint16_t)l4_len;
	pkt->payload_off = (uint16_t)(off + ICMP_HLEN);
	pkt->payload_len = (uint16_t)(l4_len - ICMP_HLEN);
	return SF_NET_OK;
}

static inline enum sf_net_reason
parse_ipv4(const uint8_t *frame, uint32_t len, uint32_t l2,
	   uint32_t rx_flags, struct sf_pkt *pkt)
{
	const uint8_t *ip = frame + l2;
	uint32_t room = len - l2;
	uint32_t ihl, tot;

	if (unlikely(room < IP4_HLEN_MIN))
		return SF_NET_TRUNC_IP;
	if (unlikely((ip[0] >> 4) != 4))
		return SF_NET_BAD_IP_VERSION;
	ihl = (uint32_t)(ip[0] & 0x0f) * 4;
	tot = sf_ld16(ip + IP4_OFF_TOTLEN);
	if (unlikely(ihl < IP4_HLEN_MIN))
		return SF_NET_BAD_IHL;
	if (unlikely(tot > room || l2 + tot > UINT16_MAX))
		return SF_NET_BAD_IP_LEN;
	if (unlikely(ihl > tot))
		return SF_NET_BAD_IHL;
	if (!(rx_flags & SF_RX_IP_CSUM_GOOD) && unlikely(!ip4_csum_ok(ip, ihl)))
		return SF_NET_BAD_IP_CSUM;
	if (unlikely(sf_ld16(ip + IP4_OFF_FRAG) & IP4_FRAG_MASK))
		return SF_NET_IP_FRAGMENT;
	if (unlikely(ip4_src_bad(ip)))
		return SF_NET_BAD_IP_ADDR;

	pkt->hop_limit = ip[IP4_OFF_TTL];
	pkt->l3_len = (uint16_t)ihl;
	pkt->frame_len = (uint16_t)(l2 + tot);
	flow_set4(&pkt->flow, ip + IP4_OFF_SRC, ip + IP4_OFF_DST);
	if (likely(ip[IP4_OFF_PROTO] == IPPROTO_TCP))
		return parse_tcp(frame, l2 + ihl, tot - ihl, ip, SF_AF_INET,
				 rx_flags, pkt);
	if (ip[IP4_OFF_PROTO] == IPPROTO_ICMP)
		return parse_icmp4(frame, l2 + ihl, tot - ihl, rx_flags, pkt);
	return SF_NET_NOT_HANDLED;
}

static inline enum sf_net_reason
parse_ipv6(const uint8_t *frame, uint32_t len, uint32_t l2,
	   uint32_t rx_flags, struct sf_pkt *pkt)
{
	const uint8_t *ip = frame + l2;
	uint32_t room = len - l2;
	uint32_t plen;

	if (unlikely(room < IP6_HLEN))
		return SF_NET_TRUNC_IP;
	if (unlikely((ip[0] >> 4) != 6))
		return SF_NET_BAD_IP_VERSION;
	plen = sf_ld16(ip + IP6_OFF_PLEN);
	if (unlikely(IP6_HLEN + plen > room ||
		     l2 + IP6_HLEN + plen > UINT16_MAX))
		return SF_NET_BAD_IP_LEN;
	if (unlikely(ip[IP6_OFF_SRC] == 0xff))
		return SF_NET_BAD_IP_ADDR;

	pkt->hop_limit = ip[IP6_OFF_HLIM];
	pkt->l3_len = IP6_HLEN;
	pkt->frame_len = (uint16_t)(l2 + IP6_HLEN + plen);
	flow_set6(&pkt->flow, ip + IP6_OFF_SRC, ip + IP6_OFF_DST);
	switch (ip[IP6_OFF_NXT]) {
	case IPPROTO_TCP:
		/* The unspecified source is only valid in DAD solicitations. */
		if (unlikely(ip6_is_unspec(ip + IP6_OFF_SRC)))
			return SF_NET_BAD_IP_ADDR;
		return parse_tcp(frame, l2 + IP6_HLEN, plen, ip, SF_AF_INET6,
				 rx_flags, pkt);
	case IPPROTO_ICMPV6:
		return parse_icmp6(frame, l2 + IP6_HLEN, plen, rx_flags, pkt);
	case IP6_NH_FRAGMENT:
		return SF_NET_IP_FRAGMENT;
	case IP6_NH_HOPOPTS:
	case IP6_NH_ROUTING:
	case IP6_NH_ESP:
	case IP6_NH_AH:
	case IP6_NH_DSTOPTS:
	case IP6_NH_MOBILITY:
	case IP6_NH_HIP:
	case IP6_NH_SHIM6:
	case IP6_NH_EXP1:
	case IP6_NH_EXP2:
		return SF_NET_IP6_EXTHDR;
	default:
		return SF_NET_NOT_HANDLED;
	}
}

static enum sf_net_reason
parse_arp(const uint8_t *frame, uint32_t len, uint32_t l2, struct sf_pkt *pkt)
{
	const uint8_t *ah = frame + l2;

	if (len - l2 < ARP_LEN ||
	    sf_ld16(ah + ARP_OFF_HTYPE) != RTE_ARP_HRD_ETHER ||
	    sf_ld16(ah + ARP_OFF_PTYPE) != RTE_ETHER_TYPE_IPV4 ||
	    ah[ARP_OFF_HLEN] != RTE_ETHER_ADDR_LEN ||
	    ah[ARP_OFF_PLEN] != ARP_IPV4_LEN)
		return SF_NET_BAD_ARP;
	if (sf_ld16(ah + ARP_OFF_OP) != RTE_ARP_OP_REQUEST)
		return SF_NET_NOT_HANDLED;
	pkt->kind = SF_PKT_ARP_REQUEST;
	pkt->frame_len = (uint16_t)(l2 + ARP_LEN);
	flow_set4(&pkt->flow, ah + ARP_OFF_SPA, ah + ARP_OFF_TPA);
	flow_set_tail(&pkt->flow, 0, SF_AF_INET);
	opts_zero(pkt);
	return SF_NET_OK;
}

/*
 * The fields before the MACs, zeroed up front: every path sets the ones it
 * uses. The MACs are then copied with two overlapping 8-byte stores (the
 * second runs 2 bytes into the flow, which every successful path writes in
 * full afterwards); the flow and the options are written by the parsers.
 */
#define PKT_HEAD_LEN	offsetof(struct sf_pkt, src_mac)
_Static_assert(offsetof(struct sf_pkt, dst_mac) ==
	       offsetof(struct sf_pkt, src_mac) + RTE_ETHER_ADDR_LEN &&
	       offsetof(struct sf_pkt, flow) ==
	       offsetof(struct sf_pkt, dst_mac) + RTE_ETHER_ADDR_LEN &&
	       offsetof(struct sf_pkt, opts) ==
	       offsetof(struct sf_pkt, flow) + sizeof(struct sf_flow),
	       "struct sf_pkt layout");

/* Every frame the fast path below does not take, and every error. */
static __rte_noinline enum sf_net_reason
parse_slow(const uint8_t *frame, uint32_t len, uint32_t rx_flags,
	   struct sf_pkt *pkt)
{
	uint32_t l2 = ETH_HLEN;
	uint16_t type;

	if (unlikely(len < ETH_HLEN))
		return SF_NET_TRUNC_ETH;
	memset(pkt, 0, PKT_HEAD_LEN);
	sf_str64(&pkt->src_mac, sf_ldr64(frame + RTE_ETHER_ADDR_LEN));
	sf_str64(&pkt->dst_mac, sf_ldr64(frame));
	type = sf_ld16(frame + ETH_OFF_TYPE);
	if (type == RTE_ETHER_TYPE_VLAN) {
		if (unlikely(len < ETH_VLAN_HLEN))
			return SF_NET_TRUNC_ETH;
		pkt->vlan_tci = sf_ld16(frame + ETH_OFF_TCI);
		type = sf_ld16(frame + ETH_OFF_TYPE_IN);
		l2 = ETH_VLAN_HLEN;
	}
	pkt->l2_len = (uint8_t)l2;

	if (likely(type == RTE_ETHER_TYPE_IPV4))
		return parse_ipv4(frame, len, l2, rx_flags, pkt);
	switch (type) {
	case RTE_ETHER_TYPE_IPV6:
		return parse_ipv6(frame, len, l2, rx_flags, pkt);
	case RTE_ETHER_TYPE_ARP:
		return parse_arp(frame, len, l2, pkt);
	case RTE_ETHER_TYPE_VLAN:	/* a second 802.1Q tag */
	case RTE_ETHER_TYPE_QINQ:	/* 802.1ad, outer or inner */
	case RTE_ETHER_TYPE_QINQ1:
	case RTE_ETHER_TYPE_QINQ2:
	case RTE_ETHER_TYPE_QINQ3:
		return SF_NET_BAD_ETHERTYPE;
	default:
		/* LLDP, STP's 802.3 length field, ...: well-formed, not ours. */
		return SF_NET_NOT_HANDLED;
	}
}


/*
 * Fast path: an IPv4 TCP segment (Ethernet, at most one tag, IHL 5, not a
 * fragment, an option layout of tcp_opts_fast()). Anything it does not
 * accept, including every error, goes to parse_slow(), which starts again
 * from the first byte: the fast path only decides "OK", and writes exactly
 * what parse_slow() writes for such a frame (all of struct sf_pkt).
 */
#define FAST_HDRS	(ETH_HLEN + IP4_HLEN_MIN + TCP_HLEN)
#define FAST_IP4_VER_IHL	0x45
#define FAST_IP4_W1_MASK	((uint64_t)IP4_FRAG_MASK << 32 | (uint64_t)0xff << 16)
#define FAST_IP4_W1		((uint64_t)IPPROTO_TCP << 16)

static inline int
parse_fast_tcp4(const uint8_t *frame, uint32_t len, uint32_t rx_flags,
		struct sf_pkt *pkt)
{
	const uint8_t *ip = frame + ETH_HLEN;
	const uint8_t *th;
	uint32_t l2 = ETH_HLEN, lim, tot, l4_len, hlen, ports;
	uint16_t type, tci = 0;

	if (unlikely(len < FAST_HDRS))
		return -1;
	memcpy(&type, frame + ETH_OFF_TYPE, sizeof(type));
	if (type == RTE_BE16(RTE_ETHER_TYPE_VLAN)) {
		if (unlikely(len < FAST_HDRS + ETH_VLAN_HLEN - ETH_HLEN))
			return -1;
		tci = sf_ld16(frame + ETH_OFF_TCI);
		memcpy(&type, frame + ETH_OFF_TYPE_IN, sizeof(type));
		l2 = ETH_VLAN_HLEN;
		ip = frame + ETH_VLAN_HLEN;
	}
	if (unlikely(type != RTE_BE16(RTE_ETHER_TYPE_IPV4)))
		return -1;

	/* IPv4: version 4, IHL 5, length within the frame and 64 KiB. */
	tot = sf_ld16(ip + IP4_OFF_TOTLEN);
	lim = RTE_MIN(len, (uint32_t)UINT16_MAX) - l2;
	if (unlikely(ip[0] != FAST_IP4_VER_IHL || tot > lim ||
		     tot < IP4_HLEN_MIN + TCP_HLEN))
		return -1;
	/* Bytes 4-11 (id, flags + offset, TTL, protocol, checksum): not a fragment, TCP. */
	if (unlikely((sf_ld64(ip + 4) & FAST_IP4_W1_MASK) != FAST_IP4_W1))
		return -1;
	if (unlikely(ip4_src_bad(ip)))
		return -1;
	if (!(rx_flags & SF_RX_IP_CSUM_GOOD) &&
	    unlikely(!ip4_csum_ok(ip, IP4_HLEN_MIN)))
		return -1;

	/* TCP */
	th = ip + IP4_HLEN_MIN;
	l4_len = tot - IP4_HLEN_MIN;
	hlen = (uint32_t)(th[TCP_OFF_DOFF] >> 4) * 4;
	ports = sf_ldr32(th + TCP_OFF_SPORT);
	if (unlikely(hlen < TCP_HLEN || hlen > l4_len ||
		     (ports & RTE_BE32(0xffff0000)) == 0 ||
		     (ports & RTE_BE32(0x0000ffff)) == 0))
		return -1;
	if (unlikely(tcp_opts_fast(th + TCP_HLEN, hlen - TCP_HLEN,
				   &pkt->opts) != 0))
		return -1;
	if (!(rx_flags & SF_RX_L4_CSUM_GOOD) &&
	    unlikely(!csum_ok(th, l4_len, phdr4_sum(ip + IP4_OFF_SRC,
						    IPPROTO_TCP, l4_len))))
		return -1;

	pkt->kind = SF_PKT_TCP;
	pkt->l2_len = (uint8_t)l2;
	pkt->tcp_flags = th[TCP_OFF_FLAGS];
	pkt->hop_limit = ip[IP4_OFF_TTL];
	pkt->vlan_tci = tci;
	pkt->l3_len = IP4_HLEN_MIN;
	pkt->l4_len = (uint16_t)hlen;
	pkt->payload_off = (uint16_t)(l2 + IP4_HLEN_MIN + hlen);
	pkt->payload_len = (uint16_t)(l4_len - hlen);
	pkt->window = sf_ld16(th + TCP_OFF_WIN);
	pkt->seq = sf_ld32(th + TCP_OFF_SEQ);
	pkt->ack = sf_ld32(th + TCP_OFF_ACK);
	pkt->frame_len = (uint16_t)(l2 + tot);
	pkt->nd_has_sll = 0;
	pkt->pad = 0;
	sf_str64(&pkt->src_mac, sf_ldr64(frame + RTE_ETHER_ADDR_LEN));
	sf_str64(&pkt->dst_mac, sf_ldr64(frame));
	flow_set4(&pkt->flow, ip + IP4_OFF_SRC, ip + IP4_OFF_DST);
	flow_set_tail(&pkt->flow, ports, SF_AF_INET);
	return 0;
}

enum sf_net_reason
sf_parse(const uint8_t *frame, uint32_t len, uint32_t rx_flags,
	 struct sf_pkt *pkt)
{
	if (likely(parse_fast_tcp4(frame, len, rx_flags, pkt) == 0))
		return SF_NET_OK;
	return parse_slow(frame, len, rx_flags, pkt);
}

/*
 * The halves of sf_parse() and sf_tcp_opts_parse() one by one, for the
 * tests that compare them (sf_parse_priv.h). The product never calls
 * these; sf_parse() and sf_tcp_opts_parse() above do not go through them.
 */
int
sf_parse_fast(const uint8_t *frame, uint32_t len, uint32_t rx_flags,
	      struct sf_pkt *pkt)
{
	return parse_fast_tcp4(frame, len, rx_flags, pkt);
}

enum sf_net_reason
sf_parse_slow(const uint8_t *frame, uint32_t len, uint32_t rx_flags,
	      struct sf_pkt *pkt)
{
	return parse_slow(frame, len, rx_flags, pkt);
}

int
sf_tcp_opts_parse_slow(const uint8_t *opt, uint32_t len,
		       struct sf_tcp_opts *out)
{
	return tcp_opts_slow(opt, len, out);
}

static const char *const reason_names[SF_NET_REASON_MAX] = {
	[SF_NET_OK] = "ok",
	[SF_NET_TRUNC_ETH] = "trunc_eth",
	[SF_NET_BAD_ETHERTYPE] = "bad_ethertype",
	[SF_NET_BAD_ARP] = "bad_arp",
	[SF_NET_TRUNC_IP] = "trunc_ip",
	[SF_NET_BAD_IP_VERSION] = "bad_ip_version",
	[SF_NET_BAD_IHL] = "bad_ihl",
	[SF_NET_BAD_IP_LEN] = "bad_ip_len",
	[SF_NET_BAD_IP_CSUM] = "bad_ip_csum",
	[SF_NET_BAD_IP_ADDR] = "bad_ip_addr",
	[SF_NET_IP_FRAGMENT] = "ip_fragment",
	[SF_NET_IP6_EXTHDR] = "ip6_exthdr",
	[SF_NET_TRUNC_TCP] = "trunc_tcp",
	[SF_NET_BAD_DOFF] = "bad_doff",
	[SF_NET_BAD_TCP_OPT] = "bad_tcp_opt",
	[SF_NET_BAD_TCP_PORT] = "bad_tcp_port",
	[SF_NET_BAD_L4_CSUM] = "bad_l4_csum",
	[SF_NET_BAD_ICMP] = "bad_icmp",
	[SF_NET_BAD_ND] = "bad_nd",
	[SF_NET_NOT_HANDLED] = "not_handled",
};

const char *
sf_net_reason_str(enum sf_net_reason reason)
{
	if ((unsigned int)reason >= SF_NET_REASON_MAX ||
	    reason_names[reason] == NULL)
		return "unknown";
	return reason_names[reason];
}
