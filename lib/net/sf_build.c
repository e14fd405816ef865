/* SPDX-License-Identifier: BSD-3-Clause */

/*
 * Reply builders: TCP segments from scratch, ARP and echo replies in place,
 * neighbour advertisements from scratch.
 *
 * The builders that write from scratch take everything from the parsed
 * struct sf_pkt, never from the output buffer, so the output buffer may be
 * the very frame that was parsed. Stores go through memcpy: no alignment
 * of the buffer is assumed.
 */

#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <netinet/in.h>

#include <rte_byteorder.h>
#include <rte_common.h>
#include <rte_ether.h>
#include <rte_arp.h>
#include <rte_ip.h>

#include "sf_net.h"
#include "sf_net_wire.h"

/* What every reply carries as its TTL / hop limit. */
#define REPLY_TTL	64

/* Ethernet (+ the packet's VLAN tag): returns the L2 length written. */
static inline uint32_t
put_eth(uint8_t *buf, const struct sf_pkt *pkt,
	const struct rte_ether_addr *dst, const struct rte_ether_addr *src,
	uint16_t type)
{
	memcpy(buf, dst, RTE_ETHER_ADDR_LEN);
	memcpy(buf + RTE_ETHER_ADDR_LEN, src, RTE_ETHER_ADDR_LEN);
	if (pkt->l2_len == ETH_VLAN_HLEN) {
		sf_st16(buf + ETH_OFF_TYPE, RTE_ETHER_TYPE_VLAN);
		sf_st16(buf + ETH_OFF_TCI, pkt->vlan_tci);
		sf_st16(buf + ETH_OFF_TYPE_IN, type);
		return ETH_VLAN_HLEN;
	}
	sf_st16(buf + ETH_OFF_TYPE, type);
	return ETH_HLEN;
}

/* IPv6 header with a zero traffic class and flow label. */
static inline void
put_ip6(uint8_t *ip, uint16_t plen, uint8_t nxt, uint8_t hlim,
	const uint8_t *src, const uint8_t *dst)
{
	sf_st32(ip, IP6_VTC_FLOW);
	sf_st16(ip + IP6_OFF_PLEN, plen);
	ip[IP6_OFF_NXT] = nxt;
	ip[IP6_OFF_HLIM] = hlim;
	memcpy(ip + IP6_OFF_SRC, src, IP6_ADDR_LEN);
	memcpy(ip + IP6_OFF_DST, dst, IP6_ADDR_LEN);
}

/* Length of the option block sf_build_tcp() writes for r (a multiple of 4). */
static inline uint32_t
tcp_opts_len(const struct sf_tcp_reply *r)
{
	return (r->mss != 0) * 4u + (r->ts_ok ? 12u : r->sack_ok * 4u) +
		(r->wscale != SF_WSCALE_NONE) * 4u;
}

/*
 * One 32-bit word of a header, given as its big-endian value: stored, and
 * added to the running ones' complement sum in host order (RFC 1071: the
 * folded sum of the words as they lie in memory is the checksum field in
 * memory order, whatever the host's byte order).
 */
static inline uint64_t
put_w32(uint8_t *p, uint32_t be_value, uint64_t sum)
{
	uint32_t v = rte_cpu_to_be_32(be_value);

	memcpy(p, &v, sizeof(v));
	return sum + v;
}

static inline uint64_t
sum_addr6(const uint8_t *a, uint64_t sum)
{
	return sum + sf_ldr32(a) + sf_ldr32(a + 4) + sf_ldr32(a + 8) + sf_ldr32(a + 12);
}

/*
 * Options in Linux's order (tcp_options_write()), as big-endian words:
 *
 *   MSS           02 04 mss mss
 *   SACK_PERM+TS  04 02 08 0a tsval tsecr     (or 01 01 08 0a tsval tsecr)
 *   SACK_PERM     01 01 04 02                 (without timestamps)
 *   WSCALE        01 03 03 shift
 *
 * Returns the sum of the words written on top of sum.
 */
#define OPTW_MSS	((uint32_t)TCPOPT_MSS << 24 | 4u << 16)
#define OPTW_SACKP_TS	((uint32_t)TCPOPT_SACK_PERM << 24 | 2u << 16 | \
			 TCPOPT_TS << 8 | 10u)
#define OPTW_NOP_TS	((uint32_t)TCPOPT_NOP << 24 | TCPOPT_NOP << 16 | \
			 TCPOPT_TS << 8 | 10u)
#define OPTW_NOP_SACKP	((uint32_t)TCPOPT_NOP << 24 | TCPOPT_NOP << 16 | \
			 TCPOPT_SACK_PERM << 8 | 2u)
#define OPTW_NOP_WS	((uint32_t)TCPOPT_NOP << 24 | TCPOPT_WSCALE << 16 | 3u << 8)

static __rte_always_inline uint64_t
put_tcp_opts(uint8_t *o, const struct sf_tcp_reply *r, uint64_t sum)
{
	if (r->mss != 0) {
		sum = put_w32(o, OPTW_MSS | r->mss, sum);
		o += 4;
	}
	if (r->ts_ok) {
		sum = put_w32(o, r->sack_ok ? OPTW_SACKP_TS : OPTW_NOP_TS, sum);
		sum = put_w32(o + 4, r->tsval, sum);
		sum = put_w32(o + 8, r->tsecr, sum);
		o += 12;
	} else if (r->sack_ok) {
		sum = put_w32(o, OPTW_NOP_SACKP, sum);
		o += 4;
	}
	if (r->wscale != SF_WSCALE_NONE)
		sum = put_w32(o, OPTW_NOP_WS | r->wscale, sum);
	return sum;
}

/*
 * IPv4 header, IHL 5, id 0, DF, TTL 64, protocol TCP:
 *
 *   45 00 totlen | 00 00 40 00 | 40 06 cksum | src | dst
 */
#define IP4W_0		((uint32_t)IP4_VER_IHL << 24)
#define IP4W_1		((uint32_t)IP4_DF)
#define IP4W_2		((uint32_t)REPLY_TTL << 24 | (uint32_t)IPPROTO_TCP << 16)
#define IP6W_HDR	((uint32_t)IPPROTO_TCP << 8 | REPLY_TTL)

/*
 * TCP header without checksum and urgent pointer, and the options: returns
 * the sum of the words written.
 */
static __rte_always_inline uint64_t
put_tcp(uint8_t *th, const struct sf_pkt *pkt, const struct sf_tcp_reply *r,
	uint32_t tcp_len)
{
	uint64_t sum;

	memcpy(th + TCP_OFF_SPORT, &pkt->flow.srv_port, sizeof(uint16_t));
	memcpy(th + TCP_OFF_DPORT, &pkt->flow.cli_port, sizeof(uint16_t));
	sum = (uint64_t)pkt->flow.srv_port + pkt->flow.cli_port;
	sum = put_w32(th + TCP_OFF_SEQ, r->seq, sum);
	sum = put_w32(th + TCP_OFF_ACK, (r->flags & SF_TCP_ACK) ? r->ack : 0, sum);
	sum = put_w32(th + TCP_OFF_DOFF, (tcp_len / 4) << 28 |
		      (uint32_t)r->flags << 16 | r->window, sum);
	return put_tcp_opts(th + TCP_HLEN, r, sum);
}

/*
 * The headers of a segment carrying @p plen payload bytes: the lengths, the
 * IPv4 header checksum and the pseudo-header count them; the TCP checksum
 * (without offload) covers the headers only. Returns the header length.
 */
static __rte_always_inline uint16_t
build_tcp(uint8_t *buf, uint16_t cap, const struct sf_pkt *pkt,
	  const struct rte_ether_addr *mac, const struct sf_tcp_reply *r,
	  uint16_t plen, uint32_t tx_offload, uint32_t *ol_out)
{
	const int v6 = pkt->flow.family == SF_AF_INET6;
	const uint32_t l3 = v6 ? IP6_HLEN : IP4_HLEN_MIN;
	const uint32_t tcp_len = TCP_HLEN + tcp_opts_len(r);
	const uint32_t l2 = pkt->l2_len == ETH_VLAN_HLEN ? ETH_VLAN_HLEN : ETH_HLEN;
	const uint32_t total = l2 + l3 + tcp_len;
	const uint32_t seg_len = tcp_len + plen;	/* TCP header + payload */
	uint64_t sum, phdr;
	uint32_t ol = 0;
	uint16_t csum;
	uint8_t *ip, *th;

	*ol_out = 0;
	if (total + plen > cap)
		return 0;

	put_eth(buf, pkt, &pkt->src_mac, mac,
		v6 ? RTE_ETHER_TYPE_IPV6 : RTE_ETHER_TYPE_IPV4);
	ip = buf + l2;
	th = ip + l3;

	/* Pseudo header: our address, the client's, protocol, TCP length. */
	phdr = rte_cpu_to_be_16(IPPROTO_TCP) +
		rte_cpu_to_be_16((uint16_t)seg_len);
	if (v6) {
		put_w32(ip, IP6_VTC_FLOW, 0);
		put_w32(ip + 4, seg_len << 16 | IP6W_HDR, 0);
		memcpy(ip + IP6_OFF_SRC, pkt->flow.srv_addr, IP6_ADDR_LEN);
		memcpy(ip + IP6_OFF_DST, pkt->flow.cli_addr, IP6_ADDR_LEN);
		phdr = sum_addr6(pkt->flow.srv_addr,
				 sum_addr6(pkt->flow.cli_addr, phdr));
	} else {
		uint32_t src = sf_ldr32(pkt->flow.srv_addr);
		uint32_t dst = sf_ldr32(pkt->flow.cli_addr);

		sum = put_w32(ip, IP4W_0 | (IP4_HLEN_MIN + seg_len), 0);
		sum = put_w32(ip + 4, IP4W_1, sum);
		sum = put_w32(ip + 8, IP4W_2, sum);
		memcpy(ip + IP4_OFF_SRC, &src, sizeof(src));
		memcpy(ip + IP4_OFF_DST, &dst, sizeof(dst));
		phdr += (uint64_t)src + dst;
		if (tx_offload & SF_TX_IP_CSUM) {
			ol |= SF_TX_IP_CSUM;
		} else {
			csum = (uint16_t)~sf_csum_fold(sum + src + dst);
			memcpy(ip + IP4_OFF_CSUM, &csum, sizeof(csum));
		}
	}

	/*
	 * TCP header and options; the sum of their words is only needed
	 * without the port's help (the second copy folds away).
	 */
	if (tx_offload & SF_TX_TCP_CSUM) {
		put_tcp(th, pkt, r, tcp_len);
		/* The port completes it: the field holds the pseudo-header sum. */
		csum = sf_csum_fold(phdr);
		ol |= SF_TX_TCP_CSUM;
	} else {
		csum = (uint16_t)~sf_csum_fold(put_tcp(th, pkt, r, tcp_len) + phdr);
	}
	memcpy(th + TCP_OFF_CSUM, &csum, sizeof(csum));
	sf_st16(th + TCP_OFF_URP, 0);
	*ol_out = ol;
	return (uint16_t)total;
}

uint16_t
sf_build_tcp(uint8_t *buf, uint16_t cap, const struct sf_pkt *pkt,
	     const struct rte_ether_addr *mac, const struct sf_tcp_reply *r,
	     uint32_t tx_offload, uint32_t *ol_out)
{
	return build_tcp(buf, cap, pkt, mac, r, 0, tx_offload, ol_out);
}

uint16_t
sf_build_tcp_seg(uint8_t *buf, uint16_t cap, const struct sf_pkt *pkt,
		 const struct rte_ether_addr *mac, const struct sf_tcp_reply *r,
		 uint16_t plen, uint32_t tx_offload, uint32_t *ol_out)
{
	return build_tcp(buf, cap, pkt, mac, r, plen, tx_offload, ol_out);
}

uint16_t
sf_build_arp_reply(uint8_t *frame, uint16_t len, const struct sf_pkt *pkt,
		   const struct rte_ether_addr *mac)
{
	const uint32_t l2 = pkt->l2_len == ETH_VLAN_HLEN ? ETH_VLAN_HLEN : ETH_HLEN;
	struct rte_ether_addr src = *mac;
	uint8_t *ah = frame + l2;

	if (pkt->kind != SF_PKT_ARP_REQUEST || len < l2 + ARP_LEN)
		return 0;
	/* Ethernet: back to the sender; the VLAN tag stays as it is. */
	memcpy(frame, &pkt->src_mac, RTE_ETHER_ADDR_LEN);
	memcpy(frame + RTE_ETHER_ADDR_LEN, &src, RTE_ETHER_ADDR_LEN);
	sf_st16(ah + ARP_OFF_OP, RTE_ARP_OP_REPLY);
	memmove(ah + ARP_OFF_THA, ah + ARP_OFF_SHA, RTE_ETHER_ADDR_LEN);
	memcpy(ah + ARP_OFF_SHA, &src, RTE_ETHER_ADDR_LEN);
	memcpy(ah + ARP_OFF_SPA, pkt->flow.srv_addr, 4);
	memcpy(ah + ARP_OFF_TPA, pkt->flow.cli_addr, 4);
	return len;
}

uint16_t
sf_build_echo_reply(uint8_t *frame, uint16_t len, const struct sf_pkt *pkt,
		    const struct rte_ether_addr *mac)
{
	const uint32_t l2 = pkt->l2_len == ETH_VLAN_HLEN ? ETH_VLAN_HLEN : ETH_HLEN;
	struct rte_ether_addr src = *mac;
	uint8_t *ip = frame + l2;
	uint8_t *ih = ip + pkt->l3_len;
	uint16_t csum;

	if (pkt->kind != SF_PKT_ICMP_ECHO || pkt->frame_len > len ||
	    l2 + pkt->l3_len + pkt->l4_len > pkt->frame_len || pkt->l4_len < 8)
		return 0;
	memcpy(frame, &pkt->src_mac, RTE_ETHER_ADDR_LEN);
	memcpy(frame + RTE_ETHER_ADDR_LEN, &src, RTE_ETHER_ADDR_LEN);

	/*
	 * The ICMP checksum is computed afresh, not patched for the type: a
	 * port that verified the message may leave the received field
	 * unfilled (RTE_MBUF_F_RX_L4_CKSUM_NONE, virtio).
	 */
	sf_st16(ih + ICMP_OFF_CSUM, 0);
	if (pkt->flow.family == SF_AF_INET6) {
		if (pkt->l3_len != IP6_HLEN ||
		    sf_ld16(ip + IP6_OFF_PLEN) != pkt->l4_len)
			return 0;
		ip[IP6_OFF_HLIM] = REPLY_TTL;
		memcpy(ip + IP6_OFF_SRC, pkt->flow.srv_addr, IP6_ADDR_LEN);
		memcpy(ip + IP6_OFF_DST, pkt->flow.cli_addr, IP6_ADDR_LEN);
		ih[0] = ICMP6_ECHO_REPLY;
		csum = rte_ipv6_udptcp_cksum(
			(const struct rte_ipv6_hdr *)(const void *)ip, ih);
	} else {
		if (pkt->l3_len < IP4_HLEN_MIN)
			return 0;
		ip[IP4_OFF_TTL] = REPLY_TTL;
		memcpy(ip + IP4_OFF_SRC, pkt->flow.srv_addr, 4);
		memcpy(ip + IP4_OFF_DST, pkt->flow.cli_addr, 4);
		sf_st16(ip + IP4_OFF_CSUM, 0);
		csum = rte_ipv4_cksum((const struct rte_ipv4_hdr *)(const void *)ip);
		memcpy(ip + IP4_OFF_CSUM, &csum, sizeof(csum));
		ih[0] = ICMP_ECHO_REPLY;
		csum = (uint16_t)~rte_raw_cksum(ih, pkt->l4_len);
	}
	memcpy(ih + ICMP_OFF_CSUM, &csum, sizeof(csum));
	return pkt->frame_len;
}

/* ff02::1, all-nodes, and its Ethernet group address 33:33:00:00:00:01. */
static const uint8_t ip6_all_nodes[IP6_ADDR_LEN] = {
	0xff, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x01
};
static const struct rte_ether_addr eth_all_nodes = {
	.addr_bytes = { 0x33, 0x33, 0, 0, 0, 0x01 }
};

uint16_t
sf_build_na(uint8_t *buf, uint16_t cap, const struct sf_pkt *pkt,
	    const struct rte_ether_addr *mac)
{
	static const uint8_t zero[IP6_ADDR_LEN];
	const uint32_t l2 = pkt->l2_len == ETH_VLAN_HLEN ? ETH_VLAN_HLEN : ETH_HLEN;
	const uint32_t total = l2 + IP6_HLEN + NA_LEN;
	const int dad = memcmp(pkt->flow.cli_addr, zero, IP6_ADDR_LEN) == 0;
	struct rte_ether_addr src = *mac;
	uint8_t *ip, *ih;
	uint16_t csum;

	if (pkt->kind != SF_PKT_ND_NS || total > cap)
		return 0;
	put_eth(buf, pkt, dad ? &eth_all_nodes : &pkt->src_mac, &src,
		RTE_ETHER_TYPE_IPV6);
	ip = buf + l2;
	ih = ip + IP6_HLEN;
	put_ip6(ip, NA_LEN, IPPROTO_ICMPV6, ND_HOP_LIMIT, pkt->flow.srv_addr,
		dad ? ip6_all_nodes : pkt->flow.cli_addr);
	ih[0] = ICMP6_ND_NA;
	ih[1] = 0;
	sf_st16(ih + ICMP_OFF_CSUM, 0);
	sf_st32(ih + NA_OFF_FLAGS, 0);
	ih[NA_OFF_FLAGS] = dad ? NA_FLAG_O : (NA_FLAG_S | NA_FLAG_O);
	memcpy(ih + NA_OFF_TARGET, pkt->flow.srv_addr, IP6_ADDR_LEN);
	ih[NA_OFF_OPT] = ND_OPT_TLL;
	ih[NA_OFF_OPT + 1] = 1;
	memcpy(ih + NA_OFF_OPT + 2, &src, RTE_ETHER_ADDR_LEN);
	csum = rte_ipv6_udptcp_cksum((const struct rte_ipv6_hdr *)(const void *)ip, ih);
	memcpy(ih + ICMP_OFF_CSUM, &csum, sizeof(csum));
	return (uint16_t)total;
}
