/* SPDX-License-Identifier: BSD-3-Clause */

/*
 * Unit tests of sf-synflood's pure logic: SYN templates and their
 * incremental checksums (checked by tests/frame's independent checksum
 * code and by lib/net's parser), sources within the prefix, the keyed ISN,
 * reply classification against SYN-ACKs built by lib/net as synfront
 * builds them, the legitimate flows' ACK, pacing, options and the report.
 */

#include <arpa/inet.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "fr_frame.h"
#include "sf_flood_args.h"
#include "sf_flood_pace.h"
#include "sf_flood_pkt.h"
#include "sf_flood_report.h"
#include "sf_net.h"

#define N_SYN	2000
#define THRESH_ALL	(UINT64_C(1) << 32)

static const struct rte_ether_addr our_mac = {
	{ 0x02, 0x00, 0x00, 0x00, 0x00, 0x01 } };
static const struct rte_ether_addr tgt_mac = {
	{ 0x02, 0x00, 0x00, 0x00, 0x00, 0x02 } };

static void
conf_make(struct sf_flood_gen_conf *c, int v6, const char *src,
	  unsigned int len, enum sf_flood_opts opts, uint64_t thresh)
{
	memset(c, 0, sizeof(*c));
	c->family = v6 ? SF_AF_INET6 : SF_AF_INET;
	c->src_len = (uint8_t)len;
	assert_int_equal(inet_pton(v6 ? AF_INET6 : AF_INET, src, c->src), 1);
	assert_int_equal(inet_pton(v6 ? AF_INET6 : AF_INET,
				   v6 ? "2001:2::2" : "198.18.0.2", c->dst), 1);
	c->dport = 80;
	c->mss = 1460;
	c->wscale = 7;
	c->opts = opts;
	c->src_mac = our_mac;
	c->dst_mac = tgt_mac;
	c->legit_thresh = thresh;
	c->key.k0 = 0x0123456789abcdefULL;
	c->key.k1 = 0xfedcba9876543210ULL;
	c->seed = 42;
}

/* Is addr within src/len? */
static int
in_prefix(const uint8_t *addr, const uint8_t *src, unsigned int len)
{
	for (unsigned int b = 0; b < len; b++) {
		unsigned int byte = b / 8, bit = 7 - b % 8;

		if (((addr[byte] >> bit) & 1) != ((src[byte] >> bit) & 1))
			return 0;
	}
	return 1;
}

/* One SYN: parses, checksums verify, fields as configured. */
static enum sf_flood_opts
check_syn(const struct sf_flood_gen_conf *c, const uint8_t *f, uint16_t len,
	  struct sf_pkt *pkt)
{
	int v6 = c->family == SF_AF_INET6;
	uint16_t dport = htons(c->dport);
	uint64_t h;

	assert_true(fr_csums_ok(f, 14, v6));
	assert_int_equal(sf_parse(f, len, 0, pkt), SF_NET_OK);
	assert_int_equal(pkt->kind, SF_PKT_TCP);
	assert_int_equal(pkt->tcp_flags, SF_TCP_SYN);
	assert_int_equal(pkt->frame_len, len);
	assert_memory_equal(&pkt->dst_mac, &tgt_mac, 6);
	assert_memory_equal(&pkt->src_mac, &our_mac, 6);
	assert_memory_equal(pkt->flow.srv_addr, c->dst, v6 ? 16 : 4);
	assert_memory_equal(&pkt->flow.srv_port, &dport, 2);
	assert_true(ntohs(pkt->flow.cli_port) >= 1024);
	assert_true(in_prefix(pkt->flow.cli_addr, c->src, c->src_len));
	h = sf_flood_hash(&c->key, pkt->flow.cli_addr, pkt->flow.srv_addr,
			  pkt->flow.cli_port, pkt->flow.srv_port);
	assert_int_equal(pkt->seq, (uint32_t)h);
	if (pkt->opts.ts_ok) {
		assert_int_equal(pkt->opts.mss, c->mss);
		assert_true(pkt->opts.sack_ok);
		assert_int_equal(pkt->opts.wscale, c->wscale);
		assert_int_equal(pkt->opts.tsecr, 0);
		assert_int_equal(pkt->l4_len, 40);
		return SF_FLOOD_OPTS_LINUX;
	}
	assert_false(pkt->opts.sack_ok);
	assert_int_equal(pkt->opts.wscale, SF_WSCALE_NONE);
	if (pkt->opts.mss != 0) {
		assert_int_equal(pkt->opts.mss, c->mss);
		assert_int_equal(pkt->l4_len, 24);
		return SF_FLOOD_OPTS_MSS;
	}
	assert_int_equal(pkt->l4_len, 20);
	return SF_FLOOD_OPTS_NONE;
}

/* Every family, option set and a range of prefixes: N_SYN SYNs each. */
static void
test_syn_frames(void **state)
{
	static const struct {
		int v6;
		const char *src;
		unsigned int len;
		enum sf_flood_opts opts;
	} cases[] = {
		{ 0, "198.18.0.0", 15, SF_FLOOD_OPTS_NONE },
		{ 0, "198.18.0.0", 15, SF_FLOOD_OPTS_MSS },
		{ 0, "198.18.0.0", 15, SF_FLOOD_OPTS_LINUX },
		{ 0, "198.18.0.0", 15, SF_FLOOD_OPTS_MIX },
		{ 0, "198.19.7.9", 32, SF_FLOOD_OPTS_LINUX },
		{ 0, "198.19.255.0", 24, SF_FLOOD_OPTS_MIX },
		{ 0, "198.0.0.0", 8, SF_FLOOD_OPTS_MSS },
		{ 1, "2001:2::", 48, SF_FLOOD_OPTS_NONE },
		{ 1, "2001:2::", 48, SF_FLOOD_OPTS_MSS },
		{ 1, "2001:2::", 48, SF_FLOOD_OPTS_LINUX },
		{ 1, "2001:2::", 48, SF_FLOOD_OPTS_MIX },
		{ 1, "2001:2:0:1::", 64, SF_FLOOD_OPTS_LINUX },
		{ 1, "2001:2::77", 128, SF_FLOOD_OPTS_MIX },
		{ 1, "2001:2::", 100, SF_FLOOD_OPTS_MSS },
		{ 1, "2000::", 8, SF_FLOOD_OPTS_LINUX },
	};
	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct sf_flood_gen_conf c;
		struct sf_flood_gen g;
		unsigned int seen[SF_FLOOD_OPTS_MIX] = { 0 };
		uint8_t first_src[16], f[SF_FLOOD_FRAME_MAX];
		int src_varied = 0;

		conf_make(&c, cases[i].v6, cases[i].src, cases[i].len,
			  cases[i].opts, 0);
		assert_int_equal(sf_flood_gen_init(&g, &c), 0);
		for (int n = 0; n < N_SYN; n++) {
			struct sf_pkt pkt;
			uint16_t len = sf_flood_syn_next(&g, f);

			seen[check_syn(&c, f, len, &pkt)]++;
			if (n == 0)
				memcpy(first_src, pkt.flow.cli_addr, 16);
			else if (memcmp(first_src, pkt.flow.cli_addr, 16) != 0)
				src_varied = 1;
		}
		/* Random sources, unless the prefix holds one address. */
		assert_int_equal(src_varied,
				 cases[i].len != (cases[i].v6 ? 128u : 32u));
		for (int s = 0; s < SF_FLOOD_OPTS_MIX; s++) {
			if (cases[i].opts == SF_FLOOD_OPTS_MIX)
				assert_true(seen[s] > N_SYN / 8);
			else
				assert_int_equal(seen[s], s == (int)cases[i].opts ? N_SYN : 0);
		}
	}
}

/* A fixed seed gives the same SYNs; another seed, others. */
static void
test_syn_seed(void **state)
{
	struct sf_flood_gen_conf c;
	struct sf_flood_gen a, b;
	uint8_t fa[SF_FLOOD_FRAME_MAX], fb[SF_FLOOD_FRAME_MAX];
	uint16_t la, lb;

	(void)state;
	conf_make(&c, 0, "198.18.0.0", 15, SF_FLOOD_OPTS_MIX, 0);
	assert_int_equal(sf_flood_gen_init(&a, &c), 0);
	assert_int_equal(sf_flood_gen_init(&b, &c), 0);
	for (int i = 0; i < 100; i++) {
		la = sf_flood_syn_next(&a, fa);
		lb = sf_flood_syn_next(&b, fb);
		assert_int_equal(la, lb);
		assert_memory_equal(fa, fb, la);
	}
	c.seed = 43;
	assert_int_equal(sf_flood_gen_init(&b, &c), 0);
	la = sf_flood_syn_next(&a, fa);
	lb = sf_flood_syn_next(&b, fb);
	assert_true(la != lb || memcmp(fa, fb, la) != 0);
}

static void
test_gen_init_rejects(void **state)
{
	struct sf_flood_gen_conf c;
	struct sf_flood_gen g;

	(void)state;
	conf_make(&c, 0, "198.18.0.0", 15, SF_FLOOD_OPTS_LINUX, 0);
	c.src_len = 33;
	assert_int_equal(sf_flood_gen_init(&g, &c), -EINVAL);
	conf_make(&c, 1, "2001:2::", 48, SF_FLOOD_OPTS_LINUX, 0);
	c.src_len = 129;
	assert_int_equal(sf_flood_gen_init(&g, &c), -EINVAL);
	c.src_len = 48;
	c.opts = SF_FLOOD_OPTS_MAX;
	assert_int_equal(sf_flood_gen_init(&g, &c), -EINVAL);
	c.opts = SF_FLOOD_OPTS_NONE;
	c.family = 5;
	assert_int_equal(sf_flood_gen_init(&g, &c), -EINVAL);
}

/*
 * The reply to a SYN, built by lib/net as synfront builds its SYN-ACKs
 * (source = the target's MAC), parsed back.
 */
static uint16_t
reply(const struct sf_pkt *syn, uint8_t flags, uint32_t ack, int ts,
      uint8_t *out, struct sf_pkt *rp)
{
	struct sf_tcp_reply r = {
		.seq = 0xa0b0c0d0,
		.ack = ack,
		.window = 65535,
		.flags = flags,
		.wscale = ts ? 7 : SF_WSCALE_NONE,
		.mss = 1460,
		.sack_ok = (uint8_t)ts,
		.ts_ok = (uint8_t)ts,
		.tsval = 0x11223344,
		.tsecr = syn->opts.tsval,
	};
	uint32_t ol;
	uint16_t n = sf_build_tcp(out, 128, syn, &tgt_mac, &r, 0, &ol);

	assert_true(n > 0);
	assert_int_equal(sf_parse(out, n, 0, rp), SF_NET_OK);
	return n;
}

static void
test_classify(void **state)
{
	static const struct {
		int v6;
		uint8_t flags;
		int32_t ack_delta;	/* ack = ISN + 1 + ack_delta */
		uint64_t thresh;
		int other_key;
		enum sf_flood_verdict want;
	} cases[] = {
		{ 0, SF_TCP_SYN | SF_TCP_ACK, 0, 0, 0, SF_FLOOD_SYNACK_OK },
		{ 1, SF_TCP_SYN | SF_TCP_ACK, 0, 0, 0, SF_FLOOD_SYNACK_OK },
		{ 0, SF_TCP_SYN | SF_TCP_ACK, 0, THRESH_ALL, 0, SF_FLOOD_SYNACK_LEGIT },
		{ 1, SF_TCP_SYN | SF_TCP_ACK, 0, THRESH_ALL, 0, SF_FLOOD_SYNACK_LEGIT },
		{ 0, SF_TCP_SYN | SF_TCP_ACK, 1, 0, 0, SF_FLOOD_UNMATCHED },
		{ 1, SF_TCP_SYN | SF_TCP_ACK, -1, THRESH_ALL, 0, SF_FLOOD_UNMATCHED },
		{ 0, SF_TCP_SYN | SF_TCP_ACK, 0, 0, 1, SF_FLOOD_UNMATCHED },
		{ 0, SF_TCP_RST | SF_TCP_ACK, 0, 0, 0, SF_FLOOD_RST },
		{ 1, SF_TCP_RST, -1, 0, 0, SF_FLOOD_RST },
		{ 0, SF_TCP_ACK, 0, 0, 0, SF_FLOOD_OTHER },
		{ 0, SF_TCP_SYN, 0, 0, 0, SF_FLOOD_OTHER },
		{ 0, SF_TCP_SYN | SF_TCP_ACK | SF_TCP_FIN, 0, 0, 0, SF_FLOOD_OTHER },
	};
	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct sf_flood_gen_conf c;
		struct sf_flood_gen g, v;
		uint8_t f[SF_FLOOD_FRAME_MAX], out[128];
		struct sf_pkt syn, rp;
		uint16_t len;

		conf_make(&c, cases[i].v6, cases[i].v6 ? "2001:2::" : "198.18.0.0",
			  cases[i].v6 ? 48 : 15, SF_FLOOD_OPTS_LINUX,
			  cases[i].thresh);
		assert_int_equal(sf_flood_gen_init(&g, &c), 0);
		len = sf_flood_syn_next(&g, f);
		assert_int_equal(sf_parse(f, len, 0, &syn), SF_NET_OK);
		reply(&syn, cases[i].flags,
		      syn.seq + 1 + (uint32_t)cases[i].ack_delta, 1, out, &rp);
		if (cases[i].other_key)
			c.key.k1 ^= 1;
		assert_int_equal(sf_flood_gen_init(&v, &c), 0);
		assert_int_equal(sf_flood_classify(&v, &rp), cases[i].want);
	}
}

/* The legitimacy draw follows the threshold: about 30 % of 4000 flows. */
static void
test_classify_fraction(void **state)
{
	struct sf_flood_gen_conf c;
	struct sf_flood_gen g;
	uint8_t f[SF_FLOOD_FRAME_MAX], out[128];
	unsigned int legit = 0, n = 4000;

	(void)state;
	conf_make(&c, 0, "198.18.0.0", 15, SF_FLOOD_OPTS_MIX,
		  (uint64_t)(0.3 * 4294967296.0));
	assert_int_equal(sf_flood_gen_init(&g, &c), 0);
	for (unsigned int i = 0; i < n; i++) {
		struct sf_pkt syn, rp;
		uint16_t len = sf_flood_syn_next(&g, f);
		enum sf_flood_verdict v;

		assert_int_equal(sf_parse(f, len, 0, &syn), SF_NET_OK);
		reply(&syn, SF_TCP_SYN | SF_TCP_ACK, syn.seq + 1, syn.opts.ts_ok,
		      out, &rp);
		v = sf_flood_classify(&g, &rp);
		assert_true(v == SF_FLOOD_SYNACK_OK || v == SF_FLOOD_SYNACK_LEGIT);
		legit += v == SF_FLOOD_SYNACK_LEGIT;
	}
	assert_in_range(legit, n * 27 / 100, n * 33 / 100);
}

/* The ACK of a legitimate flow, with and without timestamps. */
static void
test_ack_build(void **state)
{
	(void)state;
	for (int v6 = 0; v6 <= 1; v6++) {
		for (int ts = 0; ts <= 1; ts++) {
			struct sf_flood_gen_conf c;
			struct sf_flood_gen g;
			uint8_t f[SF_FLOOD_FRAME_MAX], out[128];
			struct sf_pkt syn, sa, ack;
			uint16_t len;

			conf_make(&c, v6, v6 ? "2001:2::" : "198.18.0.0",
				  v6 ? 48 : 15,
				  ts ? SF_FLOOD_OPTS_LINUX : SF_FLOOD_OPTS_MSS,
				  THRESH_ALL);
			assert_int_equal(sf_flood_gen_init(&g, &c), 0);
			len = sf_flood_syn_next(&g, f);
			assert_int_equal(sf_parse(f, len, 0, &syn), SF_NET_OK);
			reply(&syn, SF_TCP_SYN | SF_TCP_ACK, syn.seq + 1, ts,
			      out, &sa);
			assert_int_equal(sf_flood_classify(&g, &sa),
					 SF_FLOOD_SYNACK_LEGIT);
			len = sf_flood_ack_build(out, sizeof(out), &sa, &our_mac);
			assert_int_equal(len, 14 + (v6 ? 40 : 20) + 20 + (ts ? 12 : 0));
			assert_true(fr_csums_ok(out, 14, v6));
			assert_int_equal(sf_parse(out, len, 0, &ack), SF_NET_OK);
			assert_int_equal(ack.tcp_flags, SF_TCP_ACK);
			assert_int_equal(ack.seq, syn.seq + 1);
			assert_int_equal(ack.ack, 0xa0b0c0d0 + 1);
			assert_int_equal(ack.opts.ts_ok, ts);
			if (ts)
				assert_int_equal(ack.opts.tsecr, 0x11223344);
			assert_memory_equal(&ack.flow, &syn.flow, sizeof(ack.flow));
			assert_memory_equal(&ack.dst_mac, &tgt_mac, 6);
			assert_memory_equal(&ack.src_mac, &our_mac, 6);
			assert_int_equal(sf_flood_ack_build(out, 40, &sa, &our_mac), 0);
		}
	}
}

static void
test_pace(void **state)
{
	struct sf_flood_pace p;
	const uint64_t hz = 1000000000;	/* 1 ns a cycle */

	(void)state;
	sf_flood_pace_init(&p, 0, hz, 64);
	assert_int_equal(sf_flood_pace_budget(&p, 0), 64);
	sf_flood_pace_sent(&p, 64);
	assert_int_equal(sf_flood_pace_budget(&p, 0), 64);

	/* 1 Mpps (one SYN per 1000 cycles): what is due, one at a time. */
	sf_flood_pace_init(&p, 1e6, hz, 32);
	assert_int_equal(sf_flood_pace_budget(&p, 0), 1);
	sf_flood_pace_sent(&p, 1);
	assert_int_equal(sf_flood_pace_budget(&p, 999), 0);
	assert_int_equal(sf_flood_pace_budget(&p, 1000), 1);
	assert_int_equal(sf_flood_pace_budget(&p, 5500), 5);
	sf_flood_pace_sent(&p, 5);
	assert_int_equal(sf_flood_pace_budget(&p, 5500), 0);
	assert_int_equal(sf_flood_pace_budget(&p, 6000), 1);
	/* 100 us late: a burst (32) now, the rest of the debt next rounds. */
	assert_int_equal(sf_flood_pace_budget(&p, 106000), 32);
	sf_flood_pace_sent(&p, 32);
	assert_int_equal(sf_flood_pace_budget(&p, 106000), 32);
	sf_flood_pace_sent(&p, 32);
	assert_int_equal(sf_flood_pace_budget(&p, 106000), 32);
	sf_flood_pace_sent(&p, 32);
	assert_int_equal(sf_flood_pace_budget(&p, 106000), 5);
	sf_flood_pace_sent(&p, 5);
	assert_int_equal(sf_flood_pace_budget(&p, 106000), 0);
	/* 3 ms late: only SF_FLOOD_PACE_LAG_S (2 ms, 2000 SYNs) of debt. */
	unsigned int debt = 0;
	uint16_t n;

	while ((n = sf_flood_pace_budget(&p, 3107000)) > 0) {
		debt += n;
		sf_flood_pace_sent(&p, n);
	}
	assert_int_equal(debt, 2001);
}

static int
parse(struct sf_flood_args *a, const char *line, char *err)
{
	char buf[512], *argv[32];
	int argc = 0;

	snprintf(buf, sizeof(buf), "sf-synflood %s", line);
	for (char *t = strtok(buf, " "); t != NULL && argc < 32;
	     t = strtok(NULL, " "))
		argv[argc++] = t;
	return sf_flood_args_parse(a, argc, argv, err);
}

static void
test_args_bad(void **state)
{
	static const struct {
		const char *line;
		const char *err;	/* the message starts with this */
	} cases[] = {
		{ "--rate x", "--rate: bad PPS 'x'" },
		{ "--rate -5", "--rate: bad PPS" },
		{ "--rate 5X", "--rate: bad PPS" },
		{ "--duration", "--duration: missing SEC" },
		{ "--duration 0", "--duration: 0 needs a --count" },
		{ "--count 1.5", "--count: bad N" },
		{ "--dst 1.2.3", "--dst: bad ADDR" },
		{ "--dst-port 0", "--dst-port: bad PORT" },
		{ "--dst-port 65536", "--dst-port: bad PORT" },
		{ "--dst-mac 02:00:00", "--dst-mac: bad MAC" },
		{ "--src 198.18.0.0", "--src: bad PREFIX" },
		{ "--src 198.18.0.0/33", "--src: bad PREFIX" },
		{ "--src 2001:2::/48", "--src: an IPv6 prefix, but --dst is IPv4" },
		{ "--opts all", "--opts: bad SET 'all'" },
		{ "--legit 1.5", "--legit: bad FRACTION" },
		{ "--legit nan", "--legit: bad FRACTION" },
		{ "--burst 0", "--burst: bad N" },
		{ "--burst 257", "--burst: bad N" },
		{ "--wscale 15", "--wscale: bad N" },
		{ "--quiet=1", "--quiet: takes no value" },
		{ "--frobnicate 1", "--frobnicate: unknown option" },
		{ "rate", "rate: not an option" },
	};
	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct sf_flood_args a;
		char err[SF_FLOOD_ERR_LEN] = "";

		assert_int_equal(parse(&a, cases[i].line, err), -EINVAL);
		if (strncmp(err, cases[i].err, strlen(cases[i].err)) != 0)
			fail_msg("'%s': expected '%s...', saw '%s'",
				 cases[i].line, cases[i].err, err);
	}
}

static void
test_args_good(void **state)
{
	struct sf_flood_args a;
	char err[SF_FLOOD_ERR_LEN] = "";
	uint8_t want[16] = { 0 };

	(void)state;
	assert_int_equal(parse(&a, "--quiet", err), 0);
	assert_true(a.quiet);
	assert_true(a.rate == 0 && a.duration == 10 && a.count == 0);
	assert_int_equal(a.family, SF_AF_INET);
	assert_int_equal(a.src_len, 15);
	inet_pton(AF_INET, "198.18.0.0", want);
	assert_memory_equal(a.src, want, 16);
	assert_int_equal(a.opts, SF_FLOOD_OPTS_LINUX);
	assert_int_equal(a.burst, 32);

	assert_int_equal(parse(&a, "--rate 1.5M --duration=0 --count 2k "
			       "--dst 2001:2::2 --dst-port 443 --opts mix "
			       "--legit 0.25 --dst-mac 02:00:00:00:00:09 "
			       "--burst 64 --seed 7 --mss 1220 --wscale 0", err), 0);
	assert_true(a.rate == 1.5e6 && a.duration == 0 && a.count == 2000);
	assert_int_equal(a.family, SF_AF_INET6);
	assert_int_equal(a.src_len, 48);
	memset(want, 0, sizeof(want));
	inet_pton(AF_INET6, "2001:2::", want);
	assert_memory_equal(a.src, want, 16);
	assert_int_equal(a.dport, 443);
	assert_int_equal(a.opts, SF_FLOOD_OPTS_MIX);
	assert_true(a.legit == 0.25);
	assert_int_equal(a.dst_mac.addr_bytes[5], 9);
	assert_int_equal(a.burst, 64);
	assert_true(a.seed_set && a.seed == 7);
	assert_int_equal(a.mss, 1220);
	assert_int_equal(a.wscale, 0);

	assert_int_equal(parse(&a, "--src 198.19.0.0/16 --rate max", err), 0);
	assert_int_equal(a.src_len, 16);
	assert_true(a.rate == 0);
}

static void
test_report(void **state)
{
	struct sf_flood_counters c = {
		.syn_tx = 1000, .synack_ok = 990, .ack_tx = 99, .rst = 3,
		.other = 4, .unmatched = 5, .rx = 1002,
	}, z = { 0 };
	char buf[SF_FLOOD_LINE_MAX];

	(void)state;
	assert_true(sf_flood_summary_json(buf, sizeof(buf), &c, 2.0, 0.5, 0.25) <
		    (int)sizeof(buf));
	assert_non_null(strstr(buf, "\"offered_pps\": 500.0,"));
	assert_non_null(strstr(buf, "\"syn_per_cpu_s\": 2000.0,"));
	assert_non_null(strstr(buf, "\"cpu_user_seconds\": 0.250000,"));
	assert_non_null(strstr(buf, "\"answered_pps\": 495.0,"));
	assert_non_null(strstr(buf, "\"answer_ratio\": 0.990000,"));
	assert_non_null(strstr(buf, "\"handshakes\": 99,"));
	assert_non_null(strstr(buf, "\"unmatched\": 5,"));
	assert_true(buf[0] == '{' && buf[strlen(buf) - 1] == '}');
	sf_flood_summary(buf, sizeof(buf), &c, 2.0);
	assert_non_null(strstr(buf, "answer ratio 0.9900, handshakes completed 99"));
	sf_flood_row(buf, sizeof(buf), 3.0, 0.5, &c, &z);
	assert_string_equal(buf, "     3.0        2000        1980         6         8            10           198");
	/* No division by zero: a run that sent nothing. */
	sf_flood_summary_json(buf, sizeof(buf), &z, 0, 0, 0);
	assert_non_null(strstr(buf, "\"answer_ratio\": 0.000000,"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_syn_frames),
		cmocka_unit_test(test_syn_seed),
		cmocka_unit_test(test_gen_init_rejects),
		cmocka_unit_test(test_classify),
		cmocka_unit_test(test_classify_fraction),
		cmocka_unit_test(test_ack_build),
		cmocka_unit_test(test_pace),
		cmocka_unit_test(test_args_bad),
		cmocka_unit_test(test_args_good),
		cmocka_unit_test(test_report),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
