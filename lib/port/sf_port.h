/* SPDX-License-Identifier: BSD-3-Clause */

#ifndef SF_PORT_H
#define SF_PORT_H

/**
 * @file
 * Ethdev setup: queues, RSS with a random symmetric key where the PMD
 * offers it, checksum offloads where offered, MTU, start; and what the
 * port really receives in one mbuf (which caps the MSS we advertise).
 * Works with any PMD.
 */

#include <stdbool.h>
#include <stdint.h>

#include <rte_ether.h>
#include <rte_mempool.h>

#ifdef __cplusplus
extern "C" {
#endif

/**
 * Per-lcore cache size of the mbuf pool: give it to
 * rte_pktmbuf_pool_create(); sf_port_pool_size() counts it.
 */
#define SF_PORT_POOL_CACHE	256

/** Longest RSS key we can hold (dev_info.hash_key_size is 8 bits). */
#define SF_PORT_RSS_KEY_MAX	255
/** RSS key length used when the PMD reports none. */
#define SF_PORT_RSS_KEY_DEFAULT	40
/**
 * Layer 2 bytes a received frame may carry around its IP packet: Ethernet
 * and one 802.1Q tag (the parser accepts one).
 */
#define SF_PORT_L2_MAX		(RTE_ETHER_HDR_LEN + RTE_VLAN_HLEN)
/**
 * Headroom XDP keeps in front of a frame (XDP_PACKET_HEADROOM): net_af_xdp
 * receives into the mbuf's data room behind RTE_PKTMBUF_HEADROOM and this.
 */
#define SF_PORT_XDP_HEADROOM	256

/** What to set up. */
struct sf_port_conf {
	uint16_t port_id;		/**< ethdev port */
	uint16_t n_queues;		/**< RX/TX queue pairs, one per worker */
	uint16_t rx_desc;		/**< RX ring size (adjusted to the PMD) */
	uint16_t tx_desc;		/**< TX ring size (adjusted to the PMD) */
	uint16_t mtu;			/**< 0: keep the port's */
	bool promiscuous;		/**< enable promiscuous mode */
	struct rte_mempool *pool;	/**< RX mempool */
	/**
	 * Multicast MACs to receive: the solicited-node groups of the IPv6
	 * VIPs (neighbour solicitations are sent there). Set as the port's
	 * multicast list; where the PMD has none, all-multicast is enabled.
	 */
	const struct rte_ether_addr *mc_addrs;
	uint32_t n_mc;			/**< entries in mc_addrs */
};

/** What the port turned out to offer. */
struct sf_port_info {
	uint16_t port_id;		/**< ethdev port */
	struct rte_ether_addr mac;	/**< its MAC */
	uint16_t mtu;			/**< its MTU */
	/** Largest frame it delivers in one mbuf (sf_port_rx_frame_max()). */
	uint16_t rx_frame_max;
	/**
	 * Largest IP packet it delivers in one mbuf, even behind a VLAN tag:
	 * rx_frame_max - SF_PORT_L2_MAX. Caps the MSS we advertise.
	 */
	uint16_t rx_ip_max;
	uint32_t rx_flags;		/**< SF_RX_* checksum checks it does */
	uint32_t tx_offload;		/**< SF_TX_* it offers (enabled) */
	bool rss;			/**< symmetric RSS enabled */
	const char *multicast;		/**< "none", "list", "all" or "unsupported" */
	char driver[32];		/**< driver name */
	/**
	 * The RSS key given to the PMD (it may read it again at start, so it
	 * lives here, with the caller's info). Secret: never print it.
	 */
	uint8_t rss_key[SF_PORT_RSS_KEY_MAX];
	uint8_t rss_key_len;		/**< bytes of rss_key in use, 0: none */
};

/** What bounds the frames a port delivers in one mbuf (all in bytes). */
struct sf_port_rx_limits {
	uint32_t max_rx_pktlen;	/**< dev_info.max_rx_pktlen, 0: none given */
	uint16_t max_mtu;	/**< dev_info.max_mtu, UINT16_MAX: none given */
	uint16_t mtu;		/**< the MTU in force on the port */
	uint16_t data_room;	/**< rte_pktmbuf_data_room_size() of the RX pool */
	uint16_t pmd_headroom;	/**< kept by the PMD beyond RTE_PKTMBUF_HEADROOM */
};

/**
 * Configure and start a port.
 *
 * @param conf    what to set up
 * @param info    receives what the port offers
 * @param err     receives a one-line reason on failure
 * @param errlen  size of @p err
 * @return 0, or a negative errno (-ENODEV no such port, -EINVAL too few
 *   queues, or the ethdev call's error).
 */
int
sf_port_setup(const struct sf_port_conf *conf, struct sf_port_info *info,
	      char *err, size_t errlen);

/**
 * The largest frame a port delivers in one mbuf: scattered (multi-segment)
 * frames are dropped, so a frame must fit one buffer.
 *
 * Two bounds: the buffer, data_room - RTE_PKTMBUF_HEADROOM - pmd_headroom
 * (net_af_xdp: SF_PORT_XDP_HEADROOM); and the IP packet the port takes,
 * the smallest of mtu and max_mtu (or, when the PMD gives no max_mtu,
 * max_rx_pktlen less Ethernet header and CRC, as ethdev reckons it), plus
 * SF_PORT_L2_MAX.
 *
 * @param l  the port's figures
 * @return the frame length, 0 when not even SF_PORT_L2_MAX fits.
 */
uint16_t
sf_port_rx_frame_max(const struct sf_port_rx_limits *l);

/**
 * Fill a symmetric Toeplitz RSS key: a 16-bit pattern repeated, so that
 * hash(a, b, pa, pb) == hash(b, a, pb, pa) and both directions of a flow
 * land on one queue (Woo and Park, "Scalable TCP Session Monitoring with
 * Symmetric RSS"). The pattern is @p seed made of odd weight (its lowest
 * bit flipped when needed): then the hash is a one-to-one function of the
 * XOR of the tuple's 16-bit words, and every queue is reachable (an even
 * weight would leave 2^k hash values unused; 0x0000 or 0xffff, one).
 *
 * Limit of any 16-bit-periodic key: the hash depends only on that XOR, so
 * an attacker can still put flows in groups that share a queue without
 * knowing the key; with a random pattern it cannot know which queue.
 *
 * @param key   receives @p len bytes
 * @param len   key length (dev_info.hash_key_size)
 * @param seed  16 random bits
 * @return the pattern used (nonzero, odd weight).
 */
uint16_t
sf_port_rss_key_fill(uint8_t *key, unsigned int len, uint16_t seed);

/**
 * The Ethernet group of the solicited-node multicast address of an IPv6
 * address (RFC 4291 2.7.1, RFC 2464 7): 33:33:ff:a[13]:a[14]:a[15].
 *
 * @param addr6  16-byte IPv6 address
 * @param mac    receives the MAC
 */
void
sf_port_solicited_mac(const uint8_t *addr6, struct rte_ether_addr *mac);

/**
 * Stop and close a port (errors ignored: used at exit).
 *
 * @param port_id  ethdev port
 */
void
sf_port_close(uint16_t port_id);

/**
 * Mbufs needed for @p n_ports ports of @p n_queues queue pairs: RX and TX
 * rings, bursts in flight, and DATA mbufs that may sit in handoff rings.
 *
 * @param n_ports   ports
 * @param n_queues  queue pairs per port (one per worker)
 * @param rx_desc   RX ring size
 * @param tx_desc   TX ring size
 * @param ring_size handoff ring size (one ring per worker)
 * @return the mempool size.
 */
uint32_t
sf_port_pool_size(uint16_t n_ports, uint16_t n_queues, uint16_t rx_desc,
		  uint16_t tx_desc, uint32_t ring_size);

#ifdef __cplusplus
}
#endif

#endif /* SF_PORT_H */
