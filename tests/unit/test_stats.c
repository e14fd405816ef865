/* SPDX-License-Identifier: BSD-3-Clause */

/* Unit tests of lib/stats: names, sums, the summary line. */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "sf_stats.h"

/* The 21 counter names DESIGN.md fixes, in its order. */
static const char *const design_names[] = {
	"rx_pkts", "tx_pkts", "syn_rx", "synack_tx", "ack_cookie_ok",
	"ack_cookie_bad", "established", "handoff_enq", "handoff_full",
	"rst_tx", "challenge_ack_tx", "arp_reply", "nd_reply", "icmp_reply",
	"fin_rx", "data_rx", "conn_active", "conn_timeout", "not_listening",
	"malformed", "tx_dropped",
};

static void
test_design_names_first(void **state)
{
	unsigned int i;

	(void)state;
	for (i = 0; i < RTE_DIM(design_names); i++)
		assert_string_equal(sf_stats_name(i), design_names[i]);
}

static void
test_names_unique_and_helped(void **state)
{
	unsigned int i, j;

	(void)state;
	for (i = 0; i < SF_CNT_MAX; i++) {
		assert_non_null(sf_stats_name(i));
		assert_non_null(sf_stats_help(i));
		assert_true(strlen(sf_stats_help(i)) > 0);
		for (j = i + 1; j < SF_CNT_MAX; j++)
			assert_string_not_equal(sf_stats_name(i),
						sf_stats_name(j));
	}
	assert_null(sf_stats_name(SF_CNT_MAX));
	assert_null(sf_stats_help(SF_CNT_MAX));
}

static void
test_reason_names(void **state)
{
	unsigned int r;

	(void)state;
	for (r = 0; r < SF_NET_REASON_MAX; r++) {
		const char *s = sf_net_reason_str((enum sf_net_reason)r);

		assert_non_null(s);
		assert_true(strlen(s) > 0);
	}
}

static void
test_sum(void **state)
{
	static struct sf_stats a, b, c, out;
	const struct sf_stats *blocks[] = { &a, &b, &c };
	unsigned int i;

	(void)state;
	for (i = 0; i < SF_CNT_MAX; i++) {
		a.cnt[i] = i;
		b.cnt[i] = 1000 * i;
		c.cnt[i] = UINT64_C(1) << 40;
	}
	for (i = 0; i < SF_NET_REASON_MAX; i++) {
		a.reason[i] = 7;
		b.reason[i] = i;
	}
	sf_stats_sum(blocks, 3, &out);
	for (i = 0; i < SF_CNT_MAX; i++)
		assert_int_equal(out.cnt[i], 1001 * i + (UINT64_C(1) << 40));
	for (i = 0; i < SF_NET_REASON_MAX; i++)
		assert_int_equal(out.reason[i], 7 + i);

	sf_stats_sum(blocks, 0, &out);
	for (i = 0; i < SF_CNT_MAX; i++)
		assert_int_equal(out.cnt[i], 0);
}

static void
test_macros(void **state)
{
	static struct sf_stats s;

	(void)state;
	SF_STAT_INC(&s, syn_rx);
	SF_STAT_INC(&s, syn_rx);
	SF_STAT_ADD(&s, rx_pkts, 32);
	assert_int_equal(s.cnt[SF_CNT_syn_rx], 2);
	assert_int_equal(s.cnt[SF_CNT_rx_pkts], 32);
	assert_int_equal(s.cnt[SF_CNT_tx_pkts], 0);
}

static void
test_print_line(void **state)
{
	static struct sf_stats now, prev;
	char buf[512];
	FILE *f;

	(void)state;
	now.cnt[SF_CNT_rx_pkts] = 3000;
	now.cnt[SF_CNT_tx_pkts] = 2000;
	now.cnt[SF_CNT_syn_rx] = 1000;
	now.cnt[SF_CNT_synack_tx] = 1000;
	now.cnt[SF_CNT_established] = 500;
	now.cnt[SF_CNT_malformed] = 4;
	now.cnt[SF_CNT_tx_dropped] = 1;
	prev.cnt[SF_CNT_rx_pkts] = 1000;
	prev.cnt[SF_CNT_established] = 100;

	f = fmemopen(buf, sizeof(buf), "w");
	assert_non_null(f);
	sf_stats_print_line(f, &now, &prev, 2.0);
	fclose(f);
	assert_non_null(strstr(buf, "rx 3000 tx 2000 syn 1000 synack 1000 est 500"));
	assert_non_null(strstr(buf, "drops 5"));
	assert_non_null(strstr(buf, "1000 pps in, 200 conn/s"));
	assert_int_equal(buf[strlen(buf) - 1], '\n');

	f = fmemopen(buf, sizeof(buf), "w");
	assert_non_null(f);
	sf_stats_print_line(f, &now, NULL, 0);
	fclose(f);
	assert_null(strstr(buf, "pps"));
}

static void
test_layout(void **state)
{
	(void)state;
	assert_int_equal(sizeof(struct sf_stats) % RTE_CACHE_LINE_SIZE, 0);
	assert_int_equal(_Alignof(struct sf_stats), RTE_CACHE_LINE_SIZE);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_design_names_first),
		cmocka_unit_test(test_names_unique_and_helped),
		cmocka_unit_test(test_reason_names),
		cmocka_unit_test(test_sum),
		cmocka_unit_test(test_macros),
		cmocka_unit_test(test_print_line),
		cmocka_unit_test(test_layout),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
