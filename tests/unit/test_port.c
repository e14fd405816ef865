/* SPDX-License-Identifier: BSD-3-Clause */

/* Unit tests of lib/port: pool sizing, solicited-node MACs, setup of a
 * net_ring port (the same calls as on a NIC). */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include <arpa/inet.h>
#include <rte_eth_ring.h>
#include <rte_ethdev.h>
#include <rte_mbuf.h>
#include <rte_ring.h>

#include "sf_port.h"
#include "unit_eal.h"

static void
test_solicited_mac(void **state)
{
	static const uint8_t want[RTE_ETHER_ADDR_LEN] = {
		0x33, 0x33, 0xff, 0x12, 0x34, 0x56,
	};
	struct rte_ether_addr mac;
	uint8_t a[16];

	(void)state;
	assert_int_equal(inet_pton(AF_INET6, "2001:2::12:3456", a), 1);
	sf_port_solicited_mac(a, &mac);
	assert_memory_equal(mac.addr_bytes, want, sizeof(want));
	assert_true(rte_is_multicast_ether_addr(&mac));
}

static void
test_pool_size(void **state)
{
	uint32_t one, two, big_ring;

	(void)state;
	one = sf_port_pool_size(1, 1, 1024, 1024, 4096);
	two = sf_port_pool_size(1, 2, 1024, 1024, 4096);
	big_ring = sf_port_pool_size(1, 1, 1024, 1024, 65536);
	/* every descriptor and every ring slot can hold an mbuf */
	assert_true(one >= 1024 + 1024 + 4096);
	assert_true(two >= 2 * (1024 + 1024 + 4096));
	assert_true(big_ring >= one + 65536 - 4096);
	assert_true(sf_port_pool_size(2, 1, 1024, 1024, 4096) > one);
}

static void
test_setup_ring_port(void **state)
{
	struct rte_ring *rx, *tx;
	struct rte_mempool *pool;
	struct sf_port_conf pc;
	struct sf_port_info pi;
	struct rte_ether_addr mc;
	uint8_t a[16] = { 0x20, 0x01, 0x00, 0x02, [15] = 2 };
	char err[128];
	int port;

	(void)state;
	rx = rte_ring_create("sf_tp_rx", 1024, SOCKET_ID_ANY,
			     RING_F_SP_ENQ | RING_F_SC_DEQ);
	tx = rte_ring_create("sf_tp_tx", 1024, SOCKET_ID_ANY,
			     RING_F_SP_ENQ | RING_F_SC_DEQ);
	assert_non_null(rx);
	assert_non_null(tx);
	port = rte_eth_from_rings("sf_tp", &rx, 1, &tx, 1, SOCKET_ID_ANY);
	assert_true(port >= 0);
	pool = rte_pktmbuf_pool_create("sf_tp_pool", 2047, 0, 0,
				       RTE_MBUF_DEFAULT_BUF_SIZE, SOCKET_ID_ANY);
	assert_non_null(pool);

	sf_port_solicited_mac(a, &mc);
	memset(&pc, 0, sizeof(pc));
	pc.port_id = (uint16_t)port;
	pc.n_queues = 1;
	pc.rx_desc = 512;
	pc.tx_desc = 512;
	pc.pool = pool;
	pc.mc_addrs = &mc;
	pc.n_mc = 1;
	assert_int_equal(sf_port_setup(&pc, &pi, err, sizeof(err)), 0);
	assert_int_equal(pi.port_id, port);
	assert_string_equal(pi.driver, "net_ring");
	assert_true(pi.mtu > 0);
	assert_non_null(pi.multicast);
	assert_true(strcmp(pi.multicast, "list") == 0 ||
		    strcmp(pi.multicast, "all") == 0 ||
		    strcmp(pi.multicast, "unsupported") == 0);
	assert_false(pi.rss);	/* one queue: no RSS asked */
	sf_port_close((uint16_t)port);

	/* more queues than the port has: one line naming the port */
	pc.port_id = (uint16_t)rte_eth_from_rings("sf_tp2", &rx, 1, &tx, 1,
						  SOCKET_ID_ANY);
	pc.n_queues = 4;
	assert_int_equal(sf_port_setup(&pc, &pi, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "queue pairs"));
	assert_null(strchr(err, '\n'));
	sf_port_close(pc.port_id);

	/* no such port */
	pc.port_id = RTE_MAX_ETHPORTS - 1;
	assert_int_equal(sf_port_setup(&pc, &pi, err, sizeof(err)), -ENODEV);
	assert_non_null(strstr(err, "no such port"));

	rte_mempool_free(pool);
	rte_ring_free(rx);
	rte_ring_free(tx);
}

static int
setup_eal(void **state)
{
	(void)state;
	return sf_unit_eal_init("sf_test_port");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_solicited_mac),
		cmocka_unit_test(test_pool_size),
		cmocka_unit_test(test_setup_ring_port),
	};

	return cmocka_run_group_tests(tests, setup_eal, NULL);
}
