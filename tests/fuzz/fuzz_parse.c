/* SPDX-License-Identifier: BSD-3-Clause */

/*
 * libFuzzer harness for lib/net.
 *
 * Each input is copied to the end of a page followed by a PROT_NONE page
 * and parsed with rx_flags 0 and 3 (checksums verified / trusted). For each
 * successful parse the matching builder runs into a guard-paged buffer of
 * the input's size + 64 bytes, and into one byte too few (it must refuse),
 * and the reply is parsed back. Any broken invariant traps.
 *
 * Oracle: the parser's fast path and slow path (sf_parse_priv.h) are run
 * apart on every input; whenever the fast path takes a frame, the slow
 * path must accept it with the same struct sf_pkt, byte for byte. The
 * TCP option parse is checked against the generic walk the same way, on
 * the options of every parsed segment and on the input's last size % 41
 * bytes.
 */

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "sf_net.h"
/* Private to lib/net: the parser's fast and slow paths, one by one. */
#include "private/sf_parse_priv.h"

#define FUZZ_MAX_INPUT	(64 * 1024)
#define OUT_SLACK	64
#define CHECK(c)	do { if (!(c)) __builtin_trap(); } while (0)

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static uint8_t *in_end;		/* first byte of the input region's guard page */
static uint8_t *out_end;	/* same for the output region */

static uint8_t *
guard_region(size_t bytes)
{
	size_t page = (size_t)sysconf(_SC_PAGESIZE);
	size_t data = (bytes + page - 1) / page * page;
	uint8_t *p;

	p = mmap(NULL, data + page, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED || mprotect(p + data, page, PROT_NONE) != 0)
		abort();
	return p + data;
}

static const struct rte_ether_addr our_mac = {
	.addr_bytes = { 0x02, 0x5f, 0, 0, 0, 0x01 }
};

/*
 * The fast path only ever decides "OK", and then fills struct sf_pkt as
 * the slow path does. Both start from different garbage, so a byte one of
 * them leaves unwritten shows (struct sf_pkt has no padding: test_net's
 * test_pkt_layout).
 */
static void
check_fast_slow(const uint8_t *in, size_t size, uint32_t rx)
{
	struct sf_pkt fast, slow;

	memset(&fast, 0xa5, sizeof(fast));
	memset(&slow, 0x5a, sizeof(slow));
	if (sf_parse_fast(in, (uint32_t)size, rx, &fast) != 0)
		return;
	CHECK(sf_parse_slow(in, (uint32_t)size, rx, &slow) == SF_NET_OK);
	CHECK(memcmp(&fast, &slow, sizeof(fast)) == 0);
}

/* sf_tcp_opts_parse() (common layouts first) agrees with the generic walk. */
static void
check_opts(const uint8_t *opt, uint32_t len)
{
	struct sf_tcp_opts a, b;
	int ra, rb;

	memset(&a, 0xa5, sizeof(a));
	memset(&b, 0x5a, sizeof(b));
	ra = sf_tcp_opts_parse(opt, len, &a);
	rb = sf_tcp_opts_parse_slow(opt, len, &b);
	CHECK(ra == rb);
	CHECK(ra != 0 || memcmp(&a, &b, sizeof(a)) == 0);
}

static void
check_tcp(size_t size, const struct sf_pkt *pkt)
{
	const struct sf_tcp_reply r = {
		.seq = 0x5eed0001, .ack = pkt->seq + 1, .window = 65535,
		.flags = SF_TCP_SYN | SF_TCP_ACK, .wscale = pkt->opts.wscale,
		.mss = pkt->opts.mss, .sack_ok = pkt->opts.sack_ok,
		.ts_ok = pkt->opts.ts_ok, .tsval = 0x1234, .tsecr = pkt->opts.tsval,
	};
	const uint32_t offload = (uint32_t)size & (SF_TX_IP_CSUM | SF_TX_TCP_CSUM);
	const uint16_t cap = (uint16_t)(size + OUT_SLACK);
	struct sf_pkt rep;
	enum sf_net_reason rr;
	uint32_t ol;
	uint16_t n;
	uint8_t *in_place;

	CHECK(pkt->payload_off == pkt->l2_len + pkt->l3_len + pkt->l4_len);
	CHECK(pkt->payload_off + pkt->payload_len == pkt->frame_len);

	n = sf_build_tcp(out_end - cap, cap, pkt, &our_mac, &r, offload, &ol);
	CHECK(n != 0 && n <= cap);
	CHECK((ol & ~offload) == 0);
	CHECK(sf_build_tcp(out_end - (n - 1), (uint16_t)(n - 1), pkt, &our_mac,
			   &r, offload, &ol) == 0);
	n = sf_build_tcp(out_end - n, n, pkt, &our_mac, &r, offload, &ol);
	rr = sf_parse(out_end - n, n, offload == 0 ? 0 : 3, &rep);
	/* Our source is the packet's destination, which may be multicast. */
	CHECK(rr == SF_NET_OK || rr == SF_NET_BAD_IP_ADDR);
	if (rr == SF_NET_OK) {
		CHECK(rep.kind == SF_PKT_TCP);
		CHECK(rep.seq == r.seq && rep.ack == r.ack);
		CHECK(rep.tcp_flags == r.flags);
		CHECK(rep.flow.cli_port == pkt->flow.srv_port);
		CHECK(rep.flow.srv_port == pkt->flow.cli_port);
		CHECK(memcmp(rep.flow.cli_addr, pkt->flow.srv_addr, 16) == 0);
		CHECK(memcmp(rep.flow.srv_addr, pkt->flow.cli_addr, 16) == 0);
		CHECK(rep.opts.mss == r.mss && rep.opts.wscale == r.wscale);
		CHECK(rep.opts.sack_ok == r.sack_ok && rep.opts.ts_ok == r.ts_ok);
		CHECK(rep.l2_len == pkt->l2_len && rep.vlan_tci == pkt->vlan_tci);
	}

	/* In place, over the received frame, as the worker does. */
	in_place = in_end - size;
	n = sf_build_tcp(in_place, (uint16_t)size, pkt, &our_mac, &r, 0, &ol);
	CHECK(n == 0 || n <= size);
}

static void
check_arp(const uint8_t *in, size_t size, const struct sf_pkt *pkt)
{
	uint8_t *buf = out_end - size;

	memcpy(buf, in, size);
	CHECK(sf_build_arp_reply(buf, (uint16_t)(pkt->frame_len - 1), pkt,
				 &our_mac) == 0);
	CHECK(sf_build_arp_reply(buf, (uint16_t)size, pkt, &our_mac) == size);
	CHECK(sf_parse(buf, (uint32_t)size, 0, &(struct sf_pkt){ 0 }) ==
	      SF_NET_NOT_HANDLED);
}

static void
check_echo(const uint8_t *in, size_t size, const struct sf_pkt *pkt)
{
	uint8_t *buf = out_end - size;
	enum sf_net_reason rr;
	struct sf_pkt rep;

	CHECK(pkt->l2_len + pkt->l3_len + pkt->l4_len == pkt->frame_len);
	memcpy(buf, in, size);
	CHECK(sf_build_echo_reply(buf, (uint16_t)(pkt->frame_len - 1), pkt,
				  &our_mac) == 0);
	CHECK(sf_build_echo_reply(buf, (uint16_t)size, pkt, &our_mac) ==
	      pkt->frame_len);
	/* Move the reply against the guard page, then parse it back. */
	memmove(out_end - pkt->frame_len, buf, pkt->frame_len);
	rr = sf_parse(out_end - pkt->frame_len, pkt->frame_len, 0, &rep);
	CHECK(rr == SF_NET_NOT_HANDLED || rr == SF_NET_BAD_IP_ADDR);
}

static void
check_na(size_t size, const struct sf_pkt *pkt)
{
	const uint16_t cap = (uint16_t)(size + OUT_SLACK);
	struct sf_pkt rep;
	uint16_t n;

	n = sf_build_na(out_end - cap, cap, pkt, &our_mac);
	CHECK(n != 0);
	CHECK(sf_build_na(out_end - (n - 1), (uint16_t)(n - 1), pkt,
			  &our_mac) == 0);
	n = sf_build_na(out_end - n, n, pkt, &our_mac);
	CHECK(sf_parse(out_end - n, n, 0, &rep) == SF_NET_NOT_HANDLED);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const uint32_t rx_flags[] = {
		0, SF_RX_IP_CSUM_GOOD | SF_RX_L4_CSUM_GOOD
	};
	unsigned int i;
	uint32_t olen;

	if (in_end == NULL) {
		in_end = guard_region(FUZZ_MAX_INPUT);
		out_end = guard_region(FUZZ_MAX_INPUT + OUT_SLACK);
	}
	if (size > FUZZ_MAX_INPUT)
		return 0;

	/* The input's last size % 41 bytes as an option list (0 to 40). */
	olen = (uint32_t)(size % 41);
	memcpy(in_end - size, data, size);
	check_opts(in_end - olen, olen);

	for (i = 0; i < 2; i++) {
		uint8_t *in = in_end - size;
		enum sf_net_reason r;
		struct sf_pkt pkt;

		memcpy(in, data, size);
		check_fast_slow(in, size, rx_flags[i]);
		r = sf_parse(in, (uint32_t)size, rx_flags[i], &pkt);
		CHECK(r < SF_NET_REASON_MAX);
		CHECK(sf_net_reason_str(r) != NULL);
		if (r != SF_NET_OK)
			continue;
		CHECK(pkt.l2_len == 14 || pkt.l2_len == 18);
		CHECK(pkt.frame_len <= size);
		switch (pkt.kind) {
		case SF_PKT_TCP:
			check_opts(in + pkt.payload_off - pkt.l4_len + 20,
				   pkt.l4_len - 20u);
			check_tcp(size, &pkt);
			break;
		case SF_PKT_ARP_REQUEST:
			check_arp(in, size, &pkt);
			break;
		case SF_PKT_ICMP_ECHO:
			check_echo(in, size, &pkt);
			break;
		case SF_PKT_ND_NS:
			check_na(size, &pkt);
			break;
		default:
			CHECK(0);
		}
	}
	return 0;
}
