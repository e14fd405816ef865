/* SPDX-License-Identifier: BSD-3-Clause */

#ifndef SF_NET_H
#define SF_NET_H

/**
 * @file
 * Wire formats: parse a received frame, build replies in place.
 *
 * The functions take a frame pointer and a length, never an mbuf, so the
 * worker, the unit tests, the fuzzers and the benchmarks run the same code.
 * Nothing here allocates, blocks or logs, and nothing reads a byte outside
 * [frame, frame + len) (or [buf, buf + cap) for builders).
 *
 * Byte order: every multi-byte field of struct sf_pkt is in host order,
 * except addresses and ports inside struct sf_flow, which stay in network
 * order (they are the connection-hash key and the cookie message bytes).
 */

#include <stdint.h>

#include <rte_ether.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Address families as stored in struct sf_flow. */
#define SF_AF_INET	4
#define SF_AF_INET6	6

/** Window scale value meaning "option absent". */
#define SF_WSCALE_NONE	0xff
/** Largest window scale shift (RFC 7323 section 2.3). */
#define SF_TCP_WSCALE_MAX	14

/** An address of ours (a VIP): IPv4 or IPv6. */
struct sf_vip {
	uint8_t family;		/**< SF_AF_INET or SF_AF_INET6 */
	uint8_t addr[16];	/**< network order; IPv4 in the first 4 bytes */
};

/** TCP flag bits, as in the TCP header's flag byte. */
#define SF_TCP_FIN	0x01
#define SF_TCP_SYN	0x02
#define SF_TCP_RST	0x04
#define SF_TCP_PSH	0x08
#define SF_TCP_ACK	0x10
#define SF_TCP_URG	0x20
#define SF_TCP_ECE	0x40
#define SF_TCP_CWR	0x80

/** @name Receive flags: the port verified a checksum (skip it in software). */
/**@{*/
#define SF_RX_IP_CSUM_GOOD	(1u << 0)	/**< IPv4 header checksum good */
#define SF_RX_L4_CSUM_GOOD	(1u << 1)	/**< TCP/ICMP checksum good */
/**@}*/

/** @name Transmit offload: in, what the port offers; out, what to request. */
/**@{*/
#define SF_TX_IP_CSUM	(1u << 0)	/**< port fills the IPv4 header checksum */
#define SF_TX_TCP_CSUM	(1u << 1)	/**< port fills the TCP checksum */
/**@}*/

/**
 * Why a frame was rejected by sf_parse(). Each reason is a counter
 * (sf_net_reason_str() gives its telemetry name). sf_net_reason_malformed()
 * tells which of them count as `malformed`; the others (SF_NET_NOT_HANDLED,
 * SF_NET_IP6_EXTHDR) are well-formed traffic we do not serve.
 */
enum sf_net_reason {
	SF_NET_OK = 0,
	SF_NET_TRUNC_ETH,	/**< shorter than the Ethernet (+802.1Q) header */
	/**
	 * A stacked VLAN tag (a second 802.1Q tag, or an 802.1ad / QinQ
	 * TPID): malformed, as only untagged and single-tagged frames are
	 * ever sent to us. Other ethertypes (LLDP...) are SF_NET_NOT_HANDLED.
	 */
	SF_NET_BAD_ETHERTYPE,
	SF_NET_BAD_ARP,		/**< truncated, or not Ethernet/IPv4 ARP */
	SF_NET_TRUNC_IP,	/**< IPv4/IPv6 header cut by the frame end */
	SF_NET_BAD_IP_VERSION,	/**< version field disagrees with ethertype */
	SF_NET_BAD_IHL,		/**< IPv4 IHL < 5 or beyond the total length */
	SF_NET_BAD_IP_LEN,	/**< IP total/payload length vs frame length */
	SF_NET_BAD_IP_CSUM,	/**< IPv4 header checksum */
	SF_NET_BAD_IP_ADDR,	/**< multicast/broadcast/unspecified source */
	SF_NET_IP_FRAGMENT,	/**< IPv4 MF or offset set, IPv6 fragment header */
	SF_NET_IP6_EXTHDR,	/**< IPv6 extension header (not followed) */
	SF_NET_TRUNC_TCP,	/**< TCP header cut by the IP payload end */
	SF_NET_BAD_DOFF,	/**< data offset < 5 or beyond the IP payload */
	SF_NET_BAD_TCP_OPT,	/**< zero/overrunning length, wrong known length */
	SF_NET_BAD_TCP_PORT,	/**< source or destination port 0 */
	SF_NET_BAD_L4_CSUM,	/**< TCP, ICMP or ICMPv6 checksum */
	SF_NET_BAD_ICMP,	/**< ICMP/ICMPv6 truncated or malformed */
	SF_NET_BAD_ND,		/**< neighbour solicitation malformed (RFC 4861 7.1.1) */
	SF_NET_NOT_HANDLED,	/**< valid, but not a kind we answer (UDP, other ICMP types, ARP reply, non-IP ethertypes such as LLDP...) */
	SF_NET_REASON_MAX
};

/** What a successfully parsed frame is. */
enum sf_pkt_kind {
	SF_PKT_TCP = 1,		/**< TCP segment, IPv4 or IPv6 */
	SF_PKT_ARP_REQUEST,	/**< ARP request (Ethernet/IPv4) */
	SF_PKT_ICMP_ECHO,	/**< ICMP or ICMPv6 echo request */
	SF_PKT_ND_NS,		/**< IPv6 neighbour solicitation */
};

/**
 * A flow as seen from the responder: the client is the sender of the
 * received packet. This is the connection-hash key (40 bytes, no padding
 * holes: zero it before filling) and the source of the cookie message.
 * IPv4 addresses occupy the first 4 bytes of their array, the rest zero.
 */
struct sf_flow {
	uint8_t cli_addr[16];	/**< client (source) address, network order */
	uint8_t srv_addr[16];	/**< our (destination) address, network order */
	uint16_t cli_port;	/**< client port, network order */
	uint16_t srv_port;	/**< our port, network order */
	uint8_t family;		/**< SF_AF_INET or SF_AF_INET6 */
	uint8_t pad[3];		/**< zero */
};

/** TCP options found in a segment. */
/** SACK blocks one option carries at most (RFC 2018 3: 4 in 40 bytes). */
#define SF_TCP_SACK_MAX	4

/** One SACK block as received: bytes [start, end) arrived, host order. */
struct sf_sack_blk {
	uint32_t start;		/**< left edge */
	uint32_t end;		/**< right edge (after the last byte) */
};

struct sf_tcp_opts {
	uint16_t mss;		/**< MSS option value, 0 when absent */
	uint8_t wscale;		/**< shift as sent (not clamped), SF_WSCALE_NONE when absent */
	uint8_t sack_ok;	/**< 1 when SACK-permitted is present */
	uint8_t ts_ok;		/**< 1 when the timestamps option is present */
	uint8_t sack_n;		/**< blocks in sack[] (the first SACK option's) */
	uint8_t pad[2];
	uint32_t tsval;		/**< TSval, host order (valid when ts_ok) */
	uint32_t tsecr;		/**< TSecr, host order (valid when ts_ok) */
	struct sf_sack_blk sack[SF_TCP_SACK_MAX]; /**< the first sack_n are
						   *   the blocks, the rest 0 */
};

/**
 * A parsed frame: everything a reply needs, copied out of the frame so the
 * frame can then be overwritten in place.
 *
 * Per kind, the flow holds:
 *  - TCP: the 4/6-tuple (client = source).
 *  - ICMP_ECHO: cli_addr = source, srv_addr = destination, ports 0.
 *  - ARP_REQUEST: family SF_AF_INET, cli_addr = sender IP, srv_addr = target IP.
 *  - ND_NS: family SF_AF_INET6, cli_addr = source (may be ::), srv_addr = target address.
 */
struct sf_pkt {
	uint8_t kind;		/**< enum sf_pkt_kind */
	uint8_t l2_len;		/**< 14, or 18 with an 802.1Q tag */
	uint8_t tcp_flags;	/**< TCP flag byte (SF_TCP_*) */
	uint8_t hop_limit;	/**< received IPv4 TTL / IPv6 hop limit */
	uint16_t vlan_tci;	/**< host order, valid when l2_len == 18 */
	uint16_t l3_len;	/**< IP header length as received (IPv4 with options) */
	uint16_t l4_len;	/**< TCP header length (doff * 4), or ICMP message length */
	uint16_t payload_off;	/**< TCP payload (ICMP: echo data) offset from the frame start */
	uint16_t payload_len;	/**< TCP payload (ICMP: echo data) length, from the IP length */
	uint16_t window;	/**< TCP window field, unscaled */
	uint32_t seq;		/**< TCP sequence number */
	uint32_t ack;		/**< TCP acknowledgement number */
	uint16_t frame_len;	/**< bytes that belong to the packet (no Ethernet padding) */
	uint8_t nd_has_sll;	/**< ND_NS: source link-layer address option present */
	uint8_t pad;
	struct rte_ether_addr src_mac;	/**< Ethernet source (ND_NS: SLL option if present) */
	struct rte_ether_addr dst_mac;	/**< Ethernet destination */
	struct sf_flow flow;	/**< see above */
	struct sf_tcp_opts opts;	/**< TCP options (TCP only) */
};

/**
 * Parse one Ethernet frame.
 *
 * Accepts Ethernet with at most one 802.1Q tag; ARP; IPv4 (checks version,
 * IHL, total length against the frame, header checksum unless
 * SF_RX_IP_CSUM_GOOD, rejects fragments); IPv6 (rejects any extension header);
 * ICMP/ICMPv6 echo requests; IPv6 neighbour solicitations; TCP (data
 * offset, options, checksum unless SF_RX_L4_CSUM_GOOD). The IPv6 source ::
 * is rejected for TCP and echo requests, allowed in solicitations (DAD);
 * other ICMPv6 types are SF_NET_NOT_HANDLED whatever their source.
 * Frames whose IP length would make frame_len exceed 65535 are
 * SF_NET_BAD_IP_LEN.
 *
 * @param frame   first byte of the Ethernet header
 * @param len     bytes available at frame (may include Ethernet padding)
 * @param rx_flags SF_RX_* flags from the port
 * @param pkt     filled on success; contents unspecified on failure
 * @return SF_NET_OK, or the reason the frame must be dropped.
 */
enum sf_net_reason
sf_parse(const uint8_t *frame, uint32_t len, uint32_t rx_flags,
	 struct sf_pkt *pkt);

/**
 * Parse a TCP option list.
 *
 * @param opt  first option byte (after the 20-byte header)
 * @param len  option bytes (doff * 4 - 20)
 * @param out  filled with the options found (absent ones as documented)
 * @return 0, or -1 when the list is malformed (zero or overrunning length,
 *   a known option with the wrong length).
 */
int
sf_tcp_opts_parse(const uint8_t *opt, uint32_t len, struct sf_tcp_opts *out);

/**
 * Whether a reject is a malformed frame, as opposed to well-formed traffic
 * synfront does not serve (UDP, other ICMP types, an IPv6 extension header
 * such as MLD's hop-by-hop options).
 *
 * @param reason  a reason other than SF_NET_OK
 * @return 1 for malformed, 0 for not handled.
 */
static inline int
sf_net_reason_malformed(enum sf_net_reason reason)
{
	return reason != SF_NET_NOT_HANDLED && reason != SF_NET_IP6_EXTHDR;
}

/**
 * Whether a parsed frame is addressed to us at layer 2. Only these are
 * answered, so that on a flooding switch one instance never answers (nor
 * resets) what was sent to another:
 *  - any kind, unicast to our MAC;
 *  - an ARP request to the broadcast address;
 *  - a neighbour solicitation to the Ethernet group of its target's
 *    solicited-node address, 33:33:ff + the target's last 24 bits.
 * Anything else, TCP or echo requests to broadcast or multicast included,
 * is not (counted as not_our_mac).
 *
 * @param pkt  a frame sf_parse() accepted
 * @param mac  our MAC on the port it came in on
 * @return 1 when addressed to us, 0 otherwise.
 */
static inline int
sf_net_l2_for_us(const struct sf_pkt *pkt, const struct rte_ether_addr *mac)
{
	const uint8_t *d = pkt->dst_mac.addr_bytes;
	const uint8_t *t = pkt->flow.srv_addr;

	if (rte_is_same_ether_addr(&pkt->dst_mac, mac))
		return 1;
	if (pkt->kind == SF_PKT_ARP_REQUEST)
		return rte_is_broadcast_ether_addr(&pkt->dst_mac);
	if (pkt->kind == SF_PKT_ND_NS)
		return d[0] == 0x33 && d[1] == 0x33 && d[2] == 0xff &&
			d[3] == t[13] && d[4] == t[14] && d[5] == t[15];
	return 0;
}

/**
 * Telemetry/counter name of a reason.
 *
 * @param reason  a parse result
 * @return its name ("bad_ip_csum", ...), never NULL (out of range:
 *   "unknown").
 */
const char *
sf_net_reason_str(enum sf_net_reason reason);

/**
 * A TCP segment to send back to the sender of a parsed TCP packet.
 * Options are written in Linux's order: MSS, SACK-permitted + timestamps
 * (or NOP NOP timestamps, or NOP NOP SACK-permitted), NOP window scale.
 */
struct sf_tcp_reply {
	uint32_t seq;		/**< our sequence number */
	uint32_t ack;		/**< acknowledgement number (ignored without SF_TCP_ACK) */
	uint16_t window;	/**< window field as sent */
	uint8_t flags;		/**< SF_TCP_* */
	uint8_t wscale;		/**< window scale option, SF_WSCALE_NONE to omit */
	uint16_t mss;		/**< MSS option, 0 to omit */
	uint8_t sack_ok;	/**< write SACK-permitted */
	uint8_t ts_ok;		/**< write timestamps */
	uint32_t tsval;		/**< our TSval (with ts_ok) */
	uint32_t tsecr;		/**< echoed TSecr (with ts_ok) */
};

/**
 * Build a TCP reply to @p pkt into @p buf: Ethernet (destination = the
 * packet's source MAC, source = @p mac, the same VLAN tag), a fresh IP
 * header (IPv4: IHL 5, DF, TTL 64, id 0; IPv6: hop limit 64), the TCP header
 * with options, no payload. @p buf may be the frame @p pkt was parsed from.
 *
 * @param buf     output frame
 * @param cap     bytes writable at buf
 * @param pkt     the parsed TCP packet being answered
 * @param mac     our MAC address
 * @param r       the segment to build
 * @param tx_offload SF_TX_* the port offers; checksums it can do are left
 *                to it (IPv4 header checksum 0, TCP pseudo-header sum)
 * @param ol_out  receives the SF_TX_* flags the mbuf must request
 * @return frame length written, or 0 if it does not fit in cap.
 */
uint16_t
sf_build_tcp(uint8_t *buf, uint16_t cap, const struct sf_pkt *pkt,
	     const struct rte_ether_addr *mac, const struct sf_tcp_reply *r,
	     uint32_t tx_offload, uint32_t *ol_out);

/**
 * Build the headers of a TCP segment carrying @p plen payload bytes, as
 * sf_build_tcp() does, into @p buf; the caller copies the payload right
 * after them (at an even offset from @p buf). The IP lengths, the IPv4
 * header checksum and the TCP pseudo-header count the payload; the TCP
 * checksum, when not left to the port, covers the headers only: the caller
 * adds the payload's sum (rte_raw_cksum()) into it. With @p plen 0 the
 * frame is sf_build_tcp()'s.
 *
 * @param buf     output frame
 * @param cap     bytes writable at buf, payload included
 * @param pkt     the parsed TCP packet being answered
 * @param mac     our MAC address
 * @param r       the segment to build
 * @param plen    payload bytes that will follow the headers
 * @param tx_offload SF_TX_* the port offers (see sf_build_tcp())
 * @param ol_out  receives the SF_TX_* flags the mbuf must request
 * @return header length written (the payload goes at buf + it), or 0 if
 *   headers and payload do not fit in cap.
 */
uint16_t
sf_build_tcp_seg(uint8_t *buf, uint16_t cap, const struct sf_pkt *pkt,
		 const struct rte_ether_addr *mac, const struct sf_tcp_reply *r,
		 uint16_t plen, uint32_t tx_offload, uint32_t *ol_out);

/**
 * Turn an ARP request, in place, into the reply "srv_addr is at @p mac".
 *
 * @param frame  the frame @p pkt was parsed from
 * @param len    bytes at frame
 * @param pkt    the parsed ARP request
 * @param mac    our MAC address
 * @return frame length (unchanged), 0 if the frame is too short.
 */
uint16_t
sf_build_arp_reply(uint8_t *frame, uint16_t len, const struct sf_pkt *pkt,
		   const struct rte_ether_addr *mac);

/**
 * Turn an ICMP or ICMPv6 echo request, in place, into its echo reply
 * (addresses swapped, TTL/hop limit 64, type changed, checksums updated in
 * software). Ethernet padding is dropped: the returned length is
 * pkt->frame_len.
 *
 * @param frame  the frame @p pkt was parsed from
 * @param len    bytes at frame
 * @param pkt    the parsed echo request
 * @param mac    our MAC address
 * @return frame length, 0 if the frame is too short.
 */
uint16_t
sf_build_echo_reply(uint8_t *frame, uint16_t len, const struct sf_pkt *pkt,
		    const struct rte_ether_addr *mac);

/**
 * Build the neighbour advertisement answering a solicitation for
 * pkt->flow.srv_addr: solicited + override, target link-layer address
 * option = @p mac, hop limit 255, to the solicitation's source (or to
 * ff02::1 without solicited when the source is ::).
 *
 * @param buf  output frame (may be the solicitation's own frame)
 * @param cap  bytes writable at buf
 * @param pkt  the parsed solicitation
 * @param mac  our MAC address
 * @return frame length written, 0 if it does not fit in cap.
 */
uint16_t
sf_build_na(uint8_t *buf, uint16_t cap, const struct sf_pkt *pkt,
	    const struct rte_ether_addr *mac);

#ifdef __cplusplus
}
#endif

#endif /* SF_NET_H */
