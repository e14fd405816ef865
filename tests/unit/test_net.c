/* SPDX-License-Identifier: BSD-3-Clause */

/*
 * Unit tests of lib/net: sf_parse(), sf_tcp_opts_parse(), the builders.
 *
 * Frames are built by the test frame builder (tests/frame/fr_frame.h,
 * through the frame_* helpers below), whose checksums are its own code, not
 * DPDK's nor lib/net's, so the library is checked against an independent
 * implementation. Two SYNs were made with scapy and pasted (see
 * seed_syn4/seed_syn6) to check the builder and the parser against a third
 * implementation.
 *
 * Every parse goes through guarded(): the input is copied to the end of a
 * page that is followed by a PROT_NONE page, so any read past the end of
 * the input faults at once (the picohttpparser trick).
 */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cmocka.h>

#include "sf_net.h"
/* Private to lib/net: the parser's fast and slow paths, one by one. */
#include "private/sf_parse_priv.h"
#include "fr_frame.h"

/* ---------------------------------------------------------------- guard */

#define GUARD_DATA_PAGES 4

static uint8_t *guard_base;
static size_t guard_page;

/* Copy len bytes so that the last one is just before the PROT_NONE page. */
static uint8_t *
guarded(const uint8_t *src, uint32_t len)
{
	uint8_t *p = guard_base + GUARD_DATA_PAGES * guard_page - len;

	assert_true(len <= GUARD_DATA_PAGES * guard_page);
	if (len != 0)
		memmove(p, src, len);
	return p;
}

static int
group_setup(void **state)
{
	(void)state;
	guard_page = (size_t)sysconf(_SC_PAGESIZE);
	guard_base = mmap(NULL, (GUARD_DATA_PAGES + 1) * guard_page,
			  PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
			  -1, 0);
	if (guard_base == MAP_FAILED)
		return -1;
	return mprotect(guard_base + GUARD_DATA_PAGES * guard_page, guard_page,
			PROT_NONE);
}

static int
group_teardown(void **state)
{
	(void)state;
	return munmap(guard_base, (GUARD_DATA_PAGES + 1) * guard_page);
}

/* ------------------------------------------------- fixture frames */

static const uint8_t cli_mac[6] = { 0x02, 0, 0, 0, 0, 0x02 };
static const uint8_t srv_mac[6] = { 0x02, 0, 0, 0, 0, 0x01 };
static const struct rte_ether_addr our_mac = {
	.addr_bytes = { 0x02, 0x5f, 0, 0, 0, 0x01 }
};
static const uint8_t cli4[4] = { 198, 18, 0, 1 };
static const uint8_t srv4[4] = { 198, 18, 0, 2 };
static const uint8_t cli6[16] = { 0x20, 0x01, 0, 2, [15] = 1 };
static const uint8_t srv6[16] = { 0x20, 0x01, 0, 2, [15] = 2 };
static const uint8_t unspec6[16];
#define VLAN_TCI	0x2123		/* PCP 1, VID 0x123 */
#define CLI_PORT	40000
#define SRV_PORT	80

/* A frame of the fr_frame builder, with the offsets the tests poke at. */
struct frame {
	uint8_t b[2048];
	uint32_t len;	/* frame length */
	uint32_t l3;	/* IP / ARP header offset */
	uint32_t l4;	/* L4 header offset */
	int v6;
};

/* Take the offsets of a frame fr_build_*() wrote (n bytes). */
static void
frame_done(struct frame *f, size_t n, const struct fr_hdrs *h)
{
	assert_int_not_equal(n, 0);
	f->len = h->len;
	f->l3 = h->l3;
	f->l4 = h->l4;
	f->v6 = h->v6;
}

/* Recompute the checksums after a test changed header fields. */
static void
frame_fix(struct frame *f)
{
	fr_fix_csums(f->b, f->len, f->l3, f->v6);
}

/* A TCP segment from the client with option bytes opt and plen payload bytes ('a'...). */
static void
frame_tcp(struct frame *f, int v6, int vlan, uint8_t flags, uint32_t seq,
	  uint32_t ack, const uint8_t *opt, uint32_t olen, uint32_t plen)
{
	struct fr_tcp t;
	struct fr_hdrs h;

	fr_tcp_init(&t, v6);
	t.eth.vlan = (uint8_t)vlan;
	t.eth.tci = VLAN_TCI;
	t.flags = flags;
	t.seq = seq;
	t.ack = ack;
	t.opts_raw = olen != 0 ? opt : NULL;
	t.opts_raw_len = (uint8_t)olen;
	t.payload_len = (uint16_t)plen;
	frame_done(f, fr_build_tcp(f->b, sizeof(f->b), &t, &h), &h);
}

/* Linux's SYN: MSS 1460, SACK_PERM, TS 1000/0, NOP, WSCALE 7 (see seed_syn4). */
static void
frame_syn(struct frame *f, int v6, int vlan)
{
	struct fr_tcp t;
	struct fr_hdrs h;

	fr_tcp_init(&t, v6);
	t.eth.vlan = (uint8_t)vlan;
	t.eth.tci = VLAN_TCI;
	t.flags = SF_TCP_SYN;
	t.seq = 4321;
	t.mss = 1460;
	t.sack_ok = 1;
	t.ts = 1;
	t.tsval = 1000;
	t.ws = 7;
	frame_done(f, fr_build_tcp(f->b, sizeof(f->b), &t, &h), &h);
}

/* Echo request with data_len bytes 0, 1, 2... */
static void
frame_echo(struct frame *f, int v6, int vlan, uint32_t data_len)
{
	struct fr_echo e;
	struct fr_hdrs h;

	fr_echo_init(&e, v6);
	e.eth.vlan = (uint8_t)vlan;
	e.eth.tci = VLAN_TCI;
	e.data_len = (uint16_t)data_len;
	frame_done(f, fr_build_echo(f->b, sizeof(f->b), &e, &h), &h);
}

/* Neighbour solicitation for srv6 from src to dst, with options opt. */
static void
frame_ns(struct frame *f, int vlan, const uint8_t *src, const uint8_t *dst,
	 const uint8_t *opt, uint32_t olen)
{
	struct fr_ns n;
	struct fr_hdrs h;

	fr_ns_init(&n);
	n.eth.vlan = (uint8_t)vlan;
	n.eth.tci = VLAN_TCI;
	memcpy(n.ip.src, src, 16);
	memcpy(n.ip.dst, dst, 16);
	n.opts = opt;
	n.opts_len = (uint16_t)olen;
	frame_done(f, fr_build_ns(f->b, sizeof(f->b), &n, &h), &h);
}

static const uint8_t sll_opt[8] = { 1, 1, 0x02, 0, 0, 0, 0x0a, 0x0b };
/* ff02::1:ff00:2, the solicited-node group of srv6 */
static const uint8_t srv6_snm[16] = {
	0xff, 0x02, [11] = 0x01, [12] = 0xff, [15] = 0x02
};

static void
frame_arp(struct frame *f, int vlan, uint16_t op)
{
	struct fr_arp a;
	struct fr_hdrs h;

	fr_arp_init(&a);
	a.eth.vlan = (uint8_t)vlan;
	a.eth.tci = VLAN_TCI;
	a.op = op;
	frame_done(f, fr_build_arp(f->b, sizeof(f->b), &a, &h), &h);
}

static enum sf_net_reason
parse_g(const uint8_t *b, uint32_t len, uint32_t rx, struct sf_pkt *pkt)
{
	return sf_parse(guarded(b, len), len, rx, pkt);
}

static enum sf_net_reason
parse_fr(const struct frame *f, uint32_t rx, struct sf_pkt *pkt)
{
	return parse_g(f->b, f->len, rx, pkt);
}

/* ------------------------------------------------------ seed SYNs */

/*
 * Made with scapy 2.5 (/usr/bin/python3), bytes(p) pasted:
 *   Ether(dst='02:00:00:00:00:01', src='02:00:00:00:00:02')
 *   /IP(src='198.18.0.1', dst='198.18.0.2', ttl=64, id=1, flags='DF')
 *   /TCP(sport=40000, dport=80, seq=4321, flags='S', window=64240,
 *        options=[('MSS',1460), ('SAckOK',b''), ('Timestamp',(1000,0)),
 *                 ('NOP',None), ('WScale',7)])
 */
static const uint8_t seed_syn4[] = {
	0x02, 0x00, 0x00, 0x00, 0x00, 0x01, 0x02, 0x00, 0x00, 0x00, 0x00, 0x02,
	0x08, 0x00, 0x45, 0x00, 0x00, 0x3c, 0x00, 0x01, 0x40, 0x00, 0x40, 0x06,
	0xae, 0x93, 0xc6, 0x12, 0x00, 0x01, 0xc6, 0x12, 0x00, 0x02, 0x9c, 0x40,
	0x00, 0x50, 0x00, 0x00, 0x10, 0xe1, 0x00, 0x00, 0x00, 0x00, 0xa0, 0x02,
	0xfa, 0xf0, 0x0f, 0x8e, 0x00, 0x00, 0x02, 0x04, 0x05, 0xb4, 0x04, 0x02,
	0x08, 0x0a, 0x00, 0x00, 0x03, 0xe8, 0x00, 0x00, 0x00, 0x00, 0x01, 0x03,
	0x03, 0x07,
};

/*
 * scapy, Windows' SYN layout:
 *   Ether(...)/IPv6(src='2001:2::1', dst='2001:2::2')
 *   /TCP(sport=40000, dport=443, seq=4321, flags='S', window=64800,
 *        options=[('MSS',1440), ('NOP',None), ('WScale',8), ('NOP',None),
 *                 ('NOP',None), ('SAckOK',b'')])
 */
static const uint8_t seed_syn6[] = {
	0x02, 0x00, 0x00, 0x00, 0x00, 0x01, 0x02, 0x00, 0x00, 0x00, 0x00, 0x02,
	0x86, 0xdd, 0x60, 0x00, 0x00, 0x00, 0x00, 0x20, 0x06, 0x40, 0x20, 0x01,
	0x00, 0x02, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x01, 0x20, 0x01, 0x00, 0x02, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x02, 0x9c, 0x40, 0x01, 0xbb, 0x00, 0x00,
	0x10, 0xe1, 0x00, 0x00, 0x00, 0x00, 0x80, 0x02, 0xfd, 0x20, 0x83, 0x1e,
	0x00, 0x00, 0x02, 0x04, 0x05, 0xa0, 0x01, 0x03, 0x03, 0x08, 0x01, 0x01,
	0x04, 0x02,
};

static void
test_seed_syn4(void **state)
{
	struct sf_pkt pkt;
	struct frame f;

	(void)state;
	assert_int_equal(parse_g(seed_syn4, sizeof(seed_syn4), 0, &pkt), SF_NET_OK);
	assert_int_equal(pkt.kind, SF_PKT_TCP);
	assert_int_equal(pkt.seq, 4321);
	assert_int_equal(pkt.ack, 0);
	assert_int_equal(pkt.tcp_flags, SF_TCP_SYN);
	assert_int_equal(pkt.window, 64240);
	assert_int_equal(pkt.hop_limit, 64);
	assert_int_equal(pkt.l2_len, 14);
	assert_int_equal(pkt.l3_len, 20);
	assert_int_equal(pkt.l4_len, 40);
	assert_int_equal(pkt.payload_off, 74);
	assert_int_equal(pkt.payload_len, 0);
	assert_int_equal(pkt.frame_len, 74);
	assert_int_equal(pkt.opts.mss, 1460);
	assert_int_equal(pkt.opts.wscale, 7);
	assert_int_equal(pkt.opts.sack_ok, 1);
	assert_int_equal(pkt.opts.ts_ok, 1);
	assert_int_equal(pkt.opts.tsval, 1000);
	assert_int_equal(pkt.opts.tsecr, 0);
	assert_int_equal(pkt.flow.family, SF_AF_INET);
	assert_memory_equal(pkt.flow.cli_addr, cli4, 4);
	assert_memory_equal(pkt.flow.srv_addr, srv4, 4);
	assert_memory_equal(pkt.flow.cli_addr + 4, unspec6, 12);
	assert_memory_equal(pkt.flow.srv_addr + 4, unspec6, 12);
	assert_int_equal(fr_get16((const uint8_t *)&pkt.flow.cli_port), CLI_PORT);
	assert_int_equal(fr_get16((const uint8_t *)&pkt.flow.srv_port), SRV_PORT);
	assert_memory_equal(&pkt.src_mac, cli_mac, 6);
	assert_memory_equal(&pkt.dst_mac, srv_mac, 6);

	/* The test frame builder makes the same bytes, checksums included. */
	frame_syn(&f, 0, 0);
	assert_int_equal(f.len, sizeof(seed_syn4));
	assert_memory_equal(f.b, seed_syn4, sizeof(seed_syn4));
}

static void
test_seed_syn6(void **state)
{
	struct sf_pkt pkt;
	struct fr_tcp t;
	uint8_t b[128];

	(void)state;
	assert_int_equal(parse_g(seed_syn6, sizeof(seed_syn6), 0, &pkt), SF_NET_OK);
	assert_int_equal(pkt.kind, SF_PKT_TCP);
	assert_int_equal(pkt.seq, 4321);
	assert_int_equal(pkt.l3_len, 40);
	assert_int_equal(pkt.l4_len, 32);
	assert_int_equal(pkt.frame_len, sizeof(seed_syn6));
	assert_int_equal(pkt.opts.mss, 1440);
	assert_int_equal(pkt.opts.wscale, 8);
	assert_int_equal(pkt.opts.sack_ok, 1);
	assert_int_equal(pkt.opts.ts_ok, 0);
	assert_int_equal(pkt.flow.family, SF_AF_INET6);
	assert_memory_equal(pkt.flow.cli_addr, cli6, 16);
	assert_memory_equal(pkt.flow.srv_addr, srv6, 16);
	assert_int_equal(fr_get16((const uint8_t *)&pkt.flow.srv_port), 443);

	/* The test frame builder's Windows order makes the same bytes. */
	fr_tcp_init(&t, 1);
	t.dport = 443;
	t.flags = SF_TCP_SYN;
	t.seq = 4321;
	t.win = 64800;
	t.order = FR_OPTS_WINDOWS;
	t.mss = 1440;
	t.ws = 8;
	t.sack_ok = 1;
	assert_int_equal(fr_build_tcp(b, sizeof(b), &t, NULL), sizeof(seed_syn6));
	assert_memory_equal(b, seed_syn6, sizeof(seed_syn6));
}

/* The builder's option orders, byte for byte (the fast/slow table relies on them). */
static void
test_frame_opt_orders(void **state)
{
	static const struct {
		uint8_t order;
		uint8_t len;
		uint8_t bytes[24];
	} cases[] = {
		{ FR_OPTS_LINUX, 20, { 2, 4, 5, 0xb4, 4, 2, 8, 10, 1, 2, 3, 4, 5, 6, 7, 8,
				       1, 3, 3, 7 } },
		{ FR_OPTS_ALIGNED, 24, { 2, 4, 5, 0xb4, 1, 1, 4, 2, 1, 1, 8, 10, 1, 2, 3, 4,
					 5, 6, 7, 8, 1, 3, 3, 7 } },
		{ FR_OPTS_WINDOWS, 24, { 2, 4, 5, 0xb4, 1, 3, 3, 7, 1, 1, 4, 2, 1, 1, 8, 10,
					 1, 2, 3, 4, 5, 6, 7, 8 } },
		{ FR_OPTS_MACOS, 24, { 2, 4, 5, 0xb4, 1, 3, 3, 7, 1, 1, 8, 10, 1, 2, 3, 4,
				       5, 6, 7, 8, 4, 2, 0, 0 } },
		{ FR_OPTS_PACKED, 20, { 2, 4, 5, 0xb4, 3, 3, 7, 4, 2, 8, 10, 1, 2, 3, 4, 5,
					6, 7, 8, 0 } },
	};
	uint8_t out[FR_TCP_OPT_MAX];
	struct fr_tcp t;
	unsigned int i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		fr_tcp_init(&t, 0);
		t.order = cases[i].order;
		t.mss = 1460;
		t.ws = 7;
		t.sack_ok = 1;
		t.ts = 1;
		t.tsval = 0x01020304;
		t.tsecr = 0x05060708;
		assert_int_equal(fr_tcp_opts(out, &t), cases[i].len);
		assert_memory_equal(out, cases[i].bytes, cases[i].len);
	}
	/* Raw options are EOL-padded; more than 40 bytes do not build. */
	fr_tcp_init(&t, 0);
	t.opts_raw = (const uint8_t *)"\x01\x01\x01\x01\x01";
	t.opts_raw_len = 5;
	assert_int_equal(fr_tcp_opts(out, &t), 8);
	assert_memory_equal(out, "\x01\x01\x01\x01\x01\0\0\0", 8);
	t.opts_raw_len = 41;
	assert_int_equal(fr_tcp_opts(out, &t), -1);
	assert_int_equal(fr_build_tcp(out, sizeof(out), &t, NULL), 0);
}

/* -------------------------------------------- SYN -> SYN-ACK round trip */

static void
test_synack_round_trip(void **state)
{
	static const struct {
		int v6, vlan;
	} cases[] = { { 0, 0 }, { 1, 0 }, { 0, 1 }, { 1, 1 } };
	unsigned int i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const int v6 = cases[i].v6, vlan = cases[i].vlan;
		struct sf_tcp_reply r = {
			.seq = 0xc00c1e5u, .ack = 4322, .window = 65535,
			.flags = SF_TCP_SYN | SF_TCP_ACK, .wscale = 7,
			.mss = 1460, .sack_ok = 1, .ts_ok = 1,
			.tsval = 0x1234567f, .tsecr = 1000,
		};
		struct sf_pkt pkt, rep;
		struct frame f;
		uint32_t ol = 99;
		uint16_t n;
		uint8_t *buf;

		frame_syn(&f, v6, vlan);
		assert_int_equal(parse_fr(&f, 0, &pkt), SF_NET_OK);
		assert_int_equal(pkt.seq, 4321);
		assert_int_equal(pkt.l2_len, vlan ? 18 : 14);
		if (vlan)
			assert_int_equal(pkt.vlan_tci, VLAN_TCI);
		/* In place: the reply overwrites the frame it answers. */
		buf = guarded(f.b, 128);
		n = sf_build_tcp(buf, 128, &pkt, &our_mac, &r, 0, &ol);
		assert_int_equal(n, (vlan ? 18 : 14) + (v6 ? 40 : 20) + 20 + 20);
		assert_int_equal(ol, 0);
		assert_true(fr_csums_ok(buf, vlan ? 18 : 14, v6));
		assert_memory_equal(buf, cli_mac, 6);
		assert_memory_equal(buf + 6, &our_mac, 6);
		if (vlan) {
			assert_int_equal(fr_get16(buf + 12), 0x8100);
			assert_int_equal(fr_get16(buf + 14), VLAN_TCI);
		}
		if (!v6) {
			const uint8_t *ip = buf + (vlan ? 18 : 14);

			assert_int_equal(ip[0], 0x45);
			assert_int_equal(ip[1], 0);
			assert_int_equal(fr_get16(ip + 4), 0);
			assert_int_equal(fr_get16(ip + 6), 0x4000);
			assert_int_equal(ip[8], 64);
		} else {
			const uint8_t *ip = buf + (vlan ? 18 : 14);

			assert_int_equal(fr_get32(ip), 0x60000000);
			assert_int_equal(ip[7], 64);
		}

		memcpy(f.b, buf, n);
		f.len = n;
		assert_int_equal(parse_fr(&f, 0, &rep), SF_NET_OK);
		assert_int_equal(rep.kind, SF_PKT_TCP);
		assert_int_equal(rep.tcp_flags, SF_TCP_SYN | SF_TCP_ACK);
		assert_int_equal(rep.seq, 0xc00c1e5u);
		assert_int_equal(rep.ack, 4322);
		assert_int_equal(rep.window, 65535);
		assert_int_equal(rep.opts.mss, 1460);
		assert_int_equal(rep.opts.wscale, 7);
		assert_int_equal(rep.opts.sack_ok, 1);
		assert_int_equal(rep.opts.ts_ok, 1);
		assert_int_equal(rep.opts.tsval, 0x1234567f);
		assert_int_equal(rep.opts.tsecr, 1000);
		assert_int_equal(rep.hop_limit, 64);
		assert_int_equal(rep.l2_len, pkt.l2_len);
		assert_int_equal(rep.vlan_tci, pkt.vlan_tci);
		assert_int_equal(rep.flow.family, pkt.flow.family);
		assert_memory_equal(rep.flow.cli_addr, pkt.flow.srv_addr, 16);
		assert_memory_equal(rep.flow.srv_addr, pkt.flow.cli_addr, 16);
		assert_int_equal(rep.flow.cli_port, pkt.flow.srv_port);
		assert_int_equal(rep.flow.srv_port, pkt.flow.cli_port);
		assert_memory_equal(&rep.dst_mac, cli_mac, 6);
		assert_memory_equal(&rep.src_mac, &our_mac, 6);
	}
}

/* ------------------------------------------------------ option lists */

struct opt_case {
	const char *name;
	uint8_t bytes[40];
	uint8_t len;		/* multiple of 4 */
	int ret;		/* 0 or -1 */
	struct sf_tcp_opts want;
};

#define NOWS SF_WSCALE_NONE

static const struct opt_case opt_cases[] = {
	{ "none", { 0 }, 0, 0, { .wscale = NOWS } },
	{ "mss only", { 2, 4, 0x02, 0x18 }, 4, 0, { .mss = 536, .wscale = NOWS } },
	{ "linux syn", { 2, 4, 0x05, 0xb4, 4, 2, 8, 10, 0, 0, 0, 9, 0, 0, 0, 8,
			 1, 3, 3, 14 }, 20, 0,
	  { .mss = 1460, .wscale = 14, .sack_ok = 1, .ts_ok = 1, .tsval = 9, .tsecr = 8 } },
	{ "mss ws sack ts, other order", { 2, 4, 0x05, 0xb4, 1, 3, 3, 2, 1, 1, 4, 2,
			 1, 1, 8, 10, 0xde, 0xad, 0xbe, 0xef, 0, 0, 0, 1 }, 24, 0,
	  { .mss = 1460, .wscale = 2, .sack_ok = 1, .ts_ok = 1, .tsval = 0xdeadbeef, .tsecr = 1 } },
	{ "ts without ws (ack)", { 1, 1, 8, 10, 0, 0, 1, 0, 0, 0, 2, 0 }, 12, 0,
	  { .wscale = NOWS, .ts_ok = 1, .tsval = 256, .tsecr = 512 } },
	{ "ts without ws, mss", { 2, 4, 0x05, 0x8c, 1, 1, 8, 10, 0, 0, 0, 1, 0, 0, 0, 0 },
	  16, 0, { .mss = 1420, .wscale = NOWS, .ts_ok = 1, .tsval = 1 } },
	{ "macos syn", { 2, 4, 0x05, 0xb4, 1, 3, 3, 6, 1, 1, 8, 10, 0, 0, 0, 5,
			 0, 0, 0, 0, 4, 2, 0, 0 }, 24, 0,
	  { .mss = 1460, .wscale = 6, .sack_ok = 1, .ts_ok = 1, .tsval = 5 } },
	{ "odd nop padding", { 1, 2, 4, 0x05, 0x00, 1, 1, 1, 3, 3, 0, 1 }, 12, 0,
	  { .mss = 1280, .wscale = 0 } },
	{ "unknown option skipped", { 30, 6, 1, 2, 3, 4, 2, 4, 0x04, 0x00, 0, 0 }, 12, 0,
	  { .mss = 1024, .wscale = NOWS } },
	{ "unknown kind 254 len 2", { 254, 2, 2, 4, 0x04, 0x00, 1, 1 }, 8, 0,
	  { .mss = 1024, .wscale = NOWS } },
	{ "eol then garbage", { 2, 4, 0x05, 0xb4, 0, 0xff, 0, 3, 0xaa, 0xbb, 0, 0 }, 12, 0,
	  { .mss = 1460, .wscale = NOWS } },
	{ "eol first", { 0, 2, 1, 0 }, 4, 0, { .wscale = NOWS } },
	{ "sack 1 block", { 1, 1, 5, 10, 0, 0, 0, 1, 0, 0, 0, 2 }, 12, 0,
	  { .wscale = NOWS, .sack_n = 1, .sack = { { 1, 2 } } } },
	{ "sack 2 blocks", { 1, 1, 5, 18, 1, 2, 3, 4, 5, 6, 7, 8, 1, 2, 3, 4, 5, 6, 7, 9 },
	  20, 0, { .wscale = NOWS, .sack_n = 2,
		   .sack = { { 0x01020304, 0x05060708 }, { 0x01020304, 0x05060709 } } } },
	{ "two sack options: the first", { 5, 10, 0, 0, 0, 3, 0, 0, 0, 4,
					   5, 10, 0, 0, 0, 5, 0, 0, 0, 6 }, 20, 0,
	  { .wscale = NOWS, .sack_n = 1, .sack = { { 3, 4 } } } },
	{ "ts + sack 3 blocks", { 1, 1, 8, 10, 0, 0, 0, 7, 0, 0, 0, 6, 1, 1, 5, 26,
				  0, 0, 0, 9, 0, 0, 0, 10, 0, 0, 0, 11, 0, 0, 0, 12,
				  0xff, 0xff, 0xff, 0xf0, 0, 0, 0, 0x10 }, 40, 0,
	  { .wscale = NOWS, .ts_ok = 1, .tsval = 7, .tsecr = 6, .sack_n = 3,
	    .sack = { { 9, 10 }, { 11, 12 }, { 0xfffffff0, 0x10 } } } },
	{ "sack 4 blocks", { 1, 1, 5, 34 }, 36, 0,
	  { .wscale = NOWS, .sack_n = 4 } },
	{ "nop only (40)", { 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
			     1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1 },
	  40, 0, { .wscale = NOWS } },
	{ "length 0", { 2, 0, 1, 1 }, 4, -1, { 0 } },
	{ "length 1", { 1, 1, 30, 1 }, 4, -1, { 0 } },
	{ "unknown length 0", { 30, 0, 0, 0 }, 4, -1, { 0 } },
	{ "overrun", { 1, 1, 30, 8 }, 4, -1, { 0 } },
	{ "overrun by one", { 2, 4, 5, 0xb4, 30, 5, 0, 0 }, 8, -1, { 0 } },
	{ "kind at last byte", { 1, 1, 1, 3 }, 4, -1, { 0 } },
	{ "mss length 3", { 2, 3, 5, 0 }, 4, -1, { 0 } },
	{ "mss length 6", { 2, 6, 5, 0xb4, 0, 0, 0, 0 }, 8, -1, { 0 } },
	{ "wscale length 4", { 3, 4, 7, 0 }, 4, -1, { 0 } },
	{ "wscale length 2", { 3, 2, 1, 1 }, 4, -1, { 0 } },
	{ "sack_perm length 3", { 4, 3, 0, 0 }, 4, -1, { 0 } },
	{ "ts length 8", { 8, 8, 0, 0, 0, 0, 0, 0 }, 8, -1, { 0 } },
	{ "ts length 12", { 8, 12 }, 12, -1, { 0 } },
	{ "sack length 12", { 5, 12 }, 12, -1, { 0 } },
	{ "sack length 8", { 5, 8, 0, 0, 0, 0, 0, 0 }, 8, -1, { 0 } },
	{ "sack length 2", { 5, 2, 1, 1 }, 4, -1, { 0 } },
	{ "linux syn, bad ws length", { 2, 4, 0x05, 0xb4, 4, 2, 8, 10, 0, 0, 0, 9,
					0, 0, 0, 8, 1, 3, 4, 14 }, 20, -1, { 0 } },
};

static void
check_opts(const struct sf_tcp_opts *got, const struct sf_tcp_opts *want,
	   const char *name)
{
	if (got->mss != want->mss || got->wscale != want->wscale ||
	    got->sack_ok != want->sack_ok || got->ts_ok != want->ts_ok ||
	    (want->ts_ok && (got->tsval != want->tsval ||
			     got->tsecr != want->tsecr)))
		fail_msg("%s: got mss %u ws %u sack %u ts %u %u/%u", name,
			 got->mss, got->wscale, got->sack_ok, got->ts_ok,
			 got->tsval, got->tsecr);
	/* the blocks as received, unused ones zero */
	if (got->sack_n != want->sack_n ||
	    memcmp(got->sack, want->sack, sizeof(got->sack)) != 0)
		fail_msg("%s: got %u SACK blocks, first %u-%u", name,
			 got->sack_n, got->sack[0].start, got->sack[0].end);
}

static void
test_opts_table(void **state)
{
	unsigned int i;

	(void)state;
	for (i = 0; i < sizeof(opt_cases) / sizeof(opt_cases[0]); i++) {
		const struct opt_case *c = &opt_cases[i];
		struct sf_tcp_opts o;
		int v6;

		/* Alone, at the end of a page. */
		assert_int_equal(sf_tcp_opts_parse(guarded(c->bytes, c->len),
						   c->len, &o), c->ret);
		if (c->ret == 0)
			check_opts(&o, &c->want, c->name);

		/* In a SYN, IPv4 and IPv6. */
		for (v6 = 0; v6 <= 1; v6++) {
			struct sf_pkt pkt;
			struct frame f;
			enum sf_net_reason r;

			frame_tcp(&f, v6, 0, SF_TCP_SYN, 1, 0, c->bytes, c->len, 0);
			r = parse_fr(&f, 0, &pkt);
			if (r != (c->ret == 0 ? SF_NET_OK : SF_NET_BAD_TCP_OPT))
				fail_msg("%s v6=%d: %s", c->name, v6,
					 sf_net_reason_str(r));
			if (c->ret == 0)
				check_opts(&pkt.opts, &c->want, c->name);
		}
	}
}

/* Every option combination the builder writes, byte for byte, and re-parsed. */
static void
test_build_opt_layouts(void **state)
{
	static const struct {
		uint16_t mss;
		uint8_t ts, sack, ws;
		uint8_t len;
		uint8_t bytes[24];
	} cases[] = {
		{ 0, 0, 0, NOWS, 0, { 0 } },
		{ 1460, 0, 0, NOWS, 4, { 2, 4, 5, 0xb4 } },
		{ 0, 0, 1, NOWS, 4, { 1, 1, 4, 2 } },
		{ 0, 0, 0, 7, 4, { 1, 3, 3, 7 } },
		{ 0, 1, 0, NOWS, 12, { 1, 1, 8, 10, 0xaa, 0xbb, 0xcc, 0xdd, 0, 0, 0, 5 } },
		{ 0, 1, 1, NOWS, 12, { 4, 2, 8, 10, 0xaa, 0xbb, 0xcc, 0xdd, 0, 0, 0, 5 } },
		{ 1460, 0, 1, NOWS, 8, { 2, 4, 5, 0xb4, 1, 1, 4, 2 } },
		{ 1460, 0, 0, 14, 8, { 2, 4, 5, 0xb4, 1, 3, 3, 14 } },
		{ 1460, 0, 1, 0, 12, { 2, 4, 5, 0xb4, 1, 1, 4, 2, 1, 3, 3, 0 } },
		{ 1460, 1, 0, NOWS, 16, { 2, 4, 5, 0xb4, 1, 1, 8, 10, 0xaa, 0xbb, 0xcc,
					  0xdd, 0, 0, 0, 5 } },
		{ 1460, 1, 1, NOWS, 16, { 2, 4, 5, 0xb4, 4, 2, 8, 10, 0xaa, 0xbb, 0xcc,
					  0xdd, 0, 0, 0, 5 } },
		{ 1460, 1, 0, 7, 20, { 2, 4, 5, 0xb4, 1, 1, 8, 10, 0xaa, 0xbb, 0xcc,
				       0xdd, 0, 0, 0, 5, 1, 3, 3, 7 } },
		{ 1460, 1, 1, 7, 20, { 2, 4, 5, 0xb4, 4, 2, 8, 10, 0xaa, 0xbb, 0xcc,
				       0xdd, 0, 0, 0, 5, 1, 3, 3, 7 } },
		{ 0, 1, 1, 7, 16, { 4, 2, 8, 10, 0xaa, 0xbb, 0xcc, 0xdd, 0, 0, 0, 5,
				    1, 3, 3, 7 } },
		{ 0, 1, 0, 7, 16, { 1, 1, 8, 10, 0xaa, 0xbb, 0xcc, 0xdd, 0, 0, 0, 5,
				    1, 3, 3, 7 } },
		{ 0, 0, 1, 7, 8, { 1, 1, 4, 2, 1, 3, 3, 7 } },
	};
	unsigned int i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct sf_tcp_reply r = {
			.seq = 1, .ack = 2, .window = 100,
			.flags = SF_TCP_SYN | SF_TCP_ACK, .wscale = cases[i].ws,
			.mss = cases[i].mss, .sack_ok = cases[i].sack,
			.ts_ok = cases[i].ts, .tsval = 0xaabbccdd, .tsecr = 5,
		};
		struct sf_pkt pkt, rep;
		struct frame f;
		uint8_t out[128];
		uint32_t ol;
		uint16_t n;

		frame_syn(&f, (int)(i & 1), 0);
		assert_int_equal(parse_fr(&f, 0, &pkt), SF_NET_OK);
		n = sf_build_tcp(out, sizeof(out), &pkt, &our_mac, &r, 0, &ol);
		assert_int_equal(n, pkt.l2_len + pkt.l3_len + 20 + cases[i].len);
		assert_int_equal(out[pkt.l2_len + pkt.l3_len + 12] >> 4,
				 5 + cases[i].len / 4);
		assert_memory_equal(out + pkt.l2_len + pkt.l3_len + 20,
				    cases[i].bytes, cases[i].len);
		assert_int_equal(parse_g(out, n, 0, &rep), SF_NET_OK);
		assert_int_equal(rep.opts.mss, cases[i].mss);
		assert_int_equal(rep.opts.wscale, cases[i].ws);
		assert_int_equal(rep.opts.sack_ok, cases[i].sack);
		assert_int_equal(rep.opts.ts_ok, cases[i].ts);
		if (cases[i].ts) {
			assert_int_equal(rep.opts.tsval, 0xaabbccdd);
			assert_int_equal(rep.opts.tsecr, 5);
		}
	}
}

/* ------------------------------------------------------ malformed table */

enum base {
	B_SYN4, B_SYN6, B_SYN4_VLAN, B_SYN6_VLAN, B_DATA4, B_DATA6, B_BARE4,
	B_ICMP4, B_ICMP6, B_NS, B_NS_SLL, B_NS_DAD, B_ARP, B_ARP_VLAN,
};

enum rel { R_L2, R_L3, R_L4 };

struct poke {
	uint8_t rel;
	uint8_t off;
	uint8_t n;
	uint8_t v[16];
};

struct bad_case {
	const char *name;
	uint8_t base;
	struct poke poke[2];
	uint8_t fix;		/* recompute checksums after poking */
	int16_t trim;		/* change of the frame length (bytes) */
	uint32_t rx;		/* rx_flags */
	enum sf_net_reason want;
};

static void
frame_base(struct frame *f, enum base b)
{
	static const uint8_t ts_opts[12] = { 1, 1, 8, 10, 0, 0, 0, 9, 0, 0, 0, 8 };

	switch (b) {
	case B_SYN4: frame_syn(f, 0, 0); break;
	case B_SYN6: frame_syn(f, 1, 0); break;
	case B_SYN4_VLAN: frame_syn(f, 0, 1); break;
	case B_SYN6_VLAN: frame_syn(f, 1, 1); break;
	case B_DATA4: frame_tcp(f, 0, 0, 0x18, 4322, 99, ts_opts, 12, 33); break;
	case B_DATA6: frame_tcp(f, 1, 0, 0x18, 4322, 99, ts_opts, 12, 33); break;
	case B_BARE4: frame_tcp(f, 0, 0, 0x10, 4322, 99, NULL, 0, 0); break;
	case B_ICMP4: frame_echo(f, 0, 0, 24); break;
	case B_ICMP6: frame_echo(f, 1, 0, 24); break;
	case B_NS: frame_ns(f, 0, cli6, srv6_snm, NULL, 0); break;
	case B_NS_SLL: frame_ns(f, 0, cli6, srv6, sll_opt, 8); break;
	case B_NS_DAD: frame_ns(f, 0, unspec6, srv6_snm, NULL, 0); break;
	case B_ARP: frame_arp(f, 0, 1); break;
	case B_ARP_VLAN: frame_arp(f, 1, 1); break;
	}
}

#define P1(r, o, x) { { r, o, 1, { x } } }
#define P2(r, o, x, y) { { r, o, 2, { x, y } } }

static const struct bad_case bad_cases[] = {
	/* sanity: the bases parse */
	{ "syn4", B_SYN4, { { 0 } }, 0, 0, 0, SF_NET_OK },
	{ "syn6", B_SYN6, { { 0 } }, 0, 0, 0, SF_NET_OK },
	{ "syn4 vlan", B_SYN4_VLAN, { { 0 } }, 0, 0, 0, SF_NET_OK },
	{ "syn6 vlan", B_SYN6_VLAN, { { 0 } }, 0, 0, 0, SF_NET_OK },
	{ "data4", B_DATA4, { { 0 } }, 0, 0, 0, SF_NET_OK },
	{ "data6", B_DATA6, { { 0 } }, 0, 0, 0, SF_NET_OK },
	{ "bare ack", B_BARE4, { { 0 } }, 0, 0, 0, SF_NET_OK },
	{ "echo4", B_ICMP4, { { 0 } }, 0, 0, 0, SF_NET_OK },
	{ "echo6", B_ICMP6, { { 0 } }, 0, 0, 0, SF_NET_OK },
	{ "ns", B_NS, { { 0 } }, 0, 0, 0, SF_NET_OK },
	{ "ns sll", B_NS_SLL, { { 0 } }, 0, 0, 0, SF_NET_OK },
	{ "ns dad", B_NS_DAD, { { 0 } }, 0, 0, 0, SF_NET_OK },
	{ "arp", B_ARP, { { 0 } }, 0, 0, 0, SF_NET_OK },
	{ "arp vlan", B_ARP_VLAN, { { 0 } }, 0, 0, 0, SF_NET_OK },
	{ "ethernet padding ignored", B_SYN4, { { 0 } }, 0, 6, 0, SF_NET_OK },

	/* Ethernet */
	{ "double vlan", B_SYN4_VLAN, P2(R_L2, 16, 0x81, 0x00), 0, 0, 0, SF_NET_BAD_ETHERTYPE },
	{ "vlan then qinq", B_SYN4_VLAN, P2(R_L2, 16, 0x88, 0xa8), 0, 0, 0, SF_NET_BAD_ETHERTYPE },
	{ "qinq outer", B_SYN4, P2(R_L2, 12, 0x88, 0xa8), 0, 0, 0, SF_NET_BAD_ETHERTYPE },
	{ "lldp", B_SYN4, P2(R_L2, 12, 0x88, 0xcc), 0, 0, 0, SF_NET_NOT_HANDLED },
	{ "802.3 length", B_SYN4, P2(R_L2, 12, 0x00, 0x40), 0, 0, 0, SF_NET_NOT_HANDLED },

	/* IPv4 */
	{ "ihl 0", B_SYN4, P1(R_L3, 0, 0x40), 0, 0, 0, SF_NET_BAD_IHL },
	{ "ihl 1", B_SYN4, P1(R_L3, 0, 0x41), 0, 0, 0, SF_NET_BAD_IHL },
	{ "ihl 2", B_SYN4, P1(R_L3, 0, 0x42), 0, 0, 0, SF_NET_BAD_IHL },
	{ "ihl 3", B_SYN4, P1(R_L3, 0, 0x43), 0, 0, 0, SF_NET_BAD_IHL },
	{ "ihl 4", B_SYN4, P1(R_L3, 0, 0x44), 0, 0, 0, SF_NET_BAD_IHL },
	{ "ihl > total", B_SYN4, { { R_L3, 0, 1, { 0x46 } }, { R_L3, 2, 2, { 0, 20 } } },
	  0, 0, 0, SF_NET_BAD_IHL },
	{ "ihl 15 > total 40", B_BARE4, P1(R_L3, 0, 0x4f), 0, 0, 0, SF_NET_BAD_IHL },
	{ "ihl 15 = total 60, options", B_SYN4, P1(R_L3, 0, 0x4f), 0, 0, 0, SF_NET_BAD_IP_CSUM },
	{ "version 6 in ipv4", B_SYN4, P1(R_L3, 0, 0x65), 0, 0, 0, SF_NET_BAD_IP_VERSION },
	{ "version 0", B_SYN4, P1(R_L3, 0, 0x05), 0, 0, 0, SF_NET_BAD_IP_VERSION },
	{ "total > frame", B_SYN4, P2(R_L3, 2, 0, 61), 1, 0, 0, SF_NET_BAD_IP_LEN },
	{ "total 0xffff", B_SYN4, P2(R_L3, 2, 0xff, 0xff), 1, 0, 0, SF_NET_BAD_IP_LEN },
	{ "total < ihl", B_SYN4, P2(R_L3, 2, 0, 19), 0, 0, 0, SF_NET_BAD_IHL },
	{ "bad ip csum", B_SYN4, P1(R_L3, 10, 0x55), 0, 0, 0, SF_NET_BAD_IP_CSUM },
	{ "bad ip csum, offloaded", B_SYN4, P1(R_L3, 10, 0x55), 0, 0,
	  SF_RX_IP_CSUM_GOOD, SF_NET_OK },
	{ "mf", B_SYN4, P1(R_L3, 6, 0x60), 1, 0, 0, SF_NET_IP_FRAGMENT },
	{ "frag offset", B_SYN4, P2(R_L3, 6, 0x40, 0x01), 1, 0, 0, SF_NET_IP_FRAGMENT },
	{ "frag offset high", B_SYN4, P2(R_L3, 6, 0x1f, 0x00), 1, 0, 0, SF_NET_IP_FRAGMENT },
	{ "src multicast", B_SYN4, { { R_L3, 12, 4, { 224, 0, 0, 1 } } }, 1, 0, 0, SF_NET_BAD_IP_ADDR },
	{ "src 239/8", B_SYN4, { { R_L3, 12, 4, { 239, 1, 2, 3 } } }, 1, 0, 0, SF_NET_BAD_IP_ADDR },
	{ "src broadcast", B_SYN4, { { R_L3, 12, 4, { 255, 255, 255, 255 } } }, 1, 0, 0, SF_NET_BAD_IP_ADDR },
	{ "src zero", B_SYN4, { { R_L3, 12, 4, { 0, 0, 0, 0 } } }, 1, 0, 0, SF_NET_BAD_IP_ADDR },
	{ "udp", B_SYN4, P1(R_L3, 9, 17), 1, 0, 0, SF_NET_NOT_HANDLED },

	/* IPv6 */
	{ "version 4 in ipv6", B_SYN6, P1(R_L3, 0, 0x40), 0, 0, 0, SF_NET_BAD_IP_VERSION },
	{ "plen > frame", B_SYN6, P2(R_L3, 4, 0, 41), 0, 0, 0, SF_NET_BAD_IP_LEN },
	{ "ipv6 src multicast", B_SYN6, P1(R_L3, 8, 0xff), 1, 0, 0, SF_NET_BAD_IP_ADDR },
	{ "ipv6 src unspecified", B_SYN6, { { R_L3, 8, 16, { 0 } } }, 1, 0, 0, SF_NET_BAD_IP_ADDR },
	{ "ipv6 fragment", B_SYN6, P1(R_L3, 6, 44), 0, 0, 0, SF_NET_IP_FRAGMENT },
	{ "ipv6 hop-by-hop", B_SYN6, P1(R_L3, 6, 0), 0, 0, 0, SF_NET_IP6_EXTHDR },
	{ "ipv6 routing", B_SYN6, P1(R_L3, 6, 43), 0, 0, 0, SF_NET_IP6_EXTHDR },
	{ "ipv6 dstopts", B_SYN6, P1(R_L3, 6, 60), 0, 0, 0, SF_NET_IP6_EXTHDR },
	{ "ipv6 ah", B_SYN6, P1(R_L3, 6, 51), 0, 0, 0, SF_NET_IP6_EXTHDR },
	{ "ipv6 esp", B_SYN6, P1(R_L3, 6, 50), 0, 0, 0, SF_NET_IP6_EXTHDR },
	{ "ipv6 mobility", B_SYN6, P1(R_L3, 6, 135), 0, 0, 0, SF_NET_IP6_EXTHDR },
	{ "ipv6 udp", B_SYN6, P1(R_L3, 6, 17), 0, 0, 0, SF_NET_NOT_HANDLED },
	{ "ipv6 no next header", B_SYN6, P1(R_L3, 6, 59), 0, 0, 0, SF_NET_NOT_HANDLED },

	/* TCP */
	{ "doff 0", B_SYN4, P1(R_L4, 12, 0x00), 1, 0, 0, SF_NET_BAD_DOFF },
	{ "doff 1", B_SYN4, P1(R_L4, 12, 0x10), 1, 0, 0, SF_NET_BAD_DOFF },
	{ "doff 2", B_SYN4, P1(R_L4, 12, 0x20), 1, 0, 0, SF_NET_BAD_DOFF },
	{ "doff 3", B_SYN4, P1(R_L4, 12, 0x30), 1, 0, 0, SF_NET_BAD_DOFF },
	{ "doff 4", B_SYN6, P1(R_L4, 12, 0x40), 1, 0, 0, SF_NET_BAD_DOFF },
	{ "doff 11 > payload", B_SYN4, P1(R_L4, 12, 0xb0), 1, 0, 0, SF_NET_BAD_DOFF },
	{ "doff 15 > payload", B_SYN6, P1(R_L4, 12, 0xf0), 1, 0, 0, SF_NET_BAD_DOFF },
	{ "doff 6 on bare ack", B_BARE4, P1(R_L4, 12, 0x60), 1, 0, 0, SF_NET_BAD_DOFF },
	{ "tcp header cut (ipv4 len)", B_BARE4, P2(R_L3, 2, 0, 39), 1, -1, 0, SF_NET_TRUNC_TCP },
	{ "tcp header cut (ipv6 len)", B_SYN6, P2(R_L3, 4, 0, 19), 0, 0, 0, SF_NET_TRUNC_TCP },
	{ "sport 0", B_SYN4, P2(R_L4, 0, 0, 0), 1, 0, 0, SF_NET_BAD_TCP_PORT },
	{ "dport 0", B_SYN6, P2(R_L4, 2, 0, 0), 1, 0, 0, SF_NET_BAD_TCP_PORT },
	{ "bad tcp csum", B_SYN4, P1(R_L4, 16, 0x00), 0, 0, 0, SF_NET_BAD_L4_CSUM },
	{ "bad tcp csum v6", B_SYN6, P1(R_L4, 17, 0x00), 0, 0, 0, SF_NET_BAD_L4_CSUM },
	{ "bad tcp csum (payload)", B_DATA4, P1(R_L4, 40, 0x00), 0, 0, 0, SF_NET_BAD_L4_CSUM },
	{ "bad tcp csum, offloaded", B_DATA6, P1(R_L4, 40, 0x00), 0, 0,
	  SF_RX_L4_CSUM_GOOD, SF_NET_OK },
	{ "bad ts length", B_DATA4, P1(R_L4, 23, 9), 1, 0, 0, SF_NET_BAD_TCP_OPT },

	/* ICMP */
	{ "bad icmp csum", B_ICMP4, P1(R_L4, 20, 0xee), 0, 0, 0, SF_NET_BAD_L4_CSUM },
	{ "icmp truncated", B_ICMP4, P2(R_L3, 2, 0, 27), 1, 0, 0, SF_NET_BAD_ICMP },
	{ "icmp echo code 1", B_ICMP4, P1(R_L4, 1, 1), 1, 0, 0, SF_NET_BAD_ICMP },
	{ "icmp echo reply", B_ICMP4, P1(R_L4, 0, 0), 1, 0, 0, SF_NET_NOT_HANDLED },
	{ "icmp unreachable", B_ICMP4, P1(R_L4, 0, 3), 1, 0, 0, SF_NET_NOT_HANDLED },
	{ "bad icmp6 csum", B_ICMP6, P1(R_L4, 20, 0xee), 0, 0, 0, SF_NET_BAD_L4_CSUM },
	{ "bad icmp6 csum, offloaded", B_ICMP6, P1(R_L4, 20, 0xee), 0, 0,
	  SF_RX_L4_CSUM_GOOD, SF_NET_OK },
	{ "icmp6 truncated", B_ICMP6, P2(R_L3, 4, 0, 6), 0, 0, 0, SF_NET_BAD_ICMP },
	{ "icmp6 echo from ::", B_ICMP6, { { R_L3, 8, 16, { 0 } } }, 1, 0, 0, SF_NET_BAD_IP_ADDR },
	{ "icmp6 na", B_ICMP6, P1(R_L4, 0, 136), 1, 0, 0, SF_NET_NOT_HANDLED },
	{ "icmp6 ra", B_ICMP6, P1(R_L4, 0, 134), 1, 0, 0, SF_NET_NOT_HANDLED },
	{ "icmp6 mld report", B_ICMP6, P1(R_L4, 0, 143), 1, 0, 0, SF_NET_NOT_HANDLED },

	/* Neighbour solicitation, RFC 4861 7.1.1 */
	{ "ns hop limit 64", B_NS, P1(R_L3, 7, 64), 1, 0, 0, SF_NET_BAD_ND },
	{ "ns code 1", B_NS, P1(R_L4, 1, 1), 1, 0, 0, SF_NET_BAD_ND },
	{ "ns length 20", B_NS, P2(R_L3, 4, 0, 20), 1, 0, 0, SF_NET_BAD_ND },
	{ "ns target multicast", B_NS, P1(R_L4, 8, 0xff), 1, 0, 0, SF_NET_BAD_ND },
	{ "ns option length 0", B_NS_SLL, P1(R_L4, 25, 0), 1, 0, 0, SF_NET_BAD_ND },
	{ "ns option overrun", B_NS_SLL, P1(R_L4, 25, 2), 1, 0, 0, SF_NET_BAD_ND },
	{ "ns option cut", B_NS_SLL, P2(R_L3, 4, 0, 25), 1, 0, 0, SF_NET_BAD_ND },
	{ "ns unknown option", B_NS_SLL, P1(R_L4, 24, 14), 1, 0, 0, SF_NET_OK },
	{ "ns dad with sll", B_NS_SLL, { { R_L3, 8, 16, { 0 } },
		{ R_L3, 24, 16, { 0xff, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0xff, 0, 0, 2 } } },
	  1, 0, 0, SF_NET_BAD_ND },
	{ "ns dad to unicast", B_NS_DAD, { { R_L3, 24, 16, { 0x20, 1, 0, 2, [15] = 2 } } },
	  1, 0, 0, SF_NET_BAD_ND },
	{ "ns dad to all-nodes", B_NS_DAD, { { R_L3, 24, 16, { 0xff, 2, [15] = 1 } } },
	  1, 0, 0, SF_NET_BAD_ND },
	{ "ns bad csum", B_NS, P1(R_L4, 3, 0x77), 0, 0, 0, SF_NET_BAD_L4_CSUM },
	{ "ns from multicast", B_NS, P1(R_L3, 8, 0xff), 1, 0, 0, SF_NET_BAD_IP_ADDR },

	/* ARP */
	{ "arp reply", B_ARP, P2(R_L3, 6, 0, 2), 0, 0, 0, SF_NET_NOT_HANDLED },
	{ "arp rarp request", B_ARP, P2(R_L3, 6, 0, 3), 0, 0, 0, SF_NET_NOT_HANDLED },
	{ "arp htype 6", B_ARP, P2(R_L3, 0, 0, 6), 0, 0, 0, SF_NET_BAD_ARP },
	{ "arp ptype ipv6", B_ARP, P2(R_L3, 2, 0x86, 0xdd), 0, 0, 0, SF_NET_BAD_ARP },
	{ "arp hlen 8", B_ARP, P1(R_L3, 4, 8), 0, 0, 0, SF_NET_BAD_ARP },
	{ "arp plen 16", B_ARP, P1(R_L3, 5, 16), 0, 0, 0, SF_NET_BAD_ARP },
	{ "arp truncated", B_ARP_VLAN, { { 0 } }, 0, -1, 0, SF_NET_BAD_ARP },
};

/* The frame of a bad case: its base, poked, checksums fixed, trimmed. */
static void
bad_case_frame(struct frame *f, const struct bad_case *c)
{
	unsigned int j;

	frame_base(f, (enum base)c->base);
	for (j = 0; j < 2; j++) {
		const struct poke *p = &c->poke[j];
		uint32_t at = p->rel == R_L2 ? 0 :
			      p->rel == R_L3 ? f->l3 : f->l4;

		memcpy(f->b + at + p->off, p->v, p->n);
	}
	if (c->fix)
		frame_fix(f);
	f->len = (uint32_t)((int32_t)f->len + c->trim);
}

static void
test_malformed_table(void **state)
{
	unsigned int i;

	(void)state;
	for (i = 0; i < sizeof(bad_cases) / sizeof(bad_cases[0]); i++) {
		const struct bad_case *c = &bad_cases[i];
		struct sf_pkt pkt;
		struct frame f;
		enum sf_net_reason r;

		bad_case_frame(&f, c);
		r = parse_fr(&f, c->rx, &pkt);
		if (r != c->want)
			fail_msg("%s: got %s, want %s", c->name,
				 sf_net_reason_str(r), sf_net_reason_str(c->want));
		if (r == SF_NET_OK)
			assert_true(pkt.frame_len <= f.len);
	}
}

/*
 * Ethertypes: IPv4, IPv6 and ARP are parsed; a stacked tag (a second
 * 802.1Q tag, 802.1ad or the old QinQ TPIDs) is malformed; anything else
 * is well-formed traffic we do not serve (not_handled, not malformed).
 */
static void
test_ethertypes(void **state)
{
	static const struct {
		const char *name;
		int vlan;		/* the frame already has one tag */
		uint16_t type;		/* written at the (inner) type field */
		enum sf_net_reason want;
		int malformed;
	} cases[] = {
		{ "lldp", 0, 0x88cc, SF_NET_NOT_HANDLED, 0 },
		{ "lldp tagged", 1, 0x88cc, SF_NET_NOT_HANDLED, 0 },
		{ "stp (802.3 length)", 0, 0x0026, SF_NET_NOT_HANDLED, 0 },
		{ "ipx", 0, 0x8137, SF_NET_NOT_HANDLED, 0 },
		{ "eapol", 0, 0x888e, SF_NET_NOT_HANDLED, 0 },
		{ "macsec", 0, 0x88e5, SF_NET_NOT_HANDLED, 0 },
		{ "mpls", 0, 0x8847, SF_NET_NOT_HANDLED, 0 },
		{ "rarp", 0, 0x8035, SF_NET_NOT_HANDLED, 0 },
		{ "802.1ad outer", 0, 0x88a8, SF_NET_BAD_ETHERTYPE, 1 },
		{ "qinq 0x9100 outer", 0, 0x9100, SF_NET_BAD_ETHERTYPE, 1 },
		{ "second 802.1q", 1, 0x8100, SF_NET_BAD_ETHERTYPE, 1 },
		{ "802.1q then 802.1ad", 1, 0x88a8, SF_NET_BAD_ETHERTYPE, 1 },
		{ "ipv4", 0, 0x0800, SF_NET_OK, 0 },
		{ "ipv4 tagged", 1, 0x0800, SF_NET_OK, 0 },
	};
	unsigned int i;

	(void)state;
	for (i = 0; i < RTE_DIM(cases); i++) {
		struct sf_pkt pkt;
		struct frame f;
		enum sf_net_reason r;

		frame_syn(&f, 0, cases[i].vlan);
		fr_put16(f.b + (cases[i].vlan ? 16 : 12), cases[i].type);
		r = parse_fr(&f, 0, &pkt);
		print_message("%-22s %04x -> %s\n", cases[i].name,
			      cases[i].type, sf_net_reason_str(r));
		assert_int_equal(r, cases[i].want);
		if (r != SF_NET_OK)
			assert_int_equal(sf_net_reason_malformed(r),
					 cases[i].malformed);
	}
}

/*
 * Layer 2 destination: unicast to our MAC always; ARP requests also to
 * broadcast, solicitations also to their target's solicited-node group;
 * nothing else (TCP and echo to a group, anything to another MAC).
 */
static void
test_l2_for_us(void **state)
{
	static const uint8_t other[6] = { 0x02, 0x5f, 0, 0, 0, 0x09 };
	static const uint8_t bcast[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
	static const uint8_t snm2[6] = { 0x33, 0x33, 0xff, 0, 0, 0x02 };
	static const uint8_t snm3[6] = { 0x33, 0x33, 0xff, 0, 0, 0x03 };
	static const uint8_t all6[6] = { 0x33, 0x33, 0, 0, 0, 0x01 };
	static const uint8_t mc4[6] = { 0x01, 0x00, 0x5e, 0, 0, 0x01 };
	static const struct {
		const char *name;
		enum base base;
		const uint8_t *dst;	/* NULL: our MAC */
		int want;
	} cases[] = {
		{ "tcp to us", B_SYN4, NULL, 1 },
		{ "tcp6 to us", B_SYN6, NULL, 1 },
		{ "tagged tcp to us", B_SYN4_VLAN, NULL, 1 },
		{ "tcp to another mac", B_SYN4, other, 0 },
		{ "tcp to broadcast", B_SYN4, bcast, 0 },
		{ "tcp to ipv4 multicast", B_BARE4, mc4, 0 },
		{ "tcp6 to solicited-node", B_SYN6, snm2, 0 },
		{ "echo to us", B_ICMP4, NULL, 1 },
		{ "echo to broadcast", B_ICMP4, bcast, 0 },
		{ "echo6 to all-nodes", B_ICMP6, all6, 0 },
		{ "echo to another mac", B_ICMP4, other, 0 },
		{ "arp to broadcast", B_ARP, bcast, 1 },
		{ "tagged arp to broadcast", B_ARP_VLAN, bcast, 1 },
		{ "arp to us", B_ARP, NULL, 1 },
		{ "arp to another mac", B_ARP, other, 0 },
		{ "arp to multicast", B_ARP, mc4, 0 },
		{ "ns to target's group", B_NS, snm2, 1 },
		{ "dad ns to target's group", B_NS_DAD, snm2, 1 },
		{ "ns to us", B_NS_SLL, NULL, 1 },
		{ "ns to another group", B_NS, snm3, 0 },
		{ "ns to all-nodes", B_NS, all6, 0 },
		{ "ns to broadcast", B_NS, bcast, 0 },
		{ "ns to another mac", B_NS_SLL, other, 0 },
	};
	unsigned int i;

	(void)state;
	for (i = 0; i < RTE_DIM(cases); i++) {
		struct sf_pkt pkt;
		struct frame f;

		frame_base(&f, cases[i].base);
		memcpy(f.b, cases[i].dst != NULL ? cases[i].dst :
		       our_mac.addr_bytes, 6);
		assert_int_equal(parse_fr(&f, 0, &pkt), SF_NET_OK);
		print_message("%-26s %d\n", cases[i].name,
			      sf_net_l2_for_us(&pkt, &our_mac));
		assert_int_equal(sf_net_l2_for_us(&pkt, &our_mac),
				 cases[i].want);
	}
}

/* Every truncation of every kind of valid frame is rejected, never read past. */
static void
test_truncation(void **state)
{
	enum base b;

	(void)state;
	for (b = B_SYN4; b <= B_ARP_VLAN; b++) {
		struct sf_pkt pkt;
		struct frame f;
		uint32_t len, l;

		frame_base(&f, b);
		len = f.len;
		assert_int_equal(parse_fr(&f, 0, &pkt), SF_NET_OK);
		for (l = 0; l < len; l++) {
			enum sf_net_reason r, r3;

			r = parse_g(f.b, l, 0, &pkt);
			r3 = parse_g(f.b, l, SF_RX_IP_CSUM_GOOD | SF_RX_L4_CSUM_GOOD, &pkt);
			if (r == SF_NET_OK || r3 == SF_NET_OK)
				fail_msg("base %d cut at %u accepted", b, l);
			if (l < f.l3)
				assert_int_equal(r, SF_NET_TRUNC_ETH);
			else if (b == B_ARP || b == B_ARP_VLAN)
				assert_int_equal(r, SF_NET_BAD_ARP);
			else if (l < f.l4)
				assert_int_equal(r, SF_NET_TRUNC_IP);
			else
				assert_int_equal(r, SF_NET_BAD_IP_LEN);
		}
	}
}

/* The SLL option is recorded; DAD solicitations carry the :: source. */
static void
test_ns_fields(void **state)
{
	struct sf_pkt pkt;
	struct frame f;

	(void)state;
	frame_base(&f, B_NS_SLL);
	assert_int_equal(parse_fr(&f, 0, &pkt), SF_NET_OK);
	assert_int_equal(pkt.kind, SF_PKT_ND_NS);
	assert_int_equal(pkt.nd_has_sll, 1);
	assert_memory_equal(&pkt.src_mac, sll_opt + 2, 6);
	assert_int_equal(pkt.flow.family, SF_AF_INET6);
	assert_memory_equal(pkt.flow.cli_addr, cli6, 16);
	assert_memory_equal(pkt.flow.srv_addr, srv6, 16);
	assert_int_equal(pkt.hop_limit, 255);

	frame_base(&f, B_NS_DAD);
	assert_int_equal(parse_fr(&f, 0, &pkt), SF_NET_OK);
	assert_int_equal(pkt.nd_has_sll, 0);
	assert_memory_equal(&pkt.src_mac, cli_mac, 6);
	assert_memory_equal(pkt.flow.cli_addr, unspec6, 16);
	assert_memory_equal(pkt.flow.srv_addr, srv6, 16);
}

static void
test_data_fields(void **state)
{
	struct sf_pkt pkt;
	struct frame f;

	(void)state;
	frame_base(&f, B_DATA4);
	/* Ethernet padding after the packet must not count as payload. */
	f.len += 10;
	assert_int_equal(parse_fr(&f, 0, &pkt), SF_NET_OK);
	assert_int_equal(pkt.tcp_flags, SF_TCP_PSH | SF_TCP_ACK);
	assert_int_equal(pkt.seq, 4322);
	assert_int_equal(pkt.ack, 99);
	assert_int_equal(pkt.l4_len, 32);
	assert_int_equal(pkt.payload_off, 14 + 20 + 32);
	assert_int_equal(pkt.payload_len, 33);
	assert_int_equal(pkt.frame_len, 14 + 20 + 32 + 33);
	assert_int_equal(pkt.opts.ts_ok, 1);
	assert_int_equal(pkt.opts.tsval, 9);
	assert_int_equal(pkt.opts.tsecr, 8);
	assert_int_equal(pkt.opts.wscale, SF_WSCALE_NONE);
	assert_int_equal(f.b[pkt.payload_off], 'a');

	frame_base(&f, B_DATA6);
	assert_int_equal(parse_fr(&f, 0, &pkt), SF_NET_OK);
	assert_int_equal(pkt.payload_off, 14 + 40 + 32);
	assert_int_equal(pkt.payload_len, 33);

	frame_base(&f, B_BARE4);
	assert_int_equal(parse_fr(&f, 0, &pkt), SF_NET_OK);
	assert_int_equal(pkt.l4_len, 20);
	assert_int_equal(pkt.opts.mss, 0);
	assert_int_equal(pkt.opts.wscale, SF_WSCALE_NONE);
	assert_int_equal(pkt.opts.ts_ok, 0);
	assert_int_equal(pkt.opts.sack_ok, 0);
}

/* ---------------------------------------------- fast path vs slow path */

/*
 * sf_parse() is a fast path for the usual IPv4 TCP segment, then a general
 * slow path for everything it declines. The fast path may only ever say
 * "OK", and then fill struct sf_pkt exactly as the slow path does. Both
 * are called apart (sf_parse_priv.h) on many frames and compared byte for
 * byte: struct sf_pkt has no padding (pkt_fields below tiles it, checked
 * by test_pkt_layout), so memcmp compares exactly its fields, and each
 * path starts from different garbage, so a field one of them leaves
 * unwritten shows.
 */

#define PKT_FIELD(m) { #m, offsetof(struct sf_pkt, m), sizeof(((struct sf_pkt *)0)->m) }

static const struct pkt_field {
	const char *name;
	size_t off;
	size_t size;
} pkt_fields[] = {
	PKT_FIELD(kind), PKT_FIELD(l2_len), PKT_FIELD(tcp_flags),
	PKT_FIELD(hop_limit), PKT_FIELD(vlan_tci), PKT_FIELD(l3_len),
	PKT_FIELD(l4_len), PKT_FIELD(payload_off), PKT_FIELD(payload_len),
	PKT_FIELD(window), PKT_FIELD(seq), PKT_FIELD(ack),
	PKT_FIELD(frame_len), PKT_FIELD(nd_has_sll), PKT_FIELD(pad),
	PKT_FIELD(src_mac), PKT_FIELD(dst_mac),
	PKT_FIELD(flow.cli_addr), PKT_FIELD(flow.srv_addr),
	PKT_FIELD(flow.cli_port), PKT_FIELD(flow.srv_port),
	PKT_FIELD(flow.family), PKT_FIELD(flow.pad),
	PKT_FIELD(opts.mss), PKT_FIELD(opts.wscale), PKT_FIELD(opts.sack_ok),
	PKT_FIELD(opts.ts_ok), PKT_FIELD(opts.sack_n), PKT_FIELD(opts.pad),
	PKT_FIELD(opts.tsval), PKT_FIELD(opts.tsecr), PKT_FIELD(opts.sack),
};

/* The fields, in order, cover struct sf_pkt without a gap or an overlap. */
static void
test_pkt_layout(void **state)
{
	size_t end = 0;
	unsigned int i;

	(void)state;
	for (i = 0; i < sizeof(pkt_fields) / sizeof(pkt_fields[0]); i++) {
		if (pkt_fields[i].off != end)
			fail_msg("struct sf_pkt: %s at %zu, previous field ends at %zu",
				 pkt_fields[i].name, pkt_fields[i].off, end);
		end += pkt_fields[i].size;
	}
	assert_int_equal(end, sizeof(struct sf_pkt));
}

/* Equal byte for byte, else fail naming the first field that differs. */
static void
pkt_same(const struct sf_pkt *a, const struct sf_pkt *b, const char *what,
	 const char *name)
{
	const uint8_t *pa = (const uint8_t *)a, *pb = (const uint8_t *)b;
	unsigned int i;

	if (memcmp(a, b, sizeof(*a)) == 0)
		return;
	for (i = 0; i < sizeof(pkt_fields) / sizeof(pkt_fields[0]); i++)
		if (memcmp(pa + pkt_fields[i].off, pb + pkt_fields[i].off,
			   pkt_fields[i].size) != 0)
			fail_msg("%s: %s differ in %s", name, what,
				 pkt_fields[i].name);
	fail_msg("%s: %s differ", name, what);
}

/*
 * Parse len bytes of b (guarded) with the fast path, the slow path and
 * sf_parse(); check that they agree. *fast says whether the fast path took
 * the frame; returns the verdict.
 */
static enum sf_net_reason
fast_vs_slow(const uint8_t *b, uint32_t len, uint32_t rx, int *fast,
	     const char *name)
{
	const uint8_t *g = guarded(b, len);
	struct sf_pkt pf, ps, pp;
	enum sf_net_reason r;

	memset(&pf, 0xa5, sizeof(pf));
	memset(&ps, 0x5a, sizeof(ps));
	memset(&pp, 0x3c, sizeof(pp));
	*fast = sf_parse_fast(g, len, rx, &pf) == 0;
	r = sf_parse_slow(g, len, rx, &ps);
	if (*fast && r != SF_NET_OK)
		fail_msg("%s: the fast path takes what the slow path rejects (%s)",
			 name, sf_net_reason_str(r));
	if (*fast)
		pkt_same(&pf, &ps, "fast and slow paths", name);
	if (sf_parse(g, len, rx, &pp) != r)
		fail_msg("%s: sf_parse() and the slow path disagree", name);
	if (r == SF_NET_OK)
		pkt_same(&pp, &ps, "sf_parse() and the slow path", name);
	return r;
}

/* The option list at opt: sf_tcp_opts_parse() and the generic walk agree. */
static void
opts_fast_vs_slow(const uint8_t *opt, uint32_t len, const char *name)
{
	const uint8_t *g = guarded(opt, len);
	struct sf_tcp_opts a, b;
	int ra, rb;

	memset(&a, 0xa5, sizeof(a));
	memset(&b, 0x5a, sizeof(b));
	ra = sf_tcp_opts_parse(g, len, &a);
	rb = sf_tcp_opts_parse_slow(g, len, &b);
	if (ra != rb)
		fail_msg("%s: option parse %d, generic walk %d", name, ra, rb);
	if (ra == 0 && memcmp(&a, &b, sizeof(a)) != 0)
		fail_msg("%s: option parse and generic walk differ", name);
}

#define O_SACK	1
#define O_TS	2

/* Option lists, in fr_frame's orders or raw; fast: tcp_opts_fast() matches it. */
static const struct fs_opts {
	const char *name;
	uint8_t order;
	uint16_t mss;
	uint8_t ws;
	uint8_t sack_ts;	/* O_SACK | O_TS */
	uint8_t fast;
	enum sf_net_reason want;
	uint8_t raw_len;	/* raw: these bytes instead */
	uint8_t raw[40];
} fs_opts[] = {
	/* name			order		mss	ws	sack/ts		fast */
	{ "none",		FR_OPTS_LINUX,	0,	NOWS,	0,		1, SF_NET_OK, 0, { 0 } },
	{ "mss",		FR_OPTS_LINUX,	1460,	NOWS,	0,		1, SF_NET_OK, 0, { 0 } },
	{ "nop nop ts",		FR_OPTS_LINUX,	0,	NOWS,	O_TS,		1, SF_NET_OK, 0, { 0 } },
	{ "linux syn",		FR_OPTS_LINUX,	1460,	7,	O_SACK | O_TS,	1, SF_NET_OK, 0, { 0 } },
	{ "linux syn ws 14",	FR_OPTS_LINUX,	536,	14,	O_SACK | O_TS,	1, SF_NET_OK, 0, { 0 } },
	{ "linux syn ws 0",	FR_OPTS_LINUX,	8960,	0,	O_SACK | O_TS,	1, SF_NET_OK, 0, { 0 } },
	{ "linux syn ws 254",	FR_OPTS_LINUX,	1,	254,	O_SACK | O_TS,	1, SF_NET_OK, 0, { 0 } },
	{ "linux no ws",	FR_OPTS_LINUX,	1460,	NOWS,	O_SACK | O_TS,	0, SF_NET_OK, 0, { 0 } },
	{ "linux no sack",	FR_OPTS_LINUX,	1460,	7,	O_TS,		0, SF_NET_OK, 0, { 0 } },
	{ "linux no ts",	FR_OPTS_LINUX,	1460,	7,	O_SACK,		0, SF_NET_OK, 0, { 0 } },
	{ "linux no mss",	FR_OPTS_LINUX,	0,	7,	O_SACK | O_TS,	0, SF_NET_OK, 0, { 0 } },
	{ "sack_perm ts",	FR_OPTS_LINUX,	0,	NOWS,	O_SACK | O_TS,	0, SF_NET_OK, 0, { 0 } },
	{ "nop nop sack_perm",	FR_OPTS_LINUX,	0,	NOWS,	O_SACK,		0, SF_NET_OK, 0, { 0 } },
	{ "nop ws",		FR_OPTS_LINUX,	0,	7,	0,		0, SF_NET_OK, 0, { 0 } },
	{ "mss ws",		FR_OPTS_LINUX,	1460,	7,	0,		0, SF_NET_OK, 0, { 0 } },
	{ "aligned, all",	FR_OPTS_ALIGNED, 1460,	7,	O_SACK | O_TS,	0, SF_NET_OK, 0, { 0 } },
	{ "aligned, ts",	FR_OPTS_ALIGNED, 0,	NOWS,	O_TS,		1, SF_NET_OK, 0, { 0 } },
	{ "windows",		FR_OPTS_WINDOWS, 1440,	8,	O_SACK,		0, SF_NET_OK, 0, { 0 } },
	{ "windows, ts",	FR_OPTS_WINDOWS, 1440,	8,	O_SACK | O_TS,	0, SF_NET_OK, 0, { 0 } },
	{ "macos",		FR_OPTS_MACOS,	1460,	6,	O_SACK | O_TS,	0, SF_NET_OK, 0, { 0 } },
	{ "packed, all (20)",	FR_OPTS_PACKED, 1460,	7,	O_SACK | O_TS,	0, SF_NET_OK, 0, { 0 } },
	{ "packed, mss ts",	FR_OPTS_PACKED, 1460,	NOWS,	O_TS,		0, SF_NET_OK, 0, { 0 } },
	{ "packed, mss ws",	FR_OPTS_PACKED, 1460,	3,	0,		0, SF_NET_OK, 0, { 0 } },
	/* raw */
	{ "mss 0", 0, 0, 0, 0, 1, SF_NET_OK, 4, { 2, 4, 0, 0 } },
	{ "mss 65535", 0, 0, 0, 0, 1, SF_NET_OK, 4, { 2, 4, 0xff, 0xff } },
	{ "nop nop ts, then eol", 0, 0, 0, 0, 0, SF_NET_OK, 16,
	  { 1, 1, 8, 10, 0, 0, 0, 1, 0, 0, 0, 2 } },
	{ "ts, nop nop", 0, 0, 0, 0, 0, SF_NET_OK, 12, { 8, 10, 0, 0, 0, 1, 0, 0, 0, 2, 1, 1 } },
	{ "linux, mss twice", 0, 0, 0, 0, 0, SF_NET_OK, 24,
	  { 2, 4, 5, 0xb4, 4, 2, 8, 10, 0, 0, 0, 9, 0, 0, 0, 8, 1, 3, 3, 7, 2, 4, 2, 0x18 } },
	{ "linux, eol for nop", 0, 0, 0, 0, 0, SF_NET_OK, 20,
	  { 2, 4, 5, 0xb4, 4, 2, 8, 10, 0, 0, 0, 9, 0, 0, 0, 8, 0, 3, 3, 7 } },
	{ "linux, unknown for ws", 0, 0, 0, 0, 0, SF_NET_OK, 20,
	  { 2, 4, 5, 0xb4, 4, 2, 8, 10, 0, 0, 0, 9, 0, 0, 0, 8, 1, 30, 3, 7 } },
	{ "unknown option", 0, 0, 0, 0, 0, SF_NET_OK, 12, { 30, 6, 1, 2, 3, 4, 2, 4, 4, 0, 0, 0 } },
	{ "eol then garbage", 0, 0, 0, 0, 0, SF_NET_OK, 12,
	  { 2, 4, 5, 0xb4, 0, 0xff, 0, 3, 0xaa, 0xbb, 0, 0 } },
	{ "sack 2 blocks", 0, 0, 0, 0, 0, SF_NET_OK, 20,
	  { 1, 1, 5, 18, 1, 2, 3, 4, 5, 6, 7, 8, 1, 2, 3, 4, 5, 6, 7, 8 } },
	{ "ts + sack 3 blocks", 0, 0, 0, 0, 0, SF_NET_OK, 40,
	  { 1, 1, 8, 10, 0, 0, 0, 7, 0, 0, 0, 6, 1, 1, 5, 26 } },
	{ "nop x 40", 0, 0, 0, 0, 0, SF_NET_OK, 40,
	  { 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1 } },
	{ "linux, ws length 4", 0, 0, 0, 0, 0, SF_NET_BAD_TCP_OPT, 20,
	  { 2, 4, 5, 0xb4, 4, 2, 8, 10, 0, 0, 0, 9, 0, 0, 0, 8, 1, 3, 4, 7 } },
	{ "linux, sack_perm length 3", 0, 0, 0, 0, 0, SF_NET_BAD_TCP_OPT, 20,
	  { 2, 4, 5, 0xb4, 4, 3, 8, 10, 0, 0, 0, 9, 0, 0, 0, 8, 1, 3, 3, 7 } },
	{ "mss length 3", 0, 0, 0, 0, 0, SF_NET_BAD_TCP_OPT, 4, { 2, 3, 5, 0 } },
	{ "mss length 0", 0, 0, 0, 0, 0, SF_NET_BAD_TCP_OPT, 4, { 2, 0, 5, 0 } },
	{ "nop nop ts, ts length 11", 0, 0, 0, 0, 0, SF_NET_BAD_TCP_OPT, 12,
	  { 1, 1, 8, 11, 0, 0, 0, 1, 0, 0, 0, 2 } },
	{ "ts overrunning", 0, 0, 0, 0, 0, SF_NET_BAD_TCP_OPT, 8, { 1, 1, 8, 10, 0, 0, 0, 1 } },
	{ "kind at the last byte", 0, 0, 0, 0, 0, SF_NET_BAD_TCP_OPT, 4, { 1, 1, 1, 3 } },
};

/* Ethernet and IP variants; fast: the fast path serves them. */
static const struct fs_l3 {
	const char *name;
	uint8_t v6;
	uint8_t vlan;
	uint8_t no_df;
	uint8_t ip_opts_len;	/* IPv4 options: router alert, then NOPs */
	uint16_t pad_to;	/* Ethernet padding up to this length */
	uint8_t fast;
} fs_l3[] = {
	{ "ipv4", 0, 0, 0, 0, 0, 1 },
	{ "ipv4 vlan", 0, 1, 0, 0, 0, 1 },
	{ "ipv4 no df", 0, 0, 1, 0, 0, 1 },
	{ "ipv4 padded", 0, 0, 0, 0, 128, 1 },
	{ "ipv4 vlan padded", 0, 1, 0, 0, 200, 1 },
	{ "ipv4 ip options", 0, 0, 0, 4, 0, 0 },
	{ "ipv4 vlan ip options 40", 0, 1, 0, 40, 0, 0 },
	{ "ipv6", 1, 0, 0, 0, 0, 0 },
	{ "ipv6 vlan", 1, 1, 0, 0, 0, 0 },
	{ "ipv6 padded", 1, 0, 0, 0, 160, 0 },
};

/* Flags, numbers, payload. */
static const struct fs_seg {
	const char *name;
	uint8_t flags;
	uint32_t seq;
	uint32_t ack;
	uint16_t win;
	uint16_t payload;
} fs_segs[] = {
	{ "syn", SF_TCP_SYN, 4321, 0, 64240, 0 },
	{ "syn ece cwr", SF_TCP_SYN | SF_TCP_ECE | SF_TCP_CWR, 0xfffffffe, 0, 65535, 0 },
	{ "syn with data", SF_TCP_SYN, 1, 0, 1024, 5 },
	{ "ack", SF_TCP_ACK, 4322, 0xc00c1e5, 502, 0 },
	{ "ack 1 byte", SF_TCP_ACK, 4322, 0xc00c1e5, 502, 1 },
	{ "psh ack", SF_TCP_PSH | SF_TCP_ACK, 0x80000000, 0x7fffffff, 8192, 100 },
	{ "fin ack odd", SF_TCP_FIN | SF_TCP_ACK, 99, 98, 1, 33 },
	{ "rst", SF_TCP_RST, 7, 0, 0, 0 },
	{ "all flags", 0xff, 0xffffffff, 0xffffffff, 0xffff, 7 },
	{ "no flags, full mss", 0, 0, 0, 0, 1460 },
};

/* The segment of combination number n into f. */
static void
fs_frame(struct frame *f, struct fr_hdrs *h, const struct fs_l3 *l3,
	 const struct fs_seg *sg, const struct fs_opts *o, unsigned int n)
{
	static const uint8_t ip_opts[FR_IP_OPT_MAX] = { 0x94, 4, 0, 0, 1, 1, 1, 1 };
	struct fr_tcp t;

	fr_tcp_init(&t, l3->v6);
	t.eth.vlan = l3->vlan;
	t.eth.tci = (uint16_t)(VLAN_TCI + n);
	t.eth.pad_to = l3->pad_to;
	if (l3->no_df)
		t.ip.frag = 0;
	t.ip.opts_len = l3->ip_opts_len;
	memcpy(t.ip.opts, ip_opts, sizeof(ip_opts));
	memset(t.ip.opts + 8, 1, sizeof(t.ip.opts) - 8);
	t.ip.ttl = (uint8_t)(1 + n);
	t.ip.tos = (uint8_t)(n * 4);
	t.ip.id = (uint16_t)(n * 7919);
	t.sport = (uint16_t)(1024 + n);
	t.dport = (uint16_t)(n % 2 ? 443 : 80);
	t.flags = sg->flags;
	t.seq = sg->seq;
	t.ack = sg->ack;
	t.win = sg->win;
	t.payload_len = sg->payload;
	if (o->raw_len != 0) {
		t.opts_raw = o->raw;
		t.opts_raw_len = o->raw_len;
	} else {
		t.order = o->order;
		t.mss = o->mss;
		t.ws = o->ws;
		t.sack_ok = (o->sack_ts & O_SACK) != 0;
		t.ts = (o->sack_ts & O_TS) != 0;
		t.tsval = n * 2654435761u;
		t.tsecr = ~n;
	}
	frame_done(f, fr_build_tcp(f->b, sizeof(f->b), &t, h), h);
}

/*
 * Every combination of fs_l3 x fs_segs x fs_opts, with and without the
 * port's checksum flags: the fast path takes exactly the frames it is
 * meant for, and agrees with the slow path on them; sf_tcp_opts_parse()
 * agrees with the generic walk on every option list. Then the same
 * comparison on the malformed table and on every truncation of its bases.
 */
static void
test_fast_vs_slow(void **state)
{
	static const uint32_t rxs[] = { 0, SF_RX_IP_CSUM_GOOD | SF_RX_L4_CSUM_GOOD };
	unsigned int a, b, c, i, n = 0, n_fast = 0;
	char name[128];
	enum base base;

	(void)state;
	for (a = 0; a < sizeof(fs_l3) / sizeof(fs_l3[0]); a++)
	for (b = 0; b < sizeof(fs_segs) / sizeof(fs_segs[0]); b++)
	for (c = 0; c < sizeof(fs_opts) / sizeof(fs_opts[0]); c++, n++) {
		const struct fs_opts *o = &fs_opts[c];
		struct fr_hdrs h;
		struct frame f;

		snprintf(name, sizeof(name), "%s / %s / %s", fs_l3[a].name,
			 fs_segs[b].name, o->name);
		fs_frame(&f, &h, &fs_l3[a], &fs_segs[b], o, n);
		opts_fast_vs_slow(f.b + h.l4 + 20, h.data - h.l4 - 20, name);
		for (i = 0; i < 2; i++) {
			const int want_fast = fs_l3[a].fast && o->fast &&
				o->want == SF_NET_OK;
			enum sf_net_reason r;
			int fast;

			r = fast_vs_slow(f.b, f.len, rxs[i], &fast, name);
			if (r != o->want)
				fail_msg("%s: %s, want %s", name, sf_net_reason_str(r),
					 sf_net_reason_str(o->want));
			if (fast != want_fast)
				fail_msg("%s: the fast path %s it", name,
					 fast ? "took" : "declined");
			n_fast += (unsigned int)fast;
		}
	}
	print_message("fast vs slow: %u frames x 2 rx flags, %u fast parses\n",
		      n, n_fast);

	for (i = 0; i < sizeof(bad_cases) / sizeof(bad_cases[0]); i++) {
		struct frame f;
		int fast;

		bad_case_frame(&f, &bad_cases[i]);
		fast_vs_slow(f.b, f.len, bad_cases[i].rx, &fast, bad_cases[i].name);
		fast_vs_slow(f.b, f.len, SF_RX_IP_CSUM_GOOD | SF_RX_L4_CSUM_GOOD,
			     &fast, bad_cases[i].name);
	}
	for (base = B_SYN4; base <= B_ARP_VLAN; base++) {
		struct frame f;
		uint32_t l;
		int fast;

		frame_base(&f, base);
		for (l = 0; l <= f.len; l++) {
			snprintf(name, sizeof(name), "base %d cut at %u", base, l);
			fast_vs_slow(f.b, l, 0, &fast, name);
		}
	}
}

/* ------------------------------------------------------ reply round trips */

static void
test_arp_reply(void **state)
{
	int vlan;

	(void)state;
	for (vlan = 0; vlan <= 1; vlan++) {
		struct sf_pkt pkt, rep;
		struct frame f;
		uint8_t *buf, *ah;
		uint32_t len;

		frame_arp(&f, vlan, 1);
		len = f.len + 4;	/* with some Ethernet padding */
		assert_int_equal(parse_g(f.b, len, 0, &pkt), SF_NET_OK);
		assert_int_equal(pkt.kind, SF_PKT_ARP_REQUEST);
		assert_memory_equal(pkt.flow.cli_addr, cli4, 4);
		assert_memory_equal(pkt.flow.srv_addr, srv4, 4);
		buf = guarded(f.b, len);
		assert_int_equal(sf_build_arp_reply(buf, (uint16_t)len, &pkt, &our_mac), len);
		assert_int_equal(sf_build_arp_reply(buf, (uint16_t)(f.l3 + 27), &pkt, &our_mac), 0);
		ah = buf + f.l3;
		assert_memory_equal(buf, cli_mac, 6);
		assert_memory_equal(buf + 6, &our_mac, 6);
		if (vlan)
			assert_int_equal(fr_get16(buf + 14), VLAN_TCI);
		assert_int_equal(fr_get16(ah + 6), 2);
		assert_memory_equal(ah + 8, &our_mac, 6);
		assert_memory_equal(ah + 14, srv4, 4);
		assert_memory_equal(ah + 18, cli_mac, 6);
		assert_memory_equal(ah + 24, cli4, 4);
		/* The reply is well-formed ARP that we do not answer. */
		assert_int_equal(parse_g(buf, len, 0, &rep), SF_NET_NOT_HANDLED);
	}
}

static void
test_echo_reply(void **state)
{
	static const struct {
		int v6, vlan;
		uint32_t data, pad;
	} cases[] = {
		{ 0, 0, 56, 0 }, { 1, 0, 56, 0 }, { 0, 1, 0, 0 }, { 1, 1, 1, 0 },
		{ 0, 0, 3, 9 }, { 0, 1, 1001, 0 },
	};
	unsigned int i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const int v6 = cases[i].v6;
		struct sf_pkt pkt, rep;
		struct frame f;
		uint8_t *buf, *ip, *ih;
		uint32_t len;

		frame_echo(&f, v6, cases[i].vlan, cases[i].data);
		len = f.len + cases[i].pad;
		assert_int_equal(parse_g(f.b, len, 0, &pkt), SF_NET_OK);
		assert_int_equal(pkt.kind, SF_PKT_ICMP_ECHO);
		assert_int_equal(pkt.l4_len, 8 + cases[i].data);
		buf = guarded(f.b, len);
		assert_int_equal(sf_build_echo_reply(buf, (uint16_t)(f.len - 1), &pkt,
						     &our_mac), 0);
		assert_int_equal(sf_build_echo_reply(buf, (uint16_t)len, &pkt, &our_mac),
				 f.len);
		ip = buf + f.l3;
		ih = buf + f.l4;
		assert_memory_equal(buf, cli_mac, 6);
		assert_memory_equal(buf + 6, &our_mac, 6);
		assert_true(fr_csums_ok(buf, f.l3, v6));
		if (v6) {
			assert_int_equal(ih[0], 129);
			assert_int_equal(ip[7], 64);
			assert_memory_equal(ip + 8, srv6, 16);
			assert_memory_equal(ip + 24, cli6, 16);
		} else {
			assert_int_equal(ih[0], 0);
			assert_int_equal(ip[8], 64);
			assert_memory_equal(ip + 12, srv4, 4);
			assert_memory_equal(ip + 16, cli4, 4);
		}
		assert_int_equal(fr_get16(ih + 4), 0x1234);
		assert_int_equal(fr_get16(ih + 6), 7);
		/* Echo data unchanged. */
		assert_memory_equal(ih + 8, f.b + f.l4 + 8, cases[i].data);
		/* A reply is valid ICMP that we do not answer. */
		assert_int_equal(parse_g(buf, f.len, 0, &rep), SF_NET_NOT_HANDLED);
	}
}

static void
test_na(void **state)
{
	static const struct {
		enum base base;
		int vlan;
	} cases[] = {
		{ B_NS, 0 }, { B_NS_SLL, 0 }, { B_NS_DAD, 0 }, { B_NS_SLL, 1 },
	};
	static const uint8_t all_nodes[16] = { 0xff, 0x02, [15] = 1 };
	static const uint8_t all_nodes_mac[6] = { 0x33, 0x33, 0, 0, 0, 1 };
	unsigned int i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const uint32_t l2 = cases[i].vlan ? 18 : 14;
		const int dad = cases[i].base == B_NS_DAD;
		struct sf_pkt pkt, rep;
		struct frame f;
		uint8_t *buf, *ip, *ih;
		uint16_t n;

		frame_base(&f, cases[i].base);
		if (cases[i].vlan) {
			/* Same solicitation with a tag: rebuild it tagged. */
			frame_ns(&f, 1, cli6, srv6, sll_opt, 8);
		}
		assert_int_equal(parse_fr(&f, 0, &pkt), SF_NET_OK);
		buf = guarded(f.b, l2 + 72);
		assert_int_equal(sf_build_na(buf, (uint16_t)(l2 + 71), &pkt, &our_mac), 0);
		n = sf_build_na(buf, (uint16_t)(l2 + 72), &pkt, &our_mac);
		assert_int_equal(n, l2 + 72);
		ip = buf + l2;
		ih = ip + 40;
		assert_true(fr_csums_ok(buf, l2, 1));
		assert_memory_equal(buf + 6, &our_mac, 6);
		if (dad) {
			assert_memory_equal(buf, all_nodes_mac, 6);
			assert_memory_equal(ip + 24, all_nodes, 16);
			assert_int_equal(ih[4], 0x20);		/* O */
		} else {
			assert_memory_equal(buf, cases[i].base == B_NS ? cli_mac :
					    sll_opt + 2, 6);
			assert_memory_equal(ip + 24, cli6, 16);
			assert_int_equal(ih[4], 0x60);		/* S | O */
		}
		if (cases[i].vlan)
			assert_int_equal(fr_get16(buf + 14), VLAN_TCI);
		assert_int_equal(fr_get16(ip + 4), 32);
		assert_int_equal(ip[6], 58);
		assert_int_equal(ip[7], 255);
		assert_memory_equal(ip + 8, srv6, 16);
		assert_int_equal(ih[0], 136);
		assert_int_equal(ih[1], 0);
		assert_memory_equal(ih + 8, srv6, 16);
		assert_int_equal(ih[24], 2);
		assert_int_equal(ih[25], 1);
		assert_memory_equal(ih + 26, &our_mac, 6);
		assert_int_equal(parse_g(buf, n, 0, &rep), SF_NET_NOT_HANDLED);
	}
}

/* ------------------------------------------------------ offload flags */

static void
test_offload_flags(void **state)
{
	static const uint32_t offers[] = {
		0, SF_TX_IP_CSUM, SF_TX_TCP_CSUM, SF_TX_IP_CSUM | SF_TX_TCP_CSUM,
	};
	struct sf_tcp_reply r = {
		.seq = 77, .ack = 4322, .window = 1000,
		.flags = SF_TCP_SYN | SF_TCP_ACK, .wscale = SF_WSCALE_NONE,
		.mss = 1400,
	};
	unsigned int i;
	int v6;

	(void)state;
	for (v6 = 0; v6 <= 1; v6++) {
		for (i = 0; i < 4; i++) {
			const uint32_t l3 = 14, l4 = v6 ? 54 : 34;
			struct sf_pkt pkt, rep;
			struct frame f;
			uint8_t out[128];
			uint32_t ol = 0xdead, want = 0;
			uint16_t n;

			frame_syn(&f, v6, 0);
			assert_int_equal(parse_fr(&f, 0, &pkt), SF_NET_OK);
			n = sf_build_tcp(out, sizeof(out), &pkt, &our_mac, &r,
					 offers[i], &ol);
			assert_int_equal(n, l4 + 24);
			if (!v6 && (offers[i] & SF_TX_IP_CSUM)) {
				want |= SF_TX_IP_CSUM;
				assert_int_equal(fr_get16(out + l3 + 10), 0);
			} else if (!v6) {
				assert_int_equal(fr_fold(fr_sum16(out + l3, 20, 0)), 0xffff);
			}
			if (offers[i] & SF_TX_TCP_CSUM) {
				want |= SF_TX_TCP_CSUM;
				/* The field holds the (uncomplemented) pseudo-header sum. */
				assert_int_equal(fr_get16(out + l4 + 16),
						 fr_fold(fr_phdr_sum(out + l3, v6, 6, 24)));
				/* What the NIC then does: checksum the segment. */
				fr_put16(out + l4 + 16, (uint16_t)~fr_fold(
					fr_sum16(out + l4, 24, 0)));
			}
			assert_int_equal(ol, want);
			if (!v6 && (offers[i] & SF_TX_IP_CSUM))
				fr_put16(out + l3 + 10, (uint16_t)~fr_fold(fr_sum16(out + l3, 20, 0)));
			assert_true(fr_csums_ok(out, l3, v6));
			assert_int_equal(parse_g(out, n, 0, &rep), SF_NET_OK);
			assert_int_equal(rep.opts.mss, 1400);
		}
	}
}

/* Builders refuse buffers that are too small and write nothing past cap. */
static void
test_build_cap(void **state)
{
	struct sf_tcp_reply r = {
		.seq = 1, .flags = SF_TCP_RST, .wscale = SF_WSCALE_NONE,
	};
	struct sf_pkt pkt;
	struct frame f;
	uint32_t ol;
	uint16_t cap;
	int v6;

	(void)state;
	for (v6 = 0; v6 <= 1; v6++) {
		const uint16_t need = (uint16_t)(18 + (v6 ? 40 : 20) + 20);

		frame_syn(&f, v6, 1);
		assert_int_equal(parse_fr(&f, 0, &pkt), SF_NET_OK);
		for (cap = 0; cap < need; cap++) {
			uint8_t *buf = guard_base + GUARD_DATA_PAGES * guard_page - cap;

			ol = 0xdead;
			assert_int_equal(sf_build_tcp(buf, cap, &pkt, &our_mac, &r, 0, &ol), 0);
			assert_int_equal(ol, 0);
		}
		assert_int_equal(sf_build_tcp(guard_base + GUARD_DATA_PAGES * guard_page - need,
					      need, &pkt, &our_mac, &r, 0, &ol), need);
	}
	/* RST without ACK: the ack field is zero whatever r.ack says. */
	r.ack = 1234;
	frame_syn(&f, 0, 0);
	assert_int_equal(parse_fr(&f, 0, &pkt), SF_NET_OK);
	assert_int_equal(sf_build_tcp(f.b, sizeof(f.b), &pkt, &our_mac, &r, 0, &ol), 54);
	assert_int_equal(fr_get32(f.b + 34 + 8), 0);
	assert_int_equal(f.b[34 + 13], SF_TCP_RST);
	/* The wrong kind of packet for a builder. */
	assert_int_equal(sf_build_na(f.b, sizeof(f.b), &pkt, &our_mac), 0);
	assert_int_equal(sf_build_arp_reply(f.b, sizeof(f.b), &pkt, &our_mac), 0);
	assert_int_equal(sf_build_echo_reply(f.b, sizeof(f.b), &pkt, &our_mac), 0);
}

static void
test_reason_str(void **state)
{
	unsigned int i, j;

	(void)state;
	assert_string_equal(sf_net_reason_str(SF_NET_OK), "ok");
	assert_string_equal(sf_net_reason_str(SF_NET_BAD_IP_CSUM), "bad_ip_csum");
	assert_string_equal(sf_net_reason_str(SF_NET_NOT_HANDLED), "not_handled");
	assert_string_equal(sf_net_reason_str(SF_NET_REASON_MAX), "unknown");
	assert_string_equal(sf_net_reason_str((enum sf_net_reason)1000), "unknown");
	for (i = 0; i < SF_NET_REASON_MAX; i++) {
		const char *a = sf_net_reason_str((enum sf_net_reason)i);

		assert_non_null(a);
		assert_string_not_equal(a, "unknown");
		for (j = 0; j < i; j++)
			assert_string_not_equal(a,
				sf_net_reason_str((enum sf_net_reason)j));
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_seed_syn4),
		cmocka_unit_test(test_seed_syn6),
		cmocka_unit_test(test_frame_opt_orders),
		cmocka_unit_test(test_synack_round_trip),
		cmocka_unit_test(test_opts_table),
		cmocka_unit_test(test_build_opt_layouts),
		cmocka_unit_test(test_malformed_table),
		cmocka_unit_test(test_ethertypes),
		cmocka_unit_test(test_l2_for_us),
		cmocka_unit_test(test_truncation),
		cmocka_unit_test(test_ns_fields),
		cmocka_unit_test(test_data_fields),
		cmocka_unit_test(test_pkt_layout),
		cmocka_unit_test(test_fast_vs_slow),
		cmocka_unit_test(test_arp_reply),
		cmocka_unit_test(test_echo_reply),
		cmocka_unit_test(test_na),
		cmocka_unit_test(test_offload_flags),
		cmocka_unit_test(test_build_cap),
		cmocka_unit_test(test_reason_str),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
