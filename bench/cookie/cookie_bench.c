/* SPDX-License-Identifier: BSD-3-Clause */

/*
 * Micro benchmark of lib/cookie: SipHash-2-4 one at a time and in SoA
 * lanes (scalar and the SIMD path of this build);
 * cookie make/check one by one (the scalar baseline) and in bursts of 32.
 * Each line is the median of RUNS measurements, in nanoseconds per hash or
 * per cookie.
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
#include "private/sf_siphash_soa.h"

#define BENCH_BURST		32
#define BENCH_ITERS_DEFAULT	200000u	/* bursts of 32 per measurement */
#define BENCH_MSG_LEN		22	/* IPv4 cookie message */
#define BENCH_MSG_WORDS		(BENCH_MSG_LEN / 8 + 1)
#define BENCH_NOW_S		UINT64_C(1700000000)
#define BENCH_RUNS		5	/* median of */

static const struct sf_siphash_key bench_key = {
	.k0 = UINT64_C(0x064db8e2179a3c5f),
	.k1 = UINT64_C(0x54286d3b9ef0a7c1),
};

static volatile uint64_t bench_sink;
static unsigned long iters = BENCH_ITERS_DEFAULT;

static uint8_t msg[BENCH_BURST][BENCH_MSG_LEN];
static const uint8_t *lanes[BENCH_BURST];
static uint64_t words[BENCH_MSG_WORDS][BENCH_BURST];
static struct sf_flow flows4[BENCH_BURST], flows6[BENCH_BURST];
static struct sf_cookie_req reqs4[BENCH_BURST], reqs6[BENCH_BURST];
static struct sf_cookie_chk chks4[BENCH_BURST], chks6[BENCH_BURST];
static struct sf_cookie_chk chks_rnd[BENCH_BURST];
static struct sf_cookie_keys keys;	/* cur = bench_key, set in fill() */

static double
now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

static uint64_t
run_dependent(void)
{
	struct sf_siphash_key k = bench_key;
	uint64_t h = 0;
	unsigned long i;

	/* One dependency chain: each hash is the next hash's key. */
	for (i = 0; i < iters * BENCH_BURST; i++) {
		k.k0 = h;
		h = sf_siphash24(&k, msg[0], BENCH_MSG_LEN);
	}
	return h;
}

static uint64_t
run_independent(void)
{
	struct sf_siphash_key k = bench_key;
	uint64_t acc = 0;
	unsigned long i;
	unsigned int j;

	/* The key changes per round so nothing is hoisted. */
	for (i = 0; i < iters; i++) {
		k.k0 = i;
		for (j = 0; j < BENCH_BURST; j++)
			acc += sf_siphash24(&k, lanes[j], BENCH_MSG_LEN);
	}
	return acc;
}

static uint64_t
run_soa_scalar(void)
{
	struct sf_siphash_key k = bench_key;
	uint64_t acc = 0, out[BENCH_BURST];
	unsigned long i;

	for (i = 0; i < iters; i++) {
		k.k0 = i;
		sf_siphash24_soa_scalar(&k, &words[0][0], BENCH_MSG_WORDS,
					BENCH_BURST, BENCH_BURST, out);
		acc += out[i % BENCH_BURST];
	}
	return acc;
}

static uint64_t
run_soa(void)
{
	struct sf_siphash_key k = bench_key;
	uint64_t acc = 0, out[BENCH_BURST];
	unsigned long i;

	for (i = 0; i < iters; i++) {
		k.k0 = i;
		sf_siphash24_soa(&k, &words[0][0], BENCH_MSG_WORDS,
				 BENCH_BURST, BENCH_BURST, out);
		acc += out[i % BENCH_BURST];
	}
	return acc;
}

static uint64_t
make_one(const struct sf_cookie_req *reqs)
{
	uint64_t acc = 0;
	unsigned long i;
	unsigned int j;

	for (i = 0; i < iters; i++)
		for (j = 0; j < BENCH_BURST; j++)
			acc += sf_cookie_make(&bench_key, &reqs[j],
					      BENCH_NOW_S + i);
	return acc;
}

static uint64_t
make_burst(const struct sf_cookie_req *reqs)
{
	uint32_t cookies[BENCH_BURST];
	uint64_t acc = 0;
	unsigned long i;

	for (i = 0; i < iters; i++) {
		sf_cookie_make_burst(&bench_key, reqs, BENCH_BURST,
				     BENCH_NOW_S + i, cookies);
		acc += cookies[i % BENCH_BURST];
	}
	return acc;
}

static uint64_t
check_one(const struct sf_cookie_chk *chks)
{
	uint64_t acc = 0;
	unsigned long i;
	unsigned int j;

	for (i = 0; i < iters; i++)
		for (j = 0; j < BENCH_BURST; j++)
			acc += (uint64_t)sf_cookie_check(&keys, &chks[j],
							 BENCH_NOW_S);
	return acc;
}

static uint64_t
check_burst(const struct sf_cookie_chk *chks)
{
	int res[BENCH_BURST];
	uint64_t acc = 0;
	unsigned long i;

	for (i = 0; i < iters; i++) {
		sf_cookie_check_burst(&keys, chks, BENCH_BURST, BENCH_NOW_S,
				      res);
		acc += (uint64_t)res[i % BENCH_BURST];
	}
	return acc;
}

static uint64_t
make_one4(void)
{
	return make_one(reqs4);
}

static uint64_t
make_burst4(void)
{
	return make_burst(reqs4);
}

static uint64_t
make_burst6(void)
{
	return make_burst(reqs6);
}

static uint64_t
check_one4(void)
{
	return check_one(chks4);
}

static uint64_t
check_burst4(void)
{
	return check_burst(chks4);
}

static uint64_t
check_burst6(void)
{
	return check_burst(chks6);
}

static uint64_t
check_one_rnd(void)
{
	return check_one(chks_rnd);
}

static uint64_t
check_burst_rnd(void)
{
	return check_burst(chks_rnd);
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* Median over BENCH_RUNS of fn's time per hash / cookie. */
static void
bench(const char *what, uint64_t (*fn)(void))
{
	double t[BENCH_RUNS], t0;
	int r;

	for (r = 0; r < BENCH_RUNS; r++) {
		t0 = now_ns();
		bench_sink = fn();
		t[r] = (now_ns() - t0) / ((double)iters * BENCH_BURST);
	}
	qsort(t, BENCH_RUNS, sizeof(t[0]), cmp_double);
	printf("%-44s %8.2f ns  (min %.2f max %.2f)\n", what,
	       t[BENCH_RUNS / 2], t[0], t[BENCH_RUNS - 1]);
}

static void
fill(void)
{
	uint32_t cookies[BENCH_BURST];
	unsigned int i, j;

	keys.cur = bench_key;
	for (i = 0; i < BENCH_BURST; i++) {
		for (j = 0; j < BENCH_MSG_LEN; j++)
			msg[i][j] = (uint8_t)(i * 31 + j);
		lanes[i] = msg[i];
		sf_siphash_soa_put(&words[0][0], BENCH_BURST, i, msg[i],
				   BENCH_MSG_LEN);

		/* 198.18.x.y -> 198.18.0.2:80, 2001:2::x -> 2001:2::2:443 */
		flows4[i].family = SF_AF_INET;
		flows4[i].cli_addr[0] = 198;
		flows4[i].cli_addr[1] = 18;
		flows4[i].cli_addr[2] = (uint8_t)(i >> 8);
		flows4[i].cli_addr[3] = (uint8_t)i;
		flows4[i].srv_addr[0] = 198;
		flows4[i].srv_addr[1] = 18;
		flows4[i].srv_addr[3] = 2;
		flows4[i].cli_port = (uint16_t)(1024 + i);
		flows4[i].srv_port = 80;
		flows6[i].family = SF_AF_INET6;
		flows6[i].cli_addr[0] = 0x20;
		flows6[i].cli_addr[1] = 0x01;
		flows6[i].cli_addr[3] = 0x02;
		flows6[i].cli_addr[15] = (uint8_t)i;
		memcpy(flows6[i].srv_addr, flows6[i].cli_addr, 16);
		flows6[i].srv_addr[15] = 2;
		flows6[i].cli_port = (uint16_t)(1024 + i);
		flows6[i].srv_port = 443;

		reqs4[i].flow = &flows4[i];
		reqs4[i].client_isn = i * 2654435761u;
		reqs4[i].mss_idx = (uint8_t)(i & 7);
		reqs4[i].opt = SF_COOKIE_OPT_NONE;
		reqs6[i] = reqs4[i];
		reqs6[i].flow = &flows6[i];
	}

	/* Valid cookies: the whole check runs (the worst case). */
	sf_cookie_make_burst(&bench_key, reqs4, BENCH_BURST, BENCH_NOW_S,
			     cookies);
	for (i = 0; i < BENCH_BURST; i++) {
		chks4[i].flow = &flows4[i];
		chks4[i].client_isn = reqs4[i].client_isn;
		chks4[i].cookie = cookies[i];
		chks4[i].opt = reqs4[i].opt;
		/* A flood of made-up ACKs: most fail the age test. */
		chks_rnd[i] = chks4[i];
		chks_rnd[i].cookie = cookies[i] * 2654435761u + i;
	}
	sf_cookie_make_burst(&bench_key, reqs6, BENCH_BURST, BENCH_NOW_S,
			     cookies);
	for (i = 0; i < BENCH_BURST; i++) {
		chks6[i].flow = &flows6[i];
		chks6[i].client_isn = reqs6[i].client_isn;
		chks6[i].cookie = cookies[i];
		chks6[i].opt = reqs6[i].opt;
	}
}

int
main(int argc, char **argv)
{
	char name[64];

	if (argc > 1)
		iters = strtoul(argv[1], NULL, 0);
	if (iters == 0)
		iters = BENCH_ITERS_DEFAULT;
	fill();

	printf("SoA SipHash path: %s; median of %d runs of %lu x %d\n",
	       SF_SIPHASH_SOA_ISA, BENCH_RUNS, iters, BENCH_BURST);
	bench("siphash24 22 B, dependent", run_dependent);
	bench("siphash24 22 B, independent", run_independent);
	bench("siphash24_soa 22 B x32, scalar C (may be autovectorized)",
	      run_soa_scalar);
	snprintf(name, sizeof(name), "siphash24_soa 22 B x32, %s",
		 SF_SIPHASH_SOA_ISA);
	bench(name, run_soa);
	bench("cookie_make v4, one by one (scalar)", make_one4);
	bench("cookie_make_burst(32) v4, per cookie", make_burst4);
	bench("cookie_make_burst(32) v6, per cookie", make_burst6);
	bench("cookie_check v4 valid, one by one (scalar)", check_one4);
	bench("cookie_check_burst(32) v4 valid, per cookie", check_burst4);
	bench("cookie_check_burst(32) v6 valid, per cookie", check_burst6);
	bench("cookie_check random ACKs, one by one", check_one_rnd);
	bench("cookie_check_burst(32) random ACKs", check_burst_rnd);
	return 0;
}
