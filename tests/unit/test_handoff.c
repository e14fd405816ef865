/* SPDX-License-Identifier: BSD-3-Clause */

/*
 * Unit tests of lib/handoff: event rings, mbuf ownership, JSON formatting,
 * ring claims.
 */

#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include <rte_byteorder.h>
#include <rte_common.h>
#include <rte_errno.h>
#include <rte_mbuf.h>
#include <rte_mempool.h>
#include <rte_ring.h>

#include "sf_handoff.h"
#include "unit_eal.h"

#define POOL_MBUFS	127
#define CANARY_LEN	32
#define CANARY_BYTE	0xa5

static struct rte_mempool *pool;

static int
group_setup(void **state)
{
	(void)state;
	if (sf_unit_eal_init("sf_test_handoff") != 0)
		return -1;
	pool = sf_unit_pool("sf_test_pool", POOL_MBUFS);
	return pool == NULL ? -1 : 0;
}

static int
group_teardown(void **state)
{
	(void)state;
	rte_mempool_free(pool);
	return 0;
}

/* An event between 198.18.0.1:sport and 198.18.0.2:dport, or the IPv6 pair. */
static struct sf_event
make_event(uint8_t type, uint8_t family, uint16_t sport, uint16_t dport)
{
	struct sf_event ev;

	memset(&ev, 0, sizeof(ev));
	ev.type = type;
	ev.flow.family = family;
	if (family == SF_AF_INET) {
		assert_int_equal(inet_pton(AF_INET, "198.18.0.1",
					   ev.flow.cli_addr), 1);
		assert_int_equal(inet_pton(AF_INET, "198.18.0.2",
					   ev.flow.srv_addr), 1);
	} else {
		assert_int_equal(inet_pton(AF_INET6, "2001:2::1",
					   ev.flow.cli_addr), 1);
		assert_int_equal(inet_pton(AF_INET6, "2001:2::2",
					   ev.flow.srv_addr), 1);
	}
	ev.flow.cli_port = rte_cpu_to_be_16(sport);
	ev.flow.srv_port = rte_cpu_to_be_16(dport);
	ev.snd_wscale = SF_WSCALE_NONE;
	ev.rcv_wscale = SF_WSCALE_NONE;
	return ev;
}

/* An mbuf holding hdr_len bytes of 'H' followed by the payload. */
static struct rte_mbuf *
make_mbuf(uint16_t hdr_len, const void *payload, uint16_t len)
{
	struct rte_mbuf *m = rte_pktmbuf_alloc(pool);
	char *p;

	assert_non_null(m);
	p = rte_pktmbuf_append(m, (uint16_t)(hdr_len + len));
	assert_non_null(p);
	memset(p, 'H', hdr_len);
	memcpy(p + hdr_len, payload, len);
	return m;
}

/* ---- rings ------------------------------------------------------------ */

static void
test_handoff_create_lookup(void **state)
{
	struct rte_ring *r;

	(void)state;
	assert_null(sf_handoff_lookup(3));
	r = sf_handoff_create(3, 64, SOCKET_ID_ANY);
	assert_non_null(r);
	assert_string_equal(r->name, "sf_handoff_3");
	assert_int_equal(rte_ring_get_capacity(r), 63);
	assert_ptr_equal(sf_handoff_lookup(3), r);
	assert_null(sf_handoff_lookup(4));

	/* the same worker twice */
	rte_errno = 0;
	assert_null(sf_handoff_create(3, 64, SOCKET_ID_ANY));
	assert_int_equal(rte_errno, EEXIST);

	/* sizes: a power of two >= 2 */
	rte_errno = 0;
	assert_null(sf_handoff_create(5, 0, SOCKET_ID_ANY));
	assert_int_equal(rte_errno, EINVAL);
	rte_errno = 0;
	assert_null(sf_handoff_create(5, 1, SOCKET_ID_ANY));
	assert_int_equal(rte_errno, EINVAL);
	rte_errno = 0;
	assert_null(sf_handoff_create(5, 100, SOCKET_ID_ANY));
	assert_int_equal(rte_errno, EINVAL);
	assert_null(sf_handoff_lookup(5));

	sf_handoff_free(r);
	assert_null(sf_handoff_lookup(3));

	r = sf_handoff_create(4000000000u, 2, SOCKET_ID_ANY);
	assert_non_null(r);
	assert_ptr_equal(sf_handoff_lookup(4000000000u), r);
	sf_handoff_free(r);
}

/* Event number k: every field derived from k. */
static struct sf_event
numbered_event(uint32_t k)
{
	struct sf_event ev = make_event((uint8_t)(1 + k % 5),
					(k & 1) ? SF_AF_INET6 : SF_AF_INET,
					(uint16_t)(1024 + k), 80);

	ev.tsc = 0x100000000ull * k + k;
	ev.client_isn = k * 7;
	ev.server_isn = ~k;
	ev.seq = k + 1;
	ev.mss = (uint16_t)(536 + k);
	ev.lcore = (uint16_t)(k % 3);
	ev.snd_wscale = (uint8_t)(k % 15);
	ev.flags = (uint8_t)(k & 3);
	return ev;
}

static void
test_handoff_order(void **state)
{
	static const unsigned int enq_sizes[] = { 5, 17, 1, 30, 63, 2 };
	static const unsigned int deq_sizes[] = { 7, 1, 32, 13 };
	struct sf_event in[64], out[64];
	struct rte_ring *r;
	uint32_t next_in = 0, next_out = 0;
	unsigned int round, i;

	(void)state;
	r = sf_handoff_create(1, 64, SOCKET_ID_ANY);
	assert_non_null(r);

	/* enough rounds to wrap the ring index several times */
	for (round = 0; round < 40; round++) {
		unsigned int ne = enq_sizes[round % RTE_DIM(enq_sizes)];
		unsigned int nd = deq_sizes[round % RTE_DIM(deq_sizes)];
		unsigned int free_slots = 63 - (next_in - next_out);
		unsigned int got;

		for (i = 0; i < ne; i++)
			in[i] = numbered_event(next_in + i);
		got = sf_handoff_enqueue_burst(r, in, ne);
		assert_int_equal(got, RTE_MIN(ne, free_slots));
		next_in += got;

		got = sf_handoff_dequeue_burst(r, out, nd);
		assert_int_equal(got, RTE_MIN(nd, next_in - next_out));
		for (i = 0; i < got; i++) {
			struct sf_event want = numbered_event(next_out + i);

			assert_memory_equal(&out[i], &want, sizeof(want));
		}
		next_out += got;
	}
	assert_true(next_in > 4 * 64);

	/* what is left comes out in order too */
	while (next_out < next_in) {
		unsigned int got = sf_handoff_dequeue_burst(r, out, 64);

		assert_true(got > 0);
		for (i = 0; i < got; i++) {
			struct sf_event want = numbered_event(next_out + i);

			assert_memory_equal(&out[i], &want, sizeof(want));
		}
		next_out += got;
	}
	assert_int_equal(sf_handoff_dequeue_burst(r, out, 64), 0);
	sf_handoff_free(r);
}

static void
test_handoff_full(void **state)
{
	struct sf_event ev[10], out[10];
	struct rte_ring *r;
	unsigned int i;

	(void)state;
	r = sf_handoff_create(2, 8, SOCKET_ID_ANY);
	assert_non_null(r);
	for (i = 0; i < RTE_DIM(ev); i++)
		ev[i] = numbered_event(i);

	/* size 8 holds 7 */
	for (i = 0; i < 7; i++)
		assert_int_equal(sf_handoff_enqueue(r, &ev[i]), 0);
	assert_int_equal(sf_handoff_enqueue(r, &ev[7]), -ENOBUFS);
	assert_int_equal(sf_handoff_enqueue_burst(r, &ev[7], 3), 0);
	assert_int_equal(rte_ring_count(r), 7);

	/* one out, one in; the refused ones never got in */
	assert_int_equal(sf_handoff_dequeue_burst(r, out, 1), 1);
	assert_memory_equal(&out[0], &ev[0], sizeof(ev[0]));
	assert_int_equal(sf_handoff_enqueue(r, &ev[9]), 0);
	assert_int_equal(sf_handoff_enqueue(r, &ev[8]), -ENOBUFS);
	assert_int_equal(sf_handoff_dequeue_burst(r, out, 10), 7);
	for (i = 0; i < 6; i++)
		assert_memory_equal(&out[i], &ev[i + 1], sizeof(ev[0]));
	assert_memory_equal(&out[6], &ev[9], sizeof(ev[0]));

	/* a burst larger than the room is cut, not refused */
	assert_int_equal(sf_handoff_enqueue_burst(r, ev, 10), 7);
	assert_int_equal(sf_handoff_drain(r), 7);
	sf_handoff_free(r);
}

static void
test_handoff_mbuf_release(void **state)
{
	struct sf_event ev[25], out[8];
	struct rte_ring *r;
	unsigned int avail, i;

	(void)state;
	avail = rte_mempool_avail_count(pool);
	assert_int_equal(avail, POOL_MBUFS);
	r = sf_handoff_create(6, 32, SOCKET_ID_ANY);
	assert_non_null(r);

	for (i = 0; i < RTE_DIM(ev); i++) {
		if (i % 5 == 4) {
			ev[i] = make_event(SF_EV_ESTABLISHED, SF_AF_INET, 1000, 80);
		} else {
			ev[i] = make_event(SF_EV_DATA, SF_AF_INET, 1000, 80);
			ev[i].mbuf = make_mbuf(54, "x", 1);
			ev[i].data_off = 54;
			ev[i].data_len = 1;
		}
	}
	assert_int_equal(rte_mempool_avail_count(pool), avail - 20);
	assert_int_equal(sf_handoff_enqueue_burst(r, ev, RTE_DIM(ev)),
			 RTE_DIM(ev));

	/* a consumer releases what it dequeued */
	assert_int_equal(sf_handoff_dequeue_burst(r, out, RTE_DIM(out)),
			 RTE_DIM(out));
	for (i = 0; i < RTE_DIM(out); i++) {
		assert_ptr_equal(out[i].mbuf, ev[i].mbuf);
		sf_event_release(&out[i]);
		assert_null(out[i].mbuf);
		sf_event_release(&out[i]);	/* idempotent */
	}
	/* of those 8 events, one (i = 4) had no mbuf */
	assert_int_equal(rte_mempool_avail_count(pool), avail - 20 + 7);

	/* drain frees the rest */
	assert_int_equal(sf_handoff_drain(r), RTE_DIM(ev) - RTE_DIM(out));
	assert_int_equal(rte_mempool_avail_count(pool), avail);
	assert_int_equal(rte_ring_count(r), 0);
	assert_int_equal(sf_handoff_drain(r), 0);
	assert_int_equal(sf_handoff_drain(NULL), 0);
	sf_handoff_free(r);
}

static void
test_handoff_drain_many(void **state)
{
	struct sf_event ev;
	struct rte_ring *r;
	unsigned int avail = rte_mempool_avail_count(pool);
	unsigned int i;

	(void)state;
	r = sf_handoff_create(7, 128, SOCKET_ID_ANY);
	assert_non_null(r);
	/* more than one drain burst of DATA events */
	for (i = 0; i < 100; i++) {
		ev = make_event(SF_EV_DATA, SF_AF_INET6, 2000, 443);
		ev.mbuf = make_mbuf(74, "y", 1);
		assert_int_equal(sf_handoff_enqueue(r, &ev), 0);
	}
	assert_int_equal(rte_mempool_avail_count(pool), avail - 100);
	assert_int_equal(sf_handoff_drain(r), 100);
	assert_int_equal(rte_mempool_avail_count(pool), avail);
	sf_handoff_free(r);
}

/* ---- type names ------------------------------------------------------- */

static void
test_event_type_str(void **state)
{
	(void)state;
	assert_string_equal(sf_event_type_str(SF_EV_ESTABLISHED), "established");
	assert_string_equal(sf_event_type_str(SF_EV_DATA), "data");
	assert_string_equal(sf_event_type_str(SF_EV_FIN), "fin");
	assert_string_equal(sf_event_type_str(SF_EV_RST), "rst");
	assert_string_equal(sf_event_type_str(SF_EV_TIMEOUT), "timeout");
	assert_string_equal(sf_event_type_str(0), "unknown");
	assert_string_equal(sf_event_type_str(SF_EV_TYPE_MAX), "unknown");
	assert_string_equal(sf_event_type_str(~0u), "unknown");
	assert_string_equal(sf_event_type_str(SF_EV_ACKED), "acked");
	assert_string_equal(sf_event_type_str(SF_EV_CLOSED), "closed");
}

/* ---- command rings ---------------------------------------------------- */

static void
test_cmd_type_str(void **state)
{
	(void)state;
	assert_string_equal(sf_cmd_type_str(SF_CMD_SEND), "send");
	assert_string_equal(sf_cmd_type_str(SF_CMD_CLOSE), "close");
	assert_string_equal(sf_cmd_type_str(SF_CMD_ABORT), "abort");
	assert_string_equal(sf_cmd_type_str(SF_CMD_CREDIT), "credit");
	assert_string_equal(sf_cmd_type_str(0), "unknown");
	assert_string_equal(sf_cmd_type_str(SF_CMD_TYPE_MAX), "unknown");
	assert_int_equal(sizeof(struct sf_cmd), 32);
}

/*
 * A command ring: named, found by name, multi-producer; commands come out
 * in order, a full ring refuses (the mbuf stays the caller's), and
 * sf_cmd_free() frees the SENDs' mbufs left in it.
 */
static void
test_cmd_ring(void **state)
{
	struct sf_handle h = { .slot = 5, .gen = 7, .worker = 3 };
	unsigned int avail = rte_mempool_avail_count(pool);
	struct sf_cmd cmd, out[4];
	struct rte_mbuf *m;
	struct rte_ring *r;
	unsigned int i;

	(void)state;
	assert_null(sf_cmd_create(3, 3, SOCKET_ID_ANY));
	assert_int_equal(rte_errno, EINVAL);
	r = sf_cmd_create(3, 4, SOCKET_ID_ANY);
	assert_non_null(r);
	assert_string_equal(r->name, "sf_cmd_3");
	assert_ptr_equal(sf_cmd_lookup(3), r);
	assert_null(sf_cmd_lookup(4));
	assert_null(sf_cmd_create(3, 4, SOCKET_ID_ANY));	/* exists */
	for (i = 0; i < 3; i++) {	/* a ring of 4 holds 3 */
		m = make_mbuf(0, "abc", 3);
		sf_cmd_fill(&cmd, &h, SF_CMD_SEND, m, i);
		assert_int_equal(sf_cmd_enqueue(r, &cmd), 0);
	}
	m = make_mbuf(0, "x", 1);
	sf_cmd_fill(&cmd, &h, SF_CMD_SEND, m, 9);
	assert_int_equal(sf_cmd_enqueue(r, &cmd), -ENOBUFS);
	rte_pktmbuf_free(m);	/* still ours */
	assert_int_equal(sf_cmd_dequeue_burst(r, out, 1), 1);
	assert_int_equal(out[0].type, SF_CMD_SEND);
	assert_int_equal(out[0].credit, 0);
	assert_memory_equal(&out[0].handle, &h, sizeof(h));
	rte_pktmbuf_free(out[0].mbuf);
	sf_cmd_fill(&cmd, &h, SF_CMD_CREDIT, NULL, 4096);
	assert_int_equal(sf_cmd_enqueue(r, &cmd), 0);
	assert_int_equal(sf_cmd_dequeue_burst(r, out, 1), 1);
	assert_int_equal(out[0].credit, 1);	/* in order */
	rte_pktmbuf_free(out[0].mbuf);
	/* one SEND and the CREDIT left: freed with the ring */
	sf_cmd_free(r);
	assert_null(sf_cmd_lookup(3));
	assert_int_equal(rte_mempool_avail_count(pool), avail);
	sf_cmd_free(NULL);
}

/* ---- JSON ------------------------------------------------------------- */

/* A fixture: an event (plus DATA payload in an mbuf) and its JSON. */
struct json_case {
	const char *name;
	struct sf_event ev;	/* filled by json_case_build() */
	uint8_t type;
	uint8_t family;
	uint16_t sport, dport;
	uint16_t lcore;
	uint64_t tsc;
	uint32_t client_isn, server_isn, seq;
	uint16_t mss;
	uint8_t snd_wscale, rcv_wscale, flags;
	uint16_t hdr_len;	/* DATA: bytes before the payload */
	const char *payload;	/* DATA: NULL = no mbuf */
	uint16_t payload_len;	/* bytes put in the mbuf */
	uint16_t data_len;	/* the event's data_len */
	struct sf_handle handle;	/* printed when gen != 0 */
	uint32_t credit, snd_buf;	/* ESTABLISHED with SF_EV_F_REPLY */
	const char *json;
};

static struct json_case json_cases[] = {
	{
		.name = "established v4",
		.type = SF_EV_ESTABLISHED, .family = SF_AF_INET,
		.sport = 40000, .dport = 80, .lcore = 3, .tsc = 123456789012ull,
		.client_isn = 1000, .server_isn = 0xdeadbeef, .mss = 1460,
		.snd_wscale = 7, .rcv_wscale = 9,
		.flags = SF_EV_F_SACK | SF_EV_F_TS,
		.json = "{\"type\":\"established\",\"lcore\":3,"
			"\"tsc\":123456789012,\"family\":4,"
			"\"client\":\"198.18.0.1\",\"client_port\":40000,"
			"\"server\":\"198.18.0.2\",\"server_port\":80,"
			"\"client_isn\":1000,\"server_isn\":3735928559,"
			"\"mss\":1460,\"wscale_client\":7,\"wscale_server\":9,"
			"\"sack\":true,\"ts\":true}",
	},
	{
		.name = "fin v6, no options",
		.type = SF_EV_FIN, .family = SF_AF_INET6,
		.sport = 51000, .dport = 443, .lcore = 0, .tsc = 0,
		.client_isn = 0, .server_isn = 0xffffffff, .mss = 1440,
		.snd_wscale = SF_WSCALE_NONE, .rcv_wscale = SF_WSCALE_NONE,
		.json = "{\"type\":\"fin\",\"lcore\":0,\"tsc\":0,\"family\":6,"
			"\"client\":\"2001:2::1\",\"client_port\":51000,"
			"\"server\":\"2001:2::2\",\"server_port\":443,"
			"\"client_isn\":0,\"server_isn\":4294967295,"
			"\"mss\":1440,\"wscale_client\":null,"
			"\"wscale_server\":null,\"sack\":false,\"ts\":false}",
	},
	{
		.name = "rst v4, sack only, wscale 0",
		.type = SF_EV_RST, .family = SF_AF_INET,
		.sport = 1, .dport = 65535, .lcore = 65535, .tsc = 42,
		.client_isn = 7, .server_isn = 8, .mss = 536,
		.snd_wscale = 0, .rcv_wscale = SF_WSCALE_NONE,
		.flags = SF_EV_F_SACK,
		.json = "{\"type\":\"rst\",\"lcore\":65535,\"tsc\":42,"
			"\"family\":4,\"client\":\"198.18.0.1\","
			"\"client_port\":1,\"server\":\"198.18.0.2\","
			"\"server_port\":65535,\"client_isn\":7,"
			"\"server_isn\":8,\"mss\":536,\"wscale_client\":0,"
			"\"wscale_server\":null,\"sack\":true,\"ts\":false}",
	},
	{
		.name = "timeout v6, ts only",
		.type = SF_EV_TIMEOUT, .family = SF_AF_INET6,
		.sport = 33333, .dport = 80, .lcore = 1, .tsc = UINT64_MAX,
		.client_isn = 5, .server_isn = 6, .mss = 1200,
		.snd_wscale = 14, .rcv_wscale = 7, .flags = SF_EV_F_TS,
		.json = "{\"type\":\"timeout\",\"lcore\":1,"
			"\"tsc\":18446744073709551615,\"family\":6,"
			"\"client\":\"2001:2::1\",\"client_port\":33333,"
			"\"server\":\"2001:2::2\",\"server_port\":80,"
			"\"client_isn\":5,\"server_isn\":6,\"mss\":1200,"
			"\"wscale_client\":14,\"wscale_server\":7,"
			"\"sack\":false,\"ts\":true}",
	},
	{
		.name = "data v4, CR LF",
		.type = SF_EV_DATA, .family = SF_AF_INET,
		.sport = 40000, .dport = 80, .lcore = 2, .tsc = 99,
		.client_isn = 1000, .server_isn = 2000, .seq = 1001,
		.mss = 1460, .snd_wscale = 7, .rcv_wscale = 7,
		.flags = SF_EV_F_SACK | SF_EV_F_TS,
		.hdr_len = 66, .payload = "GET / HTTP/1.1\r\n",
		.payload_len = 16, .data_len = 16,
		.json = "{\"type\":\"data\",\"lcore\":2,\"tsc\":99,\"family\":4,"
			"\"client\":\"198.18.0.1\",\"client_port\":40000,"
			"\"server\":\"198.18.0.2\",\"server_port\":80,"
			"\"client_isn\":1000,\"server_isn\":2000,\"mss\":1460,"
			"\"wscale_client\":7,\"wscale_server\":7,"
			"\"sack\":true,\"ts\":true,\"seq\":1001,\"len\":16,"
			"\"data\":\"GET / HTTP/1.1\\u000d\\u000a\"}",
	},
	{
		.name = "data v6, odd bytes escaped",
		.type = SF_EV_DATA, .family = SF_AF_INET6,
		.sport = 51000, .dport = 443, .lcore = 0, .tsc = 1,
		.client_isn = 1, .server_isn = 2, .seq = 2, .mss = 1220,
		.snd_wscale = SF_WSCALE_NONE, .rcv_wscale = SF_WSCALE_NONE,
		.hdr_len = 74,
		.payload = "\"\\\x00\x1f" "A\x7f\x80\xff\n/ ~",
		.payload_len = 12, .data_len = 12,
		.json = "{\"type\":\"data\",\"lcore\":0,\"tsc\":1,\"family\":6,"
			"\"client\":\"2001:2::1\",\"client_port\":51000,"
			"\"server\":\"2001:2::2\",\"server_port\":443,"
			"\"client_isn\":1,\"server_isn\":2,\"mss\":1220,"
			"\"wscale_client\":null,\"wscale_server\":null,"
			"\"sack\":false,\"ts\":false,\"seq\":2,\"len\":12,"
			"\"data\":\"\\\"\\\\\\u0000\\u001fA\\u007f\\u0080"
			"\\u00ff\\u000a/ ~\"}",
	},
	{
		.name = "data, 100 bytes: first 64 shown",
		.type = SF_EV_DATA, .family = SF_AF_INET,
		.sport = 40001, .dport = 80, .lcore = 1, .tsc = 5,
		.client_isn = 10, .server_isn = 20, .seq = 11, .mss = 1460,
		.snd_wscale = SF_WSCALE_NONE, .rcv_wscale = SF_WSCALE_NONE,
		.hdr_len = 54,
		.payload = "0123456789abcdefghijklmnopqrstuvwxyz"
			   "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
			   "!#$%&()*+,-.:;<=>?@[]^_`{|}0123",
		.payload_len = 100, .data_len = 100,
		.json = "{\"type\":\"data\",\"lcore\":1,\"tsc\":5,\"family\":4,"
			"\"client\":\"198.18.0.1\",\"client_port\":40001,"
			"\"server\":\"198.18.0.2\",\"server_port\":80,"
			"\"client_isn\":10,\"server_isn\":20,\"mss\":1460,"
			"\"wscale_client\":null,\"wscale_server\":null,"
			"\"sack\":false,\"ts\":false,\"seq\":11,\"len\":100,"
			"\"data\":\"0123456789abcdefghijklmnopqrstuvwxyz"
			"ABCDEFGHIJKLMNOPQRSTUVWXYZ01\"}",
	},
	{
		.name = "data, data_len beyond the mbuf: cut at its end",
		.type = SF_EV_DATA, .family = SF_AF_INET,
		.sport = 40002, .dport = 80, .lcore = 1, .tsc = 6,
		.client_isn = 10, .server_isn = 20, .seq = 11, .mss = 1460,
		.snd_wscale = SF_WSCALE_NONE, .rcv_wscale = SF_WSCALE_NONE,
		.hdr_len = 54, .payload = "short", .payload_len = 5,
		.data_len = 40,
		.json = "{\"type\":\"data\",\"lcore\":1,\"tsc\":6,\"family\":4,"
			"\"client\":\"198.18.0.1\",\"client_port\":40002,"
			"\"server\":\"198.18.0.2\",\"server_port\":80,"
			"\"client_isn\":10,\"server_isn\":20,\"mss\":1460,"
			"\"wscale_client\":null,\"wscale_server\":null,"
			"\"sack\":false,\"ts\":false,\"seq\":11,\"len\":40,"
			"\"data\":\"short\"}",
	},
	{
		.name = "data without mbuf",
		.type = SF_EV_DATA, .family = SF_AF_INET,
		.sport = 40003, .dport = 80, .lcore = 1, .tsc = 7,
		.client_isn = 10, .server_isn = 20, .seq = 11, .mss = 1460,
		.snd_wscale = SF_WSCALE_NONE, .rcv_wscale = SF_WSCALE_NONE,
		.payload = NULL, .data_len = 3,
		.json = "{\"type\":\"data\",\"lcore\":1,\"tsc\":7,\"family\":4,"
			"\"client\":\"198.18.0.1\",\"client_port\":40003,"
			"\"server\":\"198.18.0.2\",\"server_port\":80,"
			"\"client_isn\":10,\"server_isn\":20,\"mss\":1460,"
			"\"wscale_client\":null,\"wscale_server\":null,"
			"\"sack\":false,\"ts\":false,\"seq\":11,\"len\":3,"
			"\"data\":\"\"}",
	},
	{
		.name = "unknown type",
		.type = 0, .family = SF_AF_INET,
		.sport = 1234, .dport = 80, .lcore = 0, .tsc = 0,
		.client_isn = 0, .server_isn = 0, .mss = 0,
		.snd_wscale = SF_WSCALE_NONE, .rcv_wscale = SF_WSCALE_NONE,
		.json = "{\"type\":\"unknown\",\"lcore\":0,\"tsc\":0,"
			"\"family\":4,\"client\":\"198.18.0.1\","
			"\"client_port\":1234,\"server\":\"198.18.0.2\","
			"\"server_port\":80,\"client_isn\":0,\"server_isn\":0,"
			"\"mss\":0,\"wscale_client\":null,"
			"\"wscale_server\":null,\"sack\":false,\"ts\":false}",
	},
	{
		.name = "unknown family: null addresses",
		.type = SF_EV_RST, .family = 5,
		.sport = 1234, .dport = 80, .lcore = 0, .tsc = 0,
		.client_isn = 0, .server_isn = 0, .mss = 0,
		.snd_wscale = SF_WSCALE_NONE, .rcv_wscale = SF_WSCALE_NONE,
		.json = "{\"type\":\"rst\",\"lcore\":0,\"tsc\":0,"
			"\"family\":5,\"client\":null,"
			"\"client_port\":1234,\"server\":null,"
			"\"server_port\":80,\"client_isn\":0,\"server_isn\":0,"
			"\"mss\":0,\"wscale_client\":null,"
			"\"wscale_server\":null,\"sack\":false,\"ts\":false}",
	},
	{
		.name = "established with the reply channel and a handle",
		.type = SF_EV_ESTABLISHED, .family = SF_AF_INET,
		.sport = 40001, .dport = 80, .lcore = 1, .tsc = 7,
		.client_isn = 1, .server_isn = 2, .mss = 1460,
		.snd_wscale = SF_WSCALE_NONE, .rcv_wscale = SF_WSCALE_NONE,
		.flags = SF_EV_F_REPLY,
		.handle = { .slot = 17, .gen = 99, .worker = 2 },
		.credit = 262144, .snd_buf = 131072,
		.json = "{\"type\":\"established\",\"lcore\":1,\"tsc\":7,"
			"\"family\":4,\"client\":\"198.18.0.1\","
			"\"client_port\":40001,\"server\":\"198.18.0.2\","
			"\"server_port\":80,\"client_isn\":1,\"server_isn\":2,"
			"\"mss\":1460,\"wscale_client\":null,"
			"\"wscale_server\":null,\"sack\":false,\"ts\":false,"
			"\"worker\":2,\"slot\":17,\"gen\":99,\"reply\":true,"
			"\"credit\":262144,\"snd_buf\":131072}",
	},
	{
		.name = "acked: bytes acknowledged",
		.type = SF_EV_ACKED, .family = SF_AF_INET,
		.sport = 40001, .dport = 80, .lcore = 1, .tsc = 8,
		.client_isn = 1, .server_isn = 2, .seq = 4000000000u,
		.mss = 1460,
		.snd_wscale = SF_WSCALE_NONE, .rcv_wscale = SF_WSCALE_NONE,
		.flags = SF_EV_F_REPLY,
		.handle = { .slot = 17, .gen = 99, .worker = 2 },
		.json = "{\"type\":\"acked\",\"lcore\":1,\"tsc\":8,"
			"\"family\":4,\"client\":\"198.18.0.1\","
			"\"client_port\":40001,\"server\":\"198.18.0.2\","
			"\"server_port\":80,\"client_isn\":1,\"server_isn\":2,"
			"\"mss\":1460,\"wscale_client\":null,"
			"\"wscale_server\":null,\"sack\":false,\"ts\":false,"
			"\"worker\":2,\"slot\":17,\"gen\":99,"
			"\"acked\":4000000000}",
	},
	{
		.name = "rst sent by the worker",
		.type = SF_EV_RST, .family = SF_AF_INET,
		.sport = 40001, .dport = 80, .lcore = 1, .tsc = 9,
		.client_isn = 1, .server_isn = 2, .mss = 1460,
		.snd_wscale = SF_WSCALE_NONE, .rcv_wscale = SF_WSCALE_NONE,
		.flags = SF_EV_F_REPLY | SF_EV_F_LOCAL,
		.handle = { .slot = 0, .gen = 1, .worker = 0 },
		.json = "{\"type\":\"rst\",\"lcore\":1,\"tsc\":9,"
			"\"family\":4,\"client\":\"198.18.0.1\","
			"\"client_port\":40001,\"server\":\"198.18.0.2\","
			"\"server_port\":80,\"client_isn\":1,\"server_isn\":2,"
			"\"mss\":1460,\"wscale_client\":null,"
			"\"wscale_server\":null,\"sack\":false,\"ts\":false,"
			"\"worker\":0,\"slot\":0,\"gen\":1,\"local\":true}",
	},
	{
		.name = "closed",
		.type = SF_EV_CLOSED, .family = SF_AF_INET,
		.sport = 40001, .dport = 80, .lcore = 1, .tsc = 10,
		.client_isn = 1, .server_isn = 2, .mss = 1460,
		.snd_wscale = SF_WSCALE_NONE, .rcv_wscale = SF_WSCALE_NONE,
		.flags = SF_EV_F_REPLY,
		.handle = { .slot = 3, .gen = 4, .worker = 5 },
		.json = "{\"type\":\"closed\",\"lcore\":1,\"tsc\":10,"
			"\"family\":4,\"client\":\"198.18.0.1\","
			"\"client_port\":40001,\"server\":\"198.18.0.2\","
			"\"server_port\":80,\"client_isn\":1,\"server_isn\":2,"
			"\"mss\":1460,\"wscale_client\":null,"
			"\"wscale_server\":null,\"sack\":false,\"ts\":false,"
			"\"worker\":5,\"slot\":3,\"gen\":4}",
	},
};

static void
json_case_build(struct json_case *jc)
{
	struct sf_event *ev = &jc->ev;

	*ev = make_event(jc->type, jc->family, jc->sport, jc->dport);
	ev->flow.family = jc->family;
	ev->lcore = jc->lcore;
	ev->tsc = jc->tsc;
	ev->client_isn = jc->client_isn;
	ev->server_isn = jc->server_isn;
	ev->seq = jc->seq;
	ev->mss = jc->mss;
	ev->snd_wscale = jc->snd_wscale;
	ev->rcv_wscale = jc->rcv_wscale;
	ev->flags = jc->flags;
	ev->data_len = jc->data_len;
	ev->handle = jc->handle;
	ev->credit = jc->credit;
	ev->snd_buf = jc->snd_buf;
	if (jc->payload != NULL) {
		ev->mbuf = make_mbuf(jc->hdr_len, jc->payload, jc->payload_len);
		ev->data_off = jc->hdr_len;
	}
}

static int
json_setup(void **state)
{
	unsigned int i;

	(void)state;
	for (i = 0; i < RTE_DIM(json_cases); i++)
		json_case_build(&json_cases[i]);
	return 0;
}

static int
json_teardown(void **state)
{
	unsigned int i;

	(void)state;
	for (i = 0; i < RTE_DIM(json_cases); i++)
		sf_event_release(&json_cases[i].ev);
	return 0;
}

static void
test_json_fixtures(void **state)
{
	char buf[1024];
	unsigned int i;

	(void)state;
	for (i = 0; i < RTE_DIM(json_cases); i++) {
		const struct json_case *jc = &json_cases[i];
		int n;

		memset(buf, CANARY_BYTE, sizeof(buf));
		n = sf_event_format_json(&jc->ev, buf, sizeof(buf));
		if (strcmp(buf, jc->json) != 0)
			fail_msg("%s:\n got  %s\n want %s", jc->name, buf,
				 jc->json);
		assert_int_equal(n, strlen(jc->json));
		/* one object, no newline */
		assert_null(strchr(buf, '\n'));
	}
}

/*
 * Every buffer length from 0 to past the full length: the return value is
 * the full length, the output a NUL-terminated prefix, and nothing past
 * len bytes is touched.
 */
static void
test_json_truncation(void **state)
{
	unsigned int i;

	(void)state;
	for (i = 0; i < RTE_DIM(json_cases); i++) {
		const struct json_case *jc = &json_cases[i];
		size_t full = strlen(jc->json);
		size_t len;

		assert_int_equal(sf_event_format_json(&jc->ev, NULL, 0), full);
		for (len = 0; len <= full + 2; len++) {
			uint8_t *mem = malloc(len + CANARY_LEN);
			char *buf = (char *)mem;
			size_t k, shown;

			assert_non_null(mem);
			memset(mem, CANARY_BYTE, len + CANARY_LEN);
			assert_int_equal(sf_event_format_json(&jc->ev, buf, len),
					 full);
			for (k = len; k < len + CANARY_LEN; k++)
				if (mem[k] != CANARY_BYTE)
					fail_msg("%s: len %zu: byte %zu overwritten",
						 jc->name, len, k);
			if (len > 0) {
				shown = RTE_MIN(len - 1, full);
				assert_int_equal(strlen(buf), shown);
				assert_memory_equal(buf, jc->json, shown);
			}
			free(mem);
		}
	}
}

/* Payload spread over two chained segments. */
static void
test_json_segmented(void **state)
{
	struct rte_mbuf *m1, *m2;
	struct sf_event ev;
	char buf[1024];
	const char *data;
	unsigned int avail = rte_mempool_avail_count(pool);

	(void)state;
	m1 = make_mbuf(3, "xyz", 3);
	m2 = make_mbuf(0, "12345", 5);
	assert_int_equal(rte_pktmbuf_chain(m1, m2), 0);

	ev = make_event(SF_EV_DATA, SF_AF_INET, 40000, 80);
	ev.mbuf = m1;
	ev.data_off = 3;
	ev.data_len = 8;
	assert_true(sf_event_format_json(&ev, buf, sizeof(buf)) > 0);
	data = strstr(buf, "\"data\":");
	assert_non_null(data);
	assert_string_equal(data, "\"data\":\"xyz12345\"}");

	/* data_off past the packet: nothing shown, nothing read */
	ev.data_off = 200;
	assert_true(sf_event_format_json(&ev, buf, sizeof(buf)) > 0);
	data = strstr(buf, "\"data\":");
	assert_non_null(data);
	assert_string_equal(data, "\"data\":\"\"}");

	sf_event_release(&ev);
	assert_int_equal(rte_mempool_avail_count(pool), avail);
}

static void
test_event_size(void **state)
{
	(void)state;
	assert_int_equal(sizeof(struct sf_event), 104);
	assert_int_equal(sizeof(struct sf_event) % 4, 0);
}

/* ------------------------------------------------------------------ */
/* Ring claims                                                         */

#define ME_PID		100
#define OTHER_PID	200
#define W(owner, pid)	((uint64_t)(owner) << 32 | (uint32_t)(pid))

/* Liveness by table: OTHER_PID lives unless arg says it died. */
static bool
fake_alive(uint32_t pid, void *arg)
{
	const bool *other_dead = arg;

	return !(pid == OTHER_PID && *other_dead);
}

struct claim_case {
	const char *name;
	uint64_t word;		/* before */
	struct sf_handoff_holder me;
	bool other_dead;
	int ret;		/* expected */
	uint64_t after;		/* word expected after */
	struct sf_handoff_holder holder;	/* expected on -EBUSY */
};

static const struct claim_case claim_cases[] = {
	{ "free", 0, { ME_PID, SF_HANDOFF_OWNER_BUILTIN }, false, 0,
	  W(SF_HANDOFF_OWNER_BUILTIN, ME_PID), { 0, 0 } },
	{ "ours already", W(SF_HANDOFF_OWNER_EXTERNAL, ME_PID),
	  { ME_PID, SF_HANDOFF_OWNER_EXTERNAL }, false, 0,
	  W(SF_HANDOFF_OWNER_EXTERNAL, ME_PID), { 0, 0 } },
	{ "held by a live built-in consumer",
	  W(SF_HANDOFF_OWNER_BUILTIN, OTHER_PID),
	  { ME_PID, SF_HANDOFF_OWNER_EXTERNAL }, false, -EBUSY,
	  W(SF_HANDOFF_OWNER_BUILTIN, OTHER_PID),
	  { OTHER_PID, SF_HANDOFF_OWNER_BUILTIN } },
	{ "held by a live sf-events", W(SF_HANDOFF_OWNER_EXTERNAL, OTHER_PID),
	  { ME_PID, SF_HANDOFF_OWNER_EXTERNAL }, false, -EBUSY,
	  W(SF_HANDOFF_OWNER_EXTERNAL, OTHER_PID),
	  { OTHER_PID, SF_HANDOFF_OWNER_EXTERNAL } },
	{ "held by a dead sf-events: taken over",
	  W(SF_HANDOFF_OWNER_EXTERNAL, OTHER_PID),
	  { ME_PID, SF_HANDOFF_OWNER_EXTERNAL }, true, 0,
	  W(SF_HANDOFF_OWNER_EXTERNAL, ME_PID), { 0, 0 } },
	{ "held by us as the other kind", W(SF_HANDOFF_OWNER_BUILTIN, ME_PID),
	  { ME_PID, SF_HANDOFF_OWNER_EXTERNAL }, false, -EBUSY,
	  W(SF_HANDOFF_OWNER_BUILTIN, ME_PID),
	  { ME_PID, SF_HANDOFF_OWNER_BUILTIN } },
	{ "owner NONE refused", 0, { ME_PID, SF_HANDOFF_OWNER_NONE }, false,
	  -EINVAL, 0, { 0, 0 } },
	{ "pid 0 refused", 0, { 0, SF_HANDOFF_OWNER_EXTERNAL }, false,
	  -EINVAL, 0, { 0, 0 } },
};

static void
test_claim_table(void **state)
{
	unsigned int i;

	(void)state;
	for (i = 0; i < RTE_DIM(claim_cases); i++) {
		const struct claim_case *c = &claim_cases[i];
		struct sf_handoff_holder h = { 0, 0 };
		uint64_t word = c->word;
		bool dead = c->other_dead;
		int ret;

		ret = sf_handoff_claim_word(&word, &c->me, fake_alive, &dead, &h);
		if (ret != c->ret || word != c->after ||
		    h.pid != c->holder.pid || h.owner != c->holder.owner)
			fail_msg("%s: ret %d word %#" PRIx64 " holder %u/%u",
				 c->name, ret, word, h.pid, h.owner);
	}
}

static void
test_unclaim(void **state)
{
	const struct sf_handoff_holder me = { ME_PID, SF_HANDOFF_OWNER_EXTERNAL };
	const struct sf_handoff_holder kind = { ME_PID, SF_HANDOFF_OWNER_BUILTIN };
	const struct sf_handoff_holder other = { OTHER_PID,
						 SF_HANDOFF_OWNER_EXTERNAL };
	uint64_t word = 0;
	bool dead = false;

	(void)state;
	assert_int_equal(sf_handoff_claim_word(&word, &me, fake_alive, &dead,
					       NULL), 0);
	/* someone else's, or ours as another kind: left alone */
	assert_int_equal(sf_handoff_unclaim_word(&word, &other), -EPERM);
	assert_int_equal(sf_handoff_unclaim_word(&word, &kind), -EPERM);
	assert_true(word == W(SF_HANDOFF_OWNER_EXTERNAL, ME_PID));
	assert_int_equal(sf_handoff_unclaim_word(&word, &me), 0);
	assert_true(word == 0);
	assert_int_equal(sf_handoff_unclaim_word(&word, &me), -EPERM);
	/* free again: the other one gets it */
	assert_int_equal(sf_handoff_claim_word(&word, &other, fake_alive,
					       &dead, NULL), 0);
	assert_true(word == W(SF_HANDOFF_OWNER_EXTERNAL, OTHER_PID));
}

/* kill(pid, 0): this process lives; a reaped child does not. */
static void
test_pid_alive(void **state)
{
	const struct sf_handoff_holder me = { (uint32_t)getpid(),
					      SF_HANDOFF_OWNER_EXTERNAL };
	struct sf_handoff_holder h;
	uint64_t word;
	pid_t child;
	int st;

	(void)state;
	assert_true(sf_handoff_pid_alive((uint32_t)getpid(), NULL));
	child = fork();
	assert_true(child >= 0);
	if (child == 0)
		_exit(0);
	assert_int_equal(waitpid(child, &st, 0), child);
	assert_false(sf_handoff_pid_alive((uint32_t)child, NULL));

	word = W(SF_HANDOFF_OWNER_BUILTIN, child);
	assert_int_equal(sf_handoff_claim_word(&word, &me, sf_handoff_pid_alive,
					       NULL, &h), 0);
	assert_true(word == W(SF_HANDOFF_OWNER_EXTERNAL, getpid()));
}

/* Through the memzone of a real ring, in this (primary) process. */
static void
test_claim_ring(void **state)
{
	struct sf_handoff_holder h = { 0, 0 };
	struct rte_ring *r;

	(void)state;
	assert_int_equal(sf_handoff_claim(9, SF_HANDOFF_OWNER_BUILTIN, &h),
			 -ENOENT);
	r = sf_handoff_create(9, 64, SOCKET_ID_ANY);
	assert_non_null(r);
	assert_int_equal(sf_handoff_claim(9, SF_HANDOFF_OWNER_BUILTIN, &h), 0);
	assert_int_equal(sf_handoff_claim(9, SF_HANDOFF_OWNER_EXTERNAL, &h),
			 -EBUSY);
	assert_int_equal(h.pid, (uint32_t)getpid());
	assert_int_equal(h.owner, SF_HANDOFF_OWNER_BUILTIN);
	/* a second create of the same ring does not reset a live claim */
	assert_null(sf_handoff_create(9, 64, SOCKET_ID_ANY));
	assert_int_equal(rte_errno, EEXIST);
	assert_int_equal(sf_handoff_claim(9, SF_HANDOFF_OWNER_EXTERNAL, NULL),
			 -EBUSY);
	assert_int_equal(sf_handoff_release(9, SF_HANDOFF_OWNER_EXTERNAL),
			 -EPERM);
	assert_int_equal(sf_handoff_release(9, SF_HANDOFF_OWNER_BUILTIN), 0);
	assert_int_equal(sf_handoff_claim(9, SF_HANDOFF_OWNER_EXTERNAL, NULL),
			 0);
	/* a ring made again starts unclaimed */
	sf_handoff_free(r);
	assert_int_equal(sf_handoff_claim(9, SF_HANDOFF_OWNER_EXTERNAL, NULL),
			 -ENOENT);
	r = sf_handoff_create(9, 64, SOCKET_ID_ANY);
	assert_non_null(r);
	assert_int_equal(sf_handoff_claim(9, SF_HANDOFF_OWNER_BUILTIN, NULL), 0);
	sf_handoff_free(r);

	assert_string_equal(sf_handoff_owner_str(SF_HANDOFF_OWNER_BUILTIN),
			    "synfront's built-in consumer");
	assert_non_null(sf_handoff_owner_str(77));
}

/* All or none: a failure releases the claims taken before it. */
static void
test_claim_all(void **state)
{
	struct sf_handoff_holder h = { 0, 0 };
	unsigned int failed = 99;
	struct rte_ring *r[2];

	(void)state;
	r[0] = sf_handoff_create(0, 64, SOCKET_ID_ANY);
	r[1] = sf_handoff_create(1, 64, SOCKET_ID_ANY);
	assert_non_null(r[0]);
	assert_non_null(r[1]);
	/* no ring 2: rings 0 and 1 are left unclaimed */
	assert_int_equal(sf_handoff_claim_all(3, SF_HANDOFF_OWNER_BUILTIN, &h,
					      &failed), -ENOENT);
	assert_int_equal(failed, 2);
	assert_int_equal(sf_handoff_release(0, SF_HANDOFF_OWNER_BUILTIN),
			 -EPERM);
	assert_int_equal(sf_handoff_release(1, SF_HANDOFF_OWNER_BUILTIN),
			 -EPERM);
	/* ring 1 held by another owner: its holder is named */
	assert_int_equal(sf_handoff_claim(1, SF_HANDOFF_OWNER_EXTERNAL, NULL),
			 0);
	assert_int_equal(sf_handoff_claim_all(2, SF_HANDOFF_OWNER_BUILTIN, &h,
					      &failed), -EBUSY);
	assert_int_equal(failed, 1);
	assert_int_equal(h.owner, SF_HANDOFF_OWNER_EXTERNAL);
	assert_int_equal(h.pid, (uint32_t)getpid());
	assert_int_equal(sf_handoff_release(0, SF_HANDOFF_OWNER_BUILTIN),
			 -EPERM);
	assert_int_equal(sf_handoff_release(1, SF_HANDOFF_OWNER_EXTERNAL), 0);
	assert_int_equal(sf_handoff_claim_all(2, SF_HANDOFF_OWNER_BUILTIN,
					      NULL, NULL), 0);
	assert_int_equal(sf_handoff_release(0, SF_HANDOFF_OWNER_BUILTIN), 0);
	assert_int_equal(sf_handoff_release(1, SF_HANDOFF_OWNER_BUILTIN), 0);
	sf_handoff_free(r[0]);
	sf_handoff_free(r[1]);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_event_size),
		cmocka_unit_test(test_handoff_create_lookup),
		cmocka_unit_test(test_handoff_order),
		cmocka_unit_test(test_handoff_full),
		cmocka_unit_test(test_handoff_mbuf_release),
		cmocka_unit_test(test_handoff_drain_many),
		cmocka_unit_test(test_event_type_str),
		cmocka_unit_test(test_cmd_type_str),
		cmocka_unit_test(test_cmd_ring),
		cmocka_unit_test_setup_teardown(test_json_fixtures,
						json_setup, json_teardown),
		cmocka_unit_test_setup_teardown(test_json_truncation,
						json_setup, json_teardown),
		cmocka_unit_test(test_json_segmented),
		cmocka_unit_test(test_claim_table),
		cmocka_unit_test(test_unclaim),
		cmocka_unit_test(test_pid_alive),
		cmocka_unit_test(test_claim_ring),
		cmocka_unit_test(test_claim_all),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
