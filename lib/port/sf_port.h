/* SPDX-License-Identifier: BSD-3-Clause */

#ifndef SF_PORT_H
#define SF_PORT_H

/**
 * @file
 * Ethdev setup: queues, RSS with a symmetric key where the PMD offers it,
 * checksum offloads where offered, MTU, start. Works with any PMD.
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
	uint32_t rx_flags;		/**< SF_RX_* checksum checks it does */
	uint32_t tx_offload;		/**< SF_TX_* it offers (enabled) */
	bool rss;			/**< symmetric RSS enabled */
	const char *multicast;		/**< "none", "list", "all" or "unsupported" */
	char driver[32];		/**< driver name */
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
