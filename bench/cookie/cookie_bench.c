/* SPDX-License-Identifier: BSD-3-Clause */

/*
 * Micro benchmark of lib/cookie: SipHash-2-4 as a dependent chain, as
 * independent calls and four lanes interleaved; cookie make/check one by
 * one and in bursts of 32. Prints nanoseconds per operation.
 *
 *     sf-bench-cookie [iterations]
 */

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "sf_cookie.h"
#include "sf_siphash.h"

#define BENCH_BURST		32
#define BENCH_ITERS_DEFAULT	200000u	/* bursts of 32 per measurement */
#define BENCH_MSG_LEN		22	/* IPv4 cookie message */
#define BENCH_NOW_S		UINT64_C(1700000000)

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

int
main(int argc, char **argv)
{
	static const struct sf_siphash_key key = {
		.k0 = UINT64_C(0x064db8e2179a3c5f),
		.k1 = UINT64_C(0x54286d3b9ef0a7c1),
	};
	struct sf_cookie_keys keys = { .cur = key };
	struct sf_siphash_key hkey = key;
	uint8_t msg[BENCH_BURST][BENCH_MSG_LEN];
	const uint8_t *lanes[BENCH_BURST];
	struct sf_flow flows[BENCH_BURST];
	struct sf_cookie_req reqs[BENCH_BURST];
	struct sf_cookie_chk chks[BENCH_BURST];
	uint32_t cookies[BENCH_BURST];
	int res[BENCH_BURST];
	uint64_t h = 0, out[4], acc = 0;
	unsigned long iters = BENCH_ITERS_DEFAULT;
	unsigned int i, j;
	double t0;

	if (argc > 1)
		iters = strtoul(argv[1], NULL, 0);
	if (iters == 0)
		iters = BENCH_ITERS_DEFAULT;

	memset(flows, 0, sizeof(flows));
	for (i = 0; i < BENCH_BURST; i++) {
		for (j = 0; j < BENCH_MSG_LEN; j++)
			msg[i][j] = (uint8_t)(i * 31 + j);
		lanes[i] = msg[i];
		flows[i].family = SF_AF_INET;
		flows[i].cli_addr[0] = 198;
		flows[i].cli_addr[1] = 18;
		flows[i].cli_addr[2] = (uint8_t)(i >> 8);
		flows[i].cli_addr[3] = (uint8_t)i;
		flows[i].srv_addr[0] = 198;
		flows[i].srv_addr[1] = 18;
		flows[i].srv_addr[3] = 2;
		flows[i].cli_port = (uint16_t)(1024 + i);
		flows[i].srv_port = 80;
		reqs[i].flow = &flows[i];
		reqs[i].client_isn = i * 2654435761u;
		reqs[i].mss_idx = (uint8_t)(i & 7);
		reqs[i].opt = SF_COOKIE_OPT_NONE;
	}

	/* One dependency chain: each hash is the next hash's key. */
	t0 = now_ns();
	for (i = 0; i < iters * BENCH_BURST; i++) {
		hkey.k0 = h;
		h = sf_siphash24(&hkey, msg[0], BENCH_MSG_LEN);
	}
	report("siphash24 22 B, dependent", now_ns() - t0,
	       (uint64_t)iters * BENCH_BURST);
	bench_sink = h;

	/* Independent: the key changes per round so nothing is hoisted. */
	t0 = now_ns();
	for (i = 0; i < iters; i++) {
		hkey.k0 = i;
		for (j = 0; j < BENCH_BURST; j++)
			acc += sf_siphash24(&hkey, lanes[j], BENCH_MSG_LEN);
	}
	report("siphash24 22 B, independent", now_ns() - t0,
	       (uint64_t)iters * BENCH_BURST);

	t0 = now_ns();
	for (i = 0; i < iters; i++) {
		hkey.k0 = i;
		for (j = 0; j < BENCH_BURST; j += 4) {
			sf_siphash24_x4(&hkey, &lanes[j], BENCH_MSG_LEN, out);
			acc += out[0] ^ out[1] ^ out[2] ^ out[3];
		}
	}
	report("siphash24_x4 22 B, per hash", now_ns() - t0,
	       (uint64_t)iters * BENCH_BURST);

	t0 = now_ns();
	for (i = 0; i < iters; i++)
		for (j = 0; j < BENCH_BURST; j++)
			acc += sf_cookie_make(&key, &reqs[j], BENCH_NOW_S + i);
	report("cookie_make, one by one", now_ns() - t0,
	       (uint64_t)iters * BENCH_BURST);

	t0 = now_ns();
	for (i = 0; i < iters; i++) {
		sf_cookie_make_burst(&key, reqs, BENCH_BURST, BENCH_NOW_S + i,
				     cookies);
		acc += cookies[i % BENCH_BURST];
	}
	report("cookie_make_burst(32), per cookie", now_ns() - t0,
	       (uint64_t)iters * BENCH_BURST);

	/* Valid cookies: the whole check runs (the worst case). */
	sf_cookie_make_burst(&key, reqs, BENCH_BURST, BENCH_NOW_S, cookies);
	for (i = 0; i < BENCH_BURST; i++) {
		chks[i].flow = &flows[i];
		chks[i].client_isn = reqs[i].client_isn;
		chks[i].cookie = cookies[i];
		chks[i].opt = reqs[i].opt;
	}
	t0 = now_ns();
	for (i = 0; i < iters; i++)
		for (j = 0; j < BENCH_BURST; j++)
			acc += (uint64_t)sf_cookie_check(&keys, &chks[j],
							 BENCH_NOW_S);
	report("cookie_check (valid), one by one", now_ns() - t0,
	       (uint64_t)iters * BENCH_BURST);

	t0 = now_ns();
	for (i = 0; i < iters; i++) {
		sf_cookie_check_burst(&keys, chks, BENCH_BURST, BENCH_NOW_S,
				      res);
		acc += (uint64_t)res[i % BENCH_BURST];
	}
	report("cookie_check_burst(32), per cookie", now_ns() - t0,
	       (uint64_t)iters * BENCH_BURST);

	bench_sink = acc;
	return 0;
}
