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

/*
 * Ethernet, optionally with one 802.1Q tag:
 *
 *   0      6      12        14     16        18
 *   | dst  | src  | type    | ...                       untagged
 *   | dst  | src  | 0x8100  | TCI  | type    | ...      tagged
 */
#define ETH_OFF_TYPE	12
#define ETH_OFF_TCI	14
#define ETH_OFF_TYPE_IN	16
#define ETH_HLEN	14
#define ETH_VLAN_HLEN	18

/*
 * ARP, Ethernet/IPv4 (28 bytes):
 *
 *   0     2     4    5    6    8       14    18      24    28
 *   | htype | ptype | hl | pl | op | sha | spa | tha | tpa |
 */
#define ARP_LEN		28
#define ARP_OFF_HTYPE	0
#define ARP_OFF_PTYPE	2
#define ARP_OFF_HLEN	4
#define ARP_OFF_PLEN	5
#define ARP_OFF_OP	6
#define ARP_OFF_SPA	14
#define ARP_OFF_TPA	24
#define ARP_IPV4_LEN	4

/*
 * IPv4 header (RFC 791):
 *
 *    0                   1                   2                   3
 *    0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *   +-------+-------+---------------+-------------------------------+
 *   |version|  IHL  |      TOS      |          total length         |
 *   +-------+-------+---------------+-----+-------------------------+
 *   |        identification         |flags|     fragment offset     |
 *   +---------------+---------------+-----+-------------------------+
 *   |      TTL      |   protocol    |        header checksum        |
 *   +---------------+---------------+-------------------------------+
 *   |                        source address                         |
 *   |                     destination address                       |
 *   +---------------------------------------------------------------+
 */
#define IP4_HLEN_MIN	20
#define IP4_OFF_TOTLEN	2
#define IP4_OFF_FRAG	6
#define IP4_OFF_TTL	8
#define IP4_OFF_PROTO	9
#define IP4_OFF_SRC	12
#define IP4_OFF_DST	16
#define IP4_FRAG_MASK	0x3fff		/* MF flag + fragment offset */

/*
 * IPv6 header (RFC 8200): version(4) TC(8) flow label(20), payload
 * length(16), next header(8), hop limit(8), source(128), destination(128).
 */
#define IP6_HLEN	40
#define IP6_OFF_PLEN	4
#define IP6_OFF_NXT	6
#define IP6_OFF_HLIM	7
#define IP6_OFF_SRC	8
#define IP6_OFF_DST	24
#define IP6_ADDR_LEN	16

/* IPv6 next-header values that are extension headers (RFC 8200, 5775, 6275, 7401, 5533, 3692). */
#define IP6_NH_HOPOPTS	0
#define IP6_NH_ROUTING	43
#define IP6_NH_FRAGMENT	44
#define IP6_NH_ESP	50
#define IP6_NH_AH	51
#define IP6_NH_DSTOPTS	60
#define IP6_NH_MOBILITY	135
#define IP6_NH_HIP	139
#define IP6_NH_SHIM6	140
#define IP6_NH_EXP1	253
#define IP6_NH_EXP2	254

/*
 * TCP header (RFC 9293):
 *
 *   0       2       4               8               12   13    14     16
 *   | sport | dport |      seq      |      ack      |doff|flags|window|
 *   16      18      20
 *   | cksum | urg   | options...
 */
#define TCP_HLEN	20
#define TCP_OFF_SPORT	0
#define TCP_OFF_DPORT	2
#define TCP_OFF_SEQ	4
#define TCP_OFF_ACK	8
#define TCP_OFF_DOFF	12
#define TCP_OFF_FLAGS	13
#define TCP_OFF_WIN	14
#define TCP_DOFF_MIN	5

/* TCP options: kind, and total length for the ones we know. */
#define TCPOPT_EOL	0
#define TCPOPT_NOP	1
#define TCPOPT_MSS	2
#define TCPOPT_WSCALE	3
#define TCPOPT_SACK_PERM 4
#define TCPOPT_SACK	5
#define TCPOPT_TS	8
#define TCPOLEN_MSS	4
#define TCPOLEN_WSCALE	3
#define TCPOLEN_SACK_PERM 2
#define TCPOLEN_SACK_MIN 10		/* 2 + 8 per block, 1..4 blocks */
#define TCPOLEN_SACK_MAX 34
#define TCPOLEN_TS	10

/* ICMP / ICMPv6: type(1) code(1) checksum(2) rest(4), then data. */
#define ICMP_HLEN	8
#define ICMP_ECHO_REQUEST	8
#define ICMP6_ECHO_REQUEST	128
#define ICMP6_ND_NS		135

/*
 * Neighbour solicitation (RFC 4861 4.3):
 *
 *   0      1      2        4          8          24
 *   | 135  | code | cksum  | reserved | target   | options...
 *
 * Options: type(1) length(1, in units of 8 bytes) value.
 */
#define NS_LEN_MIN	24
#define NS_OFF_TARGET	8
#define ND_HOP_LIMIT	255
#define ND_OPT_SLL	1
#define ND_OPT_UNIT	8
#define ND_OPT_LLA_LEN	1		/* Ethernet link-layer address option: 8 bytes */

static inline uint16_t
ld16(const uint8_t *p)
{
	uint16_t v;

	memcpy(&v, p, sizeof(v));
	return rte_be_to_cpu_16(v);
}

static inline uint32_t
ld32(const uint8_t *p)
{
	uint32_t v;

	memcpy(&v, p, sizeof(v));
	return rte_be_to_cpu_32(v);
}

/* Ones' complement sum of [p, p + len) on top of a pseudo-header sum: 1 if it verifies. */
static inline int
csum_ok(const uint8_t *p, uint32_t len, uint32_t phdr)
{
	return __rte_raw_cksum_reduce(__rte_raw_cksum(p, len, phdr)) == 0xffff;
}

static inline int
ip6_is_unspec(const uint8_t *a)
{
	static const uint8_t zero[IP6_ADDR_LEN];

	return memcmp(a, zero, IP6_ADDR_LEN) == 0;
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
			out->mss = ld16(opt + i + 2);
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
			break;
		case TCPOPT_TS:
			if (olen != TCPOLEN_TS)
				return -1;
			out->ts_ok = 1;
			out->tsval = ld32(opt + i + 2);
			out->tsecr = ld32(opt + i + 6);
			break;
		default:
			break;
		}
		i += olen;
	}
	return 0;
}

int
sf_tcp_opts_parse(const uint8_t *opt, uint32_t len, struct sf_tcp_opts *out)
{
	memset(out, 0, sizeof(*out));
	out->wscale = SF_WSCALE_NONE;

	/*
	 * Fast paths for the two layouts that make up nearly all traffic:
	 *  - ACK/data with timestamps (12): NOP NOP TS
	 *  - Linux SYN (20): MSS SACK_PERM TS NOP WSCALE
	 */
	if (len == 12 && ld32(opt) == 0x0101080a) {
		out->ts_ok = 1;
		out->tsval = ld32(opt + 4);
		out->tsecr = ld32(opt + 8);
		return 0;
	}
	if (len == 20 && ld16(opt) == 0x0204 && ld32(opt + 4) == 0x0402080a &&
	    ld16(opt + 16) == 0x0103 && opt[18] == TCPOLEN_WSCALE) {
		out->mss = ld16(opt + 2);
		out->sack_ok = 1;
		out->ts_ok = 1;
		out->tsval = ld32(opt + 8);
		out->tsecr = ld32(opt + 12);
		out->wscale = opt[19];
		return 0;
	}
	return tcp_opts_walk(opt, len, out);
}

/* TCP at frame + off, l4_len bytes of IP payload; ip is the IPv4/IPv6 header. */
static inline enum sf_net_reason
parse_tcp(const uint8_t *frame, uint32_t off, uint32_t l4_len,
	  const uint8_t *ip, uint32_t rx_flags, struct sf_pkt *pkt)
{
	const uint8_t *th = frame + off;
	uint32_t hlen;
	uint32_t phdr;

	if (unlikely(l4_len < TCP_HLEN))
		return SF_NET_TRUNC_TCP;
	hlen = (uint32_t)(th[TCP_OFF_DOFF] >> 4) * 4;
	if (unlikely(hlen < TCP_DOFF_MIN * 4 || hlen > l4_len))
		return SF_NET_BAD_DOFF;
	memcpy(&pkt->flow.cli_port, th + TCP_OFF_SPORT, sizeof(uint16_t));
	memcpy(&pkt->flow.srv_port, th + TCP_OFF_DPORT, sizeof(uint16_t));
	if (unlikely(pkt->flow.cli_port == 0 || pkt->flow.srv_port == 0))
		return SF_NET_BAD_TCP_PORT;
	if (hlen > TCP_HLEN) {
		if (unlikely(sf_tcp_opts_parse(th + TCP_HLEN, hlen - TCP_HLEN,
					       &pkt->opts) != 0))
			return SF_NET_BAD_TCP_OPT;
	} else {
		pkt->opts.wscale = SF_WSCALE_NONE;
	}
	if (!(rx_flags & SF_RX_L4_CSUM_GOOD)) {
		if (pkt->flow.family == SF_AF_INET)
			phdr = rte_ipv4_phdr_cksum((const struct rte_ipv4_hdr *)
						   (const void *)ip, 0);
		else
			phdr = rte_ipv6_phdr_cksum((const struct rte_ipv6_hdr *)
						   (const void *)ip, 0);
		if (unlikely(!csum_ok(th, l4_len, phdr)))
			return SF_NET_BAD_L4_CSUM;
	}
	pkt->kind = SF_PKT_TCP;
	pkt->tcp_flags = th[TCP_OFF_FLAGS];
	pkt->l4_len = (uint16_t)hlen;
	pkt->payload_off = (uint16_t)(off + hlen);
	pkt->payload_len = (uint16_t)(l4_len - hlen);
	pkt->window = ld16(th + TCP_OFF_WIN);
	pkt->seq = ld32(th + TCP_OFF_SEQ);
	pkt->ack = ld32(th + TCP_OFF_ACK);
	return SF_NET_OK;
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
	    !csum_ok(ih, l4_len, rte_ipv6_phdr_cksum(
			(const struct rte_ipv6_hdr *)(const void *)ip, 0)))
		return SF_NET_BAD_L4_CSUM;
	memcpy(pkt->flow.srv_addr, ih + NS_OFF_TARGET, IP6_ADDR_LEN);
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
	    !csum_ok(ih, l4_len, rte_ipv6_phdr_cksum(
			(const struct rte_ipv6_hdr *)(const void *)ip, 0)))
		return SF_NET_BAD_L4_CSUM;
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
	uint8_t src0;

	if (unlikely(room < IP4_HLEN_MIN))
		return SF_NET_TRUNC_IP;
	if (unlikely((ip[0] >> 4) != 4))
		return SF_NET_BAD_IP_VERSION;
	ihl = (uint32_t)(ip[0] & 0x0f) * 4;
	tot = ld16(ip + IP4_OFF_TOTLEN);
	if (unlikely(ihl < IP4_HLEN_MIN))
		return SF_NET_BAD_IHL;
	if (unlikely(tot > room || l2 + tot > UINT16_MAX))
		return SF_NET_BAD_IP_LEN;
	if (unlikely(ihl > tot))
		return SF_NET_BAD_IHL;
	if (!(rx_flags & SF_RX_IP_CSUM_GOOD) && unlikely(!csum_ok(ip, ihl, 0)))
		return SF_NET_BAD_IP_CSUM;
	if (unlikely(ld16(ip + IP4_OFF_FRAG) & IP4_FRAG_MASK))
		return SF_NET_IP_FRAGMENT;
	/* Source multicast (224/4), limited broadcast or 0.0.0.0. */
	src0 = ip[IP4_OFF_SRC];
	if (unlikely((src0 & 0xf0) == 0xe0 ||
		     ld32(ip + IP4_OFF_SRC) == 0xffffffff ||
		     ld32(ip + IP4_OFF_SRC) == 0))
		return SF_NET_BAD_IP_ADDR;

	pkt->hop_limit = ip[IP4_OFF_TTL];
	pkt->l3_len = (uint16_t)ihl;
	pkt->frame_len = (uint16_t)(l2 + tot);
	pkt->flow.family = SF_AF_INET;
	memcpy(pkt->flow.cli_addr, ip + IP4_OFF_SRC, 4);
	memcpy(pkt->flow.srv_addr, ip + IP4_OFF_DST, 4);
	switch (ip[IP4_OFF_PROTO]) {
	case IPPROTO_TCP:
		return parse_tcp(frame, l2 + ihl, tot - ihl, ip, rx_flags, pkt);
	case IPPROTO_ICMP:
		return parse_icmp4(frame, l2 + ihl, tot - ihl, rx_flags, pkt);
	default:
		return SF_NET_NOT_HANDLED;
	}
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
	plen = ld16(ip + IP6_OFF_PLEN);
	if (unlikely(IP6_HLEN + plen > room ||
		     l2 + IP6_HLEN + plen > UINT16_MAX))
		return SF_NET_BAD_IP_LEN;
	if (unlikely(ip[IP6_OFF_SRC] == 0xff))
		return SF_NET_BAD_IP_ADDR;

	pkt->hop_limit = ip[IP6_OFF_HLIM];
	pkt->l3_len = IP6_HLEN;
	pkt->frame_len = (uint16_t)(l2 + IP6_HLEN + plen);
	pkt->flow.family = SF_AF_INET6;
	memcpy(pkt->flow.cli_addr, ip + IP6_OFF_SRC, IP6_ADDR_LEN);
	memcpy(pkt->flow.srv_addr, ip + IP6_OFF_DST, IP6_ADDR_LEN);
	switch (ip[IP6_OFF_NXT]) {
	case IPPROTO_TCP:
		/* The unspecified source is only valid in DAD solicitations. */
		if (unlikely(ip6_is_unspec(ip + IP6_OFF_SRC)))
			return SF_NET_BAD_IP_ADDR;
		return parse_tcp(frame, l2 + IP6_HLEN, plen, ip, rx_flags, pkt);
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
	    ld16(ah + ARP_OFF_HTYPE) != RTE_ARP_HRD_ETHER ||
	    ld16(ah + ARP_OFF_PTYPE) != RTE_ETHER_TYPE_IPV4 ||
	    ah[ARP_OFF_HLEN] != RTE_ETHER_ADDR_LEN ||
	    ah[ARP_OFF_PLEN] != ARP_IPV4_LEN)
		return SF_NET_BAD_ARP;
	if (ld16(ah + ARP_OFF_OP) != RTE_ARP_OP_REQUEST)
		return SF_NET_NOT_HANDLED;
	pkt->kind = SF_PKT_ARP_REQUEST;
	pkt->frame_len = (uint16_t)(l2 + ARP_LEN);
	pkt->flow.family = SF_AF_INET;
	memcpy(pkt->flow.cli_addr, ah + ARP_OFF_SPA, ARP_IPV4_LEN);
	memcpy(pkt->flow.srv_addr, ah + ARP_OFF_TPA, ARP_IPV4_LEN);
	return SF_NET_OK;
}

enum sf_net_reason
sf_parse(const uint8_t *frame, uint32_t len, uint32_t rx_flags,
	 struct sf_pkt *pkt)
{
	uint32_t l2 = ETH_HLEN;
	uint16_t type;

	memset(pkt, 0, sizeof(*pkt));
	if (unlikely(len < ETH_HLEN))
		return SF_NET_TRUNC_ETH;
	memcpy(&pkt->dst_mac, frame, RTE_ETHER_ADDR_LEN);
	memcpy(&pkt->src_mac, frame + RTE_ETHER_ADDR_LEN, RTE_ETHER_ADDR_LEN);
	type = ld16(frame + ETH_OFF_TYPE);
	if (type == RTE_ETHER_TYPE_VLAN) {
		if (unlikely(len < ETH_VLAN_HLEN))
			return SF_NET_TRUNC_ETH;
		pkt->vlan_tci = ld16(frame + ETH_OFF_TCI);
		type = ld16(frame + ETH_OFF_TYPE_IN);
		l2 = ETH_VLAN_HLEN;
	}
	pkt->l2_len = (uint8_t)l2;

	/* A second tag (0x8100 or 0x88a8) and anything else falls to default. */
	switch (type) {
	case RTE_ETHER_TYPE_IPV4:
		return parse_ipv4(frame, len, l2, rx_flags, pkt);
	case RTE_ETHER_TYPE_IPV6:
		return parse_ipv6(frame, len, l2, rx_flags, pkt);
	case RTE_ETHER_TYPE_ARP:
		return parse_arp(frame, len, l2, pkt);
	default:
		return SF_NET_BAD_ETHERTYPE;
	}
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
