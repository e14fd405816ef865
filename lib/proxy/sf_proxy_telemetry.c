/* SPDX-License-Identifier: BSD-3-Clause */

/*
 * What the proxy shows: /synfront/proxy (per backend, the counters, the
 * handoff latency) and its part of the stats line. Read on the telemetry
 * thread while the proxy thread writes: plain loads of 64-bit counters.
 */

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>

#include <rte_common.h>
#include <rte_cycles.h>
#include <rte_telemetry.h>

#include "sf_proxy_priv.h"

#define TEL_NS	1e9
#define TEL_US	1e6
#define MEDIAN		500
#define P99		990
#define KEY_LEN		32

static const char *const counter_names[SF_PROXY_CNT_MAX] = {
#define SF_PROXY_X_NAME(name) #name,
	SF_PROXY_COUNTERS(SF_PROXY_X_NAME)
#undef SF_PROXY_X_NAME
};

/* rte_telemetry (22.11) callbacks take no argument: the proxy shown. */
static const struct sf_proxy *tel_proxy;

static double
tsc_to(uint64_t cycles, double unit)
{
	return (double)cycles * unit / (double)rte_get_tsc_hz();
}

static unsigned int
backends_up(const struct sf_proxy_backends *b, uint64_t now)
{
	unsigned int i, up = 0;

	for (i = 0; i < b->n; i++)
		up += !sf_proxy_backend_is_down(b, i, now);
	return up;
}

void
sf_proxy_print(FILE *f, const struct sf_proxy *p)
{
	const struct sf_proxy_backends *b = &p->backends;
	uint64_t conns = 0, in = 0, out = 0, fail = 0;
	unsigned int i;

	for (i = 0; i < b->n; i++) {
		conns += b->be[i].connections;
		in += b->be[i].bytes_in;
		out += b->be[i].bytes_out;
		fail += b->be[i].failures;
	}
	fprintf(f, "proxy active %u conns %" PRIu64 " fail %" PRIu64
		" in %" PRIu64 " out %" PRIu64 " up %u/%u p50 %.1fus p99 %.1fus",
		sf_proxy_active(p), conns, fail, in, out,
		backends_up(b, rte_rdtsc()), b->n,
		tsc_to(sf_proxy_hist_quantile(&p->latency, MEDIAN), TEL_US),
		tsc_to(sf_proxy_hist_quantile(&p->latency, P99), TEL_US));
}

static void
backend_dict(struct rte_tel_data *d, const struct sf_proxy_backends *b,
	     unsigned int i, uint64_t now)
{
	const struct sf_proxy_backend *be = &b->be[i];
	struct rte_tel_data *sub = rte_tel_data_alloc();
	char addr[SF_PROXY_ADDR_STR_LEN], key[KEY_LEN];

	if (sub == NULL)
		return;
	rte_tel_data_start_dict(sub);
	rte_tel_data_add_dict_string(sub, "address",
		sf_proxy_addr_str(&be->addr, addr, sizeof(addr)));
	rte_tel_data_add_dict_u64(sub, "connections", be->connections);
	rte_tel_data_add_dict_u64(sub, "active", be->active);
	rte_tel_data_add_dict_u64(sub, "bytes_in", be->bytes_in);
	rte_tel_data_add_dict_u64(sub, "bytes_out", be->bytes_out);
	rte_tel_data_add_dict_u64(sub, "failures", be->failures);
	rte_tel_data_add_dict_u64(sub, "down",
				  sf_proxy_backend_is_down(b, i, now));
	/* names take only [A-Za-z0-9_/]: the address is a value */
	snprintf(key, sizeof(key), "backend_%u", i);
	/* freed by the telemetry thread once sent */
	if (rte_tel_data_add_dict_container(d, key, sub, 0) != 0)
		rte_tel_data_free(sub);
}

static int
tel_proxy_cmd(const char *cmd __rte_unused, const char *params __rte_unused,
	      struct rte_tel_data *d)
{
	const struct sf_proxy *p = tel_proxy;
	const uint64_t now = rte_rdtsc();
	unsigned int i;

	if (p == NULL)
		return -ENOTSUP;
	rte_tel_data_start_dict(d);
	rte_tel_data_add_dict_u64(d, "active", sf_proxy_active(p));
	for (i = 0; i < SF_PROXY_CNT_MAX; i++)
		rte_tel_data_add_dict_u64(d, counter_names[i], p->cnt[i]);
	rte_tel_data_add_dict_u64(d, "handoff_samples", p->latency.n);
	rte_tel_data_add_dict_u64(d, "handoff_median_ns", (uint64_t)tsc_to(
		sf_proxy_hist_quantile(&p->latency, MEDIAN), TEL_NS));
	rte_tel_data_add_dict_u64(d, "handoff_p99_ns", (uint64_t)tsc_to(
		sf_proxy_hist_quantile(&p->latency, P99), TEL_NS));
	for (i = 0; i < p->backends.n; i++)
		backend_dict(d, &p->backends, i, now);
	return 0;
}

int
sf_proxy_telemetry_register(const struct sf_proxy *p)
{
	tel_proxy = p;
	return rte_telemetry_register_cmd("/synfront/proxy", tel_proxy_cmd,
		"Proxy: per backend connections, active, bytes_in, bytes_out, failures, down; counters; handoff latency (ns). No parameters.");
}
