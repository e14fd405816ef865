/* SPDX-License-Identifier: BSD-3-Clause */

/*
 * Ethdev setup for any PMD: one RX/TX queue pair per worker, symmetric RSS
 * over TCP/IPv4 and TCP/IPv6 where the PMD offers it (a random key drawn
 * per port at start), checksum offloads where offered (the responder
 * computes in software what is not), and the largest frame it delivers in
 * one mbuf.
 */

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <rte_ethdev.h>
#include <rte_random.h>

#include "sf_net.h"
#include "sf_port.h"

#define SF_PORT_BURST_SLACK	64	/* mbufs a worker holds per port in flight */
#define SF_PORT_POOL_SLACK	1024
#define SF_PORT_IP_MIN		576	/* RFC 791: every host takes 576 bytes */

#define SF_RSS_HF	(RTE_ETH_RSS_NONFRAG_IPV4_TCP | \
			 RTE_ETH_RSS_NONFRAG_IPV6_TCP | \
			 RTE_ETH_RSS_IPV4 | RTE_ETH_RSS_IPV6)

static int
fail(char *err, size_t errlen, int ret, uint16_t port_id, const char *what)
{
	snprintf(err, errlen, "port %u: %s: %s", port_id, what,
		 strerror(-ret));
	return ret;
}

uint16_t
sf_port_rss_key_fill(uint8_t *key, unsigned int len, uint16_t seed)
{
	uint16_t pat = seed;
	unsigned int i;

	/* Odd weight: x + 1 does not divide the pattern's polynomial, so the
	 * key's 16 rotations are independent over GF(2) (full rank). */
	if ((__builtin_popcount(pat) & 1) == 0)
		pat ^= 1;
	for (i = 0; i < len; i++)
		key[i] = (uint8_t)(i % 2 == 0 ? pat >> 8 : pat);
	return pat;
}

uint16_t
sf_port_rx_frame_max(const struct sf_port_rx_limits *l)
{
	uint32_t ip = l->mtu, buf;

	if (l->max_mtu != UINT16_MAX && l->max_mtu != 0)
		ip = RTE_MIN(ip, (uint32_t)l->max_mtu);
	else if (l->max_rx_pktlen != 0)
		ip = RTE_MIN(ip, l->max_rx_pktlen > RTE_ETHER_HDR_LEN +
			     RTE_ETHER_CRC_LEN ? l->max_rx_pktlen -
			     RTE_ETHER_HDR_LEN - RTE_ETHER_CRC_LEN : 0);
	buf = (uint32_t)RTE_PKTMBUF_HEADROOM + l->pmd_headroom;
	buf = l->data_room > buf ? l->data_room - buf : 0;
	buf = RTE_MIN(buf, ip + SF_PORT_L2_MAX);
	buf = RTE_MIN(buf, (uint32_t)UINT16_MAX);
	return buf >= SF_PORT_L2_MAX ? (uint16_t)buf : 0;
}

/*
 * A fresh random symmetric key for the port, of the length the PMD reports
 * (SF_PORT_RSS_KEY_DEFAULT when it reports none), kept in info.
 */
static void
draw_rss_key(const struct rte_eth_dev_info *di, struct sf_port_info *info)
{
	unsigned int len = di->hash_key_size != 0 ?
		di->hash_key_size : SF_PORT_RSS_KEY_DEFAULT;

	(void)sf_port_rss_key_fill(info->rss_key, len,
				   (uint16_t)rte_rand());
	info->rss_key_len = (uint8_t)len;
}

static void
build_eth_conf(const struct rte_eth_dev_info *di, uint16_t n_queues,
	       bool want_rss, struct rte_eth_conf *ec, struct sf_port_info *info)
{
	uint64_t rss_hf = di->flow_type_rss_offloads & SF_RSS_HF;

	memset(ec, 0, sizeof(*ec));
	info->rss = false;
	if (want_rss && n_queues > 1 && rss_hf != 0) {
		ec->rxmode.mq_mode = RTE_ETH_MQ_RX_RSS;
		ec->rx_adv_conf.rss_conf.rss_hf = rss_hf;
		ec->rx_adv_conf.rss_conf.rss_key = info->rss_key;
		ec->rx_adv_conf.rss_conf.rss_key_len = info->rss_key_len;
		info->rss = true;
	}

	info->rx_flags = 0;
	if (di->rx_offload_capa & RTE_ETH_RX_OFFLOAD_IPV4_CKSUM) {
		ec->rxmode.offloads |= RTE_ETH_RX_OFFLOAD_IPV4_CKSUM;
		info->rx_flags |= SF_RX_IP_CSUM_GOOD;
	}
	if (di->rx_offload_capa & RTE_ETH_RX_OFFLOAD_TCP_CKSUM) {
		ec->rxmode.offloads |= RTE_ETH_RX_OFFLOAD_TCP_CKSUM;
		info->rx_flags |= SF_RX_L4_CSUM_GOOD;
	}
	info->tx_offload = 0;
	if (di->tx_offload_capa & RTE_ETH_TX_OFFLOAD_IPV4_CKSUM) {
		ec->txmode.offloads |= RTE_ETH_TX_OFFLOAD_IPV4_CKSUM;
		info->tx_offload |= SF_TX_IP_CSUM;
	}
	if (di->tx_offload_capa & RTE_ETH_TX_OFFLOAD_TCP_CKSUM) {
		ec->txmode.offloads |= RTE_ETH_TX_OFFLOAD_TCP_CKSUM;
		info->tx_offload |= SF_TX_TCP_CSUM;
	}
}

/* Configure the port (RSS if it takes it), MTU, and its queue pairs. */
static int
setup_queues(const struct sf_port_conf *conf, const struct rte_eth_dev_info *di,
	     struct sf_port_info *info, char *err, size_t errlen)
{
	uint16_t nb_rxd = conf->rx_desc, nb_txd = conf->tx_desc;
	uint16_t port = conf->port_id, q;
	int socket = rte_eth_dev_socket_id(port);
	struct rte_eth_rxconf rxq;
	struct rte_eth_txconf txq;
	struct rte_eth_conf ec;
	int ret;

	/* Ask for RSS; a PMD that advertises it but refuses the setup is
	 * retried without (the kernel side of net_tap spreads flows anyway). */
	draw_rss_key(di, info);
	build_eth_conf(di, conf->n_queues, true, &ec, info);
	ret = rte_eth_dev_configure(port, conf->n_queues, conf->n_queues, &ec);
	if (ret != 0 && info->rss) {
		build_eth_conf(di, conf->n_queues, false, &ec, info);
		ret = rte_eth_dev_configure(port, conf->n_queues,
					    conf->n_queues, &ec);
	}
	if (ret != 0)
		return fail(err, errlen, ret, port,
			    "rte_eth_dev_configure failed");
	if (conf->mtu != 0) {
		ret = rte_eth_dev_set_mtu(port, conf->mtu);
		if (ret != 0)
			return fail(err, errlen, ret, port,
				    "cannot set the MTU");
	}
	ret = rte_eth_dev_adjust_nb_rx_tx_desc(port, &nb_rxd, &nb_txd);
	if (ret != 0)
		return fail(err, errlen, ret, port,
			    "descriptor counts refused");

	rxq = di->default_rxconf;
	rxq.offloads = ec.rxmode.offloads;
	txq = di->default_txconf;
	txq.offloads = ec.txmode.offloads;
	for (q = 0; q < conf->n_queues; q++) {
		ret = rte_eth_rx_queue_setup(port, q, nb_rxd, socket, &rxq,
					     conf->pool);
		if (ret != 0)
			return fail(err, errlen, ret, port,
				    "RX queue setup failed");
		ret = rte_eth_tx_queue_setup(port, q, nb_txd, socket, &txq);
		if (ret != 0)
			return fail(err, errlen, ret, port,
				    "TX queue setup failed");
	}
	return 0;
}

/* Receive the IPv6 VIPs' solicited-node groups (NS go there). */
static void
setup_multicast(const struct sf_port_conf *conf, struct sf_port_info *info)
{
	uint16_t port = conf->port_id;

	if (conf->n_mc == 0 || conf->promiscuous)
		return;
	if (rte_eth_dev_set_mc_addr_list(port,
			(struct rte_ether_addr *)(uintptr_t)conf->mc_addrs,
			conf->n_mc) == 0) {
		info->multicast = "list";
		return;
	}
	/* A PMD with neither (net_ring) passes everything or nothing: IPv6
	 * neighbours then need static entries; the startup line says so. */
	info->multicast = rte_eth_allmulticast_enable(port) == 0 ?
		"all" : "unsupported";
}

/* What the port delivers in one mbuf of conf->pool. */
static void
rx_limits(const struct sf_port_conf *conf, const struct rte_eth_dev_info *di,
	  struct sf_port_info *info)
{
	struct sf_port_rx_limits l = {
		.max_rx_pktlen = di->max_rx_pktlen,
		.max_mtu = di->max_mtu,
		.mtu = info->mtu,
		.data_room = rte_pktmbuf_data_room_size(conf->pool),
		.pmd_headroom = strcmp(di->driver_name, "net_af_xdp") == 0 ?
			SF_PORT_XDP_HEADROOM : 0,
	};

	info->rx_frame_max = sf_port_rx_frame_max(&l);
	info->rx_ip_max = info->rx_frame_max > SF_PORT_L2_MAX ?
		(uint16_t)(info->rx_frame_max - SF_PORT_L2_MAX) : 0;
}

int
sf_port_setup(const struct sf_port_conf *conf, struct sf_port_info *info,
	      char *err, size_t errlen)
{
	struct rte_eth_dev_info di;
	uint16_t port = conf->port_id;
	int ret;

	memset(info, 0, sizeof(*info));
	info->port_id = port;
	info->multicast = "none";
	if (!rte_eth_dev_is_valid_port(port))
		return fail(err, errlen, -ENODEV, port,
			    "no such port");
	ret = rte_eth_dev_info_get(port, &di);
	if (ret != 0)
		return fail(err, errlen, ret, port,
			    "rte_eth_dev_info_get failed");
	snprintf(info->driver, sizeof(info->driver), "%s", di.driver_name);
	if (conf->n_queues > di.max_rx_queues ||
	    conf->n_queues > di.max_tx_queues) {
		snprintf(err, errlen,
			 "port %u (%s): %u workers need %u queue pairs, the port has %u RX / %u TX",
			 port, di.driver_name, conf->n_queues, conf->n_queues,
			 di.max_rx_queues, di.max_tx_queues);
		return -EINVAL;
	}
	ret = setup_queues(conf, &di, info, err, errlen);
	if (ret != 0)
		return ret;

	ret = rte_eth_dev_start(port);
	if (ret != 0)
		return fail(err, errlen, ret, port,
			    "rte_eth_dev_start failed");
	if (conf->promiscuous) {
		ret = rte_eth_promiscuous_enable(port);
		if (ret != 0)
			return fail(err, errlen, ret, port,
				    "cannot enable promiscuous mode");
	}
	setup_multicast(conf, info);

	ret = rte_eth_macaddr_get(port, &info->mac);
	if (ret != 0)
		return fail(err, errlen, ret, port,
			    "cannot read the MAC address");
	ret = rte_eth_dev_get_mtu(port, &info->mtu);
	if (ret != 0 || info->mtu == 0)
		info->mtu = RTE_ETHER_MTU;
	rx_limits(conf, &di, info);
	if (info->rx_ip_max < SF_PORT_IP_MIN) {
		snprintf(err, errlen,
			 "port %u (%s): one mbuf holds frames of %u bytes at most, too few for a %u-byte IP packet",
			 port, di.driver_name, info->rx_frame_max,
			 SF_PORT_IP_MIN);
		return -EINVAL;
	}
	return 0;
}

void
sf_port_solicited_mac(const uint8_t *addr6, struct rte_ether_addr *mac)
{
	mac->addr_bytes[0] = 0x33;
	mac->addr_bytes[1] = 0x33;
	mac->addr_bytes[2] = 0xff;
	mac->addr_bytes[3] = addr6[13];
	mac->addr_bytes[4] = addr6[14];
	mac->addr_bytes[5] = addr6[15];
}

void
sf_port_close(uint16_t port_id)
{
	(void)rte_eth_dev_stop(port_id);
	(void)rte_eth_dev_close(port_id);
}

uint32_t
sf_port_pool_size(uint16_t n_ports, uint16_t n_queues, uint16_t rx_desc,
		  uint16_t tx_desc, uint32_t ring_size)
{
	uint32_t per_queue = (uint32_t)rx_desc + tx_desc + SF_PORT_BURST_SLACK;
	uint32_t n = (uint32_t)n_ports * n_queues * per_queue;

	/* DATA events keep their mbuf until the consumer frees it. */
	n += (uint32_t)n_queues * ring_size;
	n += (uint32_t)(n_queues + 1) * SF_PORT_POOL_CACHE;
	return n + SF_PORT_POOL_SLACK;
}
