/* SPDX-License-Identifier: BSD-3-Clause */

/*
 * Micro benchmark of lib/net: parse a fixed Linux IPv4 SYN (MSS, SACK_PERM,
 * TS, NOP, WSCALE) and build its SYN-ACK in place, with the checksums done
 * by the port (rx_flags/tx_offload set) and in software. Prints nanoseconds
 * per operation. Under callgrind, the per-call instruction counts of
 * sf_parse and sf_build_tcp are the figures to watch:
 *
 *     sf-bench-net [iterations [case]]
 *     valgrind --tool=callgrind sf-bench-net 100000 parse-hw
 *
 * case: parse-hw, parse-sw, build-hw, build-sw, both-hw, both-sw, or all
 * (the default).
 */

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "sf_net.h"

#define BENCH_ITERS_DEFAULT	5000000u
#define BENCH_BUF_LEN		128
#define BENCH_RX_HW		(SF_RX_IP_CSUM_GOOD | SF_RX_L4_CSUM_GOOD)
#define BENCH_TX_HW		(SF_TX_IP_CSUM | SF_TX_TCP_CSUM)

/*
 * scapy: Ether(dst='02:00:00:00:00:01', src='02:00:00:00:00:02')
 *   /IP(src='198.18.0.1', dst='198.18.0.2', ttl=64, id=1, flags='DF')
 *   /TCP(sport=40000, dport=80, seq=4321, flags='S', window=64240,
 *        options=[('MSS',1460), ('SAckOK',b''), ('Timestamp',(1000,0)),
 *                 ('NOP',None), ('WScale',7)])
 */
static const uint8_t bench_syn4[] = {
	0x02, 0x00, 0x00, 0x00, 0x00, 0x01, 0x02, 0x00, 0x00, 0x00, 0x00, 0x02,
	0x08, 0x00, 0x45, 0x00, 0x00, 0x3c, 0x00, 0x01, 0x40, 0x00, 0x40, 0x06,
	0xae, 0x93, 0xc6, 0x12, 0x00, 0x01, 0xc6, 0x12, 0x00, 0x02, 0x9c, 0x40,
	0x00, 0x50, 0x00, 0x00, 0x10, 0xe1, 0x00, 0x00, 0x00, 0x00, 0xa0, 0x02,
	0xfa, 0xf0, 0x0f, 0x8e, 0x00, 0x00, 0x02, 0x04, 0x05, 0xb4, 0x04, 0x02,
	0x08, 0x0a, 0x00, 0x00, 0x03, 0xe8, 0x00, 0x00, 0x00, 0x00, 0x01, 0x03,
	0x03, 0x07,
};

static const struct rte_ether_addr bench_mac = {
	.addr_bytes = { 0x02, 0x5f, 0, 0, 0, 0x01 }
};

static volatile uint64_t bench_sink;

static double
now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

static void
report(const char *what, double ns, uint64_t ops)
{
	printf("%-34s %8.2f ns/op\n", what, ns / (double)ops);
}

/* The case name selects this case: "all" (or none) selects every case. */
static int
want(const char *sel, const char *name)
{
	return sel == NULL || strcmp(sel, "all") == 0 || strcmp(sel, name) == 0;
}

static void
reply_of(const struct sf_pkt *pkt, uint32_t i, struct sf_tcp_reply *r)
{
	r->seq = 0x5eed0000u + i;
	r->ack = pkt->seq + 1;
	r->window = 65535;
	r->flags = SF_TCP_SYN | SF_TCP_ACK;
	r->wscale = 7;
	r->mss = pkt->opts.mss;
	r->sack_ok = pkt->opts.sack_ok;
	r->ts_ok = pkt->opts.ts_ok;
	r->tsval = i;
	r->tsecr = pkt->opts.tsval;
}

/* Parse only: the frame is not touched. */
static uint64_t
run_parse(uint32_t iters, uint32_t rx)
{
	struct sf_pkt pkt;
	uint64_t acc = 0;
	uint32_t i;

	for (i = 0; i < iters; i++) {
		acc += sf_parse(bench_syn4, sizeof(bench_syn4), rx, &pkt);
		acc += pkt.seq;
	}
	return acc;
}

/* Build only, from one parsed SYN. */
static uint64_t
run_build(uint32_t iters, uint32_t tx, uint8_t *buf)
{
	struct sf_tcp_reply r;
	struct sf_pkt pkt;
	uint64_t acc = 0;
	uint32_t i, ol;

	if (sf_parse(bench_syn4, sizeof(bench_syn4), BENCH_RX_HW, &pkt) != SF_NET_OK)
		abort();
	for (i = 0; i < iters; i++) {
		reply_of(&pkt, i, &r);
		acc += sf_build_tcp(buf, BENCH_BUF_LEN, &pkt, &bench_mac, &r, tx, &ol);
		acc += ol + buf[50];
	}
	return acc;
}

/* The worker's sequence: parse the SYN, answer in place. */
static uint64_t
run_both(uint32_t iters, uint32_t rx, uint32_t tx, uint8_t *buf)
{
	struct sf_tcp_reply r;
	struct sf_pkt pkt;
	uint64_t acc = 0;
	uint32_t i, ol;

	for (i = 0; i < iters; i++) {
		memcpy(buf, bench_syn4, sizeof(bench_syn4));
		if (sf_parse(buf, sizeof(bench_syn4), rx, &pkt) != SF_NET_OK)
			abort();
		reply_of(&pkt, i, &r);
		acc += sf_build_tcp(buf, BENCH_BUF_LEN, &pkt, &bench_mac, &r, tx, &ol);
	}
	return acc;
}

int
main(int argc, char **argv)
{
	uint8_t buf[BENCH_BUF_LEN];
	uint32_t iters = BENCH_ITERS_DEFAULT;
	const char *sel = argc > 2 ? argv[2] : NULL;
	uint64_t acc = 0;
	double t0;

	if (argc > 1)
		iters = (uint32_t)strtoul(argv[1], NULL, 0);
	if (iters == 0)
		iters = BENCH_ITERS_DEFAULT;
	memset(buf, 0, sizeof(buf));

	if (want(sel, "parse-hw")) {
		t0 = now_ns();
		acc += run_parse(iters, BENCH_RX_HW);
		report("sf_parse SYN, rx csum good", now_ns() - t0, iters);
	}
	if (want(sel, "parse-sw")) {
		t0 = now_ns();
		acc += run_parse(iters, 0);
		report("sf_parse SYN, software csum", now_ns() - t0, iters);
	}
	if (want(sel, "build-hw")) {
		t0 = now_ns();
		acc += run_build(iters, BENCH_TX_HW, buf);
		report("sf_build_tcp SYN-ACK, tx offload", now_ns() - t0, iters);
	}
	if (want(sel, "build-sw")) {
		t0 = now_ns();
		acc += run_build(iters, 0, buf);
		report("sf_build_tcp SYN-ACK, software csum", now_ns() - t0, iters);
	}
	if (want(sel, "both-hw")) {
		t0 = now_ns();
		acc += run_both(iters, BENCH_RX_HW, BENCH_TX_HW, buf);
		report("parse + build in place, offload", now_ns() - t0, iters);
	}
	if (want(sel, "both-sw")) {
		t0 = now_ns();
		acc += run_both(iters, 0, 0, buf);
		report("parse + build in place, software", now_ns() - t0, iters);
	}

	bench_sink = acc;
	return 0;
}
