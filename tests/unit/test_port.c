/* SPDX-License-Identifier: BSD-3-Clause */

/* Unit tests of lib/port: pool sizing, solicited-node MACs, the largest
 * frame a port takes in one mbuf, the symmetric RSS key, setup of a
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
#include <rte_random.h>
#include <rte_ring.h>
#include <rte_thash.h>

#include "sf_cookie.h"
#include "sf_net.h"
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

/* ------------------------------------------------------------------ */
/* Largest frame in one mbuf, and the MSS it allows                    */

#define DEF_ROOM	RTE_MBUF_DEFAULT_BUF_SIZE	/* 2048 + headroom */
#define NO_MAX_MTU	UINT16_MAX

struct frame_case {
	const char *name;
	struct sf_port_rx_limits l;
	uint16_t frame;		/* sf_port_rx_frame_max() */
	uint16_t mss4;		/* MSS cap with mss_max 9000, IPv4 */
	uint16_t mss6;		/* the same, IPv6 */
};

static const struct frame_case frame_cases[] = {
	/* net_tap: max_rx_pktlen 1522, MTU 1500 at most */
	{ "net_tap", { 1522, NO_MAX_MTU, 1500, DEF_ROOM, 0 }, 1518, 1460, 1440 },
	/* net_af_packet: max_rx_pktlen 1518 (header + CRC + 1500) */
	{ "net_af_packet", { 1518, NO_MAX_MTU, 1500, DEF_ROOM, 0 }, 1518, 1460, 1440 },
	/* net_ring: no limit but the MTU */
	{ "net_ring", { UINT32_MAX, NO_MAX_MTU, 1500, DEF_ROOM, 0 }, 1518, 1460, 1440 },
	/* net_af_xdp on a veth, MTU 3500: XDP's 256 bytes of headroom */
	{ "net_af_xdp mtu 3500", { 3560, 3542, 3500, DEF_ROOM,
	  SF_PORT_XDP_HEADROOM }, 1792, 1734, 1714 },
	{ "net_af_xdp mtu 1500", { 3560, 3542, 1500, DEF_ROOM,
	  SF_PORT_XDP_HEADROOM }, 1518, 1460, 1440 },
	/* a jumbo NIC with 2 KB buffers, and with 9 KB ones */
	{ "jumbo, 2 KB mbufs", { 9728, 9710, 9000, DEF_ROOM, 0 }, 2048, 1990, 1970 },
	{ "jumbo, 9 KB mbufs", { 9728, 9710, 9000, 9216 + RTE_PKTMBUF_HEADROOM,
	  0 }, 9018, 8960, 8940 },
	/* max_mtu below the MTU in force */
	{ "max_mtu 1400", { 1418, 1400, 1500, DEF_ROOM, 0 }, 1418, 1360, 1340 },
	/* max_rx_pktlen alone (no max_mtu): less header and CRC */
	{ "max_rx_pktlen 1418", { 1418, NO_MAX_MTU, 1500, DEF_ROOM, 0 }, 1418,
	  1360, 1340 },
	/* buffers smaller than any frame */
	{ "no room", { 1522, NO_MAX_MTU, 1500, RTE_PKTMBUF_HEADROOM, 0 }, 0, 0, 0 },
	{ "17 bytes", { 1522, NO_MAX_MTU, 1500, RTE_PKTMBUF_HEADROOM + 17, 0 },
	  0, 0, 0 },
};

static void
test_rx_frame_max(void **state)
{
	unsigned int i;

	(void)state;
	for (i = 0; i < RTE_DIM(frame_cases); i++) {
		const struct frame_case *c = &frame_cases[i];
		uint16_t frame = sf_port_rx_frame_max(&c->l);
		uint16_t ip;

		print_message("%-22s frame %u\n", c->name, frame);
		assert_int_equal(frame, c->frame);
		if (frame == 0)
			continue;
		/* What the responder gets as the port's MTU. */
		ip = (uint16_t)(frame - SF_PORT_L2_MAX);
		assert_int_equal(sf_cookie_mss_cap(SF_AF_INET, 9000, ip),
				 c->mss4);
		assert_int_equal(sf_cookie_mss_cap(SF_AF_INET6, 9000, ip),
				 c->mss6);
		/* A full segment of that MSS, tagged, fits the frame. */
		assert_true(SF_PORT_L2_MAX + 20 + 20 + c->mss4 <= frame);
		assert_true(SF_PORT_L2_MAX + 40 + 20 + c->mss6 <= frame);
		/* mss_max below the cap is kept */
		assert_int_equal(sf_cookie_mss_cap(SF_AF_INET, 1300, ip), 1300);
	}
}

/* ------------------------------------------------------------------ */
/* RSS key                                                             */

#define KEY_LEN		40

/* Toeplitz hash of an IPv4 or IPv6 TCP tuple, as the NIC computes it. */
static uint32_t
hash_tuple(const uint8_t *key, const uint32_t *a, const uint32_t *b,
	   unsigned int addr_words, uint16_t pa, uint16_t pb)
{
	uint32_t t[9];
	unsigned int i;

	for (i = 0; i < addr_words; i++) {
		t[i] = a[i];
		t[addr_words + i] = b[i];
	}
	t[2 * addr_words] = (uint32_t)pa << 16 | pb;
	return rte_softrss(t, 2 * addr_words + 1, key);
}

/* Distinct low 16 bits for every value of one 16-bit word of the tuple. */
static unsigned int
hash_collisions(const uint8_t *key)
{
	static uint8_t seen[65536 / 8];
	uint32_t zero[1] = { 0 };
	unsigned int x, n = 0;

	memset(seen, 0, sizeof(seen));
	for (x = 0; x < 65536; x++) {
		uint32_t h = hash_tuple(key, zero, zero, 1, (uint16_t)x, 0);
		uint16_t lo = (uint16_t)h;

		n += (seen[lo / 8] >> (lo % 8)) & 1;
		seen[lo / 8] |= (uint8_t)(1u << (lo % 8));
	}
	return n;
}

static void
test_rss_key(void **state)
{
	uint16_t seeds[12] = { 0, 1, 0xffff, 0x6d5a, 0x8000, 0x3c3c };
	uint32_t key32[(KEY_LEN + 12) / 4];
	uint8_t *key = (uint8_t *)key32;
	unsigned int i, k, j;

	(void)state;
	for (i = 6; i < RTE_DIM(seeds); i++)
		seeds[i] = (uint16_t)rte_rand();
	for (i = 0; i < RTE_DIM(seeds); i++) {
		uint16_t pat;

		memset(key32, 0xa5, sizeof(key32));
		pat = sf_port_rss_key_fill(key, KEY_LEN, seeds[i]);
		print_message("seed %04x pattern %04x\n", seeds[i], pat);
		assert_int_not_equal(pat, 0);
		assert_int_equal(__builtin_popcount(pat) & 1, 1);
		assert_true((pat ^ seeds[i]) <= 1);	/* at most bit 0 */
		for (k = 0; k < KEY_LEN; k += 2) {
			assert_int_equal(key[k], pat >> 8);
			assert_int_equal(key[k + 1], pat & 0xff);
		}
		for (k = KEY_LEN; k < sizeof(key32); k++)
			assert_int_equal(key[k], 0xa5);	/* len respected */

		/* Symmetric: both directions of a flow hash alike. */
		for (j = 0; j < 16; j++) {
			uint32_t a[4], b[4];
			uint16_t pa = (uint16_t)rte_rand(), pb = (uint16_t)rte_rand();

			for (k = 0; k < 4; k++) {
				a[k] = (uint32_t)rte_rand();
				b[k] = (uint32_t)rte_rand();
			}
			assert_int_equal(hash_tuple(key, a, b, 1, pa, pb),
					 hash_tuple(key, b, a, 1, pb, pa));
			assert_int_equal(hash_tuple(key, a, b, 4, pa, pb),
					 hash_tuple(key, b, a, 4, pb, pa));
		}
	}

	/* Odd weight: all 65536 values of a word give distinct hashes. */
	sf_port_rss_key_fill(key, KEY_LEN, 0x3c3c);
	assert_int_equal(hash_collisions(key), 0);
	sf_port_rss_key_fill(key, KEY_LEN, (uint16_t)rte_rand());
	assert_int_equal(hash_collisions(key), 0);
	/* An even-weight pattern (what the flip avoids) does collide. */
	for (k = 0; k < KEY_LEN; k += 2) {
		key[k] = 0x3c;
		key[k + 1] = 0x3c;
	}
	assert_true(hash_collisions(key) > 0);
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
	pool = sf_unit_pool("sf_tp_pool", 2047);
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
	/* net_ring: the MTU bounds it; the key is drawn all the same */
	assert_int_equal(pi.rx_frame_max, pi.mtu + SF_PORT_L2_MAX);
	assert_int_equal(pi.rx_ip_max, pi.mtu);
	assert_int_equal(pi.rss_key_len, SF_PORT_RSS_KEY_DEFAULT);
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
		cmocka_unit_test(test_rx_frame_max),
		cmocka_unit_test(test_rss_key),
		cmocka_unit_test(test_setup_ring_port),
	};

	return cmocka_run_group_tests(tests, setup_eal, NULL);
}
