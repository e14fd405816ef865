/* SPDX-License-Identifier: BSD-3-Clause */

#ifndef SF_APP_FLEET_H
#define SF_APP_FLEET_H

/**
 * @file
 * What a fleet shares, kept current while running (DESIGN.md, "Fleet"):
 * the cookie keys, re-read from [cookie] key_file on SIGHUP, and the wall
 * clock, re-read against the TSC every SF_APP_FLEET_CLOCK_MS. Both reach
 * the workers through the board (sf_board.h); all of it runs on the main
 * lcore, between consumer polls (file I/O and syscalls, never on a
 * worker). Telemetry: /synfront/keys (fingerprints, never keys) and
 * /synfront/clock.
 */

#include <stdint.h>

#include "sf_board.h"
#include "sf_config.h"

/** How often the main lcore re-reads the wall clock, in ms. */
#define SF_APP_FLEET_CLOCK_MS	1000

/** Where the running keys came from. */
enum sf_app_key_source {
	SF_APP_KEY_RANDOM,	/**< drawn at start (one instance) */
	SF_APP_KEY_CONFIG,	/**< [cookie] key in the configuration file */
	SF_APP_KEY_FILE,	/**< [cookie] key_file */
};

/**
 * The main lcore's side. The figures are written by the main lcore and
 * read by the telemetry thread (relaxed atomics); the keys telemetry shows
 * are read from the board.
 */
struct sf_app_fleet {
	struct sf_board *board;		/**< what the workers read */
	struct sf_board_state state;	/**< what was last published */
	enum sf_app_key_source source;
	char key_file[SF_CONFIG_PATH_LEN];	/**< "" without key_file */
	uint32_t offset_s;		/**< [test] clock_offset_s */
	uint64_t period_tsc;		/**< clock re-read period */
	uint64_t next_tsc;		/**< next clock re-read */
	uint64_t loaded_unix;		/**< wall second of the last load */
	uint64_t loads;			/**< successful loads, the first too */
	uint64_t load_errors;		/**< key files refused on SIGHUP */
	uint64_t rereads;		/**< clock re-reads */
	int64_t last_correction_ns;	/**< real - extrapolated, last re-read */
	uint64_t max_abs_correction_ns;	/**< largest |correction| */
};

/**
 * Make the board from the configuration's keys (cfg->keys, already read
 * from key_file or drawn) and a clock base; print the keys' fingerprints
 * when they come from key_file. Exits (rte_exit) when the board cannot be
 * allocated.
 *
 * @param f      the fleet state, filled
 * @param cfg    the configuration
 * @param clock  the clock base the workers start with (offset applied)
 */
void
sf_app_fleet_init(struct sf_app_fleet *f, const struct sf_config *cfg,
		  const struct sf_clock_base *clock);

/**
 * Re-read the wall clock when a period has passed since the last time,
 * and publish the new base. Call it every turn of the main loop.
 *
 * @param f    the fleet state
 * @param tsc  rte_rdtsc() now
 */
void
sf_app_fleet_clock(struct sf_app_fleet *f, uint64_t tsc);

/**
 * SIGHUP: re-read key_file (sf_keyfile_read(), sf_keys_roll()) and
 * publish the keys, or keep the running keys when it is refused; one log
 * line either way.
 *
 * @param f  the fleet state
 */
void
sf_app_fleet_reload(struct sf_app_fleet *f);

/**
 * Register /synfront/keys and /synfront/clock.
 *
 * @param f  the fleet state; must outlive the process
 * @return 0, or rte_telemetry_register_cmd()'s negative errno.
 */
int
sf_app_fleet_telemetry_register(const struct sf_app_fleet *f);

#endif /* SF_APP_FLEET_H */
