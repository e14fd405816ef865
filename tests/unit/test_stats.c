/* SPDX-License-Identifier: BSD-3-Clause */

/*
 * Unit tests of lib/stats: names, sums, the summary line, and the
 * /synfront/config dictionary.
 */

#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <rte_telemetry.h>

#include "sf_config.h"
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
	assert_non_null(strstr(buf, "1000 pps in, 200 conn/s, busy 0.0%"));
	assert_int_equal(buf[strlen(buf) - 1], '\n');

	f = fmemopen(buf, sizeof(buf), "w");
	assert_non_null(f);
	sf_stats_print_line(f, &now, NULL, 0);
	fclose(f);
	assert_null(strstr(buf, "pps"));
	assert_null(strstr(buf, "busy"));

	/* sf_stats_print(): the same text, without the newline */
	f = fmemopen(buf, sizeof(buf), "w");
	assert_non_null(f);
	sf_stats_print(f, &now, NULL, 0);
	fclose(f);
	assert_int_equal(strncmp(buf, "rx 3000 tx 2000", 15), 0);
	assert_int_not_equal(buf[strlen(buf) - 1], '\n');

	/* busy from the period's deltas, not from the whole run */
	now.cnt[SF_CNT_busy_tsc] = 1000 + 250;
	now.cnt[SF_CNT_total_tsc] = 9000 + 1000;
	prev.cnt[SF_CNT_busy_tsc] = 1000;
	prev.cnt[SF_CNT_total_tsc] = 9000;
	f = fmemopen(buf, sizeof(buf), "w");
	assert_non_null(f);
	sf_stats_print_line(f, &now, &prev, 2.0);
	fclose(f);
	assert_non_null(strstr(buf, ", busy 25.0%\n"));
}

/* sf_stats_busy_pct(): per row, counters then and now, the percentage. */
static const struct {
	uint64_t busy0, total0, busy1, total1;
	bool whole_run;		/* prev NULL: the 1 readings alone */
	double pct;
} busy_rows[] = {
	{ 0, 0, 0, 0, false, 0 },		/* no loop time: 0, not NaN */
	{ 0, 0, 0, 0, true, 0 },
	{ 0, 0, 50, 100, false, 50 },
	{ 0, 0, 1, 3, true, 100.0 / 3 },
	{ 100, 1000, 100, 2000, false, 0 },	/* idle period */
	{ 100, 1000, 1100, 2000, false, 100 },	/* all work */
	{ 100, 1000, 1100, 2000, true, 55 },	/* the whole run */
	{ 500, 1000, 600, 1000, false, 0 },	/* busy moved, total not: 0 */
	{ 100, 1000, 1300, 2000, false, 100 },	/* busy delta above total's */
	{ UINT64_MAX - 10, UINT64_MAX - 20, 9, 79, false, 20 },	/* wrap */
	{ 0, 0, UINT64_C(2600000000), UINT64_C(10400000000), false, 25 },
};

static void
test_busy_pct(void **state)
{
	static struct sf_stats now, prev;
	unsigned int i;

	(void)state;
	for (i = 0; i < RTE_DIM(busy_rows); i++) {
		double pct;

		prev.cnt[SF_CNT_busy_tsc] = busy_rows[i].busy0;
		prev.cnt[SF_CNT_total_tsc] = busy_rows[i].total0;
		now.cnt[SF_CNT_busy_tsc] = busy_rows[i].busy1;
		now.cnt[SF_CNT_total_tsc] = busy_rows[i].total1;
		pct = sf_stats_busy_pct(&now,
					busy_rows[i].whole_run ? NULL : &prev);
		if (fabs(pct - busy_rows[i].pct) > 1e-9)
			fail_msg("row %u: %.12f%%, expected %.12f%%", i, pct,
				 busy_rows[i].pct);
	}
}

static void
test_layout(void **state)
{
	(void)state;
	assert_int_equal(sizeof(struct sf_stats) % RTE_CACHE_LINE_SIZE, 0);
	assert_int_equal(_Alignof(struct sf_stats), RTE_CACHE_LINE_SIZE);
}

/*
 * /synfront/config: the wrapped rte_tel_data_* calls (-Wl,--wrap,
 * tests/unit/meson.build) record what sf_stats_config_dict() puts in the
 * dictionary. No EAL: rte_tel_data works without it.
 */

struct tel_entry {
	char name[64];
	char type;		/* 's' string, 'i' int, 'u' u64, 'c' container */
	char str[128];
	uint64_t num;
	const struct rte_tel_data *arr;
};

#define TEL_MAX		(SF_CNT_MAX + 8)
#define TEL_ARR_MAX	80

static struct tel_entry tel[TEL_MAX];
static unsigned int n_tel;
static struct {
	const struct rte_tel_data *arr;
	char str[64];
	int num;
} tel_arr[TEL_ARR_MAX];
static unsigned int n_tel_arr;
static struct rte_tel_data *tel_containers[8];
static unsigned int n_tel_containers;

int __real_rte_tel_data_start_dict(struct rte_tel_data *d);
int __wrap_rte_tel_data_start_dict(struct rte_tel_data *d);
int __real_rte_tel_data_add_dict_string(struct rte_tel_data *d,
					const char *name, const char *val);
int __wrap_rte_tel_data_add_dict_string(struct rte_tel_data *d,
					const char *name, const char *val);
int __real_rte_tel_data_add_dict_int(struct rte_tel_data *d,
				     const char *name, int val);
int __wrap_rte_tel_data_add_dict_int(struct rte_tel_data *d,
				     const char *name, int val);
int __real_rte_tel_data_add_dict_u64(struct rte_tel_data *d,
				     const char *name, uint64_t val);
int __wrap_rte_tel_data_add_dict_u64(struct rte_tel_data *d,
				     const char *name, uint64_t val);
int __real_rte_tel_data_add_dict_container(struct rte_tel_data *d,
		const char *name, struct rte_tel_data *val, int keep);
int __wrap_rte_tel_data_add_dict_container(struct rte_tel_data *d,
		const char *name, struct rte_tel_data *val, int keep);
int __real_rte_tel_data_add_array_string(struct rte_tel_data *d,
					 const char *str);
int __wrap_rte_tel_data_add_array_string(struct rte_tel_data *d,
					 const char *str);
int __real_rte_tel_data_add_array_int(struct rte_tel_data *d, int x);
int __wrap_rte_tel_data_add_array_int(struct rte_tel_data *d, int x);

static struct tel_entry *
tel_add(const char *name, char type)
{
	struct tel_entry *e;

	assert_true(n_tel < TEL_MAX);
	e = &tel[n_tel++];
	memset(e, 0, sizeof(*e));
	snprintf(e->name, sizeof(e->name), "%s", name);
	e->type = type;
	return e;
}

int
__wrap_rte_tel_data_start_dict(struct rte_tel_data *d)
{
	n_tel = 0;
	return __real_rte_tel_data_start_dict(d);
}

int
__wrap_rte_tel_data_add_dict_string(struct rte_tel_data *d, const char *name,
				    const char *val)
{
	snprintf(tel_add(name, 's')->str, sizeof(tel[0].str), "%s", val);
	return __real_rte_tel_data_add_dict_string(d, name, val);
}

int
__wrap_rte_tel_data_add_dict_int(struct rte_tel_data *d, const char *name,
				 int val)
{
	tel_add(name, 'i')->num = (uint64_t)val;
	return __real_rte_tel_data_add_dict_int(d, name, val);
}

int
__wrap_rte_tel_data_add_dict_u64(struct rte_tel_data *d, const char *name,
				 uint64_t val)
{
	tel_add(name, 'u')->num = val;
	return __real_rte_tel_data_add_dict_u64(d, name, val);
}

int
__wrap_rte_tel_data_add_dict_container(struct rte_tel_data *d,
		const char *name, struct rte_tel_data *val, int keep)
{
	int ret = __real_rte_tel_data_add_dict_container(d, name, val, keep);

	tel_add(name, 'c')->arr = val;
	if (ret == 0 && !keep) {
		/* the telemetry thread would free it after writing JSON */
		assert_true(n_tel_containers < RTE_DIM(tel_containers));
		tel_containers[n_tel_containers++] = val;
	}
	return ret;
}

int
__wrap_rte_tel_data_add_array_string(struct rte_tel_data *d, const char *str)
{
	assert_true(n_tel_arr < TEL_ARR_MAX);
	tel_arr[n_tel_arr].arr = d;
	snprintf(tel_arr[n_tel_arr].str, sizeof(tel_arr[0].str), "%s", str);
	n_tel_arr++;
	return __real_rte_tel_data_add_array_string(d, str);
}

int
__wrap_rte_tel_data_add_array_int(struct rte_tel_data *d, int x)
{
	assert_true(n_tel_arr < TEL_ARR_MAX);
	tel_arr[n_tel_arr].arr = d;
	tel_arr[n_tel_arr].num = x;
	n_tel_arr++;
	return __real_rte_tel_data_add_array_int(d, x);
}

static const struct tel_entry *
tel_find(const char *name)
{
	unsigned int i;

	for (i = 0; i < n_tel; i++)
		if (strcmp(tel[i].name, name) == 0)
			return &tel[i];
	fail_msg("telemetry lacks '%s'", name);
	return NULL;
}

static void
tel_expect_num(const char *name, char type, uint64_t v)
{
	const struct tel_entry *e = tel_find(name);

	assert_int_equal(e->type, type);
	assert_true(e->num == v);
}

static void
tel_expect_str(const char *name, const char *v)
{
	const struct tel_entry *e = tel_find(name);

	assert_int_equal(e->type, 's');
	assert_string_equal(e->str, v);
}

/* The dictionary's keys, in the order /synfront/config shows them. */
static const char *const config_keys[] = {
	"vip", "ports", "key_set", "previous_key_set", "key_file", "mss_max",
	"wscale",
	"timestamps", "sack", "window_scaling", "window", "retries", "closed_port",
	"rst_rate", "challenge_ack_rate", "challenge_ack_per_flow",
	"entries_per_lcore",
	"idle_timeout_s", "closed_rate", "ring_size", "consumer", "log_file",
	"reply", "cmd_ring_size", "credit", "snd_buf", "send_states", "period_s",
	"rx_desc", "tx_desc", "mtu", "promiscuous", "xdp", "backends", "balance",
	"proxy_protocol", "connect_timeout_ms", "down_ms", "fall", "max_conns",
	"send_pool", "clock_offset_s",
	"config_file",
};

static void
test_config_telemetry(void **state)
{
	static const char *const args[] = { "synfront",
		"--key-file", "/etc/sf.key",
		"--ports", "80,443", "--consumer", "log", "--log-file",
		"/tmp/ev", "--mtu", "1500", "--sack", "off", NULL,
	};
	char *argv[RTE_DIM(args)];
	struct sf_config cfg;
	char err[SF_CONFIG_ERR_LEN];
	struct rte_tel_data *d;
	const struct tel_entry *e;
	unsigned int i, n;

	(void)state;
	for (i = 0; i < RTE_DIM(args); i++)
		argv[i] = (char *)(uintptr_t)args[i];
	assert_int_equal(sf_config_from_args(&cfg, RTE_DIM(args) - 1, argv,
					     err), 0);
	d = rte_tel_data_alloc();
	assert_non_null(d);
	n_tel_arr = 0;
	n_tel_containers = 0;
	assert_int_equal(sf_stats_config_dict(d, &cfg), 0);

	/* the same keys, in the same order, as before lib/stats built it */
	assert_int_equal(n_tel, RTE_DIM(config_keys));
	for (i = 0; i < RTE_DIM(config_keys); i++)
		assert_string_equal(tel[i].name, config_keys[i]);

	e = tel_find("vip");
	assert_int_equal(e->type, 'c');
	for (i = 0, n = 0; i < n_tel_arr; i++) {
		if (tel_arr[i].arr != e->arr)
			continue;
		assert_string_equal(tel_arr[i].str,
				    n == 0 ? "198.18.0.2" : "2001:2::2");
		n++;
	}
	assert_int_equal(n, 2);
	e = tel_find("ports");
	assert_int_equal(e->type, 'c');
	for (i = 0, n = 0; i < n_tel_arr; i++) {
		if (tel_arr[i].arr != e->arr)
			continue;
		assert_int_equal(tel_arr[i].num, n == 0 ? 80 : 443);
		n++;
	}
	assert_int_equal(n, 2);
	/* the key file is read by the app, not by sf_config_from_args() */
	tel_expect_num("key_set", 'i', 0);
	tel_expect_num("previous_key_set", 'i', 0);
	tel_expect_str("key_file", "/etc/sf.key");
	tel_expect_num("mss_max", 'u', 1460);
	tel_expect_num("wscale", 'u', 7);
	tel_expect_num("timestamps", 'i', 1);
	tel_expect_num("sack", 'i', 0);
	tel_expect_num("window_scaling", 'i', 1);
	tel_expect_num("window", 'u', 65535);
	tel_expect_num("retries", 'u', 8);
	tel_expect_str("reply", "auto");
	tel_expect_num("credit", 'u', 262144);
	tel_expect_str("closed_port", "rst");
	tel_expect_num("rst_rate", 'u', 1000);
	tel_expect_num("challenge_ack_rate", 'u', 1000);
	tel_expect_num("challenge_ack_per_flow", 'u', 2);
	tel_expect_num("entries_per_lcore", 'u', 1048576);
	tel_expect_num("idle_timeout_s", 'u', 300);
	tel_expect_num("closed_rate", 'u', 10000);
	tel_expect_num("ring_size", 'u', 4096);
	tel_expect_str("consumer", "log");
	tel_expect_str("log_file", "/tmp/ev");
	tel_expect_num("period_s", 'u', 1);
	tel_expect_num("rx_desc", 'u', 1024);
	tel_expect_num("tx_desc", 'u', 1024);
	tel_expect_num("mtu", 'u', 1500);
	tel_expect_num("promiscuous", 'i', 0);
	tel_expect_str("xdp", "auto");
	tel_expect_str("config_file", "");
	/* the keys themselves never appear */
	for (i = 0; i < n_tel; i++) {
		assert_string_not_equal(tel[i].name, "key");
		assert_string_not_equal(tel[i].name, "previous_key");
		assert_null(strstr(tel[i].str, "0001"));
	}
	for (i = 0; i < n_tel_containers; i++)
		rte_tel_data_free(tel_containers[i]);
	rte_tel_data_free(d);
}

/*
 * /synfront/stats and each lcore of /synfront/lcores: every counter by
 * name, then busy_pct, tsc_per_synack and tsc_hz from the counters.
 */
static void
test_counters_telemetry(void **state)
{
	static const struct {
		uint64_t busy, total, synacks;
		uint64_t pct, per_synack;
	} rows[] = {
		{ 0, 0, 0, 0, 0 },			/* just started */
		{ 0, 5000, 0, 0, 0 },			/* idle */
		{ 3000, 4000, 0, 75, 0 },		/* work, no SYN-ACK */
		{ 1000, 3000, 7, 33, 142 },		/* rounded, truncated */
		{ 2000, 3000, 1000, 67, 2 },
		{ 2600, 2600, 10, 100, 260 },
	};
	static struct sf_stats s;
	unsigned int i, c;

	(void)state;
	for (c = 0; c < SF_CNT_MAX; c++)
		s.cnt[c] = 1000 + c;
	for (i = 0; i < RTE_DIM(rows); i++) {
		struct rte_tel_data *d = rte_tel_data_alloc();

		assert_non_null(d);
		s.cnt[SF_CNT_busy_tsc] = rows[i].busy;
		s.cnt[SF_CNT_total_tsc] = rows[i].total;
		s.cnt[SF_CNT_synack_tx] = rows[i].synacks;
		assert_int_equal(sf_stats_dict(d, &s, UINT64_C(2600000000)), 0);
		assert_int_equal(n_tel, SF_CNT_MAX + 3);
		for (c = 0; c < SF_CNT_MAX; c++)
			tel_expect_num(sf_stats_name(c), 'u', s.cnt[c]);
		tel_expect_num("busy_tsc", 'u', rows[i].busy);
		tel_expect_num("total_tsc", 'u', rows[i].total);
		tel_expect_num("busy_pct", 'u', rows[i].pct);
		tel_expect_num("tsc_per_synack", 'u', rows[i].per_synack);
		tel_expect_num("tsc_hz", 'u', UINT64_C(2600000000));
		rte_tel_data_free(d);
	}
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
		cmocka_unit_test(test_busy_pct),
		cmocka_unit_test(test_layout),
		cmocka_unit_test(test_config_telemetry),
		cmocka_unit_test(test_counters_telemetry),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
