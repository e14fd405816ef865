/* SPDX-License-Identifier: BSD-3-Clause */

/*
 * Unit tests of lib/proxy: PROXY protocol headers byte for byte, backend
 * lists, balancing, down marks, the latency histogram, and the connection
 * state machine driven with fake events through real rte_rings against
 * local sockets as backends (the test plays the worker: it enqueues
 * events and dequeues the proxy's commands).
 */

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <netinet/in.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <cmocka.h>

#include <rte_byteorder.h>
#include <rte_common.h>
#include <rte_cycles.h>
#include <rte_mbuf.h>
#include <rte_mempool.h>
#include <rte_ring.h>
#include <rte_ring_elem.h>

#include "sf_handoff.h"
#include "sf_proxy.h"
#include "unit_eal.h"

#define POOL_MBUFS	127
#define PROXY_MBUFS	63
#define PROXY_CONNS	64
#define RING_SIZE	256
#define FAKE_HDR	54	/* bytes before the payload in a DATA mbuf */
#define PUMP_TRIES	2000	/* rounds before giving up on a socket */
#define PUMP_SLEEP_US	500
#define QUIET_ROUNDS	20	/* rounds that must bring no command */
#define SND_BUF		4096
#define CREDIT		65536
#define IO_TIMEOUT_S	5	/* safety net of blocking reads */

static struct rte_mempool *pool;	/* the worker's DATA mbufs */
static struct rte_ring *ev_ring;	/* worker 0's events */
static struct rte_ring *cmd_ring;	/* worker 0's commands */
static char proxy_name[16];		/* this test's proxy */
static unsigned int n_proxies;

static int
group_setup(void **state)
{
	(void)state;
	if (sf_unit_eal_init("sf_test_proxy") != 0)
		return -1;
	pool = sf_unit_pool("sf_test_pool", POOL_MBUFS);
	ev_ring = sf_handoff_create(0, RING_SIZE, SOCKET_ID_ANY);
	/* the worker side's ring: the test plays the worker */
	cmd_ring = sf_cmd_create(0, RING_SIZE, SOCKET_ID_ANY);
	return pool == NULL || ev_ring == NULL || cmd_ring == NULL ? -1 : 0;
}

static int
group_teardown(void **state)
{
	(void)state;
	sf_handoff_free(ev_ring);
	sf_cmd_free(cmd_ring);
	rte_mempool_free(pool);
	return 0;
}

/*
 * PROXY protocol
 */

static struct sf_flow
make_flow(uint8_t family, const char *cli, const char *srv, uint16_t sport,
	  uint16_t dport)
{
	struct sf_flow f;

	memset(&f, 0, sizeof(f));
	f.family = family;
	assert_int_equal(inet_pton(family == SF_AF_INET ? AF_INET : AF_INET6,
				   cli, f.cli_addr), 1);
	assert_int_equal(inet_pton(family == SF_AF_INET ? AF_INET : AF_INET6,
				   srv, f.srv_addr), 1);
	f.cli_port = rte_cpu_to_be_16(sport);
	f.srv_port = rte_cpu_to_be_16(dport);
	return f;
}

#define SIG "\x0d\x0a\x0d\x0a\x00\x0d\x0a\x51\x55\x49\x54\x0a"

static const struct pp_case {
	enum sf_proxy_pp version;
	uint8_t family;
	const char *cli, *srv;
	uint16_t sport, dport;
	const char *want;
	size_t want_len;
} pp_cases[] = {
	/* proxy-protocol.txt's own example */
	{ SF_PROXY_PP_V1, SF_AF_INET, "192.168.0.1", "192.168.0.11", 56324,
	  443, "PROXY TCP4 192.168.0.1 192.168.0.11 56324 443\r\n", 47 },
	{ SF_PROXY_PP_V1, SF_AF_INET, "198.18.0.1", "198.18.0.2", 40000, 80,
	  "PROXY TCP4 198.18.0.1 198.18.0.2 40000 80\r\n", 43 },
	{ SF_PROXY_PP_V1, SF_AF_INET, "255.255.255.255", "255.255.255.255",
	  65535, 65535,
	  "PROXY TCP4 255.255.255.255 255.255.255.255 65535 65535\r\n", 56 },
	{ SF_PROXY_PP_V1, SF_AF_INET6, "2001:2::1", "2001:2::2", 40000, 80,
	  "PROXY TCP6 2001:2::1 2001:2::2 40000 80\r\n", 41 },
	/* the longest line the spec allows: 104 bytes */
	{ SF_PROXY_PP_V1, SF_AF_INET6,
	  "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff",
	  "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", 65535, 65535,
	  "PROXY TCP6 ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff "
	  "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff 65535 65535\r\n", 104 },
	{ SF_PROXY_PP_V2, SF_AF_INET, "198.18.0.1", "198.18.0.2", 40000, 80,
	  SIG "\x21\x11\x00\x0c"
	  "\xc6\x12\x00\x01" "\xc6\x12\x00\x02" "\x9c\x40" "\x00\x50", 28 },
	{ SF_PROXY_PP_V2, SF_AF_INET6, "2001:2::1", "2001:2::2", 40000, 443,
	  SIG "\x21\x21\x00\x24"
	  "\x20\x01\x00\x02\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x01"
	  "\x20\x01\x00\x02\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x02"
	  "\x9c\x40" "\x01\xbb", 52 },
};

static void
test_pp_headers(void **state)
{
	uint8_t buf[SF_PROXY_PP_MAX];
	unsigned int i;
	int n;

	(void)state;
	for (i = 0; i < RTE_DIM(pp_cases); i++) {
		const struct pp_case *c = &pp_cases[i];
		struct sf_flow f = make_flow(c->family, c->cli, c->srv,
					     c->sport, c->dport);

		memset(buf, 0xee, sizeof(buf));
		n = sf_proxy_pp_encode(c->version, &f, buf, sizeof(buf));
		if (n != (int)c->want_len ||
		    memcmp(buf, c->want, c->want_len) != 0)
			fail_msg("case %u: %d bytes, want %zu", i, n,
				 c->want_len);
		/* one byte short of room: refused, nothing half-written */
		assert_int_equal(sf_proxy_pp_encode(c->version, &f, buf,
						    c->want_len - 1), -1);
	}
}

static void
test_pp_refused(void **state)
{
	struct sf_flow f = make_flow(SF_AF_INET, "198.18.0.1", "198.18.0.2",
				     1, 2);
	uint8_t buf[SF_PROXY_PP_MAX];

	(void)state;
	assert_int_equal(sf_proxy_pp_encode(SF_PROXY_PP_OFF, &f, buf,
					    sizeof(buf)), -1);
	f.family = 0;
	assert_int_equal(sf_proxy_pp_encode(SF_PROXY_PP_V1, &f, buf,
					    sizeof(buf)), -1);
	assert_int_equal(sf_proxy_pp_encode(SF_PROXY_PP_V2, &f, buf,
					    sizeof(buf)), -1);
}

/*
 * Backend lists
 */

static void
test_backends_good(void **state)
{
	struct sf_proxy_addr a[SF_PROXY_MAX_BACKENDS];
	char err[128] = "", s[SF_PROXY_ADDR_STR_LEN];
	int n;

	(void)state;
	n = sf_proxy_backends_parse("198.18.2.2:8080, [2001:2:2::2]:8080",
				    a, RTE_DIM(a), err, sizeof(err));
	assert_int_equal(n, 2);
	assert_int_equal(a[0].family, SF_AF_INET);
	assert_int_equal(a[0].port, 8080);
	assert_string_equal(sf_proxy_addr_str(&a[0], s, sizeof(s)),
			    "198.18.2.2:8080");
	assert_int_equal(a[1].family, SF_AF_INET6);
	assert_int_equal(a[1].port, 8080);
	assert_string_equal(sf_proxy_addr_str(&a[1], s, sizeof(s)),
			    "[2001:2:2::2]:8080");
	n = sf_proxy_backends_parse("\t127.0.0.1:1 ,[::1]:65535", a,
				    RTE_DIM(a), err, sizeof(err));
	assert_int_equal(n, 2);
	assert_int_equal(a[0].port, 1);
	assert_string_equal(sf_proxy_addr_str(&a[1], s, sizeof(s)),
			    "[::1]:65535");
	assert_string_equal(err, "");
}

static const struct {
	const char *text;
	const char *err;
} bad_backends[] = {
	{ "", "'' is an empty item" },
	{ "198.18.2.2:80,", "'' is an empty item" },
	{ "198.18.2.2", "'198.18.2.2' has no ':PORT'" },
	{ "[2001:2:2::2]", "'[2001:2:2::2]' has no ':PORT'" },
	{ "198.18.2.2:0", "'198.18.2.2:0' has no port in 1..65535" },
	{ "198.18.2.2:65536", "'198.18.2.2:65536' has no port in 1..65535" },
	{ "198.18.2.2:8o", "'198.18.2.2:8o' has no port in 1..65535" },
	{ "198.18.2.2:", "'198.18.2.2:' has no port in 1..65535" },
	{ "198.18.2.2:000080",
	  "'198.18.2.2:000080' has no port in 1..65535" },
	{ "\v198.18.2.2:80",	/* blanks are trimmed, other spaces not */
	  "'?198.18.2.2:80' is not an IPv4 address or a [IPv6] address" },
	{ "2001:2:2::2:8080",
	  "'2001:2:2::2:8080' is an IPv6 address without brackets ([ADDR]:PORT)" },
	{ "[2001:2:2::2:8080",
	  "'[2001:2:2::2:8080' has no ']' after the IPv6 address" },
	{ "[198.18.2.2]:80",
	  "'[198.18.2.2]:80' is not an IPv4 address or a [IPv6] address" },
	{ "backend.example:80",
	  "'backend.example:80' is not an IPv4 address or a [IPv6] address" },
	{ "198.18.2.256:80",
	  "'198.18.2.256:80' is not an IPv4 address or a [IPv6] address" },
	{ "1.2.3.4:80, 1.2.3.4:80", "'1.2.3.4:80' is given twice" },
	{ "1.1.1.1:1,1.1.1.1:2,1.1.1.1:3,1.1.1.1:4,1.1.1.1:5,1.1.1.1:6,"
	  "1.1.1.1:7,1.1.1.1:8,1.1.1.1:9,1.1.1.1:10,1.1.1.1:11,1.1.1.1:12,"
	  "1.1.1.1:13,1.1.1.1:14,1.1.1.1:15,1.1.1.1:16,1.1.1.1:17",
	  "more than 16 backends" },
};

static void
test_backends_bad(void **state)
{
	struct sf_proxy_addr a[SF_PROXY_MAX_BACKENDS];
	char err[128];
	unsigned int i;

	(void)state;
	for (i = 0; i < RTE_DIM(bad_backends); i++) {
		err[0] = '\0';
		if (sf_proxy_backends_parse(bad_backends[i].text, a,
					    RTE_DIM(a), err,
					    sizeof(err)) != -1)
			fail_msg("'%s' accepted", bad_backends[i].text);
		if (strcmp(err, bad_backends[i].err) != 0)
			fail_msg("'%s': got \"%s\", want \"%s\"",
				 bad_backends[i].text, err,
				 bad_backends[i].err);
		assert_null(strchr(err, '\n'));
	}
}

/*
 * Balancing, down marks
 */

/* Three backends, down for 100 TSC after @p fall failures in a row. */
static void
three_backends_fall(struct sf_proxy_backends *b, enum sf_proxy_balance bal,
		    uint32_t fall)
{
	struct sf_proxy_addr a[3];
	char err[64];

	assert_int_equal(sf_proxy_backends_parse(
		"10.0.0.1:80,10.0.0.2:80,10.0.0.3:80", a, 3, err,
		sizeof(err)), 3);
	sf_proxy_backends_init(b, a, 3, bal, 100, fall);
}

/* The same, down at the first failure. */
static void
three_backends(struct sf_proxy_backends *b, enum sf_proxy_balance bal)
{
	three_backends_fall(b, bal, 1);
}

/*
 * [proxy] fall = 3: backend 0 is marked down at its third failure in a
 * row, a success forgets the ones before; once its mark ends, the next
 * failure in the same row marks it down again at once.
 */
static void
test_fall(void **state)
{
	static const struct {
		char op;		/* 'f' failure, 'o' success, '-' none */
		uint64_t now;
		bool down;		/* is_down(0, now) after it */
		int pick;		/* round-robin pick from 0 (tried 2) */
	} steps[] = {
		{ 'f', 1000, false, 0 },
		{ 'f', 1010, false, 0 },
		{ 'o', 1020, false, 0 },	/* the row starts again */
		{ 'f', 1030, false, 0 },
		{ 'f', 1040, false, 0 },
		{ 'f', 1050, true, 1 },		/* third in a row */
		{ '-', 1149, true, 1 },
		{ '-', 1150, false, 0 },	/* down_tsc 100 later */
		{ 'f', 1200, true, 1 },		/* still failing: down again */
		{ 'o', 1210, false, 0 },
	};
	struct sf_proxy_backends b;
	unsigned int i;

	(void)state;
	three_backends_fall(&b, SF_PROXY_RR, 3);
	assert_int_equal(b.fall, 3);
	for (i = 0; i < RTE_DIM(steps); i++) {
		if (steps[i].op == 'f')
			sf_proxy_backend_fail(&b, 0, steps[i].now);
		else if (steps[i].op == 'o')
			sf_proxy_backend_ok(&b, 0);
		if (sf_proxy_backend_is_down(&b, 0, steps[i].now) !=
		    steps[i].down)
			fail_msg("step %u: down %d", i, !steps[i].down);
		b.rr_next = 0;
		assert_int_equal(sf_proxy_backend_pick(&b, 0, 1u << 2,
						       steps[i].now),
				 steps[i].pick);
	}
	assert_int_equal(b.be[0].failures, 6);
	/* fall 0 reads as 1 */
	three_backends_fall(&b, SF_PROXY_RR, 0);
	sf_proxy_backend_fail(&b, 1, 0);
	assert_true(sf_proxy_backend_is_down(&b, 1, 0));
}

static void
test_round_robin(void **state)
{
	static const int want[] = { 0, 1, 2, 0, 1, 2, 0 };
	struct sf_proxy_backends b;
	unsigned int i;

	(void)state;
	three_backends(&b, SF_PROXY_RR);
	for (i = 0; i < RTE_DIM(want); i++)
		assert_int_equal(sf_proxy_backend_pick(&b, 12345, 0, 1000),
				 want[i]);
	/* 1 down: skipped, the others keep turns */
	sf_proxy_backend_fail(&b, 1, 1000);
	assert_int_equal(sf_proxy_backend_pick(&b, 0, 0, 1000), 2);
	assert_int_equal(sf_proxy_backend_pick(&b, 0, 0, 1000), 0);
	assert_int_equal(sf_proxy_backend_pick(&b, 0, 0, 1000), 2);
	/* a retry of one connection does not move the cursor */
	assert_int_equal(sf_proxy_backend_pick(&b, 0, 1u << 0, 1000), 2);
	assert_int_equal(sf_proxy_backend_pick(&b, 0, 1u << 0, 1000), 2);
	assert_int_equal(sf_proxy_backend_pick(&b, 0, 0, 1000), 0);
	/* every one tried or down: none */
	assert_int_equal(sf_proxy_backend_pick(&b, 0, (1u << 0) | (1u << 2),
					       1000), -1);
}

static void
test_source_hash(void **state)
{
	struct sf_proxy_backends b;
	struct sf_flow f1 = make_flow(SF_AF_INET, "198.18.0.1", "198.18.0.2",
				      1000, 80);
	struct sf_flow f2 = f1;
	unsigned int seen = 0, i;
	uint32_t h1;
	int first;

	(void)state;
	three_backends(&b, SF_PROXY_SRC_HASH);
	/* the port does not count: one client, one backend */
	f2.cli_port = rte_cpu_to_be_16(2000);
	h1 = sf_proxy_source_hash(&f1);
	assert_int_equal(h1, sf_proxy_source_hash(&f2));
	first = sf_proxy_backend_pick(&b, h1, 0, 0);
	assert_int_equal(first, (int)(h1 % 3));
	for (i = 0; i < 5; i++)
		assert_int_equal(sf_proxy_backend_pick(&b, h1, 0, 0), first);
	/* its backend down: the next one, and back after recovery */
	sf_proxy_backend_fail(&b, (unsigned int)first, 0);
	assert_int_equal(sf_proxy_backend_pick(&b, h1, 0, 50),
			 (first + 1) % 3);
	assert_int_equal(sf_proxy_backend_pick(&b, h1, 0, 100), first);
	/* 64 clients reach every backend */
	for (i = 0; i < 64; i++) {
		f2.cli_addr[3] = (uint8_t)i;
		seen |= 1u << sf_proxy_backend_pick(
			&b, sf_proxy_source_hash(&f2), 0, 100);
	}
	assert_int_equal(seen, 7);
	/* IPv6 hashes its 16 bytes */
	f2 = make_flow(SF_AF_INET6, "2001:2::1", "2001:2::2", 1, 80);
	f1 = f2;
	f1.cli_addr[15] = 2;
	assert_int_not_equal(sf_proxy_source_hash(&f1),
			     sf_proxy_source_hash(&f2));
}

static void
test_down_recovery(void **state)
{
	struct sf_proxy_backends b;

	(void)state;
	three_backends(&b, SF_PROXY_RR);
	assert_false(sf_proxy_backend_is_down(&b, 0, 0));
	sf_proxy_backend_fail(&b, 0, 1000);
	assert_int_equal(b.be[0].failures, 1);
	assert_true(sf_proxy_backend_is_down(&b, 0, 1000));
	assert_true(sf_proxy_backend_is_down(&b, 0, 1099));
	assert_false(sf_proxy_backend_is_down(&b, 0, 1100));
	/* a success ends the mark at once */
	sf_proxy_backend_fail(&b, 0, 2000);
	assert_int_equal(b.be[0].failures, 2);
	sf_proxy_backend_ok(&b, 0);
	assert_false(sf_proxy_backend_is_down(&b, 0, 2000));
	/* all down: nothing to pick until the first mark ends */
	sf_proxy_backend_fail(&b, 0, 3000);
	sf_proxy_backend_fail(&b, 1, 3010);
	sf_proxy_backend_fail(&b, 2, 3020);
	assert_int_equal(sf_proxy_backend_pick(&b, 0, 0, 3050), -1);
	assert_int_equal(sf_proxy_backend_pick(&b, 0, 0, 3100), 0);
}

/*
 * Latency histogram
 */

static void
test_hist(void **state)
{
	static const uint64_t v[] = {
		0, 1, 2, 3, 4, 5, 7, 8, 9, 100, 1000, 4096, 123456789,
		UINT64_MAX / 3, UINT64_MAX,
	};
	struct sf_proxy_hist h;
	uint64_t q;
	unsigned int i;

	(void)state;
	memset(&h, 0, sizeof(h));
	assert_int_equal(sf_proxy_hist_quantile(&h, 500), 0);
	/* one sample: its bucket's top, at most 25 % above it */
	for (i = 0; i < RTE_DIM(v); i++) {
		memset(&h, 0, sizeof(h));
		sf_proxy_hist_add(&h, v[i]);
		q = sf_proxy_hist_quantile(&h, 500);
		if (q < v[i] || q - v[i] > v[i] / 4)
			fail_msg("%" PRIu64 ": bucket top %" PRIu64, v[i], q);
	}
	/* 98 samples of 100, 2 of 10000: median 100, p99 10000 */
	memset(&h, 0, sizeof(h));
	for (i = 0; i < 98; i++)
		sf_proxy_hist_add(&h, 100);
	sf_proxy_hist_add(&h, 10000);
	sf_proxy_hist_add(&h, 10000);
	assert_int_equal(h.n, 100);
	q = sf_proxy_hist_quantile(&h, 500);
	assert_true(q >= 100 && q <= 125);
	q = sf_proxy_hist_quantile(&h, 990);
	assert_true(q >= 10000 && q <= 12500);
	q = sf_proxy_hist_quantile(&h, 980);
	assert_true(q >= 100 && q <= 125);
}

/*
 * The state machine against local sockets
 */

/* A socket on loopback port 0, listening or only bound (refuses). */
static int
local_socket(bool listening, uint16_t *port)
{
	struct sockaddr_in sa = { .sin_family = AF_INET };
	socklen_t sl = sizeof(sa);
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	assert_true(fd >= 0);
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_equal(bind(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	if (listening)
		assert_int_equal(listen(fd, 16), 0);
	assert_int_equal(getsockname(fd, (struct sockaddr *)&sa, &sl), 0);
	*port = ntohs(sa.sin_port);
	return fd;
}

static struct sf_proxy *
make_proxy(const char *backends, enum sf_proxy_balance bal,
	   enum sf_proxy_pp pp)
{
	static struct rte_ring *ev_rings[1], *cmd_rings[1];
	struct sf_proxy_addr a[SF_PROXY_MAX_BACKENDS];
	struct sf_proxy_conf c;
	struct sf_proxy *p;
	char err[256];
	int n;

	n = sf_proxy_backends_parse(backends, a, RTE_DIM(a), err, sizeof(err));
	assert_true(n > 0);
	ev_rings[0] = ev_ring;
	cmd_rings[0] = cmd_ring;
	memset(&c, 0, sizeof(c));
	c.backends = a;
	c.n_backends = (unsigned int)n;
	c.balance = bal;
	c.proxy_protocol = pp;
	c.connect_timeout_ms = 1000;
	c.down_ms = 60000;
	c.n_rings = 1;
	c.ev_rings = ev_rings;
	c.cmd_rings = cmd_rings;
	c.max_conns = PROXY_CONNS;
	c.pool_mbufs = PROXY_MBUFS;
	c.socket_id = SOCKET_ID_ANY;
	/* a name of its own: a failed test leaves its proxy behind */
	snprintf(proxy_name, sizeof(proxy_name), "tp%u", n_proxies++ % 1000);
	c.name = proxy_name;
	p = sf_proxy_create(&c, err, sizeof(err));
	if (p == NULL)
		fail_msg("sf_proxy_create: %s", err);
	return p;
}

/*
 * The sizes come from [proxy] max_conns and send_pool: an error names the
 * key and its value.
 */
static void
test_create_errors(void **state)
{
	static const struct {
		unsigned int conns, mbufs;
		const char *err;
	} rows[] = {
		{ 0, 63, "proxy: [proxy] max_conns is 0" },
		{ 8, 0, "proxy: [proxy] send_pool is 0" },
		{ 8, 1u << 30, "([proxy] send_pool = 1073741824 mbufs" },
	};
	static struct rte_ring *ev_rings[1], *cmd_rings[1];
	struct sf_proxy_addr a;
	struct sf_proxy_conf c;
	char err[256];
	unsigned int i;

	(void)state;
	assert_int_equal(sf_proxy_backends_parse("10.0.0.1:80", &a, 1, err,
						 sizeof(err)), 1);
	ev_rings[0] = ev_ring;
	cmd_rings[0] = cmd_ring;
	for (i = 0; i < RTE_DIM(rows); i++) {
		memset(&c, 0, sizeof(c));
		c.backends = &a;
		c.n_backends = 1;
		c.connect_timeout_ms = 1000;
		c.n_rings = 1;
		c.ev_rings = ev_rings;
		c.cmd_rings = cmd_rings;
		c.max_conns = rows[i].conns;
		c.pool_mbufs = rows[i].mbufs;
		c.socket_id = SOCKET_ID_ANY;
		c.name = "tperr";
		err[0] = '\0';
		assert_null(sf_proxy_create(&c, err, sizeof(err)));
		printf("max_conns %u send_pool %u: %s\n", rows[i].conns,
		       rows[i].mbufs, err);
		if (strstr(err, rows[i].err) == NULL)
			fail_msg("row %u: '%s' lacks '%s'", i, err,
				 rows[i].err);
	}
}

/* Everything back: commands freed, proxy gone, both pools full. */
static void
finish(struct sf_proxy *p)
{
	struct sf_cmd cmd;
	struct rte_mempool *pp;
	char name[RTE_MEMPOOL_NAMESIZE];

	while (sf_cmd_dequeue_burst(cmd_ring, &cmd, 1) == 1)
		rte_pktmbuf_free(cmd.mbuf);
	sf_proxy_drain(p);
	snprintf(name, sizeof(name), "%s_mbufs", proxy_name);
	pp = rte_mempool_lookup(name);
	assert_non_null(pp);
	assert_int_equal(sf_unit_pool_full(pp, PROXY_MBUFS), 0);
	sf_proxy_free(p);
	assert_int_equal(sf_unit_pool_full(pool, POOL_MBUFS), 0);
}

static struct sf_handle
handle(uint32_t slot)
{
	struct sf_handle h = { .slot = slot, .gen = 7, .worker = 0 };

	return h;
}

static void
push_event(uint8_t type, uint32_t slot, uint32_t seq, uint8_t flags)
{
	struct sf_event ev;

	memset(&ev, 0, sizeof(ev));
	ev.type = type;
	ev.flow = make_flow(SF_AF_INET, "198.18.0.1", "198.18.0.2", 40000,
			    80);
	ev.handle = handle(slot);
	ev.tsc = rte_rdtsc();
	ev.seq = seq;
	ev.flags = flags;
	if (type == SF_EV_ESTABLISHED) {
		ev.flags |= SF_EV_F_REPLY;
		ev.credit = CREDIT;
		ev.snd_buf = SND_BUF;
		ev.mss = 1460;
	}
	assert_int_equal(sf_handoff_enqueue(ev_ring, &ev), 0);
}

static void
push_data(uint32_t slot, const void *data, uint16_t len)
{
	struct rte_mbuf *m = rte_pktmbuf_alloc(pool);
	struct sf_event ev;
	char *d;

	assert_non_null(m);
	d = rte_pktmbuf_append(m, FAKE_HDR + len);
	assert_non_null(d);
	memset(d, 0x55, FAKE_HDR);
	memcpy(d + FAKE_HDR, data, len);
	memset(&ev, 0, sizeof(ev));
	ev.type = SF_EV_DATA;
	ev.handle = handle(slot);
	ev.mbuf = m;
	ev.data_off = FAKE_HDR;
	ev.data_len = len;
	assert_int_equal(sf_handoff_enqueue(ev_ring, &ev), 0);
}

static void
round_(struct sf_proxy *p)
{
	sf_proxy_poll(p, rte_rdtsc());
}

/* Poll until a command comes; false when none does. */
static bool
next_cmd(struct sf_proxy *p, struct sf_cmd *cmd)
{
	unsigned int i;

	for (i = 0; i < PUMP_TRIES; i++) {
		if (sf_cmd_dequeue_burst(cmd_ring, cmd, 1) == 1)
			return true;
		round_(p);
		if (sf_cmd_dequeue_burst(cmd_ring, cmd, 1) == 1)
			return true;
		usleep(PUMP_SLEEP_US);
	}
	return false;
}

static void
expect_cmd(struct sf_proxy *p, uint8_t type, struct sf_cmd *cmd)
{
	if (!next_cmd(p, cmd))
		fail_msg("no %s command", sf_cmd_type_str(type));
	if (cmd->type != type)
		fail_msg("got %s, want %s", sf_cmd_type_str(cmd->type),
			 sf_cmd_type_str(type));
	assert_int_equal(cmd->handle.slot, 1);
	assert_int_equal(cmd->handle.gen, 7);
}

/* Rounds that bring no command at all. */
static void
expect_quiet(struct sf_proxy *p)
{
	struct sf_cmd cmd;
	unsigned int i;

	for (i = 0; i < QUIET_ROUNDS; i++) {
		round_(p);
		usleep(PUMP_SLEEP_US);
		if (sf_cmd_dequeue_burst(cmd_ring, &cmd, 1) == 1)
			fail_msg("unexpected %s", sf_cmd_type_str(cmd.type));
	}
}

/* Poll the proxy until the listener has a connection for it. */
static int
accept_backend(struct sf_proxy *p, int lfd)
{
	struct timeval tv = { .tv_sec = IO_TIMEOUT_S };
	unsigned int i;
	int fd;

	assert_int_equal(fcntl(lfd, F_SETFL, O_NONBLOCK), 0);
	for (i = 0; i < PUMP_TRIES; i++) {
		round_(p);
		fd = accept(lfd, NULL, NULL);
		if (fd >= 0) {
			/* blocking, with a safety net */
			assert_int_equal(fcntl(fd, F_SETFL, 0), 0);
			setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv,
				   sizeof(tv));
			return fd;
		}
		usleep(PUMP_SLEEP_US);
	}
	fail_msg("the proxy never connected");
	return -1;
}

/* Poll until backend @p i has had @p n connections. */
static void
wait_connections(struct sf_proxy *p, unsigned int i, uint64_t n)
{
	unsigned int k;

	for (k = 0; k < PUMP_TRIES; k++) {
		if (sf_proxy_backends(p)->be[i].connections >= n)
			return;
		round_(p);
		usleep(PUMP_SLEEP_US);
	}
	fail_msg("backend %u: %" PRIu64 " connections, want %" PRIu64, i,
		 sf_proxy_backends(p)->be[i].connections, n);
}

/*
 * Read from the backend's socket while the proxy runs: what came (> 0),
 * 0 at end of file, -errno on an error.
 */
static ssize_t
read_some(struct sf_proxy *p, int fd, void *buf, size_t len)
{
	unsigned int i;
	ssize_t n;

	for (i = 0; i < PUMP_TRIES; i++) {
		n = recv(fd, buf, len, MSG_DONTWAIT);
		if (n >= 0)
			return n;
		if (errno != EAGAIN)
			return -errno;
		round_(p);
		usleep(PUMP_SLEEP_US);
	}
	fail_msg("the backend socket stayed silent");
	return -EAGAIN;
}

static void
read_exact(struct sf_proxy *p, int fd, void *buf, size_t len)
{
	size_t got = 0;
	ssize_t n;

	while (got < len) {
		n = read_some(p, fd, (char *)buf + got, len - got);
		if (n <= 0)
			fail_msg("backend read: %zd after %zu of %zu bytes",
				 n, got, len);
		got += (size_t)n;
	}
}

/* A connection on slot 1 to a fresh backend; *bfd its socket there. */
static struct sf_proxy *
open_conn(enum sf_proxy_pp pp, int *lfd, int *bfd)
{
	char backends[64];
	struct sf_proxy *p;
	uint16_t port;

	*lfd = local_socket(true, &port);
	snprintf(backends, sizeof(backends), "127.0.0.1:%u", port);
	p = make_proxy(backends, SF_PROXY_RR, pp);
	push_event(SF_EV_ESTABLISHED, 1, 0, 0);
	*bfd = accept_backend(p, *lfd);
	wait_connections(p, 0, 1);
	return p;
}

/* The terminal event frees the entry and the backend's gauge. */
static void
terminal(struct sf_proxy *p, uint8_t type, uint8_t flags)
{
	push_event(type, 1, 0, flags);
	round_(p);
	assert_int_equal(sf_proxy_active(p), 0);
	assert_int_equal(sf_proxy_backends(p)->be[0].active, 0);
}

/* client DATA -> bytes on the backend and CREDIT; PROXY v1 first. */
static void
test_conn_client_data(void **state)
{
	static const char pp1[] = "PROXY TCP4 198.18.0.1 198.18.0.2 40000 80\r\n";
	char buf[64];
	struct sf_cmd cmd;
	struct sf_proxy *p;
	int lfd, bfd;

	(void)state;
	p = open_conn(SF_PROXY_PP_V1, &lfd, &bfd);
	read_exact(p, bfd, buf, sizeof(pp1) - 1);
	assert_memory_equal(buf, pp1, sizeof(pp1) - 1);
	push_data(1, "hello", 5);
	expect_cmd(p, SF_CMD_CREDIT, &cmd);
	assert_int_equal(cmd.credit, 5);
	read_exact(p, bfd, buf, 5);
	assert_memory_equal(buf, "hello", 5);
	push_data(1, " world", 6);
	push_data(1, "!", 1);
	expect_cmd(p, SF_CMD_CREDIT, &cmd);
	if (cmd.credit == 6)
		expect_cmd(p, SF_CMD_CREDIT, &cmd);
	read_exact(p, bfd, buf, 7);
	assert_memory_equal(buf, " world!", 7);
	assert_int_equal(sf_proxy_backends(p)->be[0].connections, 1);
	assert_int_equal(sf_proxy_backends(p)->be[0].active, 1);
	assert_int_equal(sf_proxy_backends(p)->be[0].bytes_out, 12);
	assert_int_equal(sf_proxy_latency(p)->n, 1);
	expect_quiet(p);
	/* client RST: the backend is reset */
	terminal(p, SF_EV_RST, 0);
	assert_int_equal(read_some(p, bfd, buf, sizeof(buf)), -ECONNRESET);
	assert_int_equal(sf_proxy_counter(p, SF_PROXY_CNT_client_reset), 1);
	close(bfd);
	close(lfd);
	finish(p);
}

/* Collect SENDs until @p total bytes came; check and free them. */
static void
collect_sends(struct sf_proxy *p, const uint8_t *want, uint32_t from,
	      uint32_t to)
{
	struct sf_cmd cmd;

	while (from < to) {
		expect_cmd(p, SF_CMD_SEND, &cmd);
		assert_non_null(cmd.mbuf);
		assert_true(cmd.mbuf->pkt_len <= to - from);
		assert_memory_equal(rte_pktmbuf_mtod(cmd.mbuf, void *),
				    want + from, cmd.mbuf->pkt_len);
		from += cmd.mbuf->pkt_len;
		rte_pktmbuf_free(cmd.mbuf);
	}
}

/* backend bytes -> SENDs, never more than snd_buf beyond ACKED. */
static void
test_conn_backend_data(void **state)
{
	static uint8_t data[10000];
	struct sf_proxy *p;
	struct sf_cmd cmd;
	unsigned int i;
	int lfd, bfd;

	(void)state;
	for (i = 0; i < sizeof(data); i++)
		data[i] = (uint8_t)(i * 7);
	p = open_conn(SF_PROXY_PP_OFF, &lfd, &bfd);
	assert_int_equal(write(bfd, data, sizeof(data)), sizeof(data));
	collect_sends(p, data, 0, SND_BUF);
	expect_quiet(p);
	/* each ACKED opens as much room as it acknowledges */
	push_event(SF_EV_ACKED, 1, 1000, 0);
	collect_sends(p, data, SND_BUF, SND_BUF + 1000);
	expect_quiet(p);
	push_event(SF_EV_ACKED, 1, SND_BUF + 1000, 0);
	collect_sends(p, data, SND_BUF + 1000, 2 * SND_BUF + 1000);
	expect_quiet(p);
	push_event(SF_EV_ACKED, 1, 2 * SND_BUF + 1000, 0);
	collect_sends(p, data, 2 * SND_BUF + 1000, sizeof(data));
	expect_quiet(p);
	assert_int_equal(sf_proxy_backends(p)->be[0].bytes_in, sizeof(data));
	/* backend closes: CLOSE after the last SEND */
	assert_int_equal(write(bfd, "bye", 3), 3);
	close(bfd);
	push_event(SF_EV_ACKED, 1, sizeof(data), 0);
	expect_cmd(p, SF_CMD_SEND, &cmd);
	assert_int_equal(cmd.mbuf->pkt_len, 3);
	assert_memory_equal(rte_pktmbuf_mtod(cmd.mbuf, void *), "bye", 3);
	rte_pktmbuf_free(cmd.mbuf);
	expect_cmd(p, SF_CMD_CLOSE, &cmd);
	expect_quiet(p);
	terminal(p, SF_EV_CLOSED, 0);
	assert_int_equal(sf_proxy_counter(p, SF_PROXY_CNT_closed), 1);
	close(lfd);
	finish(p);
}

/* client FIN -> the backend reads end of file after the last byte. */
static void
test_conn_client_fin(void **state)
{
	struct sf_proxy *p;
	struct sf_cmd cmd;
	char buf[8];
	int lfd, bfd;

	(void)state;
	p = open_conn(SF_PROXY_PP_OFF, &lfd, &bfd);
	push_data(1, "last", 4);
	push_event(SF_EV_FIN, 1, 0, 0);
	expect_cmd(p, SF_CMD_CREDIT, &cmd);
	assert_int_equal(cmd.credit, 4);
	read_exact(p, bfd, buf, 4);
	assert_memory_equal(buf, "last", 4);
	assert_int_equal(read_some(p, bfd, buf, sizeof(buf)), 0);
	/* the other way still works: answer, then close */
	assert_int_equal(write(bfd, "ok", 2), 2);
	expect_cmd(p, SF_CMD_SEND, &cmd);
	assert_int_equal(cmd.mbuf->pkt_len, 2);
	rte_pktmbuf_free(cmd.mbuf);
	close(bfd);
	expect_cmd(p, SF_CMD_CLOSE, &cmd);
	terminal(p, SF_EV_CLOSED, 0);
	close(lfd);
	finish(p);
}

/* A refusing backend is marked down; the next one serves. */
static void
test_conn_refused_next(void **state)
{
	char backends[64];
	struct sf_proxy *p;
	uint16_t dead_port, live_port;
	int dead, lfd, bfd;

	(void)state;
	dead = local_socket(false, &dead_port);
	lfd = local_socket(true, &live_port);
	snprintf(backends, sizeof(backends), "127.0.0.1:%u,127.0.0.1:%u",
		 dead_port, live_port);
	p = make_proxy(backends, SF_PROXY_RR, SF_PROXY_PP_OFF);
	push_event(SF_EV_ESTABLISHED, 1, 0, 0);
	bfd = accept_backend(p, lfd);
	wait_connections(p, 1, 1);
	assert_int_equal(sf_proxy_backends(p)->be[0].failures, 1);
	assert_true(sf_proxy_backend_is_down(sf_proxy_backends(p), 0,
					     rte_rdtsc()));
	assert_int_equal(sf_proxy_backends(p)->be[0].connections, 0);
	assert_int_equal(sf_proxy_backends(p)->be[1].connections, 1);
	/* the next connection goes straight to the one up */
	push_event(SF_EV_ESTABLISHED, 2, 0, 0);
	close(accept_backend(p, lfd));
	wait_connections(p, 1, 2);
	assert_int_equal(sf_proxy_backends(p)->be[0].failures, 1);
	assert_int_equal(sf_proxy_backends(p)->be[1].connections, 2);
	push_event(SF_EV_TIMEOUT, 2, 0, 0);
	terminal(p, SF_EV_RST, 0);
	close(bfd);
	close(lfd);
	close(dead);
	finish(p);
}

/* No backend answers: ABORT, and the RST event frees the entry. */
static void
test_conn_none_abort(void **state)
{
	char backends[64];
	struct sf_proxy *p;
	struct sf_cmd cmd;
	uint16_t port1, port2;
	int d1, d2;

	(void)state;
	d1 = local_socket(false, &port1);
	d2 = local_socket(false, &port2);
	snprintf(backends, sizeof(backends), "127.0.0.1:%u,127.0.0.1:%u",
		 port1, port2);
	p = make_proxy(backends, SF_PROXY_SRC_HASH, SF_PROXY_PP_V2);
	push_event(SF_EV_ESTABLISHED, 1, 0, 0);
	push_data(1, "lost", 4);
	expect_cmd(p, SF_CMD_ABORT, &cmd);
	assert_null(cmd.mbuf);
	expect_quiet(p);
	assert_int_equal(sf_proxy_backends(p)->be[0].failures, 1);
	assert_int_equal(sf_proxy_backends(p)->be[1].failures, 1);
	assert_int_equal(sf_proxy_counter(p, SF_PROXY_CNT_no_backend), 1);
	/* both down now: the next client is reset without a try */
	push_event(SF_EV_ESTABLISHED, 2, 0, 0);
	push_event(SF_EV_RST, 1, 0, SF_EV_F_LOCAL);
	assert_true(next_cmd(p, &cmd));
	assert_int_equal(cmd.type, SF_CMD_ABORT);
	assert_int_equal(cmd.handle.slot, 2);
	assert_int_equal(sf_proxy_backends(p)->be[0].failures, 1);
	assert_int_equal(sf_proxy_counter(p, SF_PROXY_CNT_no_backend), 2);
	push_event(SF_EV_RST, 2, 0, SF_EV_F_LOCAL);
	round_(p);
	assert_int_equal(sf_proxy_active(p), 0);
	close(d1);
	close(d2);
	finish(p);
}

/* A connect that outlives connect_timeout_ms (the clock is the test's). */
static void
test_conn_timeout(void **state)
{
	char backends[64];
	struct sf_proxy *p;
	struct sf_cmd cmd;
	uint64_t t0 = rte_rdtsc();
	uint16_t port;
	int lfd;

	(void)state;
	lfd = local_socket(true, &port);
	snprintf(backends, sizeof(backends), "127.0.0.1:%u", port);
	p = make_proxy(backends, SF_PROXY_RR, SF_PROXY_PP_OFF);
	push_event(SF_EV_ESTABLISHED, 1, 0, 0);
	/* this round takes the event last: its connect is under way */
	sf_proxy_poll(p, t0);
	assert_int_equal(sf_proxy_active(p), 1);
	/* two seconds later by the proxy's clock, before any epoll */
	sf_proxy_poll(p, t0 + 2 * rte_get_tsc_hz());
	assert_int_equal(sf_proxy_backends(p)->be[0].failures, 1);
	assert_int_equal(sf_proxy_backends(p)->be[0].connections, 0);
	expect_cmd(p, SF_CMD_ABORT, &cmd);
	terminal(p, SF_EV_RST, SF_EV_F_LOCAL);
	close(lfd);
	finish(p);
}

/* Events for no connection: counted, their mbufs freed. */
static void
test_unknown_events(void **state)
{
	struct sf_proxy *p;
	uint16_t port;
	int lfd;
	char backends[64];
	struct sf_event ev;

	(void)state;
	lfd = local_socket(true, &port);
	snprintf(backends, sizeof(backends), "127.0.0.1:%u", port);
	p = make_proxy(backends, SF_PROXY_RR, SF_PROXY_PP_OFF);
	push_data(9, "x", 1);
	push_event(SF_EV_FIN, 9, 0, 0);
	/* without the reply channel nothing can be proxied */
	memset(&ev, 0, sizeof(ev));
	ev.type = SF_EV_ESTABLISHED;
	ev.handle = handle(3);
	assert_int_equal(sf_handoff_enqueue(ev_ring, &ev), 0);
	round_(p);
	assert_int_equal(sf_proxy_counter(p, SF_PROXY_CNT_unknown_handle), 2);
	assert_int_equal(sf_proxy_counter(p, SF_PROXY_CNT_no_reply), 1);
	assert_int_equal(sf_proxy_active(p), 0);
	expect_quiet(p);
	close(lfd);
	finish(p);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pp_headers),
		cmocka_unit_test(test_pp_refused),
		cmocka_unit_test(test_backends_good),
		cmocka_unit_test(test_backends_bad),
		cmocka_unit_test(test_round_robin),
		cmocka_unit_test(test_source_hash),
		cmocka_unit_test(test_down_recovery),
		cmocka_unit_test(test_fall),
		cmocka_unit_test(test_create_errors),
		cmocka_unit_test(test_hist),
		cmocka_unit_test(test_conn_client_data),
		cmocka_unit_test(test_conn_backend_data),
		cmocka_unit_test(test_conn_client_fin),
		cmocka_unit_test(test_conn_refused_next),
		cmocka_unit_test(test_conn_none_abort),
		cmocka_unit_test(test_conn_timeout),
		cmocka_unit_test(test_unknown_events),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
