/* SPDX-License-Identifier: BSD-3-Clause */

#ifndef FR_FRAME_H
#define FR_FRAME_H

/**
 * @file
 * Test frames: one builder for the unit tests, the fuzzers and the
 * benchmarks.
 *
 * Written independently of lib/net and of DPDK (plain C, RFC 1071
 * checksums the obvious way), so that a bug in the product's parser,
 * builders or checksum code cannot hide in the fixtures that test it.
 *
 * A frame is described by a struct (struct fr_tcp, fr_echo, fr_ns,
 * fr_arp), filled by its fr_*_init() with the test network's defaults and
 * then changed field by field; fr_build_*() writes it into a buffer with
 * every length and checksum right, and says where its headers are.
 *
 * The test network (RFC 2544 / RFC 5180 benchmarking ranges):
 *  - client 198.18.0.1 / 2001:2::1, MAC 02:00:00:00:00:02, port 40000;
 *  - server 198.18.0.2 / 2001:2::2, MAC 02:00:00:00:00:01, port 80.
 *
 * Multi-byte fields of the descriptions are in host order; addresses are
 * byte arrays in network order.
 */

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define FR_MAC_LEN	6	/**< Ethernet address length */
#define FR_IP6_LEN	16	/**< IPv6 address length (IPv4: the first 4 bytes) */
#define FR_TCP_OPT_MAX	40	/**< TCP option bytes at most (data offset 15) */
#define FR_IP_OPT_MAX	40	/**< IPv4 option bytes at most (IHL 15) */
#define FR_WS_NONE	0xff	/**< fr_tcp.ws: no window scale option */
#define FR_IP4_DF	0x4000	/**< fr_ip.frag: don't fragment */
#define FR_IP4_MF	0x2000	/**< fr_ip.frag: more fragments */

/** @name TCP flag bits (the header's flag byte) */
/**@{*/
#define FR_TCP_FIN	0x01
#define FR_TCP_SYN	0x02
#define FR_TCP_RST	0x04
#define FR_TCP_PSH	0x08
#define FR_TCP_ACK	0x10
#define FR_TCP_URG	0x20
#define FR_TCP_ECE	0x40
#define FR_TCP_CWR	0x80
/**@}*/

/** Ethernet header, with at most one 802.1Q tag. */
struct fr_eth {
	uint8_t dst[FR_MAC_LEN];	/**< destination MAC */
	uint8_t src[FR_MAC_LEN];	/**< source MAC */
	uint8_t vlan;		/**< 1: an 802.1Q tag (TPID 0x8100) with tci */
	uint16_t tci;		/**< PCP(3) DEI(1) VID(12), with vlan */
	uint16_t pad_to;	/**< zero bytes appended up to this frame length (Ethernet padding), 0: none */
};

/** IPv4 or IPv6 header. */
struct fr_ip {
	uint8_t v6;		/**< 0: IPv4, 1: IPv6 */
	uint8_t src[FR_IP6_LEN];	/**< source address (IPv4: first 4 bytes) */
	uint8_t dst[FR_IP6_LEN];	/**< destination address */
	uint8_t ttl;		/**< IPv4 TTL / IPv6 hop limit */
	uint8_t tos;		/**< IPv4 TOS / IPv6 traffic class */
	uint16_t id;		/**< IPv4 identification */
	uint16_t frag;		/**< IPv4 flags + fragment offset field (FR_IP4_DF, ...) */
	uint8_t opts_len;	/**< IPv4 option bytes (multiple of 4, at most 40) */
	uint8_t opts[FR_IP_OPT_MAX];	/**< IPv4 options, copied as they are */
};

/**
 * Orders in which fr_build_tcp() writes the options of a struct fr_tcp
 * (each option only when asked for). Lists that do not end on a 4-byte
 * boundary are padded with EOL (0).
 */
enum fr_opt_order {
	/** Linux's (and sf_build_tcp's): MSS; SACK_PERM+TS as 04 02 08 0a,
	 * or NOP NOP TS, or NOP NOP SACK_PERM; NOP WS. A full SYN is 20 bytes. */
	FR_OPTS_LINUX = 0,
	/** Each option on its own 4 bytes: MSS; NOP NOP SACK_PERM;
	 * NOP NOP TS; NOP WS. */
	FR_OPTS_ALIGNED,
	/** Windows' SYN: MSS; NOP WS; NOP NOP SACK_PERM; then NOP NOP TS. */
	FR_OPTS_WINDOWS,
	/** macOS' SYN: MSS; NOP WS; NOP NOP TS; SACK_PERM (EOL-padded). */
	FR_OPTS_MACOS,
	/** No NOPs at all: MSS, WS, SACK_PERM, TS back to back, EOL-padded. */
	FR_OPTS_PACKED,
};

/** A TCP segment. */
struct fr_tcp {
	struct fr_eth eth;	/**< Ethernet */
	struct fr_ip ip;	/**< IPv4/IPv6 (protocol TCP) */
	uint16_t sport;		/**< source port */
	uint16_t dport;		/**< destination port */
	uint32_t seq;		/**< sequence number */
	uint32_t ack;		/**< acknowledgement number */
	uint8_t flags;		/**< FR_TCP_* */
	uint16_t win;		/**< window field */
	uint16_t urp;		/**< urgent pointer */
	uint8_t order;		/**< enum fr_opt_order, for the options below */
	uint16_t mss;		/**< MSS option, 0: none */
	uint8_t ws;		/**< window scale option, FR_WS_NONE: none */
	uint8_t sack_ok;	/**< SACK-permitted option */
	uint8_t ts;		/**< timestamps option with tsval, tsecr */
	uint32_t tsval;		/**< TSval */
	uint32_t tsecr;		/**< TSecr */
	const uint8_t *opts_raw;	/**< non-NULL: these option bytes (EOL-padded to 4), instead of the options above */
	uint8_t opts_raw_len;	/**< bytes at opts_raw, at most 40 */
	const uint8_t *payload;	/**< payload; NULL: "abc...z" repeated */
	uint16_t payload_len;	/**< payload bytes */
};

/** An ICMP (IPv4) or ICMPv6 echo request. */
struct fr_echo {
	struct fr_eth eth;	/**< Ethernet */
	struct fr_ip ip;	/**< IPv4 (protocol ICMP) / IPv6 (ICMPv6) */
	uint16_t id;		/**< echo identifier */
	uint16_t seq;		/**< echo sequence number */
	const uint8_t *data;	/**< echo data; NULL: bytes 0, 1, 2, ... */
	uint16_t data_len;	/**< echo data bytes */
};

/** An IPv6 neighbour solicitation (RFC 4861 4.3). */
struct fr_ns {
	struct fr_eth eth;	/**< Ethernet */
	struct fr_ip ip;	/**< IPv6 (v6 is forced to 1) */
	uint8_t target[FR_IP6_LEN];	/**< target address */
	uint8_t sll;		/**< 1: a source link-layer address option with sll_mac */
	uint8_t sll_mac[FR_MAC_LEN];	/**< its address */
	const uint8_t *opts;	/**< further option bytes, after the SLL option, as they are */
	uint16_t opts_len;	/**< bytes at opts */
};

/** An ARP packet, Ethernet/IPv4. */
struct fr_arp {
	struct fr_eth eth;	/**< Ethernet */
	uint16_t op;		/**< 1 request, 2 reply */
	uint8_t sha[FR_MAC_LEN];	/**< sender hardware address */
	uint8_t spa[4];		/**< sender protocol address */
	uint8_t tha[FR_MAC_LEN];	/**< target hardware address */
	uint8_t tpa[4];		/**< target protocol address */
};

/** Where a builder put the headers of the frame it wrote. */
struct fr_hdrs {
	uint32_t len;		/**< frame length, Ethernet padding included */
	uint32_t pkt_len;	/**< bytes of the packet proper (len without padding) */
	uint32_t l3;		/**< IPv4/IPv6/ARP header offset (14, or 18 with a tag) */
	uint32_t l4;		/**< TCP/ICMP header offset (ARP: the end of ARP) */
	uint32_t data;		/**< TCP payload, echo data or ND options offset */
	uint8_t v6;		/**< the frame is IPv6 */
};

/**
 * Fill @p e with the test network's Ethernet header, client to server:
 * destination 02:00:00:00:00:01, source 02:00:00:00:00:02, no tag, no
 * padding.
 *
 * @param e  the header description
 */
void
fr_eth_init(struct fr_eth *e);

/**
 * Fill @p ip with a client-to-server IP header: 198.18.0.1 -> 198.18.0.2
 * (IPv4: DF, id 1, TTL 64, no options) or 2001:2::1 -> 2001:2::2 (hop
 * limit 64), TOS / traffic class 0.
 *
 * @param ip  the header description
 * @param v6  0: IPv4, 1: IPv6
 */
void
fr_ip_init(struct fr_ip *ip, int v6);

/**
 * Set the addresses of @p ip from their text form (inet_pton()), and the
 * family from theirs.
 *
 * @param ip   the header description
 * @param src  source address, e.g. "198.18.0.1" or "2001:2::1"
 * @param dst  destination address, of the same family
 * @return 0, or -1 (not an address, or the two families differ; @p ip
 *   unchanged).
 */
int
fr_ip_addrs(struct fr_ip *ip, const char *src, const char *dst);

/**
 * Fill @p t with a client-to-server segment of the test network (see
 * fr_eth_init(), fr_ip_init()): ports 40000 -> 80, window 64240, flags,
 * seq and ack 0, no options (Linux order when some are set), no payload.
 *
 * @param t   the segment description
 * @param v6  0: IPv4, 1: IPv6
 */
void
fr_tcp_init(struct fr_tcp *t, int v6);

/**
 * Write the options of @p t (the list fr_build_tcp() writes, padding
 * included).
 *
 * @param out  at least FR_TCP_OPT_MAX bytes
 * @param t    the segment description
 * @return option bytes written (a multiple of 4), or -1 if they exceed
 *   FR_TCP_OPT_MAX.
 */
int
fr_tcp_opts(uint8_t *out, const struct fr_tcp *t);

/**
 * Write the TCP segment @p t as an Ethernet frame: IPv4 header checksum and
 * TCP checksum computed, lengths and data offset from the contents.
 *
 * @param buf  output
 * @param cap  bytes writable at buf
 * @param t    the segment description
 * @param h    receives the header offsets; may be NULL
 * @return frame length, or 0 if it does not fit in @p cap (or in 64 KiB)
 *   or the description is invalid (options over 40 bytes, an unknown
 *   order, IPv4 options over 40 bytes or not a multiple of 4).
 */
size_t
fr_build_tcp(uint8_t *buf, size_t cap, const struct fr_tcp *t,
	     struct fr_hdrs *h);

/**
 * Fill @p e with an echo request of the test network, client to server:
 * identifier 0x1234, sequence 7, no data.
 *
 * @param e   the echo request description
 * @param v6  0: ICMP, 1: ICMPv6
 */
void
fr_echo_init(struct fr_echo *e, int v6);

/**
 * Write the echo request @p e as an Ethernet frame, checksums computed.
 *
 * @param buf  output
 * @param cap  bytes writable at buf
 * @param e    the echo request description
 * @param h    receives the header offsets; may be NULL
 * @return frame length, or 0 if it does not fit in @p cap (or in 64 KiB)
 *   or the IPv4 options are invalid (as for fr_build_tcp()).
 */
size_t
fr_build_echo(uint8_t *buf, size_t cap, const struct fr_echo *e,
	      struct fr_hdrs *h);

/**
 * Fill @p n with a solicitation from 2001:2::1 for 2001:2::2, to its
 * solicited-node group ff02::1:ff00:2, hop limit 255, no options; Ethernet
 * as fr_eth_init().
 *
 * @param n  the solicitation description
 */
void
fr_ns_init(struct fr_ns *n);

/**
 * Write the neighbour solicitation @p n as an Ethernet frame, ICMPv6
 * checksum computed.
 *
 * @param buf  output
 * @param cap  bytes writable at buf
 * @param n    the solicitation description
 * @param h    receives the header offsets; may be NULL
 * @return frame length, or 0 if it does not fit in @p cap (or in 64 KiB).
 */
size_t
fr_build_ns(uint8_t *buf, size_t cap, const struct fr_ns *n,
	    struct fr_hdrs *h);

/**
 * Fill @p a with the client's ARP request for the server's address:
 * broadcast from 02:00:00:00:00:02, "who has 198.18.0.2, tell 198.18.0.1",
 * target hardware address zero, no padding.
 *
 * @param a  the ARP description
 */
void
fr_arp_init(struct fr_arp *a);

/**
 * Write the ARP packet @p a as an Ethernet frame.
 *
 * @param buf  output
 * @param cap  bytes writable at buf
 * @param a    the ARP description
 * @param h    receives the header offsets (l4 = data = the end of the
 *             ARP body); may be NULL
 * @return frame length, or 0 if it does not fit in @p cap.
 */
size_t
fr_build_arp(uint8_t *buf, size_t cap, const struct fr_arp *a,
	     struct fr_hdrs *h);

/**
 * Recompute, in place, the IPv4 header checksum and the TCP, ICMP or
 * ICMPv6 checksum from the header fields as they are now (after a test
 * changed some), where they are sane enough to do so: the IHL, the IP
 * length and the checksum field must lie within @p len; other protocols
 * are left alone.
 *
 * @param frame  the frame
 * @param len    its length
 * @param l3     IP header offset
 * @param v6     the IP header is IPv6
 */
void
fr_fix_csums(uint8_t *frame, uint32_t len, uint32_t l3, int v6);

/**
 * Whether the IPv4 header checksum (IPv4) and the TCP/ICMP/ICMPv6
 * checksum of a frame verify, lengths taken from the IP header.
 *
 * @param frame  the frame
 * @param l3     IP header offset
 * @param v6     the IP header is IPv6
 * @return 1 if they do, 0 if not.
 */
int
fr_csums_ok(const uint8_t *frame, uint32_t l3, int v6);

/**
 * RFC 1071 sum of the big-endian 16-bit words of [p, p + len) (an odd last
 * byte is the high half of a zero-padded word), added to @p sum. Not
 * folded: fine for up to 64 KiB of words on top of a pseudo-header.
 *
 * @param p    first byte
 * @param len  bytes
 * @param sum  sum so far (0, or a pseudo-header sum)
 * @return the new sum.
 */
uint32_t
fr_sum16(const uint8_t *p, size_t len, uint32_t sum);

/**
 * Fold a fr_sum16() sum to 16 bits with end-around carries, not inverted:
 * a region that verifies folds to 0xffff, and the checksum field to write
 * is the complement (uint16_t)~fr_fold(sum).
 *
 * @param sum  a sum
 * @return the folded sum.
 */
uint16_t
fr_fold(uint32_t sum);

/**
 * Pseudo-header sum (RFC 9293 3.1, RFC 8200 8.1) of the IP header at
 * @p ip for @p l4_len bytes of protocol @p proto.
 *
 * @param ip      IPv4 or IPv6 header
 * @param v6      the header is IPv6
 * @param proto   protocol number (6, 58)
 * @param l4_len  upper-layer length
 * @return the sum, to pass to fr_sum16() over the L4 bytes.
 */
uint32_t
fr_phdr_sum(const uint8_t *ip, int v6, uint8_t proto, uint32_t l4_len);

/**
 * Load a big-endian 16-bit field.
 *
 * @param p  its first byte
 * @return the value.
 */
uint16_t
fr_get16(const uint8_t *p);

/**
 * Load a big-endian 32-bit field.
 *
 * @param p  its first byte
 * @return the value.
 */
uint32_t
fr_get32(const uint8_t *p);

/**
 * Store @p v big-endian at @p p.
 *
 * @param p  first byte of the field
 * @param v  value
 */
void
fr_put16(uint8_t *p, uint16_t v);

/**
 * Store @p v big-endian at @p p.
 *
 * @param p  first byte of the field
 * @param v  value
 */
void
fr_put32(uint8_t *p, uint32_t v);

#ifdef __cplusplus
}
#endif

#endif /* FR_FRAME_H */
