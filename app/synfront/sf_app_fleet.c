/* SPDX-License-Identifier: BSD-3-Clause */

/*
 * The fleet's shared state on the main lcore: keys re-read on SIGHUP,
 * the wall clock re-read every second, both published on the board; and
 * their telemetry.
 */

#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <rte_cycles.h>
#include <rte_debug.h>
#include <rte_errno.h>
#include <rte_lcore.h>
#include <rte_telemetry.h>

#include "sf_app_fleet.h"
#include "sf_cookie.h"
#include "sf_keyfile.h"

#define SF_MS_PER_S	1000

/* Figures shared with the telemetry thread: relaxed, each one whole. */
#define SF_SET(var, v)	__atomic_store_n(&(var), (v), __ATOMIC_RELAXED)
#define SF_GET(var)	__atomic_load_n(&(var), __ATOMIC_RELAXED)

static const char *const sf_source_names[] = {
	[SF_APP_KEY_RANDOM] = "random",
	[SF_APP_KEY_CONFIG] = "config",
	[SF_APP_KEY_FILE] = "key_file",
};

/* The telemetry callbacks' state (rte_telemetry passes no argument). */
static const struct sf_app_fleet *sf_tel_fleet;

static uint64_t
sf_wall_s(void)
{
	return (uint64_t)time(NULL);
}

/* "<fp>" of the key, or "" / "none" for an absent previous key. */
static const char *
sf_fp_str(const struct sf_siphash_key *k, int present, const char *absent,
	  char buf[SF_COOKIE_FP_STR_LEN])
{
	if (!present)
		return absent;
	snprintf(buf, SF_COOKIE_FP_STR_LEN, "%08" PRIx32, sf_cookie_key_fp(k));
	return buf;
}

static void
sf_print_loaded(const struct sf_app_fleet *f)
{
	char a[SF_COOKIE_FP_STR_LEN], b[SF_COOKIE_FP_STR_LEN];
	const struct sf_cookie_keys *k = &f->state.keys;

	printf("synfront: keys loaded from %s: key %s, previous_key %s\n",
	       f->key_file, sf_fp_str(&k->cur, 1, "", a),
	       sf_fp_str(&k->prev, k->has_prev, "none", b));
}

void
sf_app_fleet_init(struct sf_app_fleet *f, const struct sf_config *cfg,
		  const struct sf_clock_base *clock)
{
	memset(f, 0, sizeof(*f));
	f->state.keys = cfg->keys;
	f->state.clock = *clock;
	f->source = cfg->key_file[0] != '\0' ? SF_APP_KEY_FILE :
		cfg->key_set ? SF_APP_KEY_CONFIG : SF_APP_KEY_RANDOM;
	snprintf(f->key_file, sizeof(f->key_file), "%s", cfg->key_file);
	f->offset_s = cfg->test_clock_offset_s;
	f->period_tsc = clock->tsc_hz * SF_APP_FLEET_CLOCK_MS / SF_MS_PER_S;
	f->next_tsc = clock->tsc0 + f->period_tsc;
	f->board = sf_board_create(&f->state, (int)rte_socket_id());
	if (f->board == NULL)
		rte_exit(EXIT_FAILURE, "cannot allocate the key and clock board (%zu bytes): %s\n",
			 sizeof(*f->board), rte_strerror(rte_errno));
	SF_SET(f->loads, 1);
	SF_SET(f->loaded_unix, sf_wall_s());
	if (f->source == SF_APP_KEY_FILE)
		sf_print_loaded(f);
}

void
sf_app_fleet_clock(struct sf_app_fleet *f, uint64_t tsc)
{
	struct sf_clock_base now;
	uint64_t abs_corr;
	int64_t corr;

	if ((int64_t)(tsc - f->next_tsc) < 0)
		return;
	f->next_tsc = tsc + f->period_tsc;
	/* TSC and wall clock read together */
	if (sf_clock_base_init(&now) != 0)
		return;	/* never happens with CLOCK_REALTIME: keep the base */
	sf_clock_base_shift(&now, f->offset_s);
	corr = sf_clock_base_rebase(&f->state.clock, now.tsc0, now.unix_ns0);
	sf_board_publish(f->board, &f->state);
	abs_corr = corr < 0 ? (uint64_t)-corr : (uint64_t)corr;
	SF_SET(f->last_correction_ns, corr);
	if (abs_corr > f->max_abs_correction_ns)
		SF_SET(f->max_abs_correction_ns, abs_corr);
	SF_SET(f->rereads, f->rereads + 1);
}

void
sf_app_fleet_reload(struct sf_app_fleet *f)
{
	char reason[SF_KEYFILE_REASON_LEN];

	if (f->key_file[0] == '\0') {
		printf("synfront: SIGHUP: no key_file configured, keys unchanged\n");
		return;
	}
	if (sf_keyfile_load(f->key_file, &f->state.keys, &f->state.keys,
			    reason, sizeof(reason)) != 0) {
		SF_SET(f->load_errors, f->load_errors + 1);
		printf("synfront: key_file %s refused: %s; running keys kept\n",
		       f->key_file, reason);
		return;
	}
	sf_board_publish(f->board, &f->state);
	SF_SET(f->loaded_unix, sf_wall_s());
	SF_SET(f->loads, f->loads + 1);
	sf_print_loaded(f);
}

/* /synfront/keys: where the keys came from, their fingerprints, loads. */
static int
sf_tel_keys(const char *cmd __rte_unused, const char *params __rte_unused,
	    struct rte_tel_data *d)
{
	const struct sf_app_fleet *f = sf_tel_fleet;
	char a[SF_COOKIE_FP_STR_LEN], b[SF_COOKIE_FP_STR_LEN];
	struct sf_board_state st;

	sf_board_read(f->board, &st);
	rte_tel_data_start_dict(d);
	rte_tel_data_add_dict_string(d, "source", sf_source_names[f->source]);
	rte_tel_data_add_dict_string(d, "key_file", f->key_file);
	rte_tel_data_add_dict_string(d, "key_fp",
				     sf_fp_str(&st.keys.cur, 1, "", a));
	rte_tel_data_add_dict_string(d, "previous_key_fp",
				     sf_fp_str(&st.keys.prev,
					       st.keys.has_prev, "", b));
	rte_tel_data_add_dict_u64(d, "loaded_unix", SF_GET(f->loaded_unix));
	rte_tel_data_add_dict_u64(d, "loads", SF_GET(f->loads));
	rte_tel_data_add_dict_u64(d, "load_errors", SF_GET(f->load_errors));
	explicit_bzero(&st, sizeof(st));
	return 0;
}

/*
 * /synfront/clock. DPDK 22.11's telemetry has no signed 64-bit value:
 * last_correction_ns is shown saturated to an int (about +-2.1 s).
 */
static int
sf_tel_clock(const char *cmd __rte_unused, const char *params __rte_unused,
	     struct rte_tel_data *d)
{
	const struct sf_app_fleet *f = sf_tel_fleet;
	int64_t c = SF_GET(f->last_correction_ns);

	rte_tel_data_start_dict(d);
	rte_tel_data_add_dict_u64(d, "rereads", SF_GET(f->rereads));
	rte_tel_data_add_dict_int(d, "last_correction_ns",
				  c > INT_MAX ? INT_MAX :
				  c < INT_MIN ? INT_MIN : (int)c);
	rte_tel_data_add_dict_u64(d, "max_abs_correction_ns",
				  SF_GET(f->max_abs_correction_ns));
	rte_tel_data_add_dict_u64(d, "period_ms", SF_APP_FLEET_CLOCK_MS);
	return 0;
}

int
sf_app_fleet_telemetry_register(const struct sf_app_fleet *f)
{
	int ret;

	sf_tel_fleet = f;
	ret = rte_telemetry_register_cmd("/synfront/keys", sf_tel_keys,
		"Cookie keys: source, key_file, fingerprints (never the keys), loads. No parameters.");
	if (ret != 0)
		return ret;
	return rte_telemetry_register_cmd("/synfront/clock", sf_tel_clock,
		"Wall clock re-reads and their corrections (real - extrapolated, ns). No parameters.");
}
