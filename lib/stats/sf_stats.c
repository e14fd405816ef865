/* SPDX-License-Identifier: BSD-3-Clause */

/*
 * Counters and their telemetry endpoints, and /synfront/config: the
 * running configuration as sf_config_foreach() reports it.
 *
 * Workers write their own block with plain stores; readers (telemetry
 * thread, main lcore) read 64-bit words, which x86-64 and arm64 load
 * atomically, so a snapshot is per-counter exact and near-consistent.
 */

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include <rte_cycles.h>
#include <rte_telemetry.h>

#include "sf_config.h"
#include "sf_stats.h"

static const char *const counter_names[SF_CNT_MAX] = {
#define SF_X_NAME(name, kind, help) #name,
	SF_STATS_COUNTERS(SF_X_NAME)
#undef SF_X_NAME
};

static const char *const counter_help[SF_CNT_MAX] = {
#define SF_X_HELP(name, kind, help) help,
	SF_STATS_COUNTERS(SF_X_HELP)
#undef SF_X_HELP
};

/*
 * rte_telemetry (22.11) callbacks take no argument, so the registration is
 * kept here, written once before the first command can arrive.
 */
static struct {
	const struct sf_stats *const *blocks;
	const unsigned int *lcores;
	unsigned int n;
	const struct sf_config *cfg;
} tel;

const char *
sf_stats_name(unsigned int c)
{
	return c < SF_CNT_MAX ? counter_names[c] : NULL;
}

const char *
sf_stats_help(unsigned int c)
{
	return c < SF_CNT_MAX ? counter_help[c] : NULL;
}

void
sf_stats_sum(const struct sf_stats *const *blocks, unsigned int n,
	     struct sf_stats *out)
{
	unsigned int i, c;

	memset(out, 0, sizeof(*out));
	for (i = 0; i < n; i++) {
		const volatile struct sf_stats *b = blocks[i];

		for (c = 0; c < SF_CNT_MAX; c++)
			out->cnt[c] += b->cnt[c];
		for (c = 0; c < SF_NET_REASON_MAX; c++)
			out->reason[c] += b->reason[c];
	}
}

static const uint8_t counter_is_drop[SF_CNT_MAX] = {
#define SF_X_KIND(name, kind, help) kind,
	SF_STATS_COUNTERS(SF_X_KIND)
#undef SF_X_KIND
};

/* The sum of every SF_STAT_DROP counter. */
static uint64_t
drops(const struct sf_stats *s)
{
	uint64_t sum = 0;
	unsigned int c;

	for (c = 0; c < SF_CNT_MAX; c++)
		if (counter_is_drop[c])
			sum += s->cnt[c];
	return sum;
}

double
sf_stats_busy_pct(const struct sf_stats *now, const struct sf_stats *prev)
{
	uint64_t busy = now->cnt[SF_CNT_busy_tsc];
	uint64_t total = now->cnt[SF_CNT_total_tsc];

	if (prev != NULL) {
		busy -= prev->cnt[SF_CNT_busy_tsc];
		total -= prev->cnt[SF_CNT_total_tsc];
	}
	if (total == 0)
		return 0;
	if (busy >= total)
		return 100;
	return 100.0 * (double)busy / (double)total;
}

void
sf_stats_print(FILE *f, const struct sf_stats *now,
	       const struct sf_stats *prev, double secs)
{
	const uint64_t *c = now->cnt;

	fprintf(f, "rx %" PRIu64 " tx %" PRIu64 " syn %" PRIu64
		" synack %" PRIu64 " est %" PRIu64 " bad_cookie %" PRIu64
		" events %" PRIu64 " active %" PRIu64 " rst %" PRIu64
		" drops %" PRIu64,
		c[SF_CNT_rx_pkts], c[SF_CNT_tx_pkts], c[SF_CNT_syn_rx],
		c[SF_CNT_synack_tx], c[SF_CNT_established],
		c[SF_CNT_ack_cookie_bad], c[SF_CNT_handoff_enq],
		c[SF_CNT_conn_active], c[SF_CNT_rst_tx], drops(now));
	if (prev != NULL && secs > 0) {
		double rx = (double)(c[SF_CNT_rx_pkts] -
				     prev->cnt[SF_CNT_rx_pkts]) / secs;
		double est = (double)(c[SF_CNT_established] -
				      prev->cnt[SF_CNT_established]) / secs;

		fprintf(f, " | %.0f pps in, %.0f conn/s, busy %.1f%%", rx, est,
			sf_stats_busy_pct(now, prev));
	}
}

void
sf_stats_print_line(FILE *f, const struct sf_stats *now,
		    const struct sf_stats *prev, double secs)
{
	sf_stats_print(f, now, prev, secs);
	fputc('\n', f);
	fflush(f);
}

int
sf_stats_dict(struct rte_tel_data *d, const struct sf_stats *s,
	      uint64_t tsc_hz)
{
	uint64_t synacks = s->cnt[SF_CNT_synack_tx];
	unsigned int c;

	rte_tel_data_start_dict(d);
	for (c = 0; c < SF_CNT_MAX; c++)
		rte_tel_data_add_dict_u64(d, counter_names[c], s->cnt[c]);
	rte_tel_data_add_dict_u64(d, "busy_pct",
				  (uint64_t)(sf_stats_busy_pct(s, NULL) + 0.5));
	rte_tel_data_add_dict_u64(d, "tsc_per_synack", synacks == 0 ? 0 :
				  s->cnt[SF_CNT_busy_tsc] / synacks);
	rte_tel_data_add_dict_u64(d, "tsc_hz", tsc_hz);
	return 0;
}

static int
tel_stats(const char *cmd __rte_unused, const char *params __rte_unused,
	  struct rte_tel_data *d)
{
	struct sf_stats sum;

	sf_stats_sum(tel.blocks, tel.n, &sum);
	return sf_stats_dict(d, &sum, rte_get_tsc_hz());
}

static int
tel_lcores(const char *cmd __rte_unused, const char *params __rte_unused,
	   struct rte_tel_data *d)
{
	unsigned int i;

	rte_tel_data_start_dict(d);
	for (i = 0; i < tel.n; i++) {
		struct rte_tel_data *sub = rte_tel_data_alloc();
		struct sf_stats one;
		char name[16];

		if (sub == NULL)
			return -ENOMEM;
		sf_stats_sum(&tel.blocks[i], 1, &one);
		sf_stats_dict(sub, &one, rte_get_tsc_hz());
		snprintf(name, sizeof(name), "%u", tel.lcores[i]);
		if (rte_tel_data_add_dict_container(d, name, sub, 0) != 0) {
			rte_tel_data_free(sub);
			return -ENOSPC;
		}
	}
	return 0;
}

static int
tel_drops(const char *cmd __rte_unused, const char *params __rte_unused,
	  struct rte_tel_data *d)
{
	struct sf_stats sum;
	unsigned int r;

	sf_stats_sum(tel.blocks, tel.n, &sum);
	rte_tel_data_start_dict(d);
	for (r = SF_NET_OK + 1; r < SF_NET_REASON_MAX; r++)
		rte_tel_data_add_dict_u64(d,
			sf_net_reason_str((enum sf_net_reason)r),
			sum.reason[r]);
	return 0;
}

/* A list setting as an array: vip of strings, ports of ints. */
static struct rte_tel_data *
config_array(const struct sf_config_value *v)
{
	struct rte_tel_data *arr = rte_tel_data_alloc();
	unsigned int i;

	if (arr == NULL)
		return NULL;
	if (v->type == SF_CONFIG_VAL_STR_LIST) {
		rte_tel_data_start_array(arr, RTE_TEL_STRING_VAL);
		for (i = 0; i < v->n; i++)
			rte_tel_data_add_array_string(arr, v->strs[i]);
	} else {
		rte_tel_data_start_array(arr, RTE_TEL_INT_VAL);
		for (i = 0; i < v->n; i++)
			rte_tel_data_add_array_int(arr, (int)v->nums[i]);
	}
	return arr;
}

/* sf_config_foreach() callback: one setting into the dictionary @p arg. */
static int
config_to_dict(const char *name, const struct sf_config_value *v, void *arg)
{
	struct rte_tel_data *d = arg;
	struct rte_tel_data *arr;

	switch (v->type) {
	case SF_CONFIG_VAL_UINT:
		rte_tel_data_add_dict_u64(d, name, v->num);
		break;
	case SF_CONFIG_VAL_BOOL:
		rte_tel_data_add_dict_int(d, name, v->num != 0);
		break;
	case SF_CONFIG_VAL_STR:
		rte_tel_data_add_dict_string(d, name, v->str);
		break;
	case SF_CONFIG_VAL_STR_LIST:
	case SF_CONFIG_VAL_UINT_LIST:
		/* freed by the telemetry thread once sent */
		arr = config_array(v);
		if (arr != NULL &&
		    rte_tel_data_add_dict_container(d, name, arr, 0) != 0)
			rte_tel_data_free(arr);
		break;
	}
	return 0;
}

int
sf_stats_config_dict(struct rte_tel_data *d, const struct sf_config *cfg)
{
	rte_tel_data_start_dict(d);
	return sf_config_foreach(cfg, config_to_dict, d);
}

static int
tel_config(const char *cmd __rte_unused, const char *params __rte_unused,
	   struct rte_tel_data *d)
{
	if (tel.cfg == NULL)
		return -ENOTSUP;
	return sf_stats_config_dict(d, tel.cfg);
}

int
sf_stats_telemetry_register(const struct sf_stats *const *blocks,
			    const unsigned int *lcores, unsigned int n,
			    const struct sf_config *cfg)
{
	int ret;

	tel.blocks = blocks;
	tel.lcores = lcores;
	tel.n = n;
	tel.cfg = cfg;

	ret = rte_telemetry_register_cmd("/synfront/stats", tel_stats,
		"Counters summed over worker lcores, with busy_pct, tsc_per_synack, tsc_hz. No parameters.");
	if (ret == 0)
		ret = rte_telemetry_register_cmd("/synfront/lcores", tel_lcores,
			"Counters per worker lcore, with busy_pct, tsc_per_synack, tsc_hz. No parameters.");
	if (ret == 0)
		ret = rte_telemetry_register_cmd("/synfront/drops", tel_drops,
			"Parser drops by reason, summed. No parameters.");
	if (ret == 0)
		ret = rte_telemetry_register_cmd("/synfront/config", tel_config,
			"Running configuration (keys hidden). No parameters.");
	return ret;
}
