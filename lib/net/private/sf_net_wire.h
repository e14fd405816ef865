/* SPDX-License-Identifier: BSD-3-Clause */

#ifndef SF_NET_WIRE_H
#define SF_NET_WIRE_H

/**
 * @file
 * Private to lib/net: the header layouts the parser and the builders
 * share, loads and stores of their fields at any alignment, and the
 * checksum fold.
 * ld / st convert between network and host order; ldr / str move raw
 * (memory order) words, as checksums and address copies want them.
 */

#include <stdint.h>
#include <string.h>

#include <rte_byteorder.h>

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
#define ARP_OFF_SHA	8
#define ARP_OFF_SPA	14
#define ARP_OFF_THA	18
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
#define IP4_OFF_CSUM	10
#define IP4_OFF_SRC	12
#define IP4_OFF_DST	16
#define IP4_FRAG_MASK	0x3fff		/* MF flag + fragment offset */
#define IP4_VER_IHL	0x45		/* version 4, IHL 5 */
#define IP4_DF		0x4000		/* don't fragment */

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
#define IP6_VTC_FLOW	0x60000000	/* version 6, traffic class 0, flow label 0 */

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
#define TCP_OFF_CSUM	16
#define TCP_OFF_URP	18
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
#define ICMP_OFF_CSUM	2
#define ICMP_ECHO_REPLY	0
#define ICMP6_ECHO_REPLY 129
#define ICMP6_ND_NA	136

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

/*
 * Neighbour advertisement (RFC 4861 4.4), with the target link-layer
 * address option:
 *
 *   0      1      2       4                 8        24     25    26    32
 *   | 136  | 0    | cksum | R S O reserved  | target | 2    | 1   | MAC |
 */
#define NA_LEN		32
#define NA_OFF_FLAGS	4
#define NA_OFF_TARGET	8
#define NA_OFF_OPT	24
#define NA_FLAG_S	0x40
#define NA_FLAG_O	0x20
#define ND_OPT_TLL	2

/** Big-endian 16-bit field at p, in host order. */
static inline uint16_t
sf_ld16(const uint8_t *p)
{
	uint16_t v;

	memcpy(&v, p, sizeof(v));
	return rte_be_to_cpu_16(v);
}

/** Big-endian 32-bit field at p, in host order. */
static inline uint32_t
sf_ld32(const uint8_t *p)
{
	uint32_t v;

	memcpy(&v, p, sizeof(v));
	return rte_be_to_cpu_32(v);
}

/** Big-endian 64-bit field at p, in host order. */
static inline uint64_t
sf_ld64(const uint8_t *p)
{
	uint64_t v;

	memcpy(&v, p, sizeof(v));
	return rte_be_to_cpu_64(v);
}

/** Raw 32-bit word at p (memory order). */
static inline uint32_t
sf_ldr32(const uint8_t *p)
{
	uint32_t v;

	memcpy(&v, p, sizeof(v));
	return v;
}

/** Raw 64-bit word at p (memory order). */
static inline uint64_t
sf_ldr64(const uint8_t *p)
{
	uint64_t v;

	memcpy(&v, p, sizeof(v));
	return v;
}

/** Store a host-order value as a big-endian 16-bit field. */
static inline void
sf_st16(uint8_t *p, uint16_t host)
{
	uint16_t v = rte_cpu_to_be_16(host);

	memcpy(p, &v, sizeof(v));
}

/** Store a host-order value as a big-endian 32-bit field. */
static inline void
sf_st32(uint8_t *p, uint32_t host)
{
	uint32_t v = rte_cpu_to_be_32(host);

	memcpy(p, &v, sizeof(v));
}

/** Store a raw 64-bit word (memory order). */
static inline void
sf_str64(void *p, uint64_t v)
{
	memcpy(p, &v, sizeof(v));
}

/**
 * End-around-carry fold of a 64-bit ones' complement sum to 16 bits (not
 * inverted). Adding a value to itself rotated by half its width leaves,
 * in the upper half, the sum of both halves with the carry of the lower
 * half added back in. A sum that verifies folds to 0xffff.
 */
static inline uint16_t
sf_csum_fold(uint64_t s)
{
	uint32_t t;

	t = (uint32_t)((s + (s >> 32 | s << 32)) >> 32);
	return (uint16_t)((t + (t >> 16 | t << 16)) >> 16);
}

#endif /* SF_NET_WIRE_H */
